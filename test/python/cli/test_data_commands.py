"""The ``generate`` and ``merge`` subcommands, through ``cli.main`` as the command line runs them."""

from __future__ import annotations

import json

import pytest

from triqs_nnsolver.cli.main import main
from triqs_nnsolver.data import read_dataset


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
