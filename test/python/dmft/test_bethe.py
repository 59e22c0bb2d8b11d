"""The loop's grid, the Bethe hybridization and the starting guesses."""

import numpy as np
import pytest

from triqs_nnsolver.dmft import BetheDMFTConfig, bethe_hybridization, initial_spectral_function, real_frequency_mesh
from triqs_nnsolver.gf import MeshReFreq, spectral_norm


def test_grid_is_symmetric_uniform_without_zero():
    mesh = real_frequency_mesh(BetheDMFTConfig(n_w=100, w_max=5.0))
    assert mesh == MeshReFreq(-5.0, 5.0, 100)
    w = mesh.points
    np.testing.assert_allclose(w, -w[::-1], atol=1e-14)
    assert np.min(np.abs(w)) == pytest.approx(5.0 / 99)  # +-h/2 closest to 0, never 0


def test_hybridization_is_t_squared_A():
    A = np.array([0.0, 1.0, 2.0])
    np.testing.assert_array_equal(bethe_hybridization(A, 0.5), [0.0, 0.25, 0.5])


@pytest.mark.parametrize("start", ["metal", "insulator"])
def test_starts_are_normalized_and_particle_hole_symmetric(start):
    config = BetheDMFTConfig(U=4.0)
    w = real_frequency_mesh(config).points
    A = initial_spectral_function(w, config, start)
    assert spectral_norm(w, A) == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(A, A[::-1], atol=1e-12)
    assert np.all(A >= 0)


def test_insulating_start_is_gapped_and_metallic_is_not():
    config = BetheDMFTConfig(U=4.0)
    w = real_frequency_mesh(config).points
    gap = np.abs(w) < 1.0  # bands of half-width D/2 at +-U/2 = +-2: empty for |w| < 1.5
    assert np.all(initial_spectral_function(w, config, "insulator")[gap] == 0)
    assert np.interp(0.0, w, initial_spectral_function(w, config, "metal")) == pytest.approx(2 / np.pi, rel=1e-4)


def test_unknown_start():
    config = BetheDMFTConfig()
    with pytest.raises(ValueError, match="start must be one of .* got start = 'bad'"):
        initial_spectral_function(real_frequency_mesh(config).points, config, "bad")
