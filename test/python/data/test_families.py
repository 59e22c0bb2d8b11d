"""Hybridization families: normalisation to the model's weight 1/4, positivity, support, seeding."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import trapezoid

from triqs_nnsolver.data import FAMILIES, FAMILY_RANGES, FamilyDensity, sample_family

W = np.linspace(-7, 7, 140_001)  # step 1e-4, covers every support ([-6, 6])


@pytest.mark.parametrize("family", FAMILIES)
def test_every_draw_has_weight_one_quarter_and_is_positive(family):
    rng = np.random.default_rng(42)
    for _ in range(10):
        density = sample_family(family, rng)
        rho = density(W)
        assert np.all(rho >= 0)
        lo, hi = density.support
        assert -6 <= lo < hi <= 6
        assert np.all(rho[(W < lo) | (W > hi)] == 0)
        # trapezoid error of the square-root edges of a semicircle, ~ (h / D)^1.5 relative: 1e-6 for h = 1e-4
        np.testing.assert_allclose(trapezoid(rho, W), 0.25, rtol=1e-5)


def test_parameters_stay_in_their_documented_ranges():
    rng = np.random.default_rng(3)
    for family in FAMILIES:
        for _ in range(20):
            parameters = sample_family(family, rng).parameters
            for name, (low, high) in FAMILY_RANGES[family].items():
                values = np.atleast_1d(parameters[name])
                assert np.all((low <= values) & (values <= high)), (family, name, values)


def test_shapes_have_their_defining_features():
    rng = np.random.default_rng(5)
    for _ in range(10):
        gapped = sample_family("gapped", rng)
        assert gapped(0.0) == 0  # w = 0 lies inside the gap
        metal = sample_family("metallic", rng)
        peak = metal.parameters["peak_centre"]
        assert metal(peak) > metal(0.5 * (peak + metal.parameters["band_position"]))  # quasiparticle peak


def test_seeded_draws_repeat():
    first = sample_family("gaussians", np.random.default_rng(9))
    second = sample_family("gaussians", np.random.default_rng(9))
    assert isinstance(first, FamilyDensity) and first.components == second.components


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"unknown hybridization family 'cubes'"):
        sample_family("cubes", np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        sample_family("semicircle", 0)
