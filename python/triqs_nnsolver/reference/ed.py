"""Exact diagonalization of the spinful single-impurity Anderson model at T = 0 (Lehmann representation).

The Hamiltonian (``METHOD.md`` section 1; energies in the problem's unit, measured from the Fermi level):

    H = sum_s eps_d n_ds + U n_d(up) n_d(dn) + sum_ks eps_k c+_ks c_ks + sum_ks V_k (d+_s c_ks + h.c.)

with a :class:`~triqs_nnsolver.bath.star.StarBath` ``{eps_k, V_k}``. Note the signs! ``V_k`` enters as
``+V_k d+ c``; only ``V_k^2`` matters for the impurity. ``U >= 0`` (repulsive). The orbital order and
the fermionic signs are those of :mod:`triqs_nnsolver.reference.fock` (impurity = orbital 0 of each
spin, all up modes before all down modes).

What it does: blocks H by the conserved ``(N_up, N_dn)``, finds the ground state over all sectors,
then diagonalizes the sectors reachable by ``d+_s`` and ``d_s`` *completely* (dense ``eigh``), so the
Lehmann representation holds every pole:

    G(z) = sum_m |<m|d+_s|0>|^2 / (z - (E_m - E0)) + sum_m |<m|d_s|0>|^2 / (z + (E_m - E0)),

returned as a particle :class:`~triqs_nnsolver.gf.poles.PoleSum` (energies ``E_m - E0 >= 0``) and a hole
one (energies ``E0 - E_m <= 0``). From these, :class:`SiamSolution` gives A(w) with a Lorentzian or
Gaussian broadening, G(iw_n), G(tau), and ``G>(z)``, ``G<(zbar)`` along the complex-time rays of
``METHOD.md`` section 2 with their alpha-derivatives.

Degenerate ground states (e.g. the spin doublet of an odd electron number, or a charge degeneracy
across N): the result is the T -> 0+ limit of the grand-canonical ensemble, the equal-weight average
over an orthonormal basis of every state within ``degeneracy_tol`` of the lowest energy, in all
sectors. Such states are assigned the energy E0 exactly, so a transition between two of them is a
pole at exactly 0 (it appears in both the particle and the hole part).

Ground-state search: one-body spectra bound each sector's lowest energy from below and above
(:func:`sector_energy_bounds`); only sectors whose lower bound lies under the best upper bound are
diagonalized (Lanczos for the lowest eigenvalue of large ones).

What it does not do: finite temperature, spin-dependent or complex couplings, more than
:data:`MAX_BATH` bath levels per spin, more than one impurity orbital.
Layer: ``reference`` (layer 1); imports ``gf`` and ``bath``; numpy and scipy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
import scipy.sparse.linalg

from ..bath.star import StarBath
from ..checks import real_number
from ..gf.poles import (
    PoleSum,
    greater_on_ray,
    lesser_on_ray,
    poles_on_complex,
    poles_retarded,
    poles_spectral,
    poles_tau,
)
from .fock import SpinfulSectors
from .free_fermions import single_particle_hamiltonian

__all__ = [
    "MAX_BATH",
    "SiamSolution",
    "solve_siam",
    "check_siam_input",
    "sector_energy_bounds",
    "pole_sum",
    "ground_state_occupations",
    "ground_state_solution",
]

logger = logging.getLogger(__name__)

MAX_BATH = 6
"""Most bath levels per spin: the largest sector diagonalized dense is 35^2 = 1225 states at 6 (about
0.4 s per ``eigh`` on one core), 70^2 = 4900 at 7 (about 25 s per ``eigh``, several per solve)."""

# Lehmann weights below this are round-off of weights that vanish by symmetry (spin, particle-hole):
# they come out near (1e-15)^2. Dropping them changes every moment by less than 1e-20 per pole.
_WEIGHT_FLOOR = 1e-20
# Ground-state search: sectors smaller than this get their lowest eigenvalue from dense eigh, larger ones
# from Lanczos (eigsh); both are cheap next to the full eigh of the excited sectors.
_LANCZOS_MIN_DIM = 100


@dataclass(frozen=True, eq=False)
class SiamSolution:
    """Exact T = 0 impurity Green's function of one spin of the SIAM, in Lehmann (pole) form.

    Attributes
    ----------
    bath : StarBath
        The bath that was solved.
    U, eps_d : float
        Hubbard repulsion and impurity level (energy unit).
    spin : str
        ``'up'`` or ``'down'``: the spin of ``d`` in G (the two agree, H being spin symmetric).
    E0 : float
        Ground-state energy (energy unit).
    ground_sectors : tuple of (int, int)
        ``(N_up, N_dn)`` of every sector holding a ground state, sorted.
    degeneracy : int
        Number of ground states over all sectors (the average of the module docstring runs over them).
    particle : PoleSum
        Energies ``E_m - E0 >= 0``, weights ``|<m|d+_s|0>|^2``, ground-state averaged.
    hole : PoleSum
        Energies ``E0 - E_m <= 0``, weights ``|<m|d_s|0>|^2``, ground-state averaged.
    n_d : float
        ``<n_{d,s}>`` in the ground state (dimensionless); equals ``hole.norm``.
    double_occupancy : float
        ``<n_d(up) n_d(dn)>`` (dimensionless).
    diagnostics : dict
        Solver-specific numbers (the Lanczos solver's Krylov sizes and convergence measure,
        :func:`~triqs_nnsolver.reference.lanczos.solve_siam_lanczos`); empty for the dense ED.
    """

    bath: StarBath
    U: float
    eps_d: float
    spin: str
    E0: float
    ground_sectors: tuple[tuple[int, int], ...]
    degeneracy: int
    particle: PoleSum
    hole: PoleSum
    n_d: float
    double_occupancy: float
    diagnostics: dict = field(default_factory=dict)

    @property
    def poles(self) -> PoleSum:
        """All poles, particle then hole, as one PoleSum; its norm is 1 (``{d, d+} = 1``)."""
        return PoleSum(
            np.concatenate([self.particle.energies, self.hole.energies]),
            np.concatenate([self.particle.weights, self.hole.weights]),
        )

    def spectral_function(self, w, width: float, kind: str = "lorentzian") -> np.ndarray:
        """Broadened A(w) on real frequencies w (any shape), see :func:`~triqs_nnsolver.gf.poles.poles_spectral`.

        ``width > 0`` is the half-width (Lorentzian) or standard deviation (Gaussian), energy unit.
        Raises ValueError for a non-positive width or an unknown kind.
        """
        return poles_spectral(self.poles, w, width, kind)

    def G_retarded(self, w, eta: float) -> np.ndarray:
        """``G(w + i eta)`` on real frequencies w (any shape), ``eta > 0`` (energy unit)."""
        return poles_retarded(self.poles, w, eta)

    def G_iw(self, iw) -> np.ndarray:
        """``G(iw_n) = sum_p w_p / (iw_n - e_p)`` at complex frequencies ``iw`` (e.g. ``MeshImFreq.iw``).

        The poles are those of the T = 0 ground state; beta only sets the mesh (``METHOD.md`` section 1).
        """
        return poles_on_complex(self.poles, iw)

    def G_tau(self, beta: float, tau) -> np.ndarray:
        """``G(tau)`` for ``0 <= tau <= beta`` from the T = 0 poles (beta sets the mesh); shape of tau."""
        return poles_tau(self.poles, beta, tau)

    def G_greater(self, t, alpha: float) -> tuple[np.ndarray, np.ndarray]:
        """``G>(z) = -i <0|d exp(-i H' z) d+|0>`` and ``dG>/dalpha`` on ``z = t exp(-i alpha)``.

        t >= 0 (inverse energy unit), any shape; ``0 <= alpha < pi/2``. Returns two complex arrays of
        the shape of t. See :func:`~triqs_nnsolver.gf.poles.greater_on_ray`.
        """
        return greater_on_ray(self.particle, t, alpha)

    def G_lesser(self, t, alpha: float) -> tuple[np.ndarray, np.ndarray]:
        """``G<(zbar) = +i <0|d+ exp(+i H' zbar) d|0>`` and ``dG</dalpha`` on ``zbar = t exp(+i alpha)``.

        Same arguments as :meth:`G_greater`; see :func:`~triqs_nnsolver.gf.poles.lesser_on_ray`.
        """
        return lesser_on_ray(self.hole, t, alpha)


def check_siam_input(bath, U, eps_d, spin, degeneracy_tol) -> tuple[float, float, float]:
    """The arguments of a SIAM solve checked; returns ``(U, eps_d, degeneracy_tol)`` as floats.

    ``bath`` must be a :class:`StarBath` (its size is each solver's own limit), ``U >= 0`` and ``eps_d`` finite
    (energy unit), ``spin`` ``'up'`` or ``'down'``, ``degeneracy_tol > 0`` (energy unit).

    Raises
    ------
    ValueError
        Naming the offending argument, what was expected and the value received.
    """
    if not isinstance(bath, StarBath):
        raise ValueError(f"bath must be a StarBath; got bath = {bath!r} of type {type(bath).__name__}")
    U = real_number("U", U)
    if U < 0:
        raise ValueError(f"U must be non-negative (repulsive; the sector search uses U n_up n_dn >= 0); got U = {U}")
    if spin not in ("up", "down"):
        raise ValueError(f"spin must be 'up' or 'down'; got spin = {spin!r}")
    tol = real_number("degeneracy_tol", degeneracy_tol)
    if tol <= 0:
        raise ValueError(f"degeneracy_tol must be positive; got degeneracy_tol = {tol}")
    return U, real_number("eps_d", eps_d), tol


def _lowest_eigenvalue(H) -> float:
    """Lowest eigenvalue of a sparse symmetric sector Hamiltonian (dense below _LANCZOS_MIN_DIM)."""
    if H.shape[0] < _LANCZOS_MIN_DIM:
        return float(scipy.linalg.eigh(H.toarray(), eigvals_only=True, subset_by_index=[0, 0])[0])
    start = np.random.default_rng(0).standard_normal(H.shape[0])  # seeded: reproducible Lanczos runs
    return float(scipy.sparse.linalg.eigsh(H, k=1, which="SA", v0=start, tol=0, return_eigenvectors=False)[0])


def sector_energy_bounds(h: np.ndarray, U: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of the lowest energy of every sector ``(N_up, N_dn)``, from one-body spectra.

    Lower: ``n_up n_dn >= lam (n_up + n_dn - 1)`` for ``0 <= lam <= 1`` (check the four occupations), so
    ``H >= H_0(eps_d + lam U) - lam U`` and each sector lies above ``e_lam(N_up) + e_lam(N_dn) - lam U``, with
    ``e_lam(N)`` the sum of the N lowest levels of ``h`` with ``h[0, 0]`` raised by ``lam U``; the largest over
    ``lam`` in {0, 1/4, 1/2, 3/4, 1} is taken (``lam = 0`` is the bound of the bare levels). Upper: the
    energy of the Slater determinant filling those orbitals, the smallest over the same ``lam``.

    Parameters
    ----------
    h : ndarray, shape (n_orb, n_orb)
        One-body matrix, impurity orbital 0 (energy unit).
    U : float
        Hubbard repulsion, ``U >= 0`` (energy unit).

    Returns
    -------
    lower, upper : ndarray, shape (n_orb + 1, n_orb + 1)
        Bounds indexed ``[N_up, N_dn]`` (energy unit).
    """
    lower = upper = None
    for lam in (0.0, 0.25, 0.5, 0.75, 1.0):
        shifted = h.copy()
        shifted[0, 0] += lam * U
        e, orbitals = np.linalg.eigh(shifted)
        filled = np.concatenate([[0.0], np.cumsum(e)])  # lowest N-particle energy of H_0(eps_d + lam U)
        n_d = np.concatenate([[0.0], np.cumsum(orbitals[0] ** 2)])  # <n_d> of that Slater determinant
        low = filled[:, None] + filled[None, :] - lam * U
        # <SD| H |SD> = <H_0(eps_d + lam U)> - lam U (n_d,up + n_d,dn) + U n_d,up n_d,dn (Wick, no d-spin mixing)
        high = low + lam * U - lam * U * (n_d[:, None] + n_d[None, :]) + U * np.outer(n_d, n_d)
        lower = low if lower is None else np.maximum(lower, low)
        upper = high if upper is None else np.minimum(upper, high)
    return lower, upper


def _ground_manifold(sectors: SpinfulSectors, h: np.ndarray, tol: float):
    """E0 and ``{(n_up, n_dn): ground-state vectors (dim, k)}`` over all sectors (module docstring)."""
    lower, upper = sector_energy_bounds(h, sectors.U)
    candidates = list(zip(*np.nonzero(lower <= upper.min() + tol), strict=True))
    lowest = {(int(nu), int(nd)): _lowest_eigenvalue(sectors.hamiltonian(nu, nd)) for nu, nd in candidates}
    logger.debug("ground-state search: %d of %d sectors diagonalized", len(lowest), lower.size)
    # Lanczos with tol=0 is accurate to about 1e-13 |E|; the margin keeps every possible ground sector for
    # the dense step, which alone decides.
    best = min(lowest.values())
    margin = tol + 1e-9 * (1 + abs(best))
    spectra = {}
    for key, value in lowest.items():
        if value <= best + margin:
            H = sectors.hamiltonian(*key).toarray()
            spectra[key] = scipy.linalg.eigh(H, subset_by_value=(-np.inf, value + margin))
    E0 = min(float(E[0]) for E, _ in spectra.values())
    ground = {key: X[:, E <= E0 + tol] for key, (E, X) in spectra.items() if E[0] <= E0 + tol}
    return E0, ground


def _lehmann(sectors: SpinfulSectors, ground: dict, E0: float, spin: str, tol: float):
    """Particle and hole PoleSums of ``d_spin``, averaged over the ground manifold."""
    degeneracy = sum(X.shape[1] for X in ground.values())
    shift = np.array([1, 0]) if spin == "up" else np.array([0, 1])
    cache = {}

    def eigensystem(key):
        if key not in cache:
            E, X = np.linalg.eigh(sectors.hamiltonian(*key).toarray())
            cache[key] = (np.where(E <= E0 + tol, E0, E), X)  # ground-manifold states get E0 exactly
        return cache[key]

    particle, hole = [], []  # (energies, weights) from each ground sector
    for key, vectors in ground.items():
        plus = tuple(int(n) for n in np.array(key) + shift)
        minus = tuple(int(n) for n in np.array(key) - shift)
        if max(plus) <= sectors.n_orb:  # d+ |0> is not zero
            E, X = eigensystem(plus)
            amplitude = X.T @ (sectors.impurity_annihilator(spin, *plus).T @ vectors)  # (dim_plus, k)
            particle.append((E - E0, (amplitude**2).sum(axis=1) / degeneracy))
        if min(minus) >= 0:  # d |0> is not zero
            E, X = eigensystem(minus)
            amplitude = X.T @ (sectors.impurity_annihilator(spin, *key) @ vectors)  # (dim_minus, k)
            hole.append((E0 - E, (amplitude**2).sum(axis=1) / degeneracy))
    return pole_sum(particle), pole_sum(hole), degeneracy


def pole_sum(parts: list) -> PoleSum:
    """One PoleSum, sorted by energy, from a list of ``(energies, weights)`` array pairs (energy unit, dimensionless).

    Weights at or below ``1e-20`` (round-off of weights that vanish by symmetry) are dropped.
    """
    energies = np.concatenate([e for e, _ in parts] or [np.zeros(0)])
    weights = np.concatenate([w for _, w in parts] or [np.zeros(0)])
    keep = weights > _WEIGHT_FLOOR
    order = np.argsort(energies[keep], kind="stable")
    return PoleSum(energies[keep][order], weights[keep][order])


def ground_state_occupations(sectors: SpinfulSectors, ground: dict, spin: str) -> tuple[float, float]:
    """``<n_{d,spin}>`` and ``<n_d(up) n_d(dn)>`` averaged over the ground manifold (dimensionless).

    ``ground`` maps ``(n_up, n_dn)`` to orthonormal ground-state vectors of that sector, shape (dim, k).
    """
    degeneracy = sum(X.shape[1] for X in ground.values())
    n_d = double_occupancy = 0.0
    for (n_up, n_dn), vectors in ground.items():
        probability = (vectors**2).sum(axis=1) / degeneracy  # (dim,) diagonal of the averaged density matrix
        n_d += probability @ sectors.impurity_occupation(spin, n_up, n_dn)
        double_occupancy += probability @ (
            sectors.impurity_occupation("up", n_up, n_dn) * sectors.impurity_occupation("down", n_up, n_dn)
        )
    return float(n_d), float(double_occupancy)


def solve_siam(
    bath: StarBath, U: float, eps_d: float, *, spin: str = "up", degeneracy_tol: float = 1e-9
) -> SiamSolution:
    """Exact T = 0 impurity Green's function of the SIAM by exact diagonalization (Lehmann form).

    Parameters
    ----------
    bath : StarBath
        Star bath with ``n_bath <= MAX_BATH`` levels per spin (zero levels: the atomic limit).
    U : float
        Hubbard repulsion, ``U >= 0`` (energy unit).
    eps_d : float
        Impurity level (energy unit); half filling with a particle-hole symmetric bath is ``eps_d = -U/2``.
    spin : {'up', 'down'}
        Spin of the impurity operator in G; both give the same result (spin-symmetric H).
    degeneracy_tol : float
        States within this energy (energy unit) of the lowest are treated as degenerate ground states and
        averaged over (T -> 0+). The default lies far above eigh round-off (about 1e-14 ||H||) and far
        below physical splittings of baths with at most 6 levels.

    Returns
    -------
    SiamSolution

    Raises
    ------
    ValueError
        If bath is not a StarBath or has more than ``MAX_BATH`` levels, if U or eps_d is not a finite real
        number, if U < 0, if spin is unknown, or if degeneracy_tol is not positive.

    Notes
    -----
    Cost: the few ground-state candidate sectors plus the two sectors ``N_s +- 1`` per ground sector are
    diagonalized dense; the largest (6 bath levels) has 1225 states.
    """
    U, eps_d, tol = check_siam_input(bath, U, eps_d, spin, degeneracy_tol)
    if bath.n_bath > MAX_BATH:
        raise ValueError(
            f"bath must have at most MAX_BATH = {MAX_BATH} levels per spin (the excited sectors are diagonalized "
            f"dense: 1225 states at 6 levels, 4900 at 7); got bath.n_bath = {bath.n_bath}"
        )
    h = single_particle_hamiltonian(bath, eps_d)  # orbital 0 is the impurity
    sectors = SpinfulSectors(h, U)
    E0, ground = _ground_manifold(sectors, h, tol)
    particle, hole, degeneracy = _lehmann(sectors, ground, E0, spin, tol)
    return ground_state_solution(bath, U, eps_d, spin, sectors, E0, ground, (particle, hole), degeneracy)


def ground_state_solution(
    bath,
    U: float,
    eps_d: float,
    spin: str,
    sectors: SpinfulSectors,
    E0: float,
    ground: dict,
    poles,
    degeneracy: int,
    diagnostics: dict | None = None,
) -> SiamSolution:
    """The :class:`SiamSolution` of a solved problem: its ground manifold ``ground`` (sector -> orthonormal vectors,
    energy ``E0``), the particle and hole pole sums ``poles``, and the occupations averaged over the manifold."""
    n_d, double_occupancy = ground_state_occupations(sectors, ground, spin)
    return SiamSolution(
        bath=bath,
        U=U,
        eps_d=eps_d,
        spin=spin,
        E0=E0,
        ground_sectors=tuple(sorted(ground)),
        degeneracy=degeneracy,
        particle=poles[0],
        hole=poles[1],
        n_d=n_d,
        double_occupancy=double_occupancy,
        **({} if diagnostics is None else {"diagnostics": diagnostics}),
    )
