"""Root search for eps_d at a target density, on a density function with a closed-form inverse."""

import numpy as np
import pytest

from triqs_nnsolver.dmft import DensitySearchError, find_eps_d


def _lorentzian_density(eps_d, width=0.3):
    """n(eps_d) = 2 (1/2 - arctan(eps_d / width) / pi): the density of a Lorentzian level, decreasing."""
    return 2 * (0.5 - np.arctan(eps_d / width) / np.pi)


@pytest.mark.parametrize("target", [0.2, 0.9, 1.0, 1.7])
@pytest.mark.parametrize("guess", [-3.0, 0.0, 2.5])
def test_finds_the_exact_root(target, guess):
    exact = 0.3 * np.tan(np.pi * (0.5 - target / 2))
    eps_d, n = find_eps_d(_lorentzian_density, target, guess, step=0.25, xtol=1e-10, bounds=(-10.0, 10.0))
    assert eps_d == pytest.approx(exact, abs=1e-8)
    assert n == pytest.approx(target, abs=1e-8)


def test_unreachable_density_raises_with_the_numbers():
    with pytest.raises(DensitySearchError, match="no eps_d in bounds \\(-1.0, 1.0\\) gives density = 1.9"):
        find_eps_d(_lorentzian_density, 1.9, 0.0, step=0.25, xtol=1e-8, bounds=(-1.0, 1.0))
