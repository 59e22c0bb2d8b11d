"""The input path of the Solver: from ``G0_iw`` (or a real-axis ``Delta_w``) to ``rho_Delta`` on the real mesh.

From ``G0_iw`` (``METHOD.md`` section 4): ``Delta(iw_n) = iw_n - eps - 1/G0(iw_n)`` with ``eps`` the
constant of the tail (``bath.hybridization_from_g0``), a positive-weight star bath fitted to
``Delta(iw_n)`` (``bath.fit_star_bath``, warm-started in a loop from the previous solve's bath:
:class:`WarmStart`), and ``Delta(w + i eta) = sum_k V_k^2 / (w + i eta - eps_k)``
on the real mesh (``bath.hybridization_real_axis``): the fit is the analytic continuation, the
Lorentzian broadening ``eta`` turns the discrete bath into the continuous density the network needs.
From ``Delta_w``: the caller's retarded hybridization on the real mesh, checked for causality.

:func:`real_mesh_warnings` names what the real mesh resolves poorly (:class:`RealMeshWarning`): bound
states of ``G0`` outside the bath's support, a bath a few mesh steps wide, a bath cut off at the mesh ends.

What is not here: several orbitals, complex hybridizations, the impurity solve itself.
Layer: ``solver``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..bath import FitReport, StarBath, fit_star_bath, hybridization_from_g0, hybridization_real_axis
from ..checks import real_number
from ..gf import MeshImFreq, kramers_kronig_operator, spectral_moments, spectral_norm
from ..impurity import pole_width

__all__ = [
    "RealAxisHybridization",
    "RealMeshWarning",
    "WarmStart",
    "next_warm_start",
    "hybridization_from_g0_iw",
    "hybridization_from_delta_w",
    "auto_eta",
    "real_mesh_warnings",
]

_ETA_PER_SPACING = 1.0  # eta / (median spacing of the fitted levels): ripples of the comb ~ exp(-2 pi) = 0.2 %
_ETA_MIN_FRACTION = 0.01  # eta >= this fraction of the bath's energy scale sqrt(sum V^2)
_ETA_WINDOW = 2.0  # auto_eta counts the levels within this many standard deviations of the bath's mean energy
_LEVEL_WEIGHT = 1e-6  # ... and with V_k^2 above this fraction of sum V^2
_LOST_WEIGHT = 0.05  # fraction of sum V^2 that may fall outside the real mesh (Lorentzian tails) before refusing
_CAUSALITY_RTOL = 1e-10  # -Im Delta_w may be negative by this fraction of max |Delta_w| (rounding)
_MIN_STEPS_PER_WIDTH = 10.0  # rms width of rho_Delta in mesh steps below which the mesh resolves the bath poorly
_EDGE_WEIGHT = 1e-3  # rho_Delta at the mesh ends, relative to its maximum, above which the bath is cut off
_WARM_RTOL = 1e-5  # a warm-started fit is kept up to this max relative deviation of Delta(iw_n) ...
_WARM_FACTOR = 2.0  # ... or up to this factor times the deviation of the last fit from scratch, if larger


class RealMeshWarning(UserWarning):
    """The real mesh resolves the problem poorly: the results stay finite but lose accuracy (the message says how)."""


@dataclass(frozen=True)
class RealAxisHybridization:
    """The hybridization of one spin block on the real mesh, with its provenance.

    Attributes
    ----------
    Delta_w : ndarray of complex, shape (n_w,)
        G0_iw path: ``-Im Delta_w / pi`` is ``-Im Delta(w + i eta) / pi`` of the fitted bath on the mesh (zero
        outside it), ``Re Delta_w`` its Kramers-Kronig partner; Delta_w path: the caller's ``Delta_w``. Energy unit.
    rho_Delta : ndarray, shape (n_w,)
        ``-Im Delta_w / pi >= 0`` (energy unit).
    eps : float
        Impurity level from the input (``Delta_infty``: ``-mu`` for ``G0^-1 = iw + mu - Delta``).
    bath : StarBath or None
        The fitted bath (G0_iw path).
    fit : FitReport or None
        Quality of the fit (G0_iw path).
    eta : float
        Lorentzian broadening of the fitted bath (0 for the Delta_w path); energy unit.
    """

    Delta_w: np.ndarray
    rho_Delta: np.ndarray
    eps: float
    bath: StarBath | None = None
    fit: FitReport | None = None
    eta: float = 0.0


def auto_eta(bath: StarBath) -> float:
    """Default broadening: the median spacing of the levels that carry the bath, at least 1 % of its scale.

    One spacing makes the Lorentzian comb smooth (relative ripple ``~exp(-2 pi eta / spacing)``) on the
    scale on which the network reads ``rho_Delta``; the price is a shift ``Delta(iw_n) -> Delta(i(w_n + eta))``
    of the reproduced input, an error of order ``eta |dDelta/dw|`` at low frequency (see ``doc/solver.md``).

    The levels that count carry weight (``V_k^2`` above ``1e-6`` of ``sum V^2``) and lie within
    ``_ETA_WINDOW`` standard deviations of the bath's mean energy (``V^2``-weighted): the few light levels
    a fit places far out, with spacings of tens of energy units, would otherwise set ``eta`` for the whole
    comb and push its Lorentzian tails off the real mesh (issue 17: eta 0.875 instead of ~0.2).
    """
    scale = np.sqrt(bath.total_weight)
    weight = bath.V**2
    mean = float(weight @ bath.eps) / bath.total_weight
    width = np.sqrt(float(weight @ (bath.eps - mean) ** 2) / bath.total_weight)
    carrying = (weight > _LEVEL_WEIGHT * bath.total_weight) & (np.abs(bath.eps - mean) <= _ETA_WINDOW * width)
    levels = bath.eps[carrying]
    spacing = float(np.median(np.diff(levels))) if levels.size > 1 else scale
    return max(_ETA_PER_SPACING * spacing, _ETA_MIN_FRACTION * scale)


def _check_on_mesh(name: str, w: np.ndarray, rho: np.ndarray, total: float) -> None:
    on_mesh = float(spectral_norm(w, rho))
    if on_mesh < (1 - _LOST_WEIGHT) * total:
        raise ValueError(
            f"{name}: {1 - on_mesh / total:.1%} of the hybridization weight sum V^2 = {total:.4g} lies outside the "
            f"real mesh [{w[0]:.4g}, {w[-1]:.4g}]; widen it with the Solver arguments w_min and w_max"
        )


def hybridization_from_g0_iw(
    mesh: MeshImFreq,
    G0_iw,
    w: np.ndarray,
    n_bath: int,
    eta: float | None = None,
    name: str = "G0_iw",
    start: WarmStart | None = None,
) -> RealAxisHybridization:
    """Fit one block of ``G0_iw`` and give its hybridization on the real frequencies ``w``.

    Parameters
    ----------
    mesh : MeshImFreq
        The fermionic Matsubara mesh of ``G0_iw``.
    G0_iw : array_like of complex, shape (2 n_iw,) or (2 n_iw, 1, 1)
        ``G0(iw_n) = 1/(iw_n - eps - Delta(iw_n))`` of one spin block (1/energy).
    w : ndarray, shape (n_w,)
        The real mesh (energy unit).
    n_bath : int
        Largest number of bath levels of the fit.
    eta : float, optional
        Lorentzian broadening (energy unit, > 0); default :func:`auto_eta`.
    name : str
        Used in error messages, e.g. ``"G0_iw['up']"``.
    start : WarmStart, optional
        The previous solve's bath of this block (:func:`next_warm_start`): the fit starts from it
        (``bath.fit_star_bath``'s ``start``) and falls back to a fit from scratch if that ends worse than
        ``start.rtol``; a start that reproduces the data within ``start.keep_rtol`` is kept unrefined.

    Raises
    ------
    ValueError
        If ``G0_iw`` is not finite, not causal, has no hybridization, or the broadened bath does not fit
        on ``w``; messages start with ``name``.
    """
    data = np.asarray(G0_iw)
    if not np.all(np.isfinite(data)):
        bad = int(np.flatnonzero(~np.isfinite(data.ravel()))[0])
        raise ValueError(f"{name} must be finite; got {data.ravel()[bad]} at data index {bad} (NaN or inf)")
    try:
        Delta_iw, eps = hybridization_from_g0(mesh, data)
        warm = {} if start is None else {"start": start.bath, "start_rtol": start.rtol, "keep_rtol": start.keep_rtol}
        bath, report = fit_star_bath(mesh, Delta_iw, n_levels=n_bath, **warm)
    except ValueError as err:
        raise ValueError(f"{name}: {err}") from err
    if eta is None:
        eta = auto_eta(bath)
    else:
        eta = real_number("eta", eta, unit="energy unit", minimum=0.0, minimum_open=True)
    last = None if start is None else start.real_axis
    if report.kept and last is not None and last.eta == eta and np.array_equal(last.w, w):
        # the bath of the last solve, unchanged: so are its rho_Delta and Delta_w on the mesh (checked then)
        return RealAxisHybridization(last.Delta_w, last.rho_Delta, float(eps), bath, report, float(eta))
    rho = np.clip(-hybridization_real_axis(bath, w, eta).imag / np.pi, 0.0, None)
    _check_on_mesh(name, w, rho, bath.total_weight)
    # Delta_w is the hybridization the impurity is solved with: rho_Delta on the mesh (the Lorentzian tails
    # beyond it cut off), Re Delta_w by Kramers-Kronig, exactly as the impurity solvers see it
    return RealAxisHybridization(kramers_kronig_operator(w)(rho), rho, float(eps), bath, report, float(eta))


@dataclass(frozen=True)
class LastRealAxis:
    """The real-axis hybridization of a warm start's bath: the mesh, broadening and arrays it was computed with."""

    w: np.ndarray
    eta: float
    Delta_w: np.ndarray
    rho_Delta: np.ndarray


@dataclass(frozen=True)
class WarmStart:
    """The bath a block's next fit starts from, and the deviations (max relative, of ``Delta(iw_n)``) it may end at.

    ``rtol`` is ``_WARM_FACTOR`` = 2 times the deviation of the last fit from scratch (at least
    ``_WARM_RTOL`` = 1e-5): warm fits may not drift above what a cold fit reached, however many follow.
    ``keep_rtol`` is the deviation of the fit that produced ``bath`` (cold or warm, on its own data): a next
    input that the bath reproduces as well is not refined at all (``bath.fit_star_bath``'s ``keep_rtol``; the
    repeated solve of one problem, a loop whose input moved less than the fit's accuracy). ``real_axis``: that
    bath's hybridization on the real mesh, reused while the bath is kept (same mesh and broadening).
    """

    bath: StarBath
    rtol: float
    keep_rtol: float = 0.0
    real_axis: LastRealAxis | None = None


def _frozen(x):
    """A read-only copy of an array (the next solve reuses it as its input), a float as it is."""
    if not isinstance(x, np.ndarray):
        return x
    copy = x.copy()
    copy.flags.writeable = False
    return copy


def next_warm_start(w: np.ndarray, hyb: RealAxisHybridization, previous: WarmStart | None) -> WarmStart | None:
    """The :class:`WarmStart` for the next solve of a block after the fit ``hyb`` on the real mesh ``w`` (None for a
    real-axis input)."""
    if hyb.bath is None or hyb.fit is None:
        return None
    if hyb.fit.kept and previous is not None:  # the bath, and the accuracy of the fit that made it, carry over
        return previous
    real_axis = LastRealAxis(*(_frozen(x) for x in (w, hyb.eta, hyb.Delta_w, hyb.rho_Delta)))
    if hyb.fit.warm and previous is not None:
        return WarmStart(hyb.bath, previous.rtol, hyb.fit.max_rel_error, real_axis)
    rtol = max(_WARM_RTOL, _WARM_FACTOR * hyb.fit.max_rel_error)
    return WarmStart(hyb.bath, rtol, hyb.fit.max_rel_error, real_axis)


def hybridization_from_delta_w(w: np.ndarray, Delta_w, eps: float, name: str = "Delta_w") -> RealAxisHybridization:
    """Check the caller's retarded hybridization of one block on the real mesh ``w``.

    Raises
    ------
    ValueError
        If ``Delta_w`` is not finite, is zero, or is not causal (``-Im Delta_w < 0`` beyond rounding).
    """
    data = np.asarray(Delta_w).reshape(-1)
    if not np.all(np.isfinite(data)):
        bad = int(np.flatnonzero(~np.isfinite(data))[0])
        raise ValueError(f"{name} must be finite; got {data[bad]} at w = {w[bad]:.6g}")
    rho = -data.imag / np.pi
    if not rho.max() > 0:
        raise ValueError(f"{name} must have a hybridization (-Im Delta_w / pi > 0 somewhere); got max {rho.max():.3g}")
    worst = int(np.argmin(rho))
    if rho[worst] < -_CAUSALITY_RTOL * np.abs(data).max():
        raise ValueError(
            f"{name} is not causal: -Im Delta(w) / pi must be >= 0; got {rho[worst]:.6g} at w = {w[worst]:.6g}"
        )
    return RealAxisHybridization(data.astype(complex), np.clip(rho, 0.0, None), float(eps))


def _bound_states(w: np.ndarray, Delta_w: np.ndarray, eps: float) -> list[tuple[float, float]]:
    """``(w_b, Z)`` of the real poles of ``G0 = 1/(w - eps - Delta_w)`` where ``pi rho_Delta`` is below the step.

    A pole is a zero of ``d = Re(w - eps - Delta_w)`` on such a mesh point, or a change of sign between two
    such neighbours (``w_b`` by linear interpolation); its weight ``Z = 1 / |dd/dw|`` from the same two
    points, or from ``numpy.gradient`` for a zero on a mesh point.
    """
    d = (w - eps - Delta_w).real
    slope = np.gradient(d, w)
    unresolved = -Delta_w.imag < pole_width(w, Delta_w, eps)  # where impurity.g0_real_axis broadens the pole
    states = [(float(w[i]), float(1 / abs(slope[i]))) for i in np.flatnonzero(unresolved & (d == 0))]
    for i in np.flatnonzero(unresolved[:-1] & unresolved[1:] & (d[:-1] * d[1:] < 0)):
        states.append(
            (
                float(w[i] - d[i] * (w[i + 1] - w[i]) / (d[i + 1] - d[i])),
                float(abs(w[i + 1] - w[i]) / abs(d[i + 1] - d[i])),
            )
        )
    return sorted(states)


def real_mesh_warnings(w: np.ndarray, hyb: RealAxisHybridization) -> list[str]:
    """Messages (empty if none) for the features of a hybridization that the real mesh ``w`` resolves poorly.

    - bound states: real poles of ``G0`` outside the bath's support. ``G0_w`` shows each as a Lorentzian
      of the mesh step's width (``impurity.g0_real_axis``); ``A`` has a delta peak there that no mesh resolves,
      so the solve spreads or misses that weight (the exact U = 0 solver misses it, and ``A`` is then
      normalised to 1 without it);
    - a bath whose rms width spans fewer than ``_MIN_STEPS_PER_WIDTH`` = 10 mesh steps: the U = 0 ``A`` of a
      semicircle is then off by ~2 % of its maximum (measured 1.9 % at 6 steps, 0.9 % at 25);
    - a caller's ``Delta_w`` that does not vanish at the mesh ends (above ``_EDGE_WEIGHT`` = 1e-3 of its
      maximum): the bath is cut off there. (A fitted bath is checked by its weight on the mesh instead.)
    """
    messages = []
    states = _bound_states(w, hyb.Delta_w, hyb.eps)
    if states:
        listed = ", ".join(f"w = {position:.4g} (weight ~{weight:.2g})" for position, weight in states)
        messages.append(
            f"G0 has {len(states)} bound state(s) outside the bath's support, {listed}: a delta peak that the real "
            f"mesh (step {w[1] - w[0]:.3g}) does not resolve; G0_w shows it with the width of one step, and A "
            "spreads or misses its weight (the exact U = 0 solver misses it)"
        )
    norm, first, second = spectral_moments(w, hyb.rho_Delta)
    width = np.sqrt(max(second / norm - (first / norm) ** 2, 0.0))
    steps = width / float(np.max(np.diff(w)))
    if steps < _MIN_STEPS_PER_WIDTH:
        messages.append(
            f"the bath's rms width {width:.3g} spans only {steps:.3g} steps of the real mesh (fewer than "
            f"{_MIN_STEPS_PER_WIDTH:g}): A and the real-axis functions are accurate to a few percent at best; "
            "use more points n_w or a narrower window w_min, w_max"
        )
    edge = float(max(hyb.rho_Delta[0], hyb.rho_Delta[-1]) / hyb.rho_Delta.max())
    if hyb.bath is None and edge > _EDGE_WEIGHT:
        messages.append(
            f"rho_Delta = -Im Delta_w / pi at the ends of the real mesh [{w[0]:.4g}, {w[-1]:.4g}] is {edge:.2g} of "
            "its maximum: the bath is cut off there; widen w_min, w_max"
        )
    return messages
