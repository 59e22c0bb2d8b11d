"""The array-level impurity solvers: units, errors, the domain check, and the exact U = 0 solver."""

import warnings

import numpy as np
import pytest

from triqs_nnsolver.gf import semicircle_dos, spectral_norm
from triqs_nnsolver.impurity import (
    DomainWarning,
    FreeImpuritySolver,
    NeuralImpuritySolver,
    OutsideTrainingDomainError,
)
from triqs_nnsolver.runtime import load_model

W = np.linspace(-3, 3, 601) + 0.0025  # no point at w = 0


def bethe_rho(D):
    """Bethe bath of half-bandwidth D: rho_Delta = t^2 rho_0 with t = D/2."""
    return (D / 2) ** 2 * semicircle_dos(W, D)


def test_free_solver_gives_the_semicircle_for_the_bethe_bath():
    # U = 0, eps_d = 0 on the Bethe bath: G = G_semicircle. The Kramers-Kronig error of the piecewise-linear
    # density sits at the square-root band edges (measured 2.5e-3 there on this 0.01 grid, at most 2.0e-4
    # inside |w| < 0.9, i.e. 3e-4 of the peak 2/pi); the bounds allow a factor 2 over the measurement.
    A = FreeImpuritySolver().spectral_function(W, bethe_rho(1.0), 0.0, 0.0)
    error = np.abs(A - semicircle_dos(W, 1.0))
    assert error.max() < 5e-3 and error[np.abs(W) < 0.9].max() < 4e-4


def test_free_solver_refuses_an_interaction():
    with pytest.raises(ValueError, match="exact only at U = 0; got U = 1.0"):
        FreeImpuritySolver().spectral_function(W, bethe_rho(1.0), 1.0, -0.5)


def test_neural_solver_scales_energies(small_model_file):
    # Energy-scale covariance (METHOD.md section 1): scaling w, U, eps_d and Delta by s maps A(w) to A(w/s)/s.
    # Both solves see the same model-unit problem, so only interpolation on the user grids differs (exact
    # at the shared model-grid points up to float32 rounding of the inputs).
    solver = NeuralImpuritySolver(small_model_file, backend="python")
    grid = solver.grid
    w1, w2 = grid * 1.0, grid * 2.0
    rho = 0.25 * semicircle_dos(grid, 1.0)
    A1 = solver.solve(w1, rho, 1.0, -0.5)
    A2 = solver.solve(w2, 2.0 * rho, 2.0, -1.0)  # Delta(w) -> s Delta(w / s)
    assert A2.scale == pytest.approx(2.0 * A1.scale, rel=1e-12)
    np.testing.assert_allclose(A2.A * 2.0, A1.A, rtol=2e-2, atol=1e-6)


def test_neural_solver_warns_or_raises_outside_the_training_domain(small_model_file):
    solver = NeuralImpuritySolver(small_model_file, backend="python")
    with pytest.warns(DomainWarning, match="U = 9 outside the training range"):
        solver.spectral_function(W, bethe_rho(1.0), 9.0, -4.5)
    strict = NeuralImpuritySolver(load_model(small_model_file, backend="python"), strict=True)
    with pytest.raises(OutsideTrainingDomainError, match="U = 9 outside"):
        strict.spectral_function(W, bethe_rho(1.0), 9.0, -4.5)


def test_neural_solver_first_order_path_and_normalization(small_model_file):
    solver = NeuralImpuritySolver(small_model_file, backend="python", real_axis="first_order", normalize=True)
    A = solver.spectral_function(W, bethe_rho(1.0), 1.0, -0.5)
    assert np.all(A >= 0) and spectral_norm(W, A) == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize(
    ("rho", "message"),
    [
        (np.full(W.size, np.nan), "rho_Delta must be finite"),
        (-np.ones(W.size), "rho_Delta must be >= 0 with positive weight"),
        (np.ones(3), r"rho_Delta must have the shape of w, \(601,\); got \(3,\)"),
        (np.ones(W.size) * 1j, "rho_Delta must be real"),
    ],
)
def test_bad_hybridization_is_named(rho, message):
    with pytest.raises(ValueError, match=message):
        FreeImpuritySolver().spectral_function(W, rho, 0.0, 0.0)


def test_missing_model_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.pt"):
        NeuralImpuritySolver(tmp_path / "missing.pt")


def test_bad_real_axis_option_is_named(small_model_file):
    with pytest.raises(ValueError, match="real_axis must be 'direct' or 'first_order'; got real_axis = 'x'"):
        NeuralImpuritySolver(small_model_file, real_axis="x")


def test_domain_warning_is_given_once_per_input_and_every_solution_lists_it(small_model_file):
    solver = NeuralImpuritySolver(small_model_file, backend="python")
    with pytest.warns(DomainWarning):
        solver.solve(W, bethe_rho(1.0), 9.0, -4.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DomainWarning)  # the same input again: no second warning
        repeated = solver.solve(W, bethe_rho(1.0), 9.5, -4.75)
    assert any(v.startswith("U = 9.5 outside") for v in repeated.domain_violations)
    # the distance: the largest excess over a range in units of its width (at least 1); 0 inside
    domain = solver.training_domain
    U_low, U_high = domain.U
    expected = (9.5 - U_high) / max(U_high - U_low, 1.0)  # the Bethe bath of D = 1 is the model unit: U' = U
    eps_excess = max(domain.eps_d[0] + 4.75, -4.75 - domain.eps_d[1], 0.0) / max(domain.eps_d[1] - domain.eps_d[0], 1.0)
    # rel 1e-3: the sampled semicircle's weight, hence the scale s = 1 + O(h^1.5), differs from 1/4 by ~1e-4
    assert repeated.domain_distance == pytest.approx(max(expected, eps_excess), rel=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DomainWarning)
        inside = solver.solve(W, bethe_rho(1.0), 0.5 * (U_low + U_high), 0.5 * (domain.eps_d[0] + domain.eps_d[1]))
    assert inside.domain_distance == 0.0


def test_fixes_issue_12_a_model_with_the_re_delta_channel_solves(small_re_delta_model_file):
    # A model exported with ModelConfig(use_re_delta=True) used to fail at solve time: the solver sent one channel.
    solver = NeuralImpuritySolver(small_re_delta_model_file, backend="python")
    assert solver.model.metadata.model_config.use_re_delta
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DomainWarning)  # a 2-epoch model: only shapes and finiteness are checked
        A = solver.spectral_function(W, bethe_rho(1.0), 1.0, -0.5)
        first_order = NeuralImpuritySolver(small_re_delta_model_file, backend="python", real_axis="first_order")
        A_first_order = first_order.spectral_function(W, bethe_rho(1.0), 1.0, -0.5)
    assert A.shape == A_first_order.shape == W.shape
    assert np.all(np.isfinite(A)) and np.all(np.isfinite(A_first_order)) and np.all(A >= 0)


def test_fixes_issue_12_the_solver_solves_with_a_re_delta_model(small_re_delta_model_file):
    from triqs_nnsolver.gf import semicircle_gf_iw
    from triqs_nnsolver.h5 import Operator
    from triqs_nnsolver.solver import Solver

    S = Solver(
        beta=20.0,
        gf_struct=[("up", 1), ("down", 1)],
        n_iw=200,
        n_tau=401,
        n_w=1001,
        w_min=-5.0,
        w_max=5.0,
        containers="own",
        model=small_re_delta_model_file,
    )
    for _, g0 in S.G0_iw:  # the impurity at half filling (mu = U/2 = 1) in the Bethe bath of half-bandwidth 1
        g0.data[:, 0, 0] = 1 / (S.mesh_iw.iw + 1.0 - 0.25 * semicircle_gf_iw(S.mesh_iw.points, 1.0))
    up, dn = ("up", 0), ("down", 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # domain and cut-off warnings of a 2-epoch model; finiteness is checked
        S.solve(h_int=Operator([(2.0, [(True, dn), (True, up), (False, up), (False, dn)])]))
    for name in ("up", "down"):
        assert np.all(np.isfinite(S.A_w[name].data)) and np.all(np.isfinite(S.G_iw[name].data))


def test_every_solver_implements_the_protocol(small_model_file):
    from triqs_nnsolver.impurity import ImpuritySolver

    free, neural = FreeImpuritySolver(), NeuralImpuritySolver(small_model_file, backend="python")
    for solver in (free, neural):
        assert isinstance(solver, ImpuritySolver) and "solver" in solver.describe()
    exact = free.solve(W, bethe_rho(1.0), 0.0, 0.0)
    assert exact.resolution == 0.0 and exact.uncertainty is None and exact.diagnostics == {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DomainWarning)  # the tiny test model: outside its domain, not the point
        network = neural.solve(W, bethe_rho(1.0), 1.0, -0.5)
    # the resolution of the training targets in the caller's unit (model resolution times the energy scale)
    sigma_model = neural.model.metadata.data_resolution
    assert sigma_model is not None  # recorded by export since metadata version 2 (0.0: unbroadened targets)
    assert network.resolution == pytest.approx(sigma_model * network.scale)


def test_a_solver_without_solve_cannot_be_built():
    from triqs_nnsolver.impurity import ImpuritySolver

    class Incomplete(ImpuritySolver):
        def describe(self):
            return {"solver": "incomplete"}

    with pytest.raises(TypeError, match="abstract"):
        Incomplete()


@pytest.mark.parametrize(
    ("U", "eps_d", "message"),
    [
        (-1.0, 0.0, "U must be a non-negative real number (energy unit, repulsive); got U = -1.0"),
        (np.nan, 0.0, "U must be a non-negative real number"),
        (0.0, "x", "eps_d must be a finite real number (energy unit); got eps_d = 'x'"),
    ],
)
def test_bad_parameters_are_named(U, eps_d, message):
    import re

    with pytest.raises(ValueError, match=re.escape(message)):
        FreeImpuritySolver().solve(W, bethe_rho(1.0), U, eps_d)
