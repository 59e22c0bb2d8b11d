"""MPI helpers in the spirit of ``triqs.utility.mpi``, on mpi4py (COMM_WORLD).

``rank()``, ``size()``, ``is_master_node()``, ``bcast(obj)``, ``barrier()`` and ``report(*args)``
(prints on rank 0 only). mpi4py is imported on first use, so importing the package does not start
MPI. Without ``mpiexec`` a program runs as a single rank of size 1.

The two policies of the parallel paths, so that an error on one rank never leaves another waiting:

- :func:`compute_on_root`: rank 0 computes, every rank gets the result, or the exception (``Solver.solve``);
- :func:`on_every_rank`: every rank computes its own part; if any rank raised, every rank raises
  (the failed rank its own exception, the others a :class:`RankFailedError` that names it), so no rank
  goes on to a collective step that the failed one never reaches (``generate`` shards).

Layer: bottom, beside ``gf`` and ``h5``.
"""

from __future__ import annotations

import functools
import pickle
import sys

__all__ = [
    "rank",
    "size",
    "is_master_node",
    "bcast",
    "barrier",
    "report",
    "RankFailedError",
    "compute_on_root",
    "on_every_rank",
]


class RankFailedError(RuntimeError):
    """Another rank raised during :func:`on_every_rank`; the message names it and its error."""


@functools.cache
def _world():
    from mpi4py import MPI

    return MPI.COMM_WORLD


def rank() -> int:
    """This process's rank in COMM_WORLD (0 without mpiexec)."""
    return _world().Get_rank()


def size() -> int:
    """Number of ranks in COMM_WORLD (1 without mpiexec)."""
    return _world().Get_size()


def is_master_node() -> bool:
    """True on rank 0, the rank that prints, writes files and shows progress bars."""
    return rank() == 0


def bcast(obj, root: int = 0):
    """Broadcast a picklable object (numpy arrays included) from ``root``; every rank returns it."""
    return _world().bcast(obj, root=root)


def barrier() -> None:
    """Wait until every rank arrives."""
    _world().Barrier()


def report(*args, **kwargs) -> None:
    """``print`` on rank 0 only (to stdout unless ``file=`` is given), flushed."""
    if is_master_node():
        kwargs.setdefault("file", sys.stdout)
        print(*args, **kwargs, flush=True)


def _n_ranks() -> int:
    try:
        return size()
    except ImportError:  # no mpi4py: one process
        return 1


def compute_on_root(compute):
    """``compute()`` on rank 0, broadcast to every rank (an exception too); a plain call on one rank."""
    if _n_ranks() == 1:
        return compute()
    result, error = None, None
    if rank() == 0:
        try:
            result = compute()
        except Exception as err:  # re-raised on every rank below
            error = err
        if error is not None:
            try:
                pickle.dumps(error)
            except Exception:  # an exception that cannot travel: its text does (else the others would wait)
                error = RuntimeError(f"{type(error).__name__} on rank 0: {error}")
    result, error = bcast((result, error))
    if error is not None:
        raise error
    return result


def on_every_rank(compute):
    """``compute()`` on every rank; returns this rank's result once every rank has succeeded.

    Raises
    ------
    Exception
        On a rank whose ``compute`` raised: that exception, after every rank has learnt of it.
    RankFailedError
        On the other ranks, when any rank raised: names the ranks and their errors.
    """
    try:
        result, error = compute(), None
    except Exception as err:  # told to every rank below, then raised
        result, error = None, err
    if _n_ranks() == 1:
        if error is not None:
            raise error
        return result
    errors = _world().allgather(None if error is None else f"{type(error).__name__}: {error}")
    failed = {r: message for r, message in enumerate(errors) if message is not None}
    if error is not None:
        raise error
    if failed:
        raise RankFailedError(
            "; ".join(f"rank {r} of {len(errors)} failed: {message}" for r, message in failed.items())
        )
    return result
