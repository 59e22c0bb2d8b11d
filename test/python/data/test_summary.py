"""``data.summarize``: counts, ranges, resolution and diagnostics of a data set, as stored."""

from __future__ import annotations

import json

import numpy as np

from triqs_nnsolver.cli.main import main
from triqs_nnsolver.data import dataset_hash, read_dataset, summarize


def test_summary_of_an_ed_file_matches_its_samples(ed_file, capsys):
    data = read_dataset(ed_file)
    summary = summarize([ed_file])
    assert summary["n_samples"] == 4 and summary["n_w"] == data["grid"].size
    assert summary["alphas"] == [0.2, 0.5] and summary["n_bath_levels"] == 3
    assert summary["U_range"] == [data["U"].min(), data["U"].max()]
    assert summary["eps_d_range"] == [data["eps_d"].min(), data["eps_d"].max()]
    assert summary["wall_time"]["total"] == np.sum(data["wall_time"]) > 0
    # exact diagonalization: no truncation, bond dimension or variance; unbroadened targets
    assert summary["truncation_error"] is None and summary["max_bond_dim"] is None
    assert summary["energy_variance"] is None
    assert summary["files"] == [
        {
            "path": str(ed_file),
            "schema_version": 3,
            "generator": "ed",
            "seed": 7,
            "n_samples": 4,
            "resolution": [0.0],
            "raw": "poles",
            "grid_functions": "stored",
            "n_with_raw": 4,
        }
    ]
    assert summary["dataset_hash"] == dataset_hash(ed_file)
    assert main(["inspect", str(ed_file)]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(summary))  # what the command prints


def test_summary_reports_the_largest_diagnostics(tmp_path, write_random, random_sample):
    path = write_random(tmp_path / "r.h5", range(3))  # max_bond_dim 10 + index, energy_variance in [0, 1e-10)
    summary = summarize([path])
    assert summary["max_bond_dim"] == 12
    assert summary["energy_variance"] == max(random_sample(i)["energy_variance"] for i in range(3))
