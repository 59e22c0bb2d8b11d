"""Training of the network (``METHOD.md`` section 3): configuration, loss, loop, checkpoints, evaluation.

``TrainConfig`` holds the hyper-parameters; ``spectral_loss`` is the spectral plus alpha-derivative
loss; ``train`` fits an ``ImpuritySpectralNet`` with AdamW, a warm-up + cosine schedule, clipping,
early stopping, exact resume and torchrun data parallelism; ``load_model`` rebuilds a network from a
checkpoint file alone; ``evaluate`` and ``write_report`` score it on held-out data.

Layer: ``train`` (above ``model`` and ``data``; below ``runtime``).
"""

from .checkpoint import load_checkpoint, load_model
from .config import TrainConfig
from .evaluate import evaluate, write_report
from .loop import TrainResult, learning_rate_at, train, validation_loss
from .loss import SpectralWithAlphaDerivative, loss_from_predictions, predict_with_alpha_derivative, spectral_loss

__all__ = [
    "TrainConfig",
    "spectral_loss",
    "loss_from_predictions",
    "predict_with_alpha_derivative",
    "SpectralWithAlphaDerivative",
    "train",
    "TrainResult",
    "learning_rate_at",
    "validation_loss",
    "load_checkpoint",
    "load_model",
    "evaluate",
    "write_report",
]
