"""The exact U = 0 impurity solver, for checks of everything above the impurity solve.

Layer: ``impurity``; numpy and scipy.
"""

from __future__ import annotations

import numpy as np

from ..reference import free_impurity_gf_continuous
from .solution import ImpuritySolution, ImpuritySolver, check_problem

__all__ = ["FreeImpuritySolver"]


class FreeImpuritySolver(ImpuritySolver):
    """The exact U = 0 impurity: ``A = -Im 1/(w - eps_d - Delta(w + i0+)) / pi`` by Kramers-Kronig.

    A bound state outside the support of ``rho_Delta`` is a delta peak that no grid resolves: the answer
    is then missing that weight (the ``reference.free_impurity_gf_continuous`` caveat). Raises for U != 0.
    """

    def solve(self, w, rho_Delta, U, eps_d) -> ImpuritySolution:
        """The exact U = 0 answer on ``w`` (resolution 0: exact up to the mesh; see the class docstring)."""
        w, rho, U, eps_d = check_problem(w, rho_Delta, U, eps_d)
        if U != 0:
            raise ValueError(f"FreeImpuritySolver is exact only at U = 0; got U = {U!r}")
        A = np.clip(-free_impurity_gf_continuous(w, rho, eps_d).imag / np.pi, 0.0, None)
        return ImpuritySolution(w=w, A=A, resolution=0.0)

    def describe(self) -> dict:
        """``{'solver': 'free (exact, U = 0)'}``."""
        return {"solver": "free (exact, U = 0)"}
