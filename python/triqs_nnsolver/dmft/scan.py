"""Scans in U, each point started from the previous solution, so that the Mott hysteresis shows.

At T = 0 the half-filled Bethe lattice has a coexistence region ``U_c1 < U < U_c2`` (about 2.4 D to
2.9-3.0 D, NRG/DMRG) where a metallic and an insulating solution both exist. Which one the loop finds
depends on where it starts: scanning ``up`` from a metal follows the metallic branch up to ``U_c2``,
scanning ``down`` from an insulator follows the insulating branch down to ``U_c1``. :func:`run_u_scan`
does either, with one config for all points (same grid: a solution is a valid start for the next U).

What is not here: scans in other parameters, the first-order transition line (needs energies).
Layer: ``dmft``.
"""

from __future__ import annotations

import numpy as np
from tqdm.auto import tqdm

from .. import mpi
from .config import BetheDMFTConfig
from .lattice import BetheLattice, Lattice
from .loop import DMFTResult, run_lattice_dmft

__all__ = ["DIRECTIONS", "scan_values", "run_u_scan"]

DIRECTIONS = ("up", "down")


def scan_values(U_values, direction: str) -> np.ndarray:
    """The U values sorted for the scan: increasing for 'up', decreasing for 'down' (duplicates removed).

    Raises
    ------
    ValueError
        For an unknown direction, an empty list, or a negative or non-finite U.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}; got direction = {direction!r}")
    values = np.unique(np.asarray(U_values, dtype=float).ravel())
    if values.size == 0:
        raise ValueError("U_values must hold at least one value; got an empty sequence")
    if not np.all(np.isfinite(values)) or values.min() < 0:
        raise ValueError(f"U_values must be finite and >= 0; got {values.tolist()}")
    return values if direction == "up" else values[::-1]


def run_u_scan(
    solver,
    U_values,
    config: BetheDMFTConfig | None = None,
    direction: str = "up",
    start: str | None = None,
    progress: bool = False,
    lattice: Lattice | None = None,
) -> list[DMFTResult]:
    """Run the DMFT loop for each U in scan order, each started from the previous point's answer.

    The start is the previous point's :meth:`DMFTResult.next_start` (on the Bethe lattice its ``A``).

    Parameters
    ----------
    solver : impurity.ImpuritySolver
        Any object with ``solve(w, rho_Delta, U, eps_d) -> ImpuritySolution``.
        The impurity solver.
    U_values : array_like of float
        Interactions (energy, >= 0); sorted by :func:`scan_values`.
    config : BetheDMFTConfig, optional
        Everything but U (its ``U`` is replaced point by point). With neither ``eps_d`` nor ``density`` set,
        every point is at half filling (``eps_d = -U/2``).
    direction : {'up', 'down'}
        Increasing or decreasing U.
    start : {'metal', 'insulator'}, optional
        Start of the first point; default 'metal' going up and 'insulator' going down (the branch each
        direction follows).
    progress : bool
        A tqdm bar over the points (rank 0 only).
    lattice : Lattice, optional
        The lattice (``config.D`` its half-bandwidth); default the Bethe lattice of ``config.D``.

    Returns
    -------
    list of DMFTResult
        In scan order. Points that did not converge are kept, flagged ``converged = False``, and the next
        point starts from them all the same (with a warning from the loop).
    """
    values = scan_values(U_values, direction)
    config = BetheDMFTConfig() if config is None else config
    lattice = BetheLattice(config.D) if lattice is None else lattice
    start = ("metal" if direction == "up" else "insulator") if start is None else start
    results: list[DMFTResult] = []
    show = bool(progress) and mpi.is_master_node()
    A_previous = None
    for U in tqdm(values, desc=f"U scan ({direction})", disable=not show):
        point = config.replace(U=float(U), start=start)
        result = run_lattice_dmft(solver, lattice, point, A_start=A_previous)
        results.append(result)
        A_previous = result.next_start()
    return results
