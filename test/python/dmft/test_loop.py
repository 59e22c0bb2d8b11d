"""The DMFT loop: exact fixed points (U = 0, Hartree), honest non-convergence, target density, bad inputs."""

import warnings

import numpy as np
import pytest

from triqs_nnsolver.dmft import (
    BetheDMFTConfig,
    DMFTNotConvergedWarning,
    SpectralWeightWarning,
    run_bethe_dmft,
)
from triqs_nnsolver.gf import semicircle_dos

# Kramers-Kronig error of one U = 0 step at the band edges w = +-D: the piecewise-linear semicircle has
# square-root edges, where the transform is first order in the spacing h; measured 0.212 h / D^2 on the
# default grid (1.06e-3 at h = D/200, 5.4e-4 at D/400, linear in h), bounded here by 0.25 h / D^2.
KK_EDGE_FACTOR = 0.25
# Inside the band (|w| < 0.9 D) the same error is O(h^1.5): measured 6.1e-5 at h = 0.005 D.
KK_INSIDE = 1e-4


@pytest.mark.parametrize("D", [1.0, 2.0])
def test_u0_converges_in_one_step_to_the_semicircle(free_solver, D):
    config = BetheDMFTConfig(U=0.0, D=D)
    h = 2 * config.resolved_w_max / (config.n_w - 1)
    bound = KK_EDGE_FACTOR * h / D**2  # max |A_1 - A_semicircle|, 1/energy
    config = config.replace(tol=bound * D)  # tol is on D max|dA|
    result = run_bethe_dmft(free_solver, config)
    assert result.converged and result.n_iter == 1
    A_exact = semicircle_dos(result.w, D)
    assert np.max(np.abs(result.A - A_exact)) <= bound
    inside = np.abs(result.w) < 0.9 * D
    assert np.max(np.abs(result.A - A_exact)[inside]) <= KK_INSIDE / D
    obs = result.observables
    assert obs.A0 == pytest.approx(2 / (np.pi * D), abs=KK_INSIDE / D)
    assert obs.Z == pytest.approx(1.0, abs=1e-3)  # Sigma = 0 up to the KK error inside the band
    assert obs.density == pytest.approx(1.0, abs=1e-4)
    assert list(result.history) == ["change", "eps_d", "density", "A0", "norm"]


def test_hartree_fixed_point_at_u2(hartree_solver):
    # The half-filled Hartree impurity (Sigma = U/2 exactly) has the semicircle as its Bethe fixed point.
    result = run_bethe_dmft(hartree_solver, BetheDMFTConfig(U=2.0))
    assert result.converged and result.n_iter == 1
    inside = np.abs(result.w) < 0.9
    np.testing.assert_allclose(result.observables.Sigma_w[inside], 1.0, atol=2e-4)  # U/2, KK error inside
    assert result.observables.double_occupancy == pytest.approx(0.25, abs=1e-4)
    assert result.eps_d == -1.0


def _wide_start(config):
    """A semicircle 30% wider than the fixed point: the loop needs many steps from there."""
    return semicircle_dos(np.linspace(-config.resolved_w_max, config.resolved_w_max, config.n_w), 1.3 * config.D)


def test_not_converged_is_reported_not_hidden(hartree_solver):
    config = BetheDMFTConfig(U=2.0, max_iter=3, tol=1e-6, n_w=600)
    with pytest.warns(DMFTNotConvergedWarning, match="not converged after max_iter = 3 iterations at U = 2"):
        result = run_bethe_dmft(hartree_solver, config, A_start=_wide_start(config))
    assert not result.converged
    assert result.n_iter == 3 and hartree_solver.calls == 3
    assert result.history["change"].shape == (3,)
    assert result.change > config.tol
    assert "NOT converged after 3 iterations" in result.summary()


def test_linear_mixing_halves_the_step(hartree_solver):
    config = BetheDMFTConfig(U=2.0, mixing=0.5, max_iter=2, tol=1e-9, n_w=600)
    with pytest.warns(DMFTNotConvergedWarning):
        result = run_bethe_dmft(hartree_solver, config, A_start=_wide_start(config))
    assert result.history["change"][1] < result.history["change"][0]


def test_anderson_path_runs(hartree_solver):
    config = BetheDMFTConfig(U=1.0, anderson_depth=3, mixing=0.7, tol=1e-3, max_iter=6, n_w=600)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DMFTNotConvergedWarning)
        result = run_bethe_dmft(hartree_solver, config, A_start=_wide_start(config))
    assert np.all(result.A_bath >= 0)  # clipped after the Anderson step
    assert result.history["change"][-1] < result.history["change"][0]


def test_target_density_is_met_in_every_iteration(free_solver):
    config = BetheDMFTConfig(U=0.0, density=0.6, max_iter=2, tol=1e-9, n_w=800)
    with pytest.warns(DMFTNotConvergedWarning):
        result = run_bethe_dmft(free_solver, config)
    # brentq on eps_d to 1e-6 D, dn/deps_d ~ 1.3 / D: density to ~1e-6
    np.testing.assert_allclose(result.history["density"], 0.6, atol=1e-5)
    assert result.eps_d > 0  # fewer electrons than half filling: the level moves up
    assert result.observables.density == pytest.approx(0.6, abs=1e-5)


def test_lost_spectral_weight_warns(hartree_solver):
    # A gapped bath makes the free impurity's pole at w = 0 a delta peak that no grid resolves: int A << 1.
    with pytest.warns(SpectralWeightWarning, match="int A = "), warnings.catch_warnings():
        warnings.simplefilter("ignore", DMFTNotConvergedWarning)
        run_bethe_dmft(hartree_solver, BetheDMFTConfig(U=4.0, start="insulator", max_iter=1))


def test_bad_solver_and_start(broken_solver):
    with pytest.raises(TypeError, match="solver must have a method solve"):
        run_bethe_dmft(object())
    with pytest.raises(RuntimeError, match="BrokenSolver.solve returned an invalid A"):
        run_bethe_dmft(broken_solver)
    with pytest.raises(ValueError, match="A_start must be a finite real array of shape \\(n_w,\\) = \\(2400,\\)"):
        run_bethe_dmft(broken_solver, A_start=np.ones(10))
    with pytest.raises(TypeError, match="config must be a BetheDMFTConfig; got dict"):
        run_bethe_dmft(broken_solver, {"U": 1.0})
