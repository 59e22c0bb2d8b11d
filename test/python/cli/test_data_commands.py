"""The ``generate`` and ``merge`` subcommands, through ``cli.main`` as the command line runs them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from triqs_nnsolver.cli.main import main
from triqs_nnsolver.data import LanczosSettings, lanczos_sample, read_dataset
from triqs_nnsolver.model import ModelConfig


def test_generate_then_resume_then_merge(tmp_path, capsys):
    common = ["generate", "--backend", "ed", "--bath-sites", "3", "--alphas", "0.2,0.4", "--no-progress"]
    options = ["--U-range", "0:2", "--eps-d-range=-0.5:0.5", "--families", "semicircle,gapped"]
    assert main([*common, *options, "--n-samples", "2", "--out", str(tmp_path / "a.h5")]) == 0
    assert main([*common, *options, "--n-samples", "3", "--out", str(tmp_path / "a.h5")]) == 0  # resumes
    main([*common, *options, "--n-samples", "1", "--seed", "5", "--out", str(tmp_path / "b.h5")])
    data = read_dataset(tmp_path / "a.h5")
    assert data["sample_id"].tolist() == [0, 1, 2] and data["alphas"].tolist() == [0.2, 0.4]
    settings = data["provenance"]["settings"]
    assert settings["families"] == ["semicircle", "gapped"] and settings["eps_d_range"] == [-0.5, 0.5]
    assert 0 <= data["U"].min() and data["U"].max() <= 2
    capsys.readouterr()
    assert main(["merge", str(tmp_path / "a.h5"), str(tmp_path / "b.h5"), "--out", str(tmp_path / "c.h5")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n_samples"] == 4 and len(report["dataset_hash"]) == 64


def test_bad_arguments_are_named(capsys):
    with pytest.raises(SystemExit):
        main(["generate", "--backend", "ed", "--n-samples", "1", "--out", "x.h5", "--families", "cubes"])
    assert "unknown families ['cubes']" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["generate", "--backend", "ed", "--n-samples", "1", "--out", "x.h5", "--U-range", "0-2"])
    assert "expected a range a:b of two numbers; got '0-2'" in capsys.readouterr().err


def test_generate_lanczos_on_a_small_grid_then_resume(tmp_path):
    """``--backend lanczos`` with 5 levels on a 16-point grid: 3 samples, resumed after 2 (about 0.1 s each)."""
    (tmp_path / "model.json").write_text(ModelConfig(grid_n_w=16).to_json())
    out = tmp_path / "lanczos.h5"
    argv = ["generate", "--backend", "lanczos", "--out", str(out), "--seed", "2", "--bath-sites", "5"]
    argv += ["--alphas", "0.2,0.4", "--model-config", str(tmp_path / "model.json"), "--no-progress"]
    assert main([*argv, "--n-samples", "2"]) == 0
    assert main([*argv, "--n-samples", "3"]) == 0  # resumes: writes sample 2 only
    data = read_dataset(out)
    assert data["sample_id"].tolist() == [2 * 2**32 + i for i in range(3)] and data["grid"].size == 16
    settings = data["provenance"]["settings"]
    assert data["provenance"]["generator"] == "lanczos" and settings["n_bath"] == 5 and settings["sigma_w"] is None
    expected = [lanczos_sample(2, i, data["grid"], (0.2, 0.4), LanczosSettings(n_bath=5)) for i in range(3)]
    np.testing.assert_array_equal(data["A_tilde"], np.stack([sample["A_tilde"] for sample in expected]))
    assert np.all(np.isnan(data["A_real"])) and np.all(data["max_bond_dim"] == -1)


def test_mps_options_with_the_lanczos_backend_are_refused(tmp_path, capsys):
    argv = ["generate", "--backend", "lanczos", "--n-samples", "1", "--out", str(tmp_path / "x.h5"), "--dt", "0.1"]
    assert main(argv) == 2  # bad arguments
    assert "--dt apply to --backend mps only; got them with --backend lanczos" in capsys.readouterr().err
    assert not (tmp_path / "x.h5").exists()
