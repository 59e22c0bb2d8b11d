"""The impurity layer's output path: one density, one Dyson equation for the Solver and for DMFT (issue 12)."""

import numpy as np
import pytest

from triqs_nnsolver.gf import MeshImFreq, MeshImTime, semicircle_dos, semicircle_gf_iw
from triqs_nnsolver.impurity import FreeImpuritySolver, density, green_functions, tau_from_iw
from triqs_nnsolver.solver import Solver

W = np.linspace(-4, 4, 1601) + 0.0025  # no point at w = 0


def test_density_is_the_occupied_weight():
    A = semicircle_dos(W - 0.3, 1.0)  # shifted: n = 0.31 per spin
    # exact piecewise-linear integral below 0 against the closed form of the semicircle's weight below -0.3
    x = -0.3
    exact = 0.5 + (x * np.sqrt(1 - x**2) + np.arcsin(x)) / np.pi
    assert density(W, A) == pytest.approx(exact, abs=2e-4)  # the sqrt edges of the sampled A, O(h^1.5): 2.0e-5


def test_density_is_minus_g_beta_at_low_temperature():
    """n = int_{-inf}^0 A is the T -> 0 limit of -G(beta) for G_iw = int A / (iw_n - w)."""
    A = semicircle_dos(W + 0.2, 1.0)
    mesh_iw, mesh_tau = MeshImFreq(200.0, "F", 4000), MeshImTime(200.0, "F", 401)
    out = green_functions(W, A, np.zeros_like(W, dtype=complex) - 1e-12j, -0.2, 0.0, mesh_iw, mesh_tau)
    # G_iw here is 1/(iw - eps - Delta - Sigma) with Sigma = w - eps - 1/G_w: the Hilbert transform of A
    G_tau = tau_from_iw(mesh_iw, out["G_iw"], mesh_tau.points)
    # -G(beta) = int A f_beta: (pi^2/6) A'(0) / beta^2 from the T = 0 value, plus KK and trapezoid errors
    assert out["density"] == pytest.approx(-G_tau[-1], abs=2e-4)


def test_solver_densities_are_the_hartree_density():
    """S.densities is the n of the Hartree term: a solution without self-energy gives Sigma_iw = U n exactly."""

    class FreeAtAnyU(FreeImpuritySolver):
        def solve(self, w, rho_Delta, U, eps_d):
            return super().solve(w, rho_Delta, 0.0, eps_d)

    S = Solver(beta=40.0, gf_struct=[("up", 1), ("down", 1)], containers="own", impurity_solver=FreeAtAnyU())
    iw = S.G0_iw.mesh.iw
    for _, g in S.G0_iw:
        g.data[:, 0, 0] = 1 / (iw - 0.1 - 0.25 * semicircle_gf_iw(S.G0_iw.mesh, 1.0))
    S.solve(U=2.0, verbosity=0)
    n = S.densities["up"]
    assert 0.3 < n < 0.5  # the level eps = 0.1 above the Fermi level: below half filling
    w, A = S.mesh_w.points, S.A_w["up"].data[:, 0, 0].real
    assert n == density(w, A)  # the same definition on the stored A
    # Sigma_iw = U n_{-s} + Hilbert(rho_Sigma), rho_Sigma ~ 0 for this solution: the Hartree term is U * S.densities
    # up to the KK discretisation of Sigma_w (measured below 1e-3 of U n)
    np.testing.assert_allclose(S.Sigma_iw["up"].data[:, 0, 0], 2.0 * n, atol=1e-3)


def test_analytic_tail_matches_the_fitted_one():
    # a correlated-looking solution (A a Lorentzian-broadened three-peak form, not the U = 0 one) in a semicircle
    # bath: the analytic c_2, c_3 of G_iw (tail_of_g) against a fit to G_iw's own tail, and G_tau from both
    from triqs_nnsolver.gf import retarded_from_spectral, tail_moments
    from triqs_nnsolver.impurity import tail_of_g

    w = np.linspace(-8, 8, 1601)
    mesh_iw, mesh_tau = MeshImFreq(50.0, "F", 1025), MeshImTime(50.0, "F", 2001)
    Delta_w = retarded_from_spectral(w, 0.25 * semicircle_dos(w, 1.0))
    A = sum(c / np.pi * 0.3 / ((w - x) ** 2 + 0.09) for c, x in ((0.25, -2.0), (0.5, 0.1), (0.25, 2.0)))
    A /= np.sum((A[1:] + A[:-1]) / 2 * np.diff(w))
    out = green_functions(w, A, Delta_w, -0.3, 1.2, mesh_iw, mesh_tau)  # G0_iw built here: int rho_Delta known
    fitted = tail_moments(mesh_iw.iw, out["G_iw"], 3)
    rho_Sigma = np.clip(-out["Sigma_w"].imag / np.pi, 0, None)  # the density behind Sigma_iw
    Sigma_weight = np.sum(np.diff(w) * (rho_Sigma[1:] + rho_Sigma[:-1]) / 2)
    c2, c3 = tail_of_g(-0.3, 0.25, 1.2, Sigma_weight)
    # the fit is the less accurate of the two (truncated series; measured off by 2e-6 and 5e-5 relative), and
    # G_tau moves by ~ dc_2 / w_max (measured 5.5e-9)
    assert c2 == pytest.approx(-0.3 + 1.2, abs=1e-15)
    assert fitted[0] == pytest.approx(1.0, abs=1e-8)
    assert fitted[1].real == pytest.approx(c2, abs=1e-5)
    assert fitted[2].real == pytest.approx(c3, rel=2e-4)
    G_tau_fitted = tau_from_iw(mesh_iw, out["G_iw"], mesh_tau.points)
    assert np.abs(out["G_tau"].real - G_tau_fitted).max() < 5e-8
