"""The MPS impurity solver against exact diagonalization of the same discretized bath.

Provenance: a semicircular bath (half-bandwidth 1) on a 401-point grid, discretized into 3 and 4 levels; bond
dimension 32, SVD cutoff 1e-14, dt = 0.1, sigma_w = 0.5 (t_max = 8.6): the settings of the MPS-vs-ED data test.
"""

from __future__ import annotations

import numpy as np
import pytest

from triqs_nnsolver.impurity import LanczosImpuritySolver, MPSImpuritySolver
from triqs_nnsolver.impurity.discretization import discretize_density
from triqs_nnsolver.mps import MPSSettings
from triqs_nnsolver.reference import solve_siam
from triqs_nnsolver.spectral import dtilt_dalpha, first_order_real_axis, tilt

W = np.linspace(-4, 4, 401)
RHO = 0.25 * 2 * np.sqrt(np.clip(1 - W**2, 0, None)) / np.pi  # weight 1/4: the D = 1 Bethe bath
SETTINGS = MPSSettings(chi=32, svd_cutoff=1e-14, dt=0.1)
# the MPS and ED samples of the data test agree to 1e-4 at these settings (Filon spline error at dt = 0.1)
MPS_VS_ED = 1e-4


@pytest.mark.parametrize("U, n_bath", [(0.0, 4), (2.0, 3)])
def test_both_readouts_are_the_exact_tilt_of_the_same_discrete_bath(U, n_bath):
    exact = solve_siam(discretize_density(W, RHO, n_bath, "linear", 2.0).bath, U, -U / 2).poles
    alpha, sigma_w = 0.2, 0.5
    A_tilde, dA = (f(exact, W, alpha, sigma_w=sigma_w) for f in (tilt, dtilt_dalpha))
    for readout, expected in (("tilted", A_tilde), ("first_order", first_order_real_axis(A_tilde, dA, alpha))):
        solver = MPSImpuritySolver(n_bath, alpha=alpha, sigma_w=sigma_w, readout=readout, settings=SETTINGS)
        solution = solver.solve(W, RHO, U, -U / 2)
        assert solution.resolution == sigma_w and solution.diagnostics["n_bath_levels"] == n_bath
        np.testing.assert_allclose(solution.A, np.clip(expected, 0, None), rtol=0, atol=MPS_VS_ED, err_msg=readout)
        assert solution.diagnostics["max_bond_dim"] <= 32 and solution.diagnostics["E0_variance"] < 1e-10


def test_the_lanczos_and_mps_solvers_discretize_alike():
    """One rule for both (impurity.discretization): the same levels for the same input."""
    lanczos = LanczosImpuritySolver(n_bath=5).solve(W, RHO, 0.0, 0.0)
    assert lanczos.diagnostics["n_bath_levels"] == discretize_density(W, RHO, 5, "linear", 2.0).bath.n_bath == 5


@pytest.mark.parametrize(
    "options, message",
    [
        ({"readout": "best"}, r"readout must be one of \('first_order', 'tilted'\); got readout = 'best'"),
        ({"sigma_w": 0.0}, r"sigma_w must be"),
        ({"alpha": 2.0}, r"alpha"),
        ({"settings": {"chi": 8}}, r"settings must be an MPSSettings; got dict"),
    ],
)
def test_bad_options_are_named(options, message):
    with pytest.raises((ValueError, TypeError), match=message):
        MPSImpuritySolver(**options)


def test_it_runs_through_the_solver_and_bethe_dmft():
    from triqs_nnsolver import Solver
    from triqs_nnsolver.dmft import BetheDMFTConfig, DMFTNotConvergedWarning, run_bethe_dmft
    from triqs_nnsolver.gf import semicircle_gf_iw

    solver = MPSImpuritySolver(3, sigma_w=0.5, settings=SETTINGS)
    S = Solver(beta=20.0, gf_struct=[("up", 1), ("down", 1)], containers="own", impurity_solver=solver)
    iw = S.G0_iw.mesh.iw
    for _, g in S.G0_iw:
        g.data[:, 0, 0] = 1 / (iw + 0.5 - 0.25 * semicircle_gf_iw(S.G0_iw.mesh, 1.0))  # eps = -U/2: half filling
    assert S.solve(U=1.0, verbosity=0) == 0
    assert S.densities["up"] == pytest.approx(0.5, abs=2e-2)  # particle-hole symmetric, at resolution 0.5
    with pytest.warns(DMFTNotConvergedWarning, match="after max_iter = 1"):  # one iteration only, on purpose
        result = run_bethe_dmft(solver, BetheDMFTConfig(U=1.0, max_iter=1, n_w=400))
    assert result.solver_info["solver"].startswith("MPS") and np.all(result.A >= 0)


def test_bethe_command_names_the_options_of_each_solver(capsys, tmp_path):
    from triqs_nnsolver.cli.main import main

    out = ["--U", "1", "--out", str(tmp_path / "b.h5"), "--no-plot", "--no-progress"]
    assert main(["bethe", "--solver", "lanczos", "--sigma-w", "0.1", *out]) == 2
    assert "--sigma-w apply to --solver mps only; got them with --solver lanczos" in capsys.readouterr().err
    assert main(["bethe", "--solver", "mps", "--broadening", "0.1", *out]) == 2
    assert "--broadening applies to --solver lanczos only" in capsys.readouterr().err
