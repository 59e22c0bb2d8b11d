"""The tutorials of doc/tutorials that the documentation build shows without running them.

``make docs`` executes every ``plot_*.py`` tutorial (an exception fails the build, and ``.ci/run`` builds the
docs); the ``show_*.py`` ones are only displayed there, so the one that does run today is run here: the MPI
tutorial under ``mpiexec -n 2`` (marker ``mpi``, ``make test-mpi``).
"""

import runpy
from pathlib import Path

import pytest

from triqs_nnsolver import mpi

TUTORIALS = Path(__file__).resolve().parents[2] / "doc" / "tutorials"


def test_every_tutorial_is_run_or_shown():
    scripts = sorted(p.name for p in TUTORIALS.glob("*.py"))
    assert scripts, TUTORIALS
    assert all(name.startswith(("plot_", "show_")) for name in scripts), scripts


@pytest.mark.mpi
def test_mpi_tutorial_gives_every_rank_the_same_results(capsys):
    assert mpi.size() == 2, "run this test with `mpiexec -n 2` (make test-mpi)"
    runpy.run_path(str(TUTORIALS / "show_05_mpi_run.py"), run_name="__main__")  # SystemExit(1) if ranks differ
    assert f"rank {mpi.rank()} of 2: G_iw identical to rank 0's: True" in capsys.readouterr().out
