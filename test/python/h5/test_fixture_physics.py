"""Physics checks on the TRIQS archives (``test/fixtures/triqs/README.md``): they pin the data-index to
Matsubara-index mapping, the complex-number convention and the block order of the reader."""

import numpy as np
import pytest

EPS = np.finfo(np.float64).eps


@pytest.mark.parametrize("block", ["down", "up"])
def test_cthyb_dyson_sigma_raw(open_fixture, block):
    ar = open_fixture("cthyb")
    G0 = ar["G0_iw"][block].data[:, 0, 0]
    G = ar["G_iw_raw"][block].data[:, 0, 0]
    Sigma = ar["Sigma_iw_raw"][block].data[:, 0, 0]
    # TRIQS computed Sigma_raw = 1/G0 - 1/G_raw in float64 as we do here. |1/G_raw| reaches 5.5e3 in the noisy
    # QMC tail, where one float64 ulp is 9.1e-13; the residual is the rounding of the last subtraction,
    # at most half an ulp = 4.5e-13, hence the README's 5e-13.
    np.testing.assert_allclose(Sigma, 1 / G0 - 1 / G, rtol=0, atol=5e-13)


@pytest.mark.parametrize("block", ["down", "up"])
def test_cthyb_g_tau_discontinuity_and_g0_tail(open_fixture, block):
    ar = open_fixture("cthyb")
    G_tau = ar["G_tau"][block].data[:, 0, 0]
    # cthyb enforces G(0) + G(beta) = -1; float64 rounding of values of size 1
    assert abs(G_tau[0] + G_tau[-1] + 1) < 4 * EPS
    G0 = ar["G0_iw"][block]
    iw_max = G0.mesh.iw[-1]
    # 1/G0 = iw_n + mu - t^2 G with t = 1/2 and mu = 1.45; |G(iw_n)| <= 1/w_n bounds the hybridisation term
    tail = 1 / G0.data[-1, 0, 0] - iw_max
    assert abs(tail - 1.45) <= 0.25 / iw_max.imag


@pytest.mark.parametrize("block", ["dn", "up"])
def test_ctint_g0_matches_formula_on_our_matsubara_mesh(open_fixture, block):
    G0 = open_fixture("ctint")["G0_iw"][block]
    iw = G0.mesh.iw  # our MeshImFreq(beta=10, 'F', n_iw=200): n = -200 .. 199 in data order
    expected = 1 / (iw + 0.25 - 1 / (iw - 0.2))
    # float64 rounding of the two-level formula, |G0| <= 0.5: a few eps. A shift by one Matsubara index
    # would change G0 by at least 4e-5 (at the top frequency), far above this bound.
    np.testing.assert_allclose(G0.data[:, 0, 0], expected, rtol=0, atol=1e-15)


def test_nrg_spectral_function_and_self_energy_trick(open_fixture):
    ar = open_fixture("nrg")
    A = ar["A_w"]["imp"].data[:, 0, 0]
    G = ar["G_w"]["imp"].data[:, 0, 0]
    F = ar["F_w"]["imp"].data[:, 0, 0]
    Sigma = ar["Sigma_w"]["imp"].data[:, 0, 0]
    assert not np.any(A.imag)
    # A = -Im G / pi. The interface computes A and G separately (G by Kramers-Kronig of the binned spectrum),
    # so they agree only to ~34 ulps of A (max 1.07e-14 at A = 3.46, just over the README's absolute 1e-14);
    # 1e-14 relative to max|A| = 3.88 bounds it.
    np.testing.assert_allclose(A.real, -G.imag / np.pi, rtol=0, atol=1e-14 * np.abs(A).max())
    # Sigma = F / G is how the file was made: one complex division, a few eps relative (max 1.8 eps seen)
    np.testing.assert_allclose(Sigma, F / G, rtol=4 * EPS, atol=0)


@pytest.mark.parametrize("block", ["up_0", "down_2"])
def test_solid_dmft_hubbard_i_constant(open_fixture, block):
    last_iter = open_fixture("solid_dmft")["DMFT_results"]["last_iter"]
    G_iw, Sigma_iw = last_iter["Gimp_freq_0"][block], last_iter["Sigma_freq_0"][block]
    iw = G_iw.mesh.iw
    constant = Sigma_iw.data[:, 0, 0] + 1 / G_iw.data[:, 0, 0] - iw
    # hubbardI: Sigma = (iw - eps_loc) - 1/G_at, so this is eps_loc-related and constant; the terms are as large
    # as w_max = 78.5, so rounding is a few ulps of 78.5: 8 eps * w_max = 1.4e-13 (README: 6e-14 observed)
    np.testing.assert_allclose(constant, constant.mean(), rtol=0, atol=8 * EPS * np.abs(iw).max())
    assert abs(constant.mean() - 2.7912) < 5e-5  # README quotes 4 decimals
    G_w, Sigma_w = last_iter["Gimp_Refreq_0"][block], last_iter["Sigma_Refreq_0"][block]
    w = G_w.mesh.points
    constant_w = Sigma_w.data[:, 0, 0] + 1 / G_w.data[:, 0, 0] - (w + 0.05j)
    # same rounding bound with |w| <= 10 and the larger |1/G| near the poles: 8 eps * max|Sigma|
    np.testing.assert_allclose(constant_w, constant_w.mean(), rtol=0, atol=8 * EPS * np.abs(Sigma_w.data).max())
    assert abs(constant_w.mean() - (2.7912 - 0.05j)) < 5e-5
