"""The contract of a model file: the model's energy unit and the inputs its network takes, in one module.

**Unit.** A model works in the energy unit in which the hybridization has the total weight of the
reference Bethe bath of half-bandwidth D = 1: ``int rho_Delta = t^2 =`` :data:`REFERENCE_HYBRIDIZATION_WEIGHT`
``= 1/4``. Scaling every energy by ``s`` (``w``, ``U``, ``eps_d``, ``Delta``) maps the spectral function to
``A(w) -> A(w/s)/s`` (``METHOD.md`` section 1), so a caller's problem with ``int rho_Delta = W`` is the model
problem of scale ``s = sqrt(W / (1/4)) = 2 sqrt(W)`` (s = D for a Bethe bath of half-bandwidth D):

    w' = w / s,   U' = U / s,   eps_d' = eps_d / s,   Delta'(w') = Delta(s w') / s,   A(w) = A'(w / s) / s.

alpha (radians) is dimensionless and not scaled.

**Inputs.** The network's ``forward(hybridization, params)`` takes, per problem of a batch,

- ``hybridization``: float32, shape ``(n_w, n_channels)`` on the model grid ``w'`` (``ModelConfig.grid``,
  model units): channel 0 is ``rho_Delta'(w') = -Im Delta'(w') / pi`` (model energy unit, >= 0); with
  ``ModelConfig(use_re_delta=True)`` channel 1 is ``Re Delta'(w')`` (model energy unit), the Kramers-Kronig
  partner of the whole ``rho_Delta`` (:func:`re_delta_to_model_units`). The channels are named after the
  data-file fields that hold them (:data:`HYBRIDIZATION_CHANNELS`);
- ``params``: float32, shape ``(3,)``: :data:`PARAMS` = ``(U', eps_d', alpha)``, U' and eps_d' in model units;

and returns the tilted spectral function ``A~_alpha'(w')`` on the model grid (1/model energy unit).
:func:`model_inputs` builds both arrays from a caller's real-axis problem, :func:`spectral_from_model_units`
maps the answer back.

What is not here: the network (``model``), the file format (``model.metadata``), running a model
(``runtime``), the real-axis formulas (``spectral``, ``impurity.outputs``).

Layer: bottom, beside ``gf``, ``h5``, ``mpi`` and ``checks``; numpy, ``gf`` and ``checks`` only. Why so low: every
user must import it legally and cheaply. The data generator (``data``, below ``model``) draws its
training densities with the reference weight; the training ``Dataset`` (``train``) records the scale of
its samples; ``model`` defines the grid in this unit; the ``runtime`` rescales a caller's problem without
importing the training stack or the data package (h5py, tqdm, the MPS source). The lowest of these users
is ``data``, and the runtime may not pay for importing ``data``, so the contract sits below both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import hybridization_density, real_number
from .gf import retarded_from_spectral, spectral_norm
from .gf.kramers_kronig import slope_jumps, xlogabsx

__all__ = [
    "REFERENCE_HYBRIDIZATION_WEIGHT",
    "ENERGY_UNIT",
    "INPUT_DTYPE",
    "HYBRIDIZATION_CHANNELS",
    "PARAMS",
    "input_channels",
    "energy_scale",
    "to_model_units",
    "re_delta_to_model_units",
    "principal_value_integral",
    "spectral_from_model_units",
    "ModelInputs",
    "model_inputs",
]

REFERENCE_HYBRIDIZATION_WEIGHT = 0.25  # int rho_Delta of the Bethe bath with D = 1 (t = 1/2), model units
ENERGY_UNIT = "model unit: the hybridization weight int rho_Delta = 1/4, i.e. the half-bandwidth D = 1 of a Bethe bath"
INPUT_DTYPE = np.dtype(np.float32)  # that of the network's weights and buffers, which export keeps
HYBRIDIZATION_CHANNELS = ("rho_Delta", "re_Delta")  # channel order of `hybridization`; data-file field names
PARAMS = ("U", "eps_d", "alpha")  # order of `params`; U, eps_d in model units, alpha in radians


def input_channels(use_re_delta: bool) -> tuple[str, ...]:
    """The hybridization channels a network takes: ``('rho_Delta',)``, or with ``use_re_delta`` also ``'re_Delta'``."""
    return HYBRIDIZATION_CHANNELS if use_re_delta else HYBRIDIZATION_CHANNELS[:1]


def energy_scale(w, rho_Delta) -> float:
    """The scale ``s = sqrt(int rho_Delta / 0.25)`` (caller's energy units per model unit).

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Increasing real frequencies (caller's energy unit).
    rho_Delta : array_like, shape (n_w,)
        ``-Im Delta(w) / pi >= 0`` on ``w`` (caller's energy unit), piecewise linear, zero outside ``w``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the hybridization has no positive weight.
    """
    weight = float(spectral_norm(w, rho_Delta))
    if not weight > 0:
        raise ValueError(
            f"rho_Delta must have a positive integral to set the energy scale; got int rho_Delta = {weight}"
        )
    return float(np.sqrt(weight / REFERENCE_HYBRIDIZATION_WEIGHT))


def _check_scale(scale: float) -> None:
    if not scale > 0:
        raise ValueError(f"scale must be positive; got scale = {scale!r}")


def to_model_units(scale: float, w_model, w, rho_Delta, U: float, eps_d: float):
    """Express a caller's problem in model units, with rho_Delta interpolated onto the model grid.

    Parameters
    ----------
    scale : float
        The energy scale s (caller's units per model unit), e.g. from :func:`energy_scale`.
    w_model : array_like, shape (n_model,)
        The model grid (model units).
    w, rho_Delta : array_like, shape (n_w,)
        The caller's hybridization density on increasing frequencies (caller's unit); zero outside ``w``.
    U, eps_d : float
        Interaction and impurity level (caller's unit).

    Returns
    -------
    rho_model : ndarray, shape (n_model,)
        ``rho_Delta(s w') / s`` on the model grid (model units), linear interpolation, zero outside ``w``.
    U_model, eps_d_model : float
        ``U / s`` and ``eps_d / s``.

    Raises
    ------
    ValueError
        If ``scale`` is not positive.
    """
    _check_scale(scale)
    w = np.asarray(w, dtype=float)
    rho_model = np.interp(scale * np.asarray(w_model, dtype=float), w, np.asarray(rho_Delta, dtype=float), 0.0, 0.0)
    return rho_model / scale, U / scale, eps_d / scale


def re_delta_to_model_units(scale: float, w_model, w, rho_Delta) -> np.ndarray:
    """``Re Delta'(w') = Re Delta(s w') / s`` on the model grid, by Kramers-Kronig of the caller's rho_Delta.

    ``Re Delta(x) = PV int rho_Delta(v) / (x - v) dv`` is evaluated exactly for the piecewise-linear
    ``rho_Delta`` on the caller's grid, zero outside it, at the model points ``x = s w'`` themselves
    (:func:`principal_value_integral`, the closed form of :func:`~triqs_nnsolver.gf.retarded_from_spectral` at
    points off the grid; where an end value of rho_Delta is not 0, its finite part). So the whole density enters,
    also the weight beyond the model grid, and no interpolation of ``Re Delta`` is needed. Cost: O(n_w n_model),
    about 1 ms for 2001 points (it was 25 ms by refining the caller's grid with the model points).

    Parameters
    ----------
    scale : float
        The energy scale s (caller's units per model unit).
    w_model : array_like, shape (n_model,)
        The model grid (model units).
    w, rho_Delta : array_like, shape (n_w,)
        The caller's hybridization density on strictly increasing frequencies (caller's unit).

    Returns
    -------
    ndarray, float64, shape (n_model,)
        ``Re Delta'`` on the model grid (model energy unit).

    Raises
    ------
    ValueError
        If ``scale`` is not positive or ``w``/``rho_Delta`` are not a valid grid and density.
    """
    _check_scale(scale)
    w = np.asarray(w, dtype=float)
    points = scale * np.asarray(w_model, dtype=float)  # the model grid in the caller's unit
    rho = np.asarray(rho_Delta, dtype=float)
    if w.ndim != 1 or w.size < 2 or rho.shape != w.shape or not np.all(np.diff(w) > 0):
        refined = np.union1d(w, points)  # the reference route, whose checks name what is wrong
        return retarded_from_spectral(refined, np.interp(refined, w, rho, 0.0, 0.0)).real[0] / scale
    return principal_value_integral(w, rho, points) / scale


def principal_value_integral(w: np.ndarray, rho: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``PV int rho_lin(v) / (x - v) dv`` at any real points ``x``, for ``rho`` piecewise linear on ``w``, zero outside.

    The closed form of :class:`~triqs_nnsolver.gf.KramersKronigOperator` (end-point logarithms plus
    ``sum_j (s_j - s_{j-1}) (x - w_j) log|x - w_j|``, s the slopes), evaluated at ``x`` instead of the grid itself: it
    is continuous in x, so it needs no refinement of the grid by the points; O(n_x n_w).
    """
    jumps = slope_jumps(w, rho[:, None])[:, 0]  # (n_w,)
    first = np.abs(x - w[0])
    last = np.abs(x - w[-1])
    log_first = np.log(first, where=first > 0, out=np.zeros_like(first))
    log_last = np.log(last, where=last > 0, out=np.zeros_like(last))
    return rho[0] * log_first - rho[-1] * log_last - (rho[-1] - rho[0]) + xlogabsx(x[:, None] - w[None, :]) @ jumps


def spectral_from_model_units(scale: float, w_model, A_model, w):
    """``A(w) = A'(w / s) / s``: the model's answer on the caller's frequencies (zero outside the model grid).

    ``A_model`` of shape (..., n_model) on ``w_model`` (model units) gives shape (..., n_w) on ``w`` (caller's
    unit, 1/energy); leading axes (several alphas) are carried along. Raises ValueError for ``scale <= 0``.
    """
    _check_scale(scale)
    w_scaled = np.asarray(w, dtype=float) / scale
    A_model = np.asarray(A_model, dtype=float)
    if A_model.ndim == 1:
        return np.interp(w_scaled, w_model, A_model, 0.0, 0.0) / scale
    rows = [np.interp(w_scaled, w_model, row, 0.0, 0.0) / scale for row in A_model.reshape(-1, A_model.shape[-1])]
    return np.reshape(rows, (*A_model.shape[:-1], w_scaled.size))


@dataclass(frozen=True, eq=False)
class ModelInputs:
    """A caller's problem as the network's inputs (:func:`model_inputs`); arrays batch first, one row per alpha.

    Attributes
    ----------
    scale : float
        Caller's energy units per model unit.
    hybridization : ndarray, float32, shape (n_alpha, n_model, n_channels)
        The channels of :func:`input_channels` on the model grid (model units), the same in every row.
    params : ndarray, float32, shape (n_alpha, 3)
        ``(U', eps_d', alpha)`` per row (:data:`PARAMS`).
    U, eps_d : float
        ``U / s`` and ``eps_d / s`` in float64 (model units), for checks against a training domain.
    weight_outside_grid : float
        Fraction of ``int rho_Delta`` at ``|w| > s max|w'|``, beyond the model grid (dimensionless).
    """

    scale: float
    hybridization: np.ndarray
    params: np.ndarray
    U: float
    eps_d: float
    weight_outside_grid: float


def model_inputs(w_model, w, rho_Delta, U: float, eps_d: float, alpha, use_re_delta: bool = False) -> ModelInputs:
    """The network's inputs for a caller's real-axis problem at one or several alphas.

    Parameters
    ----------
    w_model : array_like, shape (n_model,)
        The model grid (``ModelConfig.grid``, model units).
    w, rho_Delta : array_like, shape (n_w,)
        Strictly increasing frequencies and ``rho_Delta = -Im Delta / pi >= 0`` on them (caller's energy unit,
        piecewise linear, zero outside ``w``), with positive weight.
    U, eps_d : float
        Interaction and impurity level (caller's unit).
    alpha : float or sequence of float, length n_alpha
        Tilt angle(s) (radians), ``0 <= alpha < pi/2`` (0: the real axis), one batch row each.
    use_re_delta : bool
        Add the ``Re Delta`` channel (``ModelConfig.use_re_delta``).

    Returns
    -------
    ModelInputs

    Raises
    ------
    ValueError
        If ``w`` is not a strictly increasing finite grid, ``rho_Delta`` not finite of its shape or without
        positive weight, ``U`` or ``eps_d`` not a finite number, or an alpha outside ``[0, pi/2)``; the message
        names the argument and the value.
    """
    U, eps_d = real_number("U", U, unit="energy unit"), real_number("eps_d", eps_d, unit="energy unit")
    alphas = np.atleast_1d(np.asarray(alpha, dtype=float))
    if alphas.ndim != 1 or alphas.size == 0 or not np.all((alphas >= 0) & (alphas < np.pi / 2)):
        raise ValueError(f"alpha must be one or more angles in [0, pi/2) radians; got alpha = {alpha!r}")
    w, rho = hybridization_density(w, rho_Delta)
    scale = energy_scale(w, rho)
    rho_model, U_model, eps_d_model = to_model_units(scale, w_model, w, rho, U, eps_d)
    channels = [rho_model]
    if use_re_delta:
        channels.append(re_delta_to_model_units(scale, w_model, w, rho))
    hybridization = np.repeat(np.stack(channels, axis=-1)[None], alphas.size, axis=0).astype(INPUT_DTYPE)
    params = np.array([[U_model, eps_d_model, a] for a in alphas], dtype=INPUT_DTYPE)
    inside = np.abs(w) <= scale * np.max(w_model)  # the model grid in the caller's unit
    outside = 1.0 - float(spectral_norm(w, np.where(inside, rho, 0.0))) / float(spectral_norm(w, rho))
    return ModelInputs(scale, hybridization, params, U_model, eps_d_model, outside)
