"""`triqs-nnsolver generate` under `mpiexec -n 2` (run by `make test-mpi`): shards merged = one-rank run."""

import pytest

from triqs_nnsolver import mpi
from triqs_nnsolver.cli import main
from triqs_nnsolver.data import (
    EDSettings,
    LanczosSettings,
    dataset_hash,
    generate_ed_samples,
    generate_lanczos_samples,
    read_dataset,
)
from triqs_nnsolver.model import ModelConfig

pytestmark = pytest.mark.mpi


@pytest.mark.parametrize(
    "backend, n_bath, write_serial",
    [
        (
            "ed",
            3,
            lambda out, grid: generate_ed_samples(out, 6, 5, grid, (0.2, 0.4), EDSettings(n_bath=3), progress=False),
        ),
        (  # 5 levels: the Lanczos ground-state search
            "lanczos",
            5,
            lambda out, grid: generate_lanczos_samples(
                out, 6, 5, grid, (0.2, 0.4), LanczosSettings(n_bath=5), progress=False
            ),
        ),
    ],
)
def test_two_ranks_write_shards_that_merge_into_the_single_rank_result(tmp_path, backend, n_bath, write_serial):
    assert mpi.size() == 2, "run with `mpiexec -n 2` (make test-mpi)"
    folder = mpi.bcast(tmp_path)  # one folder for both ranks
    config = ModelConfig(grid_n_w=16)
    if mpi.is_master_node():
        (folder / "model.json").write_text(config.to_json())
    mpi.barrier()
    out = folder / "parallel.h5"
    arguments = ["generate", "--backend", backend, "--n-samples", "6", "--out", str(out), "--seed", "5"]
    arguments += ["--bath-sites", str(n_bath), "--alphas", "0.2,0.4", "--model-config", str(folder / "model.json")]
    assert main([*arguments, "--no-progress"]) == 0
    mpi.barrier()  # rank 0 merges the shards before it reaches this barrier
    if mpi.is_master_node():
        reference = folder / "serial.h5"
        write_serial(reference, config.grid)
        data = read_dataset(out)
        assert data["sample_id"].size == 6 and data["provenance"]["generator"] == backend
        assert dataset_hash([out]) == dataset_hash([reference])  # the same samples, bit for bit
    mpi.barrier()


def test_a_failing_rank_stops_every_rank_with_its_error(tmp_path, monkeypatch, capsys):
    """Issue 17: rank 1 fails (a full disk, simulated); rank 0 does not wait for it at the merge."""
    import triqs_nnsolver.cli.data_commands as data_commands

    assert mpi.size() == 2, "run with `mpiexec -n 2` (make test-mpi)"
    folder = mpi.bcast(tmp_path)
    if mpi.rank() == 1:

        def full_disk(*args, **kwargs):
            raise OSError(28, "No space left on device (simulated)")

        monkeypatch.setattr(data_commands, "generate_ed_samples", full_disk)
    arguments = ["generate", "--backend", "ed", "--n-samples", "4", "--out", str(folder / "x.h5"), "--seed", "5"]
    assert main([*arguments, "--bath-sites", "2", "--no-progress"]) == 1  # on both ranks: nobody hangs
    error = capsys.readouterr().err
    if mpi.rank() == 0:
        assert "rank 1 of 2 failed: OSError: [Errno 28] No space left on device (simulated)" in error
        assert not (folder / "x.h5").exists()  # no merge of an incomplete set of shards
    else:
        assert error == ""  # one report, on rank 0
    mpi.barrier()
