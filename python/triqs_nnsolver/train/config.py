"""Training hyper-parameters: one frozen dataclass, saved inside every checkpoint next to the model's.

What is here: :class:`TrainConfig` (optimizer, schedule, loss weight, stopping, seeding, device,
checkpoint and log cadence), its validation, and the dict / JSON round trip in which unknown keys
fail. What is not: the network's sizes and grid (:class:`triqs_nnsolver.model.ModelConfig`), the data
(``triqs_nnsolver.data``).

Layer: ``train`` (above ``model`` and ``data``); no torch needed to build a configuration.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass

__all__ = ["TrainConfig"]

_DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class TrainConfig:
    """How to train the network of ``METHOD.md`` section 3.

    The loss is ``lambda_tilted * mean_w |A~_pred - A~_data|^2 + lambda_derivative * mean_w |dA~_pred/dalpha -
    dA~_data/dalpha|^2 + lambda_real * mean_w |A_pred(alpha = 0) - A_real|^2``
    (:func:`triqs_nnsolver.train.loss_from_predictions`); with ``lambda_tilted = lambda_derivative = 0`` only
    the real axis is supervised and the tilted forward and its double backward are skipped. The learning rate
    rises linearly from
    ``learning_rate / (warmup_steps + 1)`` to ``learning_rate`` over the first ``warmup_steps`` optimizer
    steps, then follows a half cosine down to ``min_lr`` at the last step of ``max_epochs``
    (:func:`triqs_nnsolver.train.learning_rate_at`). A "step" is one optimizer update on one batch.
    """

    lambda_tilted: float = 1.0  # weight of the tilted-spectrum term (0 with lambda_derivative = 0: real axis only)
    lambda_derivative: float = 1.0  # weight of the alpha-derivative term (rad^2, since dA~/dalpha is A~ per radian)
    lambda_real: float = 0.0  # weight of the real-axis term: the network at alpha = 0 against A_real (0: none)
    learning_rate: float = 1e-3  # peak AdamW learning rate, reached after the warm-up
    min_lr: float = 1e-5  # learning rate at the end of the cosine decay (<= learning_rate)
    warmup_steps: int = 100  # optimizer steps of linear warm-up (0: start at the peak)
    weight_decay: float = 1e-2  # AdamW decoupled weight decay, applied to weight matrices only (not biases, norms)
    betas: tuple[float, float] = (0.9, 0.99)  # AdamW (beta1, beta2), each in [0, 1)
    batch_size: int = 64  # items (sample, alpha) per optimizer step and per process
    max_epochs: int = 200  # passes over the training set; also sets the length of the cosine decay
    grad_clip: float = 1.0  # largest global L2 norm of the gradient (0: no clipping)
    early_stopping_patience: int | None = 20  # epochs without a new best validation loss before stopping (None: never)
    seed: int = 0  # seeds torch, numpy, random, the initial weights and every epoch's shuffling
    device: str = "auto"  # 'auto' (cuda if available, else cpu), 'cpu' or 'cuda'
    num_workers: int = 0  # DataLoader worker processes (0: load in the training process)
    checkpoint_every: int = 1  # epochs between writes of last.pt (the final epoch is always written)
    log_every: int = 10  # optimizer steps between live-loss updates of the progress bar and DEBUG log lines
    mirror: bool = False  # add the particle-hole mirrors of the training samples (data.mirror; train split only)

    def __post_init__(self):
        for name in ("lambda_tilted", "lambda_derivative", "lambda_real", "weight_decay", "grad_clip"):
            _require(name, getattr(self, name), lambda v: math.isfinite(v) and v >= 0, "a finite number >= 0")
        for name in ("learning_rate", "min_lr"):
            _require(name, getattr(self, name), lambda v: math.isfinite(v) and v > 0, "a finite number > 0")
        if self.lambda_tilted == 0 and self.lambda_derivative == 0 and self.lambda_real == 0:
            raise ValueError(
                "at least one of lambda_tilted, lambda_derivative, lambda_real must be positive; got all three 0"
            )
        if self.min_lr > self.learning_rate:
            raise ValueError(
                f"min_lr must not exceed learning_rate; got min_lr = {self.min_lr}, "
                f"learning_rate = {self.learning_rate}"
            )
        for name in ("batch_size", "max_epochs", "checkpoint_every", "log_every"):
            _require(name, getattr(self, name), lambda v: _is_int(v) and v >= 1, "an integer >= 1")
        for name in ("warmup_steps", "num_workers", "seed"):
            _require(name, getattr(self, name), lambda v: _is_int(v) and v >= 0, "an integer >= 0")
        patience = self.early_stopping_patience
        if patience is not None:
            _require("early_stopping_patience", patience, lambda v: _is_int(v) and v >= 1, "None or an integer >= 1")
        try:
            betas = tuple(float(b) for b in self.betas)
        except (TypeError, ValueError) as err:
            raise ValueError(f"betas must be two numbers in [0, 1); got betas = {self.betas!r}") from err
        if len(betas) != 2 or not all(0 <= b < 1 for b in betas):
            raise ValueError(f"betas must be two numbers in [0, 1); got betas = {self.betas!r}")
        object.__setattr__(self, "betas", betas)
        if not isinstance(self.mirror, bool):
            raise ValueError(f"mirror must be True or False; got mirror = {self.mirror!r}")
        if self.device not in _DEVICES:
            raise ValueError(f"device must be one of {_DEVICES}; got device = {self.device!r}")

    @property
    def supervises_tilt(self) -> bool:
        """Whether the loss has a tilted term (then the network runs at the items' alphas, with its derivative)."""
        return self.lambda_tilted > 0 or self.lambda_derivative > 0

    def to_dict(self) -> dict:
        """Plain dict of the fields (JSON-compatible; ``betas`` as a tuple)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> TrainConfig:
        """Build from a dict of (some of) the fields; missing ones take their defaults.

        Raises
        ------
        TypeError
            If ``values`` has keys that are not fields (typos must not pass silently); the message names them.
        ValueError
            If a value is out of range (see the field comments).
        """
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise TypeError(f"unknown TrainConfig keys: {unknown}; known keys are {sorted(known)}")
        values = dict(values)
        if "betas" in values:
            values["betas"] = tuple(values["betas"])
        return cls(**values)

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict` (sorted keys)."""
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        """Inverse of :meth:`to_json`; same errors as :meth:`from_dict`."""
        return cls.from_dict(json.loads(text))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require(name: str, value, condition, expectation: str) -> None:
    """Raise ValueError naming the field unless ``condition(value)`` holds."""
    try:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and condition(value)
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(f"{name} must be {expectation}; got {name} = {value!r}")
