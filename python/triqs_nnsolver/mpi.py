"""MPI helpers in the spirit of ``triqs.utility.mpi``, on mpi4py (COMM_WORLD).

``rank()``, ``size()``, ``is_master_node()``, ``bcast(obj)``, ``barrier()`` and ``report(*args)``
(prints on rank 0 only). mpi4py is imported on first use, so importing the package does not start
MPI. Without ``mpiexec`` a program runs as a single rank of size 1.

Layer: bottom, beside ``gf`` and ``h5``.
"""

from __future__ import annotations

import functools
import sys

__all__ = ["rank", "size", "is_master_node", "bcast", "barrier", "report"]


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
