"""Weight and first moment of the tilted spectral function inside a window, against A and quadrature."""

import numpy as np
import pytest
from scipy.integrate import quad

from triqs_nnsolver.gf import PoleSum, make_nonuniform_refreq, spectral_moments
from triqs_nnsolver.spectral import kernel_window_moments, tilt_kernel, tilted_window_moments

W_GRID = make_nonuniform_refreq(4.0, 200, 0.5).points
SEMICIRCLE = 2 / np.pi * np.sqrt(np.clip(1 - W_GRID**2, 0, None))


@pytest.mark.parametrize("w_prime", [-1.3, 0.7])
def test_kernel_window_moments_match_quadrature(w_prime):
    alpha = 0.3
    P0, P1 = kernel_window_moments(w_prime, alpha, -2.0, 3.0)
    # quad's tolerance on a smooth Lorentzian
    assert P0 == pytest.approx(quad(lambda w: tilt_kernel(w, w_prime, alpha), -2, 3, epsrel=1e-13)[0], abs=1e-13)
    assert P1 == pytest.approx(quad(lambda w: w * tilt_kernel(w, w_prime, alpha), -2, 3, epsrel=1e-13)[0], abs=1e-13)


def test_delta_at_zero_excitation_energy():
    P0, P1 = kernel_window_moments(np.array([0.0, 0.0]), 0.3, -1.0, 1.0)
    np.testing.assert_array_equal(P0, [1.0, 1.0])
    np.testing.assert_array_equal(P1, [0.0, 0.0])
    assert kernel_window_moments(0.0, 0.3, 0.5, 1.0)[0] == 0.0


def test_sampled_window_moments_match_quadrature():
    alpha, w_lo, w_hi = 0.3, -5.0, 5.0
    m0, m1 = tilted_window_moments(SEMICIRCLE, W_GRID, alpha, w_lo, w_hi)
    breaks = np.union1d(W_GRID, [0.0])

    def integrand(x, k):
        return np.interp(x, W_GRID, SEMICIRCLE) * kernel_window_moments(x, alpha, w_lo, w_hi)[k]

    bins = list(zip(breaks[:-1], breaks[1:], strict=True))
    references = [sum(quad(integrand, a, b, args=(k,))[0] for a, b in bins) for k in (0, 1)]
    # 8-point Gauss-Legendre on smooth integrands: float64 rounding (measured 4e-16)
    assert m0 == pytest.approx(references[0], abs=1e-14)
    assert m1 == pytest.approx(references[1], abs=1e-14)


def half_axis_moments(w, A, order):
    """``(int_{w<0} w^order A_lin, int_{w>0} w^order A_lin)`` exactly, for the interpolant on the grid w."""
    grid = np.union1d(w, [0.0])
    values = np.interp(grid, w, A)  # adding the point 0 leaves the interpolant unchanged
    negative, positive = grid <= 0, grid >= 0
    return (
        spectral_moments(grid[negative], values[negative], (order,))[0],
        spectral_moments(grid[positive], values[positive], (order,))[0],
    )


@pytest.mark.parametrize("alpha", [0.1, 0.6])
def test_wide_window_recovers_norm_and_first_moment(alpha):
    rng = np.random.default_rng(7)
    poles = PoleSum(rng.uniform(-3, 3, 8), rng.dirichlet(np.ones(8)))
    A = np.exp(-0.5 * ((W_GRID - 0.7) / 0.6) ** 2)  # asymmetric, so int w A != 0
    width = 1e3
    e, weights = poles.energies, poles.weights
    below_1, above_1 = half_axis_moments(W_GRID, A, 1)
    below_2, above_2 = half_axis_moments(W_GRID, A, 2)
    cases = (  # source, (int A, int w A, int |w| A, int w |w| A), max |w'|
        (poles, (weights.sum(), weights @ e, weights @ np.abs(e), weights @ (e * np.abs(e))), 3.0),
        (A, (spectral_moments(W_GRID, A, (0,))[0], below_1 + above_1, above_1 - below_1, above_2 - below_2), 4.0),
    )
    for source, (norm, first, absolute_first, signed_second), largest in cases:
        m0, m1 = tilted_window_moments(source, W_GRID, alpha, -width, width)
        # the Lorentzian tails outside [-W, W] carry (2 sin(alpha) / (pi W)) int |w'| A; the rest is
        # (2 / pi) int |w'| sin(alpha) (c^2 - g^2 / 3) A / W^3 <= (2 / pi) max|w'|^3 sin(alpha) norm / W^3
        remainder = 2 / np.pi * largest**3 * np.sin(alpha) * norm / width**3
        assert m0 + 2 * np.sin(alpha) / (np.pi * width) * absolute_first == pytest.approx(norm, abs=remainder)
        # first moment (symmetric-window principal value): the tails shift it by
        # -(2 / pi) sin(2 alpha) int w'|w'| A / W; the rest is O(W^-3) with coefficient below max|w'|^4
        shift = -2 / np.pi * np.sin(2 * alpha) * signed_second / width
        assert m1 == pytest.approx(np.cos(alpha) * first + shift, abs=largest**4 * norm / width**3)


def test_invalid_window_is_named():
    with pytest.raises(ValueError, match="w_lo < w_hi"):
        tilted_window_moments(SEMICIRCLE, W_GRID, 0.3, 1.0, -1.0)
    with pytest.raises(ValueError, match="alpha"):
        kernel_window_moments(0.5, 2.0, -1.0, 1.0)
