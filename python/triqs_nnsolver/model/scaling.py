"""Energy-scale covariance: map a user's impurity problem into the model's energy unit and back.

Scaling every energy by ``s`` (``w``, ``U``, ``eps_d``, ``Delta``) maps the spectral function to
``A(w) -> A(w/s)/s`` (``METHOD.md`` section 1). The model works in the unit in which the
hybridization has the total weight of the reference Bethe bath of half-bandwidth D = 1:
``int rho_Delta = t^2 = 1/4``. For a user problem with ``int rho_Delta = W`` the scale is therefore
``s = 2 sqrt(W)`` (s = D for a Bethe bath of half-bandwidth D), and in model units

    w' = w / s,   U' = U / s,   eps_d' = eps_d / s,   rho_Delta'(w') = rho_Delta(s w') / s,
    A(w) = A'(w / s) / s.

Layer: ``model``; numpy only.
"""

from __future__ import annotations

import numpy as np

from ..gf import spectral_norm

__all__ = ["REFERENCE_HYBRIDIZATION_WEIGHT", "energy_scale", "to_model_units", "spectral_from_model_units"]

REFERENCE_HYBRIDIZATION_WEIGHT = 0.25  # int rho_Delta of the Bethe bath with D = 1 (t = 1/2), model units


def energy_scale(w, rho_Delta) -> float:
    """The scale ``s = sqrt(int rho_Delta / 0.25)`` that maps the hybridization to the model's unit.

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Increasing real frequencies (user energy unit).
    rho_Delta : array_like, shape (n_w,)
        ``-Im Delta(w) / pi >= 0`` on ``w``.

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


def to_model_units(scale: float, w_model, w, rho_Delta, U: float, eps_d: float):
    """Express a user problem in model units, with rho_Delta interpolated onto the model grid.

    Parameters
    ----------
    scale : float
        The energy scale s (user units per model unit), e.g. from :func:`energy_scale`.
    w_model : array_like, shape (n_model,)
        The model grid (model units).
    w, rho_Delta : array_like, shape (n_w,)
        The user's hybridization density on increasing frequencies (user units); zero outside ``w``.
    U, eps_d : float
        Interaction and impurity level (user units).

    Returns
    -------
    rho_model : ndarray, shape (n_model,)
        ``rho_Delta(s w') / s`` on the model grid.
    U_model, eps_d_model : float
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive; got scale = {scale!r}")
    w = np.asarray(w, dtype=float)
    rho_model = np.interp(scale * np.asarray(w_model, dtype=float), w, np.asarray(rho_Delta, dtype=float), 0.0, 0.0)
    return rho_model / scale, U / scale, eps_d / scale


def spectral_from_model_units(scale: float, w_model, A_model, w):
    """``A(w) = A'(w / s) / s``: the model's answer on the user's frequencies (zero outside the model grid)."""
    if not scale > 0:
        raise ValueError(f"scale must be positive; got scale = {scale!r}")
    return np.interp(np.asarray(w, dtype=float) / scale, w_model, A_model, 0.0, 0.0) / scale
