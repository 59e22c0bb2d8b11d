"""The TRIQS-style ``Solver``, the drop-in replacement for ``triqs_cthyb.Solver``, on the impurity layer.

- :mod:`.solver`: :class:`Solver`, built from :mod:`.structure` (``gf_struct``), :mod:`.interaction`
  (``h_int``), :mod:`.inputs` (checks at the entry), :mod:`.hybridization` (input path: bath fit),
  :mod:`.compute` (the work of a solve), :mod:`.outputs` (per block, on ``impurity.green_functions``),
  :mod:`.inventory` (its Green's functions), :mod:`.containers` (the TRIQS boundary), :mod:`.parameters`
  (cthyb keywords) and :mod:`.archive` (HDF5).
- The impurity solvers a Solver can use (``Solver(impurity_solver=...)``) are those of
  :mod:`triqs_nnsolver.impurity`, re-exported here: :class:`NeuralImpuritySolver` (the default, the network)
  and :class:`FreeImpuritySolver` (exact at U = 0).

Layer: ``solver`` (above ``impurity``, beside ``dmft``, below ``cli``); the only layer that imports ``triqs``.
"""

from ..impurity import (
    DomainWarning,
    FreeImpuritySolver,
    ImpuritySolution,
    NeuralImpuritySolver,
    OutsideTrainingDomainError,
)
from .archive import read_solver, register_with_triqs, write_solver
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
]
