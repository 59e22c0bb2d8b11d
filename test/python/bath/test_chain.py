"""Chain bath: Lanczos star -> chain, diagonalization chain -> star, the continued fraction, the Bethe chain."""

import numpy as np
import pytest
from scipy.integrate import trapezoid

from triqs_nnsolver.bath import (
    ChainBath,
    StarBath,
    chain_to_star,
    discretize,
    discretize_function,
    hybridization,
    hybridization_chain,
    semicircle_chain,
    star_to_chain,
)
from triqs_nnsolver.gf import semicircle_dos, semicircle_gf

RNG = np.random.default_rng(2718)
D = 1.0
Z = RNG.uniform(-2, 2, 40) + 1j * RNG.choice([-1, 1], 40) * RNG.uniform(0.05, 2, 40)  # both half-planes


def bethe_rho(w):
    """rho_Delta of the Bethe bath, Delta = (D/2)^2 G_semicircle."""
    return (D / 2) ** 2 * semicircle_dos(w, D)


def random_star(n):
    return StarBath(RNG.uniform(-1.5, 1.5, n), RNG.uniform(0.05, 0.5, n))


def test_chain_fields_and_validation():
    chain = ChainBath([0.0, 0.1], [0.5, 0.4])
    assert chain.n_sites == 2 and chain.total_weight == 0.25
    with pytest.raises(ValueError, match="same length .* got 2 and 1"):
        ChainBath([0.0, 0.1], [0.5])
    with pytest.raises(ValueError, match="finite"):
        ChainBath([np.inf], [0.5])
    with pytest.raises(TypeError, match="star must be a StarBath; got ChainBath"):
        star_to_chain(chain)
    with pytest.raises(TypeError, match="chain must be a ChainBath; got StarBath"):
        chain_to_star(StarBath([0.0], [1.0]))
    with pytest.raises(ValueError, match="n_sites = 0"):
        star_to_chain(StarBath([0.0], [1.0]), n_sites=0)
    with pytest.raises(ValueError, match="rtol = 0"):
        star_to_chain(StarBath([0.0], [1.0]), rtol=0)
    with pytest.raises(ValueError, match="D = -1"):
        semicircle_chain(-1, 3)


def test_continued_fraction_of_a_two_site_chain():
    chain = ChainBath([0.2, -0.3], [0.7, 0.4])
    z = Z[:5]
    expected = 0.7**2 / (z - 0.2 - 0.4**2 / (z + 0.3))
    np.testing.assert_allclose(hybridization_chain(chain, z), expected, rtol=1e-15)  # same operations, rounding
    np.testing.assert_array_equal(hybridization_chain(ChainBath([], []), z), 0)


@pytest.mark.parametrize("n_bath", [1, 5, 60])
def test_star_chain_star_round_trip(n_bath):
    star = random_star(n_bath)
    chain = star_to_chain(star)
    assert chain.n_sites == n_bath
    assert chain.t[0] == pytest.approx(np.sqrt(star.total_weight), rel=1e-15)  # one norm: rounding only
    assert np.all(chain.t > 0)
    back = chain_to_star(chain)
    order = np.argsort(star.eps)
    # Lanczos with full reorthogonalization, then eigh: levels to a few eps * ||h|| (4e-16 measured);
    # V_k = t0 u_k[0] is sensitive to close levels, eps ||h|| / gap: 3e-14 measured for 60 levels
    np.testing.assert_allclose(back.eps, star.eps[order], atol=1e-14)
    np.testing.assert_allclose(back.V, star.V[order], atol=1e-12)
    Delta = hybridization(star, Z)
    # Delta itself is insensitive to how weight is shared among close levels: 3e-15 relative measured
    np.testing.assert_allclose(hybridization_chain(chain, Z), Delta, rtol=1e-13)
    np.testing.assert_allclose(hybridization(back, Z), Delta, rtol=1e-13)


def test_krylov_space_exhaustion_shortens_the_chain():
    # levels: 0.3 three times (one effective level of weight 0.1 + 0.2 + 0.3), -0.5, and 1.0 with V = 0
    star = StarBath([0.3, -0.5, 0.3, 1.0, 0.3], [0.1**0.5, 0.4, 0.2**0.5, 0.0, 0.3**0.5])
    chain = star_to_chain(star)
    assert chain.n_sites == 2
    back = chain_to_star(chain)
    np.testing.assert_allclose(back.eps, [-0.5, 0.3], atol=1e-15)  # 2 x 2 eigenproblem: rounding
    np.testing.assert_allclose(back.V**2, [0.16, 0.6], rtol=1e-14)
    np.testing.assert_allclose(hybridization_chain(chain, Z), hybridization(star, Z), rtol=1e-13)
    assert star_to_chain(StarBath([0.1, 0.2], [0.0, 0.0])).n_sites == 0


def test_truncated_chain_keeps_the_low_moments():
    star = random_star(50)
    chain = star_to_chain(star, n_sites=4)
    gauss = chain_to_star(chain)  # 4-point Gauss quadrature of rho_Delta: moments 0 .. 7 exact
    for m in range(8):
        exact = np.sum(star.V**2 * star.eps**m)
        # moments of size <= 1.5^m * 3: rounding of the 4-step Lanczos, a few hundred eps
        assert np.sum(gauss.V**2 * gauss.eps**m) == pytest.approx(exact, rel=1e-12, abs=1e-13)


def test_semicircle_maps_to_the_uniform_chain():
    # 2000 linear bins, each sampled at 16 points: weight error 5e-8 (square-root band edges)
    star = discretize_function(bethe_rho, -D, D, 2000, n_samples=16)
    chain = star_to_chain(star, n_sites=20)
    assert chain.t[0] == pytest.approx(D / 2, abs=1e-7)  # t0^2 = int rho_Delta: its sampling error only
    # particle-hole symmetric bins: on-site energies vanish up to rounding of the Lanczos steps
    np.testing.assert_allclose(chain.eps, 0, atol=1e-14)
    # binning error O(n_levels^-2): 2.4e-4, 6.4e-5, 1.7e-5, 4.5e-6 measured at 500, 1000, 2000, 4000 levels
    np.testing.assert_allclose(chain.t, D / 2, atol=4e-5)
    coarse = star_to_chain(discretize_function(bethe_rho, -D, D, 1000, n_samples=16), n_sites=20)
    ratio = np.abs(coarse.t - D / 2).max() / np.abs(chain.t - D / 2).max()
    assert 3.3 < ratio < 4.5  # second order: halving the bins divides the error by ~4


def test_semicircle_from_a_sampled_grid():
    w = np.linspace(-D, D, 20001)
    star = discretize(w, bethe_rho(w), 2000)
    chain = star_to_chain(star, n_sites=20)
    assert chain.t[0] == pytest.approx(np.sqrt(trapezoid(bethe_rho(w), w)), rel=1e-14)  # same integral
    assert chain.t[0] == pytest.approx(D / 2, abs=2e-7)  # trapezoid error of the square-root edges, h^1.5
    np.testing.assert_allclose(chain.t, D / 2, atol=4e-5)  # binning error as in the test above


def test_uniform_chain_converges_to_the_semicircle():
    z = np.linspace(-1.5, 1.5, 13) + 0.1j
    exact = (D / 2) ** 2 * semicircle_gf(z, D)
    errors = [np.abs(hybridization_chain(semicircle_chain(D, n), z) - exact).max() for n in (50, 100, 200)]
    # the truncation error decays geometrically in n (|t G| < 1 off the axis): 4e-5, 2e-9, 2e-16 measured
    assert errors[0] < 1e-4 and errors[1] < 1e-8 and errors[2] < 1e-14
