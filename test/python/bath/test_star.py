"""Star bath: validation, the defining sum ``Delta(z) = sum_k V_k^2 / (z - eps_k)`` and its analytic properties."""

import numpy as np
import pytest
from scipy.integrate import trapezoid

from triqs_nnsolver.bath import StarBath, hybridization, hybridization_real_axis

RNG = np.random.default_rng(20240611)
BATH = StarBath(RNG.uniform(-1, 1, 7), RNG.uniform(0.05, 0.4, 7))


def test_fields_are_read_only_float_arrays():
    bath = StarBath([0.5, -0.5], [1, 2])
    assert bath.eps.dtype == float and bath.V.dtype == float
    assert bath.n_bath == 2
    assert bath.total_weight == 5.0  # 1 + 4, exact in float64
    with pytest.raises(ValueError):
        bath.eps[0] = 1.0


def test_invalid_input_is_named():
    with pytest.raises(ValueError, match="same length; got 2 and 1"):
        StarBath([0.1, 0.2], [1.0])
    with pytest.raises(ValueError, match="finite"):
        StarBath([np.nan], [1.0])
    with pytest.raises(ValueError, match="eta = 0"):
        hybridization_real_axis(BATH, [0.0], eta=0)


def test_hybridization_is_the_pole_sum_on_any_shape():
    z = RNG.normal(size=(3, 4)) + 1j * RNG.normal(size=(3, 4))
    expected = sum(V**2 / (z - e) for e, V in zip(BATH.eps, BATH.V, strict=True))
    # sum of 7 terms, each exact to a few eps: relative rounding of order 1e-15
    np.testing.assert_allclose(hybridization(BATH, z), expected, rtol=1e-14)
    w = np.linspace(-2, 2, 5)
    np.testing.assert_array_equal(hybridization_real_axis(BATH, w, 0.1), hybridization(BATH, w + 0.1j))


def test_causality_symmetry_and_tail():
    z = RNG.uniform(-3, 3, 50) + 1j * RNG.uniform(0.01, 3, 50)
    Delta = hybridization(BATH, z)
    assert np.all(Delta.imag < 0)  # retarded side: Im Delta < 0 for Im z > 0
    np.testing.assert_allclose(hybridization(BATH, z.conj()), Delta.conj(), rtol=1e-15)  # real bath: exact mirror
    # Delta(z) = W / z + W1 / z^2 + O(z^-3): at |z| = 1e6 the remainder is 1e-12 relative to W / z
    big = 1e6j
    W, W1 = BATH.total_weight, float(np.sum(BATH.V**2 * BATH.eps))
    assert hybridization(BATH, big) == pytest.approx(W / big + W1 / big**2, rel=1e-11)


def test_lorentzian_weight_on_the_real_axis():
    w = np.linspace(-200, 200, 40_001)
    eta = 0.05
    rho = -hybridization_real_axis(BATH, w, eta).imag / np.pi
    # the Lorentzian tails beyond |w| = 200 hold 2 eta / (pi 200) of the weight, up to (eps_k / 200)^2 ~ 2e-5
    # of that; the trapezoid error of a Lorentzian is exp(-2 pi eta / h) ~ 2e-14 (poles eta off the axis)
    tails = 2 * eta / (np.pi * 200)
    assert trapezoid(rho, w) == pytest.approx(BATH.total_weight * (1 - tails), rel=1e-8)
