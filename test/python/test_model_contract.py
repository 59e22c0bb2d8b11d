"""The model contract: energy-scale covariance (a Bethe bath of half-bandwidth D maps to the D = 1 model
problem), the Re Delta channel, the network inputs of a caller's problem."""

import numpy as np
import pytest
from scipy.integrate import trapezoid

from triqs_nnsolver.gf import make_nonuniform_refreq, semicircle_dos
from triqs_nnsolver.model_contract import (
    INPUT_DTYPE,
    energy_scale,
    input_channels,
    model_inputs,
    re_delta_to_model_units,
    spectral_from_model_units,
    to_model_units,
)


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


def bethe_re_delta_model_units(x):
    """Exact ``Re Delta'`` of the D = 1 Bethe bath (t = 1/2): ``x / 2`` in the band, ``(x - sgn x sqrt(x^2 - 1)) / 2``
    outside (``Delta = t^2 G_semicircle``)."""
    return np.where(np.abs(x) <= 1, x / 2, (x - np.sign(x) * np.sqrt(np.abs(x**2 - 1))) / 2)


@pytest.mark.parametrize("w_max_over_D", [4.0, 1.2])  # caller's grid beyond the model grid (8 s), or inside it
def test_re_delta_channel_is_the_kramers_kronig_partner_of_a_bethe_bath(w_max_over_D):
    D = 2.5
    w = make_nonuniform_refreq(w_max_over_D * D, 4000, 0.1 * D).points
    rho = (D / 2) ** 2 * semicircle_dos(w, D)
    w_model = make_nonuniform_refreq(8.0, 256, 0.3).points
    re_delta = re_delta_to_model_units(energy_scale(w, rho), w_model, w, rho)
    error = np.abs(re_delta - bethe_re_delta_model_units(w_model))
    # Kramers-Kronig of the piecewise-linear semicircle converges as h^0.5 at its square-root edges (measured
    # 4.1e-3 there on both grids) and as h^1.5 inside (measured 2.0e-5 beyond 0.05 of the edges), also at the
    # model points outside the caller's grid; the bounds allow a factor 2.5 and 5 over the measurements
    assert error.max() < 1e-2
    assert error[np.abs(np.abs(w_model) - 1) > 0.05].max() < 1e-4


def test_model_inputs_follow_the_input_contract():
    D = 2.0
    w = np.linspace(-3 * D, 3 * D, 1201) + 1e-3
    rho = (D / 2) ** 2 * semicircle_dos(w, D)
    w_model = make_nonuniform_refreq(6.0, 32, 0.3).points
    plain = model_inputs(w_model, w, rho, U=4.0, eps_d=-2.0, alpha=0.0)
    assert plain.hybridization.shape == (1, 32, 1) and plain.params.shape == (1, 3)
    assert plain.hybridization.dtype == plain.params.dtype == INPUT_DTYPE == np.float32
    scale = energy_scale(w, rho)
    rho_model, U_model, eps_d_model = to_model_units(scale, w_model, w, rho, 4.0, -2.0)
    np.testing.assert_array_equal(plain.hybridization[0, :, 0], rho_model.astype(np.float32))
    np.testing.assert_array_equal(plain.params, np.float32([[U_model, eps_d_model, 0.0]]))
    assert (plain.scale, plain.U, plain.eps_d) == (scale, U_model, eps_d_model)
    assert plain.weight_outside_grid == 0.0  # the bath (|w| <= D) lies inside the model grid (|w| <= 6 s)

    both = model_inputs(w_model, w, rho, U=4.0, eps_d=-2.0, alpha=[0.2, 0.3, 0.4], use_re_delta=True)
    assert input_channels(True) == ("rho_Delta", "re_Delta") and input_channels(False) == ("rho_Delta",)
    assert both.hybridization.shape == (3, 32, 2)
    np.testing.assert_array_equal(both.hybridization[:, :, 0], np.repeat(plain.hybridization[:, :, 0], 3, axis=0))
    expected = re_delta_to_model_units(scale, w_model, w, rho).astype(np.float32)
    np.testing.assert_array_equal(both.hybridization[:, :, 1], np.repeat(expected[None], 3, axis=0))
    np.testing.assert_array_equal(both.params[:, 2], np.float32([0.2, 0.3, 0.4]))

    narrow = make_nonuniform_refreq(0.5, 32, 0.3).points  # the model grid ends inside the band: |w| <= 0.5 s = D/2
    # the semicircle's weight beyond half its half-bandwidth is 1 - (2/pi)(asin(1/2) + sqrt(3)/4) = 0.391; the
    # piecewise-linear integrals on this 0.01 grid agree to a few 1e-5
    assert model_inputs(narrow, w, rho, 4.0, -2.0, [0.0]).weight_outside_grid == pytest.approx(0.391, abs=1e-3)


def test_several_spectra_scale_back_row_by_row():
    w_model = make_nonuniform_refreq(8.0, 200, 0.3).points
    A_model = np.stack([semicircle_dos(w_model, 1.0), semicircle_dos(w_model, 0.5)])
    w = np.linspace(-10, 10, 401)
    both = spectral_from_model_units(2.0, w_model, A_model, w)
    assert both.shape == (2, 401)
    for row, A_row in zip(both, A_model, strict=True):
        np.testing.assert_array_equal(row, spectral_from_model_units(2.0, w_model, A_row, w))


def test_principal_value_integral_off_the_grid_agrees_with_the_refined_closed_form():
    # a smooth density vanishing at the grid ends: refining the grid by the points leaves it unchanged, so the
    # closed form on the refined grid is the same integral; rounding only (measured 7e-15 relative)
    from triqs_nnsolver.gf import retarded_from_spectral
    from triqs_nnsolver.model_contract import principal_value_integral

    rng = np.random.default_rng(1)
    w = np.sort(rng.uniform(-4, 4, 501))
    rho = np.exp(-(w**2)) * (1 + 0.3 * np.sin(5 * w))
    rho[[0, -1]] = 0.0
    x = np.concatenate([np.linspace(-6, 6, 64), w[:3], w[-1:]])
    refined = np.union1d(w, x)
    reference = retarded_from_spectral(refined, np.interp(refined, w, rho, 0.0, 0.0)).real
    values = principal_value_integral(w, rho, x)
    assert np.max(np.abs(values - reference[np.searchsorted(refined, x)])) < 1e-12 * np.abs(reference).max()
