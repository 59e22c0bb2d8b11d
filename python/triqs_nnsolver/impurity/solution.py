"""The protocol every impurity solver implements, and what a solve returns.

An impurity solver solves the spin-degenerate single-impurity Anderson model of ``METHOD.md`` section 1 at
T = 0: ``solve(w, rho_Delta, U, eps_d) -> ImpuritySolution``, with the bath given by its density
``rho_Delta(w) = -Im Delta(w) / pi`` on increasing real frequencies ``w`` (zero outside them) and the answer
``A(w) = -Im G(w) / pi`` on the same ``w``. Energies are in the caller's unit, measured from the Fermi level.
The TRIQS-style ``Solver`` and the DMFT loops call this and nothing below it, so an exact solver stands in for
the network wherever exact answers exist (:mod:`.free`, :mod:`.neural`, :mod:`.lanczos`, :mod:`.mps`).

Layer: ``impurity``; numpy only.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field

import numpy as np

from ..checks import hybridization_density, real_number

__all__ = [
    "DomainWarning",
    "OutsideTrainingDomainError",
    "ImpuritySolution",
    "ImpuritySolver",
    "check_problem",
]


class DomainWarning(UserWarning):
    """An input lies outside the training domain of the model: the answer is an extrapolation."""


class OutsideTrainingDomainError(ValueError):
    """Raised instead of :class:`DomainWarning` when the solver is strict."""


@dataclass(frozen=True)
class ImpuritySolution:
    """One impurity solve on the caller's frequencies (caller's energy unit).

    Attributes
    ----------
    w : ndarray, shape (n_w,)
        Frequencies of the answer (those given to ``solve``).
    A : ndarray, shape (n_w,)
        ``A(w) >= 0`` (1/energy), per spin.
    resolution : float or None
        The frequency resolution of ``A`` (energy unit): 0 for an exact answer, the Gaussian deviation of the
        training targets for the network (scaled to the caller's unit), None where it is not known.
    scale : float
        Caller's energy units per model unit (1 for a solver without a model unit).
    domain_violations : tuple of str
        Inputs outside the model's training domain (empty: inside, or no model).
    diagnostics : dict
        Solver-specific numbers of the solve (e.g. a norm, a truncation error); empty where there are none.
    uncertainty : ndarray, shape (n_w,), or None
        An estimate of the error of ``A`` (1/energy), for solvers that have one (an ensemble's spread).
    domain_distance : float or None
        How far the problem lies outside the model's training domain (U and eps_d in model units): the largest
        excess in units of the range's width, 0 inside (``TrainingDomain.distance``); None without a model.
    """

    w: np.ndarray
    A: np.ndarray
    resolution: float | None = None
    scale: float = 1.0
    domain_violations: tuple[str, ...] = ()
    diagnostics: dict = field(default_factory=dict)
    uncertainty: np.ndarray | None = None
    domain_distance: float | None = None


class ImpuritySolver(abc.ABC):
    """What every impurity solver implements: :meth:`solve` and :meth:`describe` (module docstring)."""

    @abc.abstractmethod
    def solve(self, w, rho_Delta, U, eps_d) -> ImpuritySolution:
        """The solution of the impurity problem on ``w`` (module docstring for conventions and units)."""

    @abc.abstractmethod
    def describe(self) -> dict:
        """What solver this is and its settings, for logs and archives (``{'solver': name, ...}``)."""

    def spectral_function(self, w, rho_Delta, U, eps_d) -> np.ndarray:
        """``A(w)`` on ``w``: ``solve(...).A``."""
        return self.solve(w, rho_Delta, U, eps_d).A


def check_problem(w, rho_Delta, U, eps_d) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The arguments of ``solve`` checked: ``checks.hybridization_density``, ``U >= 0`` and a finite ``eps_d``."""
    w, rho = hybridization_density(w, rho_Delta)
    U = real_number("U", U, unit="energy unit, repulsive", minimum=0.0)
    return w, rho, U, real_number("eps_d", eps_d, unit="energy unit")
