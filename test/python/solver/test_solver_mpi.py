"""The Solver under `mpiexec -n 2` (marker `mpi`, run by `make test-mpi`): every rank ends with the same results."""

import numpy as np
import pytest

from triqs_nnsolver import mpi
from triqs_nnsolver.gf import semicircle_gf_iw
from triqs_nnsolver.solver import FreeImpuritySolver, Solver

pytestmark = pytest.mark.mpi


@pytest.fixture(autouse=True)
def _two_ranks():
    if mpi.size() == 1:
        pytest.skip("run this file with `mpiexec -n 2` (make test-mpi)")
    assert mpi.size() == 2, "run this file with `mpiexec -n 2` (make test-mpi)"


def test_every_rank_gets_identical_g_iw():
    S = Solver(20.0, [("up", 1), ("down", 1)], n_iw=100, n_tau=201, n_w=801, w_min=-4.0, w_max=4.0,
               impurity_solver=FreeImpuritySolver(), containers="own")  # fmt: skip
    for _, g in S.G0_iw:  # a rank-dependent input: rank 0's wins, as it computes and broadcasts
        g.data[:, 0, 0] = 1 / (S.mesh_iw.iw - 0.1 * mpi.rank() - 0.25 * semicircle_gf_iw(S.mesh_iw.points, 1.0))
    S.solve(U=0.0, verbosity=0)
    gathered = mpi._world().allgather(S.G_iw["up"].data)
    np.testing.assert_array_equal(gathered[0], gathered[1])
    assert S.Delta_infty[0][0, 0].real == pytest.approx(0.0, abs=1e-10)  # rank 0's level on both ranks


def test_an_error_on_rank_zero_is_raised_on_every_rank():
    S = Solver(20.0, [("up", 1), ("down", 1)], n_iw=100, n_tau=201, impurity_solver=FreeImpuritySolver(),
               containers="own")  # fmt: skip
    with pytest.raises(ValueError, match="S.G0_iw is zero"):
        S.solve(U=0.0)
    mpi.barrier()


def _bethe_solver(impurity_solver):
    S = Solver(20.0, [("up", 1), ("down", 1)], n_iw=100, n_tau=201, n_w=801, w_min=-4.0, w_max=4.0,
               impurity_solver=impurity_solver, containers="own")  # fmt: skip
    for _, g in S.G0_iw:
        g.data[:, 0, 0] = 1 / (S.mesh_iw.iw - 0.25 * semicircle_gf_iw(S.mesh_iw.points, 1.0))
    return S


def test_an_input_bad_only_on_another_rank_does_not_hang():
    """Issue 17: rank 1's G0_iw is NaN; rank 0 checks and solves its own, so nobody waits for a failed rank."""
    S = _bethe_solver(FreeImpuritySolver())
    if mpi.rank() == 1:
        S.G0_iw["up"].data[3, 0, 0] = np.nan
    S.solve(U=0.0, verbosity=0)  # rank 0's input wins on every rank, as in test_every_rank_gets_identical_g_iw
    assert np.all(np.isfinite(S.G_iw["up"].data))
    mpi.barrier()


class _Unpicklable(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.handle = lambda: None  # a lambda cannot be pickled, so neither can the exception

    def __reduce__(self):
        raise TypeError("cannot pickle")


class _FailsOnRankZero(FreeImpuritySolver):
    def solve(self, w, rho_Delta, U, eps_d):
        raise _Unpicklable("the impurity solver failed")


def test_an_error_that_cannot_be_pickled_still_reaches_every_rank():
    S = _bethe_solver(_FailsOnRankZero())
    with pytest.raises(Exception, match="the impurity solver failed"):
        S.solve(U=0.0, verbosity=0)
    mpi.barrier()
