"""Training of the network (``METHOD.md`` section 3): configuration, loss, loop, checkpoints, evaluation.

``TrainConfig`` holds the hyper-parameters; ``spectral_loss`` is the spectral plus alpha-derivative loss;
``train`` fits an ``ImpuritySpectralNet`` with AdamW, a warm-up + cosine schedule, clipping, early stopping,
exact resume and torchrun data parallelism; ``load_model`` rebuilds a network from a checkpoint file alone;
``evaluate`` and ``write_report`` score it on held-out data; ``export_checkpoint`` and ``write_model_file``
write the model file that the runtime loads. The torch ``Dataset`` over the data files, :mod:`.dataset`
(``SpectralDataset``, ``load_splits``), is not imported here: it needs the data package (h5py), which ``import
triqs_nnsolver.train`` does not load.

Layer: ``train`` (above ``model`` and ``data``; below ``runtime``, which loads and runs a model file
without importing this package).
"""

from .checkpoint import load_checkpoint, load_model
from .config import TrainConfig
from .evaluate import evaluate, write_report
from .export import TRAINING_DATA_FILE, export_checkpoint, write_model_file
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
    "TRAINING_DATA_FILE",
    "write_model_file",
    "export_checkpoint",
]
