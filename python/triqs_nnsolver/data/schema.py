"""The versioned HDF5 layout of a training-data file, and the checks every reader applies.

One file holds the samples of one generator run (or a merge of runs) on one frequency grid with one set
of complex-time angles. Layout of schema version 3 (``N`` samples, ``n_w`` grid points, ``n_alpha``
angles, ``n_bath_max`` bath levels at most, ``n_poles`` pole slots, ``n_t`` times; energies in the model's
unit, ``METHOD.md`` section 1):

    /                         attrs: format = "triqs_nnsolver.dataset", schema_version = 3,
                                     package_version (str), n_samples (int64: committed samples),
                                     raw ('none', 'poles' or 'series': what the targets were computed from),
                                     grid_functions ('stored' or 'omitted': whether the five fields on the
                                     grid, rho_Delta .. A_real, are in the file)
    /grid                     float64 (n_w,)     real frequencies, strictly increasing, no point at 0
    /alphas                   float64 (n_alpha,) complex-time angles (radians), 0 < alpha < pi/2
    /times                    float64 (n_t,)     contour times t_k of the stored series (raw = 'series' only)
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
    /samples/bath_eta         float64 (N, n_bath_max)  Lorentzian half-width of each level in rho_Delta; NaN-padded
    raw = 'poles' (exact methods): A(w) = sum_p pole_weight[p] delta(w - pole_energy[p]), spin-averaged,
    the poles of weight above POLE_WEIGHT_FLOOR, NaN-padded to n_poles slots:
    /samples/pole_energy      float64 (N, n_poles)   pole energies (E_m - E0 or E0 - E_m)
    /samples/pole_weight      float64 (N, n_poles)   their weights (sum 1)
    raw = 'series' (MPS): the complex-time series of ``mps.ComplexTimeResult`` at the times /times:
    /samples/G_greater        complex128 (N, n_alpha, n_t)  G>(t e^{-i alpha})
    /samples/G_lesser         complex128 (N, n_alpha, n_t)  G<(t e^{+i alpha})
    /samples/dG_greater_dalpha, /samples/dG_lesser_dalpha   their alpha-derivatives at fixed t

Versions: schema 3 added the raw data (``bath_eta``, the poles or the series; a sample without them, e.g. a row of an
upgraded older file, holds NaN there: :func:`has_raw`) and the ``grid_functions`` choice: a file that omits them is
compact (the data campaign's committed form, ``triqs-nnsolver retarget``), and its inputs and targets are computed
from the raw data on the grid that training asks for (:mod:`.retarget`). Schema 2 added the run diagnostics
``max_bond_dim``, ``ground_energy`` and ``energy_variance`` (:data:`FIELD_VERSION`). Files of schema 1 and 2 are still
read (as ``raw = 'none'``, grid functions stored): their missing fields read as :data:`MISSING_VALUES` (-1, NaN), and
a writer that resumes one upgrades it to schema 3 in place (the new datasets first, filled with those values for the
old rows, then the attributes, the version attribute last).

Every ``samples/`` dataset has an unlimited first axis, chunked along it (as many samples per chunk as fit
in 64 KiB, at most 1024; one sample per chunk read 4.5 times slower, measured). Its extent may
exceed ``n_samples``: rows from ``n_samples`` on are incomplete (a writer stopped mid-sample, or space
reserved ahead) and every reader ignores them. A writer bumps ``n_samples`` only after the rows of a
sample are on disk (:mod:`.store`).

Here: the constants, :class:`DatasetError`, the per-field shapes, and :func:`check_file`, which refuses
unknown formats, newer or unknown schema versions and inconsistent shapes with a message naming the file.
Files written by ``retarget`` are gzip-compressed (written once, atomically); generator files are not, so
that an append rewrites no HDF5 metadata (:mod:`.store`). What is not here: reading and writing the arrays
(:mod:`.store`).
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
    "RAW_KINDS",
    "RAW_FIELDS",
    "GRID_FIELDS",
    "POLE_WEIGHT_FLOOR",
    "fields_of_version",
    "file_fields",
    "has_raw",
    "DatasetError",
    "field_shape",
    "check_file",
]

FORMAT = "triqs_nnsolver.dataset"
SCHEMA_VERSION = 3
SUPPORTED_VERSIONS = (1, 2, 3)

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
    "bath_eta": (np.float64, ("n_bath_max",)),
    "pole_energy": (np.float64, ("n_poles",)),
    "pole_weight": (np.float64, ("n_poles",)),
    "G_greater": (np.complex128, ("n_alpha", "n_t")),
    "G_lesser": (np.complex128, ("n_alpha", "n_t")),
    "dG_greater_dalpha": (np.complex128, ("n_alpha", "n_t")),
    "dG_lesser_dalpha": (np.complex128, ("n_alpha", "n_t")),
}
"""Every ``samples/`` dataset of the current schema: dtype and the names of its per-sample axes, in order.
Which of them a file holds depends on its version, ``raw`` kind and ``grid_functions`` (:func:`file_fields`)."""

RAW_KINDS = ("none", "poles", "series")
"""What a file's targets were computed from: nothing stored, the exact poles, or the MPS complex-time series."""

RAW_FIELDS = {
    "none": (),
    "poles": ("pole_energy", "pole_weight"),
    "series": ("G_greater", "G_lesser", "dG_greater_dalpha", "dG_lesser_dalpha"),
}
"""The ``samples/`` fields of each raw kind."""

GRID_FIELDS = ("rho_Delta", "re_Delta", "A_tilde", "dA_tilde_dalpha", "A_real")
"""The fields on the frequency grid: a file with ``grid_functions = 'omitted'`` leaves them out."""

POLE_WEIGHT_FLOOR = 1e-15
"""Poles of weight at or below this are not stored: they change A~ by less than 1e-15 times their number
times the kernel's largest value (dimensionless floor on a norm of 1)."""

FIELD_VERSION = {
    "max_bond_dim": 2,
    "ground_energy": 2,
    "energy_variance": 2,
    "bath_eta": 3,
    **{name: 3 for kind in RAW_KINDS for name in RAW_FIELDS[kind]},
}
"""The schema version that added a field; fields not listed are in every version."""

MISSING_VALUES = {
    "A_real": np.nan,
    "wall_time": np.nan,
    "truncation_error": np.nan,
    "max_bond_dim": -1,
    "ground_energy": np.nan,
    "energy_variance": np.nan,
    "bath_eta": np.nan,
    "pole_energy": np.nan,
    "pole_weight": np.nan,
    "G_greater": complex(np.nan, np.nan),
    "G_lesser": complex(np.nan, np.nan),
    "dG_greater_dalpha": complex(np.nan, np.nan),
    "dG_lesser_dalpha": complex(np.nan, np.nan),
}
"""Optional fields and the value that stands for "not available": what a writer stores when a sample leaves
the field out, and what a reader returns for a field that a file of an older schema lacks."""


def fields_of_version(version: int) -> tuple[str, ...]:
    """The ``samples/`` fields every file of schema ``version`` holds (no raw fields), in canonical order."""
    raw = {name for kind in RAW_KINDS for name in RAW_FIELDS[kind]}
    return tuple(name for name in SAMPLE_FIELDS if FIELD_VERSION.get(name, 1) <= version and name not in raw)


def file_fields(version: int, raw: str = "none", grid_functions: bool = True) -> tuple[str, ...]:
    """The ``samples/`` fields of a file of schema ``version`` with this raw kind, with or without the grid
    functions, in canonical order. Raises ValueError for an unknown raw kind."""
    if raw not in RAW_KINDS:
        raise ValueError(f"raw must be one of {RAW_KINDS}; got raw = {raw!r}")
    names = set(fields_of_version(version)) | set(RAW_FIELDS[raw])
    if not grid_functions:
        names -= set(GRID_FIELDS)
    return tuple(name for name in SAMPLE_FIELDS if name in names)


def has_raw(data: dict) -> np.ndarray:
    """Boolean (N,): which samples of a read file (:func:`~.store.read_dataset`) carry raw data to recompute
    their targets from (finite first pole or series entry, and finite ``bath_eta`` of the first level)."""
    kind = data.get("raw", "none")
    n = int(data["n_samples"])
    if kind == "none" or "bath_eta" not in data:
        return np.zeros(n, dtype=bool)
    first = data[RAW_FIELDS[kind][0]].reshape(n, -1)[:, 0]
    return np.isfinite(first) & np.isfinite(data["bath_eta"][:, 0])


class DatasetError(ValueError):
    """A data file that is not a dataset of this package, has an unsupported schema, or is inconsistent."""


def field_shape(name: str, n_w: int, n_alpha: int, n_bath_max: int, n_poles: int = 0, n_t: int = 0) -> tuple[int, ...]:
    """Per-sample shape of the ``samples/<name>`` dataset (its shape without the leading sample axis).

    Raises
    ------
    KeyError
        If ``name`` is not one of :data:`SAMPLE_FIELDS`.
    """
    sizes = {"n_w": n_w, "n_alpha": n_alpha, "n_bath_max": n_bath_max, "n_poles": n_poles, "n_t": n_t}
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
        ``schema_version`` (ints), ``package_version`` (str), ``provenance``: ``{"generator": str,
        "settings": dict, "seed": int}``, ``raw`` (str), ``grid_functions`` (bool: stored), ``n_poles`` (int, 0
        unless raw = 'poles') and ``times`` (float64 (n_t,), or None unless raw = 'series').

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
    raw, grid_functions = _layout(file, path, version)
    n_poles, times = 0, None
    if raw == "poles":
        if "pole_energy" not in samples or samples["pole_energy"].ndim != 2:
            raise DatasetError(
                f"{path}: /samples/pole_energy must be a 2-D dataset (N, n_poles) in a raw = 'poles' file"
            )
        n_poles = samples["pole_energy"].shape[1]
    if raw == "series":
        times = _check_axis(file, path, "times")
    for name in file_fields(version, raw, grid_functions):
        dtype = SAMPLE_FIELDS[name][0]
        expected = field_shape(name, grid.size, alphas.size, n_bath_max, n_poles, 0 if times is None else times.size)
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
        "raw": raw,
        "grid_functions": grid_functions,
        "n_poles": n_poles,
        "times": times,
    }


def _layout(file: h5py.File, path, version: int) -> tuple[str, bool]:
    """(raw kind, grid functions stored) of a file; files before schema 3 are ('none', True)."""
    if version < 3:
        return "none", True
    raw = _text(file.attrs.get("raw", ""))
    stored = _text(file.attrs.get("grid_functions", ""))
    if raw not in RAW_KINDS or stored not in ("stored", "omitted"):
        raise DatasetError(
            f"{path}: the root attributes raw (one of {RAW_KINDS}) and grid_functions ('stored' or 'omitted') are "
            f"required in schema 3; got raw = {raw!r}, grid_functions = {stored!r}"
        )
    return raw, stored == "stored"
