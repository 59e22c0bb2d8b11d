"""The resumable, shardable loop shared by the data sources: which indices to compute, and appending them.

A run is ``(seed, n_samples)``: sample ``index`` has id ``sample_id(seed, index)`` (``synthetic``) and is a
function of ``(seed, index)`` alone. A shard ``(rank, n_ranks)`` owns the indices ``i`` with
``i % n_ranks == rank``. Ids already in the file are skipped, so a run killed at any moment and started
again with the same command continues with the first missing id (``DatasetWriter`` appends atomically).
:func:`write_run` is the whole run of a source: open (or take) the writer, check the run, append what is missing.

Layer: ``data``.
"""

from __future__ import annotations

import os

import numpy as np
from tqdm import tqdm

from ..checks import integer
from .store import DatasetWriter

__all__ = ["check_run", "append_missing", "write_run"]


def check_run(n_samples, seed: int, shard: tuple[int, int], sample_id) -> None:
    """Validate a run before any work: ``n_samples >= 0``, the shard, and the seed (via ``sample_id``)."""
    rank, n_ranks = shard
    if not (0 <= rank < n_ranks):
        raise ValueError(f"shard must be (rank, n_ranks) with 0 <= rank < n_ranks; got shard = {shard!r}")
    integer("n_samples", n_samples, minimum=0)
    sample_id(seed, max(n_samples - 1, 0))  # raises for an invalid seed or index range


def append_missing(writer, n_samples: int, seed: int, shard, sample_id, make_sample, progress: bool, label: str) -> int:
    """Append ``make_sample(index)`` for every index of this shard whose id the file lacks; returns the count."""
    rank, n_ranks = shard
    done = writer.existing_ids()
    todo = [i for i in range(rank, n_samples, n_ranks) if sample_id(seed, i) not in done]
    description = f"{label} samples -> {os.path.basename(writer.path)}"
    for index in tqdm(todo, disable=not progress, desc=description, unit="sample"):
        writer.append(make_sample(index))
    return len(todo)


def write_run(
    out,
    n_samples: int,
    seed: int,
    grid,
    alphas,
    n_bath: int,
    provenance: dict,
    make_sample,
    sample_id,
    *,
    shard: tuple[int, int],
    progress: bool,
    layout: dict | None = None,
) -> int:
    """Append the missing samples of this shard of a run to ``out``; returns the count written by this call.

    Parameters
    ----------
    out : str, os.PathLike or DatasetWriter
        The file (created, or reopened to resume; its provenance must equal ``provenance``) or an open writer
        (its grid and alphas must equal ``grid`` and ``alphas``, its ``n_bath_max`` be >= ``n_bath``).
    n_samples, seed, shard, sample_id
        The run, as :func:`check_run` takes them.
    grid, alphas : array_like
        Real frequencies (energy unit) and complex-time angles (radians) of the file.
    n_bath : int
        Bath levels per sample at most (the file's ``n_bath_max``).
    provenance : dict
        ``{"generator", "settings", "seed"}`` of a new file (``DatasetWriter``).
    make_sample : callable
        ``make_sample(index, grid, alphas) -> dict`` of sample fields, given the file's grid and alphas.
    progress : bool
        Show a tqdm progress bar.
    layout : dict, optional
        The raw layout of a new file, as ``DatasetWriter`` keywords (``raw``, ``n_poles``, ``times``); an open
        writer must have the same raw kind.

    Raises
    ------
    ValueError, DatasetError
        For an invalid run, a writer whose grid, alphas or ``n_bath_max`` do not fit, or a file that cannot be
        resumed by this run (``DatasetWriter``).
    """
    check_run(n_samples, seed, shard, sample_id)
    layout = {} if layout is None else layout
    if isinstance(out, DatasetWriter):
        writer, owned = out, False
        if not (
            np.array_equal(writer.grid, np.asarray(grid, float))
            and np.array_equal(writer.alphas, np.asarray(alphas, float))
        ):
            raise ValueError(f"grid and alphas must equal those of the writer's file {writer.path}")
        if writer.n_bath_max < n_bath:
            raise ValueError(f"n_bath = {n_bath} exceeds the writer's n_bath_max = {writer.n_bath_max}")
        if writer.raw != layout.get("raw", "none"):
            raise ValueError(
                f"this run stores raw = {layout.get('raw', 'none')!r}; the writer's file has {writer.raw!r}"
            )
    else:
        writer, owned = DatasetWriter(os.fspath(out), grid, alphas, n_bath, provenance, **layout), True
    try:
        return append_missing(
            writer,
            n_samples,
            seed,
            shard,
            sample_id,
            lambda index: make_sample(index, writer.grid, writer.alphas),
            progress,
            provenance["generator"],
        )
    finally:
        if owned:
            writer.close()
