"""Time-domain route: the Filon transform of exact G>(z), G<(zbar) of a pole sum reproduces tilt and dtilt_dalpha."""

import numpy as np
import pytest
from scipy.integrate import quad, trapezoid
from scipy.special import voigt_profile

from triqs_nnsolver.gf import PoleSum, greater_on_ray, lesser_on_ray, split_at_fermi_level
from triqs_nnsolver.spectral import (
    dtilt_dalpha,
    dtilted_spectral_from_time,
    tilt,
    tilt_kernel,
    tilted_spectral_from_time,
    time_window,
)

# 3 particle + 3 hole poles, weights summing to 1; |e| >= 0.25 so that the slowest decay along the ray,
# exp(-0.25 sin(0.3) t), is 6e-11 at t_max = 320: truncation is below the Filon error
POLES = PoleSum([0.25, 0.9, 2.5, -0.3, -1.1, -2.2], [0.1, 0.25, 0.15, 0.2, 0.2, 0.1])
ALPHA = 0.3
T = np.linspace(0.0, 320.0, 6401)  # dt = 0.05: spline error (5/384) (2.5 dt)^4 ~ 3e-6 of |f| pointwise
# frequencies up to 40 put w dt = 2 into the recursion branch of the Filon moments
W_OUT = np.concatenate([[-40.0, -25.0], np.linspace(-4, 4, 161), [25.0, 40.0]])


@pytest.fixture(scope="module")
def samples():
    particle, hole = split_at_fermi_level(POLES)
    G_greater, dG_greater = greater_on_ray(particle, T, ALPHA)
    G_lesser, dG_lesser = lesser_on_ray(hole, T, ALPHA)
    return G_greater, G_lesser, dG_greater, dG_lesser


@pytest.mark.parametrize("energy", [0.7, -1.3])
def test_kernel_identity_from_the_definition(energy):
    """(1/pi) Re int_0^inf dt e^{iwt} i [G> - G<] of one pole equals K_alpha(w, e) (METHOD.md section 2)."""
    alpha = 0.4
    pole = PoleSum([energy], [1.0])

    def integrand(t, w):
        if energy > 0:
            return (np.exp(1j * w * t) * 1j * greater_on_ray(pole, t, alpha)[0]).real
        return (np.exp(1j * w * t) * -1j * lesser_on_ray(pole, t, alpha)[0]).real

    for w in (-1.0, 0.2, 0.9):
        value = quad(integrand, 0, 400, args=(w,), limit=2000, epsabs=1e-12)[0] / np.pi
        # quad's absolute tolerance; the tail beyond t = 400 is exp(-0.7 sin(0.4) 400) ~ 1e-48
        assert value == pytest.approx(tilt_kernel(w, energy, alpha), abs=1e-11)


def test_time_route_reproduces_tilt(samples):
    G_greater, G_lesser, _, _ = samples
    reference = tilt(POLES, W_OUT, ALPHA)
    A_tilt = tilted_spectral_from_time(T, G_greater, G_lesser, W_OUT)
    # Filon error of the spline at dt = 0.05 (measured 1.6e-8 of the peak); truncation 6e-11
    np.testing.assert_allclose(A_tilt, reference, rtol=0, atol=1e-7 * reference.max())


def test_derivative_route_reproduces_dtilt_dalpha(samples):
    _, _, dG_greater, dG_lesser = samples
    reference = dtilt_dalpha(POLES, W_OUT, ALPHA)
    dA_tilt = dtilted_spectral_from_time(T, dG_greater, dG_lesser, W_OUT)
    # the derivative samples carry an extra factor |e| t: measured 3.2e-8 of the peak
    np.testing.assert_allclose(dA_tilt, reference, rtol=0, atol=2e-7 * np.abs(reference).max())


def test_tukey_window_bias_is_bounded_by_the_tapered_signal(samples):
    G_greater, G_lesser, dG_greater, dG_lesser = samples
    taper = 0.5
    start = (1 - taper) * T[-1]
    for greater, lesser, transform in (
        (G_greater, G_lesser, tilted_spectral_from_time),
        (dG_greater, dG_lesser, dtilted_spectral_from_time),
    ):
        plain = transform(T, greater, lesser, W_OUT)
        tapered = transform(T, greater, lesser, W_OUT, window="tukey", taper=taper)
        tail = T >= start
        bound = trapezoid(np.abs(greater - lesser)[tail], T[tail]) / np.pi  # (1/pi) int |f| over the taper
        assert 0 < np.abs(tapered - plain).max() <= bound


def test_gaussian_window_is_a_voigt_broadening(samples):
    G_greater, G_lesser, _, _ = samples
    sigma_w = 0.05
    A_tilt = tilted_spectral_from_time(T, G_greater, G_lesser, W_OUT, window="gaussian", sigma_w=sigma_w)
    e = POLES.energies
    voigt = voigt_profile(W_OUT[:, None] - e * np.cos(ALPHA), sigma_w, np.abs(e) * np.sin(ALPHA)) @ POLES.weights
    # Filon error as without window (measured 1.9e-8 of the peak)
    np.testing.assert_allclose(A_tilt, voigt, rtol=0, atol=1e-7 * voigt.max())


def test_batched_problems_match_single_calls(samples):
    G_greater, G_lesser, _, _ = samples
    batch = np.stack([G_greater, 0.5 * G_greater], axis=-1), np.stack([G_lesser, 0.5 * G_lesser], axis=-1)
    result = tilted_spectral_from_time(T, *batch, W_OUT[:20])
    single = tilted_spectral_from_time(T, G_greater, G_lesser, W_OUT[:20])
    assert result.shape == (20, 2)
    # float64 rounding of the same sums
    np.testing.assert_allclose(result, np.stack([single, 0.5 * single], axis=-1), rtol=0, atol=1e-15 * single.max())


def test_time_window_shapes():
    t = np.linspace(0, 10, 101)
    np.testing.assert_array_equal(time_window(t), np.ones(101))
    tukey = time_window(t, "tukey", taper=0.2)
    np.testing.assert_array_equal(tukey[t <= 8], 1.0)
    assert tukey[-1] == pytest.approx(0.0, abs=1e-16) and np.all(np.diff(tukey) <= 0)
    gaussian = time_window(t, "gaussian")  # default sigma_w = 6 / t_max
    assert gaussian[-1] == pytest.approx(np.exp(-18), rel=1e-14)


def test_invalid_input_is_named():
    t = np.linspace(0, 10, 101)
    G = np.exp(-t)
    with pytest.raises(ValueError, match="window must be one of"):
        time_window(t, "hann")
    with pytest.raises(ValueError, match="taper is used by window = 'tukey' only"):
        time_window(t, "gaussian", taper=0.3)
    with pytest.raises(ValueError, match="sigma_w is used by window = 'gaussian' only"):
        time_window(t, "none", sigma_w=0.1)
    with pytest.raises(ValueError, match="taper must lie in"):
        time_window(t, "tukey", taper=1.5)
    with pytest.raises(ValueError, match="start at t = 0"):
        tilted_spectral_from_time(t + 1, G, G, [0.5])
    with pytest.raises(ValueError, match="t must be uniform"):
        tilted_spectral_from_time(t**2 / 10, G, G, [0.5])
    with pytest.raises(ValueError, match="G_lesser must have shape"):
        tilted_spectral_from_time(t, G, G[:-1], [0.5])
    with pytest.raises(ValueError, match="dG_greater_dalpha must be finite"):
        dtilted_spectral_from_time(t, G * np.nan, G, [0.5])
