"""Exact diagonalization of the SIAM against exact limits: U = 0, the atomic limit, particle-hole symmetry.

Reference values are analytic or come from an independent one-body diagonalization written here
(``numpy.linalg.eigh`` of ``[[eps_d, V], [V^T, diag(eps)]]``), not from ``reference.free_fermions``.
"""

import numpy as np
import pytest

from triqs_nnsolver.bath.star import StarBath
from triqs_nnsolver.gf.mesh import MeshImFreq
from triqs_nnsolver.gf.poles import PoleSum
from triqs_nnsolver.reference.ed import MAX_BATH, solve_siam

RNG = np.random.default_rng(7)
RANDOM_BATH = StarBath(np.sort(RNG.uniform(-2.0, 2.0, 4)), RNG.uniform(0.1, 0.8, 4))


def merged(poles: PoleSum, tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """Poles closer than tol summed into one (degenerate many-body states share their weight arbitrarily)."""
    energies, weights = poles.energies, poles.weights
    order = np.argsort(energies)
    energies, weights = energies[order], weights[order]
    starts = np.concatenate([[0], np.nonzero(np.diff(energies) > tol)[0] + 1])
    return energies[starts], np.add.reduceat(weights, starts)


def one_body(bath: StarBath, eps_d: float):
    """U = 0 reference: one-body energies e_n and impurity weights |<d|n>|^2."""
    n_orb = 1 + bath.n_bath
    h = np.zeros((n_orb, n_orb))
    h[0, 0] = eps_d
    h[0, 1:] = h[1:, 0] = bath.V
    h[1:, 1:] = np.diag(bath.eps)
    e, vectors = np.linalg.eigh(h)
    return e, vectors[0] ** 2


@pytest.mark.parametrize("eps_d", [-0.9, 0.0, 0.35])
def test_u0_equals_one_body_diagonalization(eps_d):
    e, weight = one_body(RANDOM_BATH, eps_d)
    assert np.all(e != 0)  # no level at the Fermi energy: the U = 0 ground state is unique
    solution = solve_siam(RANDOM_BATH, 0.0, eps_d)
    assert solution.degeneracy == 1
    # At U = 0, d+|FS> = sum_{e_n > 0} <n|d> a+_n|FS> with exact eigenstates a+_n|FS>: the many-body poles
    # are the one-body ones, obtained by subtracting many-body energies (|E| <~ 10): round-off ~1e-14.
    np.testing.assert_allclose(solution.particle.energies, e[e > 0], atol=1e-12)
    np.testing.assert_allclose(solution.particle.weights, weight[e > 0], atol=1e-12)
    np.testing.assert_allclose(solution.hole.energies, e[e < 0], atol=1e-12)
    np.testing.assert_allclose(solution.hole.weights, weight[e < 0], atol=1e-12)
    assert solution.E0 == pytest.approx(2 * e[e < 0].sum(), abs=1e-12)  # both spins fill e_n < 0
    assert solution.n_d == pytest.approx(weight[e < 0].sum(), abs=1e-12)
    assert solution.double_occupancy == pytest.approx(solution.n_d**2, abs=1e-12)  # Wick, at U = 0


ATOMIC_CASES = {
    # name: (U, eps_d, particle poles, hole poles, degeneracy, n_d)
    "half_filling": (2.0, -1.0, ([1.0], [0.5]), ([-1.0], [0.5]), 2, 0.5),
    "singly_occupied": (1.5, -0.4, ([1.1], [0.5]), ([-0.4], [0.5]), 2, 0.5),
    "empty": (1.0, 0.3, ([0.3], [1.0]), ([], []), 1, 0.0),
    "doubly_occupied": (1.0, -1.6, ([], []), ([-0.6], [1.0]), 1, 1.0),
}


@pytest.mark.parametrize("n_bath", [0, 3])
@pytest.mark.parametrize("name", sorted(ATOMIC_CASES))
def test_atomic_limit(name, n_bath):
    """V = 0: two poles at eps_d and eps_d + U, each weighted by the occupation that allows it.

    With one electron on the impurity (eps_d < 0 < eps_d + U) the ground state is the doublet
    {|up>, |dn>}; the T -> 0+ average gives weight 1/2 to removing (pole at eps_d) and 1/2 to adding
    (pole at eps_d + U) a spin-up electron. Decoupled bath levels must not change anything.
    """
    U, eps_d, particle, hole, degeneracy, n_d = ATOMIC_CASES[name]
    bath = StarBath([-0.7, 0.2, 1.1][:n_bath], np.zeros(n_bath))
    solution = solve_siam(bath, U, eps_d)
    assert solution.degeneracy == degeneracy
    n_filled = int(n_bath > 0)  # the bath level at -0.7 is filled for both spins
    impurity_up = {0.0: 0, 0.5: None, 1.0: 1}[n_d]
    if impurity_up is None:
        assert solution.ground_sectors == ((n_filled, n_filled + 1), (n_filled + 1, n_filled))
    else:
        assert solution.ground_sectors == ((n_filled + impurity_up, n_filled + impurity_up),)
    # Energies are differences of sums of a few levels; weights are 0 or 1 before averaging: float64 rounding.
    for poles, (energies, weights) in ((solution.particle, particle), (solution.hole, hole)):
        np.testing.assert_allclose(poles.energies, energies, atol=1e-14)
        np.testing.assert_allclose(poles.weights, weights, atol=1e-14)
    assert solution.n_d == pytest.approx(n_d, abs=1e-14)
    assert solution.double_occupancy == pytest.approx(float(n_d == 1.0), abs=1e-14)


@pytest.mark.parametrize(
    "bath",
    [StarBath([-0.6, 0.6], [0.5, 0.5]), StarBath([-0.9, 0.0, 0.9], [0.5, 0.45, 0.5])],
    ids=["doublet", "singlet"],
)
def test_particle_hole_symmetry_at_half_filling(bath):
    U = 2.5
    solution = solve_siam(bath, U, -U / 2)
    # Under c -> c+ the poles mirror: particle at e with weight w <-> hole at -e with weight w. Degenerate
    # many-body states split weight arbitrarily, so compare merged poles; round-off of eigh, ~1e-14.
    particle, hole = merged(solution.particle), merged(solution.hole)
    np.testing.assert_allclose(particle[0], -hole[0][::-1], atol=1e-12)
    np.testing.assert_allclose(particle[1], hole[1][::-1], atol=1e-12)
    assert solution.n_d == pytest.approx(0.5, abs=1e-12)
    w = np.linspace(-4, 4, 81)
    A = solution.spectral_function(w, 0.1)
    np.testing.assert_allclose(A, A[::-1], atol=1e-12)


def test_charge_degenerate_ground_state_has_poles_at_zero():
    """U = 0 with a one-body level at exactly 0: its four fillings are degenerate across (N_up, N_dn).

    The T -> 0+ average puts half of that level's impurity weight |<d|0>|^2 = 2/3 at e = 0 in the
    particle part and half in the hole part; the other levels are as at U = 0.
    """
    bath = StarBath([-1.0, 1.0], [0.5, 0.5])  # levels -sqrt(3/2), 0, +sqrt(3/2) with weights 1/6, 2/3, 1/6
    solution = solve_siam(bath, 0.0, 0.0)
    assert solution.degeneracy == 4
    assert solution.ground_sectors == ((1, 1), (1, 2), (2, 1), (2, 2))
    level = np.sqrt(1.5)
    # Eigen-decomposition round-off, ~1e-15, on energies and weights; merged over degenerate states.
    np.testing.assert_allclose(np.stack(merged(solution.particle)), [[0.0, level], [1 / 3, 1 / 6]], atol=1e-13)
    np.testing.assert_allclose(np.stack(merged(solution.hole)), [[-level, 0.0], [1 / 6, 1 / 3]], atol=1e-13)
    assert solution.E0 == pytest.approx(-2 * level, abs=1e-13)
    assert solution.n_d == pytest.approx(0.5, abs=1e-13)


def test_spin_down_equals_spin_up():
    for bath, U, eps_d in ((RANDOM_BATH, 2.0, -0.7), (StarBath([-0.6, 0.6], [0.5, 0.5]), 2.5, -1.25)):
        up = solve_siam(bath, U, eps_d)
        down = solve_siam(bath, U, eps_d, spin="down")
        assert down.spin == "down" and down.ground_sectors == up.ground_sectors
        for a, b in ((up.particle, down.particle), (up.hole, down.hole)):
            # SU(2) symmetry; degenerate states split weight arbitrarily: merged poles, eigh round-off.
            np.testing.assert_allclose(merged(a)[0], merged(b)[0], atol=1e-12)
            np.testing.assert_allclose(merged(a)[1], merged(b)[1], atol=1e-12)
        assert up.n_d == pytest.approx(down.n_d, abs=1e-12)


def test_ground_energy_between_one_body_bounds():
    """U n_up n_dn is between 0 and U n_up n_dn of a Slater determinant: E0 lies between the U = 0 energy
    of the best sector and the best Slater determinant (filled one-body levels) energy."""
    U, eps_d = 3.0, -1.2
    e, weight = one_body(RANDOM_BATH, eps_d)
    filled = np.concatenate([[0.0], np.cumsum(e)])
    n_d = np.concatenate([[0.0], np.cumsum(weight)])
    lower = (filled[:, None] + filled[None, :]).min()
    upper = (filled[:, None] + filled[None, :] + U * np.outer(n_d, n_d)).min()
    solution = solve_siam(RANDOM_BATH, U, eps_d)
    assert lower < solution.E0 < upper


def test_complex_time_at_t0_and_wrappers():
    solution = solve_siam(RANDOM_BATH, 2.0, -0.7)
    # G>(0) = -i <d d+> = -i (1 - n_d), G<(0) = +i <d+ d> = +i n_d; dG/dalpha vanishes with z at t = 0.
    greater, d_greater = solution.G_greater(0.0, 0.4)
    lesser, d_lesser = solution.G_lesser(0.0, 0.4)
    assert greater == pytest.approx(-1j * (1 - solution.n_d), abs=1e-14)  # sum of weights, float64 rounding
    assert lesser == pytest.approx(1j * solution.n_d, abs=1e-14)
    assert d_greater == 0 and d_lesser == 0
    assert solution.poles.norm == pytest.approx(1.0, abs=1e-13)  # {d, d+} = 1, sum of ~200 weights
    mesh = MeshImFreq(beta=20.0, statistic="F", n_iw=8)
    G_iw = solution.G_iw(mesh.iw)
    # 1/(iw_n) tail and G(-iw_n) = conj G(iw_n) of a real-pole sum: float64 rounding.
    np.testing.assert_allclose(G_iw, np.conj(G_iw[::-1]), atol=1e-15)
    G_tau = solution.G_tau(20.0, np.array([0.0, 20.0]))
    assert G_tau.sum() == pytest.approx(-1.0, abs=1e-13)  # G(0) + G(beta) = -norm
    assert solution.G_retarded(np.array([0.3]), 0.05)[0].imag < 0  # causal


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"U": -1.0}, "U must be non-negative.*U = -1.0"),
        ({"U": np.nan}, "U must be a finite real number.*U = nan"),
        ({"U": np.inf}, "U must be a finite real number.*U = inf"),
        ({"U": "2"}, "U must be a finite real number.*U = '2'"),
        ({"U": True}, "U must be a finite real number.*U = True"),
        ({"eps_d": None}, "eps_d must be a finite real number.*eps_d = None"),
        ({"eps_d": 1j}, "eps_d must be a finite real number.*eps_d = 1j"),
        ({"bath": ([0.1], [0.2])}, r"bath must be a StarBath.*tuple"),
        ({"bath": StarBath(np.arange(MAX_BATH + 1.0), np.ones(MAX_BATH + 1))}, "at most MAX_BATH = 6.*n_bath = 7"),
        ({"spin": "left"}, "spin must be 'up' or 'down'.*'left'"),
        ({"degeneracy_tol": 0.0}, "degeneracy_tol must be positive.*0.0"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    arguments = {"bath": StarBath([0.5], [0.3]), "U": 1.0, "eps_d": -0.5} | kwargs
    with pytest.raises(ValueError, match=message):
        solve_siam(**arguments)
