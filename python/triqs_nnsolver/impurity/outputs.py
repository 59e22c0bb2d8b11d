"""The one output path: from an impurity solution ``A(w)`` to every Green's function on both axes, n and Z.

Given the real-axis ``A(w)`` of an impurity solved in the bath ``Delta_w`` with level ``eps`` (``METHOD.md``
section 1; the exact transforms of ``gf``, no Fourier transform of noisy data, no tail fit):

- real axis: ``G_w = PV int A / (w - w') - i pi A`` (Kramers-Kronig), ``Sigma_w = w - eps - Delta_w - 1/G_w``
  (Dyson with the bare denominator, so a bound state of G0 leaves ``Sigma_w`` alone and ``Sigma_w = 0`` at
  U = 0), ``G0_w = 1/(w - eps - Delta_w)`` evaluated at ``w + i h`` where the bath is too thin to broaden a
  pole (:func:`g0_real_axis`);
- Matsubara axis: ``Sigma_iw = Sigma_inf + int rho_Sigma(w) / (iw_n - w) dw`` with ``rho_Sigma = -Im Sigma_w / pi
  >= 0`` and the Hartree constant ``Sigma_inf``, then ``G_iw = 1/(1/G0_iw - Sigma_iw)`` by Dyson. The tail of
  ``G_iw`` is then exact (``1/iw_n``, then the moments of G0 and Sigma), ``Sigma_iw = inverse(G0_iw) -
  inverse(G_iw)`` holds exactly (cthyb's convention, ``TRIQS.md`` section 1.3), and at U = 0 ``G_iw = G0_iw``.
  This is the definition both the Solver and DMFT use. The older DMFT formula ``G_iw = int A / (iw_n - w)``,
  ``Sigma_iw = iw_n - eps - Delta_iw - 1/G_iw`` turns any missing weight of A into ``Sigma ~ (1 - int A) iw_n``,
  a self-energy that grows without bound; here the self-energy keeps its constant tail whatever A's norm;
- ``G_tau`` from ``G_iw`` with its tail done analytically (``gf.tau_from_matsubara``), ``G_l`` by
  Gauss-Legendre quadrature of ``G(tau)``; the tail ``1/iw + c_2/iw^2 + c_3/iw^3`` itself is analytic
  (:func:`tail_of_g`: the level, ``Sigma_inf`` and the weights of ``rho_Delta`` and ``rho_Sigma``), computed
  once per solve, where the hybridization's weight is known;
- the density :func:`density`, ``n = int_{-inf}^0 A(w) dw`` per spin (T = 0, as the solvers are), used for the
  Hartree term, ``S.densities`` and DMFT; and the quasiparticle weight
  :func:`quasiparticle_weight` from the slope of ``Re Sigma_w`` at the Fermi level.

What is not here: the input side (bath fits, ``Delta_tau``), spin blocks and TRIQS objects (``solver``),
lattice self-consistency (``dmft``). Both transforms of ``A`` and ``rho_Sigma`` are the cached operators of
``gf.operators`` (built once per real and Matsubara mesh; equal to the dense ``gf.kramers_kronig`` formulas to
rounding), so a loop of solves on one mesh pays their set-up once.
Layer: ``impurity``; numpy and scipy.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import trapezoid

from ..gf import (
    MeshImFreq,
    MeshImTime,
    hilbert_operator,
    kramers_kronig_operator,
    sigma_real_axis,
    tail_moments,
    tau_from_matsubara,
)

__all__ = [
    "integral_below_fermi_level",
    "density",
    "quasiparticle_weight",
    "g0_real_axis",
    "pole_width",
    "real_axis_functions",
    "matsubara_functions",
    "tau_from_iw",
    "tail_of_g",
    "legendre_from_matsubara",
    "green_functions",
]

_LEGENDRE_NODES_PER_UNIT = 2.0  # Gauss nodes per unit of beta * max|w|: G(tau) varies as exp(-|w| tau)
_LEGENDRE_MAX_NODES = 4000


def integral_below_fermi_level(w: np.ndarray, f: np.ndarray) -> float:
    """``int_{w[0]}^{0} f`` for piecewise-linear samples ``f`` on increasing ``w`` (zero outside the grid), exact."""
    if w[0] >= 0:
        return 0.0
    k = int(np.searchsorted(w, 0.0, side="right"))  # w[:k] <= 0 < w[k:]
    x, y = w[:k], f[:k]
    if k < w.size:  # close the last bin at w = 0 with the interpolated value
        x, y = np.append(x, 0.0), np.append(y, np.interp(0.0, w, f))
    return float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(x)))


def density(w, A) -> float:
    """Occupation of one spin at T = 0, ``n = int_{-inf}^0 A(w) dw`` (dimensionless), exact for the piecewise-linear A.

    The one definition of the density for the Solver (``S.densities``, the Hartree term) and for DMFT: the impurity
    solvers are T = 0 solvers, and a Matsubara mesh's beta only sets where results are reported.
    """
    return integral_below_fermi_level(np.asarray(w, dtype=float), np.asarray(A, dtype=float))


def quasiparticle_weight(w, Sigma, window: float) -> float:
    """``Z = 1 / (1 - b)`` with ``b`` the slope of a least-squares line through ``Re Sigma`` on ``|w| <= window``.

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Real frequencies (energy).
    Sigma : array_like of complex, shape (n_w,)
        Retarded self-energy (energy).
    window : float
        Half-width of the fit window (energy); it must hold at least 2 points on each side of 0.

    Returns
    -------
    float
        Z (dimensionless): 1 at U = 0, small near the Mott transition, about 0 in the insulator (where
        ``Re Sigma ~ U^2 / (4 w)``). NaN when the slope is >= 1 (no quasiparticle: Z would be negative).

    Raises
    ------
    ValueError
        If the window holds fewer than 2 grid points on a side of w = 0.
    """
    w = np.asarray(w, dtype=float)
    inside = np.abs(w) <= window
    n_left, n_right = int(np.count_nonzero(inside & (w < 0))), int(np.count_nonzero(inside & (w > 0)))
    if min(n_left, n_right) < 2:
        raise ValueError(
            f"z_window must hold >= 2 grid points on each side of w = 0; got z_window = {window!r} with "
            f"{n_left} and {n_right} points (grid spacing near 0: {np.min(np.abs(np.diff(w))):.3g})"
        )
    slope = np.polyfit(w[inside], np.real(np.asarray(Sigma)[inside]), 1)[0]
    return float(1.0 / (1.0 - slope)) if slope < 1 else float("nan")


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
    return 1.0 / (d.real + 1j * np.maximum(d.imag, pole_width(w, Delta_w, eps)))


def pole_width(w: np.ndarray, Delta_w: np.ndarray, eps: float) -> np.ndarray:
    """``h |d Re(w - eps - Delta_w) / dw|`` (``h`` the local mesh step, the slope at least 1), energy unit.

    Where ``pi rho_Delta = Im(w - eps - Delta_w)`` is below it, the bath does not broaden a pole of ``G0`` on the
    mesh: :func:`g0_real_axis` gives the pole this width, and ``solver.hybridization`` reports a bound state there.
    """
    return np.gradient(w) * np.maximum(np.abs(np.gradient((w - eps - Delta_w).real, w)), 1.0)


def real_axis_functions(w, A, Delta_w, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(G_w, G0_w, Sigma_w)`` of the solution ``A`` in the bath ``Delta_w`` (module docstring), complex, (n_w,)."""
    w = np.asarray(w, dtype=float)
    G_w = kramers_kronig_operator(w)(np.asarray(A, dtype=float))
    return G_w, g0_real_axis(w, Delta_w, eps), sigma_real_axis(w, G_w, eps, Delta_w)


def matsubara_functions(w, Sigma_w, hartree: float, iw, G0_iw) -> tuple[np.ndarray, np.ndarray, float]:
    """``(G_iw, Sigma_iw, causality_clip)`` on the Matsubara frequencies ``iw`` (module docstring).

    ``Sigma_iw = hartree + int rho_Sigma / (iw_n - w)``, ``G_iw = 1/(1/G0_iw - Sigma_iw)``; ``causality_clip`` is
    the weight (energy unit) of ``-Im Sigma_w / pi < 0`` removed before the transform (0 for a causal solution).
    """
    rho_Sigma = -np.imag(Sigma_w) / np.pi
    positive = np.clip(rho_Sigma, 0.0, None)
    G0_iw = np.asarray(G0_iw, dtype=complex)
    Sigma_iw = hartree + hilbert_operator(w, iw)(positive)
    G_iw = 1.0 / (1.0 / G0_iw - Sigma_iw)
    return G_iw, 1.0 / G0_iw - 1.0 / G_iw, float(trapezoid(positive - rho_Sigma, w))


def tau_from_iw(mesh_iw: MeshImFreq, G_iw: np.ndarray, tau, moments: tuple[float, float] | None = None) -> np.ndarray:
    """``G(tau)`` of a normalised ``G_iw`` (``c_1 = 1``), real; ``moments`` = ``(c_2, c_3)`` of its tail if known.

    Without ``moments`` they are fitted to the tail of ``G_iw`` (``gf.tail_moments``); :func:`green_functions`
    passes the analytic ones (:func:`tail_of_g`).
    """
    if moments is None:
        c = tail_moments(mesh_iw.iw, G_iw, 3)
        moments = (c[1], c[2])
    return tau_from_matsubara(G_iw, mesh_iw.beta, tau, 1.0, *moments).real


def tail_of_g(level: float, delta_weight: float, sigma_inf: float, sigma_weight: float) -> tuple[float, float]:
    """``(c_2, c_3)`` of ``G = 1/(iw - level - Delta - Sigma)``: ``c_2 = a``, ``c_3 = a^2 + b`` (``c_1 = 1``).

    With ``a = level + sigma_inf`` (the constants of ``1/G0`` and ``Sigma``) and ``b = delta_weight + sigma_weight``
    (the ``1/iw`` coefficients of ``Delta`` and ``Sigma``: ``int rho_Delta``, ``int rho_Sigma``), from
    ``1/G = iw - a - b/iw + O(1/iw^2)``. Energy units: ``c_2`` energy, ``c_3`` energy^2.
    """
    a = level + sigma_inf
    return a, a * a + delta_weight + sigma_weight


def legendre_from_matsubara(
    mesh_iw: MeshImFreq, G_iw: np.ndarray, n_l: int, w_max: float, moments: tuple[float, float] | None = None
) -> np.ndarray:
    """``G_l = sqrt(2l+1) int_0^beta P_l(2 tau/beta - 1) G(tau) dtau`` (TRIQS ``MeshLegendre``), l < n_l.

    ``G(tau)`` (from ``G_iw``, :func:`tau_from_iw`) is integrated by Gauss-Legendre quadrature in
    ``x = 2 tau / beta - 1``. It varies like ``exp(-|w| tau)`` for spectral weight at ``w``, so the number of
    nodes grows with ``beta * w_max`` (``w_max``: the largest ``|w|`` of the spectrum, energy unit): 2 per unit,
    at least ``4 n_l``, at most 4000. ``moments``: the tail of ``G_iw``, as in :func:`tau_from_iw`. Real, shape
    (n_l,); ``G_0 = -beta/2`` for ``A = delta(w)``.
    """
    beta = mesh_iw.beta
    n_nodes = int(min(_LEGENDRE_MAX_NODES, max(4 * n_l, _LEGENDRE_NODES_PER_UNIT * beta * w_max)))
    x, weights = np.polynomial.legendre.leggauss(n_nodes)
    G_tau = tau_from_iw(mesh_iw, G_iw, beta * (x + 1) / 2, moments)
    legendre = np.polynomial.legendre.legvander(x, n_l - 1)  # (n_nodes, n_l): P_l(x)
    orders = np.arange(n_l)
    return np.sqrt(2 * orders + 1) * (beta / 2) * ((weights * G_tau) @ legendre)


def green_functions(
    w: np.ndarray,
    A: np.ndarray,
    Delta_w: np.ndarray,
    eps: float,
    hartree: float,
    mesh_iw: MeshImFreq,
    mesh_tau: MeshImTime | None = None,
    G0_iw: np.ndarray | None = None,
    n_l: int | None = None,
    delta_weight: float | None = None,
) -> dict:
    """Every Green's function of one spin block from the solution ``A`` (module docstring).

    Parameters
    ----------
    w : ndarray, shape (n_w,)
        The real mesh (energy unit).
    A : ndarray, shape (n_w,)
        ``A(w) >= 0`` (1/energy), solved in the bath ``Delta_w``.
    Delta_w : ndarray of complex, shape (n_w,)
        The retarded hybridization of the solve (energy unit); ``rho_Delta = -Im Delta_w / pi``.
    eps : float
        Impurity level (energy unit).
    hartree : float
        ``Sigma_inf`` (energy unit): ``U n_{-s}`` plus one-body terms of the interaction.
    mesh_iw : MeshImFreq
        Matsubara mesh of ``G_iw``, ``Sigma_iw``.
    mesh_tau : MeshImTime, optional
        Imaginary-time mesh of ``G_tau`` (none computed without it).
    G0_iw : ndarray of complex, shape (2 n_iw,), optional
        The caller's ``G0_iw`` (the input of a Matsubara solve); default ``1/(iw_n - eps - Delta(iw_n))`` from
        ``rho_Delta``.
    n_l : int, optional
        Number of Legendre coefficients of ``G_l`` (none without it).
    delta_weight : float, optional
        ``sum V^2``, the ``1/iw_n`` coefficient of the hybridization behind ``G0_iw`` (energy^2), e.g. the tail
        weight of a fit to the caller's data. With it (or without ``G0_iw``, where it is ``int rho_Delta``),
        the tail of ``G_iw`` for ``G_tau`` and ``G_l`` is the analytic :func:`tail_of_g`, computed once;
        without it, it is fitted to ``G_iw``.

    Returns
    -------
    dict
        Complex arrays ``A_w, G_w, G0_w, Sigma_w, G_iw, G0_iw, Sigma_iw`` (and ``G_tau``, ``G_l``), the floats
        ``density`` (per spin, T = 0) and ``causality_clip`` (:func:`matsubara_functions`).
    """
    G_w, G0_w, Sigma_w = real_axis_functions(w, A, Delta_w, eps)
    iw = mesh_iw.iw
    built_g0 = G0_iw is None
    if built_g0:
        G0_iw = 1.0 / (iw - eps - hilbert_operator(w, iw)(-np.imag(Delta_w) / np.pi))
    G_iw, Sigma_iw, clipped = matsubara_functions(w, Sigma_w, hartree, iw, G0_iw)
    moments = None
    if delta_weight is not None or built_g0:
        rho_Delta = -np.imag(Delta_w) / np.pi
        weight = float(trapezoid(rho_Delta, w)) if delta_weight is None else float(delta_weight)
        sigma_weight = float(trapezoid(np.clip(-np.imag(Sigma_w) / np.pi, 0.0, None), w))  # the transformed rho
        moments = tail_of_g(eps, weight, hartree, sigma_weight)
    out = {
        "A_w": np.asarray(A, dtype=complex),
        "G_w": G_w,
        "G0_w": G0_w,
        "Sigma_w": Sigma_w,
        "G_iw": G_iw,
        "G0_iw": np.asarray(G0_iw, dtype=complex),
        "Sigma_iw": Sigma_iw,
        "density": density(w, A),
        "causality_clip": clipped,
    }
    if mesh_tau is not None:
        out["G_tau"] = tau_from_iw(mesh_iw, G_iw, mesh_tau.points, moments).astype(complex)
    if n_l is not None:
        w_max = float(np.abs(w[[0, -1]]).max())
        out["G_l"] = legendre_from_matsubara(mesh_iw, G_iw, n_l, w_max, moments).astype(complex)
    return out
