"""The impurity layer's output path: one density, one Dyson equation for the Solver and for DMFT (issue 12)."""

import numpy as np
import pytest

from triqs_nnsolver.gf import MeshImFreq, MeshImTime, semicircle_dos, semicircle_gf_iw
from triqs_nnsolver.impurity import FreeImpuritySolver, density, green_functions, tau_from_iw
from triqs_nnsolver.solver import Solver

W = np.linspace(-4, 4, 1601) + 0.0025  # no point at w = 0


def test_density_at_t0_and_at_beta():
    A = semicircle_dos(W - 0.3, 1.0)  # shifted: n = 0.31 per spin, smooth at the Fermi level
    n0 = density(W, A)
    # exact piecewise-linear integral below 0 against the closed form of the semicircle's weight below -0.3
    x = -0.3
    exact = 0.5 + (x * np.sqrt(1 - x**2) + np.arcsin(x)) / np.pi
    assert n0 == pytest.approx(exact, abs=2e-4)  # the sqrt edges of the sampled A, O(h^1.5): measured 2.0e-5
    # at beta = 200 the Fermi function differs from the step by ~ (pi^2 / 6) A'(0) / beta^2: measured 7.8e-6
    assert density(W, A, beta=200.0) == pytest.approx(n0, abs=1e-4)


def test_density_is_minus_g_beta_of_the_spectral_function():
    """n = int A f_beta = -G(beta) for G_iw = int A / (iw_n - w): the one definition, two ways."""
    A = semicircle_dos(W + 0.2, 1.0)
    mesh_iw, mesh_tau = MeshImFreq(20.0, "F", 2000), MeshImTime(20.0, "F", 401)
    out = green_functions(W, A, np.zeros_like(W, dtype=complex) - 1e-12j, -0.2, 0.0, mesh_iw, mesh_tau)
    # G_iw here is 1/(iw - eps - Delta - Sigma) with Sigma = w - eps - 1/G_w: the Hilbert transform of A
    G_tau = tau_from_iw(mesh_iw, out["G_iw"], mesh_tau.points)
    assert out["density"] == pytest.approx(-G_tau[-1], abs=2e-4)  # KK and trapezoid errors: measured 2.0e-5


def test_solver_densities_are_the_hartree_density():
    """S.densities is impurity.density of the solution A_w at the Solver's beta, the n of the Hartree term."""
    S = Solver(beta=40.0, gf_struct=[("up", 1), ("down", 1)], containers="own", impurity_solver=FreeImpuritySolver())
    iw = S.G0_iw.mesh.iw
    for _, g in S.G0_iw:
        g.data[:, 0, 0] = 1 / (iw - 0.1 - 0.25 * semicircle_gf_iw(S.G0_iw.mesh, 1.0))
    S.solve(U=0.0)
    w, A = S.mesh_w.points, S.A_w["up"].data[:, 0, 0].real
    assert S.densities["up"] == density(w, A, S.beta)  # the same function, the same number
    # -G(beta) of the reported G_iw (= the input G0_iw at U = 0) differs by the broadening eta of the fitted
    # bath that A was solved in (measured 7.7e-3 at eta ~ 0.1): why S.densities is the density of A, the same n
    # as in the Hartree term, and not -G(beta), which would mix the input's density into the solution's
    assert S.densities["up"] == pytest.approx(-S.G_tau["up"].data[-1, 0, 0].real, abs=2e-2)
