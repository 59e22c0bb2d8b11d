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
