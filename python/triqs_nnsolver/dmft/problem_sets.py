"""The impurity problems a DMFT run visited, as a problem set for the data generator (``generate --problems``).

Every iteration of :func:`~triqs_nnsolver.dmft.loop.run_bethe_dmft` solves one impurity problem: the bath
``rho_Delta`` of that iteration (``BetheDMFTResult.baths``), the run's U and the iteration's eps_d
(``history['eps_d']``, from the density search when one is set). :func:`visited_problems` collects them from
one or more results (a U scan, both hysteresis branches) into a :class:`triqs_nnsolver.data.ProblemSet` on the
DMFT grid, in the run's energy unit (D); the generator maps each problem to the model unit by its bath weight
(``data.problems``). A training set drawn from such a set covers exactly the baths DMFT produces.

Layer: ``dmft``; imports ``data``.
"""

from __future__ import annotations

import numpy as np

from ..data.problems import ProblemSet

__all__ = ["visited_problems"]


def visited_problems(results, label: str = "bethe") -> ProblemSet:
    """The problems of every iteration of ``results`` (BetheDMFTResult, or a sequence of them on one grid).

    ``origin`` of each problem: ``"{label} U=<U> start=<start> iteration <k>"``.

    Raises
    ------
    ValueError
        If a result carries no baths, or the results lie on different grids.
    """
    results = [results] if hasattr(results, "baths") else list(results)
    if not results or any(result.baths is None or result.baths.shape[0] == 0 for result in results):
        raise ValueError("visited_problems needs DMFT results that recorded their baths (run_bethe_dmft)")
    w = results[0].w
    if any(result.w.shape != w.shape or not np.array_equal(result.w, w) for result in results):
        raise ValueError("the results lie on different real-frequency grids; collect each grid into its own set")
    rho, U, eps_d, origin = [], [], [], []
    for result in results:
        start = result.config.start
        for k, bath in enumerate(result.baths):
            rho.append(bath)
            U.append(result.config.U)
            eps_d.append(result.history["eps_d"][k])
            origin.append(f"{label} U={result.config.U:g} start={start} iteration {k + 1}")
    return ProblemSet(w, np.array(rho), np.array(U), np.array(eps_d), tuple(origin))
