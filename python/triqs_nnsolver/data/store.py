"""Write and read data files of the layout of :mod:`.schema`: crash-safe, resumable appends; whole-file reads.

:class:`DatasetWriter` creates a file, or reopens one that an earlier (possibly killed) run left, and
appends samples. Crash safety rests on the commit order: the rows of a sample are written into space
that is already allocated, flushed to the file, and only then is the root attribute ``n_samples`` raised
(and flushed). A process killed at any point before that leaves ``n_samples`` unchanged; the partial row
lies beyond it, is ignored by readers and overwritten by the next append. A chunk that holds committed
rows may be written again, but with the same bytes for those rows, so an interrupted write cannot alter
them. Space is reserved ahead (the extent grows by an eighth, at least 16 rows; chunks are allocated
at once and filled with NaN), so a regular append changes no HDF5 metadata except the value of
``n_samples``; the reservation steps (logarithmically few), the trim at :meth:`DatasetWriter.close` and
the upgrade of a schema-1 file on resume rewrite HDF5 metadata, the only moments at which a hard kill
(SIGKILL) could leave a file that HDF5 cannot open. SIGINT and SIGTERM that arrive during a write are
held back until the sample is committed (main thread only). Flushes reach the operating system, not the
disk (no fsync): a killed process loses nothing, a power cut may. The file keeps the space of trimmed rows
(at most an eighth).

:func:`read_dataset` returns the committed samples of one file as numpy arrays.
What is not here: merging shards and the content hash (:mod:`.merge`), torch (:mod:`triqs_nnsolver.train.dataset`).
Layer: ``data``; numpy and h5py only.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import threading

import h5py
import numpy as np

from ..checks import integer
from ..version import __version__
from .schema import (
    FORMAT,
    GRID_FIELDS,
    MISSING_VALUES,
    RAW_KINDS,
    SAMPLE_FIELDS,
    SCHEMA_VERSION,
    DatasetError,
    check_file,
    field_shape,
    file_fields,
)

__all__ = ["DatasetWriter", "write_dataset", "read_dataset", "read_datasets", "check_grid", "check_alphas"]

logger = logging.getLogger(__name__)

_MIN_GROWTH = 16  # rows added to the extent at least when it is too small; else an eighth of it (<= 12.5% spare)
_CHUNK_BYTES = 1 << 16  # a chunk holds as many samples as fit in 64 KiB (scalars: 1024), at least one
_MAX_CHUNK_ROWS = 1024
_PADDED = ("bath_eps", "bath_V", "bath_eta", "pole_energy", "pole_weight")  # NaN-padded along their last axis


@contextlib.contextmanager
def _deferred_signals():
    """Hold SIGINT and SIGTERM back until the block ends, then deliver them (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, lambda number, _frame: received.append(number))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
        for number in dict.fromkeys(received):
            signal.raise_signal(number)


def _chunk_rows(shape: tuple[int, ...], itemsize: int = 8) -> int:
    """Samples per chunk for per-sample arrays of this shape and item size in bytes."""
    return int(np.clip(_CHUNK_BYTES // (itemsize * int(np.prod(shape, dtype=np.int64))), 1, _MAX_CHUNK_ROWS))


def _check_axis(name: str, values, upper: float | None = None) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or array.size < 1 or not np.all(np.isfinite(array)) or not np.all(np.diff(array) > 0):
        raise ValueError(f"{name} must be a finite, strictly increasing 1-D array; got {array!r}")
    if upper is not None and not (array[0] > 0 and array[-1] < upper):
        raise ValueError(f"{name} must lie in (0, {upper:.6g}) (radians); got {name} = {array}")
    return array


def check_grid(grid) -> np.ndarray:
    """A data file's frequency grid as float64: finite, strictly increasing, no point at 0 (else ValueError)."""
    values = _check_axis("grid", grid)
    if np.any(values == 0):
        raise ValueError("grid must not contain w = 0: A~_alpha of a metal diverges logarithmically there")
    return values


def check_alphas(alphas) -> np.ndarray:
    """A data file's complex-time angles as float64: strictly increasing, inside (0, pi/2) (else ValueError)."""
    return _check_axis("alphas", alphas, upper=np.pi / 2)


def _provenance(provenance: dict) -> tuple[str, str, int]:
    """(generator, settings as canonical JSON, seed) from ``{"generator", "settings", "seed"}``."""
    if not isinstance(provenance, dict) or set(provenance) != {"generator", "settings", "seed"}:
        keys = sorted(provenance) if isinstance(provenance, dict) else type(provenance).__name__
        raise TypeError(f"provenance must be a dict with keys generator, settings, seed; got {keys}")
    settings = provenance["settings"]
    settings = json.loads(settings) if isinstance(settings, str) else settings
    seed = provenance["seed"]
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"provenance['seed'] must be an integer; got {seed!r}")
    return str(provenance["generator"]), json.dumps(settings, sort_keys=True), int(seed)


class DatasetWriter:
    """Create or reopen a data file and append samples to it, crash-safely (module docstring).

    Parameters
    ----------
    path : str or os.PathLike
        The file. If it exists, it is reopened to resume: its grid, alphas, ``n_bath_max`` and provenance
        must equal the arguments; committed samples are kept, incomplete rows are overwritten.
    grid : array_like, shape (n_w,)
        Real frequencies (model energy unit), strictly increasing, without w = 0.
    alphas : array_like, shape (n_alpha,)
        Complex-time angles in radians, strictly increasing, inside (0, pi/2).
    n_bath_max : int
        Width of ``bath_eps``/``bath_V`` (>= 1): the most bath levels any sample may have.
    provenance : dict
        ``{"generator": str, "settings": dict (JSON-serialisable) or JSON text, "seed": int}``.
    raw : {'none', 'poles', 'series'}
        What the samples carry to recompute their targets from (:data:`~.schema.RAW_FIELDS`).
    n_poles : int
        Pole slots per sample (raw = 'poles', >= 1); a sample may have fewer (NaN-padded).
    times : array_like, shape (n_t,), optional
        Contour times of the series (raw = 'series'; strictly increasing, inverse energy unit).
    grid_functions : bool
        Store the fields on the grid (``rho_Delta`` .. ``A_real``); False writes a compact file of raw data.
    compress : bool
        gzip-compress the datasets (for files written once: ``retarget``); such a file cannot be resumed,
        since an append to a compressed chunk may move it and so rewrite HDF5 metadata.

    Raises
    ------
    ValueError
        For an invalid grid, alphas or ``n_bath_max``.
    TypeError
        If provenance lacks or adds keys, or its settings are not JSON-serialisable.
    DatasetError
        If an existing file is not a valid data file, is compressed, or was written with other grid, alphas,
        ``n_bath_max``, provenance or raw layout (a resume with different settings would mix two data sets).

    Notes
    -----
    Use as a context manager, or call :meth:`close`. HDF5 file locking keeps a second writer out.
    """

    def __init__(
        self,
        path,
        grid,
        alphas,
        n_bath_max: int,
        provenance: dict,
        *,
        raw: str = "none",
        n_poles: int = 0,
        times=None,
        grid_functions: bool = True,
        compress: bool = False,
    ):
        self.path = os.fspath(path)
        self.grid = check_grid(grid)
        self.alphas = check_alphas(alphas)
        self.n_bath_max = integer("n_bath_max", n_bath_max, minimum=1)
        if raw not in RAW_KINDS:
            raise ValueError(f"raw must be one of {RAW_KINDS}; got raw = {raw!r}")
        self.raw = raw
        self.n_poles = integer("n_poles", n_poles, minimum=1) if raw == "poles" else 0
        self.times = _check_axis("times", times) if raw == "series" else None
        self.grid_functions = bool(grid_functions)
        self.compress = bool(compress)
        self.fields = file_fields(SCHEMA_VERSION, raw, self.grid_functions)
        generator, settings, seed = _provenance(provenance)
        resuming = os.path.exists(self.path)
        if not resuming:
            self._create(generator, settings, seed)
        try:
            self._file = h5py.File(self.path, "r+")
        except OSError as err:
            raise DatasetError(f"{self.path} cannot be opened as an HDF5 file for appending: {err}") from err
        try:
            self._check_resume(generator, settings, seed, resuming)
        except Exception:
            self._file.close()
            raise
        self._n = int(self._file.attrs["n_samples"])
        self._failed = False  # a write raised OSError: close without trimming (see close)
        self._samples = self._file["samples"]
        if int(self._file.attrs["schema_version"]) < SCHEMA_VERSION:
            self._upgrade()
        if self._n:
            logger.info("resuming %s with %d committed samples", self.path, self._n)
        self._ids = set(self._samples["sample_id"][: self._n].tolist())

    def _create(self, generator: str, settings: str, seed: int) -> None:
        """Write the empty layout to a temporary file and move it into place: no half-created file."""
        temporary = os.path.join(os.path.dirname(os.path.abspath(self.path)), f".{os.path.basename(self.path)}.new")
        with h5py.File(temporary, "w") as file:
            file.attrs.update({"format": FORMAT, "schema_version": np.int64(SCHEMA_VERSION)})
            file.attrs.update({"package_version": __version__, "n_samples": np.int64(0)})
            file.attrs.update({"raw": self.raw, "grid_functions": "stored" if self.grid_functions else "omitted"})
            file["grid"], file["alphas"] = self.grid, self.alphas
            if self.times is not None:
                file["times"] = self.times
            provenance = {"generator": generator, "settings": settings, "seed": np.int64(seed)}
            file.create_group("provenance").attrs.update(provenance)
            samples = file.create_group("samples")
            for name in self.fields:
                self._create_field(samples, name, 0)
        os.replace(temporary, self.path)

    def _create_field(self, samples: h5py.Group, name: str, rows: int) -> None:
        """An extendable, chunked ``samples/<name>`` of ``rows`` rows of the field's missing value (or NaN, -1)."""
        dtype = SAMPLE_FIELDS[name][0]
        shape = self._shape(name)
        options = {"compression": "gzip", "compression_opts": 4, "shuffle": True} if self.compress else {}
        if not self.compress:
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)  # resize allocates: appends touch no metadata
            options["dcpl"] = dcpl
        samples.create_dataset(
            name,
            shape=(rows, *shape),
            maxshape=(None, *shape),
            chunks=(_chunk_rows(shape, np.dtype(dtype).itemsize), *shape),
            dtype=dtype,
            fillvalue=MISSING_VALUES.get(name, np.nan if dtype == np.float64 else -1),
            **options,
        )

    def _shape(self, name: str) -> tuple[int, ...]:
        n_t = 0 if self.times is None else self.times.size
        return field_shape(name, self.grid.size, self.alphas.size, self.n_bath_max, self.n_poles, n_t)

    def _upgrade(self) -> None:
        """Bring a file of an older schema to :data:`SCHEMA_VERSION`: add the missing fields, filled with their
        missing values for the existing rows, then raise the version attribute (a kill in between leaves an
        old-version file with extra datasets, which readers accept and the next resume completes)."""
        version = int(self._file.attrs["schema_version"])
        extent = self._samples["sample_id"].shape[0]
        for name in self.fields:
            if name not in self._samples:
                self._create_field(self._samples, name, extent)
        if self.times is not None and "times" not in self._file:
            self._file["times"] = self.times
        self._file.flush()
        self._file.attrs["raw"] = self.raw
        self._file.attrs["grid_functions"] = "stored"
        self._file.flush()
        self._file.attrs.modify("schema_version", np.int64(SCHEMA_VERSION))
        self._file.flush()
        logger.info("upgraded %s from schema %d to %d", self.path, version, SCHEMA_VERSION)

    def _check_resume(self, generator: str, settings: str, seed: int, resuming: bool) -> None:
        info = check_file(self._file, self.path)
        if resuming and self._file["samples/sample_id"].compression is not None:
            raise DatasetError(
                f"cannot resume {self.path}: it is compressed (written once, by retarget); generate into a new file"
            )
        layout = (info["raw"], info["n_poles"], info["times"], info["grid_functions"])
        if info["schema_version"] < SCHEMA_VERSION:
            layout = (self.raw, self.n_poles, self.times, True)  # an older file takes this run's raw layout
        found_times, wanted_times = layout[2], self.times
        same_times = (found_times is None and wanted_times is None) or (
            found_times is not None and wanted_times is not None and np.array_equal(found_times, wanted_times)
        )
        if layout[:2] != (self.raw, self.n_poles) or not same_times or layout[3] != self.grid_functions:
            raise DatasetError(
                f"cannot resume {self.path}: its raw layout (raw, n_poles, n_t, grid functions stored) is "
                f"{(layout[0], layout[1], None if found_times is None else found_times.size, layout[3])}, this run's "
                f"{(self.raw, self.n_poles, None if wanted_times is None else wanted_times.size, self.grid_functions)}"
            )
        found = {
            "grid": info["grid"],
            "alphas": info["alphas"],
            "n_bath_max": info["n_bath_max"],
            "provenance": (
                info["provenance"]["generator"],
                json.dumps(info["provenance"]["settings"], sort_keys=True),
                info["provenance"]["seed"],
            ),
        }
        wanted = {
            "grid": self.grid,
            "alphas": self.alphas,
            "n_bath_max": self.n_bath_max,
            "provenance": (generator, settings, seed),
        }
        for key, value in wanted.items():
            same = np.array_equal(found[key], value) if key in ("grid", "alphas") else found[key] == value
            if not same:
                raise DatasetError(
                    f"cannot resume {self.path}: its {key} differs from this run's; file has {found[key]!r}, "
                    f"this run has {value!r} (write to a new file, or rerun with the original settings)"
                )

    @property
    def n_samples(self) -> int:
        """Committed samples in the file."""
        return self._n

    def existing_ids(self) -> set[int]:
        """Sample ids committed in the file (a copy): a resumed generator skips these."""
        return set(self._ids)

    def append(self, sample: dict) -> None:
        """Write one sample and commit it (raise ``n_samples`` last).

        Parameters
        ----------
        sample : dict
            One entry per field of :data:`~.schema.SAMPLE_FIELDS` with its per-sample shape (scalars for
            ``sample_id``, ``U``, ...; ``(n_w,)`` for ``rho_Delta``; ``(n_alpha, n_w)`` for ``A_tilde``).
            ``bath_eps`` and ``bath_V`` may be shorter than ``n_bath_max`` (they are NaN-padded).
            The optional fields of :data:`~.schema.MISSING_VALUES` (``A_real``, ``wall_time`` and the run
            diagnostics) may be left out: they are stored as "not available" (NaN, or -1 for
            ``max_bond_dim``).

        Raises
        ------
        TypeError
            For unknown or missing keys.
        ValueError
            For a wrong shape, a non-finite required value, a bath longer than ``n_bath_max``, an
            ``A_real`` that is neither finite nor all NaN, a ``max_bond_dim`` below 1 other than -1, a
            negative ``energy_variance``, or a sample id already in the file.
        """
        self.extend({name: [value] for name, value in sample.items()})

    def extend(self, samples: dict) -> None:
        """Write several samples at once (arrays with a leading sample axis) and commit them together.

        Same keys, checks and Raises as :meth:`append`, every value with a leading axis of equal length k.
        """
        rows = self._rows(samples)
        k = rows["sample_id"].size
        ids = rows["sample_id"].tolist()
        clash = sorted(self._ids.intersection(ids)) or ([] if len(set(ids)) == k else ["(repeated in the input)"])
        if clash:
            raise ValueError(f"sample ids already present in {self.path}: {clash[:5]}")
        with _deferred_signals():
            try:
                self._reserve(self._n + k)
                for name, values in rows.items():
                    self._samples[name][self._n : self._n + k] = values
                self._file.flush()  # the rows reach the file before they are counted
                self._file.attrs.modify("n_samples", np.int64(self._n + k))
                self._file.flush()
            except OSError as err:  # a full disk, a lost mount: the committed samples stay readable
                self._failed = True
                raise OSError(
                    err.errno,
                    f"writing {k} sample(s) to {self.path} failed ({err.strerror or err}); the {self._n} samples "
                    "committed before are intact: free space and run the same command again to resume",
                ) from err
            self._n += k  # inside the block: a held-back SIGINT raises only after the count is current
            self._ids.update(ids)

    def _reserve(self, rows: int) -> None:
        extent = self._samples["sample_id"].shape[0]
        if extent >= rows:
            return
        new = max(rows, extent + max(_MIN_GROWTH, extent // 8))
        for dataset in self._samples.values():
            dataset.resize(new, axis=0)

    def _rows(self, samples: dict) -> dict:
        unknown = sorted(set(samples) - set(self.fields))
        missing = sorted(set(self.fields) - set(samples) - set(MISSING_VALUES))
        if unknown or missing:
            raise TypeError(
                f"sample keys: unknown {unknown}, missing {missing}; the fields of this file (raw = {self.raw!r}, "
                f"grid functions {'stored' if self.grid_functions else 'omitted'}) are {list(self.fields)}"
            )
        k = len(samples["sample_id"])
        rows = {}
        for name in self.fields:
            dtype = SAMPLE_FIELDS[name][0]
            shape = (k, *self._shape(name))
            if name not in samples:
                rows[name] = np.full(shape, MISSING_VALUES[name], dtype=dtype)
                continue
            value = np.asarray(samples[name], dtype=dtype)
            if name in _PADDED and value.ndim == 2 and value.shape[0] == k and value.shape[1] <= shape[1]:
                value = np.pad(value, ((0, 0), (0, shape[1] - value.shape[1])), constant_values=np.nan)
            if value.shape != shape:
                raise ValueError(f"sample field {name!r} must have shape {shape[1:]} per sample; got {value.shape[1:]}")
            rows[name] = value
        if "A_real" in rows:
            A_real = rows["A_real"]
            if np.any(np.isinf(A_real)) or np.any(np.isnan(A_real).any(axis=1) & ~np.isnan(A_real).all(axis=1)):
                raise ValueError("sample field 'A_real' must be finite, or all NaN for a sample without it")
        padding = np.isnan(rows["bath_eps"])
        if np.any(padding != np.isnan(rows["bath_V"])) or np.any(np.isinf(rows["bath_eps"]) | np.isinf(rows["bath_V"])):
            raise ValueError("bath_eps and bath_V must be finite and of equal length (NaN only as padding)")
        eta = rows["bath_eta"]
        if not np.all(np.isnan(eta[padding])) or np.any(np.isinf(eta) | (eta <= 0)):
            raise ValueError("bath_eta must be positive where the bath has a level (NaN as padding, or NaN throughout)")
        if self.raw == "poles":
            energy, weight = rows["pole_energy"], rows["pole_weight"]
            if np.any(np.isnan(energy) != np.isnan(weight)) or np.any(
                np.isinf(energy) | np.isinf(weight) | (weight < 0)
            ):
                raise ValueError("pole_energy and pole_weight must be finite, weights >= 0, NaN only as padding")
        bond = rows["max_bond_dim"]
        if np.any((bond < 1) & (bond != -1)):
            raise ValueError(f"sample field 'max_bond_dim' must be >= 1, or -1 for an exact method; got {bond}")
        if np.any(rows["energy_variance"] < 0) or np.any(np.isinf(rows["energy_variance"])):
            raise ValueError(f"sample field 'energy_variance' must be >= 0 or NaN; got {rows['energy_variance']}")
        for name, value in rows.items():
            if name not in MISSING_VALUES and name not in _PADDED and not np.all(np.isfinite(value)):
                raise ValueError(
                    f"sample field {name!r} must be finite; got {np.count_nonzero(~np.isfinite(value))} non-finite"
                )
        return rows

    def close(self) -> None:
        """Trim the reserved rows beyond ``n_samples`` and close the file (idempotent).

        After a failed write (:meth:`extend` raised an ``OSError``) the file is closed without trimming: the
        rows beyond ``n_samples`` are not counted, and the next writer of the file overwrites them.
        """
        if not self._file.id.valid:
            return
        with _deferred_signals():
            if self._failed:
                try:
                    self._file.close()
                except OSError:  # the disk is still full; n_samples on the file is the last commit
                    pass
                return
            for dataset in self._samples.values():
                dataset.resize(self._n, axis=0)
            self._file.close()

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def write_dataset(path, samples: dict, grid, alphas, n_bath_max: int, provenance: dict, **layout) -> int:
    """Write a whole data file at once, atomically: a temporary file next to ``path``, then ``os.replace``.

    ``samples``: arrays with a leading sample axis, as :meth:`DatasetWriter.extend` takes them (possibly none);
    the other arguments and ``layout`` (``raw``, ``n_poles``, ``times``, ``grid_functions``, ``compress``) as
    :class:`DatasetWriter`'s. A reader sees the old file or the complete new one, never a partial one; an
    existing file at ``path`` is replaced. Returns the number of samples written.
    """
    path = os.fspath(path)
    temporary = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.write-{os.getpid()}")
    if os.path.exists(temporary):  # left by a killed writer of a process with the same id
        os.remove(temporary)
    try:
        with DatasetWriter(temporary, grid, alphas, n_bath_max, provenance, **layout) as writer:
            if samples["sample_id"].size:
                writer.extend(samples)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    return int(samples["sample_id"].size)


def read_dataset(path, fields=None) -> dict:
    """The committed samples of one data file, as numpy arrays, with its metadata.

    Parameters
    ----------
    path : str or os.PathLike
        A file of the layout of :mod:`.schema`.
    fields : iterable of str, optional
        Sample fields to read (default: all of :data:`~.schema.SAMPLE_FIELDS`; ``sample_id`` is always read).

    Returns
    -------
    dict
        One array per sample field, truncated to the ``n_samples`` committed samples (shapes of
        :mod:`.schema`), plus ``grid``, ``alphas`` (float64), ``n_samples``, ``n_bath_max``,
        ``schema_version`` (of the file), ``package_version``, ``provenance`` (``generator``, ``settings`` as
        a dict, ``seed``), ``raw``, ``grid_functions``, ``n_poles``, ``times`` (:func:`~.schema.check_file`) and
        ``path`` (str). A field that the file's schema lacks (a schema-1 file has no run diagnostics, a file of
        raw kind 'none' no poles) comes back filled with its :data:`~.schema.MISSING_VALUES` entry. By default,
        the fields of the current schema for the file's raw kind.

    Raises
    ------
    DatasetError
        If the file is not a readable data file of a supported schema version (:func:`~.schema.check_file`), or
        a field on the grid is asked of a compact file that omits them.
    KeyError
        If ``fields`` names an unknown field.
    """
    path = os.fspath(path)
    requested = None if fields is None else list(dict.fromkeys(["sample_id", *fields]))
    for name in requested or ():
        if name not in SAMPLE_FIELDS:
            raise KeyError(f"unknown sample field {name!r}; the fields are {list(SAMPLE_FIELDS)}")
    try:
        file = h5py.File(path, "r")
    except OSError as err:
        raise DatasetError(f"{path} cannot be opened as an HDF5 file: {err}") from err
    with file:
        info = check_file(file, path)
        n = info["n_samples"]
        stored = file_fields(info["schema_version"], info["raw"], info["grid_functions"])
        names = (
            list(file_fields(SCHEMA_VERSION, info["raw"], info["grid_functions"])) if requested is None else requested
        )
        absent = [name for name in names if name in GRID_FIELDS and not info["grid_functions"]]
        if absent:
            raise DatasetError(
                f"{path} is a compact file without the fields on the grid ({', '.join(absent)}): compute them from "
                "its raw data with `triqs-nnsolver retarget` (or data.retarget_dataset)"
            )
        n_t = 0 if info["times"] is None else info["times"].size
        result = {}
        for name in names:
            if name in stored:
                result[name] = file["samples"][name][:n]
            else:
                shape = field_shape(
                    name, info["grid"].size, info["alphas"].size, info["n_bath_max"], info["n_poles"], n_t
                )
                result[name] = np.full((n, *shape), MISSING_VALUES[name], dtype=SAMPLE_FIELDS[name][0])
    result.update(info, path=path)
    return result


def read_datasets(paths, fields=None) -> list[dict]:
    """Read several data files that form one data set: :func:`read_dataset` of each, checked together.

    Parameters
    ----------
    paths : sequence of str or os.PathLike
        At least one file.
    fields : iterable of str, optional
        As :func:`read_dataset`.

    Returns
    -------
    list of dict
        :func:`read_dataset` of each file, in the order given.

    Raises
    ------
    ValueError
        If ``paths`` is empty.
    DatasetError
        If a file is invalid, two files differ in grid or alphas (exact equality: files of one data set
        are written on the same grid), or a sample id occurs in two files.
    """
    paths = [os.fspath(p) for p in paths]
    if not paths:
        raise ValueError("at least one data file is needed; got an empty list of paths")
    data = [read_dataset(p, fields) for p in paths]
    first = data[0]
    for other in data[1:]:
        for key in ("grid", "alphas"):
            if not np.array_equal(first[key], other[key]):
                raise DatasetError(
                    f"{other['path']} and {first['path']} have different {key} (sizes {other[key].size} and "
                    f"{first[key].size}); only files of one grid and one set of alphas form a data set"
                )
    owner: dict[int, str] = {}
    for entry in data:
        for sample_id in entry["sample_id"].tolist():
            if sample_id in owner:
                raise DatasetError(f"sample id {sample_id} occurs in both {owner[sample_id]} and {entry['path']}")
            owner[sample_id] = entry["path"]
    return data
