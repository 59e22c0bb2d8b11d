"""Export a training checkpoint as a model file for the runtime: ``triqs-nnsolver export``.

:func:`write_model_file` scripts a network and writes it, with its
:class:`~triqs_nnsolver.model.metadata.ModelMetadata`, as one TorchScript archive (``model.pt``, metadata
in ``<archive>/extra/metadata.json``). :func:`export_checkpoint` does so for a checkpoint (``best.pt`` of
:func:`triqs_nnsolver.train.train`), which gives the network and its configuration; ``training_data.json``,
written next to it by ``triqs-nnsolver train``, gives the training domain, the data hash, the data schema
version and the data resolution sigma_w (absent from records written before it existed: the model then
records None, "not recorded").

What is not here: reading, checking and running a model file (:func:`triqs_nnsolver.runtime.load_model`),
which needs none of the training stack.
Layer: ``train`` (it reads the ``train`` layer's checkpoints); the runtime reads what it writes.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import torch

from ..model.ensemble import SpectralEnsemble
from ..model.metadata import METADATA_FILE, ModelMetadata, TrainingDomain
from .checkpoint import load_model as load_checkpoint_model

__all__ = ["TRAINING_DATA_FILE", "write_model_file", "export_checkpoint"]

TRAINING_DATA_FILE = "training_data.json"  # written by `triqs-nnsolver train` next to its checkpoints


def write_model_file(model: torch.nn.Module, metadata: ModelMetadata, path) -> Path:
    """Script ``model`` and write it with its metadata to ``path`` atomically (temp file, then rename).

    Parameters
    ----------
    model : torch.nn.Module
        The network (an :class:`~triqs_nnsolver.model.ImpuritySpectralNet`), scripted in eval mode.
    metadata : ModelMetadata
        What the file says about itself; its ``model_config`` must be that of ``model``.
    path : str or os.PathLike
        The model file to write; missing parent folders are created.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    scripted = torch.jit.script(model.eval())
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; a model file is as readable as any new file
    try:
        torch.jit.save(scripted, temporary, _extra_files={METADATA_FILE: metadata.to_json()})
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path


def export_checkpoint(checkpoint_path, out_path, training_data_path=None) -> Path:
    """Write the TorchScript model file of a checkpoint (or of an ensemble of them), with its metadata.

    Parameters
    ----------
    checkpoint_path : str or os.PathLike, or a sequence of them
        A training checkpoint (``best.pt`` or ``last.pt``); several give an ensemble
        (:class:`~triqs_nnsolver.model.ensemble.SpectralEnsemble`, one configuration, trained on one data set:
        the training-data records must agree on the data hash).
    out_path : str or os.PathLike
        The model file to write (atomically).
    training_data_path : str or os.PathLike, optional
        The ``training_data.json`` record; default: the one next to the checkpoint.

    Returns
    -------
    pathlib.Path
        ``out_path``.

    Raises
    ------
    FileNotFoundError
        If the checkpoint or the training-data record is missing (the message names it).
    ValueError
        If the checkpoint is not a triqs_nnsolver checkpoint, the record lacks a field, or the members of an
        ensemble differ in configuration or training data.
    """
    paths = [checkpoint_path] if isinstance(checkpoint_path, (str, os.PathLike)) else list(checkpoint_path)
    records = []
    for path in map(Path, paths):
        record_path = Path(training_data_path) if training_data_path else path.parent / TRAINING_DATA_FILE
        if not record_path.is_file():
            raise FileNotFoundError(
                f"training-data record not found: '{record_path}' (written by `triqs-nnsolver train`; "
                "pass training_data_path to use another)"
            )
        records.append(json.loads(record_path.read_text()))
    if len({str(record.get("hash")) for record in records}) > 1:
        raise ValueError(
            "the ensemble's checkpoints were trained on different data (their training-data hashes differ)"
        )
    record = records[0]
    models = [load_checkpoint_model(path) for path in paths]
    model = models[0] if len(models) == 1 else SpectralEnsemble(models)
    try:
        metadata = ModelMetadata(
            model_config=model.config,
            training_domain=TrainingDomain(**record["training_domain"]),
            training_data_hash=str(record["hash"]),
            data_schema_version=int(record["schema_version"]),
            data_resolution=record.get("resolution"),
            ensemble_size=len(models),
        )
    except (KeyError, TypeError) as err:
        raise ValueError(f"'{record_path}' is not a complete training-data record ({err!r})") from err
    return write_model_file(model, metadata, out_path)
