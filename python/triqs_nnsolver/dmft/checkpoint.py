"""The state of a DMFT loop after each iteration, on disk: a run killed at any moment continues where it stopped.

An expensive impurity solver (MPS: minutes per iteration) makes a DMFT run long enough to be interrupted.
:func:`write_loop_state` stores, after every iteration, what the next iteration starts from: its bath (the
normalized ``x_in``), its ``eps_d``, the history and visited baths so far, and the number of iterations done;
:func:`read_loop_state` gives it back to :func:`~triqs_nnsolver.dmft.loop.run_lattice_dmft`, which then runs
the remaining iterations exactly as an uninterrupted run would (with linear mixing, bit for bit; an Anderson
mixer restarts its history, which changes the path, not the fixed point). A converged run's state holds its last
iteration's input with that iteration not counted, so running the same command again redoes that iteration and
returns the full result.

The file (HDF5, written to a temporary file and moved into place, so a kill leaves the old state or the new one):
attributes ``format = "triqs_nnsolver.dmft_state"``, ``config`` (the run's ``BetheDMFTConfig`` as JSON, without
``max_iter``, which may grow between runs), ``lattice`` (its name and half-bandwidth), ``solver`` (the impurity
solver's ``describe()`` as JSON), ``iterations``, ``eps_d``;
datasets ``w``, ``x_in``, ``baths`` (iterations, n_w) and ``history/<key>``. A state of another run is refused,
naming what differs. Layer: ``dmft``; numpy and h5py.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import h5py
import numpy as np

__all__ = ["STATE_FORMAT", "LoopState", "write_loop_state", "read_loop_state"]

STATE_FORMAT = "triqs_nnsolver.dmft_state"


@dataclass
class LoopState:
    """What the next iteration starts from: ``iterations`` done, its input ``x_in`` (n_w,) and ``eps_d``, the
    ``history`` (key -> list of floats, one per iteration done) and the visited ``baths`` (list of (n_w,))."""

    iterations: int
    x_in: np.ndarray
    eps_d: float
    history: dict
    baths: list


def _identity(config, lattice, solver: dict) -> tuple[str, str, str]:
    values = {key: value for key, value in config.to_dict().items() if key != "max_iter"}
    lattice_id = json.dumps([lattice.name, float(lattice.half_bandwidth)])
    return json.dumps(values, sort_keys=True), lattice_id, json.dumps(solver, sort_keys=True, default=str)


def write_loop_state(path, state: LoopState, config, lattice, solver: dict, w: np.ndarray) -> None:
    """Write ``state`` of the run (``config``, ``lattice``, the solver's ``describe()``, grid ``w``) to ``path``
    atomically."""
    path = os.fspath(path)
    temporary = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.new-{os.getpid()}")
    run, lattice_id, solver_id = _identity(config, lattice, solver)
    try:
        with h5py.File(temporary, "w") as file:
            file.attrs.update({"format": STATE_FORMAT, "config": run, "lattice": lattice_id, "solver": solver_id})
            file.attrs.update({"iterations": np.int64(state.iterations), "eps_d": float(state.eps_d)})
            file["w"], file["x_in"] = w, state.x_in
            file["baths"] = np.array(state.baths).reshape(len(state.baths), w.size)
            for key, values in state.history.items():
                file[f"history/{key}"] = np.asarray(values, dtype=float)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def read_loop_state(path, config, lattice, solver: dict, w: np.ndarray, history_keys) -> LoopState | None:
    """The state stored at ``path`` for this run, or None if there is no file.

    Raises
    ------
    ValueError
        If the file is not a DMFT state, belongs to another run (config other than ``max_iter``, lattice, impurity
        solver or grid; the message names it), or has done ``max_iter`` iterations or more without converging.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        return None
    run, lattice_id, solver_id = _identity(config, lattice, solver)
    with h5py.File(path, "r") as file:
        found = file.attrs.get("format")
        if found != STATE_FORMAT:
            raise ValueError(f"checkpoint {path} is not a DMFT state (format {found!r}, expected {STATE_FORMAT!r})")
        for name, mine in (("config", run), ("lattice", lattice_id), ("solver", solver_id)):
            theirs = file.attrs[name]
            if theirs != mine:
                raise ValueError(
                    f"checkpoint {path} belongs to another run: its {name} is {theirs}, this run's {mine} (use another "
                    "checkpoint file, or remove it to start afresh)"
                )
        if not np.array_equal(file["w"][()], w):
            raise ValueError(f"checkpoint {path} was written on another real-frequency grid")
        state = LoopState(
            iterations=int(file.attrs["iterations"]),
            x_in=file["x_in"][()],
            eps_d=float(file.attrs["eps_d"]),
            history={key: file[f"history/{key}"][()].tolist() for key in history_keys},
            baths=list(file["baths"][()]),
        )
    if state.iterations >= config.max_iter:
        raise ValueError(
            f"checkpoint {path} has done {state.iterations} iterations, as many as max_iter = {config.max_iter}: "
            "raise max_iter to continue"
        )
    return state
