"""Lanczos solution of the spinful single-impurity Anderson model at T = 0, for 7 to 11 bath levels per spin.

Same Hamiltonian, conventions, ground-state averaging and output as the dense ED (:mod:`.ed`, ``METHOD.md``
section 1): a :class:`~triqs_nnsolver.reference.ed.SiamSolution` whose particle and hole
:class:`~triqs_nnsolver.gf.poles.PoleSum` give A(w), G(iw_n), G(tau) and the complex-time rays. What changes is
how the poles are found, so that sectors of 10^4 to 10^6 states can be handled:

- Sector Hamiltonians act as Kronecker sums on vectors (``SpinfulSectors.hamiltonian_matvec``), never assembled.
- Ground-state search: H conserves the total spin, so the lowest energy of N electrons lies in the sector of
  smallest ``|S_z|``, ``(ceil(N/2), floor(N/2))``; only those sectors whose lower bound
  (:func:`~triqs_nnsolver.reference.ed.sector_energy_bounds`, the dense ED's bounds) lies under the best energy
  found so far are searched, by Lanczos (:mod:`.krylov`) from a seeded random vector, lowest bound first.
  States degenerate with the lowest one in the same sector are found by Lanczos orthogonal to those found; the
  members of the ground multiplets at larger ``|S_z|`` follow by ``S+`` (and the spin flip), so no sector is
  diagonalized twice. All states within ``degeneracy_tol`` of E0 are averaged with equal weight, as in the ED.
- Green's function: for every ground state ``|g>`` and each of ``d+_s|g>``, ``d_s|g>``, a Lanczos run in the
  target sector; its tridiagonal matrix gives the poles ``E_m - E0`` and weights (Gauss quadrature, exact
  when the Krylov space closes). The poles are a quadrature of the spectrum, not the Lehmann list: G off the
  real axis converges as checked below, while single pole weights of a run that went on after the space
  closed may differ from the dense ED's by up to ~5e-7 (measured at 4-5 levels), shared with nearby copies.
  A ground state of a sector with ``N_up > N_dn`` serves its spin-flipped partner too: ``d_up`` on the
  partner is ``d_dn`` on it.

Krylov convergence (``krylov_tol``): every 5 steps the branch's poles, with excitation energies
``e_m = |E_m - E0| >= 0`` and weights ``w_m``, give ``F(x) = x sum_m w_m / (x e^{i alpha_c} - e_m)`` at 40
energies x log-spaced over ``[1e-4 s, 4 s]``, ``s = ||h||_2 + U`` (``alpha_c = check_alpha``); the run stops
when ``max_x |F_k(x) - F_{k-5}(x)| <= krylov_tol * sum_m w_m``. Since
``A~_alpha(w) = Im[e^{-i alpha} G(w e^{-i alpha})] / pi`` (``METHOD.md`` section 2), this bounds the Krylov error
of the tilted spectrum at ``alpha = check_alpha`` relative to ``1/(pi w)``, and further from the real axis that
of larger tilts and of an A(w) broadened by more than ``|w| sin(check_alpha)``. For a Lorentzian A(w) of a
fixed half-width ``eta`` (``check_width``), the check also takes ``F(x) = eta sum_m w_m / (x + i eta - e_m)`` on
``x = 0, eta/2, eta, ... 4 s``: ``|dF| / pi`` bounds the change of that A(w) relative to its peak ``1/(pi eta)``.
A run also stops when the Krylov space closes (then it is exact) or at ``max_krylov`` steps (with a
``RuntimeWarning`` giving the change).

What it does not do: finite temperature, more than :data:`MAX_BATH_LANCZOS` levels per spin, band Lanczos
(each ground state is its own run).
Layer: ``reference`` (layer 1); numpy and scipy.
"""

from __future__ import annotations

import logging
import time
import warnings

import numpy as np
import scipy.linalg

from ..bath.star import StarBath
from ..checks import integer, real_number, tilt_angle
from .ed import SiamSolution, check_siam_input, ground_state_solution, pole_sum, sector_energy_bounds
from .fock import SpinfulSectors
from .free_fermions import single_particle_hamiltonian
from .krylov import continued_fraction, lanczos, tridiagonal_poles

__all__ = ["MAX_BATH_LANCZOS", "MAX_KRYLOV", "solve_siam_lanczos"]

logger = logging.getLogger(__name__)

MAX_BATH_LANCZOS = 11
"""Most bath levels per spin: the half-filled sector has 924^2 = 853,776 states at 11 levels (400 Lanczos
vectors: 2.7 GB); 3432^2 = 1.2e7 at 13."""

# Sectors up to this size are diagonalized dense (eigh), which also resolves any degeneracy directly.
_DENSE_MAX_DIM = 300
# Ground-state Lanczos stops when the lowest Ritz pair's residual |H x - theta x| is below this times (1 + |theta|).
_GROUND_RESIDUAL = 1e-12
# Steps before a sector may be left as lying above the best energy (its Ritz value minus residual above it).
_GROUND_MIN_STEPS = 30
MAX_KRYLOV = 400
"""Default most Krylov steps of one Green's-function run (``solve_siam_lanczos(max_krylov=...)``)."""

_GROUND_MAX_STEPS = 600
# d+|g> or d|g> with a squared norm below this vanishes by symmetry (round-off, ~1e-30): no run, as the ED's floor.
_WEIGHT_FLOOR = 1e-20
_CHECK_POINTS = np.geomspace(1e-4, 4.0, 40)  # check energies x in units of s (module docstring)


# S+ on a highest-weight ground state gives rounding of the ground-state residual; on any other ground state a
# norm sqrt(S(S+1) - S_z(S_z+1)) >= sqrt(2).
_RAISED_NORM_FLOOR = 1e-6


def _lowest_ritz(a: np.ndarray, beta: np.ndarray) -> tuple[float, np.ndarray]:
    """Lowest eigenvalue of the tridiagonal ``(a, beta)`` and its eigenvector, shape (k,)."""
    if a.size == 1:
        return float(a[0]), np.ones(1)
    theta, y = scipy.linalg.eigh_tridiagonal(a, beta, select="i", select_range=(0, 0))
    return float(theta[0]), y[:, 0]


def _lowest_state(sectors: SpinfulSectors, key, deflate: np.ndarray, above: float, rng):
    """Lowest state of sector ``key`` orthogonal to the columns of ``deflate``: (energy, unit vector, steps).

    The vector is None if the state lies above ``above``: converged there, or, in a deflated search (the states
    after the lowest), left early with its lowest Ritz value minus residual above ``above`` after at least
    ``_GROUND_MIN_STEPS`` steps (the assumption of every Lanczos search, here as in the ED: a random start has
    weight on the lowest state, which the Ritz values approach from above).
    """
    plain = sectors.hamiltonian_matvec(*key)

    def matvec(x):
        if not deflate.shape[1]:
            return plain(x)
        y = plain(x - deflate @ (deflate.T @ x))
        return y - deflate @ (deflate.T @ y)

    def leave(a, beta, beta_next):
        theta, y = _lowest_ritz(a, beta)
        residual = beta_next * abs(y[-1])
        # theta - residual bounds the eigenvalue nearest theta, not the lowest one: a slowly converging lowest
        # state (a doped bath with levels of tiny weight) once left its sector early although it held the ground
        # state. So a sector's own lowest state is always converged; only the search for further states within
        # tol of it (deflated) leaves early
        return residual <= _GROUND_RESIDUAL * (1 + abs(theta)) or (
            deflate.shape[1] > 0 and a.size >= _GROUND_MIN_STEPS and theta - residual > above
        )

    start = rng.standard_normal(sectors.dimension(*key))
    start -= deflate @ (deflate.T @ start)
    run = lanczos(matvec, start, min(_GROUND_MAX_STEPS, start.size - deflate.shape[1]), leave)
    theta, y = _lowest_ritz(run.a, run.beta)
    residual = run.beta_next * abs(y[-1])
    if residual <= _GROUND_RESIDUAL * (1 + abs(theta)) and theta > above:
        return theta, None, run.size  # converged, and above: the sector holds nothing below the bound
    if residual > _GROUND_RESIDUAL * (1 + abs(theta)):
        if theta - residual > above:
            return theta, None, run.size
        warnings.warn(
            f"ground-state Lanczos in sector {key} stopped at {run.size} steps with residual {residual:.2e} "
            f"(wanted {_GROUND_RESIDUAL:.0e} (1 + |E|))",
            RuntimeWarning,
            stacklevel=4,
        )
    vector = run.vectors.T @ y
    vector -= deflate @ (deflate.T @ vector)
    return theta, vector / np.linalg.norm(vector), run.size


def _sector_ground(sectors: SpinfulSectors, key, above: float, tol: float, rng):
    """Energies and vectors (dim, k) of the states within ``tol`` of the lowest one of sector ``key``.

    (None, None, steps) if the sector lies above ``above``.
    """
    dim = sectors.dimension(*key)
    if dim <= _DENSE_MAX_DIM:
        E, X = np.linalg.eigh(sectors.hamiltonian(*key).toarray())
        if E[0] > above:
            return None, None, 0
        keep = E <= E[0] + tol
        return E[keep], X[:, keep], 0
    energies, vectors, steps = [], np.zeros((dim, 0)), 0
    while vectors.shape[1] < dim:
        limit = above if not energies else energies[0] + tol
        theta, vector, n = _lowest_state(sectors, key, vectors, limit, rng)
        steps += n
        if vector is None or (energies and theta > energies[0] + tol):
            break
        energies.append(theta)
        vectors = np.column_stack([vectors, vector])
    if not energies:
        return None, None, steps
    return np.array(energies), vectors, steps


def _ground_manifold(sectors: SpinfulSectors, h: np.ndarray, tol: float):
    """E0, ``{(n_up, n_dn): ground-state vectors (dim, k)}`` over all sectors, and search diagnostics."""
    rng = np.random.default_rng(0)  # seeded: reproducible Lanczos runs
    lower, upper = sector_energy_bounds(h, sectors.U)
    n_orb = sectors.n_orb
    balanced = sorted((((n + 1) // 2, n // 2) for n in range(2 * n_orb + 1)), key=lambda key: lower[key])
    best = float(upper.min())
    found, searched, steps = {}, [], 0
    for key in balanced:
        margin = tol + 1e-9 * (1 + abs(best))  # Ritz values are accurate to ~1e-13 |E|: keep every candidate
        if lower[key] > best + margin:
            break  # the rest lie higher still
        searched.append(key)
        E, X, n = _sector_ground(sectors, key, best + margin, tol, rng)
        steps += n
        if E is not None:
            found[key] = (E, X)
            best = min(best, float(E[0]))
    E0 = min(float(E[0]) for E, _ in found.values())
    ground = {key: X[:, E <= E0 + tol] for key, (E, X) in found.items() if E[0] <= E0 + tol}
    for (n_up, n_dn), X in list(ground.items()):  # members at larger S_z of multiplets with S > |S_z|
        while n_up < n_orb and n_dn >= 1:
            u, singular, _ = np.linalg.svd(sectors.spin_raise(n_up, n_dn, X), full_matrices=False)
            if not np.any(singular > _RAISED_NORM_FLOOR):
                break
            n_up, n_dn, X = n_up + 1, n_dn - 1, u[:, singular > _RAISED_NORM_FLOOR]
            ground[(n_up, n_dn)] = X
    for (n_up, n_dn), X in list(ground.items()):  # spin flip: (n_up, n_dn) -> (n_dn, n_up), up to a sign
        if n_up > n_dn:
            dim_up, dim_dn = sectors.dimension(n_up, 0), sectors.dimension(0, n_dn)
            ground[(n_dn, n_up)] = X.reshape(dim_up, dim_dn, -1).transpose(1, 0, 2).reshape(dim_up * dim_dn, -1)
    return E0, ground, {"sectors_searched": tuple(searched), "ground_lanczos_steps": steps}


def _check_points(scale: float, alpha: float, width) -> tuple[np.ndarray, np.ndarray]:
    """Complex excitation energies z of the convergence check and the factors that make ``factor * G(z)`` O(1)."""
    x = _CHECK_POINTS * scale
    z, factor = [x * np.exp(1j * alpha)], [x]
    if width is not None:
        width = real_number("check_width", width, unit="energy unit", minimum=0.0, minimum_open=True)
        x = np.arange(0.0, 4 * scale + width, width / 2)
        z.append(x + 1j * width)
        factor.append(np.full(x.size, width))
    return np.concatenate(z), np.concatenate(factor)


def _branch(sectors, key, phi, E0, tol, settings) -> tuple[np.ndarray, np.ndarray, dict]:
    """Excitation energies ``E_m - E0 >= 0`` and weights of ``<phi|(z - H)^-1|phi>`` in sector ``key``."""
    z, factor = settings["check_z"], settings["check_factor"]
    record = {"sector": key, "change": np.inf}

    def converged(a, beta, beta_next):
        F = factor * continued_fraction(a, beta, E0 + z)
        if "F" in record:
            record["change"] = float(np.max(np.abs(F - record["F"])))
        record["F"] = F
        return record["change"] <= settings["krylov_tol"]

    run = lanczos(sectors.hamiltonian_matvec(*key), phi, settings["max_krylov"], converged)
    record.pop("F", None)
    record.update(size=run.size, invariant=run.invariant, reorthogonalized=run.n_reorthogonalized)
    if run.invariant:
        record["change"] = 0.0
    elif record["change"] > settings["krylov_tol"]:
        warnings.warn(
            f"Lanczos of the Green's function in sector {key} reached max_krylov = {run.size} steps with a change "
            f"{record['change']:.2e} > krylov_tol = {settings['krylov_tol']:.1e}",
            RuntimeWarning,
            stacklevel=4,
        )
    theta, weights = tridiagonal_poles(run.a, run.beta, run.norm2)
    return np.where(theta <= E0 + tol, 0.0, theta - E0), weights, record


def _green_function(sectors: SpinfulSectors, ground: dict, E0: float, spin: str, tol: float, settings):
    """Particle and hole PoleSums of ``d_spin`` averaged over the ground manifold, and one record per run."""
    degeneracy = sum(X.shape[1] for X in ground.values())
    particle, hole, records = [], [], []
    for (n_up, n_dn), X in ground.items():
        if n_up < n_dn:
            continue  # served by its spin-flipped partner (module docstring)
        for s in (spin,) if n_up == n_dn else ("up", "down"):
            plus = (n_up + 1, n_dn) if s == "up" else (n_up, n_dn + 1)
            minus = (n_up - 1, n_dn) if s == "up" else (n_up, n_dn - 1)
            for vector in X.T:
                if max(plus) <= sectors.n_orb:
                    phi = sectors.impurity_annihilator(s, *plus).T @ vector  # d+_s |g>
                    if phi @ phi > _WEIGHT_FLOOR:
                        e, w, record = _branch(sectors, plus, phi, E0, tol, settings)
                        particle.append((e, w / degeneracy))
                        records.append({"branch": "particle", **record})
                if min(minus) >= 0:
                    phi = sectors.impurity_annihilator(s, n_up, n_dn) @ vector  # d_s |g>
                    if phi @ phi > _WEIGHT_FLOOR:
                        e, w, record = _branch(sectors, minus, phi, E0, tol, settings)
                        hole.append((-e, w / degeneracy))
                        records.append({"branch": "hole", **record})
    return pole_sum(particle), pole_sum(hole), degeneracy, records


def solve_siam_lanczos(
    bath: StarBath,
    U: float,
    eps_d: float,
    *,
    spin: str = "up",
    degeneracy_tol: float = 1e-9,
    krylov_tol: float = 1e-8,
    max_krylov: int = MAX_KRYLOV,
    check_alpha: float = 0.1,
    check_width: float | None = None,
) -> SiamSolution:
    """T = 0 impurity Green's function of the SIAM by Lanczos (pole form, module docstring).

    Parameters
    ----------
    bath : StarBath
        Star bath with at most :data:`MAX_BATH_LANCZOS` levels per spin.
    U : float
        Hubbard repulsion, ``U >= 0`` (energy unit).
    eps_d : float
        Impurity level (energy unit); half filling with a particle-hole symmetric bath is ``eps_d = -U/2``.
    spin : {'up', 'down'}
        Spin of the impurity operator in G; both give the same result.
    degeneracy_tol : float
        States within this energy (energy unit, > 0) of the lowest are averaged over, as in ``solve_siam``.
    krylov_tol : float
        Convergence of every Lanczos run of the Green's function (> 0, dimensionless): the largest change of
        ``x G(x e^{i check_alpha})`` over the check energies, relative to the branch weight (module docstring).
        The default lies below the float32 rounding (6e-8) of stored targets; 1e-10 gives the dense ED's poles.
    max_krylov : int
        Largest Krylov size of a Green's-function run (>= 1).
    check_alpha : float
        Angle of the check ray (radians, in (0, pi/2)); the tilt of the sharpest target to be converged.
    check_width : float, optional
        Also converge the Lorentzian-broadened A(w) of this half-width (energy unit, > 0; module docstring).

    Returns
    -------
    SiamSolution
        With ``diagnostics``: ``'krylov_sizes'`` (tuple of int, one per run), ``'krylov_change'`` (the largest
        final change, 0 where a Krylov space closed), ``'krylov_runs'`` (per run: branch, sector, size, change,
        invariant, reorthogonalized steps), ``'sectors_searched'``, ``'ground_lanczos_steps'``, ``'seconds'``
        (wall time of the ground-state search and of the Green's function).

    Raises
    ------
    ValueError
        As ``solve_siam`` for the problem; for more than ``MAX_BATH_LANCZOS`` levels, a non-positive
        ``krylov_tol``, ``max_krylov < 1`` or ``check_alpha`` outside (0, pi/2).

    Warns
    -----
    RuntimeWarning
        If a run reaches ``max_krylov`` unconverged, or a ground-state run its step limit (numbers given).
    """
    U, eps_d, tol = check_siam_input(bath, U, eps_d, spin, degeneracy_tol)
    if bath.n_bath > MAX_BATH_LANCZOS:
        raise ValueError(
            f"bath must have at most MAX_BATH_LANCZOS = {MAX_BATH_LANCZOS} levels per spin (853,776 states in the "
            f"half-filled sector at 11); got bath.n_bath = {bath.n_bath}"
        )
    h = single_particle_hamiltonian(bath, eps_d)  # orbital 0 is the impurity
    settings = {
        "krylov_tol": real_number("krylov_tol", krylov_tol, minimum=0.0, minimum_open=True),
        "max_krylov": integer("max_krylov", max_krylov, minimum=1),
    }
    settings["check_z"], settings["check_factor"] = _check_points(
        float(np.linalg.norm(h, 2)) + U, tilt_angle(check_alpha), check_width
    )
    start = time.perf_counter()
    sectors = SpinfulSectors(h, U)
    E0, ground, search = _ground_manifold(sectors, h, tol)
    middle = time.perf_counter()
    particle, hole, degeneracy, records = _green_function(sectors, ground, E0, spin, tol, settings)
    seconds = {"ground_state": middle - start, "green_function": time.perf_counter() - middle}
    logger.debug("Lanczos SIAM: E0 = %.12g in %s, Krylov sizes %s", E0, sorted(ground), [r["size"] for r in records])
    diagnostics = {
        "krylov_sizes": tuple(r["size"] for r in records),
        "krylov_change": max((r["change"] for r in records), default=0.0),
        "krylov_runs": tuple(records),
        "seconds": seconds,
        **search,
    }
    return ground_state_solution(bath, U, eps_d, spin, sectors, E0, ground, (particle, hole), degeneracy, diagnostics)
