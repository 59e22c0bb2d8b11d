"""MPI helpers, run by `make test-mpi` under `mpiexec -n 2` (marker `mpi`)."""

import numpy as np
import pytest

from triqs_nnsolver import mpi

pytestmark = pytest.mark.mpi


def test_two_ranks():
    assert mpi.size() == 2, "run this file with `mpiexec -n 2` (make test-mpi)"
    assert mpi.is_master_node() == (mpi.rank() == 0)


def test_bcast_gives_every_rank_the_root_array():
    local = np.random.default_rng(100 + mpi.rank()).random(5)  # differs between ranks
    shared = mpi.bcast(local)
    gathered = mpi._world().allgather(shared)
    np.testing.assert_array_equal(gathered[0], gathered[1])
    if mpi.rank() == 0:
        np.testing.assert_array_equal(shared, local)


def test_report_prints_on_rank_zero_only(capsys):
    mpi.report("hello from", mpi.rank())
    out = capsys.readouterr().out
    assert out == ("hello from 0\n" if mpi.rank() == 0 else "")
    mpi.barrier()
