"""Lanczos training samples: the ED source's problems at 7 to 11 bath levels, solved by Lanczos (issue 16).

The ``lanczos`` backend of the data generator. Sample ``index`` of a run with seed ``seed`` is built exactly
as an ``ed`` sample (:mod:`.synthetic`, steps 1-5, :func:`~.synthetic.exact_sample`): the same problem draw
(family, U, eps_d, ``n_bath`` bins with ``sum_k V_k^2 = 1/4``) from the same stream and with the same id, the
same targets from the poles (the exact tilt, or convolved with a Gaussian of deviation ``sigma_w``) and the
same input. Only the solver differs: :func:`triqs_nnsolver.reference.solve_siam_lanczos` instead of the dense
``solve_siam``, so baths of up to ``MAX_BATH_LANCZOS`` = 11 levels per spin can be solved (dense ED: 6). Its
Krylov runs are converged to ``krylov_tol`` on the ray of the file's smallest alpha, the sharpest target: at
``n_bath <= 6`` a ``lanczos`` and an ``ed`` file of one seed hold the same targets to that tolerance.

``A_real`` (the poles as Lorentzians of half-width ``real_axis_width``, a real-axis stand-in for the evaluation
report) is a NaN row by default. The tilt check does not converge it: the Gauss-quadrature poles of a run
stopped there put ``A_real`` off by up to 1e-2 (of a peak 1.1; measured on 3 default samples against
``krylov_tol = 1e-11``). With ``real_axis_width`` set, the runs are also converged for that Lorentzian A(w)
(``solve_siam_lanczos(check_width=...)``), which costs 2.5 to 5 times as much at 9 levels and needs more than
the 400 Krylov steps ``solve_siam_lanczos`` allows for ``krylov_tol = 1e-8`` (measured: changes up to 6e-6,
with a ``RuntimeWarning``); ``doc/model.md`` gives the numbers. The ``'self_energy'`` rule
(``real_axis_rule``, :mod:`.real_axis`) evaluates the poles off the axis, at ``w + i(eta0 + c |w|)``, and adds no
check: on six 9-11-level baths at U = 2 and 4 (``bench/study_real_axis_targets.py``) its A_real from the default
runs and from runs converged to ``krylov_tol = 1e-11`` with ``check_width = 0.005`` differ by at most 1.1e-10
(c = 0.2), so it costs what a sample without A_real costs.

The network input of a discrete bath is that bath's own density: ``rho_Delta`` and ``re_Delta`` are
``Delta(w) = sum_k V_k^2 / (w - eps_k + i eta_k)`` of the solved levels, each broadened into a Lorentzian of
half-width ``eta_k`` = half the width of its bin (:data:`INPUT_BROADENING`, stated in the provenance), so input
and target always describe the same problem.

Run diagnostics stored per sample: ``ground_energy`` (E0), ``wall_time`` (s, solve included); as for the
dense ED, ``max_bond_dim`` is -1 and ``truncation_error``, ``energy_variance`` are NaN (an exact method); the
largest Krylov change of the sample is logged at DEBUG level.

What is not here: MPI (the caller passes its shard), other solvers. Layer: ``data``; imports ``reference``.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from ..checks import real_number
from ..reference import MAX_BATH_LANCZOS, MAX_KRYLOV, solve_siam_lanczos
from .families import FAMILIES, FAMILY_RANGES
from .problems import ProblemSet, settings_with_problems
from .real_axis import DEFAULT_REAL_AXIS_RULE
from .sample_loop import write_run
from .synthetic import check_problem_settings, check_target_settings, exact_sample, real_axis_settings, sample_id

__all__ = ["LANCZOS_POLE_SLOTS", "INPUT_BROADENING", "LanczosSettings", "lanczos_sample", "generate_lanczos_samples"]

logger = logging.getLogger(__name__)

LANCZOS_POLE_SLOTS = 4 * MAX_KRYLOV
"""Pole slots of a ``lanczos`` file: a Krylov run of at most ``MAX_KRYLOV`` steps has as many poles, per branch
(particle, hole) and per doublet partner."""

INPUT_BROADENING = "half_bin_width"
"""The broadening of the network input ``rho_Delta``: each bath level a Lorentzian of half-width half its bin's
width (:mod:`.synthetic`, step 4); stored as ``settings['input_broadening']`` in a ``lanczos`` file."""


@dataclass(frozen=True)
class LanczosSettings:
    """Options of the Lanczos source; stored (with the family ranges) in each file's provenance."""

    families: tuple[str, ...] = FAMILIES  # hybridization families drawn from, uniformly (data.families)
    U_range: tuple[float, float] = (0.0, 4.0)  # U uniform in [a, b], model energy unit, a >= 0
    eps_d_range: tuple[float, float] = (-1.0, 1.0)  # x uniform in [a, b]; eps_d = -U/2 + x (or x), energy unit
    eps_d_reference: str = "half_filling"  # 'half_filling': eps_d = -U/2 + x; 'fermi_level': eps_d = x
    n_bath: int = 9  # bins (bath levels at most) per sample, 1 .. MAX_BATH_LANCZOS = 11; odd avoids zero modes
    binning: str = "linear"  # bin layout of bath.bin_edges: 'linear' or 'log'
    Lambda: float = 2.0  # edge ratio of the 'log' binning (dimensionless, > 1)
    real_axis_width: float | None = None  # A_real: Lorentzian half-width, or self_energy eta0 (energy unit); None: NaN
    sigma_w: float | None = None  # frequency resolution of A~ and dA~ (Gaussian deviation, energy unit); None: exact
    krylov_tol: float = 1e-8  # Krylov convergence of solve_siam_lanczos (dimensionless, relative to 1/(pi w))
    problems: ProblemSet | None = None  # take the problems from this set (data.problems) instead of drawing them
    real_axis_rule: str = DEFAULT_REAL_AXIS_RULE  # A_real's rule (data.real_axis): 'lorentzian' or 'self_energy'
    real_axis_slope: float | None = None  # 'self_energy': c of the broadening real_axis_width + c |w| (e.g. 0.4)

    def __post_init__(self):
        check_problem_settings(self)
        if (
            isinstance(self.n_bath, bool)
            or not isinstance(self.n_bath, int)
            or not 1 <= self.n_bath <= MAX_BATH_LANCZOS
        ):
            raise ValueError(f"n_bath must be an integer in [1, {MAX_BATH_LANCZOS}] (Lanczos); got {self.n_bath!r}")
        check_target_settings(self, real_axis_optional=True)
        object.__setattr__(
            self, "krylov_tol", real_number("krylov_tol", self.krylov_tol, minimum=0.0, minimum_open=True)
        )

    def to_dict(self) -> dict:
        """JSON-ready options, the input broadening and the ranges of the chosen families (the file's provenance);
        ``real_axis_rule``/``real_axis_slope`` only for a rule other than the default (``real_axis_settings``)."""
        values = real_axis_settings({field.name: getattr(self, field.name) for field in dataclasses.fields(self)})
        values["families"] = list(self.families)
        values["family_ranges"] = {name: FAMILY_RANGES[name] for name in self.families}
        values = settings_with_problems(values, self.problems)
        return {"backend": "lanczos", **values, "input_broadening": INPUT_BROADENING}


def lanczos_sample(seed: int, index: int, grid, alphas, settings: LanczosSettings | None = None) -> dict:
    """One Lanczos sample, as a dict of the fields of ``data.schema.SAMPLE_FIELDS`` (module docstring).

    Parameters
    ----------
    seed, index : int
        Run seed (0 <= seed < 2**31) and sample index (>= 0): they fix the sample.
    grid : array_like, shape (n_w,)
        Real frequencies (model energy unit), none exactly 0.
    alphas : array_like, shape (n_alpha,)
        Complex-time angles (radians), each in (0, pi/2); the smallest is the Krylov check ray (``check_alpha``).
    settings : LanczosSettings, optional
        Defaults to ``LanczosSettings()``.

    Returns
    -------
    dict
        As ``synthetic.exact_sample``: ``ground_energy`` the Lanczos E0, ``max_bond_dim`` -1,
        ``truncation_error`` and ``energy_variance`` NaN, ``A_real`` NaN unless ``real_axis_width`` is set.

    Raises
    ------
    ValueError
        As ``synthetic.exact_sample``, and for an alpha outside (0, pi/2) (``solve_siam_lanczos``).

    Warns
    -----
    RuntimeWarning
        If a Krylov run stops unconverged at ``solve_siam_lanczos``'s step limit.
    """
    settings = LanczosSettings() if settings is None else settings
    check_alpha = min(float(alpha) for alpha in alphas)

    def solve(problem):
        solution = solve_siam_lanczos(
            problem.bath,
            problem.U,
            problem.eps_d,
            krylov_tol=settings.krylov_tol,
            check_alpha=check_alpha,
            check_width=settings.real_axis_width if settings.real_axis_rule == DEFAULT_REAL_AXIS_RULE else None,
        )
        logger.debug(
            "sample %d: E0 = %.12g, Krylov change %.2e",
            sample_id(seed, index),
            solution.E0,
            solution.diagnostics["krylov_change"],
        )
        return solution

    return exact_sample(seed, index, grid, alphas, settings, solve)


def generate_lanczos_samples(
    out,
    n_samples: int,
    seed: int,
    grid,
    alphas,
    settings: LanczosSettings | None = None,
    *,
    shard: tuple[int, int] = (0, 1),
    progress: bool = True,
) -> int:
    """Generate Lanczos samples ``0`` to ``n_samples - 1`` into a data file, resuming where a file stops.

    Arguments, return value and errors as ``synthetic.generate_ed_samples`` (without ``**options``), with
    :class:`LanczosSettings` for the settings and provenance ``{"generator": "lanczos", "settings":
    settings.to_dict(), "seed": seed}``. A run killed at any moment and started again with the same command
    continues with the first missing id; a shard ``(rank, n_ranks)`` writes the indices ``i % n_ranks == rank``.
    """
    settings = LanczosSettings() if settings is None else settings
    provenance = {"generator": "lanczos", "settings": settings.to_dict(), "seed": int(seed)}
    return write_run(
        out, n_samples, seed, grid, alphas, settings.n_bath, provenance,
        lambda index, grid, alphas: lanczos_sample(seed, index, grid, alphas, settings),
        sample_id, shard=shard, progress=progress, layout={"raw": "poles", "n_poles": LANCZOS_POLE_SLOTS},
    )  # fmt: skip
