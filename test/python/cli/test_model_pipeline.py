"""The model workflow end to end on real data: generate (ED) -> train -> evaluate -> export -> run.

Every step goes through the command line as a user would run it, on a tiny network and a few
exact-diagonalization samples, and the exported file is run by both runtimes.
"""

import json

import numpy as np
import pytest

from triqs_nnsolver.cli import main
from triqs_nnsolver.model import ModelConfig
from triqs_nnsolver.runtime import cpp_runtime_available, load_model

TINY = ModelConfig(grid_n_w=16, n_embd=16, n_head=2, n_frequency_features=4, n_encoder_layers=1, n_decoder_layers=1)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pipeline")
    (folder / "model.json").write_text(TINY.to_json())
    (folder / "config.json").write_text(
        json.dumps({"model": TINY.to_dict(), "train": {"max_epochs": 2, "batch_size": 8, "device": "cpu"}})
    )
    data = str(folder / "ed.h5")
    generate = ["generate", "--backend", "ed", "--n-samples", "20", "--out", data, "--seed", "3"]
    generate += ["--bath-sites", "3", "--alphas", "0.2,0.4", "--model-config", str(folder / "model.json")]
    assert main([*generate, "--no-progress"]) == 0
    out = str(folder / "run")
    assert main(["train", "--data", data, "--out", out, "--config", str(folder / "config.json"), "--no-progress"]) == 0
    return folder, data, folder / "run"


def test_train_leaves_checkpoints_and_the_training_data_record(run):
    _, data, out = run
    assert (out / "best.pt").is_file() and (out / "last.pt").is_file()
    record = json.loads((out / "training_data.json").read_text())
    assert record["files"] == [data] and len(record["hash"]) >= 64  # a sha256 digest
    assert record["training_domain"]["alpha"] == [0.2, 0.4]
    assert record["resolution"] == 0.0  # `generate --backend ed` without --sigma-w: unbroadened targets


def test_evaluate_writes_report(run):
    _, data, out = run
    assert main(["evaluate", "--model", str(out / "best.pt"), "--data", data]) == 0
    report = json.loads((out / "evaluation.json").read_text())
    assert report["n_samples"] > 0 and (out / "evaluation.png").stat().st_size > 0


def test_export_runs_identically_in_both_runtimes(run, capsys):
    folder, _, out = run
    model_file = folder / "model.pt"
    assert main(["export", str(out / "best.pt"), "--out", str(model_file)]) == 0
    assert "wrote" in capsys.readouterr().out
    loaded = load_model(model_file, backend="python")
    assert loaded.metadata.model_config == TINY
    assert loaded.metadata.training_domain.alpha == (0.2, 0.4)
    assert loaded.metadata.data_resolution == 0.0
    rho = np.full((2, TINY.grid_n_w), 0.05, dtype=np.float32)
    params = np.array([[2.0, -1.0, 0.0], [2.0, -1.0, 0.2]], dtype=np.float32)  # real axis and a training alpha
    python_out = loaded.runner.forward(rho, params)
    assert python_out.shape == (2, TINY.grid_n_w) and np.all(python_out > 0)
    if cpp_runtime_available():
        np.testing.assert_array_equal(load_model(model_file, backend="c++").runner.forward(rho, params), python_out)


def test_export_without_training_record_names_it(run, tmp_path, capsys):
    _, _, out = run
    argv = ["export", str(out / "best.pt"), "--out", str(tmp_path / "m.pt"), "--training-data", "missing.json"]
    assert main(argv) == 1  # a missing file: a run-time error, reported in one line
    assert "triqs-nnsolver export: error: training-data record not found: 'missing.json'" in capsys.readouterr().err
