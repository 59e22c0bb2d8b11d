"""Impurity solvers with exact answers for the DMFT tests (no network needed).

- ``FreeImpuritySolver`` (package): exact at U = 0.
- :class:`HartreeImpuritySolver`: the Hartree approximation at half filling, ``Sigma = U/2`` exactly, i.e.
  the free impurity at ``eps_d + U/2``. Its Bethe fixed point at half filling is the semicircle for every U,
  with ``Sigma(w) = U/2``, ``Z = 1`` and ``<n_up n_dn> = 1/4``: exact statements for U != 0 paths.
"""

import numpy as np
import pytest

from triqs_nnsolver.solver.impurity import FreeImpuritySolver


class HartreeImpuritySolver:
    """``A = -Im 1/(w - eps_d - U/2 - Delta(w)) / pi``: the half-filled Hartree impurity (exact Sigma = U/2)."""

    def __init__(self):
        self.free = FreeImpuritySolver()
        self.calls = 0

    def spectral_function(self, w, rho_Delta, U, eps_d):
        self.calls += 1
        return self.free.spectral_function(w, rho_Delta, 0.0, eps_d + U / 2)


class BrokenSolver:
    """Returns NaN: the loop must refuse it with a clear error."""

    def spectral_function(self, w, rho_Delta, U, eps_d):
        return np.full(np.shape(w), np.nan)


@pytest.fixture
def hartree_solver():
    return HartreeImpuritySolver()


@pytest.fixture
def free_solver():
    return FreeImpuritySolver()


@pytest.fixture
def broken_solver():
    return BrokenSolver()
