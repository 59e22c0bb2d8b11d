"""Tests of triqs_nnsolver.gf.moments: exact moments of piecewise-linear spectra and closed-form moments."""

from fractions import Fraction

import numpy as np
import pytest

from triqs_nnsolver.gf import make_nonuniform_refreq, semicircle_dos, spectral_moments, spectral_norm


def test_exact_for_piecewise_linear_on_random_grid():
    rng = np.random.default_rng(12345)
    w = np.sort(rng.uniform(-3, 3, 40))
    A = rng.uniform(0, 1, 40)
    orders = (0, 1, 2, 3, 7)
    center = 0.4
    # independent reference in exact rational arithmetic: with y = w - c and A_lin = alpha + s y on a bin,
    # int y^k A_lin dy = alpha y^(k+1)/(k+1) + s y^(k+2)/(k+2) between the bin ends
    wq, Aq, cq = [Fraction(x) for x in w], [Fraction(x) for x in A], Fraction(center)
    expected = []
    for k in orders:
        total = Fraction(0)
        for j in range(w.size - 1):
            s = (Aq[j + 1] - Aq[j]) / (wq[j + 1] - wq[j])
            alpha = Aq[j] - s * (wq[j] - cq)
            for y, sign in ((wq[j + 1] - cq, 1), (wq[j] - cq, -1)):
                total += sign * (alpha * y ** (k + 1) / (k + 1) + s * y ** (k + 2) / (k + 2))
        expected.append(float(total))
    # float64 rounding of sums of |(w - c)^k A_lin| (at most 3.4^7 * 6 = 4e4 against |M_7| = 285): 1e-13
    np.testing.assert_allclose(spectral_moments(w, A, orders, center=center), expected, rtol=1e-13)


@pytest.mark.parametrize(
    "grid",
    [np.linspace(-1.0, 1.0, 2000), make_nonuniform_refreq(w_max=2.0, n_w=800, w_scale=0.5).points],
    ids=["uniform_2000", "nonuniform_800"],
)
def test_semicircle_moments(grid):
    D = 1.0
    norm, first, second = spectral_moments(grid, semicircle_dos(grid, D))
    # A_lin misses weight in the bins at the sqrt edges, O(h^1.5): 0.374 h^1.5 when an edge is a grid point
    # (measured 1.2e-5, uniform, h = 1e-3); less when it falls inside a bin (measured 7.0e-5, h = 5.9e-3)
    h_edge = np.diff(grid)[np.searchsorted(grid, D) - 1]
    tol = 0.4 * h_edge**1.5
    assert norm == pytest.approx(1.0, abs=tol)
    assert first == pytest.approx(0.0, abs=1e-14)  # symmetric grid and A: cancels to rounding
    assert second == pytest.approx(D**2 / 4, abs=tol)
    # the same rule summed for one order instead of three: the summation order of the vectorized sums may
    # differ by machine (measured 1 ulp on one CPU), so a few float64 eps, not bit equality
    assert spectral_norm(grid, semicircle_dos(grid, D)) == pytest.approx(norm, rel=4 * np.finfo(float).eps)


def test_gaussian_moments_and_their_h_squared_bias():
    sigma = 0.5
    w = np.linspace(-4.0, 4.0, 401)  # truncation at 8 sigma: lost weight 1e-15
    h = w[1] - w[0]
    A = np.exp(-(w**2) / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))
    M = spectral_moments(w, A, orders=(0, 1, 2, 4))
    # k = 0 is the trapezoid rule, spectrally accurate for a smooth decaying A: only rounding and truncation
    assert M[0] == pytest.approx(1.0, abs=1e-14)
    assert M[1] == pytest.approx(0.0, abs=1e-15)
    # A_lin overestimates a convex A: int w^k (A_lin - A) = (h^2/12) k (k-1) M_(k-2) + O(h^4); the O(h^4)
    # remainder is ~h^4 = 1.6e-7 relative to the bias
    assert M[2] - sigma**2 == pytest.approx(h**2 / 6, rel=1e-3)
    assert M[3] - 3 * sigma**4 == pytest.approx(h**2 * sigma**2, rel=1e-3)


def test_center_and_trailing_axes():
    rng = np.random.default_rng(3)
    w = make_nonuniform_refreq(w_max=3.0, n_w=100, w_scale=0.5).points
    A = rng.uniform(0, 1, (100, 2, 2))
    about_zero = spectral_moments(w, A, orders=(0, 1, 2))
    assert about_zero.shape == (3, 2, 2)
    c = 0.7
    about_c = spectral_moments(w, A, orders=(2,), center=c)[0]
    # binomial identity int (w-c)^2 A = M2 - 2 c M1 + c^2 M0, exact up to rounding of O(1) numbers
    np.testing.assert_allclose(about_c, about_zero[2] - 2 * c * about_zero[1] + c**2 * about_zero[0], rtol=1e-13)
    np.testing.assert_allclose(about_zero[:, 1, 0], spectral_moments(w, A[:, 1, 0]), rtol=1e-14)


def test_invalid_input_names_the_argument():
    w = np.linspace(-1, 1, 5)
    with pytest.raises(ValueError, match="orders must be non-negative integers"):
        spectral_moments(w, np.ones(5), orders=(0, -1))
    with pytest.raises(ValueError, match="orders must be non-negative integers"):
        spectral_moments(w, np.ones(5), orders=(1.5,))
    with pytest.raises(ValueError, match="w must be strictly increasing; got w\\[1\\] = -0.5, w\\[2\\] = -0.5"):
        spectral_moments(np.array([-1, -0.5, -0.5, 0.5, 1]), np.ones(5))
    with pytest.raises(ValueError, match="A must have shape"):
        spectral_norm(w, np.ones((4, 2)))
    with pytest.raises(ValueError, match="w must be real"):
        spectral_norm(w + 0j, np.ones(5))
    with pytest.raises(ValueError, match="center must be a finite"):
        spectral_moments(w, np.ones(5), center=np.nan)
