"""MPS training samples: discretized hybridization families solved by complex-time DMRG + TDVP (block2).

The ``mps`` backend of the data generator (issue 4). Sample ``index`` of a run with seed ``seed`` draws its
problem exactly as the ``ed`` backend (:mod:`.synthetic`, steps 1-2 and 4: family, U, eps_d, bin
discretization into ``n_bath`` star levels with ``sum_k V_k^2 = 1/4``, Lorentzian-broadened ``rho_Delta`` and
``re_Delta`` of the solved levels), from the same per-sample stream ``default_rng(sample_seed(seed, index))``,
and with the same ids, so ``ed`` and ``mps`` files of one seed hold the same problems wherever both can
solve them. Then:

3. the star is mapped to its Lanczos chain and solved by :func:`triqs_nnsolver.mps.solve_complex_time` for all
   alphas of the file at once (one ground state); ``A~_alpha`` and ``dA~_alpha/dalpha`` on the grid come from
   the Filon transform of ``spectral.window`` with the window of :class:`MPSDataSettings`: by default the
   Gaussian ``exp(-(sigma_w t)^2 / 2)``, ``sigma_w = 0.2``, so a sample is the tilted spectrum convolved with a
   normalized Gaussian of standard deviation ``sigma_w`` in frequency, the same quantity as an ``ed`` sample
   with ``EDSettings(sigma_w=...)`` (``doc/mps.md``: a finite bath's low-energy poles decay too slowly
   for an unwindowed transform at small alpha);
4. the raw series ``G>``, ``G<`` and their alpha-derivatives, shape (n_alpha, n_t) at the times
   :func:`series_times`, are stored with the sample (schema 3, ``raw = 'series'``), so its targets can be
   recomputed at another resolution or by another continuation (:mod:`.retarget`);
5. ``A_real`` is a NaN row (an MPS run has no real-axis reference); the run diagnostics are stored with the
   sample: ``truncation_error`` (the largest discarded weight), ``max_bond_dim``, ``ground_energy`` (E0) and
   ``energy_variance`` (``<0|(H - E0)^2|0>``), and the whole ``RunReport`` is logged at INFO level.

Settings, seed and ids are stored as for :mod:`.synthetic` (``provenance`` of the file, ``seed`` per sample).
Resuming, sharding and atomic sample writes are :class:`.store.DatasetWriter`'s; ids, seeds and the problem
draw reuse :mod:`.synthetic` (``sample_id``, ``sample_seed``, ``EDProblem``, the same family and binning code).

What is not here: MPI (the caller passes its shard). Layer: ``data``; imports ``bath``, ``spectral``, ``mps``.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from numbers import Real

import numpy as np

from ..bath import bin_edges
from ..mps import MPSSettings, solve_complex_time
from ..spectral import gaussian_window_t_max
from ..spectral.window import WINDOW_FLOOR
from .families import FAMILIES, FAMILY_RANGES
from .problems import ProblemSet, settings_with_problems
from .sample_loop import write_run
from .synthetic import check_problem_settings, draw_problem, sample_id

__all__ = ["MPSDataSettings", "mps_sample", "generate_mps_samples", "series_times"]

logger = logging.getLogger(__name__)

_SAMPLES_PER_BIN = 256  # density samples per bin in the bin integration (as synthetic.py)
_WINDOWS = ("none", "tukey", "gaussian")


@dataclass(frozen=True)
class MPSDataSettings:
    """Options of the MPS source; stored with the MPS settings in each file's provenance."""

    families: tuple[str, ...] = FAMILIES  # hybridization families drawn from, uniformly (data.families)
    U_range: tuple[float, float] = (0.0, 4.0)  # U uniform in [a, b], model energy unit, a >= 0
    eps_d_range: tuple[float, float] = (-1.0, 1.0)  # x uniform in [a, b]; eps_d = -U/2 + x (or x), energy unit
    eps_d_reference: str = "half_filling"  # 'half_filling': eps_d = -U/2 + x; 'fermi_level': eps_d = x
    binning: str = "linear"  # bin layout of bath.bin_edges: 'linear' or 'log'
    Lambda: float = 2.0  # edge ratio of the 'log' binning (dimensionless, > 1)
    window: str = "gaussian"  # time window of the Fourier step (spectral.time_window)
    sigma_w: float | None = 0.2  # 'gaussian': frequency resolution (energy unit); None for the other windows
    mps: MPSSettings = dataclasses.field(default_factory=MPSSettings)  # bond dimension, dt, t_max, n_bath, ...
    problems: ProblemSet | None = None  # take the problems from this set (data.problems) instead of drawing them

    def __post_init__(self):
        check_problem_settings(self)
        if self.window not in _WINDOWS:
            raise ValueError(f"window must be one of {_WINDOWS}; got window = {self.window!r}")
        if not isinstance(self.mps, MPSSettings):
            raise TypeError(f"mps must be an MPSSettings; got {type(self.mps).__name__}")
        if self.window != "gaussian":
            if self.sigma_w is not None:
                raise ValueError(
                    f"sigma_w is used by window = 'gaussian' only (pass sigma_w=None); got sigma_w = {self.sigma_w!r} "
                    f"with window = {self.window!r}"
                )
        else:
            if isinstance(self.sigma_w, bool) or not (isinstance(self.sigma_w, Real) and 0 < self.sigma_w < np.inf):
                raise ValueError(f"sigma_w must be a positive number with window = 'gaussian'; got {self.sigma_w!r}")
            object.__setattr__(self, "sigma_w", float(self.sigma_w))
            t_min = gaussian_window_t_max(self.sigma_w)
            if self.mps.t_max < t_min * (1 - 1e-9):
                raise ValueError(
                    f"t_max must be >= sqrt(2 ln(1/{WINDOW_FLOOR:g})) / sigma_w = {t_min:.4g} so that the window has "
                    f"decayed to {WINDOW_FLOOR:g}; got t_max = {self.mps.t_max!r} with sigma_w = {self.sigma_w!r} "
                    "(spectral.gaussian_window_t_max)"
                )
        bin_edges(-1.0, 1.0, self.mps.n_bath, self.binning, self.Lambda)  # raises for an invalid binning

    @property
    def n_bath(self) -> int:
        """Bins (bath levels at most) per sample: ``mps.n_bath``."""
        return self.mps.n_bath

    def to_dict(self) -> dict:
        """JSON-ready options with the family ranges and the MPS settings (the file's provenance)."""
        values = {field.name: getattr(self, field.name) for field in dataclasses.fields(self) if field.name != "mps"}
        values["families"] = list(self.families)
        values["family_ranges"] = {name: FAMILY_RANGES[name] for name in self.families}
        return {"backend": "mps", **settings_with_problems(values, self.problems), "mps": self.mps.to_dict()}


def mps_sample(seed: int, index: int, grid, alphas, settings: MPSDataSettings | None = None) -> dict:
    """One MPS sample, as a dict of the fields of ``data.schema.SAMPLE_FIELDS`` (module docstring).

    Parameters
    ----------
    seed, index : int
        Run seed (0 <= seed < 2**31) and sample index (>= 0).
    grid : array_like, shape (n_w,)
        Real frequencies (model energy unit), none exactly 0.
    alphas : array_like, shape (n_alpha,)
        Complex-time angles (radians) in (0, pi/2).
    settings : MPSDataSettings, optional

    Returns
    -------
    dict
        As ``synthetic.ed_sample`` but with the complex-time series (n_alpha, n_t) of the run at the times
        :func:`series_times` instead of poles; ``A_real`` is NaN, ``truncation_error`` the largest discarded weight,
        ``max_bond_dim``, ``ground_energy`` and ``energy_variance`` those of the run (``mps.RunReport``).
    """
    settings = MPSDataSettings() if settings is None else settings
    grid = np.asarray(grid, dtype=np.float64)
    start = time.perf_counter()
    problem = draw_problem(seed, index, settings)
    result = solve_complex_time(problem.bath, problem.U, problem.eps_d, alphas, settings.mps)
    window = {"sigma_w": settings.sigma_w} if settings.window == "gaussian" else {}
    A_tilde = result.A_tilde(grid, settings.window, **window).T  # (n_alpha, n_w)
    dA_tilde = result.dA_tilde_dalpha(grid, settings.window, **window).T
    logger.info("sample %d: %s", sample_id(seed, index), result.report)
    return {
        **problem.sample_fields(seed, index, grid),
        "G_greater": result.G_greater.T,
        "G_lesser": result.G_lesser.T,
        "dG_greater_dalpha": result.dG_greater_dalpha.T,
        "dG_lesser_dalpha": result.dG_lesser_dalpha.T,
        "A_tilde": A_tilde,
        "dA_tilde_dalpha": dA_tilde,
        "A_real": np.full(grid.size, np.nan),
        "wall_time": time.perf_counter() - start,
        "truncation_error": result.report.discarded_weight,
        "max_bond_dim": result.report.max_bond_dim,
        "ground_energy": result.report.E0,
        "energy_variance": result.report.E0_variance,
    }


def generate_mps_samples(
    out,
    n_samples: int,
    seed: int,
    grid,
    alphas,
    settings: MPSDataSettings | None = None,
    *,
    shard: tuple[int, int] = (0, 1),
    progress: bool = True,
) -> int:
    """Generate MPS samples ``0`` to ``n_samples - 1`` into a data file, resuming where a file stops.

    Arguments, return value and errors as ``synthetic.generate_ed_samples`` (without ``**options``), with
    :class:`MPSDataSettings` for the settings. Each sample is appended atomically by ``DatasetWriter``: a run
    killed at any moment and started again with the same command continues with the first missing id.
    """
    settings = MPSDataSettings() if settings is None else settings
    provenance = {"generator": "mps", "settings": settings.to_dict(), "seed": int(seed)}
    return write_run(
        out, n_samples, seed, grid, alphas, settings.n_bath, provenance,
        lambda index, grid, alphas: mps_sample(seed, index, grid, alphas, settings),
        sample_id, shard=shard, progress=progress, layout={"raw": "series", "times": series_times(settings)},
    )  # fmt: skip


def series_times(settings: MPSDataSettings) -> np.ndarray:
    """The contour times ``t_k = k dt``, k = 0 .. n_steps, of the series an MPS file stores (inverse energy unit)."""
    return settings.mps.dt * np.arange(settings.mps.n_steps + 1)
