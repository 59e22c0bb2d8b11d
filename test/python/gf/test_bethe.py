"""Tests of triqs_nnsolver.gf.bethe: semicircular DOS and its Green's function against closed forms."""

import numpy as np
import pytest
from scipy import integrate

from triqs_nnsolver.gf import MeshImFreq, semicircle_dos, semicircle_gf, semicircle_gf_iw

EPS = np.finfo(float).eps


@pytest.mark.parametrize("D", [1.0, 2.5])
def test_dos_values_and_sum_rules(D):
    assert semicircle_dos(0.0, D) == pytest.approx(2 / (np.pi * D), rel=4 * EPS)
    np.testing.assert_array_equal(semicircle_dos(np.array([-2 * D, -D, D, 1.5 * D]), D), 0.0)
    # adaptive quadrature of the closed form: quad's own error estimate is ~1e-10 at the sqrt edges
    norm, _ = integrate.quad(semicircle_dos, -D, D, args=(D,))
    second, _ = integrate.quad(lambda w: w**2 * semicircle_dos(w, D), -D, D)
    assert norm == pytest.approx(1.0, abs=1e-9)
    assert second == pytest.approx(D**2 / 4, abs=1e-9)


def test_retarded_on_real_axis():
    D = 1.0
    w = np.linspace(-3, 3, 601)
    G = semicircle_gf(w, D)
    # Im G = -pi rho: same sqrt, so agreement to a few eps of |G| ~ 2/D
    np.testing.assert_allclose(G.imag, -np.pi * semicircle_dos(w, D), rtol=0, atol=8 * EPS)
    outside = np.abs(w) > D
    expected = 2 / (w[outside] + np.sign(w[outside]) * np.sqrt(w[outside] ** 2 - D**2))
    np.testing.assert_allclose(G[outside].real, expected, rtol=8 * EPS)
    assert semicircle_gf(0.0, D) == pytest.approx(-2j / D, rel=4 * EPS)


def test_signed_zero_imaginary_part_is_retarded():
    # a complex input with Im z = -0.0 must still give the retarded value, not the advanced one
    z = np.array([complex(0.3, -0.0), complex(-0.6, 0.0)])
    np.testing.assert_array_equal(semicircle_gf(z, 1.0), semicircle_gf(z.real, 1.0))
    assert np.all(semicircle_gf(z, 1.0).imag < 0)


def test_branch_causality_and_symmetry():
    rng = np.random.default_rng(20240611)
    z = rng.uniform(-3, 3, 200) + 1j * rng.uniform(1e-6, 3, 200)
    G = semicircle_gf(z, 1.3)
    assert np.all(G.imag < 0)
    np.testing.assert_allclose(semicircle_gf(z.conj(), 1.3), G.conj(), rtol=4 * EPS)
    # G solves t^2 G^2 - z G + 1 = 0 (t = D/2); residual of order eps |z G|
    t = 1.3 / 2
    np.testing.assert_allclose(t**2 * G**2 - z * G + 1, 0, atol=20 * EPS * np.abs(z * G).max())


def test_against_numerical_hilbert_transform():
    D = 1.0
    for z in [0.4 + 0.2j, -1.5 + 0.05j, 0.1 + 3.0j]:
        re, _ = integrate.quad(lambda w, z=z: (semicircle_dos(w, D) / (z - w)).real, -D, D, limit=200)
        im, _ = integrate.quad(lambda w, z=z: (semicircle_dos(w, D) / (z - w)).imag, -D, D, limit=200)
        # quad's accuracy on the integrable sqrt edges, ~1e-10
        assert semicircle_gf(z, D) == pytest.approx(re + 1j * im, abs=1e-9)


def test_matsubara_convenience_and_large_frequency_accuracy():
    mesh = MeshImFreq(beta=10.0, statistic="F", n_iw=50)
    G = semicircle_gf_iw(mesh, 1.0)
    # two evaluations of one closed form: a few eps apart
    np.testing.assert_allclose(G, semicircle_gf(mesh.iw, 1.0), rtol=4 * EPS)
    np.testing.assert_array_equal(G.real, 0.0)
    np.testing.assert_array_equal(semicircle_gf_iw(mesh.points, 1.0), G)
    # far out the asymptotic series 1/iw + t^2/(iw)^3 + 2 t^4/(iw)^5 is exact to 1e-30; the stable
    # evaluation keeps full relative precision where z - sqrt(z^2 - D^2) would lose 12 digits
    w_n = np.array([1e6, -3e6])
    iw, t2 = 1j * w_n, 0.25
    series = 1 / iw + t2 / iw**3 + 2 * t2**2 / iw**5
    np.testing.assert_allclose(semicircle_gf_iw(w_n, 1.0), series, rtol=4 * EPS)


@pytest.mark.parametrize("D", [0.0, -1.0, np.inf, np.nan])
def test_invalid_half_bandwidth(D):
    with pytest.raises(ValueError, match="half-bandwidth D"):
        semicircle_gf(0.1j, D)
    with pytest.raises(ValueError, match="half-bandwidth D"):
        semicircle_dos(0.1, D)


def test_complex_frequencies_rejected_where_real_expected():
    with pytest.raises(ValueError, match="w must be real"):
        semicircle_dos(np.array([0.1 + 0.1j]), 1.0)
    with pytest.raises(ValueError, match="w_n must be the real Matsubara"):
        semicircle_gf_iw(np.array([1j]), 1.0)
    with pytest.raises(ValueError, match="w_n must be non-zero"):
        semicircle_gf_iw(np.array([0.0, 1.0]), 1.0)
