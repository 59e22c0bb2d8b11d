"""The ``train``, ``evaluate`` and ``export`` subcommands of ``triqs-nnsolver``.

``triqs-nnsolver train --data FILE... --out DIR [--config FILE] [--resume] [--no-progress]`` builds the
configs from defaults overridden by the JSON file ``{"model": {...}, "train": {...}}``, reads the
dataset files through ``triqs_nnsolver.train.dataset.load_splits`` (train, validation, test) and calls
:func:`triqs_nnsolver.train.train`. ``triqs-nnsolver evaluate --model PATH --data FILE... [--out DIR]
[--split NAME]`` rebuilds the network from a checkpoint and writes the report of
:func:`triqs_nnsolver.train.evaluate` (JSON and PNG). ``triqs-nnsolver export CHECKPOINT... --out model.pt``
writes the TorchScript model file with its metadata (several checkpoints: an ensemble in one file, whose members'
spread is each solve's uncertainty) (``train`` leaves the training-data record it needs,
``training_data.json``, in its output folder). Parsing and calling only; no training logic here.

The data files' ``Dataset`` (``train.dataset``, which imports the data package) is imported inside the command
functions, so this module imports without the data package (and without h5py). The model grid of the config
must be the grid of the data files (``train`` checks it).
Layer: ``cli``. Its arguments are added by :func:`add_arguments` when ``cli.main`` runs one of its commands.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from ..model import ModelConfig
from ..runtime import read_model_metadata
from ..train import TRAINING_DATA_FILE, TrainConfig, evaluate, export_checkpoint, load_model, train, write_report

__all__ = ["add_arguments", "read_config_file", "run_train", "run_evaluate", "run_export"]

_SPLITS = ("train", "validation", "test")  # the order in which load_splits returns them


def read_config_file(path) -> tuple[ModelConfig, TrainConfig]:
    """Configs from a JSON file ``{"model": {...}, "train": {...}}``; each part overrides the defaults.

    Parameters
    ----------
    path : str or os.PathLike or None
        The file; None gives the default configs.

    Raises
    ------
    TypeError
        If the file has top-level keys other than "model" and "train", or a part has unknown fields
        (the message names them).
    ValueError
        If the file is not a JSON object or a value is out of range.
    """
    if path is None:
        return ModelConfig(), TrainConfig()
    values = json.loads(Path(path).read_text())
    if not isinstance(values, dict):
        raise ValueError(f'config file {str(path)!r} must hold a JSON object {{"model": ..., "train": ...}}')
    unknown = sorted(set(values) - {"model", "train"})
    if unknown:
        raise TypeError(f"config file {str(path)!r} has unknown top-level keys {unknown}; allowed: 'model', 'train'")
    return ModelConfig.from_dict(values.get("model", {})), TrainConfig.from_dict(values.get("train", {}))


def _log_to_stderr() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")


def run_train(arguments: argparse.Namespace) -> int:
    """The ``train`` command: load the splits, train, report where the checkpoints are. Returns 0."""
    from ..train.dataset import describe_training_data, load_splits

    _log_to_stderr()
    model_config, train_config = read_config_file(arguments.config)
    train_set, val_set, _test_set = load_splits(
        arguments.data, use_re_delta=model_config.use_re_delta, mirror=train_config.mirror
    )
    out_dir = Path(arguments.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    record = json.dumps(describe_training_data(arguments.data, train_set), indent=1)
    (out_dir / TRAINING_DATA_FILE).write_text(record)  # read by `triqs-nnsolver export`
    result = train(
        model_config,
        train_config,
        train_set,
        val_set,
        arguments.out,
        resume=arguments.resume,
        progress=not arguments.no_progress,
    )
    logging.getLogger(__name__).info(
        "%s after %d epochs; best validation loss %.4e at epoch %d; checkpoints in %s",
        result.stop_reason,
        result.epochs,
        result.best_val_loss,
        result.best_epoch,
        result.out_dir,
    )
    return 0


def run_evaluate(arguments: argparse.Namespace) -> int:
    """The ``evaluate`` command: rebuild the model, score it on one split, write the report. Returns 0."""
    from ..train.dataset import load_splits

    _log_to_stderr()
    model = load_model(arguments.model)
    splits = load_splits(arguments.data, use_re_delta=model.config.use_re_delta)
    dataset = dict(zip(_SPLITS, splits, strict=True))[arguments.split]
    out_dir = Path(arguments.out) if arguments.out is not None else Path(arguments.model).parent
    paths = write_report(evaluate(model, dataset), out_dir)
    logging.getLogger(__name__).info("evaluation report written to %s and %s", paths["json"], paths["png"])
    return 0


def run_export(arguments: argparse.Namespace) -> int:
    """The ``export`` command: write the TorchScript model file of a checkpoint, with its metadata. Returns 0."""
    checkpoints = arguments.checkpoint[0] if len(arguments.checkpoint) == 1 else arguments.checkpoint
    path = export_checkpoint(checkpoints, arguments.out, arguments.training_data)
    metadata = read_model_metadata(path)
    domain = metadata.training_domain
    print(
        f"wrote {path}: grid of {metadata.model_config.grid_n_w} points, trained on U in {domain.U}, "
        f"eps_d in {domain.eps_d}, alpha in {domain.alpha}; data {metadata.training_data_hash[:19]}... "
        f"at resolution sigma_w = {metadata.data_resolution}"
        + (f"; an ensemble of {metadata.ensemble_size} networks" if metadata.ensemble_size > 1 else "")
    )
    return 0


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``command`` (``train``, ``evaluate`` or ``export``) to its parser (``cli.main``).

    Each command sets ``run`` (the function to call with the parsed namespace; it returns the exit status).
    """
    if command == "train":
        parser.description = run_train.__doc__
        parser.add_argument("--data", nargs="+", required=True, metavar="FILE", help="dataset files (HDF5)")
        parser.add_argument("--out", required=True, metavar="DIR", help="folder for last.pt, best.pt, history.json")
        parser.add_argument(
            "--config", metavar="FILE", help='JSON {"model": {...}, "train": {...}} overriding the default configs'
        )
        parser.add_argument("--resume", action="store_true", help="continue from DIR/last.pt")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (batch jobs)")
        parser.set_defaults(run=run_train)
    elif command == "evaluate":
        parser.description = run_evaluate.__doc__
        parser.add_argument("--model", required=True, metavar="PATH", help="checkpoint (best.pt or last.pt)")
        parser.add_argument("--data", nargs="+", required=True, metavar="FILE", help="dataset files (HDF5)")
        parser.add_argument(
            "--out", metavar="DIR", help="folder for evaluation.json and .png (default: the model's folder)"
        )
        parser.add_argument("--split", choices=_SPLITS, default="test", help="which split to score")
        parser.set_defaults(run=run_evaluate)
    else:
        parser.description = run_export.__doc__
        parser.add_argument(
            "checkpoint", nargs="+", metavar="CHECKPOINT", help="training checkpoint (best.pt); several: an ensemble"
        )
        parser.add_argument("--out", required=True, metavar="FILE", help="model file to write (model.pt)")
        parser.add_argument(
            "--training-data",
            metavar="FILE",
            help=f"training-data record (default: {TRAINING_DATA_FILE} next to the checkpoint)",
        )
        parser.set_defaults(run=run_export)
