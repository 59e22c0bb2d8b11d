"""The resumable, shardable loop shared by the data sources: which indices to compute, and appending them.

A run is ``(seed, n_samples)``: sample ``index`` has id ``sample_id(seed, index)`` (``synthetic``) and is a
function of ``(seed, index)`` alone. A shard ``(rank, n_ranks)`` owns the indices ``i`` with
``i % n_ranks == rank``. Ids already in the file are skipped, so a run killed at any moment and started
again with the same command continues with the first missing id (``DatasetWriter`` appends atomically).

Layer: ``data``.
"""

from __future__ import annotations

import os

from tqdm import tqdm

from ..checks import integer

__all__ = ["check_run", "append_missing"]


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
