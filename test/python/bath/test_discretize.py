"""Discretization of rho_Delta: exact sum rules, bin layouts, empty bins, convergence, bad input."""

import numpy as np
import pytest

from triqs_nnsolver.bath import bin_edges, discretize, discretize_function, hybridization
from triqs_nnsolver.gf import hilbert_transform, semicircle_dos

RNG = np.random.default_rng(31415)
D = 1.0


def bethe_rho(w):
    """rho_Delta of the Bethe bath, Delta = (D/2)^2 G_semicircle: weight D^2 / 4."""
    return (D / 2) ** 2 * semicircle_dos(w, D)


def piecewise_linear_moments(w, rho):
    """``int rho`` and ``int w rho`` of the piecewise-linear interpolant, in closed form per interval."""
    a, b, ra, rb = w[:-1], w[1:], rho[:-1], rho[1:]
    h = b - a
    return np.sum(0.5 * h * (ra + rb)), np.sum(h * (a * (2 * ra + rb) + b * (ra + 2 * rb)) / 6)


@pytest.mark.parametrize("binning", ["linear", "log"])
@pytest.mark.parametrize("n_levels", [1, 2, 7, 40])
def test_sum_rules_are_exact_on_a_random_nonuniform_grid(binning, n_levels):
    w = np.sort(RNG.uniform(-3.0, 2.0, 300))  # asymmetric, non-uniform; bin edges cut grid intervals
    rho = RNG.uniform(0.0, 1.0, 300)
    bath = discretize(w, rho, n_levels, binning, Lambda=1.7)
    weight, first = piecewise_linear_moments(w, rho)
    # both sides add the same O(300) positive pieces in a different order: rounding ~ 300 eps relative
    assert bath.total_weight == pytest.approx(weight, rel=1e-13)
    assert np.sum(bath.V**2 * bath.eps) == pytest.approx(first, rel=1e-13, abs=1e-13 * weight)
    assert bath.n_bath <= n_levels
    assert np.all(np.diff(bath.eps) > 0)


def test_levels_are_weighted_centres_inside_their_bins():
    w = np.linspace(-1, 1, 11)
    rho = np.ones_like(w)  # flat: every level at the midpoint of its bin, V^2 = width
    bath = discretize(w, rho, 4)
    np.testing.assert_allclose(bath.eps, [-0.75, -0.25, 0.25, 0.75], atol=1e-15)  # float64 rounding
    np.testing.assert_allclose(bath.V**2, 0.5, rtol=1e-15)
    ramp = discretize(np.array([0.0, 1.0]), np.array([0.0, 1.0]), 1)  # rho = w on [0, 1]
    assert ramp.eps[0] == pytest.approx(2 / 3, rel=1e-15)  # int w^2 / int w
    assert ramp.total_weight == pytest.approx(0.5, rel=1e-15)


def test_support_and_empty_bins():
    w = np.linspace(-4, 4, 81)  # h = 0.1
    rho = np.where(np.abs(w) <= 1, 1.0, 0.0)  # piecewise-linear support [-1.1, 1.1]
    bath = discretize(w, rho, 11)
    assert bath.eps[0] > -1.1 and bath.eps[-1] < 1.1
    assert bath.n_bath == 11  # linear bins live on the support: none is empty
    gapped = np.where(np.abs(w) >= 2, 1.0, 0.0)  # gap (-1.9, 1.9): the middle bins hold nothing
    bath = discretize(w, gapped, 8)
    assert bath.n_bath == 6 and not np.any(np.abs(bath.eps) < 1.9)


def test_log_edges():
    edges = bin_edges(-1.0, 1.0, 6, "log", Lambda=2.0)
    np.testing.assert_allclose(edges, [-1, -0.5, -0.25, 0, 0.25, 0.5, 1], rtol=1e-15)
    edges = bin_edges(-0.5, 2.0, 5, "log", Lambda=4.0)  # odd: central bin [-w_inner, w_inner]
    np.testing.assert_allclose(edges, [-2, -0.5, -0.125, 0.125, 0.5, 2], rtol=1e-15)
    np.testing.assert_array_equal(bin_edges(-1.0, 1.0, 1, "log"), [-1.0, 1.0])
    np.testing.assert_allclose(bin_edges(0.0, 3.0, 3), [0, 1, 2, 3])


def test_log_binning_resolves_the_fermi_level_and_keeps_symmetry():
    bath = discretize_function(bethe_rho, -D, D, 20, "log", Lambda=2.0)
    # particle-hole symmetric density: levels and couplings mirror (rounding of the bin integrals)
    np.testing.assert_allclose(bath.eps, -bath.eps[::-1], atol=1e-15)
    np.testing.assert_allclose(bath.V, bath.V[::-1], rtol=1e-13)
    w_inner = D * 2.0**-9
    assert 0 < bath.eps[10] < w_inner  # the innermost positive level lies in [0, w_inner]


def test_function_and_grid_versions_agree_on_piecewise_linear_data():
    w = np.linspace(-2.0, 1.0, 28)  # spacing 1/9: 3 sampling intervals per bin of width 1/3 hit the grid
    rho = RNG.uniform(0.1, 1.0, 28)
    from_grid = discretize(w, rho, 9)
    from_function = discretize_function(lambda x: np.interp(x, w, rho), -2.0, 1.0, 9, n_samples=3)
    # the samples define the same piecewise-linear function up to the rounding of the sample positions
    np.testing.assert_allclose(from_function.eps, from_grid.eps, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(from_function.V, from_grid.V, rtol=1e-13)


def test_hybridization_converges_to_the_continuum():
    z = np.linspace(-1.5, 1.5, 7) + 0.3j
    exact = hilbert_transform(np.linspace(-D, D, 4001), bethe_rho(np.linspace(-D, D, 4001)), z)
    errors = [np.abs(hybridization(discretize_function(bethe_rho, -D, D, n), z) - exact).max() for n in (50, 100)]
    # bin-centred levels make the star a midpoint rule: O(n^-2), here (1 / 50)^2 * |Delta''| ~ 1e-4
    assert errors[1] < 2e-5
    assert 3.5 < errors[0] / errors[1] < 4.5


def test_bad_input_names_the_argument():
    w = np.linspace(-1, 1, 5)
    with pytest.raises(ValueError, match=r"rho_Delta\[2\] = -1.0"):
        discretize(w, [0, 1, -1, 1, 0], 2)
    with pytest.raises(ValueError, match="vanishes everywhere"):
        discretize(w, np.zeros(5), 2)
    with pytest.raises(ValueError, match=r"rho_Delta must be real with shape \(5,\)"):
        discretize(w, np.ones(4), 2)
    with pytest.raises(ValueError, match="strictly increasing"):
        discretize(w[::-1], np.ones(5), 2)
    with pytest.raises(ValueError, match="n_levels = 0"):
        discretize(w, np.ones(5), 0)
    with pytest.raises(ValueError, match="binning = 'cubic'"):
        discretize(w, np.ones(5), 2, binning="cubic")
    with pytest.raises(ValueError, match="Lambda = 1.0"):
        discretize(w, np.ones(5), 2, binning="log", Lambda=1.0)
    with pytest.raises(ValueError, match="w_min = 1.0, w_max = -1.0"):
        discretize_function(bethe_rho, 1.0, -1.0, 2)
    with pytest.raises(ValueError, match="n_samples = 0"):
        discretize_function(bethe_rho, -1.0, 1.0, 2, n_samples=0)
