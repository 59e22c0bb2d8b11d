"""The training loop: it learns, resumes exactly, stops early, and writes self-contained checkpoints."""

import dataclasses
import json
import logging
import random

import numpy as np
import pytest
import torch

from triqs_nnsolver.model import ModelConfig
from triqs_nnsolver.train import TrainConfig, load_checkpoint, load_model, train
from triqs_nnsolver.train.checkpoint import capture_rng_state, restore_rng_state, save_checkpoint

QUICK = dict(
    learning_rate=1e-2,
    min_lr=1e-3,
    warmup_steps=2,
    batch_size=4,
    max_epochs=4,
    early_stopping_patience=None,
    device="cpu",
)


def _weights(path):
    return load_checkpoint(path)["model"]


def _assert_same_weights(a, b):
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key  # bit-identical, not merely close


def test_small_model_overfits(tiny_config, make_pole_dataset, tmp_path):
    dataset = make_pole_dataset(tiny_config, n_samples=8, alphas=(0.2, 0.4), seed=0)
    config = TrainConfig(
        learning_rate=1e-2,
        min_lr=1e-3,
        warmup_steps=30,
        batch_size=16,
        max_epochs=300,
        weight_decay=0.0,
        early_stopping_patience=None,
        device="cpu",
        checkpoint_every=300,
        seed=0,
    )
    result = train(tiny_config, config, dataset, dataset, tmp_path, progress=False)  # validation = training set
    first, best = result.history[0], result.history[result.best_epoch - 1]
    # Baselines: the mean square of the targets is 0.092 (A~, variance 0.072) and 0.333 (dA~/dalpha); the
    # untrained network scores 0.36 and 0.33 (the derivative term sits on a plateau for the first 100-200
    # steps: the initial network barely depends on alpha). Measured after 300 full-batch steps, 1 thread:
    # seed 0 (this test) spectral 2.3e-3, derivative 5.0e-2; seeds 1-3 gave spectral 3.0e-3 to 3.2e-2 and
    # derivative 1.7e-2 to 0.12. The bounds pass the worst of those four seeds, so that rounding differences
    # on another platform (another trajectory) cannot fail the test, and still demand a fit: spectral below
    # half the target variance, derivative below half the loss of a network that ignores alpha.
    assert first["val_spectral"] > 0.3 and first["val_derivative"] > 0.3
    assert best["val_spectral"] < 3.6e-2
    assert best["val_derivative"] < 0.16
    assert result.best_val_loss == best["val_loss"] and result.stop_reason == "max_epochs"


def test_resume_after_a_crash_gives_identical_weights(tiny_config, make_pole_dataset, tmp_path):
    train_set = make_pole_dataset(tiny_config, n_samples=6, alphas=(0.2, 0.4), seed=1)  # 3 steps per epoch
    val_set = make_pole_dataset(tiny_config, n_samples=2, alphas=(0.2, 0.4), seed=2)
    config = TrainConfig(**QUICK, checkpoint_every=2, seed=3)
    straight = train(tiny_config, config, train_set, val_set, tmp_path / "straight", progress=False)

    def crash_after_epoch_3(record):
        if record["epoch"] == 3:  # last.pt is from epoch 2: epoch 3 is lost, as in a killed job
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train(
            tiny_config,
            config,
            train_set,
            val_set,
            tmp_path / "resumed",
            progress=False,
            on_epoch_end=crash_after_epoch_3,
        )
    assert load_checkpoint(tmp_path / "resumed" / "last.pt")["epoch"] == 2
    torch.manual_seed(1234)  # a resumed process starts with other random states: the checkpoint restores them
    resumed = train(tiny_config, config, train_set, val_set, tmp_path / "resumed", resume=True, progress=False)

    assert resumed.epochs == straight.epochs == 4 and resumed.steps == straight.steps == 12
    for name in ("last.pt", "best.pt"):
        _assert_same_weights(_weights(tmp_path / "straight" / name), _weights(tmp_path / "resumed" / name))
    _assert_same_weights(straight.model.state_dict(), resumed.model.state_dict())
    losses = [{k: v for k, v in record.items() if k != "seconds"} for record in straight.history]
    assert [{k: v for k, v in record.items() if k != "seconds"} for record in resumed.history] == losses


def test_stop_by_callback_then_resume_and_finished_run(tiny_config, make_pole_dataset, tmp_path):
    train_set = make_pole_dataset(tiny_config, n_samples=4, alphas=(0.3,), seed=4)
    config = TrainConfig(**QUICK, checkpoint_every=3, seed=5)
    first = train(
        tiny_config,
        config,
        train_set,
        train_set,
        tmp_path,
        progress=False,
        on_epoch_end=lambda record: record["epoch"] == 1,
    )
    assert first.stop_reason == "callback" and first.epochs == 1
    assert load_checkpoint(tmp_path / "last.pt")["epoch"] == 1  # written although checkpoint_every = 3
    second = train(tiny_config, config, train_set, train_set, tmp_path, resume=True, progress=False)
    assert second.stop_reason == "max_epochs" and second.epochs == 4
    again = train(tiny_config, config, train_set, train_set, tmp_path, resume=True, progress=False)
    assert again.steps == second.steps and len(again.history) == 4  # a finished run is not extended
    _assert_same_weights(again.model.state_dict(), second.model.state_dict())


def test_early_stopping_keeps_the_best_weights(tiny_config, make_pole_dataset, tmp_path):
    items = make_pole_dataset(tiny_config, n_samples=4, alphas=(0.3,), seed=6).items
    zeros = torch.zeros(tiny_config.grid_n_w)
    # training pulls the Softplus output (about 0.7 at start) towards 0, so the loss against 1 can only rise
    train_set = [{**item, "A_tilde": zeros, "dA_tilde_dalpha": zeros} for item in items]
    val_set = [{**item, "A_tilde": zeros + 1, "dA_tilde_dalpha": zeros} for item in items]
    config = TrainConfig(**{**QUICK, "max_epochs": 20, "early_stopping_patience": 2}, lambda_derivative=0.0)
    result = train(tiny_config, config, train_set, val_set, tmp_path, progress=False)
    val_losses = [record["val_loss"] for record in result.history]
    assert result.stop_reason == "early_stopping" and result.epochs == 3 and result.best_epoch == 1
    assert val_losses[0] < val_losses[1] < val_losses[2]
    _assert_same_weights(result.model.state_dict(), _weights(tmp_path / "best.pt"))
    last = _weights(tmp_path / "last.pt")
    assert not all(torch.equal(last[k], v) for k, v in result.model.state_dict().items())


def test_checkpoint_rebuilds_the_model_alone(tiny_config, make_pole_dataset, tmp_path, caplog):
    dataset = make_pole_dataset(tiny_config, n_samples=2, alphas=(0.2, 0.4), seed=7)
    config = TrainConfig(**{**QUICK, "max_epochs": 2}, seed=8, log_every=1)
    with caplog.at_level(logging.INFO, logger="triqs_nnsolver.train"):
        result = train(tiny_config, config, dataset, dataset, tmp_path, progress=True)  # the bar goes to stderr
    epoch_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("epoch ")]
    assert len(epoch_lines) == 2 and all("spectral" in line and "derivative" in line for line in epoch_lines)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best.pt", "history.json", "last.pt"]  # no temp files
    best = load_checkpoint(tmp_path / "best.pt")
    assert best["model_config"] == tiny_config.to_dict() and best["train_config"] == config.to_dict()
    assert best["epoch"] == result.best_epoch and best["val_loss"] == result.best_val_loss
    last = load_checkpoint(tmp_path / "last.pt")
    assert {"optimizer", "rng", "step", "epoch", "history", "best_model", "best_val_loss"} <= set(last)
    assert json.loads((tmp_path / "history.json").read_text()) == result.history == last["history"]
    rebuilt = load_model(tmp_path / "best.pt")
    assert rebuilt.config == tiny_config
    item = dataset[0]
    with torch.no_grad():
        expected = result.model(item["hybridization"][None], item["params"][None])
        torch.testing.assert_close(rebuilt(item["hybridization"][None], item["params"][None]), expected, rtol=0, atol=0)


def test_bad_checkpoints_are_refused(tmp_path, tiny_config):
    torch.save({"weights": torch.zeros(2)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="is not a triqs_nnsolver training checkpoint"):
        load_checkpoint(tmp_path / "other.pt")
    save_checkpoint({"model_config": {}, "train_config": {}, "model": {}, "version": 99}, tmp_path / "future.pt")
    with pytest.raises(ValueError, match="has checkpoint version 99"):
        load_checkpoint(tmp_path / "future.pt")
    with pytest.raises(FileNotFoundError, match="no checkpoint at path"):
        load_checkpoint(tmp_path / "missing.pt")
    with pytest.raises(ValueError, match="must hold the keys"):
        save_checkpoint({"model": {}}, tmp_path / "incomplete.pt")


def test_rng_state_round_trip():
    torch.manual_seed(1), np.random.seed(1), random.seed(1)
    state = capture_rng_state()
    draws = (torch.rand(3), np.random.rand(3), random.random())
    torch.manual_seed(2), np.random.seed(2), random.seed(2)
    restore_rng_state(state)
    again = (torch.rand(3), np.random.rand(3), random.random())
    assert torch.equal(draws[0], again[0]) and np.array_equal(draws[1], again[1]) and draws[2] == again[2]


def test_bad_inputs_are_named(tiny_config, make_pole_dataset, tmp_path):
    dataset = make_pole_dataset(tiny_config, n_samples=1, alphas=(0.3,), seed=9)
    config = TrainConfig(**QUICK)
    other_grid = dataclasses.replace(tiny_config, grid_n_w=8)
    with pytest.raises(ValueError, match=r"train_set\[0\]\['hybridization'\] must have shape \(8, 1\)"):
        train(other_grid, config, dataset.items, dataset.items, tmp_path, progress=False)  # a list has no .grid
    wide = make_pole_dataset(dataclasses.replace(tiny_config, grid_w_max=10.0), n_samples=1, alphas=(0.3,), seed=9)
    with pytest.raises(ValueError, match=r"val_set.grid must be the model grid \(grid_w_max = 8.0"):
        train(tiny_config, config, dataset, wide, tmp_path, progress=False)
    with pytest.raises(ValueError, match="val_set must hold at least one item"):
        train(tiny_config, config, dataset, [], tmp_path, progress=False)
    with pytest.raises(ValueError, match="val_set items must hold 'params'"):
        train(tiny_config, config, dataset, [{"hybridization": torch.zeros(16, 1)}], tmp_path, progress=False)
    with pytest.raises(TypeError, match="model_config must be a ModelConfig; got dict"):
        train(tiny_config.to_dict(), config, dataset, dataset, tmp_path, progress=False)
    train(tiny_config, dataclasses.replace(config, max_epochs=1), dataset, dataset, tmp_path, progress=False)
    with pytest.raises(ValueError, match="model_config differs from the one in"):
        train(
            ModelConfig(**{**tiny_config.to_dict(), "n_embd": 8}),
            config,
            dataset,
            dataset,
            tmp_path,
            resume=True,
            progress=False,
        )


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message on machines without CUDA")
def test_cuda_request_without_cuda_is_refused(tiny_config, make_pole_dataset, tmp_path):
    dataset = make_pole_dataset(tiny_config, n_samples=1, alphas=(0.3,), seed=10)
    with pytest.raises(ValueError, match="device = 'cuda' but torch.cuda.is_available"):
        train(tiny_config, TrainConfig(**{**QUICK, "device": "cuda"}), dataset, dataset, tmp_path, progress=False)


def test_the_real_axis_term_trains_and_is_recorded(tiny_config, make_pole_dataset, tmp_path):
    """make_pole_dataset gives even samples an A_real: with lambda_real > 0 the term is in every record."""
    train_set = make_pole_dataset(tiny_config, n_samples=6, alphas=(0.2, 0.4), seed=1)
    val_set = make_pole_dataset(tiny_config, n_samples=2, alphas=(0.2, 0.4), seed=2)
    with_term = train(tiny_config, TrainConfig(**QUICK, lambda_real=1.0, seed=3), train_set, val_set, tmp_path / "a")
    without = train(tiny_config, TrainConfig(**QUICK, seed=3), train_set, val_set, tmp_path / "b", progress=False)
    for record in with_term.history:
        assert record["train_real_axis"] > 0 and record["val_real_axis"] > 0
        assert record["train_loss"] > record["train_spectral"]  # the weighted term is part of the loss
    assert all(record["train_real_axis"] == record["val_real_axis"] == 0 for record in without.history)


def test_real_axis_only_training_runs_and_records_no_tilted_terms(tiny_config, make_pole_dataset, tmp_path):
    train_set = make_pole_dataset(tiny_config, n_samples=6, alphas=(0.2,), seed=1)
    val_set = make_pole_dataset(tiny_config, n_samples=2, alphas=(0.2,), seed=2)
    config = TrainConfig(**{**QUICK, "lambda_tilted": 0.0, "lambda_derivative": 0.0, "lambda_real": 1.0, "seed": 3})
    result = train(tiny_config, config, train_set, val_set, tmp_path, progress=False)
    for record in result.history:
        assert record["train_spectral"] == record["train_derivative"] == record["val_spectral"] == 0
        assert record["train_loss"] == record["train_real_axis"] > 0
    with pytest.raises(ValueError, match="at least one of lambda_tilted, lambda_derivative, lambda_real"):
        TrainConfig(lambda_tilted=0.0, lambda_derivative=0.0)
