"""The protocol every impurity solver implements, and what a solve returns.

An impurity solver solves the spin-degenerate single-impurity Anderson model of ``METHOD.md`` section 1 at
T = 0: ``solve(w, rho_Delta, U, eps_d) -> ImpuritySolution``, with the bath given by its density
``rho_Delta(w) = -Im Delta(w) / pi`` on increasing real frequencies ``w`` (zero outside them) and the answer
``A(w) = -Im G(w) / pi`` on the same ``w``. Energies are in the caller's unit, measured from the Fermi level.
The TRIQS-style ``Solver`` and the DMFT loops call this and nothing below it, so an exact solver stands in for
the network wherever exact answers exist (:mod:`.free`, :mod:`.neural`; the exact Lanczos and MPS solvers of
the data issue implement the same class).

Layer: ``impurity``; numpy only.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field

import numpy as np

from ..checks import real_number

__all__ = [
    "DomainWarning",
    "OutsideTrainingDomainError",
    "ImpuritySolution",
    "ImpuritySolver",
    "check_hybridization",
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
    """

    w: np.ndarray
    A: np.ndarray
    resolution: float | None = None
    scale: float = 1.0
    domain_violations: tuple[str, ...] = ()
    diagnostics: dict = field(default_factory=dict)
    uncertainty: np.ndarray | None = None


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


def check_hybridization(w, rho_Delta) -> tuple[np.ndarray, np.ndarray]:
    """``w`` and ``rho_Delta`` as float arrays; raises a ValueError naming the problem otherwise.

    ``w`` must be one-dimensional, finite and strictly increasing; ``rho_Delta`` finite, real, of the same
    shape, non-negative up to rounding (-1e-10 of its maximum) and with positive weight.
    """
    w_arr = np.asarray(w, dtype=float)
    if w_arr.ndim != 1 or w_arr.size < 2 or not np.all(np.isfinite(w_arr)) or not np.all(np.diff(w_arr) > 0):
        raise ValueError(
            f"w must be a strictly increasing, finite 1-d array of >= 2 frequencies; got shape {w_arr.shape}"
        )
    rho = np.asarray(rho_Delta)
    if np.iscomplexobj(rho):
        raise ValueError(f"rho_Delta must be real (-Im Delta / pi); got dtype {rho.dtype}")
    rho = rho.astype(float)
    if rho.shape != w_arr.shape:
        raise ValueError(f"rho_Delta must have the shape of w, {w_arr.shape}; got {rho.shape}")
    if not np.all(np.isfinite(rho)):
        raise ValueError(f"rho_Delta must be finite; got {np.count_nonzero(~np.isfinite(rho))} non-finite values")
    if rho.min() < -1e-10 * max(rho.max(), 0.0) or not rho.max() > 0:
        raise ValueError(
            "rho_Delta must be >= 0 with positive weight (a causal hybridization); "
            f"got min {rho.min():.3g}, max {rho.max():.3g}"
        )
    return w_arr, np.clip(rho, 0.0, None)


def check_problem(w, rho_Delta, U, eps_d) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The arguments of ``solve`` checked: :func:`check_hybridization`, ``U >= 0`` and a finite ``eps_d``."""
    w, rho = check_hybridization(w, rho_Delta)
    U = real_number("U", U, unit="energy unit, repulsive", minimum=0.0)
    return w, rho, U, real_number("eps_d", eps_d, unit="energy unit")
