"""Energy-scale covariance: a Bethe bath of half-bandwidth D maps to the D = 1 model problem."""

import numpy as np
import pytest
from scipy.integrate import trapezoid

from triqs_nnsolver.gf import make_nonuniform_refreq, semicircle_dos
from triqs_nnsolver.model import energy_scale, spectral_from_model_units, to_model_units


def test_bethe_bath_of_any_width_maps_to_the_reference():
    D = 2.5
    w = make_nonuniform_refreq(4 * D, 4000, 0.1 * D).points
    rho = (D / 2) ** 2 * semicircle_dos(w, D)  # Bethe bath Delta = t^2 G, t = D/2
    scale = energy_scale(w, rho)
    # the piecewise-linear integral of the square-root edges is short by ~h^1.5: 1e-5 relative here
    assert scale == pytest.approx(D, rel=1e-4)
    w_model = make_nonuniform_refreq(8.0, 256, 0.3).points
    rho_model, U_model, eps_model = to_model_units(scale, w_model, w, rho, U=5.0, eps_d=-2.5)
    expected = 0.25 * semicircle_dos(w_model, 1.0)
    # linear interpolation of the sampled density plus the 1e-4 error of the scale
    np.testing.assert_allclose(rho_model, expected, atol=2e-3)
    assert (U_model, eps_model) == pytest.approx((5.0 / scale, -2.5 / scale))


def test_spectral_function_scales_back_with_its_norm():
    w_model = make_nonuniform_refreq(8.0, 2000, 0.3).points
    A_model = semicircle_dos(w_model, 1.0)
    w = np.linspace(-10, 10, 4001)
    A = spectral_from_model_units(3.0, w_model, A_model, w)
    # linear interpolation across the square-root band edge: ~ sqrt(h) / s with h ~ 2e-3 on the model grid
    np.testing.assert_allclose(A, semicircle_dos(w, 3.0), atol=5e-3)
    assert trapezoid(A, w) == pytest.approx(1.0, abs=1e-3)


def test_bad_scale_and_empty_bath_are_named():
    with pytest.raises(ValueError, match="scale must be positive; got scale = 0"):
        spectral_from_model_units(0, [0.0, 1.0], [1.0, 1.0], [0.5])
    with pytest.raises(ValueError, match="rho_Delta must have a positive integral"):
        energy_scale([0.0, 1.0], [0.0, 0.0])
