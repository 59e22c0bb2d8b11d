"""One-band lattices (issue 14 item 1): DOS tables, the U = 0 fixed point, the Bethe lattice as a DOS file, sum rules.

Reference values: the square-lattice DOS is exact (elliptic K), its k-sum an independent check; the U = 0 lattice G is
the DOS's own Hilbert transform at w + mu; the Bethe results are those of the existing Bethe driver with the same
impurity solver.
"""

import numpy as np
import pytest

from triqs_nnsolver.dmft import (
    BetheDMFTConfig,
    BetheLattice,
    DOSLattice,
    cubic_lattice,
    named_lattice,
    read_dos_file,
    run_bethe_dmft,
    run_lattice_dmft,
    square_lattice,
    square_lattice_dos,
)
from triqs_nnsolver.gf import semicircle_dos, semicircle_gf, spectral_norm
from triqs_nnsolver.impurity import LanczosImpuritySolver


def _tent_file(tmp_path):
    """A DOS file: a tent on [-0.8, 1.2] peaked at 0.2 (band centre eps_0 = 0.2, var = 1/6, D = 1.2), 401 rows."""
    e = np.linspace(-0.8, 1.2, 401)
    path = tmp_path / "tent.dat"
    np.savetxt(path, np.column_stack([e, np.interp(e, [-0.8, 0.2, 1.2], [0.0, 1.0, 0.0])]), header="e  D(e)")
    return path


def test_square_and_cubic_dos_tables():
    square, cubic = square_lattice(), cubic_lattice()
    assert square.half_bandwidth == cubic.half_bandwidth == 1.0  # t = 1/4 and 1/6: D = 1, as the Bethe driver
    # int D before renormalizing: sampling the van Hove log at +-h/2 loses ~ h |log h| / pi^2 (measured 1.4e-4 at
    # h = 2e-3; the cubic midpoint rule in kz, 1.5e-5); bounds 3x
    assert square.raw_norm == pytest.approx(1.0, abs=4e-4) and cubic.raw_norm == pytest.approx(1.0, abs=5e-5)
    # int rho_Delta = z t^2 (4/16 and 6/36), the same renormalized-table error
    assert square.hybridization_weight == pytest.approx(0.25, rel=5e-4)
    assert cubic.hybridization_weight == pytest.approx(1 / 6, rel=5e-4)
    assert abs(square.band_center) < 1e-12 and abs(cubic.band_center) < 1e-12


@pytest.mark.parametrize(
    "name, n_k, bound",
    # the k-sum (1/N) sum_k 1/(w + i eta - e_k) at eta = 0.05 D converges exponentially in N eta; what is left is
    # the DOS table's: the sampled van Hove log of the square lattice (measured 4.7e-3 at w = 0, O(h)) and, for the
    # cubic one, its kz midpoint rule with the 120^3 k-sum's own finite-size error (measured 2.8e-4); bounds 1.5x
    [("square", 400, 7e-3), ("cubic", 120, 4.2e-4)],
)
def test_dos_table_against_the_k_sum(name, n_k, bound):
    lattice = named_lattice(name)
    t = 0.25 if name == "square" else 1 / 6
    cos_k = np.cos(2 * np.pi * (np.arange(n_k) + 0.5) / n_k)
    if name == "square":
        e_k = -2 * t * (cos_k[:, None] + cos_k[None, :]).ravel()
    else:
        e_k = -2 * t * (cos_k[:, None, None] + cos_k[None, :, None] + cos_k[None, None, :]).ravel()
    z = np.linspace(-1.5, 1.5, 31) + 0.05j
    G_k = np.array([np.mean(1.0 / (zi - e_k)) for zi in z])
    assert np.abs(G_k - lattice.green(z)).max() < bound


def _singular_points(name):
    return {"square": [-1.0, 0.0, 1.0], "cubic": [-1.0, -1 / 3, 1 / 3, 1.0], "dos": [-0.8, 0.2, 1.2]}[name]


@pytest.mark.parametrize(
    "lattice_name, tol_A, tol_G, tol_A_all",
    # One U = 0 step from the free bath on the default grid (h = 5e-3 D). Away (> 0.05 D) from the DOS's
    # singular points (band edges, van Hove log and kinks) the loop's A and G_w match the exact lattice G (the DOS
    # Hilbert transform at w + mu) to the Kramers-Kronig error of the sampled A, measured A / G: square 5.5e-4 /
    # 2.5e-3, cubic 1.1e-4 / 1.1e-3, tent file 4.5e-6 / 1.3e-4; bounds about 2x. At the singular points themselves
    # the grid cannot follow a step or a log: the whole-grid bound on A is 1.5x the measured 3.0e-2 (square's edge
    # steps), 1.6e-2 (cubic's kinks at +-D/3), 2.5e-5 (tent).
    [("square", 1.2e-3, 5e-3, 4.5e-2), ("cubic", 2.5e-4, 2.5e-3, 2.5e-2), ("dos", 1e-5, 3e-4, 4e-5)],
)
def test_u0_reproduces_the_lattice_green_function(free_solver, tmp_path, lattice_name, tol_A, tol_G, tol_A_all):
    lattice = read_dos_file(_tent_file(tmp_path)) if lattice_name == "dos" else named_lattice(lattice_name)
    # tol: the first step's change, measured 2.4e-3, 2.5e-3, 1.9e-4 (the edge error above): converged in one step
    config = BetheDMFTConfig(U=0.0, D=lattice.half_bandwidth, tol=4e-3)
    result = run_lattice_dmft(free_solver, lattice, config)
    assert result.converged and result.n_iter == 1
    w, mu, D = result.w, result.mu, lattice.half_bandwidth
    assert mu == pytest.approx(lattice.band_center)  # eps_d = -U/2 = 0: mu at the band centre
    far = np.all([np.abs(w + mu - s) > 0.05 * D for s in _singular_points(lattice_name)], axis=0)
    A_exact = lattice.density_of_states(w + mu)
    G_exact = lattice.local_green(w, mu, np.zeros(w.size))
    assert np.abs(result.A - A_exact)[far].max() < tol_A
    assert np.abs(result.observables.G_w - G_exact)[far].max() < tol_G
    assert np.abs(result.A - A_exact).max() < tol_A_all
    # sum rules: int A = 1 (measured 2.5e-5 square, the grid's edge ramps), n = 1 (all three are symmetric about mu)
    assert spectral_norm(w, result.A) == pytest.approx(1.0, abs=1e-4)
    assert result.observables.density == pytest.approx(1.0, abs=1e-4)


def test_semicircular_dos_file_reproduces_the_bethe_driver(tmp_path):
    """The Bethe lattice given as a DOS table: the generic step (G_loc = G_imp by Newton on the table's Hilbert
    transform) must land on the Bethe driver's fixed point (its closed form Delta = t^2 G), same Lanczos solver."""
    e = np.linspace(-1.0, 1.0, 1000)
    path = tmp_path / "semicircle.dat"
    np.savetxt(path, np.column_stack([e, semicircle_dos(e, 1.0)]))
    lattice = read_dos_file(path)
    solver = LanczosImpuritySolver(n_bath=7)
    config = BetheDMFTConfig(U=2.0, n_w=400)
    bethe = run_bethe_dmft(solver, config)
    table = run_lattice_dmft(solver, lattice, config)
    assert bethe.converged and table.converged
    # the two maps differ away from the fixed point; at it they differ by the table's piecewise-linear semicircle
    # (its weight int rho_Delta is 0.24998, not 1/4) and the loops' tol: measured max |dA| = 6.5e-6, bound 1e-4
    assert np.abs(table.A - bethe.A).max() < 1e-4
    assert table.observables.A0 == pytest.approx(bethe.observables.A0, abs=1e-4)
    assert table.eps_d == bethe.eps_d == -1.0


def test_bethe_lattice_object():
    lattice = BetheLattice(2.0)
    assert lattice.hybridization_weight == 1.0 and lattice.half_bandwidth == 2.0
    z = np.array([0.3 + 0.1j, 2.5 + 0j, -0.7 + 1e-3j])
    np.testing.assert_allclose(lattice.green(z), semicircle_gf(z, 2.0))
    step = 1e-6  # central difference: error ~ step^2 |G'''|, ~1e-12 here
    numerical = (lattice.green(z + step) - lattice.green(z - step)) / (2 * step)
    np.testing.assert_allclose(lattice.green_derivative(z), numerical, rtol=1e-7)
    w = np.linspace(-3, 3, 7)
    A, A_bath = semicircle_dos(w, 2.0), semicircle_dos(w, 1.5)
    np.testing.assert_array_equal(lattice.next_bath(w, A, A_bath, 0.0), A)  # Delta = t^2 G: the bath is A


def test_inverse_green_finds_the_lattice_self_energy():
    lattice = square_lattice()
    zeta = np.array([0.3 + 0.2j, -0.6 + 0.05j, 1.4 + 0j, -0.02 + 0.3j])
    found, n_failed = lattice.inverse_green(lattice.green(zeta), zeta + 0.03)
    assert n_failed == 0
    np.testing.assert_allclose(found, zeta, atol=1e-8)  # Newton to |F - G| <= 1e-10 (1 + |G|), |F'| >~ 0.1


def test_config_must_carry_the_lattice_half_bandwidth(free_solver):
    with pytest.raises(ValueError, match=r"config.D must be the lattice's half-bandwidth, 1.2 .* got config.D = 1"):
        run_lattice_dmft(free_solver, DOSLattice([-0.8, 0.2, 1.2], [0.0, 1.0, 0.0]), BetheDMFTConfig(U=0.0))
    with pytest.raises(TypeError, match="lattice must be a dmft.Lattice"):
        run_lattice_dmft(free_solver, "square", BetheDMFTConfig(U=0.0))


@pytest.mark.parametrize(
    "energies, dos, message",
    [
        ([0.0, 1.0, 0.5], [1.0, 1.0, 1.0], r"energies must be strictly increasing; got energies\[1\] = 1.0"),
        ([0.0, 0.5, 1.0], [1.0, -0.2, 1.0], r"dos must be >= 0 \(a density of states\); got dos = -0.2 at e = 0.5"),
        ([0.0, 0.5, 1.0], [1.0, 1.0], r"dos must be real numbers of the shape of energies, \(3,\); got shape \(2,\)"),
        ([0.0, 0.5, 1.0], [0.0, 0.0, 0.0], "dos must have positive weight"),
        ([0.0, 0.5, 1.0], [1.0, np.nan, 1.0], "dos must be finite"),
    ],
)
def test_dos_lattice_rejects_bad_tables(energies, dos, message):
    with pytest.raises(ValueError, match=message):
        DOSLattice(energies, dos)


@pytest.mark.parametrize(
    "text, message",
    [
        ("0 1 2\n1 2 3\n", r"must have two columns \(e, D\(e\)\) and at least 2 rows; got 2 rows of 3 columns"),
        ("-1 0.1\n0 -0.5\n1 0.1\n", "dos must be >= 0"),
        ("0 0.5\n-1 0.5\n1 0.5\n", "energies must be strictly increasing"),
        ("0 a\n1 b\n", r"must hold numbers in two columns"),
    ],
)
def test_dos_file_errors_name_the_file(tmp_path, text, message):
    path = tmp_path / "bad.dat"
    path.write_text(text)
    with pytest.raises(ValueError, match=f"DOS file '{path}'.*{message}"):
        read_dos_file(path)


def test_unknown_lattice_name():
    with pytest.raises(ValueError, match=r"lattice must be one of \('square', 'cubic'\); got lattice = 'hexagonal'"):
        named_lattice("hexagonal")


def test_square_dos_is_capped_at_the_van_hove_point():
    # K(m) diverges at m = 1: the exact value at e = 0 is capped at K(1 - 1e-16) / (2 pi^2 t), finite
    assert np.isfinite(square_lattice_dos(0.0, 0.25)) and square_lattice_dos(1.0001, 0.25) == 0.0


def test_interacting_square_lattice_sum_rules():
    """U = 2 D at half filling, Lanczos (7 levels): the identities of the converged solution."""
    result = run_lattice_dmft(LanczosImpuritySolver(n_bath=7), square_lattice(), BetheDMFTConfig(U=2.0, n_w=400))
    assert result.converged
    w, A = result.w, result.A
    # int A = 1 up to the Gaussian tails cut at |w| = 6 D (measured 1.7e-6), n = int A (both spins, half of it
    # below 0) and A(w) = A(-w) by particle-hole symmetry of the DOS and of the solver (measured 1e-12)
    assert spectral_norm(w, A) == pytest.approx(1.0, abs=1e-4)
    assert result.observables.density == pytest.approx(spectral_norm(w, A), abs=1e-9)
    np.testing.assert_allclose(A, A[::-1], atol=1e-9)
    assert result.mu == pytest.approx(1.0) and result.eps_d == -1.0  # half filling: mu = U/2


@pytest.mark.slow
def test_doped_hartree_density_fixes_mu(hartree_solver):
    """Density against mu: the Hartree impurity (Sigma = U/2) on the square lattice at n = 0.8 must end at
    ``mu - U/2 = mu_0(n)``, the U = 0 chemical potential of that filling. Slow (~90 iterations, 35 s): the U = 0 step
    is marginal and the van Hove log off the Fermi level keeps a grid error of ~1e-2 in the first step."""
    lattice = square_lattice()
    result = run_lattice_dmft(hartree_solver, lattice, BetheDMFTConfig(U=2.0, density=0.8, n_w=600))
    assert result.converged
    assert result.observables.density == pytest.approx(0.8, abs=1e-6)
    # measured |mu - U/2 - mu_0| = 1.8e-4 (the table's mu_0 on 4001 points, the loop's grid h = 0.02 D); bound 5e-4
    assert result.mu - 1.0 == pytest.approx(lattice.free_chemical_potential(0.8), abs=5e-4)


def test_u_scan_on_a_lattice(hartree_solver):
    """run_u_scan(lattice=...): every point on the square lattice, each started from the previous one's next bath."""
    from triqs_nnsolver.dmft import run_u_scan

    lattice = square_lattice()
    # the Hartree fixed point at half filling is the U = 0 bath for every U: one step each (first change 2.4e-3)
    results = run_u_scan(hartree_solver, [0.0, 1.0], BetheDMFTConfig(tol=4e-3), lattice=lattice)
    assert [r.config.U for r in results] == [0.0, 1.0]
    assert all(r.converged and r.n_iter == 1 and r.lattice is lattice for r in results)
    assert results[1].mu == pytest.approx(0.5)  # mu = U/2 at half filling
