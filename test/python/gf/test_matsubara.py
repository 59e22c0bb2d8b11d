"""Tests of triqs_nnsolver.gf.matsubara: spectral -> iw_n, iw_n -> tau, spectral -> tau, tail fit."""

import warnings

import numpy as np
import pytest
from scipy.special import wofz

from triqs_nnsolver.gf import (
    MeshImFreq,
    matsubara_from_spectral,
    semicircle_dos,
    semicircle_gf_iw,
    spectral_moments,
    tail_moments,
    tau_from_matsubara,
    tau_from_spectral,
)

# pole sum G(iw) = sum_k w_k / (iw - e_k): exact G(tau) = -sum_k w_k exp(-e_k tau) / (1 + exp(-beta e_k))
POLES = np.array([-1.5, 0.2, 1.1])
WEIGHTS = np.array([0.3, 0.5, 0.2])
BETA = 10.0
N_IW = 2000
EXACT_TAIL = [WEIGHTS.sum(), (WEIGHTS * POLES).sum(), (WEIGHTS * POLES**2).sum()]  # c_k = sum w e^(k-1)


def _pole_sum_iw(mesh):
    return (WEIGHTS / (mesh.iw[:, None] - POLES)).sum(axis=1)


def _pole_sum_tau(tau, beta=BETA):
    return -(WEIGHTS * np.exp(-np.outer(tau, POLES)) / (1 + np.exp(-beta * POLES))).sum(axis=1)


def _gaussian_gf(z, sigma):
    """int N(0, sigma)(w) / (z - w) dw = -i sqrt(pi/2) / sigma * wofz(z / (sigma sqrt 2)), Im z > 0."""
    upper = z.imag > 0
    zz = np.where(upper, z, z.conj())
    value = -1j * np.sqrt(np.pi / 2) / sigma * wofz(zz / (sigma * np.sqrt(2)))
    return np.where(upper, value, value.conj())


def test_semicircle_on_matsubara():
    mesh = MeshImFreq(beta=BETA, statistic="F", n_iw=N_IW)
    errors = []
    for n_w in (400, 2000):
        w = np.linspace(-1.0, 1.0, n_w)
        G_iw = matsubara_from_spectral(w, semicircle_dos(w, 1.0), mesh)
        errors.append(np.abs(G_iw - semicircle_gf_iw(mesh, 1.0)).max())
    # O(h^1.5) from the square-root edges (missing weight of A_lin); measured 6.8e-5 and 6.0e-6
    assert errors[0] < 9e-5
    assert errors[1] < 8e-6


def test_gaussian_on_matsubara_converges_as_h_squared():
    sigma = 0.5
    mesh = MeshImFreq(beta=BETA, statistic="F", n_iw=200)
    errors = []
    for n_w in (501, 1001):
        w = np.linspace(-5.0, 5.0, n_w)  # truncation at 10 sigma: weight 1.5e-23 lost
        A = np.exp(-(w**2) / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))
        errors.append(np.abs(matsubara_from_spectral(w, A, mesh.iw) - _gaussian_gf(mesh.iw, sigma)).max())
    # interpolation error (h^2 / 12) |int A'' / (iw - w)|, h = 0.01 on 1001 points: measured 3.3e-5
    assert errors[1] < 4e-5
    assert 3.8 < errors[0] / errors[1] < 4.2  # O(h^2): halving h divides the error by 4


def test_matsubara_input_checks():
    w = np.linspace(-1, 1, 11)
    with pytest.raises(ValueError, match="iw must be the complex Matsubara"):
        matsubara_from_spectral(w, semicircle_dos(w, 1.0), np.array([1.0, 2.0]))  # forgot the 1j
    with pytest.raises(ValueError, match="iw must be the complex Matsubara"):
        matsubara_from_spectral(w, semicircle_dos(w, 1.0), np.array([0.1 + 1j]))


def test_tau_from_matsubara_pole_sum():
    mesh = MeshImFreq(beta=BETA, statistic="F", n_iw=N_IW)
    G_iw = _pole_sum_iw(mesh)
    tau = np.linspace(0.0, BETA, 201)
    exact = _pole_sum_tau(tau)
    G_tau = tau_from_matsubara(G_iw, BETA, tau, *EXACT_TAIL)
    # with c1..c3 exact the remainder is c4/(iw)^4: truncation |c4| beta^3 / (24 pi^4 n_iw^3) = 7e-11; measured 4e-11
    np.testing.assert_allclose(G_tau.real, exact, rtol=0, atol=1e-9)
    np.testing.assert_allclose(G_tau.imag, 0, atol=1e-12)  # G(-iw) = conj G(iw): imaginary part is rounding only
    assert G_tau[0].real + G_tau[-1].real == pytest.approx(-1.0, abs=1e-12)  # G(0+) + G(beta-) = -c1
    # only c1 = 1 (default): the truncated 1/(iw)^2 sum leaves ~ |c2| beta / (2 pi^2 n_iw) = 3.3e-5 (measured 3.3e-5)
    default = tau_from_matsubara(G_iw, BETA, tau)
    assert np.abs(default.real - exact).max() < 1.5 * abs(EXACT_TAIL[1]) * BETA / (2 * np.pi**2 * N_IW)
    # fitted tail: errors in c2, c3 only enter through the truncated part of their sums; measured 4e-11
    fitted = tau_from_matsubara(G_iw, BETA, tau, *tail_moments(mesh, G_iw))
    np.testing.assert_allclose(fitted.real, exact, rtol=0, atol=1e-8)


@pytest.mark.parametrize("n_tau", [201, 5001])  # M = n_tau - 1 below and above 2 n_iw: binned n mod M, and not
def test_tau_from_matsubara_uniform_grid_fft_equals_the_dense_sum(n_tau):
    """A uniform grid k beta / M takes the FFT path; the same times without the end points take the dense sum."""
    mesh = MeshImFreq(beta=BETA, statistic="F", n_iw=N_IW)
    G_iw = _pole_sum_iw(mesh)
    tau = np.linspace(0.0, BETA, n_tau)
    fft = tau_from_matsubara(G_iw, BETA, tau, *EXACT_TAIL)
    dense = tau_from_matsubara(G_iw, BETA, tau[1:-1], *EXACT_TAIL)  # not k beta / M for k = 0 .. M: dense path
    # the same finite sum in two orders of summation: rounding only (sum of 2 n_iw terms of size <= 1/w_0)
    np.testing.assert_allclose(fft[1:-1], dense, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fft.real, _pole_sum_tau(tau), rtol=0, atol=1e-9)  # and the exact answer (as above)


def test_tail_moments_of_pole_sum():
    mesh = MeshImFreq(beta=BETA, statistic="F", n_iw=N_IW)
    c = tail_moments(mesh, _pole_sum_iw(mesh))
    # least squares on |w_n| in [628, 1257] with 5 coefficients: the error grows by ~w_max per order
    # (rounding eps |G| w_max^k times the conditioning); measured 9e-16, 5e-12, 7e-10
    assert np.all(np.abs(c - EXACT_TAIL) < [1e-13, 1e-10, 1e-8])


def test_tau_from_matsubara_matrix_valued():
    mesh = MeshImFreq(beta=BETA, statistic="F", n_iw=500)
    angle = 0.4
    U = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    levels = np.array([-0.5, 0.8])
    G_iw = np.einsum("ia,na,ja->nij", U, 1 / (mesh.iw[:, None] - levels), U)  # U diag(1/(iw - e)) U^T
    tau = np.array([0.0, 1.3, 5.0, BETA])
    c2 = U @ np.diag(levels) @ U.T
    c3 = U @ np.diag(levels**2) @ U.T
    G_tau = tau_from_matsubara(G_iw, BETA, tau, np.eye(2), c2, c3)
    diagonal = -np.exp(-np.outer(tau, levels)) / (1 + np.exp(-BETA * levels))
    exact = np.einsum("ia,ta,ja->tij", U, diagonal, U)
    # truncation with n_iw = 500: |c4| beta^3 / (24 pi^4 n_iw^3) = 4e-9 for |e| <= 0.8
    np.testing.assert_allclose(G_tau, exact, rtol=0, atol=1e-8)
    with pytest.raises(ValueError, match="c2 must be a scalar or broadcast"):
        tau_from_matsubara(G_iw, BETA, tau, 1.0, np.ones(3))


# G(tau) of the piecewise-linear A below, from mpmath 1.3.0 (30 digits), script:
#   w = [-2, -0.7, -0.05, 0.3, 1, 2.5]; A = [0, 0.5, 0.2, 0.4, 0.3, 0]  # noqa: ERA001
#   G(tau) = -sum_j mp.quad(A_lin(x) exp(-x tau) / (1 + exp(-beta x)), [w_j, (0,) w_j+1]) at tau = beta * f  # noqa: ERA001
W_PL = np.array([-2.0, -0.7, -0.05, 0.3, 1.0, 2.5])
A_PL = np.array([0.0, 0.5, 0.2, 0.4, 0.3, 0.0])
TAU_FRACTIONS = np.array([0.0, 0.3, 0.5, 1.0])
MPMATH_G_TAU = {
    0.5: [-0.56835303620610441, -0.55121835018689697, -0.54683669021974572, -0.55914696379389559],
    10.0: [-0.56073765240696415, -0.12040034825742806, -0.094806563171930817, -0.56676234759303585],
    1e4: [-0.56428570488609105, -8.8810010095951188e-5, -7.1807832082052422e-5, -0.56321429511390895],
}


@pytest.mark.parametrize("beta", sorted(MPMATH_G_TAU))
def test_tau_from_spectral_exact_for_piecewise_linear(beta):
    G_tau = tau_from_spectral(W_PL, A_PL, beta, beta * TAU_FRACTIONS)
    # closed-form bins and 10-point Gauss-Legendre near w = 0: rounding only, measured 4e-16 relative
    np.testing.assert_allclose(G_tau, MPMATH_G_TAU[beta], rtol=1e-13)


def test_tau_from_spectral_large_beta_does_not_overflow():
    w = np.linspace(-10.0, 10.0, 401)
    A = semicircle_dos(w, 8.0)
    beta = 1e4  # beta |w| up to 1e5
    tau = np.linspace(0.0, beta, 11)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow or invalid-value RuntimeWarning fails the test
        G_tau = tau_from_spectral(w, A, beta, tau)
    assert np.all(np.isfinite(G_tau)) and np.all(G_tau <= 0)
    norm = spectral_moments(w, A, (0,))[0]
    assert G_tau[0] + G_tau[-1] == pytest.approx(-norm, abs=1e-14)  # G(0) + G(beta) = -int A


def test_spectral_and_matsubara_paths_agree():
    # the same piecewise-linear semicircle through G(iw_n) (with its exact moments as tail) and directly
    w = np.linspace(-1.0, 1.0, 1000)
    A = semicircle_dos(w, 1.0)
    mesh = MeshImFreq(beta=BETA, statistic="F", n_iw=N_IW)
    tau = np.linspace(0.0, BETA, 51)
    via_iw = tau_from_matsubara(matsubara_from_spectral(w, A, mesh), BETA, tau, *spectral_moments(w, A, (0, 1, 2)))
    direct = tau_from_spectral(w, A, BETA, tau)
    # both exact for A_lin; only the c4/(iw)^4 truncation remains (c4 = 0 here by symmetry, c5 / n_iw^4):
    # measured 1.4e-14
    np.testing.assert_allclose(via_iw.real, direct, rtol=0, atol=1e-12)


def test_tau_input_checks():
    G_iw = np.zeros(10, dtype=complex)
    with pytest.raises(ValueError, match=r"tau must lie in \[0, beta\]"):
        tau_from_matsubara(G_iw, 2.0, [0.5, 2.5])
    with pytest.raises(ValueError, match="inverse temperature beta must be positive"):
        tau_from_matsubara(G_iw, -1.0, [0.5])
    with pytest.raises(ValueError, match="G_iw must have an even length"):
        tau_from_matsubara(np.zeros(9), 2.0, [0.5])
    with pytest.raises(ValueError, match="inverse temperature beta must be positive"):
        tau_from_spectral(W_PL, A_PL, 0.0, [0.0])
    with pytest.raises(ValueError, match="A must have shape"):
        tau_from_spectral(W_PL, A_PL[:-1], 1.0, [0.0])
    with pytest.raises(ValueError, match="n_fit must be an integer"):
        tail_moments(1j * np.arange(1.0, 11.0), np.ones(10), n_fit=4)
