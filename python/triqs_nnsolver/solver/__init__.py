"""Impurity solvers above the runtime: the array-level interface and the TRIQS-style ``Solver``.

- :mod:`.impurity`: ``spectral_function(w, rho_Delta, U, eps_d) -> A(w)`` by the network
  (:class:`NeuralImpuritySolver`) or exactly at U = 0 (:class:`FreeImpuritySolver`).

Layer: ``solver`` (above ``runtime``, below ``dmft`` and ``cli``).
"""

from .impurity import (
    DomainWarning,
    FreeImpuritySolver,
    ImpuritySolution,
    NeuralImpuritySolver,
    OutsideTrainingDomainError,
    check_hybridization,
)

__all__ = [
    "DomainWarning",
    "OutsideTrainingDomainError",
    "ImpuritySolution",
    "NeuralImpuritySolver",
    "FreeImpuritySolver",
    "check_hybridization",
]
