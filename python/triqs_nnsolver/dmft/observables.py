"""Observables of a converged (or last) DMFT iterate on the real axis, T = 0.

All functions take the uniform or non-uniform real-frequency grid ``w`` (energy, strictly increasing)
and spectral functions sampled on it, piecewise linear between samples and zero outside
(``METHOD.md`` sections 1 and 4). G, Sigma, the density and Z are the impurity layer's (``impurity.outputs``,
the same definitions as the Solver's):

- ``G(w)`` from ``A`` by Kramers-Kronig; ``Delta = weight * G_bath`` with ``G_bath`` the Kramers-Kronig transform of
  the normalized bath of the last iteration (the bath the impurity was solved in; ``weight = int rho_Delta``, ``t^2``
  on the Bethe lattice, where the normalized bath is the input A); ``Sigma = w - eps_d - Delta - 1/G`` (Dyson);
- ``Z = 1 / (1 - d Re Sigma / dw |_0)``, the slope from a least-squares line through ``Re Sigma`` on
  ``|w| <= window``;
- ``A(0)`` by linear interpolation (the grid has no point at 0);
- ``n = 2 int_{-inf}^0 A`` (both spins) of the piecewise-linear A;
- the double occupancy from the Galitskii-Migdal formula at T = 0,
  ``U <n_up n_dn> = (1/2) sum_s int_{-inf}^0 (-1/pi) Im[Sigma(w) G(w)] dw``, evaluated as
  ``Im[(w - eps_d - Delta) G]`` so that no ``1/G`` enters (an estimate: it inherits the solver's error,
  divided by U).

What is not: lattice quantities beyond the local ones, finite temperature. Layer: ``dmft``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..gf import retarded_from_spectral, spectral_norm
from ..impurity import density, integral_below_fermi_level, quasiparticle_weight, real_axis_functions

__all__ = [
    "DMFTObservables",
    "BetheObservables",
    "spectral_at_fermi_level",
    "density_from_spectral",
    "quasiparticle_weight",
    "double_occupancy",
    "dmft_observables",
    "bethe_observables",
]


def spectral_at_fermi_level(w, A) -> float:
    """``A(0)`` (1/energy) by linear interpolation; the half-filled Bethe metal has ``A(0) = 2 / (pi D)``."""
    return float(np.interp(0.0, np.asarray(w, dtype=float), np.asarray(A, dtype=float)))


def density_from_spectral(w, A) -> float:
    """Electrons per site, both spins: ``n = 2 int_{-inf}^0 A(w) dw``, twice ``impurity.density`` at T = 0."""
    return 2.0 * density(w, A)


def double_occupancy(w, G, Delta, eps_d: float, U: float, density: float) -> float:
    """``<n_up n_dn>`` from the Galitskii-Migdal formula (module docstring); ``(n/2)^2`` at U = 0 (exact).

    ``G`` and ``Delta`` are the retarded impurity functions on ``w``; ``density`` is ``n`` (both spins).
    """
    if U == 0:
        return (density / 2) ** 2
    w = np.asarray(w, dtype=float)
    integrand = -np.imag((w - eps_d - np.asarray(Delta)) * np.asarray(G)) / np.pi  # per spin
    return integral_below_fermi_level(w, integrand) / U  # (1/2) sum over 2 spins = 1 spin


@dataclass(frozen=True)
class DMFTObservables:
    """Real-axis functions and scalars of one DMFT iterate (energies in the unit of D).

    Attributes
    ----------
    G_w, Delta_w, Sigma_w : ndarray of complex, shape (n_w,)
        Retarded impurity Green's function (1/energy), hybridization and self-energy (energy).
    A0 : float
        ``A(0)`` (1/energy).
    Z : float
        Quasiparticle weight (NaN where undefined).
    density : float
        ``n`` per site, both spins.
    double_occupancy : float
        ``<n_up n_dn>`` (Galitskii-Migdal estimate).
    norm : float
        ``int A`` on the grid (1 for an exact answer; the network's deviation is a check of its accuracy).
    """

    G_w: np.ndarray
    Delta_w: np.ndarray
    Sigma_w: np.ndarray
    A0: float
    Z: float
    density: float
    double_occupancy: float
    norm: float


BetheObservables = DMFTObservables  # the name of the Bethe-only driver, kept for callers


def dmft_observables(w, A, A_bath, eps_d: float, U: float, weight: float, z_window: float) -> DMFTObservables:
    """All observables of the iterate whose bath was ``rho_Delta = weight * A_bath`` and whose answer is ``A``.

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Real frequencies (energy).
    A : array_like, shape (n_w,)
        Impurity spectral function, the solver's answer (1/energy).
    A_bath : array_like, shape (n_w,)
        The normalized bath, ``rho_Delta = weight * A_bath`` (on the Bethe lattice the input A, equal to A at the
        fixed point).
    eps_d, U : float
        Impurity level and interaction (energy).
    weight : float
        ``int rho_Delta`` (energy^2): ``t^2`` on the Bethe lattice, ``Lattice.hybridization_weight``.
    z_window : float
        Fit window of Z (energy), see :func:`quasiparticle_weight`.
    """
    w = np.asarray(w, dtype=float)
    A = np.asarray(A, dtype=float)
    Delta_w = weight * retarded_from_spectral(w, np.asarray(A_bath, dtype=float))
    G_w, _, Sigma_w = real_axis_functions(w, A, Delta_w, eps_d)
    density = density_from_spectral(w, A)
    return DMFTObservables(
        G_w=G_w,
        Delta_w=Delta_w,
        Sigma_w=Sigma_w,
        A0=spectral_at_fermi_level(w, A),
        Z=quasiparticle_weight(w, Sigma_w, z_window),
        density=density,
        double_occupancy=double_occupancy(w, G_w, Delta_w, eps_d, U, density),
        norm=float(spectral_norm(w, A)),
    )


def bethe_observables(w, A, A_bath, eps_d: float, U: float, t: float, z_window: float) -> DMFTObservables:
    """:func:`dmft_observables` of the Bethe lattice with hopping t (``Delta = t^2 G[A_bath]``)."""
    return dmft_observables(w, A, A_bath, eps_d, U, t * t, z_window)
