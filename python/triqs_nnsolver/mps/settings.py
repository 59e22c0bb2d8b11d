"""Numerical settings of an MPS complex-time run, validated in one place.

:class:`MPSSettings` holds everything that controls accuracy and cost of
:func:`~triqs_nnsolver.mps.solver.solve_complex_time`: bond dimension, SVD cutoff, time step, final contour
time, TDVP variant, bath size, scratch directory and threads. Energies in the problem's energy unit, times
(contour parameter t of ``z = t exp(-i alpha)``) in the inverse energy unit (hbar = 1).

What is not here: the physics input (bath, U, eps_d, alpha), which the solver takes as arguments.
Layer: ``mps`` (layer 2); standard library and numpy only.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import dataclass

from ..checks import integer, real_number

__all__ = ["ALGORITHMS", "MPSSettings", "default_scratch_dir"]

ALGORITHMS = ("tdvp2",)
"""``'tdvp2'``: two-site TDVP at every step (bond dimension adapts up to ``chi``). One-site TDVP after a
two-site start was tried and ran more than 5 times slower on a 9-site chain; it is not offered."""


_EXECUTION_FIELDS = ("scratch_dir", "n_threads", "stack_mem_mib")


def default_scratch_dir() -> str:
    """``/dev/shm`` where it exists (tmpfs: block2 writes every MPS to disk), else the system temp dir."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()


@dataclass(frozen=True)
class MPSSettings:
    """Options of one complex-time MPS run (block2 DMRG + TDVP); stored with every MPS data sample.

    Raises
    ------
    ValueError
        For an out-of-range value; the message names the field, the expectation and the value.
    TypeError
        For an unknown field (from the dataclass constructor).
    """

    chi: int = 64  # largest bond dimension of ground state and evolved states (>= 4)
    svd_cutoff: float = 1e-10  # singular values (squared weights) below this are dropped (dimensionless, >= 0)
    dt: float = 0.2  # step of the contour parameter t (inverse energy unit); doc/mps.md cost study
    t_max: float = 21.6  # last contour time, a multiple of dt (inverse energy unit); the Gaussian window of
    # sigma_w = 0.2 has fallen to 1e-4 there (spectral.gaussian_window_t_max, doc/mps.md)
    algorithm: str = "tdvp2"  # one of ALGORITHMS
    n_bath: int = 29  # bath levels per spin: A~ within 1e-3 of the continuum at alpha <= 0.4 (doc/mps.md)
    initial_substeps: int = 4  # the first time step is split into this many equal TDVP steps (enrichment)
    dmrg_sweeps: int = 24  # most DMRG sweeps per particle-number sector
    dmrg_tol: float = 1e-11  # DMRG stops when the energy changes less than this between sweeps (energy unit)
    check_sectors: bool = True  # also try N -+ 1 around the mean-field guess and keep the lowest energy
    krylov_tol: float = 1e-12  # convergence threshold of block2's Krylov exponential (squared residual)
    scratch_dir: str = dataclasses.field(default_factory=default_scratch_dir)  # parent of the per-run scratch
    n_threads: int = 1  # block2 threads (use MPI ranks for parallel runs)
    stack_mem_mib: int = 1024  # block2 stack memory for renormalized operators (MiB)

    def __post_init__(self):
        converted = {
            "chi": integer("chi", self.chi, minimum=4),
            "svd_cutoff": real_number("svd_cutoff", self.svd_cutoff, minimum=0.0),
            "dt": real_number("dt", self.dt, minimum=0.0, minimum_open=True),
            "t_max": real_number("t_max", self.t_max, minimum=0.0, minimum_open=True),
            "n_bath": integer("n_bath", self.n_bath, minimum=1),
            "initial_substeps": integer("initial_substeps", self.initial_substeps, minimum=1),
            "dmrg_sweeps": integer("dmrg_sweeps", self.dmrg_sweeps, minimum=2),
            "dmrg_tol": real_number("dmrg_tol", self.dmrg_tol, minimum=0.0, minimum_open=True),
            "krylov_tol": real_number("krylov_tol", self.krylov_tol, minimum=0.0, minimum_open=True),
            "n_threads": integer("n_threads", self.n_threads, minimum=1),
            "stack_mem_mib": integer("stack_mem_mib", self.stack_mem_mib, minimum=16),
        }
        for name, value in converted.items():  # plain Python numbers in the frozen dataclass (JSON provenance)
            object.__setattr__(self, name, value)
        dt, t_max = self.dt, self.t_max
        n_steps = round(t_max / dt)
        if n_steps < 3 or abs(n_steps * dt - t_max) > 1e-9 * t_max:
            raise ValueError(
                f"t_max must be a multiple of dt with at least 3 steps; got t_max = {t_max!r}, dt = {dt!r} "
                f"(t_max / dt = {t_max / dt!r})"
            )
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"algorithm must be one of {ALGORITHMS}; got algorithm = {self.algorithm!r}")
        if not isinstance(self.check_sectors, bool):
            raise ValueError(f"check_sectors must be a bool; got check_sectors = {self.check_sectors!r}")
        if not (isinstance(self.scratch_dir, (str, os.PathLike)) and os.path.isdir(self.scratch_dir)):
            raise ValueError(f"scratch_dir must be an existing directory; got scratch_dir = {self.scratch_dir!r}")
        object.__setattr__(self, "scratch_dir", os.fspath(self.scratch_dir))

    @property
    def n_steps(self) -> int:
        """Number of time steps ``t_max / dt``."""
        return round(self.t_max / self.dt)

    def to_dict(self) -> dict:
        """JSON-ready values of the fields that decide the result; ``scratch_dir``, ``n_threads`` and
        ``stack_mem_mib`` say where and how fast it ran, not what it computed, so a run may resume elsewhere."""
        values = dataclasses.asdict(self)
        for name in _EXECUTION_FIELDS:
            values.pop(name)
        return values
