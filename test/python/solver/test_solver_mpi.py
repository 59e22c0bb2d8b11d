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
