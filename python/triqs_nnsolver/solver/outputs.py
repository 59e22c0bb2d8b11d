"""The Solver's outputs of one spin block: the impurity layer's Green's functions plus the input-side ``Delta``.

Every Green's function of the solution comes from the one output path of the impurity layer
(:func:`triqs_nnsolver.impurity.green_functions`: ``G_w``, ``G0_w``, ``Sigma_w``, ``Sigma_iw``, ``G_iw`` by Dyson
with the caller's ``G0_iw``, ``G_tau``, ``G_l``, the density). What this module adds is the input side of a
solve: ``Delta_w`` as the impurity saw it, and ``Delta_tau`` from the fitted star bath (closed form; on a uniform
``tau`` mesh each exponential is a product of two tabulated ones, :func:`delta_tau_from_bath`), or from
``rho_Delta`` for a real-axis input (the cached ``gf.spectral_tau_operator``, equal to the exact
``tau_from_spectral`` to ~1e-15 of ``int rho_Delta``).

Layer: ``solver``; numpy and scipy.
"""

from __future__ import annotations

import numpy as np

from ..bath import StarBath
from ..gf import MeshImFreq, MeshImTime, spectral_tau_operator
from ..impurity import green_functions
from .hybridization import RealAxisHybridization

__all__ = ["delta_tau_from_bath", "block_outputs"]

_UNIFORM_ATOL = 1e-12  # tau_k = k beta / M to this fraction of beta: the mesh is uniform


def _uniform_steps(tau: np.ndarray, beta: float) -> int:
    """M if ``tau`` is ``k beta / M``, k = 0 .. M (to 1e-12 beta), else 0."""
    M = tau.size - 1
    uniform = (
        tau.ndim == 1 and M >= 1 and np.allclose(tau, np.arange(M + 1) * (beta / M), rtol=0, atol=_UNIFORM_ATOL * beta)
    )
    return M if uniform else 0


def _decay_sums(rates: np.ndarray, weights: np.ndarray, step: float, M: int) -> np.ndarray:
    """``S_k = sum_e weights_e exp(-rates_e k step)``, k = 0 .. M, ``rates >= 0``; with ``k = q L + r``, a product.

    ``exp(-a (q L + r) step) = exp(-a q L step) exp(-a r step)``: two tables of ``~sqrt(M)`` exponentials per level
    and one (n_q, n_e) @ (n_e, L) product, each term within a few roundings of the direct exponential.
    """
    L = int(np.ceil(np.sqrt(M + 1)))
    n_q = -(-(M + 1) // L)
    outer = np.exp(-np.outer(np.arange(n_q) * (L * step), rates)) * weights  # (n_q, n_e)
    inner = np.exp(-np.outer(rates, np.arange(L) * step))  # (n_e, L)
    return (outer @ inner).ravel()[: M + 1]


def delta_tau_from_bath(bath: StarBath, beta: float, tau) -> np.ndarray:
    """``Delta(tau) = -sum_k V_k^2 exp(-eps_k tau) / (1 + exp(-beta eps_k))`` on [0, beta], overflow-free.

    Levels ``eps_k >= 0`` decay from ``tau = 0``, levels below from ``tau = beta``: ``exp(eps_k (beta - tau)) /
    (1 + exp(beta eps_k))``; every exponent is <= 0. On a uniform mesh (``tau_k = k beta / M``, as ``MeshImTime``)
    the exponentials come from :func:`_decay_sums` (O(n_tau) instead of O(n_tau n_bath) exponentials); the two
    agree to a few roundings (``test_outputs.py``).
    """
    t = np.asarray(tau, dtype=float)
    M = _uniform_steps(t, beta)
    if M:
        above = bath.eps >= 0
        e, V2 = np.abs(bath.eps), bath.V**2
        weights = V2 / (1 + np.exp(-beta * e))
        step = beta / M
        from_zero = _decay_sums(e[above], weights[above], step, M)
        from_beta = _decay_sums(e[~above], weights[~above], step, M)[::-1]  # at beta - tau_k = tau_{M - k}
        return -(from_zero + from_beta)
    t = t[:, None]
    e = bath.eps[None, :]
    positive = np.exp(-np.maximum(e, 0) * t) / (1 + np.exp(-beta * np.maximum(e, 0)))
    negative = np.exp(np.minimum(e, 0) * (beta - t)) / (1 + np.exp(beta * np.minimum(e, 0)))
    return -(np.where(e >= 0, positive, negative) @ bath.V**2)


def block_outputs(
    w: np.ndarray,
    A: np.ndarray,
    hyb: RealAxisHybridization,
    hartree: float,
    mesh_iw: MeshImFreq,
    mesh_tau: MeshImTime,
    G0_iw: np.ndarray | None,
    n_l: int | None,
    measure_G_tau: bool = True,
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
    measure_G_tau : bool
        False: no ``G_tau`` (``Delta_tau``, the input side, is always there).

    Returns
    -------
    dict
        ``A_w, G_w, G0_w, Sigma_w, Delta_w, G_iw, G0_iw, Sigma_iw, G_tau, Delta_tau`` (and ``G_l``), plus
        the float ``density`` (per spin, ``impurity.density`` at the mesh's beta) and ``causality_clip``: the
        weight (energy unit) of ``-Im Sigma_w / pi < 0`` removed before the Matsubara transform.
    """
    tau_mesh = mesh_tau if measure_G_tau else None
    delta_weight = hyb.fit.tail_weight if hyb.fit is not None else None  # c_1 of the caller's Delta(iw_n)
    out = green_functions(w, A, hyb.Delta_w, hyb.eps, hartree, mesh_iw, tau_mesh, G0_iw, n_l, delta_weight)
    tau = mesh_tau.points
    if hyb.bath is not None:
        Delta_tau = delta_tau_from_bath(hyb.bath, mesh_iw.beta, tau)
    else:
        Delta_tau = spectral_tau_operator(w, mesh_iw.beta, tau)(hyb.rho_Delta)
    return {**out, "Delta_w": hyb.Delta_w, "Delta_tau": Delta_tau.astype(complex)}
