"""The Solver's outputs of one spin block: the impurity layer's Green's functions plus the input-side ``Delta``.

Every Green's function of the solution comes from the one output path of the impurity layer
(:func:`triqs_nnsolver.impurity.green_functions`: ``G_w``, ``G0_w``, ``Sigma_w``, ``Sigma_iw``, ``G_iw`` by Dyson
with the caller's ``G0_iw``, ``G_tau``, ``G_l``, the density). What this module adds is the input side of a
solve: ``Delta_w`` as the impurity saw it, and ``Delta_tau`` from the fitted star bath, or from ``rho_Delta`` for
a real-axis input.

Layer: ``solver``; numpy and scipy.
"""

from __future__ import annotations

import numpy as np

from ..bath import StarBath
from ..gf import MeshImFreq, MeshImTime, tau_from_spectral
from ..impurity import green_functions
from .hybridization import RealAxisHybridization

__all__ = ["delta_tau_from_bath", "block_outputs"]

_TAU_CHUNK = 256  # tau points per call of tau_from_spectral: its work arrays are (chunk, n_w)


def delta_tau_from_bath(bath: StarBath, beta: float, tau) -> np.ndarray:
    """``Delta(tau) = -sum_k V_k^2 exp(-eps_k tau) / (1 + exp(-beta eps_k))`` on [0, beta], overflow-free."""
    t = np.asarray(tau, dtype=float)[:, None]
    e = bath.eps[None, :]
    positive = np.exp(-np.maximum(e, 0) * t) / (1 + np.exp(-beta * np.maximum(e, 0)))
    negative = np.exp(np.minimum(e, 0) * (beta - t)) / (1 + np.exp(beta * np.minimum(e, 0)))
    return -(np.where(e >= 0, positive, negative) @ bath.V**2)


def _tau_from_spectral_chunked(w, rho, beta, tau) -> np.ndarray:
    return np.concatenate(
        [tau_from_spectral(w, rho, beta, tau[i : i + _TAU_CHUNK]) for i in range(0, tau.size, _TAU_CHUNK)]
    )


def block_outputs(
    w: np.ndarray,
    A: np.ndarray,
    hyb: RealAxisHybridization,
    hartree: float,
    mesh_iw: MeshImFreq,
    mesh_tau: MeshImTime,
    G0_iw: np.ndarray | None,
    n_l: int | None,
) -> dict[str, np.ndarray]:
    """Every output of one spin block, as complex 1-d arrays on their meshes (see the module docstring).

    Parameters
    ----------
    w : ndarray, shape (n_w,)
        The real mesh (energy unit).
    A : ndarray, shape (n_w,)
        ``A(w) >= 0`` with ``int A = 1`` (1/energy), solved with the bath ``hyb.Delta_w``.
    hyb : RealAxisHybridization
        The hybridization and input impurity level ``eps`` of the solve.
    hartree : float
        ``Sigma_inf = U n + level shift of h_int`` (energy unit), the constant of the self-energy.
    mesh_iw, mesh_tau : MeshImFreq, MeshImTime
        Output meshes.
    G0_iw : ndarray of complex, shape (2 n_iw,), or None
        The input G0 (G0_iw path); None: built from ``rho_Delta`` (Delta_w path).
    n_l : int or None
        Number of Legendre coefficients, or None for no ``G_l``.

    Returns
    -------
    dict
        ``A_w, G_w, G0_w, Sigma_w, Delta_w, G_iw, G0_iw, Sigma_iw, G_tau, Delta_tau`` (and ``G_l``), plus
        the float ``density`` (per spin, ``impurity.density`` at the mesh's beta) and ``causality_clip``: the
        weight (energy unit) of ``-Im Sigma_w / pi < 0`` removed before the Matsubara transform.
    """
    out = green_functions(w, A, hyb.Delta_w, hyb.eps, hartree, mesh_iw, mesh_tau, G0_iw, n_l)
    tau = mesh_tau.points
    if hyb.bath is not None:
        Delta_tau = delta_tau_from_bath(hyb.bath, mesh_iw.beta, tau)
    else:
        Delta_tau = _tau_from_spectral_chunked(w, hyb.rho_Delta, mesh_iw.beta, tau)
    return {**out, "Delta_w": hyb.Delta_w, "Delta_tau": Delta_tau.astype(complex)}
