"""TrainConfig: defaults, dict and JSON round trips, rejected keys and values; the learning-rate schedule."""

import dataclasses
import math

import pytest

from triqs_nnsolver.train import TrainConfig, learning_rate_at


def test_round_trips():
    config = TrainConfig(lambda_derivative=0.3, betas=[0.8, 0.95], early_stopping_patience=None, device="cpu")
    assert config.betas == (0.8, 0.95)  # lists from JSON become the declared tuple
    assert TrainConfig.from_dict(config.to_dict()) == config
    assert TrainConfig.from_json(config.to_json()) == config
    assert TrainConfig.from_dict({}) == TrainConfig()


def test_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        TrainConfig().learning_rate = 1.0


def test_unknown_keys_are_named():
    with pytest.raises(TypeError, match=r"unknown TrainConfig keys: \['batchsize', 'lr'\]"):
        TrainConfig.from_dict({"lr": 1e-3, "batchsize": 4, "seed": 1})


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("lambda_derivative", -1.0, "lambda_derivative must be a finite number >= 0"),
        ("learning_rate", 0.0, "learning_rate must be a finite number > 0"),
        ("min_lr", 1.0, "min_lr must not exceed learning_rate"),
        ("batch_size", 0, "batch_size must be an integer >= 1"),
        ("max_epochs", 2.5, "max_epochs must be an integer >= 1"),
        ("warmup_steps", -1, "warmup_steps must be an integer >= 0"),
        ("seed", True, "seed must be an integer >= 0"),
        ("early_stopping_patience", 0, "early_stopping_patience must be None or an integer >= 1"),
        ("betas", (0.9, 1.0), "betas must be two numbers in"),
        ("betas", "ab", "betas must be two numbers in"),
        ("grad_clip", math.nan, "grad_clip must be a finite number >= 0"),
        ("device", "gpu", "device must be one of"),
    ],
)
def test_bad_values_are_named(field, value, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**{field: value})


def test_learning_rate_schedule():
    config = TrainConfig(learning_rate=1e-3, min_lr=1e-5, warmup_steps=9)
    total = 109
    rates = [learning_rate_at(step, config, total) for step in range(total + 5)]
    assert rates[0] == pytest.approx(1e-4, rel=1e-12)  # (0 + 1) / (9 + 1) of the peak
    assert rates[9] == pytest.approx(1e-3, rel=1e-12)  # peak right after the warm-up
    assert rates[59] == pytest.approx(0.5 * (1e-3 + 1e-5), rel=1e-12)  # half way down the cosine
    assert rates[total] == pytest.approx(1e-5, rel=1e-12) and rates[-1] == rates[total]  # floor, then flat
    assert all(a < b for a, b in zip(rates[:9], rates[1:10], strict=True))
    assert all(a >= b for a, b in zip(rates[9:], rates[10:], strict=False))
    assert learning_rate_at(0, TrainConfig(warmup_steps=0), 10) == TrainConfig().learning_rate
