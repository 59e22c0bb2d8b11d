"""Training checkpoints: atomic writes, random-number states, and rebuilding a model from the file alone.

A checkpoint is a ``torch.save`` dict of plain types and tensors, readable with ``weights_only=True``
(no pickled code). Every checkpoint holds ``"format"`` (:data:`CHECKPOINT_FORMAT`), ``"version"``
(:data:`CHECKPOINT_VERSION`), the package version, ``"model_config"`` and ``"train_config"`` (their
``to_dict()``), and ``"model"`` (the state dict of the unwrapped network, on CPU). The training loop
writes two files into its output folder:

- ``last.pt``: everything needed to resume exactly: also ``"optimizer"``, ``"step"`` (optimizer steps
  done, which fixes the learning rate), ``"epoch"`` (epochs done), ``"rng"`` (torch, CUDA, numpy and
  Python states), ``"best_model"``, ``"best_val_loss"``, ``"best_epoch"``, ``"epochs_without_improvement"``,
  ``"history"`` (one dict of losses per epoch) and ``"stop_reason"`` (None while training may go on);
- ``best.pt``: the weights with the lowest validation loss so far, with ``"epoch"`` and ``"val_loss"``;
  rewritten with ``last.pt`` whenever the best has changed (``last.pt`` holds the same weights as
  ``"best_model"``, so a resumed run never depends on ``best.pt``).

Writes go to a temporary file in the same folder that then replaces the target (``os.replace``), so a
run killed mid-write leaves the previous checkpoint intact. Not here: the loop that decides when to
write (:mod:`.loop`), TorchScript export (``runtime``).

Layer: ``train``.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from pathlib import Path

import numpy as np
import torch

from ..model import ImpuritySpectralNet, ModelConfig
from ..version import __version__

__all__ = [
    "CHECKPOINT_FORMAT",
    "CHECKPOINT_VERSION",
    "save_checkpoint",
    "load_checkpoint",
    "load_model",
    "write_json_atomic",
    "capture_rng_state",
    "restore_rng_state",
]

CHECKPOINT_FORMAT = "triqs_nnsolver.train.checkpoint"
CHECKPOINT_VERSION = 1


def _replace_atomically(path: Path, write) -> None:
    """Call ``write(file)`` on a temporary file next to ``path``, then move it onto ``path``."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_checkpoint(checkpoint: dict, path) -> None:
    """Write ``checkpoint`` atomically to ``path``, adding the format, version and package version.

    Parameters
    ----------
    checkpoint : dict
        Must hold ``"model_config"``, ``"train_config"`` (dicts) and ``"model"`` (a state dict).
    path : str or os.PathLike
        Target file; its folder must exist.

    Raises
    ------
    ValueError
        If one of the required keys is missing.
    """
    missing = [key for key in ("model_config", "train_config", "model") if key not in checkpoint]
    if missing:
        raise ValueError(f"checkpoint must hold the keys 'model_config', 'train_config' and 'model'; missing {missing}")
    record = {"format": CHECKPOINT_FORMAT, "version": CHECKPOINT_VERSION, "package_version": __version__, **checkpoint}
    _replace_atomically(Path(path), lambda file: torch.save(record, file))


def write_json_atomic(data, path) -> None:
    """Write ``data`` as indented JSON to ``path`` atomically (same scheme as :func:`save_checkpoint`)."""
    text = json.dumps(data, indent=2, sort_keys=True)
    _replace_atomically(Path(path), lambda file: file.write(text.encode()))


def load_checkpoint(path, map_location="cpu") -> dict:
    """Read a checkpoint written by :func:`save_checkpoint` (``weights_only=True``).

    Parameters
    ----------
    path : str or os.PathLike
        ``last.pt``, ``best.pt`` or any file of the same format.
    map_location : str or torch.device, optional
        Where tensors are loaded (default CPU).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a checkpoint of this format or has an unknown version.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at path = {str(path)!r}")
    checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{str(path)!r} is not a triqs_nnsolver training checkpoint (format {CHECKPOINT_FORMAT!r})")
    if checkpoint.get("version") != CHECKPOINT_VERSION:
        raise ValueError(
            f"{str(path)!r} has checkpoint version {checkpoint.get('version')!r}; "
            f"this triqs_nnsolver {__version__} reads version {CHECKPOINT_VERSION} only"
        )
    return checkpoint


def load_model(path, map_location="cpu") -> ImpuritySpectralNet:
    """Rebuild the network from a checkpoint file alone: its ``model_config`` and ``model`` weights.

    Parameters
    ----------
    path : str or os.PathLike
        A checkpoint (``best.pt`` for the best weights, ``last.pt`` for the latest).
    map_location : str or torch.device, optional
        Device of the returned model (default CPU).

    Returns
    -------
    ImpuritySpectralNet
        In eval mode; ``model.config`` is the stored :class:`~triqs_nnsolver.model.ModelConfig`.

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`load_checkpoint`.
    """
    checkpoint = load_checkpoint(path, map_location=map_location)
    model = ImpuritySpectralNet(ModelConfig.from_dict(checkpoint["model_config"]))
    model.load_state_dict(checkpoint["model"])
    return model.to(map_location).eval()


def capture_rng_state() -> dict:
    """States of the torch (CPU and CUDA), numpy and Python generators, as weights-only-loadable types."""
    kind, keys, position, has_gauss, cached_gaussian = np.random.get_state()
    state = {
        "torch": torch.get_rng_state(),
        "numpy": {
            "kind": kind,
            "keys": torch.from_numpy(keys.astype(np.int64)),
            "position": int(position),
            "has_gauss": int(has_gauss),
            "cached_gaussian": float(cached_gaussian),
        },
        "python": random.getstate(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng_state(state: dict) -> None:
    """Inverse of :func:`capture_rng_state` (CUDA states only where CUDA is available)."""
    torch.set_rng_state(state["torch"].cpu())
    numpy_state = state["numpy"]
    np.random.set_state(
        (
            numpy_state["kind"],
            numpy_state["keys"].numpy().astype(np.uint32),
            numpy_state["position"],
            numpy_state["has_gauss"],
            numpy_state["cached_gaussian"],
        )
    )
    version, internal, gauss_next = state["python"]
    random.setstate((version, tuple(internal), gauss_next))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in state["cuda"]])
