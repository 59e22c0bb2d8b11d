"""Argument parsing and config files of the ``train``, ``evaluate`` and ``export`` subcommands.

The commands themselves run end to end, on real data files, in test/python/cli/test_model_pipeline.py.
"""

import json

import pytest

from triqs_nnsolver.cli.main import build_parser
from triqs_nnsolver.cli.train_commands import read_config_file
from triqs_nnsolver.model import ModelConfig
from triqs_nnsolver.train import TrainConfig


def _parser():
    return build_parser("train")


def test_resume_flag_and_required_arguments(capsys):
    arguments = _parser().parse_args(["train", "--data", "x.h5", "--out", "d", "--resume"])
    assert arguments.resume and arguments.config is None and not arguments.no_progress
    with pytest.raises(SystemExit):
        _parser().parse_args(["train", "--out", "d"])
    assert "--data" in capsys.readouterr().err


def test_config_file(tmp_path):
    assert read_config_file(None) == (ModelConfig(), TrainConfig())
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"train": {"seed": 7}}))
    assert read_config_file(path) == (ModelConfig(), TrainConfig(seed=7))
    path.write_text(json.dumps({"trian": {}}))
    with pytest.raises(TypeError, match=r"unknown top-level keys \['trian'\]"):
        read_config_file(path)
    path.write_text(json.dumps({"model": {"n_embed": 8}}))
    with pytest.raises(TypeError, match=r"unknown ModelConfig keys: \['n_embed'\]"):
        read_config_file(path)
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match="must hold a JSON object"):
        read_config_file(path)
