"""Observables against closed forms: density, A(0), Z, double occupancy."""

import numpy as np
import pytest

from triqs_nnsolver.dmft import (
    bethe_observables,
    density_from_spectral,
    double_occupancy,
    quasiparticle_weight,
    spectral_at_fermi_level,
)
from triqs_nnsolver.gf import MeshReFreq, semicircle_dos, spectral_norm

W = MeshReFreq(-4.0, 4.0, 1600).points  # h = 0.005


def test_density_of_half_filled_and_shifted_semicircle():
    A = semicircle_dos(W, 1.0)
    # symmetric A: exactly half of its piecewise-linear weight lies below 0 (the weight is 1 - 6e-5 here)
    assert density_from_spectral(W, A) == pytest.approx(spectral_norm(W, A), abs=1e-12)
    shift = 0.4
    # n = 2 int_{-1}^{-shift} rho(x) dx for the semicircle rho moved up by `shift`; closed form of the integral.
    x = -shift
    exact = 2 * (0.5 + (x * np.sqrt(1 - x**2) + np.arcsin(x)) / np.pi)
    # piecewise-linear integration of a square-root edge: O(h^1.5) = 4e-4 at h = 0.005
    assert density_from_spectral(W, semicircle_dos(W - shift, 1.0)) == pytest.approx(exact, abs=4e-4)


def test_density_edge_cases():
    w = np.array([0.5, 1.0])
    assert density_from_spectral(w, [1.0, 1.0]) == 0.0  # nothing below the Fermi level
    assert density_from_spectral(-w[::-1], [1.0, 1.0]) == pytest.approx(1.0)  # 2 * 0.5


def test_spectral_at_fermi_level_interpolates():
    assert spectral_at_fermi_level(W, semicircle_dos(W, 1.0)) == pytest.approx(2 / np.pi, rel=1e-5)


def test_z_of_a_linear_self_energy_is_exact():
    Sigma = 0.7 - 1.5 * W - 0.1j * W**2
    assert quasiparticle_weight(W, Sigma, 0.02) == pytest.approx(1 / 2.5, rel=1e-12)
    assert np.isnan(quasiparticle_weight(W, 2.0 * W, 0.02))  # slope >= 1: no quasiparticle


def test_z_window_must_hold_points():
    with pytest.raises(ValueError, match="z_window must hold >= 2 grid points on each side of w = 0; got z_window"):
        quasiparticle_weight(W, 0 * W, 0.001)


def test_u0_observables_of_the_semicircle():
    A = semicircle_dos(W, 1.0)
    obs = bethe_observables(W, A, A, eps_d=0.0, U=0.0, t=0.5, z_window=0.02)
    inside = np.abs(W) < 0.9
    # Sigma = w - Delta - 1/G = 0 exactly for the semicircle; left: the Kramers-Kronig error of the
    # piecewise-linear semicircle inside the band (doc/gf.md: ~1e-4 at h = 0.005).
    assert np.max(np.abs(obs.Sigma_w[inside])) < 2e-4
    assert obs.Z == pytest.approx(1.0, abs=1e-3)
    assert obs.density == pytest.approx(obs.norm, abs=1e-12)
    assert obs.double_occupancy == pytest.approx((obs.density / 2) ** 2, abs=1e-15)  # (n/2)^2 at U = 0
    assert obs.norm == pytest.approx(1.0, abs=1e-4)  # square-root edges: O(h^1.5) = 6e-5 at h = 0.005


def test_galitskii_migdal_of_the_hartree_impurity():
    # Hartree at half filling: G = 1/(w - Delta) for eps_d = -U/2, Sigma = U/2, so U d = (U/2) int_{-inf}^0 A
    # and d = 1/4 exactly (up to the piecewise-linear integral of the semicircle, 1e-12 here by symmetry).
    A = semicircle_dos(W, 1.0)
    obs = bethe_observables(W, A, A, eps_d=-1.0, U=2.0, t=0.5, z_window=0.02)
    assert obs.double_occupancy == pytest.approx(0.25, abs=1e-4)
    assert double_occupancy(W, obs.G_w, obs.Delta_w, -1.0, 0.0, 0.8) == pytest.approx(0.16)  # U = 0: (n/2)^2
