"""Free fermions (U = 0): exact impurity Green's function of star and chain baths, against exact identities."""

import numpy as np
import pytest

from triqs_nnsolver.bath import ChainBath, StarBath, hybridization, hybridization_chain, star_to_chain
from triqs_nnsolver.gf import MeshImFreq, semicircle_dos, semicircle_gf
from triqs_nnsolver.reference.free_fermions import (
    free_ground_state_energy,
    free_impurity_gf,
    free_impurity_gf_continuous,
    free_impurity_gf_iw,
    free_impurity_gf_w,
    free_impurity_greater,
    free_impurity_lehmann,
    free_impurity_lesser,
    free_impurity_occupation,
    free_impurity_poles,
    single_particle_hamiltonian,
)

RNG = np.random.default_rng(1618)
STAR = StarBath(RNG.uniform(-1.5, 1.5, 9), RNG.uniform(0.05, 0.5, 9))
EPS_D = 0.3
Z = RNG.uniform(-2, 2, 40) + 1j * RNG.choice([-1, 1], 40) * RNG.uniform(0.05, 2, 40)  # both half-planes
# particle-hole symmetric star: levels +-e with equal couplings plus one level at 0 (odd n_bath, so with
# the impurity at eps_d = 0 the number of orbitals is even and no level sits at the Fermi level)
E_SYM = RNG.uniform(0.1, 1.0, 4)
SYMMETRIC = StarBath(
    np.concatenate([-E_SYM, [0.0], E_SYM]), np.concatenate([[0.3, 0.2, 0.4, 0.1], [0.25], [0.3, 0.2, 0.4, 0.1]])
)


def test_hamiltonian_layout():
    h = single_particle_hamiltonian(StarBath([1.0, 2.0], [0.1, 0.2]), -0.5)
    np.testing.assert_array_equal(h, [[-0.5, 0.1, 0.2], [0.1, 1.0, 0.0], [0.2, 0.0, 2.0]])
    h = single_particle_hamiltonian(ChainBath([1.0, 2.0], [0.1, 0.2]), -0.5)
    np.testing.assert_array_equal(h, [[-0.5, 0.1, 0.0], [0.1, 1.0, 0.2], [0.0, 0.2, 2.0]])


@pytest.mark.parametrize("geometry", ["star", "chain"])
def test_g_is_one_over_z_minus_eps_d_minus_delta(geometry):
    bath = STAR if geometry == "star" else star_to_chain(STAR)
    Delta = hybridization(bath, Z) if geometry == "star" else hybridization_chain(bath, Z)
    expected = 1.0 / (Z - EPS_D - Delta)
    # eigh rounding, a few eps * ||h|| ~ 1e-15, amplified by 1 / dist(z, pole) <= 20: measured 5e-15
    np.testing.assert_allclose(free_impurity_gf(bath, EPS_D, Z), expected, rtol=1e-13)


def test_star_and_chain_give_the_same_poles():
    star_poles = free_impurity_poles(STAR, EPS_D)
    chain_poles = free_impurity_poles(star_to_chain(STAR), EPS_D)
    # orthogonal change of bath basis: same h up to the rounding of Lanczos, a few eps * ||h||
    np.testing.assert_allclose(chain_poles.energies, star_poles.energies, atol=1e-14)
    np.testing.assert_allclose(chain_poles.weights, star_poles.weights, atol=1e-13)


@pytest.mark.parametrize("bath", [STAR, star_to_chain(STAR), SYMMETRIC], ids=["star", "chain", "symmetric"])
def test_sum_rules(bath):
    poles = free_impurity_poles(bath, EPS_D)
    W = bath.total_weight  # sum V_k^2 = t_0^2
    # METHOD.md section 5 at U = 0: norm 1, first moment eps_d, second eps_d^2 + sum V^2; rounding of eigh
    assert poles.norm == pytest.approx(1.0, abs=1e-14)
    assert np.sum(poles.weights * poles.energies) == pytest.approx(EPS_D, abs=1e-14)
    assert np.sum(poles.weights * poles.energies**2) == pytest.approx(EPS_D**2 + W, abs=1e-14)


def test_two_site_model_is_analytic():
    eps_1, V, eps_d = 0.4, 0.3, -0.2
    bath = StarBath([eps_1], [V])
    centre, half_gap = (eps_d + eps_1) / 2, np.hypot((eps_d - eps_1) / 2, V)
    cos2 = 0.5 * (1 + (eps_1 - eps_d) / (2 * half_gap))  # impurity weight on the lower level
    poles = free_impurity_poles(bath, eps_d)
    np.testing.assert_allclose(poles.energies, [centre - half_gap, centre + half_gap], atol=1e-15)  # 2 x 2 eigh
    np.testing.assert_allclose(poles.weights, [cos2, 1 - cos2], atol=1e-15)
    particle, hole = free_impurity_lehmann(bath, eps_d)
    assert len(particle) == 1 and len(hole) == 1
    assert free_impurity_occupation(bath, eps_d) == pytest.approx(cos2, abs=1e-15)
    assert free_ground_state_energy(bath, eps_d) == pytest.approx(2 * (centre - half_gap), abs=1e-15)
    assert free_ground_state_energy(bath, eps_d, spinful=False) == pytest.approx(centre - half_gap, abs=1e-15)


def test_ground_state_energy_obeys_hellmann_feynman():
    delta = 1e-5
    slope = (free_ground_state_energy(STAR, EPS_D + delta) - free_ground_state_energy(STAR, EPS_D - delta)) / (
        2 * delta
    )
    # dE0/d eps_d = sum over spins of <n_d>; central difference O(delta^2) ~ 1e-10, rounding eps / delta ~ 1e-11
    assert slope == pytest.approx(2 * free_impurity_occupation(STAR, EPS_D), abs=1e-8)


def test_particle_hole_symmetry():
    poles = free_impurity_poles(SYMMETRIC, 0.0)
    # symmetric spectrum and weights, up to eigh rounding
    np.testing.assert_allclose(poles.energies, -poles.energies[::-1], atol=1e-15)
    np.testing.assert_allclose(poles.weights, poles.weights[::-1], atol=1e-14)
    assert free_impurity_occupation(SYMMETRIC, 0.0) == pytest.approx(0.5, abs=1e-14)
    mesh = MeshImFreq(beta=20.0, statistic="F", n_iw=16)
    assert np.abs(free_impurity_gf_iw(SYMMETRIC, 0.0, mesh).real).max() < 1e-14  # G(iw_n) purely imaginary
    t = np.linspace(0, 10, 21)
    greater, d_greater = free_impurity_greater(SYMMETRIC, 0.0, t, 0.3)
    lesser, d_lesser = free_impurity_lesser(SYMMETRIC, 0.0, t, 0.3)
    np.testing.assert_allclose(lesser, greater.conj(), atol=1e-14)  # G<(zbar) = conj G>(z) at half filling
    np.testing.assert_allclose(d_lesser, d_greater.conj(), atol=1e-13)


def test_rays_at_t_zero_and_alpha_derivative():
    particle_0, _ = free_impurity_greater(STAR, EPS_D, 0.0, 0.2)
    hole_0, _ = free_impurity_lesser(STAR, EPS_D, 0.0, 0.2)
    n_d = free_impurity_occupation(STAR, EPS_D)
    assert 1j * (particle_0 - hole_0) == pytest.approx(1.0, abs=1e-14)  # {d, d+} = 1
    assert hole_0 == pytest.approx(1j * n_d, abs=1e-15)
    t, alpha, h = np.linspace(0.5, 8, 6), 0.4, 1e-5
    _, derivative = free_impurity_greater(STAR, EPS_D, t, alpha)
    plus, minus = (
        free_impurity_greater(STAR, EPS_D, t, alpha + h)[0],
        free_impurity_greater(STAR, EPS_D, t, alpha - h)[0],
    )
    # central difference: O(h^2 |d^3 G / d alpha^3|) ~ 1e-9 for |e z| <= 12, rounding eps / h ~ 1e-11
    np.testing.assert_allclose(derivative, (plus - minus) / (2 * h), atol=1e-8)


def test_real_axis_and_matsubara_wrappers():
    w = np.linspace(-3, 3, 7)
    Delta = hybridization(STAR, w + 0.1j)
    np.testing.assert_allclose(free_impurity_gf_w(STAR, EPS_D, w, 0.1), 1 / (w + 0.1j - EPS_D - Delta), rtol=1e-13)
    mesh = MeshImFreq(beta=10.0, statistic="F", n_iw=8)
    np.testing.assert_array_equal(free_impurity_gf_iw(STAR, EPS_D, mesh), free_impurity_gf_iw(STAR, EPS_D, mesh.points))
    expected = 1 / (mesh.iw - EPS_D - hybridization(STAR, mesh.iw))
    np.testing.assert_allclose(free_impurity_gf_iw(STAR, EPS_D, mesh), expected, rtol=1e-13)  # as the identity test


def test_degenerate_ground_state_is_refused():
    even = StarBath([-0.5, 0.5], [0.3, 0.3])  # impurity + 2 levels, symmetric: a level exactly at 0
    with pytest.raises(ValueError, match="degenerate"):
        free_impurity_lehmann(even, 0.0)
    with pytest.raises(ValueError, match="degenerate"):
        free_impurity_occupation(even, 1e-14)  # within zero_rtol of the Fermi level
    with pytest.raises(ValueError, match="degenerate"):
        free_impurity_greater(even, 0.0, [0.0], 0.1)
    assert free_ground_state_energy(even, 0.0) == pytest.approx(-2 * np.hypot(0.5, 0.3 * np.sqrt(2)), abs=1e-15)


def test_bad_input_names_the_argument():
    with pytest.raises(TypeError, match="bath must be a StarBath or a ChainBath; got list"):
        free_impurity_poles([0.1], 0.0)
    with pytest.raises(ValueError, match="eps_d = nan"):
        free_impurity_poles(STAR, np.nan)
    with pytest.raises(ValueError, match="eps_d = 1j"):
        free_impurity_poles(STAR, 1j)
    with pytest.raises(ValueError, match="eta = 0"):
        free_impurity_gf_w(STAR, EPS_D, [0.0], 0)
    with pytest.raises(ValueError, match="zero_rtol = -1"):
        free_impurity_lehmann(STAR, EPS_D, zero_rtol=-1)
    with pytest.raises(ValueError, match="w_n must be real"):
        free_impurity_gf_iw(STAR, EPS_D, [1j])
    with pytest.raises(ValueError, match="eta = -0.1"):
        free_impurity_gf_continuous([0.0, 1.0], [1.0, 1.0], 0.0, eta=-0.1)
    with pytest.raises(ValueError, match=r"rho_Delta must be a finite real array of the shape of w, \(2,\)"):
        free_impurity_gf_continuous([0.0, 1.0], [1.0], 0.0)


def test_bethe_bath_gives_the_semicircle():
    D = 1.0
    w = np.linspace(-1.5, 1.5, 1201)  # h = 2.5e-3
    rho_Delta = (D / 2) ** 2 * semicircle_dos(w, D)  # Delta = (D/2)^2 G_sc, so G = G_sc at eps_d = 0
    G = free_impurity_gf_continuous(w, rho_Delta, 0.0)
    error = np.abs(G - semicircle_gf(w, D))
    # Kramers-Kronig of the piecewise-linear semicircle: O(h^1.5) inside the band (2.2e-4 measured for
    # |w| < 0.9), O(h^0.5) at the square-root edges (4.5e-2 measured); |G|^2 (D/2)^2 <= 1 does not amplify it
    assert error[np.abs(w) < 0.9].max() < 4e-4
    assert error.max() < 0.1
    eta = 0.05
    G_eta = free_impurity_gf_continuous(w, rho_Delta, 0.0, eta=eta)
    # Hilbert transform off the axis: interpolation error only, 2.9e-4 measured at this h
    np.testing.assert_allclose(G_eta, semicircle_gf(w + 1j * eta, D), atol=4e-4)
