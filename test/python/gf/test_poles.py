"""Pole sums: closed forms, the complex-time rays and their alpha-derivatives."""

import numpy as np
import pytest
from scipy.integrate import trapezoid

from triqs_nnsolver.gf import (
    PoleSum,
    greater_on_ray,
    lesser_on_ray,
    matsubara_from_spectral,
    poles_on_complex,
    poles_retarded,
    poles_spectral,
    poles_tau,
    split_at_fermi_level,
    tau_from_spectral,
)

POLES = PoleSum([-1.3, -0.2, 0.4, 2.0], [0.25, 0.15, 0.4, 0.2])


def test_split_and_norm():
    particle, hole = split_at_fermi_level(POLES)
    np.testing.assert_array_equal(particle.energies, [0.4, 2.0])
    np.testing.assert_array_equal(hole.energies, [-1.3, -0.2])
    assert particle.norm + hole.norm == pytest.approx(1.0, abs=1e-15)  # float64 rounding of 4 terms
    with pytest.raises(ValueError, match="exactly at the Fermi level"):
        split_at_fermi_level(PoleSum([0.0, 1.0], [0.5, 0.5]))


def test_invalid_poles_are_named():
    with pytest.raises(ValueError, match="same length"):
        PoleSum([0.1, 0.2], [1.0])
    with pytest.raises(ValueError, match="weights must be non-negative"):
        PoleSum([0.1], [-1.0])


def test_spectral_functions_are_normalized_and_match_retarded():
    w = np.linspace(-400, 400, 800_001)
    eta = 0.05
    lorentzian = poles_spectral(POLES, w, eta)
    np.testing.assert_allclose(lorentzian, -poles_retarded(POLES, w, eta).imag / np.pi, rtol=1e-13)
    # Lorentzian tails beyond |w| = 400 hold about 2 eta / (pi 400) = 8e-5 of the weight.
    assert trapezoid(lorentzian, w) == pytest.approx(1.0, abs=1e-4)
    gaussian = poles_spectral(POLES, w, 0.1, kind="gaussian")
    assert trapezoid(gaussian, w) == pytest.approx(1.0, abs=1e-12)  # trapezoid on a smooth Gaussian
    with pytest.raises(ValueError, match="kind must be"):
        poles_spectral(POLES, w, 0.1, kind="box")


def test_matsubara_and_tau_match_spectral_route():
    beta = 10.0
    iw = 1j * (2 * np.arange(-50, 50) + 1) * np.pi / beta
    direct = poles_on_complex(POLES, iw)
    np.testing.assert_allclose(direct, (POLES.weights / (iw[:, None] - POLES.energies)).sum(1), rtol=1e-15)
    # A narrow Gaussian (width s = 0.002) stands for the poles: error s^2/2 |d^2 G/de^2| = s^2 w/|iw - e|^3,
    # largest at the first Matsubara frequency next to the pole at -0.2: 1.4e-5; 3e-5 bounds it.
    w = np.linspace(-3, 3, 60001)
    A = poles_spectral(POLES, w, 0.002, kind="gaussian")
    np.testing.assert_allclose(matsubara_from_spectral(w, A, iw), direct, atol=3e-5)
    tau = np.linspace(0, beta, 21)
    np.testing.assert_allclose(poles_tau(POLES, beta, tau), tau_from_spectral(w, A, beta, tau), atol=3e-5)
    G = poles_tau(POLES, beta, [0.0, beta])
    assert G.sum() == pytest.approx(-1.0, abs=1e-15)  # G(0) + G(beta) = -norm


def test_tau_has_no_overflow_at_low_temperature():
    with np.errstate(over="raise", invalid="raise"):
        G = poles_tau(POLES, 1e4, np.array([0.0, 5e3, 1e4]))
    # T -> 0: G(0+) = -<d d+> = -(particle weight), G(beta-) = -<d+ d> = -(hole weight); the middle decays to 0.
    np.testing.assert_allclose(G, [-0.6, 0.0, -0.4], atol=1e-15)


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.5, 1.2])
def test_ray_derivatives_equal_finite_differences(alpha):
    particle, hole = split_at_fermi_level(POLES)
    t = np.linspace(0, 8, 33)
    h = 1e-5
    for on_ray, part in ((greater_on_ray, particle), (lesser_on_ray, hole)):
        G, dG = on_ray(part, t, alpha)
        numeric = (on_ray(part, t, alpha + h)[0] - on_ray(part, t, alpha - h)[0]) / (2 * h)
        # central difference: error h^2 |d^3 G/d alpha^3| / 6 ~ 1e-10 * (e t)^3 <= 1e-7 here
        np.testing.assert_allclose(dG, numeric, atol=1e-7)


def test_rays_start_at_the_weights_and_decay():
    particle, hole = split_at_fermi_level(POLES)
    G, _ = greater_on_ray(particle, 0.0, 0.3)
    L, _ = lesser_on_ray(hole, 0.0, 0.3)
    assert G == pytest.approx(-1j * particle.norm) and L == pytest.approx(1j * hole.norm)  # exact at t = 0
    # Along the tilted rays each term decays like exp(-|e| t sin(alpha)): at t = 400, alpha = 0.3, |e| >= 0.2.
    assert abs(greater_on_ray(particle, 400.0, 0.3)[0]) < 1e-10
    assert abs(lesser_on_ray(hole, 400.0, 0.3)[0]) < 1e-10
    with pytest.raises(ValueError, match="alpha must lie in"):
        greater_on_ray(particle, 1.0, 2.0)
