"""The output path of the Solver: every Green's function of one spin block from the real-axis ``A(w)``.

Given ``A(w)`` normalised to ``int A = 1`` on the real mesh and the hybridization the solve used
(:mod:`.hybridization`), with ``METHOD.md`` section 1 conventions and the exact transforms of ``gf``
(no Fourier transform of noisy data, no tail fit):

- real axis, for the bath the impurity was solved with (``Delta_w``): ``G_w = PV int A / (w - w') - i pi A``
  (Kramers-Kronig), ``Sigma_w = w - eps - Delta_w - 1/G_w`` (Dyson) and ``G0_w = 1/(w - eps - Delta_w)``,
  evaluated at ``w + i h`` (``h`` the mesh step) where the bath is too thin to broaden a pole
  (:func:`g0_real_axis`);
- Matsubara axis, for the caller's ``G0_iw``: ``Sigma_iw = Sigma_inf + int rho_Sigma(w) / (iw_n - w) dw`` with
  ``rho_Sigma = -Im Sigma_w / pi >= 0`` and the Hartree constant ``Sigma_inf = U n + (one-body terms of h_int)``,
  then ``G_iw = 1/(1/G0_iw - Sigma_iw)``. So ``Sigma_iw = inverse(G0_iw) - inverse(G_iw)`` holds exactly
  (cthyb's convention, ``TRIQS.md`` section 1.3), the tail of ``G_iw`` is exact (``1/iw_n`` times 1, then the
  moments of G0 and Sigma), and at U = 0 ``G_iw = G0_iw`` whatever broadening the bath fit needed: the
  broadening enters only through the self-energy, which it changes at second order;
- ``G_tau`` from ``G_iw`` with its tail done analytically (``gf.tau_from_matsubara``), the density
  ``n = -G(beta)``, ``G_l`` by Gauss-Legendre quadrature of ``G(tau)``;
- ``Delta_tau`` from the fitted star bath, or from ``rho_Delta`` for a real-axis input.

Layer: ``solver``; numpy and scipy.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import trapezoid

from ..bath import StarBath
from ..gf import (
    MeshImFreq,
    MeshImTime,
    hilbert_transform,
    retarded_from_spectral,
    tail_moments,
    tau_from_matsubara,
    tau_from_spectral,
)
from .hybridization import RealAxisHybridization

__all__ = ["legendre_from_matsubara", "delta_tau_from_bath", "g0_real_axis", "block_outputs"]

_TAU_CHUNK = 256  # tau points per call of tau_from_spectral: its work arrays are (chunk, n_w)
_LEGENDRE_NODES_PER_UNIT = 2.0  # Gauss nodes per unit of beta * max|w|: G(tau) varies as exp(-|w| tau)
_LEGENDRE_MAX_NODES = 4000


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


def _tau_from_iw(mesh_iw: MeshImFreq, G_iw: np.ndarray, tau) -> np.ndarray:
    """``G(tau)`` of a normalised ``G_iw`` (``c_1 = 1``; ``c_2``, ``c_3`` from its tail, ``gf.tail_moments``)."""
    c = tail_moments(mesh_iw.iw, G_iw, 3)
    return tau_from_matsubara(G_iw, mesh_iw.beta, tau, 1.0, c[1], c[2]).real


def legendre_from_matsubara(mesh_iw: MeshImFreq, G_iw: np.ndarray, n_l: int, w_max: float) -> np.ndarray:
    """``G_l = sqrt(2l+1) int_0^beta P_l(2 tau/beta - 1) G(tau) dtau`` (TRIQS ``MeshLegendre``), l < n_l.

    ``G(tau)`` (from ``G_iw``, :func:`_tau_from_iw`) is integrated by Gauss-Legendre quadrature in
    ``x = 2 tau / beta - 1``. It varies like ``exp(-|w| tau)`` for spectral weight at ``w``, so the number of
    nodes grows with ``beta * w_max`` (``w_max``: the largest |w| of the spectrum, energy unit): 2 per unit,
    at least ``4 n_l``, at most 4000. Real, shape (n_l,); ``G_0 = -beta/2`` for ``A = delta(w)``.
    """
    beta = mesh_iw.beta
    n_nodes = int(min(_LEGENDRE_MAX_NODES, max(4 * n_l, _LEGENDRE_NODES_PER_UNIT * beta * w_max)))
    x, weights = np.polynomial.legendre.leggauss(n_nodes)
    G_tau = _tau_from_iw(mesh_iw, G_iw, beta * (x + 1) / 2)
    legendre = np.polynomial.legendre.legvander(x, n_l - 1)  # (n_nodes, n_l): P_l(x)
    orders = np.arange(n_l)
    return np.sqrt(2 * orders + 1) * (beta / 2) * ((weights * G_tau) @ legendre)


def g0_real_axis(w: np.ndarray, Delta_w: np.ndarray, eps: float) -> np.ndarray:
    """``G0(w) = 1/(w - eps - Delta(w))`` on the real mesh, with poles outside the bath given the mesh step as width.

    With ``d(w) = w - eps - Delta_w``, ``Im d = pi rho_Delta``. Where it is below ``h |dRe d/dw|`` (``h`` the
    local mesh step, the slope at least 1), it is replaced by that value: there ``G0_w`` is ``G0(w + i h)`` to
    first order in ``h``. A real pole outside the bath's support, a bound state ``Z / (w - w_b + i0+)``, so
    becomes ``Z / (w - w_b + i h)``: a Lorentzian of the step's width and of weight ``Z``, which the mesh
    resolves (the trapezoid rule gives ``Z coth(pi)``, 0.4 % high, for one centred on a mesh point),
    instead of a division by zero or a huge real value next to ``w_b``. Where ``pi rho_Delta`` is larger
    (inside the band) ``G0_w`` is unchanged; elsewhere the change is ``h |d'| |G0|^2``.

    Parameters
    ----------
    w : ndarray, shape (n_w,)
        Increasing real frequencies (energy unit).
    Delta_w : ndarray of complex, shape (n_w,)
        Retarded hybridization on ``w`` (energy unit), ``Im Delta_w <= 0``.
    eps : float
        Impurity level (energy unit).

    Returns
    -------
    ndarray of complex, shape (n_w,)
        ``G0_w`` (1/energy), finite at every mesh point.
    """
    d = w - eps - Delta_w
    width = np.gradient(w) * np.maximum(np.abs(np.gradient(d.real, w)), 1.0)
    return 1.0 / (d.real + 1j * np.maximum(d.imag, width))


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
        the float ``density`` (per spin) and ``causality_clip``: the weight (energy unit) of
        ``-Im Sigma_w / pi < 0`` removed before the Matsubara transform (0 for a causal solution).
    """
    G_w = retarded_from_spectral(w, A)
    G0_w = g0_real_axis(w, hyb.Delta_w, hyb.eps)
    # Dyson with the bare denominator: a bound state of G0 leaves Sigma_w untouched (at U = 0, Sigma_w = 0)
    Sigma_w = (w - hyb.eps - hyb.Delta_w) - 1.0 / G_w
    rho_Sigma = -Sigma_w.imag / np.pi
    positive = np.clip(rho_Sigma, 0.0, None)
    clipped = float(trapezoid(positive - rho_Sigma, w))
    iw = mesh_iw.iw
    if G0_iw is None:
        G0_iw = 1.0 / (iw - hyb.eps - hilbert_transform(w, hyb.rho_Delta, iw))
    G0_iw = np.asarray(G0_iw, dtype=complex)
    Sigma_iw = hartree + hilbert_transform(w, positive, iw)
    G_iw = 1.0 / (1.0 / G0_iw - Sigma_iw)
    tau = mesh_tau.points
    G_tau = _tau_from_iw(mesh_iw, G_iw, tau)
    if hyb.bath is not None:
        Delta_tau = delta_tau_from_bath(hyb.bath, mesh_iw.beta, tau)
    else:
        Delta_tau = _tau_from_spectral_chunked(w, hyb.rho_Delta, mesh_iw.beta, tau)
    out = {
        "A_w": A.astype(complex),
        "G_w": G_w,
        "G0_w": G0_w,
        "Sigma_w": Sigma_w,
        "Delta_w": hyb.Delta_w,
        "G_iw": G_iw,
        "G0_iw": G0_iw,
        "Sigma_iw": 1.0 / G0_iw - 1.0 / G_iw,
        "G_tau": G_tau.astype(complex),
        "Delta_tau": Delta_tau.astype(complex),
        "density": float(-G_tau[-1]),
        "causality_clip": clipped,
    }
    if n_l is not None:
        w_max = float(np.abs(w[[0, -1]]).max())
        out["G_l"] = legendre_from_matsubara(mesh_iw, G_iw, n_l, w_max).astype(complex)
    return out
