"""The Lanczos SIAM solver against the dense ED (2-6 bath levels), free fermions (9 levels) and sum rules.

References: ``reference.solve_siam`` (dense ``eigh`` of every excited sector: all poles) and
``reference.free_impurity_lehmann`` (one-body ``eigh``). Baths are seeded or fixed.
"""

import numpy as np
import pytest

from triqs_nnsolver.bath.star import StarBath
from triqs_nnsolver.gf.mesh import MeshImFreq
from triqs_nnsolver.reference import free_ground_state_energy, free_impurity_lehmann, solve_siam
from triqs_nnsolver.reference.krylov import continued_fraction, lanczos, tridiagonal_poles
from triqs_nnsolver.reference.lanczos import MAX_BATH_LANCZOS, solve_siam_lanczos

RNG = np.random.default_rng(11)
W = np.linspace(-4.0, 4.0, 401)
ETA = 0.05  # Lorentzian half-width of the compared A(w), and the check_width that converges it
IW = MeshImFreq(50.0, "F", 200).iw


def random_bath(n_bath):
    return StarBath(np.sort(RNG.uniform(-1.5, 1.5, n_bath)), RNG.uniform(0.2, 0.6, n_bath))


def symmetric_bath(n_bath):
    return StarBath(np.linspace(-1.0, 1.0, n_bath), np.full(n_bath, 0.4))


CASES = {
    # name: (bath, U, eps_d); 'doublet' cases have an odd electron number in the ground state
    "2_levels_U1_half_filling_doublet": (symmetric_bath(2), 1.0, -0.5),
    "3_levels_U0_doped": (random_bath(3), 0.0, -0.3),
    "4_levels_U3_half_filling_doublet": (symmetric_bath(4), 3.0, -1.5),
    "5_levels_U1_half_filling": (symmetric_bath(5), 1.0, -0.5),
    "5_levels_U3_doped_doublet": (random_bath(5), 3.0, -0.8),
    "6_levels_U0_doped": (random_bath(6), 0.0, 0.2),
    "6_levels_U3_doped": (random_bath(6), 3.0, -0.8),
    "6_levels_U1_half_filling_doublet": (symmetric_bath(6), 1.0, -0.5),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def pair(request):
    bath, U, eps_d = CASES[request.param]
    # krylov_tol 1e-10 with check_width = ETA converges A(w) at that width (module docstring of reference.lanczos);
    # max_krylov 1200: the 6-level U = 3 runs need up to about 700 steps for it
    fast = solve_siam_lanczos(bath, U, eps_d, krylov_tol=1e-10, max_krylov=1200, check_width=ETA)
    return request.param, solve_siam(bath, U, eps_d), fast


def test_ground_state_equals_dense_ed(pair):
    name, dense, fast = pair
    assert fast.ground_sectors == dense.ground_sectors
    assert fast.degeneracy == dense.degeneracy == (2 if "doublet" in name else 1)
    # Ritz values converged to a residual 1e-12 (1 + |E|): E0 to rounding (measured <= 4.4e-15)
    assert fast.E0 == pytest.approx(dense.E0, abs=1e-11)
    # ground vectors to residual / gap ~ 1e-11; measured <= 1.7e-13
    assert fast.n_d == pytest.approx(dense.n_d, abs=1e-10)
    assert fast.double_occupancy == pytest.approx(dense.double_occupancy, abs=1e-10)


def test_green_function_equals_dense_ed(pair):
    _, dense, fast = pair
    # G(iw_n): the Krylov moments agree exactly and iw_n lies far from the poles; measured <= 1.3e-12
    np.testing.assert_allclose(fast.G_iw(IW), dense.G_iw(IW), rtol=0, atol=1e-10)
    # A(w) at the checked width ETA: krylov_tol = 1e-10 bounds pi * eta * |dA| per 5 steps; measured <= 1.6e-10
    # against a peak of 1/(pi ETA) = 6.4, so the bound is 1e-10 relative to the peak
    scale = 1 / (np.pi * ETA)
    np.testing.assert_allclose(
        fast.spectral_function(W, ETA), dense.spectral_function(W, ETA), rtol=0, atol=1e-10 * scale
    )


def test_poles_are_normalized(pair):
    _, dense, fast = pair
    # {d, d+} = 1 and the hole weight is <n_d>: Gauss quadrature keeps the zeroth moment to rounding (<= 2.1e-15)
    assert fast.poles.norm == pytest.approx(1.0, abs=1e-13)
    assert fast.hole.norm == pytest.approx(fast.n_d, abs=1e-12)
    assert np.all(fast.particle.energies >= 0) and np.all(fast.hole.energies <= 0)


def merged(energies, weights, tol=1e-7):
    order = np.argsort(energies)
    energies, weights = energies[order], weights[order]
    starts = np.concatenate([[0], np.nonzero(np.diff(energies) > tol)[0] + 1])
    return energies[starts], np.add.reduceat(weights, starts)


def test_u0_nine_levels_equals_free_fermions():
    bath = StarBath(np.linspace(-1.0, 1.0, 9) + 0.05, np.full(9, 1 / 6))
    fast = solve_siam_lanczos(bath, 0.0, 0.1)
    particle, hole = free_impurity_lehmann(bath, 0.1)
    # at U = 0 d+|FS> spans at most 10 one-body excitations: the Krylov space closes, poles exact to rounding
    assert max(fast.diagnostics["krylov_sizes"]) <= 10
    assert fast.E0 == pytest.approx(free_ground_state_energy(bath, 0.1), abs=1e-11)
    for exact, got in ((particle, fast.particle), (hole, fast.hole)):
        e, w = merged(got.energies, got.weights)
        keep = exact.weights > 1e-20
        np.testing.assert_allclose(e, exact.energies[keep], rtol=0, atol=1e-10)  # measured 3e-15
        np.testing.assert_allclose(w, exact.weights[keep], rtol=0, atol=1e-10)  # measured 2e-15


def test_nine_levels_half_filling_sum_rules():
    """9 levels, U = 2 (63,504 states): the moments of A equal their commutator values (METHOD.md section 5)."""
    U, eps_d, bath = 2.0, -1.0, StarBath(np.linspace(-1.0, 1.0, 9), np.full(9, 1 / 6))
    fast = solve_siam_lanczos(bath, U, eps_d)
    e, w = fast.poles.energies, fast.poles.weights
    # zeroth to second moments are exact in any Krylov space of size >= 2; rounding of ~1e5-dim sums: <= 1e-13
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert (w * e).sum() == pytest.approx(eps_d + U * fast.n_d, abs=1e-11)
    second = eps_d**2 + (2 * eps_d * U + U**2) * fast.n_d + bath.total_weight
    assert (w * e**2).sum() == pytest.approx(second, abs=1e-11)
    assert fast.n_d == pytest.approx(0.5, abs=1e-10)  # particle-hole symmetry, to the ground-state residual
    assert fast.diagnostics["krylov_change"] <= 1e-8


def test_lanczos_recurrence_is_exact_on_a_closed_space():
    """krylov.lanczos on a diagonal H: every pole of <phi|(z - H)^-1|phi> once the space closes."""
    rng = np.random.default_rng(3)
    e, phi = np.sort(rng.uniform(-1, 1, 150)), rng.standard_normal(150)
    run = lanczos(lambda x: e * x, phi, 400)
    theta, weight = tridiagonal_poles(run.a, run.beta, run.norm2)
    assert run.invariant and run.size == 150
    np.testing.assert_allclose(theta, e, rtol=0, atol=1e-13)  # eigh_tridiagonal rounding; measured 7e-16
    np.testing.assert_allclose(weight, phi**2, rtol=0, atol=1e-11)  # measured 1.6e-12 (squared amplitudes)
    z = 0.3 + 0.1j  # the continued fraction is the same resolvent (rounding, measured 1e-15)
    assert abs(run.norm2 * continued_fraction(run.a, run.beta, z) - (phi**2 / (z - e)).sum()) < 1e-12


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bath": StarBath(np.zeros(MAX_BATH_LANCZOS + 1), np.ones(MAX_BATH_LANCZOS + 1))}, "at most MAX_BATH_LANCZOS"),
        ({"krylov_tol": 0.0}, "krylov_tol must be a positive real number; got krylov_tol = 0.0"),
        ({"max_krylov": 0}, "max_krylov must be an integer >= 1; got max_krylov = 0"),
        ({"check_alpha": 2.0}, r"alpha must lie in \(0, pi/2\); got alpha = 2.0"),
        ({"check_width": -1.0}, "check_width must be a positive real number"),
        ({"U": -1.0}, "U must be non-negative"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    arguments = {"bath": symmetric_bath(2), "U": 1.0, "eps_d": -0.5, **kwargs}
    with pytest.raises(ValueError, match=message):
        solve_siam_lanczos(**arguments)


@pytest.mark.slow
def test_eleven_levels_u0_equals_free_fermions():
    bath = StarBath(np.linspace(-1.0, 1.0, 11) + 0.03, np.full(11, 0.15))
    fast = solve_siam_lanczos(bath, 0.0, 0.05)
    particle, _ = free_impurity_lehmann(bath, 0.05)
    e, w = merged(fast.particle.energies, fast.particle.weights)
    np.testing.assert_allclose(e, particle.energies, rtol=0, atol=1e-10)  # closed Krylov space, as at 9 levels
    np.testing.assert_allclose(w, particle.weights, rtol=0, atol=1e-10)


def test_a_run_that_fills_a_small_sector_is_exact_without_warning():
    """A 3-level bath: a Lanczos run spans the whole (tiny) target sector and is marked exact, not unconverged."""
    import warnings

    bath = StarBath(np.array([-1.0, 0.2, 0.9]), np.array([0.3, 0.4, 0.2]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # "reached max_krylov ... change inf" before the fix
        solution = solve_siam_lanczos(bath, 2.0, -1.0)
    assert solution.E0 == pytest.approx(solve_siam(bath, 2.0, -1.0).E0, abs=1e-12)  # measured 1.8e-15


def test_a_slowly_converging_ground_sector_is_not_left_early():
    """Regression: problem 3 of the committed DMFT problem set of the doped U = 2 D reference (bath levels of tiny
    weight at the band edges). Its lowest Ritz value after 30 steps was -24.18 with residual 0.085, and the old
    early exit (Ritz value minus residual above the best upper bound -24.54) skipped the sector (5, 5) that holds
    the ground state (-24.661): no sector was left and the solve failed. Reference: ARPACK on that sector."""
    from pathlib import Path

    import scipy.sparse.linalg

    from triqs_nnsolver.data import LanczosSettings, draw_problem
    from triqs_nnsolver.data.problems import read_problem_set
    from triqs_nnsolver.reference.fock import SpinfulSectors
    from triqs_nnsolver.reference.free_fermions import single_particle_hamiltonian

    path = Path(__file__).resolve().parents[3] / "data" / "problems" / "lanczos9_doped_U2_n0.8.h5"
    problem = draw_problem(3003, 3, LanczosSettings(problems=read_problem_set(path)))
    sectors = SpinfulSectors(single_particle_hamiltonian(problem.bath, problem.eps_d), problem.U)
    exact = scipy.sparse.linalg.eigsh(sectors.hamiltonian(5, 5), k=1, which="SA", tol=1e-13)[0][0]
    solution = solve_siam_lanczos(problem.bath, problem.U, problem.eps_d)
    # both converge the lowest state to ~1e-12 relative: 1e-9 absolute at |E0| = 25
    assert solution.E0 == pytest.approx(exact, abs=1e-9)
