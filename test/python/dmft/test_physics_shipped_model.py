"""Bethe-lattice DMFT physics with the shipped model (METHOD.md section 5, rung 5).

These tests need the trained model shipped in ``share/triqs_nnsolver/models`` and skip while it does not
exist. Each tolerance is a named constant with its reason; the interim model does not meet them yet (below).
"""

import warnings

import numpy as np
import pytest

from triqs_nnsolver.dmft import BetheDMFTConfig, run_bethe_dmft
from triqs_nnsolver.runtime.default_model import default_model_path

try:
    SHIPPED_MODEL = default_model_path()
except FileNotFoundError as err:
    SHIPPED_MODEL = None
    REASON = f"needs the shipped model: {err}"
else:
    REASON = ""

pytestmark = pytest.mark.skipif(SHIPPED_MODEL is None, reason=REASON)

# The tolerances a production model must meet (METHOD.md section 5, rung 5):
LUTTINGER_RTOL = 0.05  # A(0) = 2/(pi D) in the half-filled metal, relative; a few percent of model error near w = 0
PARTICLE_HOLE_ATOL = 0.02  # max_w |A(w) - A(-w)| * D at half filling; the network is not symmetric by construction
NORM_ATOL = 0.03  # |int A - 1| and |n - 1|: the raw network output is not normalized (normalize=False)
GAP_A0_ATOL = 0.02  # A(0) * D in the Mott insulator at U = 4 D from an insulating start (exact: 0)
# Z decreases with U in the metal (NRG: Z ~ 0.8, 0.55, 0.3 at U = 1, 2, 2.5 D); only the order is asserted.

# The shipped interim model (trained on 5-level exact-diagonalization baths, MODEL_CARD.md) does not yet give
# a physical DMFT fixed point; measured on 2026-11-26: U = 1 D not converged in 100 iterations (A(0) = 0.88,
# asymmetry 0.07, int A = 1.07); U = 2 D converged to A(0) = 0.08 with asymmetry 0.41; U = 4 D from an
# insulating start converged to A(0) = 0.36. These tests are strict expected failures: they fail the run as
# soon as a shipped model passes them, which is the signal to drop the marks.
INTERIM = pytest.mark.xfail(strict=True, reason="interim model: no physical DMFT fixed point (MODEL_CARD.md)")


@pytest.fixture(scope="module")
def solver():
    from triqs_nnsolver.impurity import NeuralImpuritySolver

    return NeuralImpuritySolver()


@pytest.fixture(scope="module")
def metals(solver):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-convergence and domain warnings are asserted on below
        return {U: run_bethe_dmft(solver, BetheDMFTConfig(U=U)) for U in (1.0, 2.0)}


@INTERIM
@pytest.mark.parametrize("U", [1.0, 2.0])
def test_luttinger_pinning(metals, U):
    result = metals[U]
    assert result.converged
    assert result.observables.A0 == pytest.approx(2 / np.pi, rel=LUTTINGER_RTOL)


@INTERIM
@pytest.mark.parametrize("U", [1.0, 2.0])
def test_half_filled_solution_is_particle_hole_symmetric_and_normalized(metals, U):
    result = metals[U]
    assert np.max(np.abs(result.A - result.A[::-1])) <= PARTICLE_HOLE_ATOL  # the grid is symmetric
    assert result.observables.norm == pytest.approx(1.0, abs=NORM_ATOL)
    assert result.observables.density == pytest.approx(1.0, abs=NORM_ATOL)


def test_z_decreases_with_U(metals):
    assert 0 < metals[2.0].observables.Z < metals[1.0].observables.Z < 1


@INTERIM
def test_mott_insulator_at_large_U(solver):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_bethe_dmft(solver, BetheDMFTConfig(U=4.0, start="insulator"))
    assert result.converged
    assert result.observables.A0 <= GAP_A0_ATOL
