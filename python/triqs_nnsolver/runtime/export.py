"""Export a training checkpoint as a model file for the runtime: ``triqs-nnsolver export``.

The checkpoint (``best.pt`` of :func:`triqs_nnsolver.train.train`) gives the network and its
configuration; ``training_data.json``, written next to it by ``triqs-nnsolver train``, gives the
training domain, the data hash, the data schema version and the data resolution sigma_w (absent from
records written before it existed: the model then records None, "not recorded"). Both go into the exported file's
metadata (:mod:`.model_file`).

Layer: ``runtime`` (it reads the ``train`` layer's checkpoints).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..train import load_model as load_checkpoint_model
from .model_file import ModelMetadata, TrainingDomain, write_model_file

__all__ = ["TRAINING_DATA_FILE", "export_checkpoint"]

TRAINING_DATA_FILE = "training_data.json"


def export_checkpoint(checkpoint_path, out_path, training_data_path=None) -> Path:
    """Write the TorchScript model file of a checkpoint, with its metadata.

    Parameters
    ----------
    checkpoint_path : str or os.PathLike
        A training checkpoint (``best.pt`` or ``last.pt``).
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
        If the checkpoint is not a triqs_nnsolver checkpoint, or the record lacks a field.
    """
    checkpoint_path = Path(checkpoint_path)
    record_path = Path(training_data_path) if training_data_path else checkpoint_path.parent / TRAINING_DATA_FILE
    if not record_path.is_file():
        raise FileNotFoundError(
            f"training-data record not found: '{record_path}' (written by `triqs-nnsolver train`; "
            "pass training_data_path to use another)"
        )
    record = json.loads(record_path.read_text())
    model = load_checkpoint_model(checkpoint_path)
    try:
        metadata = ModelMetadata(
            model_config=model.config,
            training_domain=TrainingDomain(**record["training_domain"]),
            training_data_hash=str(record["hash"]),
            data_schema_version=int(record["schema_version"]),
            data_resolution=record.get("resolution"),
        )
    except (KeyError, TypeError) as err:
        raise ValueError(f"'{record_path}' is not a complete training-data record ({err!r})") from err
    return write_model_file(model, metadata, out_path)
