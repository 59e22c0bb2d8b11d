"""Inference runtime: load an exported TorchScript model and run it, in C++ (libtorch) or Python.

A model file is code (a TorchScript archive runs what it carries when it is loaded): load model files
from trusted sources only. :func:`load_model` checks a file's metadata before it loads it, and a shipped
model's SHA-256 checksum.

Loading and running a model imports neither ``triqs_nnsolver.train`` (its loop, ``torch.distributed``,
tqdm) nor ``triqs_nnsolver.data``: model files are written by the ``train`` layer
(:func:`triqs_nnsolver.train.export_checkpoint`), their metadata are defined in ``model.metadata`` and
the model's unit and inputs in ``model_contract``.

Layer: ``runtime``; see :mod:`triqs_nnsolver.runtime.runners`.
"""

from .default_model import DEFAULT_MODEL, default_model_path, shipped_models_dir, verify_shipped_model
from .errors import InferenceError, ModelChecksumError, ModelLoadError, ModelNotFoundError
from .model_file import (
    ENERGY_UNIT,
    METADATA_VERSION,
    MODEL_FORMAT,
    LoadedModel,
    ModelMetadata,
    ModelPrediction,
    TrainingDomain,
    input_specs,
    load_model,
    read_model_metadata,
)
from .runners import CppRunner, InputSpec, PythonRunner, cpp_runtime_available, load_runner

__all__ = [
    "CppRunner",
    "InferenceError",
    "ModelLoadError",
    "ModelNotFoundError",
    "ModelChecksumError",
    "InputSpec",
    "PythonRunner",
    "cpp_runtime_available",
    "load_runner",
    "MODEL_FORMAT",
    "METADATA_VERSION",
    "ENERGY_UNIT",
    "TrainingDomain",
    "ModelMetadata",
    "LoadedModel",
    "ModelPrediction",
    "input_specs",
    "read_model_metadata",
    "load_model",
    "DEFAULT_MODEL",
    "shipped_models_dir",
    "default_model_path",
    "verify_shipped_model",
]
