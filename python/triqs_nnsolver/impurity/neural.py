"""The exported network as an impurity solver on the real axis.

:class:`NeuralImpuritySolver` loads a model file (``runtime``; the shipped model by default). Its loaded model
(:meth:`~triqs_nnsolver.runtime.LoadedModel.predict`) takes the problem in the caller's unit, rescales it into
the model's unit, feeds every input channel the model declares and scales the answer back; the solver checks
the training domain and evaluates the real axis (alpha = 0, or the first-order formula ``A = A~_a - a dA~_a/da``
at a small trained alpha, ``METHOD.md`` section 2). The resolution of the answer is that of the training
targets (``data_resolution`` of the model file). For an ensemble model file (``model.ensemble``) every member is
read out (and normalized, if asked) on its own; the answer is the members' mean and the solution's
``uncertainty`` their standard deviation on ``w``.

Layer: ``impurity``. torch (through ``runtime``) is imported only when a :class:`NeuralImpuritySolver` is built,
so the exact solvers and everything above them work without it.
"""

from __future__ import annotations

import dataclasses
import os
import warnings

import numpy as np

from ..gf import spectral_norm
from .solution import DomainWarning, ImpuritySolution, ImpuritySolver, OutsideTrainingDomainError, check_problem

__all__ = ["NeuralImpuritySolver"]

_FIRST_ORDER_STEP = 1e-3  # alpha step (rad) of the central difference for dA~/dalpha in the first-order formula
_WEIGHT_OUTSIDE_GRID = 0.01  # fraction of int rho_Delta that may lie outside the model grid before warning


class NeuralImpuritySolver(ImpuritySolver):
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
        w, rho, U, eps_d = check_problem(w, rho_Delta, U, eps_d)
        if self.real_axis == "direct":
            alpha = 0.0
        else:
            a = self.training_domain.alpha[0]
            h = min(_FIRST_ORDER_STEP, a / 2)
            alpha = [a - h, a, a + h]
        inputs = self.model.prepare(w, rho, U, eps_d, alpha)  # the problem in model units, as the network sees it
        violations = self._check_domain(inputs.weight_outside_grid, inputs.U, inputs.eps_d)  # strict: before running
        prediction = self.model.predict(w, rho, U, eps_d, alpha, inputs=inputs)
        answers = prediction.A[None] if prediction.members is None else prediction.members  # (M, ...)
        if self.real_axis == "direct":
            A = answers
        else:
            A_minus, A_mid, A_plus = answers[:, 0], answers[:, 1], answers[:, 2]
            A = np.clip(A_mid - a * (A_plus - A_minus) / (2 * h), 0.0, None)
        if self.normalize:
            A = A / spectral_norm(w, A.T)[:, None]
        uncertainty = A.std(axis=0) if A.shape[0] > 1 else None  # the ensemble's spread (module docstring)
        A = A.mean(axis=0)
        sigma_w = self.model.metadata.data_resolution  # of the training targets, model units (None: not recorded)
        resolution = None if sigma_w is None else float(sigma_w) * prediction.scale
        return ImpuritySolution(
            w=w,
            A=A,
            resolution=resolution,
            scale=prediction.scale,
            domain_violations=tuple(violations),
            uncertainty=uncertainty,
            domain_distance=self.training_domain.distance(U=inputs.U, eps_d=inputs.eps_d),
        )

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
