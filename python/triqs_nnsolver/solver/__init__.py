"""Impurity solvers above the runtime: the array-level interface and the TRIQS-style ``Solver``.

- :mod:`.impurity`: ``spectral_function(w, rho_Delta, U, eps_d) -> A(w)`` by the network
  (:class:`NeuralImpuritySolver`) or exactly at U = 0 (:class:`FreeImpuritySolver`).
- :mod:`.solver`: :class:`Solver`, the drop-in replacement for ``triqs_cthyb.Solver``, built from
  :mod:`.structure` (``gf_struct``), :mod:`.interaction` (``h_int``), :mod:`.hybridization` (input path),
  :mod:`.outputs` (output path), :mod:`.containers` (the TRIQS boundary), :mod:`.parameters` (cthyb
  keywords) and :mod:`.archive` (HDF5).

Layer: ``solver`` (above ``runtime``, below ``dmft`` and ``cli``); the only layer that imports ``triqs``.
"""

from .archive import read_solver, register_with_triqs, write_solver
from .impurity import (
    DomainWarning,
    FreeImpuritySolver,
    ImpuritySolution,
    NeuralImpuritySolver,
    OutsideTrainingDomainError,
    check_hybridization,
)
from .solver import SOLVER_FORMAT, Solver

register_with_triqs()

__all__ = [
    "Solver",
    "SOLVER_FORMAT",
    "read_solver",
    "write_solver",
    "DomainWarning",
    "OutsideTrainingDomainError",
    "ImpuritySolution",
    "NeuralImpuritySolver",
    "FreeImpuritySolver",
    "check_hybridization",
]
