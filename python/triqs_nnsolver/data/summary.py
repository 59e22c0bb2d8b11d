"""What a data set holds, in numbers: sample count, parameter ranges, resolution and run diagnostics.

:func:`summarize` reads the committed samples of one or more data files (:func:`~.store.read_datasets`) and
returns a JSON-ready dict, printed by ``triqs-nnsolver inspect``; the files are read once. Diagnostics that
no sample has (exact methods, or files of schema 1) are None. Layer: ``data``.
"""

from __future__ import annotations

import numpy as np

from .merge import content_hash
from .resolution import settings_resolution
from .schema import has_raw
from .store import read_datasets

__all__ = ["summarize"]

_FIELDS = ("U", "eps_d", "bath_eps", "wall_time", "truncation_error", "max_bond_dim", "energy_variance")


def _range(values: np.ndarray) -> list[float] | None:
    return [float(values.min()), float(values.max())] if values.size else None


def _largest(values: np.ndarray, missing) -> float | None:
    """The largest value that is not the field's "not available" marker (NaN, or -1 for bond dimensions)."""
    present = values[~np.isnan(values)] if missing is np.nan else values[values != missing]
    return present.max().item() if present.size else None


def summarize(paths) -> dict:
    """A summary of the data files ``paths`` (one data set: same grid and alphas, unique ids).

    Returns
    -------
    dict
        ``files`` (per file: path, schema version, generator, seed, sample count, resolutions sigma_w of its
        targets, 0.0 meaning unbroadened, raw kind, whether the grid functions are stored, and how many samples
        carry raw data), ``n_samples``, ``n_w``, ``grid_range``, ``alphas``, ``U_range``,
        ``eps_d_range``, ``n_bath_levels`` (largest), ``wall_time`` (total and median, seconds), the largest
        ``truncation_error``, ``max_bond_dim`` and ``energy_variance`` (None where no sample has them) and
        ``dataset_hash``.

    Raises
    ------
    DatasetError, ValueError
        As :func:`~.store.read_datasets`.
    """
    data = read_datasets(paths)  # every field: the content hash needs them all
    joined = {name: np.concatenate([entry[name] for entry in data]) for name in _FIELDS}
    files = [
        {
            "path": entry["path"],
            "schema_version": entry["schema_version"],
            "generator": entry["provenance"]["generator"],
            "seed": entry["provenance"]["seed"],
            "n_samples": entry["n_samples"],
            "resolution": sorted(settings_resolution(entry["provenance"]["settings"])),
            "raw": entry["raw"],
            "grid_functions": "stored" if entry["grid_functions"] else "omitted",
            "n_with_raw": int(has_raw(entry).sum()),
        }
        for entry in data
    ]
    wall = joined["wall_time"][~np.isnan(joined["wall_time"])]
    return {
        "files": files,
        "n_samples": int(joined["U"].size),
        "n_w": int(data[0]["grid"].size),
        "grid_range": _range(data[0]["grid"]),
        "alphas": data[0]["alphas"].tolist(),
        "U_range": _range(joined["U"]),
        "eps_d_range": _range(joined["eps_d"]),
        "n_bath_levels": int((~np.isnan(joined["bath_eps"])).sum(axis=1).max(initial=0)),
        "wall_time": {"total": float(wall.sum()), "median": float(np.median(wall)) if wall.size else None},
        "truncation_error": _largest(joined["truncation_error"], np.nan),
        "max_bond_dim": _largest(joined["max_bond_dim"], -1),
        "energy_variance": _largest(joined["energy_variance"], np.nan),
        "dataset_hash": content_hash(data),
    }
