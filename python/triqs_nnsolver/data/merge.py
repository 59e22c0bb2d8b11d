"""Merge data files (shards of one run, or several runs) into one, and hash the content of a data set.

:func:`merge_shards` checks that every input has the same grid and alphas (and, through the reader, a
supported schema), that no sample id occurs twice, and writes the samples sorted by id into a temporary
file next to the output, which then replaces the output in one ``os.replace``: a reader sees the old file
or the complete new one, never a partial merge. :func:`dataset_hash` is the identity of the training data
that an exported model records (sha256; definition in its docstring).

What is not here: writing single samples (:mod:`.store`). Inputs are read whole into memory.
Layer: ``data``; numpy and h5py only.
"""

from __future__ import annotations

import hashlib
import json
import os

import numpy as np

from .retarget import with_grid_functions
from .schema import DatasetError, fields_of_version, file_fields
from .store import read_datasets, write_dataset

__all__ = ["HASHED_FIELDS", "merge_shards", "dataset_hash", "content_hash", "common_layout", "concatenate_samples"]

HASHED_FIELDS = tuple(name for name in fields_of_version(1) if name != "wall_time")
"""Sample fields that enter :func:`dataset_hash`: those of schema 1 but the wall time, which differs between
reruns. The run diagnostics of schema 2 do not enter, so a file upgraded from schema 1 keeps its hash."""


def _width(data: list[dict], name: str) -> int:
    """The most used columns of ``name`` in any sample (trailing all-NaN padding does not count); at least 1."""
    widths = [int((~np.isnan(entry[name])).sum(axis=1).max(initial=0)) for entry in data]
    return max(1, *widths)


def common_layout(data: list[dict]) -> dict:
    """The raw layout shared by files read whole (:func:`~.store.read_datasets`): ``raw``, ``grid_functions``,
    ``n_poles`` (the most poles of any sample) and ``times``, as ``DatasetWriter`` keywords.

    Raises
    ------
    DatasetError
        If the files differ in raw kind, in the times of their series, or in whether they store the grid functions.
    """
    kinds = {entry["raw"] for entry in data}
    stored = {entry["grid_functions"] for entry in data}
    if len(kinds) > 1 or len(stored) > 1:
        listing = ", ".join(
            f"{entry['path']}: raw {entry['raw']!r}, grid functions {entry['grid_functions']}" for entry in data
        )
        raise DatasetError(
            f"files of different raw layouts cannot be merged into one ({listing}); keep them as separate files "
            "of one data set (training and retarget take several files)"
        )
    raw = kinds.pop()
    times = data[0]["times"]
    if raw == "series" and any(not np.array_equal(entry["times"], times) for entry in data):
        raise DatasetError("files whose series lie on different times cannot be merged into one")
    return {
        "raw": raw,
        "grid_functions": stored.pop(),
        "n_poles": _width(data, "pole_energy") if raw == "poles" else 0,
        "times": times if raw == "series" else None,
    }


def concatenate_samples(data: list[dict], layout: dict, names=None) -> dict:
    """All samples of all files (read whole), sorted by id, in the fields ``names`` (default: those of
    ``layout``); bath arrays cut or padded to the largest bath, pole arrays to ``layout['n_poles']`` columns."""
    widths = {name: _width(data, "bath_eps") for name in ("bath_eps", "bath_V", "bath_eta")}
    widths.update(pole_energy=layout["n_poles"], pole_weight=layout["n_poles"])
    arrays = {}
    names = file_fields(3, layout["raw"], layout["grid_functions"]) if names is None else names
    for name in names:
        parts = []
        for entry in data:
            value = entry[name]
            if name in widths:
                value = value[:, : widths[name]]
                value = np.pad(value, ((0, 0), (0, widths[name] - value.shape[1])), constant_values=np.nan)
            parts.append(value)
        arrays[name] = np.concatenate(parts)
    order = np.argsort(arrays["sample_id"], kind="stable")
    return {name: value[order] for name, value in arrays.items()}


def merge_shards(shard_paths, out_path) -> int:
    """Merge data files into one, sorted by sample id, written atomically.

    Parameters
    ----------
    shard_paths : sequence of str or os.PathLike
        The inputs (e.g. the per-rank shards of an MPI run). The output may be one of them.
    out_path : str or os.PathLike
        The merged file; an existing file there is replaced.

    Returns
    -------
    int
        Number of samples in the merged file.

    Raises
    ------
    ValueError, DatasetError
        As :func:`~.store.read_datasets`: no inputs, an invalid input, different grids or alphas, or a
        sample id that occurs twice; and for inputs of different raw layouts (:func:`common_layout`).

    Notes
    -----
    Provenance: if all inputs share generator, settings and seed (shards of one run), the output keeps
    them; otherwise its generator is ``'merged'``, its seed -1, and its settings list every input's
    provenance and sample count under ``"sources"``. ``n_bath_max`` of the output is the largest bath of
    any sample, ``n_poles`` the most poles of any sample. The package version is that of the merging code.
    """
    data = read_datasets(shard_paths)
    origins = [
        (d["provenance"]["generator"], json.dumps(d["provenance"]["settings"], sort_keys=True), d["provenance"]["seed"])
        for d in data
    ]
    if len(set(origins)) == 1:
        provenance = dict(data[0]["provenance"])
    else:
        sources = [{**d["provenance"], "path": os.path.basename(d["path"]), "n_samples": d["n_samples"]} for d in data]
        provenance = {"generator": "merged", "settings": {"sources": sources}, "seed": -1}
    layout = common_layout(data)
    width = _width(data, "bath_eps")
    arrays = concatenate_samples(data, layout)
    return write_dataset(out_path, arrays, data[0]["grid"], data[0]["alphas"], width, provenance, **layout)


def _update(digest, name: str, array: np.ndarray) -> None:
    """Feed name, dtype, shape and little-endian bytes of an array (NaNs made canonical) to the hash."""
    array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
    if array.dtype.kind == "f":
        array = np.where(np.isnan(array), np.nan, array).astype(array.dtype)
    digest.update(f"{name}|{array.dtype.str}|{array.shape}|".encode())
    digest.update(array.tobytes())


def dataset_hash(paths) -> str:
    """sha256 of the content of a data set spread over one or more files.

    Parameters
    ----------
    paths : str or os.PathLike, or a sequence of them
        The files (same grid and alphas, globally unique sample ids).

    Returns
    -------
    str
        64 hexadecimal digits.

    Raises
    ------
    DatasetError, ValueError
        As :func:`~.store.read_datasets`.

    Notes
    -----
    Definition (version 1): the sha256 of ``b"triqs_nnsolver.dataset_hash/1\\n"`` followed by, for
    ``grid``, ``alphas`` and then every field of :data:`HASHED_FIELDS` in that order, the text
    ``"{name}|{dtype}|{shape}|"`` and the array's little-endian C-order bytes. Sample fields hold the
    committed samples of all files, sorted by sample id; ``bath_eps``/``bath_V`` are cut to the largest
    bath of any sample (NaN padding beyond it does not count); every NaN is the canonical quiet NaN. So
    the hash does not depend on how the samples are split into files or ordered, on the padding width,
    on provenance, package version, schema version, wall times or the schema-2 diagnostics (bond dimension,
    E0, variance): it changes exactly when a number a model is trained on (or a stored bath, seed or
    truncation error) changes. A compact file (no fields on the grid) is hashed as its expansion on its own grid
    (``retarget.with_grid_functions``), which is what training reads from it.
    """
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    return content_hash(read_datasets(paths))


def content_hash(data: list[dict]) -> str:
    """:func:`dataset_hash` of files already read whole by :func:`~.store.read_datasets` (every field)."""
    arrays = concatenate_samples([with_grid_functions(entry) for entry in data], {"n_poles": 0}, HASHED_FIELDS)
    digest = hashlib.sha256(b"triqs_nnsolver.dataset_hash/1\n")
    _update(digest, "grid", data[0]["grid"])
    _update(digest, "alphas", data[0]["alphas"])
    for name in HASHED_FIELDS:
        _update(digest, name, arrays[name])
    return digest.hexdigest()
