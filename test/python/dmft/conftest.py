"""Impurity solvers with exact answers for the DMFT tests (no network needed).

- ``FreeImpuritySolver`` (package): exact at U = 0.
- :class:`HartreeImpuritySolver`: the Hartree approximation at half filling, ``Sigma = U/2`` exactly, i.e.
  the free impurity at ``eps_d + U/2``. Its Bethe fixed point at half filling is the semicircle for every U,
  with ``Sigma(w) = U/2``, ``Z = 1`` and ``<n_up n_dn> = 1/4``: exact statements for U != 0 paths.
"""

import numpy as np
import pytest

from triqs_nnsolver.impurity import FreeImpuritySolver, ImpuritySolution, ImpuritySolver


class HartreeImpuritySolver(ImpuritySolver):
    """``A = -Im 1/(w - eps_d - U/2 - Delta(w)) / pi``: the half-filled Hartree impurity (exact Sigma = U/2)."""

    def __init__(self):
        self.free = FreeImpuritySolver()
        self.calls = 0

    def solve(self, w, rho_Delta, U, eps_d):
        self.calls += 1
        return self.free.solve(w, rho_Delta, 0.0, eps_d + U / 2)

    def describe(self):
        return {"solver": "Hartree (exact Sigma = U/2 at half filling)"}


class BrokenSolver(ImpuritySolver):
    """Returns NaN: the loop must refuse it with a clear error."""

    def solve(self, w, rho_Delta, U, eps_d):
        return ImpuritySolution(w=np.asarray(w), A=np.full(np.shape(w), np.nan))

    def describe(self):
        return {"solver": "broken"}


@pytest.fixture
def hartree_solver():
    return HartreeImpuritySolver()


@pytest.fixture
def free_solver():
    return FreeImpuritySolver()


@pytest.fixture
def broken_solver():
    return BrokenSolver()
