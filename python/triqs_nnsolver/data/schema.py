"""The versioned HDF5 layout of a training-data file, and the checks every reader applies.

One file holds the samples of one generator run (or a merge of runs) on one frequency grid with one set
of complex-time angles. Layout of schema version 2 (``N`` samples, ``n_w`` grid points, ``n_alpha``
angles, ``n_bath_max`` bath levels at most; energies in the model's unit, ``METHOD.md`` section 1):

    /                         attrs: format = "triqs_nnsolver.dataset", schema_version = 2,
                                     package_version (str), n_samples (int64: committed samples)
    /grid                     float64 (n_w,)     real frequencies, strictly increasing, no point at 0
    /alphas                   float64 (n_alpha,) complex-time angles (radians), 0 < alpha < pi/2
    /provenance               attrs: generator ('ed', 'mps', 'merged', ...), settings (JSON text:
                                     backend settings, families, ranges), seed (int64, the run's seed)
    /samples/sample_id        int64   (N,)       unique over every file of a data set
    /samples/U                float64 (N,)       Hubbard repulsion
    /samples/eps_d            float64 (N,)       impurity level
    /samples/rho_Delta        float64 (N, n_w)   rho_Delta = -Im Delta / pi on the grid (network input)
    /samples/re_Delta         float64 (N, n_w)   Re Delta on the grid, the Kramers-Kronig partner
    /samples/bath_eps         float64 (N, n_bath_max)  star levels eps_k the sample was solved with,
    /samples/bath_V           float64 (N, n_bath_max)  and their couplings V_k; NaN-padded
    /samples/A_tilde          float64 (N, n_alpha, n_w)  A~_alpha(w) (``METHOD.md`` section 2)
    /samples/dA_tilde_dalpha  float64 (N, n_alpha, n_w)  dA~_alpha/dalpha (per radian)
    /samples/A_real           float64 (N, n_w)   real-axis reference A(w); a NaN row where there is none
    /samples/wall_time        float64 (N,)       seconds spent on the sample
    /samples/truncation_error float64 (N,)       discarded weight of the MPS run; NaN for exact methods
    /samples/seed             int64   (N,)       seed of the sample's own random stream
    /samples/max_bond_dim     int64   (N,)       largest bond dimension of the MPS run; -1 for exact methods
    /samples/ground_energy    float64 (N,)       ground-state energy E0 of the impurity problem
    /samples/energy_variance  float64 (N,)       <0|(H - E0)^2|0> of the MPS ground state; NaN for exact methods

Versions: schema 2 added the run diagnostics ``max_bond_dim``, ``ground_energy`` and ``energy_variance``
(:data:`FIELD_VERSION`). Files of schema 1 are still read: their missing fields read as
:data:`MISSING_VALUES` (-1, NaN), and a writer that resumes one upgrades it to schema 2 in place (the new
datasets first, filled with those values for the old rows, the version attribute last).

Every ``samples/`` dataset has an unlimited first axis, chunked along it (as many samples per chunk as fit
in 64 KiB, at most 1024; one sample per chunk read 4.5 times slower, measured). Its extent may
exceed ``n_samples``: rows from ``n_samples`` on are incomplete (a writer stopped mid-sample, or space
reserved ahead) and every reader ignores them. A writer bumps ``n_samples`` only after the rows of a
sample are on disk (:mod:`.store`).

Here: the constants, :class:`DatasetError`, the per-field shapes, and :func:`check_file`, which refuses
unknown formats, newer or unknown schema versions and inconsistent shapes with a message naming the file.
What is not here: reading and writing the arrays (:mod:`.store`).
Layer: ``data`` (above ``gf``, ``h5``, ``bath``, ``reference``, ``spectral``); numpy and h5py only.
"""

from __future__ import annotations

import json

import h5py
import numpy as np

__all__ = [
    "FORMAT",
    "SCHEMA_VERSION",
    "SUPPORTED_VERSIONS",
    "SAMPLE_FIELDS",
    "FIELD_VERSION",
    "MISSING_VALUES",
    "fields_of_version",
    "DatasetError",
    "field_shape",
    "check_file",
]

FORMAT = "triqs_nnsolver.dataset"
SCHEMA_VERSION = 2
SUPPORTED_VERSIONS = (1, 2)

SAMPLE_FIELDS: dict[str, tuple[type, tuple[str, ...]]] = {
    "sample_id": (np.int64, ()),
    "U": (np.float64, ()),
    "eps_d": (np.float64, ()),
    "rho_Delta": (np.float64, ("n_w",)),
    "re_Delta": (np.float64, ("n_w",)),
    "bath_eps": (np.float64, ("n_bath_max",)),
    "bath_V": (np.float64, ("n_bath_max",)),
    "A_tilde": (np.float64, ("n_alpha", "n_w")),
    "dA_tilde_dalpha": (np.float64, ("n_alpha", "n_w")),
    "A_real": (np.float64, ("n_w",)),
    "wall_time": (np.float64, ()),
    "truncation_error": (np.float64, ()),
    "seed": (np.int64, ()),
    "max_bond_dim": (np.int64, ()),
    "ground_energy": (np.float64, ()),
    "energy_variance": (np.float64, ()),
}
"""Every ``samples/`` dataset of the current schema: dtype and the names of its per-sample axes, in order."""

FIELD_VERSION = {"max_bond_dim": 2, "ground_energy": 2, "energy_variance": 2}
"""The schema version that added a field; fields not listed are in every version."""

MISSING_VALUES = {
    "A_real": np.nan,
    "wall_time": np.nan,
    "truncation_error": np.nan,
    "max_bond_dim": -1,
    "ground_energy": np.nan,
    "energy_variance": np.nan,
}
"""Optional fields and the value that stands for "not available": what a writer stores when a sample leaves
the field out, and what a reader returns for a field that a file of an older schema lacks."""


def fields_of_version(version: int) -> tuple[str, ...]:
    """The ``samples/`` fields a file of schema ``version`` holds, in canonical order."""
    return tuple(name for name in SAMPLE_FIELDS if FIELD_VERSION.get(name, 1) <= version)


class DatasetError(ValueError):
    """A data file that is not a dataset of this package, has an unsupported schema, or is inconsistent."""


def field_shape(name: str, n_w: int, n_alpha: int, n_bath_max: int) -> tuple[int, ...]:
    """Per-sample shape of the ``samples/<name>`` dataset (its shape without the leading sample axis).

    Raises
    ------
    KeyError
        If ``name`` is not one of :data:`SAMPLE_FIELDS`.
    """
    sizes = {"n_w": n_w, "n_alpha": n_alpha, "n_bath_max": n_bath_max}
    return tuple(sizes[axis] for axis in SAMPLE_FIELDS[name][1])


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _check_header(file: h5py.File, path) -> int:
    attrs = file.attrs
    found = _text(attrs["format"]) if "format" in attrs else None
    if found != FORMAT:
        raise DatasetError(f"{path} is not a triqs_nnsolver dataset: format attribute {found!r}, expected {FORMAT!r}")
    version = attrs.get("schema_version")
    if version is None or np.ndim(version) != 0 or not np.issubdtype(np.asarray(version).dtype, np.integer):
        raise DatasetError(f"{path}: schema_version must be an integer attribute; got {version!r}")
    if int(version) > SCHEMA_VERSION:
        raise DatasetError(
            f"{path} has schema_version {int(version)}, newer than the version {SCHEMA_VERSION} this "
            f"triqs_nnsolver reads; upgrade triqs_nnsolver (file written by package version "
            f"{_text(attrs.get('package_version', 'unknown'))})"
        )
    if int(version) not in SUPPORTED_VERSIONS:
        raise DatasetError(
            f"{path} has schema_version {int(version)}, which triqs_nnsolver does not know; supported: "
            f"{', '.join(map(str, SUPPORTED_VERSIONS))}"
        )
    return int(version)


def _check_axis(file: h5py.File, path, name: str) -> np.ndarray:
    if name not in file or not isinstance(file[name], h5py.Dataset) or file[name].ndim != 1:
        raise DatasetError(f"{path}: /{name} must be a 1-D dataset")
    values = file[name][()].astype(np.float64)
    if values.size < 1 or not np.all(np.isfinite(values)) or not np.all(np.diff(values) > 0):
        raise DatasetError(f"{path}: /{name} must be finite and strictly increasing; got {values[:5]}...")
    return values


def check_file(file: h5py.File, path) -> dict:
    """Check the format, schema version, shapes and consistency of an open data file.

    Parameters
    ----------
    file : h5py.File
        The open file (read-only is enough).
    path : str or os.PathLike
        Its name, for the messages.

    Returns
    -------
    dict
        ``grid`` (n_w,) and ``alphas`` (n_alpha,) float64 arrays, ``n_samples``, ``n_bath_max``,
        ``schema_version`` (ints), ``package_version`` (str) and ``provenance``: ``{"generator": str,
        "settings": dict, "seed": int}``.

    Raises
    ------
    DatasetError
        If the format attribute is not :data:`FORMAT`, the schema version is newer than :data:`SCHEMA_VERSION`
        or not one of :data:`SUPPORTED_VERSIONS` (the message names the versions and the file), a dataset of
        the file's version is missing or has
        the wrong dtype or shape, ``n_samples`` exceeds the stored rows, the settings are not JSON, or the
        committed sample ids are not unique.
    """
    version = _check_header(file, path)
    grid = _check_axis(file, path, "grid")
    alphas = _check_axis(file, path, "alphas")
    if np.any(grid == 0):
        raise DatasetError(f"{path}: /grid must not contain w = 0 (A~_alpha is singular there for a metal)")
    if not (alphas[0] > 0 and alphas[-1] < np.pi / 2):
        raise DatasetError(f"{path}: /alphas must lie in (0, pi/2); got {alphas}")
    if "samples" not in file or "provenance" not in file:
        raise DatasetError(f"{path}: the groups /samples and /provenance are required")
    samples = file["samples"]
    n_samples = int(file.attrs.get("n_samples", -1))
    if n_samples < 0:
        raise DatasetError(f"{path}: the root attribute n_samples must be an integer >= 0")
    if "bath_eps" not in samples or samples["bath_eps"].ndim != 2:
        raise DatasetError(f"{path}: /samples/bath_eps must be a 2-D dataset (N, n_bath_max)")
    n_bath_max = samples["bath_eps"].shape[1]
    for name in fields_of_version(version):
        dtype = SAMPLE_FIELDS[name][0]
        expected = field_shape(name, grid.size, alphas.size, n_bath_max)
        if name not in samples:
            raise DatasetError(f"{path}: /samples/{name} is missing")
        dataset = samples[name]
        if dataset.shape[1:] != expected or dataset.dtype != dtype:
            raise DatasetError(
                f"{path}: /samples/{name} must have shape (N, {', '.join(map(str, expected))}) and dtype "
                f"{np.dtype(dtype)}; got shape {dataset.shape}, dtype {dataset.dtype}"
            )
        if dataset.shape[0] < n_samples:
            raise DatasetError(
                f"{path}: /samples/{name} has {dataset.shape[0]} rows, fewer than n_samples = {n_samples}"
            )
    ids = samples["sample_id"][:n_samples]
    if np.unique(ids).size != ids.size:
        raise DatasetError(f"{path}: sample ids are not unique")
    provenance = file["provenance"].attrs
    try:
        settings = json.loads(_text(provenance["settings"]))
        info = {"generator": _text(provenance["generator"]), "settings": settings, "seed": int(provenance["seed"])}
    except (KeyError, ValueError, TypeError) as err:
        raise DatasetError(f"{path}: /provenance needs attributes generator, settings (JSON) and seed: {err}") from err
    return {
        "grid": grid,
        "alphas": alphas,
        "n_samples": n_samples,
        "n_bath_max": n_bath_max,
        "schema_version": version,
        "package_version": _text(file.attrs.get("package_version", "unknown")),
        "provenance": info,
    }
