"""The tilted spectral transform: kernel, pole and sampled routes, alpha-derivative, first-order formula."""

import numpy as np
import pytest
from scipy.integrate import quad

import triqs_nnsolver.spectral as spectral
from triqs_nnsolver.gf import PoleSum, make_nonuniform_refreq, poles_spectral, spectral_moments
from triqs_nnsolver.spectral import (
    dtilt_dalpha,
    first_order_real_axis,
    tilt,
    tilt_kernel,
    tilt_kernel_dalpha,
    tilt_matrix,
)

POLES = PoleSum([-2.0, -0.7, 0.5, 1.6], [0.3, 0.2, 0.3, 0.2])
W_GRID = make_nonuniform_refreq(8.0, 400, 0.5).points  # no point at w = 0


def gaussian(w, centre, width):
    return np.exp(-0.5 * ((w - centre) / width) ** 2) / (np.sqrt(2 * np.pi) * width)


def three_gaussians(w):
    """Hubbard-like bands at +-1.5 and a central peak: a metal, A(0) > 0, norm 1 up to the grid's tails."""
    return 0.4 * gaussian(w, -1.5, 0.8) + 0.4 * gaussian(w, 1.5, 0.8) + 0.2 * gaussian(w, 0.0, 0.5)


def semicircle(w):
    return 2 / np.pi * np.sqrt(np.clip(1 - w**2, 0, None))


def test_all_is_honest():
    for name in spectral.__all__:
        assert callable(getattr(spectral, name)), name


@pytest.mark.parametrize("alpha", [0.05, 0.3, 1.2])
@pytest.mark.parametrize("w_prime", [-3.0, -0.5, 0.01, 0.5, 3.0])
def test_kernel_is_a_normalized_lorentzian(w_prime, alpha):
    centre, width = w_prime * np.cos(alpha), abs(w_prime) * np.sin(alpha)
    norm = sum(
        quad(lambda w: tilt_kernel(w, w_prime, alpha), a, b, epsabs=1e-13, epsrel=1e-13, limit=200)[0]
        for a, b in [(-np.inf, centre), (centre, np.inf)]
    )
    assert norm == pytest.approx(1.0, abs=1e-10)  # quad's error on the infinite tails
    # centre and height 1 / (pi * half-width): float64 rounding
    assert tilt_kernel(centre, w_prime, alpha) == pytest.approx(1 / (np.pi * width), rel=1e-14)
    assert tilt_kernel(centre + width, w_prime, alpha) == pytest.approx(0.5 / (np.pi * width), rel=1e-14)


def test_kernel_at_zero_excitation_energy_is_a_delta():
    values = tilt_kernel(np.array([-1.0, 0.0, 2.0]), 0.0, 0.3)
    np.testing.assert_array_equal(values, [0.0, np.inf, 0.0])
    np.testing.assert_array_equal(tilt_kernel_dalpha(np.array([-1.0, 0.0]), 0.0, 0.3), [0.0, 0.0])


def test_single_pole_becomes_the_stated_lorentzian():
    w = np.linspace(-3, 3, 601)
    alpha = 0.4
    for energy in (0.8, -1.3):
        A_tilt = tilt(PoleSum([energy], [0.7]), w, alpha)
        lorentzian = poles_spectral(PoleSum([energy * np.cos(alpha)], [0.7]), w, abs(energy) * np.sin(alpha))
        np.testing.assert_allclose(A_tilt, lorentzian, rtol=1e-13, atol=0)  # float64 rounding of two formulas


def test_positivity():
    rng = np.random.default_rng(20240611)
    poles = PoleSum(rng.uniform(-3, 3, 12), rng.uniform(0, 1, 12))
    samples = rng.uniform(0, 1, W_GRID.size)  # rough, non-negative A
    for alpha in (1e-3, 0.3, 1.5):
        assert np.all(tilt(poles, W_GRID, alpha) > 0)
        # exact integrals of a non-negative integrand; -1e-15 absorbs rounding of near-zero values
        assert np.all(tilt(samples, W_GRID, alpha) > -1e-15)


@pytest.mark.parametrize("alpha", [0.1, 0.3, 1.0])
@pytest.mark.parametrize("spectrum", [semicircle, three_gaussians])
def test_norm_is_conserved_for_sampled_input(spectrum, alpha):
    A = spectrum(W_GRID)
    w_out = make_nonuniform_refreq(200.0, 4000, 0.05).points
    A_tilt = tilt(A, W_GRID, alpha, w_out)
    norm_in = spectral_moments(W_GRID, A, (0,))[0]
    norm_out = spectral_moments(w_out, A_tilt, (0,))[0]
    # Lorentzian tails beyond |w| = 200 carry (2 sin(alpha) / (pi 200)) int |w'| A (see sum_rules)
    tail = 2 * np.sin(alpha) / (np.pi * w_out[-1]) * spectral_moments(W_GRID, A * np.abs(W_GRID), (0,))[0]
    # remaining error: piecewise-linear integration of A~ on w_out (measured 5e-5 at most)
    assert norm_out + tail == pytest.approx(norm_in, abs=1e-4)


def test_sampled_route_matches_adaptive_quadrature_near_zero():
    w_grid = make_nonuniform_refreq(8.0, 120, 0.5).points  # coarse: Lorentzians far narrower than bins
    A = three_gaussians(w_grid)
    w_out = np.array([-1e-8, 1e-8, w_grid[59], w_grid[60], 0.77])
    breaks = np.union1d(w_grid, [0.0])

    def integrand(x, w, alpha):
        return np.interp(x, w_grid, A) * tilt_kernel(w, x, alpha)

    for alpha in (0.01, 0.3):
        A_tilt = tilt(A, w_grid, alpha, w_out)
        for w, value in zip(w_out, A_tilt, strict=True):
            pieces = np.union1d(breaks, [w * np.cos(alpha)])
            pieces = pieces[(pieces >= w_grid[0]) & (pieces <= w_grid[-1])]
            reference = sum(
                quad(integrand, a, b, args=(w, alpha), epsabs=0, epsrel=1e-12)[0]
                for a, b in zip(pieces[:-1], pieces[1:], strict=True)
            )
            assert value == pytest.approx(reference, rel=1e-10)  # quad's tolerance summed over 120 bins


def test_metallic_log_singularity_stays_finite_off_zero():
    A = semicircle(W_GRID)
    w_out = np.array([1e-150, 1e-12, 1e-6, W_GRID[200]])
    A_tilt = tilt(A, W_GRID, 0.3, w_out)
    dA_tilt = dtilt_dalpha(A, W_GRID, 0.3, w_out)
    assert np.all(np.isfinite(A_tilt)) and np.all(np.isfinite(dA_tilt))
    assert np.all(np.diff(A_tilt) < 0)  # ~ -(2 sin(alpha)/pi) A(0) log|w| grows towards 0
    for too_close in (0.0, 1e-200):  # w^2 would underflow
        with pytest.raises(ValueError, match="w_out must not contain w = 0"):
            tilt(A, W_GRID, 0.3, [too_close, 1.0])


@pytest.mark.parametrize("alpha", [0.05, 0.3, 1.0])
def test_analytic_derivative_equals_central_difference(alpha):
    step = 3e-4 * alpha  # tilted widths scale with alpha, so the step must too
    A = three_gaussians(W_GRID)
    for source in (POLES, A):
        derivative = dtilt_dalpha(source, W_GRID, alpha)
        difference = (tilt(source, W_GRID, alpha + step) - tilt(source, W_GRID, alpha - step)) / (2 * step)
        # central-difference truncation ~ (step / alpha)^2 ~ 1e-7 of the peak (measured 9.5e-8 at most);
        # rounding of tilt / step stays below 1e-10
        np.testing.assert_allclose(difference, derivative, rtol=0, atol=1e-6 * np.abs(derivative).max())


def test_first_order_formula_error_scales_as_alpha_squared():
    w = make_nonuniform_refreq(8.0, 800, 0.5).points
    A = three_gaussians(w)
    errors = []
    for alpha in (0.04, 0.02):
        estimate = first_order_real_axis(tilt(A, w, alpha), dtilt_dalpha(A, w, alpha), alpha)
        errors.append(np.abs(estimate - A).max())
    # O(alpha^2) halves to a quarter; the alpha^3 term (relative size ~ alpha |w'| / width) and the
    # O(alpha h) effect of the interpolant's kinks move the measured ratio (3.72) below 4
    assert 3.3 < errors[0] / errors[1] < 4.3
    assert errors[1] < 5e-4  # measured 2.3e-4 at alpha = 0.02, for a peak of A of 0.36


def test_sampled_route_converges_to_pole_route():
    w = np.linspace(-4, 4, 4000)  # h = 0.002, no point at 0
    w_out = w[::10]
    alpha = 0.3
    reference = tilt(POLES, w, alpha, w_out)
    narrowest = np.abs(POLES.energies).min() * np.sin(alpha)  # half-width of the sharpest tilted Lorentzian
    errors = []
    for eta in (0.02, 0.01):
        A = poles_spectral(POLES, w, eta, kind="gaussian")
        errors.append(np.abs(tilt(A, w, alpha, w_out) - reference).max() / reference.max())
        # Gaussian broadening eta shifts the tilted Lorentzian peak by about (eta / half-width)^2 of its
        # height; 1.5 allows for the O(eta^4) terms (measured 0.86 and 0.89 of the bound)
        assert errors[-1] < 1.5 * (eta / narrowest) ** 2
    assert 3.3 < errors[0] / errors[1] < 4.3  # second order in eta


def test_alpha_zero_returns_the_interpolant():
    A = three_gaussians(W_GRID)
    np.testing.assert_array_equal(tilt(A, W_GRID, 0.0), A)
    w_out = np.array([-9.0, -0.3, 0.0, 1.1, 9.0])  # outside the grid A is zero
    np.testing.assert_allclose(tilt(A, W_GRID, 0.0, w_out), np.interp(w_out, W_GRID, A, left=0, right=0), rtol=1e-15)
    with pytest.raises(ValueError, match=r"alpha must lie in \(0, pi/2\)"):
        tilt(POLES, W_GRID, 0.0)
    with pytest.raises(ValueError, match=r"alpha must lie in \(0, pi/2\)"):
        dtilt_dalpha(A, W_GRID, 0.0)


def test_batched_spectra_match_single_calls():
    batch = np.stack([semicircle(W_GRID), three_gaussians(W_GRID)], axis=-1)  # (n_w, 2)
    result = dtilt_dalpha(batch, W_GRID, 0.3)
    assert result.shape == (W_GRID.size, 2)
    # same sums in a different order: float64 rounding relative to the largest value
    single = dtilt_dalpha(batch[:, 1], W_GRID, 0.3)
    np.testing.assert_allclose(result[:, 1], single, rtol=0, atol=1e-14 * np.abs(single).max())
    matrix = tilt_matrix(W_GRID, 0.3)
    single = tilt(batch[:, 0], W_GRID, 0.3)
    np.testing.assert_allclose(matrix @ batch[:, 0], single, rtol=0, atol=1e-14 * single.max())


def test_invalid_input_is_named():
    A = semicircle(W_GRID)
    for alpha in (-0.1, np.pi / 2, np.nan, "x"):
        with pytest.raises(ValueError, match="alpha"):
            tilt(A, W_GRID, alpha)
    with pytest.raises(ValueError, match="w_grid must be strictly increasing"):
        tilt(A, W_GRID[::-1], 0.3)
    with pytest.raises(ValueError, match="A must have shape"):
        tilt(A[:-1], W_GRID, 0.3)
    with pytest.raises(ValueError, match="A must be a real spectral function"):
        tilt(A + 0j, W_GRID, 0.3)
    with pytest.raises(ValueError, match="pole at w' = 0"):
        tilt(PoleSum([0.0, 1.0], [0.5, 0.5]), W_GRID, 0.3)
    with pytest.raises(ValueError, match="same shape"):
        first_order_real_axis(A, A[:-1], 0.3)
