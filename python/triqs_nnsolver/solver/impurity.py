"""Array-level impurity solvers: hybridization density and impurity parameters in, real-axis A(w) out.

Every solver here has one method, ``spectral_function(w, rho_Delta, U, eps_d) -> A``: the spin-degenerate
single-impurity Anderson model of ``METHOD.md`` section 1 at T = 0, with the bath given by its density
``rho_Delta(w) = -Im Delta(w) / pi`` on increasing real frequencies ``w`` (zero outside them), and the
answer ``A(w) = -Im G(w) / pi`` on the same ``w``. Energies are in the caller's unit, measured from the
Fermi level. The TRIQS-style :class:`~triqs_nnsolver.solver.Solver` and the DMFT drivers call this
interface and nothing below it, so an exact solver can stand in for the network wherever exact
answers exist.

- :class:`NeuralImpuritySolver`: the exported network (``runtime``). Its loaded model
  (:meth:`~triqs_nnsolver.runtime.LoadedModel.predict`) takes the problem in the caller's unit, rescales it
  into the model's unit, feeds every input channel the model declares and scales the answer back; the
  solver checks the training domain and evaluates the real axis (alpha = 0, or the first-order formula at
  a small trained alpha).
- :class:`FreeImpuritySolver`: the exact U = 0 answer ``A = -Im 1/(w - eps_d - Delta(w)) / pi``
  (``reference.free_impurity_gf_continuous``), for checks of everything above the impurity solve.

Layer: ``solver``. torch (through ``runtime`` and ``model``) is imported only when a
:class:`NeuralImpuritySolver` is built, so the exact solver and everything above it work without it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import warnings
from dataclasses import dataclass

import numpy as np

from ..gf import spectral_norm
from ..reference import free_impurity_gf_continuous

__all__ = [
    "DomainWarning",
    "OutsideTrainingDomainError",
    "ImpuritySolution",
    "NeuralImpuritySolver",
    "FreeImpuritySolver",
    "check_hybridization",
]

logger = logging.getLogger(__name__)

_FIRST_ORDER_STEP = 1e-3  # alpha step (rad) of the central difference for dA~/dalpha in the first-order formula
_WEIGHT_OUTSIDE_GRID = 0.01  # fraction of int rho_Delta that may lie outside the model grid before warning


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
        Frequencies of the answer (those given to ``spectral_function``).
    A : ndarray, shape (n_w,)
        ``A(w) >= 0`` (1/energy), per spin.
    scale : float
        Caller's energy units per model unit (1 for the exact solver).
    domain_violations : tuple of str
        Inputs outside the model's training domain (empty: inside).
    """

    w: np.ndarray
    A: np.ndarray
    scale: float = 1.0
    domain_violations: tuple[str, ...] = ()


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


def _real_number(name: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a real number; got {name} = {value!r}") from err
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite; got {name} = {value!r}")
    return number


class NeuralImpuritySolver:
    """The exported network as an impurity solver on the real axis.

    Parameters
    ----------
    model : str, os.PathLike, LoadedModel or None
        An exported model file (``triqs-nnsolver export``), an already loaded one, or None for the model
        shipped with the package (``runtime.default_model_path``).
    backend : {'auto', 'c++', 'python'}
        Runner used to evaluate the TorchScript file (``runtime.load_runner``).
    real_axis : {'direct', 'first_order'}
        'direct': evaluate the network at alpha = 0. 'first_order': ``A = A~_a - a dA~_a/da`` at the smallest
        training alpha ``a`` (``METHOD.md`` section 2), the derivative by a central difference of the network.
    strict : bool
        Raise :class:`OutsideTrainingDomainError` instead of warning when an input (after rescaling) lies
        outside the training domain. Not strict: a :class:`DomainWarning` the first time each input (U, eps_d,
        alpha, hybridization) leaves the domain; every solution lists its violations in ``domain_violations``.
    normalize : bool
        Rescale the answer so that ``int A = 1`` on the caller's grid (off by default: the raw network
        output's norm is a check of its accuracy).
    """

    def __init__(
        self,
        model=None,
        backend: str = "auto",
        real_axis: str = "direct",
        strict: bool = False,
        normalize: bool = False,
    ):
        from ..runtime import LoadedModel, default_model_path, load_model  # torch: imported when a model is used

        if real_axis not in ("direct", "first_order"):
            raise ValueError(f"real_axis must be 'direct' or 'first_order'; got real_axis = {real_axis!r}")
        if isinstance(model, LoadedModel):
            self.model = model
        else:
            path = default_model_path() if model is None else model
            if not isinstance(path, str | os.PathLike):
                raise TypeError(f"model must be a path, a LoadedModel or None; got {type(model).__name__}")
            self.model = load_model(path, backend=backend)
        self.real_axis = real_axis
        self.strict = bool(strict)
        self.normalize = bool(normalize)
        self._warned_inputs: set[str] = set()  # inputs already warned about (once per input per solver)

    @property
    def grid(self) -> np.ndarray:
        """The model's real-frequency grid (model energy unit)."""
        return self.model.grid

    @property
    def training_domain(self):
        return self.model.metadata.training_domain

    def _check_domain(self, outside_fraction: float, U: float, eps_d: float) -> list[str]:
        alpha = 0.0 if self.real_axis == "direct" else self.training_domain.alpha[0]
        violations = self.training_domain.violations(U=U, eps_d=eps_d)
        if self.real_axis == "first_order":
            violations += self.training_domain.violations(alpha=alpha)
        if outside_fraction > _WEIGHT_OUTSIDE_GRID:
            violations.append(
                f"hybridization: {outside_fraction:.1%} of its weight lies outside the model grid "
                f"|w| <= {self.grid.max():.3g} (model units)"
            )
        if violations:
            message = "input outside the model's training domain (model units): " + "; ".join(violations)
            if self.strict:
                raise OutsideTrainingDomainError(message)
            inputs = {violation.split(" ", 1)[0].rstrip(":") for violation in violations}
            if not inputs <= self._warned_inputs:  # a loop (DMFT) warns once per input, not every iteration
                self._warned_inputs |= inputs
                warnings.warn(message + " (warned once per input and solver)", DomainWarning, stacklevel=3)
        return violations

    def solve(self, w, rho_Delta, U, eps_d) -> ImpuritySolution:
        """Solve on the caller's frequencies; see the module docstring for conventions."""
        w, rho = check_hybridization(w, rho_Delta)
        U, eps_d = _real_number("U", U), _real_number("eps_d", eps_d)
        if U < 0:
            raise ValueError(f"U must be >= 0 (repulsive interaction); got U = {U!r}")
        if self.real_axis == "direct":
            prediction = self.model.predict(w, rho, U, eps_d, alpha=0.0)
            A = prediction.A
        else:
            a = self.training_domain.alpha[0]
            h = min(_FIRST_ORDER_STEP, a / 2)
            prediction = self.model.predict(w, rho, U, eps_d, alpha=[a - h, a, a + h])
            A_minus, A_mid, A_plus = prediction.A
            A = np.clip(A_mid - a * (A_plus - A_minus) / (2 * h), 0.0, None)
        inputs = prediction.inputs  # the problem in model units, as the network saw it
        violations = self._check_domain(inputs.weight_outside_grid, inputs.U, inputs.eps_d)
        if self.normalize:
            A = A / spectral_norm(w, A)
        return ImpuritySolution(w=w, A=A, scale=prediction.scale, domain_violations=tuple(violations))

    def spectral_function(self, w, rho_Delta, U, eps_d) -> np.ndarray:
        """``A(w)`` on ``w`` (see :meth:`solve`)."""
        return self.solve(w, rho_Delta, U, eps_d).A

    def describe(self) -> dict:
        """Model file, runner backend and settings, for logs and archives."""
        return {
            "solver": "neural",
            "model": str(self.model.runner.path),
            "runner": self.model.runner.backend,
            "real_axis": self.real_axis,
            "strict": self.strict,
            "normalize": self.normalize,
            "training_domain": dataclasses.asdict(self.training_domain),
            "data_resolution": self.model.metadata.data_resolution,  # sigma_w of the training targets
        }


class FreeImpuritySolver:
    """The exact U = 0 impurity: ``A = -Im 1/(w - eps_d - Delta(w + i0+)) / pi`` by Kramers-Kronig.

    A bound state outside the support of ``rho_Delta`` is a delta peak that no grid resolves: the answer
    is then missing that weight (the ``reference.free_impurity_gf_continuous`` caveat). Raises for U != 0.
    """

    def solve(self, w, rho_Delta, U, eps_d) -> ImpuritySolution:
        w, rho = check_hybridization(w, rho_Delta)
        U, eps_d = _real_number("U", U), _real_number("eps_d", eps_d)
        if U != 0:
            raise ValueError(f"FreeImpuritySolver is exact only at U = 0; got U = {U!r}")
        A = np.clip(-free_impurity_gf_continuous(w, rho, eps_d).imag / np.pi, 0.0, None)
        return ImpuritySolution(w=w, A=A)

    def spectral_function(self, w, rho_Delta, U, eps_d) -> np.ndarray:
        return self.solve(w, rho_Delta, U, eps_d).A

    def describe(self) -> dict:
        return {"solver": "free (exact, U = 0)"}
