"""LanczosImpuritySolver: the U = 0 limit against the exact solver, and runs through the Solver and Bethe DMFT."""

import numpy as np
import pytest

from triqs_nnsolver.dmft import BetheDMFTConfig, DMFTNotConvergedWarning, run_bethe_dmft
from triqs_nnsolver.gf import semicircle_dos, semicircle_gf_iw
from triqs_nnsolver.impurity import FreeImpuritySolver, LanczosImpuritySolver
from triqs_nnsolver.solver import Solver

W = np.linspace(-3, 3, 601) + 0.0025  # no point at w = 0
RHO = 0.25 * semicircle_dos(W, 1.0)  # the Bethe bath of D = 1


def test_u0_agrees_with_the_free_solver_to_the_discretization_error():
    solver = LanczosImpuritySolver(n_bath=9)
    lanczos = solver.solve(W, RHO, 0.0, 0.0)
    free = FreeImpuritySolver().solve(W, RHO, 0.0, 0.0)
    assert lanczos.resolution == pytest.approx(1.0 / 9, rel=1e-2)  # default: support / (2 n_bath)
    assert lanczos.diagnostics["n_bath_levels"] == 9 and lanczos.diagnostics["krylov_change"] <= 1e-8
    # 9 levels broadened by half their spacing against the continuum: the discretization-plus-broadening error,
    # measured 0.117 (of a peak 2/pi = 0.64) at the band edge w = 1 and 0.011 inside |w| < 0.5; bounds allow ~30 %
    error = np.abs(lanczos.A - free.A)
    assert error.max() < 0.15 and error[np.abs(W) < 0.5].max() < 0.015
    # Gaussian tails end well inside |w| < 3: the norm to the grid's trapezoid error, measured 2e-16
    assert np.trapezoid(lanczos.A, W) == pytest.approx(1.0, abs=1e-6)


def test_it_runs_through_the_solver_with_a_bethe_g0():
    S = Solver(
        beta=20.0,
        gf_struct=[("up", 1), ("down", 1)],
        containers="own",
        # the Solver's rho_Delta has Lorentzian tails over most of the mesh (its eta), so the default width
        # (support / (2 n_bath)) would be 1.8 here: give one
        impurity_solver=LanczosImpuritySolver(n_bath=5, broadening=0.1),
    )
    iw = S.G0_iw.mesh.iw
    for _, g in S.G0_iw:
        g.data[:, 0, 0] = 1 / (iw + 0.5 - 0.25 * semicircle_gf_iw(S.G0_iw.mesh, 1.0))  # eps = -U/2: half filling
    assert S.solve(U=1.0, verbosity=0) == 0
    for name in ("up", "down"):
        assert np.all(np.isfinite(S.G_iw[name].data)) and np.all(np.isfinite(S.Sigma_iw[name].data))
        assert S.densities[name] == pytest.approx(0.5, abs=1e-2)  # particle-hole symmetric; grid sums: measured 1e-3


def test_it_runs_through_bethe_dmft():
    with pytest.warns(DMFTNotConvergedWarning, match="after max_iter = 2"):  # two iterations only, on purpose
        result = run_bethe_dmft(LanczosImpuritySolver(n_bath=5), BetheDMFTConfig(U=2.0, max_iter=2, n_w=400))
    assert result.n_iter == 2 and np.all(np.isfinite(result.A)) and np.all(result.A >= 0)
    assert result.solver_info["solver"].startswith("Lanczos")
    assert np.isfinite(result.history["change"]).all()


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="n_bath must be at most MAX_BATH_LANCZOS = 11; got n_bath = 12"):
        LanczosImpuritySolver(n_bath=12)
    with pytest.raises(ValueError, match="binning must be one of"):
        LanczosImpuritySolver(binning="cubic")
    with pytest.raises(ValueError, match="broadening must be a positive real number"):
        LanczosImpuritySolver(broadening=0.0)
