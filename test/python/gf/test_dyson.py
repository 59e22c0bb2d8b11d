"""Tests of triqs_nnsolver.gf.dyson: round trips, the U = 0 Bethe identity and the atomic limit."""

import numpy as np
import pytest

from triqs_nnsolver.gf import (
    MeshImFreq,
    g_from_g0_sigma,
    g_from_sigma_real_axis,
    semicircle_gf,
    semicircle_gf_iw,
    sigma_from_g0_g,
    sigma_real_axis,
)

EPS = np.finfo(float).eps


def _random_complex(rng, shape):
    return rng.normal(size=shape) + 1j * rng.normal(size=shape)


def test_scalar_round_trip():
    rng = np.random.default_rng(1)
    G0 = 1 / (_random_complex(rng, 50) + 3j)  # keep |G0^-1| away from 0
    Sigma = _random_complex(rng, 50)
    G = g_from_g0_sigma(G0, Sigma)
    # two scalar inversions, |G0^-1 - Sigma| ~ O(1): a few eps relative to |Sigma| ~ 1
    np.testing.assert_allclose(sigma_from_g0_g(G0, G), Sigma, rtol=0, atol=50 * EPS * np.abs(Sigma).max())


def test_matrix_round_trip_and_explicit_inverse():
    rng = np.random.default_rng(2)
    n_w = 30
    G0 = np.linalg.inv(_random_complex(rng, (n_w, 2, 2)) + 4j * np.eye(2))
    Sigma = _random_complex(rng, (n_w, 2, 2))
    G = g_from_g0_sigma(G0, Sigma)
    explicit = np.array([np.linalg.inv(np.linalg.inv(g0) - s) for g0, s in zip(G0, Sigma, strict=True)])
    np.testing.assert_allclose(G, explicit, rtol=1e-13)  # same LAPACK calls, batched vs looped
    # round trip: 2x2 inverses with condition numbers <= ~10 here: error ~ eps * cond^2 * |Sigma|
    cond = max(np.linalg.cond(G).max(), np.linalg.cond(G0).max())
    np.testing.assert_allclose(sigma_from_g0_g(G0, G), Sigma, rtol=0, atol=10 * EPS * cond**2 * np.abs(Sigma).max())
    # a single (n, n) matrix needs matrix=True (2-D data default to elementwise)
    np.testing.assert_allclose(sigma_from_g0_g(G0[0], G[0], matrix=True), Sigma[0], atol=1e-13)
    assert not np.allclose(sigma_from_g0_g(G0[0], G[0]), Sigma[0])


def test_bethe_lattice_at_u_zero_has_no_self_energy():
    # U = 0, eps_d = 0 on the Bethe lattice: G = semicircle, Delta = t^2 G, and 1/G = w - t^2 G exactly
    D, t = 1.0, 0.5
    w = np.linspace(-2.0, 2.0, 401)
    G = semicircle_gf(w, D)
    Sigma = sigma_real_axis(w, G, eps_d=0.0, Delta=t**2 * G)
    # rounding of w - t^2 G - 1/G with |1/G| <= 2: a few eps
    np.testing.assert_allclose(Sigma, 0, atol=20 * EPS)
    np.testing.assert_allclose(g_from_sigma_real_axis(w, np.zeros_like(G), 0.0, t**2 * G), G, rtol=20 * EPS)
    # the same on Matsubara frequencies: the functions act pointwise, w may be complex
    mesh = MeshImFreq(beta=20.0, statistic="F", n_iw=64)
    G_iw = semicircle_gf_iw(mesh, D)
    np.testing.assert_allclose(sigma_real_axis(mesh.iw, G_iw, 0.0, t**2 * G_iw), 0, atol=20 * EPS * mesh.points.max())


def test_atomic_limit_self_energy():
    # half-filled atom, Delta = 0, eps_d = -U/2: G = (1/(z + U/2) + 1/(z - U/2)) / 2 and
    # Sigma = z - eps_d - 1/G = U/2 + U^2 / (4 z): the signs of METHOD.md section 1
    U = 2.0
    z = np.linspace(-3, 3, 61) + 0.05j
    G = 0.5 * (1 / (z + U / 2) + 1 / (z - U / 2))
    Sigma = sigma_real_axis(z, G, eps_d=-U / 2, Delta=np.zeros_like(G))
    np.testing.assert_allclose(Sigma, U / 2 + U**2 / (4 * z), rtol=1e-12)  # |z| >= 0.05: mild cancellation
    assert np.all(Sigma.imag <= 0)  # causal for Im z > 0


def test_real_axis_matrix_round_trip():
    rng = np.random.default_rng(4)
    n_w = 25
    w = np.linspace(-2, 2, n_w)
    eps_d = np.array([[-0.5, 0.1], [0.1, 0.3]])
    Delta = _random_complex(rng, (n_w, 2, 2)) * 0.3 - 0.5j * np.eye(2)
    Sigma = _random_complex(rng, (n_w, 2, 2)) * 0.5
    G = g_from_sigma_real_axis(w, Sigma, eps_d, Delta)
    explicit = np.array(
        [np.linalg.inv(wi * np.eye(2) - eps_d - d - s) for wi, d, s in zip(w, Delta, Sigma, strict=True)]
    )
    np.testing.assert_allclose(G, explicit, rtol=1e-13)
    # round trip; one 2x2 inverse with moderate condition number: 1e-12 covers eps * cond
    np.testing.assert_allclose(sigma_real_axis(w, G, eps_d, Delta), Sigma, rtol=0, atol=1e-12)
    # a scalar eps_d means eps_d times the unit matrix
    scalar_level = g_from_sigma_real_axis(w, Sigma, 0.2, Delta)
    np.testing.assert_allclose(scalar_level, g_from_sigma_real_axis(w, Sigma, 0.2 * np.eye(2), Delta), rtol=1e-15)


def test_invalid_input_names_the_argument():
    G = np.ones(5, dtype=complex)
    with pytest.raises(ValueError, match=r"G0 must have the shape of G, \(5,\); got G0.shape = \(4,\)"):
        sigma_from_g0_g(np.ones(4), G)
    with pytest.raises(ValueError, match="Sigma must have the shape of G0"):
        g_from_g0_sigma(G, np.ones(6))
    with pytest.raises(ValueError, match=r"G must have shape \(..., n, n\)"):
        sigma_from_g0_g(np.ones((5, 2, 3)), np.ones((5, 2, 3)))
    with pytest.raises(ValueError, match="Delta must have the shape of G"):
        sigma_real_axis(np.linspace(-1, 1, 5), G, 0.0, np.ones(3))
    with pytest.raises(ValueError, match="w must be a 1-D array of length"):
        sigma_real_axis(np.linspace(-1, 1, 4), G, 0.0, G)
    with pytest.raises(ValueError, match="eps_d must be a scalar or have shape"):
        g_from_sigma_real_axis(np.zeros(5), np.ones((5, 2, 2)), np.zeros(3), np.ones((5, 2, 2)))
    with pytest.raises(ValueError, match=r"G must have shape \(n_w,\) or \(n_w, n, n\)"):
        sigma_real_axis(np.zeros(5), np.ones((5, 2)), 0.0, np.ones((5, 2)))
