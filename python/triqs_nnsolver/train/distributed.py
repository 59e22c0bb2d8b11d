"""Which process am I, on which device: the torch.distributed set-up of the training loop.

Under ``torchrun`` the environment carries ``RANK``, ``LOCAL_RANK`` and ``WORLD_SIZE``;
:func:`setup_distributed` then initialises the default process group (NCCL when training on CUDA,
gloo otherwise) unless the caller already did, picks this process's device (``cuda:LOCAL_RANK``) and
returns a :class:`DistributedContext` that the loop uses for rank checks, reductions and barriers;
``close()`` destroys the group only if it was created here. Without ``torchrun`` the context is a
single process (rank 0 of 1) and every collective is a no-op, so the single-process path runs no
distributed code at all.

Not supported: data parallelism over MPI. ``mpiexec -n 2`` without torchrun would train two
independent copies that overwrite each other's files, so it is refused when mpi4py has been
initialised with several ranks. Layer: ``train``.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

import torch
import torch.distributed as dist

__all__ = ["DistributedContext", "setup_distributed", "resolve_device"]

logger = logging.getLogger(__name__)


def resolve_device(choice: str, local_rank: int = 0) -> torch.device:
    """The torch device for ``TrainConfig.device`` = 'auto', 'cpu' or 'cuda' (``cuda:local_rank``).

    Raises
    ------
    ValueError
        If ``choice`` is 'cuda' and CUDA is not available, or ``choice`` is not one of the three.
    """
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else "cpu"
    if choice == "cpu":
        return torch.device("cpu")
    if choice == "cuda":
        if not torch.cuda.is_available():
            raise ValueError("device = 'cuda' but torch.cuda.is_available() is False; use device = 'auto' or 'cpu'")
        return torch.device("cuda", local_rank % torch.cuda.device_count())
    raise ValueError(f"device must be 'auto', 'cpu' or 'cuda'; got device = {choice!r}")


@dataclass
class DistributedContext:
    """This process's place in the run: rank, number of processes, device, whether it owns the group."""

    rank: int
    world_size: int
    device: torch.device
    owns_group: bool = False

    @property
    def is_main(self) -> bool:
        """True on rank 0, the process that writes checkpoints, logs epochs and shows the progress bar."""
        return self.rank == 0

    def all_reduce_sum(self, tensor: torch.Tensor) -> torch.Tensor:
        """Sum of ``tensor`` over all processes (a copy; the tensor itself when there is one process)."""
        if self.world_size == 1:
            return tensor
        total = tensor.clone()
        dist.all_reduce(total, op=dist.ReduceOp.SUM)
        return total

    def barrier(self) -> None:
        """Wait for all processes (no-op with one process)."""
        if self.world_size > 1:
            dist.barrier()

    def close(self) -> None:
        """Destroy the process group if :func:`setup_distributed` created it."""
        if self.owns_group and dist.is_initialized():
            dist.destroy_process_group()
            self.owns_group = False


def _refuse_plain_mpi() -> None:
    """NotImplementedError if mpi4py runs with several ranks (mpiexec without torchrun)."""
    mpi = sys.modules.get("mpi4py.MPI")  # only look: importing mpi4py here would initialise MPI
    if mpi is not None and mpi.Is_initialized() and mpi.COMM_WORLD.Get_size() > 1:
        raise NotImplementedError(
            f"training under mpiexec with {mpi.COMM_WORLD.Get_size()} ranks is not supported: every rank would train "
            "its own copy; launch data-parallel training with torchrun --nproc_per_node=N instead"
        )


def setup_distributed(device_choice: str) -> DistributedContext:
    """Join (or start) the torch.distributed run described by the environment; see the module docstring.

    Parameters
    ----------
    device_choice : str
        ``TrainConfig.device``: 'auto', 'cpu' or 'cuda'.

    Raises
    ------
    ValueError
        As :func:`resolve_device`.
    NotImplementedError
        Under mpiexec with several ranks and no process group.
    """
    owns_group = False
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if dist.is_available() and not dist.is_initialized() and world_size > 1:
        on_cuda = resolve_device(device_choice, int(os.environ.get("LOCAL_RANK", "0"))).type == "cuda"
        dist.init_process_group(backend="nccl" if on_cuda else "gloo")
        owns_group = True
    if not (dist.is_available() and dist.is_initialized()):
        _refuse_plain_mpi()
        return DistributedContext(rank=0, world_size=1, device=resolve_device(device_choice))
    rank, world_size = dist.get_rank(), dist.get_world_size()
    local_rank = int(os.environ.get("LOCAL_RANK", str(rank)))
    device = resolve_device(device_choice, local_rank)
    if device.type == "cuda":
        torch.cuda.set_device(device)
    logger.info("process %d of %d on %s", rank, world_size, device)
    return DistributedContext(rank=rank, world_size=world_size, device=device, owns_group=owns_group)
