"""Exact-diagonalization training samples: small discrete baths, solved exactly, pushed through the exact tilt.

One sample (the ``ed`` backend of the data generator, issues 4 and 5), drawn from its own random stream:

1. a hybridization density from a family of :mod:`.families` (a family chosen uniformly), U uniform in
   ``U_range`` and ``eps_d = -U/2 + x`` with x uniform in ``eps_d_range`` (``eps_d_reference =
   'half_filling'``, the default: x = 0 is half filling for the particle-hole symmetric families), or
   ``eps_d = x`` (``'fermi_level'``);
2. the density discretized into ``n_bath`` star levels over its support (``bath.discretize_function``:
   ``V_k^2`` the weight of bin k, ``eps_k`` its centre of weight). The default ``n_bath`` is odd: a
   particle-hole symmetric bath then has a level at 0 that hybridizes with the impurity, and impurity
   plus bath have an even number of orbitals, so at half filling no single-particle level sits at the
   Fermi level (an even ``n_bath`` gives a zero mode at U = 0: a degenerate ground state and a pole at
   exactly w = 0, which the tilt cannot take). Bins that fall into a gap carry no weight and are dropped.
   The bin integrals use 256 samples of the density per bin; their trapezoid error (measured over 400
   default samples: median 2e-5, at most 2e-4 of the weight, from the square-root edges of semicircles
   and narrow peaks) is removed by scaling all ``V_k`` by one factor, so that ``sum_k V_k^2 = 1/4`` holds
   exactly (to rounding);
3. the spinful SIAM solved exactly (``reference.solve_siam``), its poles mapped to ``A~_alpha`` and
   ``dA~_alpha/dalpha`` on the grid by ``spectral.tilt`` and ``spectral.dtilt_dalpha`` (exact). With
   ``sigma_w`` set, both are convolved with a normalized Gaussian of standard deviation ``sigma_w`` in
   frequency (a Voigt profile per pole, exact): the quantity the ``mps`` backend's Gaussian time window
   gives, so ``ed`` and ``mps`` samples at one resolution agree. Default: no broadening;
4. the network input, ``rho_Delta`` on the grid, is the density of *the solved discrete bath*, each level
   broadened into a Lorentzian of half-width ``eta_k`` = half the width of its bin, and ``re_Delta`` its
   exact partner: ``Delta(w) = sum_k V_k^2 / (w - eps_k + i eta_k)``. Input and target then describe the
   same bath up to this broadening (the family density before discretization would hand the network
   detail the target never saw); half a bin width smooths the levels into a continuous density without
   moving weight further than the binning already did. The Lorentzian tails outside the grid are
   missing from the stored ``rho_Delta``: ``int rho_Delta`` over the grid falls short of
   ``sum_k V_k^2 = 1/4`` by ``sum_k V_k^2 [1 - (arctan((w_max - eps_k)/eta_k) - arctan((w_min -
   eps_k)/eta_k))/pi]``, about ``(2/pi) eta / w_max`` of the weight. Measured over 400 default samples
   (5 levels, the default 128-point model grid, ``|w| <= 8``): median 3 percent, from 0.2 percent
   (narrow Gaussians) to 9 percent (metallic shapes, whose support of width up to 12 gives eta up to 1.2);
5. ``A_real``: a real-axis stand-in for the evaluation report (a discrete bath has no smooth real-axis A), by
   the rule ``real_axis_rule`` of :mod:`.real_axis`: ``'lorentzian'`` (default) the exact poles broadened into
   Lorentzians of half-width ``real_axis_width``; ``'self_energy'`` the discrete self-energy, broadened by
   ``real_axis_width + real_axis_slope |w|``, in the Dyson equation of the input hybridization of step 4
   (exact at U = 0 for the input, the input's Friedel value at particle-hole symmetry; ``doc/targets.md``).

Sample ids and seeds: sample ``index`` of a run with seed ``seed`` has id ``seed * 2**32 + index`` and
draws everything from ``numpy.random.default_rng(sample_seed)``, where ``sample_seed`` (stored as the
``seed`` field) is the first 64-bit word of ``numpy.random.SeedSequence([seed, index])`` shifted right by
one. A sample is a function of (seed, index) alone: a resumed, repeated or sharded run (index ``i`` on
rank ``i % n_ranks``) writes each id once and reproduces it bit for bit.

The Lanczos backend (:mod:`.lanczos_source`) builds its samples with :func:`exact_sample` too, with its own
solver. What is not here: the MPS backend (:mod:`.mps_source`), MPI (the caller passes its shard).
Layer: ``data``; imports ``gf``, ``bath``, ``reference``, ``spectral``.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass
from numbers import Real

import numpy as np

from ..bath import StarBath, bin_edges, discretize_function
from ..model_contract import REFERENCE_HYBRIDIZATION_WEIGHT
from ..reference import MAX_BATH, solve_siam
from ..spectral import dtilt_dalpha, tilt
from .families import FAMILIES, FAMILY_RANGES, FamilyDensity, sample_family
from .problems import ProblemSet, check_problems, settings_with_problems
from .real_axis import DEFAULT_REAL_AXIS_RULE, check_real_axis_rule, real_axis_target
from .sample_loop import write_run
from .schema import POLE_WEIGHT_FLOOR

__all__ = [
    "EDSettings",
    "EDProblem",
    "sample_id",
    "sample_seed",
    "check_problem_settings",
    "check_target_settings",
    "real_axis_settings",
    "draw_problem",
    "exact_sample",
    "stored_poles",
    "ed_pole_slots",
    "ed_sample",
    "generate_ed_samples",
]

_ID_STRIDE = 2**32  # sample ids: seed * _ID_STRIDE + index
_EPS_D_REFERENCES = ("half_filling", "fermi_level")
_SAMPLES_PER_BIN = 256  # density samples per bin in the bin integration (trapezoid rule, see step 2)


def check_problem_settings(settings) -> None:
    """Check the problem-drawing fields shared by the settings of the ED and MPS sources, and normalize them.

    ``families`` (a non-empty subset of :data:`~.families.FAMILIES`, stored as a tuple), ``U_range`` and
    ``eps_d_range`` (finite ``a <= b``, stored as float pairs; U >= 0) and ``eps_d_reference``. ``settings`` is a
    frozen dataclass; the normalized values are set on it in place (from its ``__post_init__``).
    """
    check_problems(getattr(settings, "problems", None))
    unknown = sorted(set(settings.families) - set(FAMILIES))
    if not settings.families or unknown:
        raise ValueError(f"families must be a non-empty subset of {FAMILIES}; got unknown {unknown}")
    object.__setattr__(settings, "families", tuple(settings.families))
    for name in ("U_range", "eps_d_range"):
        low, high = getattr(settings, name)
        if not (np.isfinite(low) and np.isfinite(high) and low <= high):
            raise ValueError(f"{name} must be two finite numbers a <= b; got {name} = {getattr(settings, name)!r}")
        object.__setattr__(settings, name, (float(low), float(high)))
    if settings.U_range[0] < 0:
        raise ValueError(f"U_range must not go below 0 (repulsive U); got U_range = {settings.U_range}")
    if settings.eps_d_reference not in _EPS_D_REFERENCES:
        raise ValueError(f"eps_d_reference must be one of {_EPS_D_REFERENCES}; got {settings.eps_d_reference!r}")


def check_target_settings(settings, *, real_axis_optional: bool = False) -> None:
    """Check the target fields shared by the settings of the exact sources (ED, Lanczos), and normalize them.

    ``real_axis_width`` (> 0, energy unit; or None if ``real_axis_optional``: no ``A_real``), ``real_axis_rule``
    and ``real_axis_slope`` (:func:`.real_axis.check_real_axis_rule`; the ``'self_energy'`` rule needs a
    ``real_axis_width``), ``sigma_w`` (None or a positive number, stored as float), and the binning of ``n_bath``
    bins (``bath.bin_edges``).
    ``settings`` is a frozen dataclass; the normalized values are set on it in place (from its ``__post_init__``).
    """
    if not (real_axis_optional and settings.real_axis_width is None):
        expected = "None or a positive number" if real_axis_optional else "a positive number"
        if isinstance(settings.real_axis_width, bool) or not (
            isinstance(settings.real_axis_width, Real) and 0 < settings.real_axis_width < np.inf
        ):
            raise ValueError(f"real_axis_width must be {expected}; got real_axis_width = {settings.real_axis_width!r}")
    rule, slope = check_real_axis_rule(settings.real_axis_rule, settings.real_axis_slope)
    if rule != DEFAULT_REAL_AXIS_RULE and settings.real_axis_width is None:
        raise ValueError(f"real_axis_rule = {rule!r} needs a real_axis_width (its broadening at w = 0)")
    object.__setattr__(settings, "real_axis_slope", slope)
    if settings.sigma_w is not None:
        if isinstance(settings.sigma_w, bool) or not (
            isinstance(settings.sigma_w, Real) and 0 < settings.sigma_w < np.inf
        ):
            raise ValueError(f"sigma_w must be None or a positive number; got sigma_w = {settings.sigma_w!r}")
        object.__setattr__(settings, "sigma_w", float(settings.sigma_w))
    bin_edges(-1.0, 1.0, settings.n_bath, settings.binning, settings.Lambda)  # raises for an invalid binning


@dataclass(frozen=True)
class EDSettings:
    """Options of the exact-diagonalization source; stored (with the family ranges) in each file's provenance."""

    families: tuple[str, ...] = FAMILIES  # hybridization families drawn from, uniformly (data.families)
    U_range: tuple[float, float] = (0.0, 4.0)  # U uniform in [a, b], model energy unit, a >= 0
    eps_d_range: tuple[float, float] = (-1.0, 1.0)  # x uniform in [a, b]; eps_d = -U/2 + x (or x), energy unit
    eps_d_reference: str = "half_filling"  # 'half_filling': eps_d = -U/2 + x; 'fermi_level': eps_d = x
    n_bath: int = 5  # bins (bath levels at most) per sample, 1 .. reference.MAX_BATH; odd avoids zero modes
    binning: str = "linear"  # bin layout of bath.bin_edges: 'linear' or 'log'
    Lambda: float = 2.0  # edge ratio of the 'log' binning (dimensionless, > 1)
    real_axis_width: float = 0.05  # A_real: Lorentzian half-width, or the self_energy eta0 at w = 0 (energy unit)
    sigma_w: float | None = None  # frequency resolution of A~ and dA~ (Gaussian deviation, energy unit); None: exact
    problems: ProblemSet | None = None  # take the problems from this set (data.problems) instead of drawing them
    real_axis_rule: str = DEFAULT_REAL_AXIS_RULE  # A_real's rule (data.real_axis): 'lorentzian' or 'self_energy'
    real_axis_slope: float | None = None  # 'self_energy': c of the broadening real_axis_width + c |w| (e.g. 0.4)

    def __post_init__(self):
        check_problem_settings(self)
        if isinstance(self.n_bath, bool) or not isinstance(self.n_bath, int) or not 1 <= self.n_bath <= MAX_BATH:
            raise ValueError(
                f"n_bath must be an integer in [1, {MAX_BATH}] (exact diagonalization); got {self.n_bath!r}"
            )
        check_target_settings(self)

    def to_dict(self) -> dict:
        """JSON-ready options, plus the ranges of the chosen families (for the file's provenance).

        ``sigma_w`` appears only when set, and ``real_axis_rule``/``real_axis_slope`` only for a rule other than
        the default, so files written before they existed resume unchanged."""
        values = real_axis_settings({field.name: getattr(self, field.name) for field in dataclasses.fields(self)})
        if self.sigma_w is None:
            values.pop("sigma_w")
        values["families"] = list(self.families)
        values["family_ranges"] = {name: FAMILY_RANGES[name] for name in self.families}
        return {"backend": "ed", **settings_with_problems(values, self.problems)}


def real_axis_settings(values: dict) -> dict:
    """A source's JSON settings without ``real_axis_rule`` and ``real_axis_slope`` when the rule is the default
    (``'lorentzian'``, which has no slope): the provenance of files written before the rule existed."""
    if values["real_axis_rule"] != DEFAULT_REAL_AXIS_RULE:
        return values
    return {key: value for key, value in values.items() if key not in ("real_axis_rule", "real_axis_slope")}


def sample_id(seed: int, index: int) -> int:
    """``seed * 2**32 + index``: the id of sample ``index`` of a run seeded with ``seed`` (both >= 0)."""
    if not (0 <= seed < 2**31 and 0 <= index < _ID_STRIDE):
        raise ValueError(f"need 0 <= seed < 2**31 and 0 <= index < 2**32; got seed = {seed!r}, index = {index!r}")
    return int(seed) * _ID_STRIDE + int(index)


def sample_seed(seed: int, index: int) -> int:
    """Seed of the random stream of sample ``index`` (``default_rng(sample_seed(seed, index))``), in [0, 2**63)."""
    word = np.random.SeedSequence([int(seed), int(index)]).generate_state(1, np.uint64)[0]
    return int(word >> np.uint64(1))


@dataclass(frozen=True, eq=False)
class EDProblem:
    """The impurity problem of one sample, before solving (steps 1, 2 and the broadening of step 4).

    Attributes
    ----------
    density : FamilyDensity
        The drawn hybridization density (model units).
    U, eps_d : float
        Interaction and impurity level (energy unit).
    bath : StarBath
        The discretized bath (levels of non-empty bins, increasing).
    eta : numpy.ndarray, shape (n_levels,)
        Lorentzian half-width of each level in the network input: half the width of its bin (energy unit).
    """

    density: FamilyDensity
    U: float
    eps_d: float
    bath: StarBath
    eta: np.ndarray

    def hybridization(self, grid) -> np.ndarray:
        """``Delta(w) = sum_k V_k^2 / (w - eps_k + i eta_k)`` on real frequencies, complex, shape of grid."""
        w = np.asarray(grid, dtype=np.float64)[..., None]
        return (self.bath.V**2 / (w - self.bath.eps + 1j * self.eta)).sum(axis=-1)

    def sample_fields(self, seed: int, index: int, grid) -> dict:
        """The fields of sample ``index`` of run ``seed`` that the problem fixes, whatever solves it:
        ``sample_id``, ``seed``, ``U``, ``eps_d``, the bath (levels, couplings, input half-widths ``bath_eta``)
        and ``rho_Delta``/``re_Delta`` on ``grid``."""
        Delta = self.hybridization(grid)  # (n_w,)
        return {
            "sample_id": sample_id(seed, index),
            "U": self.U,
            "eps_d": self.eps_d,
            "rho_Delta": -Delta.imag / np.pi,
            "re_Delta": Delta.real,
            "bath_eps": self.bath.eps,
            "bath_V": self.bath.V,
            "bath_eta": self.eta,
            "seed": sample_seed(seed, index),
        }


def draw_problem(seed: int, index: int, settings=None) -> EDProblem:
    """Draw the problem of sample ``index`` of a run seeded with ``seed`` (module docstring, steps 1-2).

    ``settings``: :class:`EDSettings` (default) or the MPS source's ``MPSDataSettings``; both backends draw the
    same problem for the same (seed, index) and the same families, ranges, ``n_bath`` and binning.

    The stream ``default_rng(sample_seed(seed, index))`` is consumed in this order: the family index,
    the family's parameters (:func:`~.families.sample_family`), U, then the eps_d offset. With
    ``settings.problems`` set, the density, U and eps_d are problem ``index`` of that set in the model unit
    (:meth:`.problems.ProblemSet.in_model_unit`) and nothing is drawn; the binning is the same.

    Raises
    ------
    ValueError
        For a seed or index out of range (:func:`sample_id`), or an index beyond the problem set.
    """
    settings = EDSettings() if settings is None else settings
    sample_id(seed, index)
    if getattr(settings, "problems", None) is not None:
        density, U, eps_d = settings.problems.in_model_unit(index)
    else:
        rng = np.random.default_rng(sample_seed(seed, index))
        density = sample_family(settings.families[rng.integers(len(settings.families))], rng)
        U = float(rng.uniform(*settings.U_range))
        offset = float(rng.uniform(*settings.eps_d_range))
        eps_d = offset - U / 2 if settings.eps_d_reference == "half_filling" else offset
    bath = discretize_function(
        density, *density.support, settings.n_bath, settings.binning, settings.Lambda, n_samples=_SAMPLES_PER_BIN
    )
    bath = StarBath(
        bath.eps, bath.V * np.sqrt(REFERENCE_HYBRIDIZATION_WEIGHT / bath.total_weight)
    )  # undo the sampling error
    edges = bin_edges(*density.support, settings.n_bath, settings.binning, settings.Lambda)
    k = np.clip(np.searchsorted(edges, bath.eps, side="right") - 1, 0, settings.n_bath - 1)  # bin of each level
    return EDProblem(density, U, eps_d, bath, 0.5 * np.diff(edges)[k])


def exact_sample(seed: int, index: int, grid, alphas, settings, solve) -> dict:
    """One sample of an exact source, as a dict of the fields of ``data.schema.SAMPLE_FIELDS`` (steps 1-5).

    The problem is :func:`draw_problem`'s, the targets come from the poles of ``solve(problem)``, the input
    ``rho_Delta``/``re_Delta`` from the problem's own levels (:meth:`EDProblem.sample_fields`): the ED and
    Lanczos sources differ only in ``solve``, so their samples of one (seed, index) describe the same problem.

    Parameters
    ----------
    seed, index : int
        Run seed (0 <= seed < 2**31) and sample index (>= 0): they fix the sample (module docstring).
    grid : array_like, shape (n_w,)
        Real frequencies of the stored functions (model energy unit), none exactly 0.
    alphas : array_like, shape (n_alpha,)
        Complex-time angles (radians), each in (0, pi/2).
    settings : EDSettings or LanczosSettings
        The problem-drawing fields, ``real_axis_width`` (None: ``A_real`` a NaN row), ``real_axis_rule``,
        ``real_axis_slope`` and ``sigma_w``.
    solve : callable
        ``solve(problem: EDProblem) -> reference.SiamSolution``, the exact T = 0 solution of the problem.

    Returns
    -------
    dict
        ``sample_id``, ``U``, ``eps_d``, ``rho_Delta``/``re_Delta`` (n_w,), ``bath_eps``/``bath_V``/``bath_eta``
        (n_levels <= n_bath,), ``pole_energy``/``pole_weight`` (:func:`stored_poles`), ``A_tilde``/``dA_tilde_dalpha``
        (n_alpha, n_w), ``A_real`` (n_w,; NaN without ``real_axis_width``), ``wall_time`` (s, solve included),
        ``truncation_error`` (NaN: exact), ``seed`` (the sample's stream seed), ``max_bond_dim`` (-1: exact),
        ``ground_energy`` (E0), ``energy_variance`` (NaN: exact).

    Raises
    ------
    ValueError
        For an invalid seed, index, grid or alpha, or if the solution has a pole at exactly w = 0 (a
        degenerate ground state with a transition at the Fermi level), which the tilt cannot map.
    """
    grid = np.asarray(grid, dtype=np.float64)
    start = time.perf_counter()
    problem = draw_problem(seed, index, settings)
    solution = solve(problem)
    poles = solution.poles
    try:
        A_tilde = np.stack([tilt(poles, grid, alpha, sigma_w=settings.sigma_w) for alpha in alphas])  # (n_alpha, n_w)
        dA_tilde = np.stack([dtilt_dalpha(poles, grid, alpha, sigma_w=settings.sigma_w) for alpha in alphas])
    except ValueError as err:
        raise ValueError(
            f"sample {sample_id(seed, index)} (seed {seed}, index {index}, U = {problem.U}, eps_d = {problem.eps_d}): "
            f"{err}"
        ) from err
    energies, weights = stored_poles(poles)
    return {
        **problem.sample_fields(seed, index, grid),
        "pole_energy": energies,
        "pole_weight": weights,
        "A_tilde": A_tilde,
        "dA_tilde_dalpha": dA_tilde,
        "A_real": (
            np.full(grid.size, np.nan)
            if settings.real_axis_width is None
            else real_axis_target(
                poles,
                problem.bath.eps,
                problem.bath.V,
                problem.eta,
                grid,
                settings.real_axis_width,
                settings.real_axis_rule,
                settings.real_axis_slope,
            )  # fmt: skip
        ),
        "wall_time": time.perf_counter() - start,
        "truncation_error": np.nan,
        "max_bond_dim": -1,
        "ground_energy": solution.E0,
        "energy_variance": np.nan,
    }


def stored_poles(poles) -> tuple[np.ndarray, np.ndarray]:
    """The poles a data file stores of a solution's ``PoleSum``: those of weight above
    ``schema.POLE_WEIGHT_FLOOR``, by increasing energy; (energies, weights), float64."""
    keep = poles.weights > POLE_WEIGHT_FLOOR
    order = np.argsort(poles.energies[keep], kind="stable")
    return poles.energies[keep][order], poles.weights[keep][order]


def ed_pole_slots(n_bath: int) -> int:
    """Pole slots of an ``ed`` file: four times the largest sector of ``n_bath + 1`` orbitals per spin, a bound on
    the poles of one solution (particle and hole branch, each at most one pole per state of its sector, both
    doublet partners averaged)."""
    orbitals = n_bath + 1
    return 4 * math.comb(orbitals, orbitals // 2) ** 2


def ed_sample(seed: int, index: int, grid, alphas, settings: EDSettings | None = None) -> dict:
    """One exact-diagonalization sample (``reference.solve_siam``), as :func:`exact_sample` describes.

    ``settings`` defaults to ``EDSettings()``; the other arguments, the fields and the errors are
    :func:`exact_sample`'s.
    """
    settings = EDSettings() if settings is None else settings
    return exact_sample(
        seed, index, grid, alphas, settings, lambda problem: solve_siam(problem.bath, problem.U, problem.eps_d)
    )


def generate_ed_samples(
    out,
    n_samples: int,
    seed: int,
    grid,
    alphas,
    settings: EDSettings | None = None,
    *,
    shard: tuple[int, int] = (0, 1),
    progress: bool = True,
    **options,
) -> int:
    """Generate samples ``0`` to ``n_samples - 1`` of a run into a data file, resuming where a file stops.

    Parameters
    ----------
    out : str, os.PathLike or DatasetWriter
        The file (created, or reopened to resume; its provenance must match this run) or an open writer
        (its grid and alphas must equal ``grid`` and ``alphas``, its ``n_bath_max`` be >= ``n_bath``).
    n_samples : int
        Sample indices ``0 .. n_samples - 1`` make up the run (>= 0); ids already in the file are skipped.
    seed : int
        Run seed, 0 <= seed < 2**31.
    grid : array_like, shape (n_w,)
        Real frequencies (model energy unit), e.g. ``ModelConfig().grid``.
    alphas : array_like, shape (n_alpha,)
        Complex-time angles (radians), strictly increasing in (0, pi/2).
    settings : EDSettings, optional
        The source's options; alternatively pass them as keywords (``**options``), not both.
    shard : (int, int)
        ``(rank, n_ranks)``: generate only the indices ``i`` with ``i % n_ranks == rank``.
    progress : bool
        Show a tqdm progress bar (rate and ETA).

    Returns
    -------
    int
        Samples written by this call (0 if the file was complete).

    Raises
    ------
    TypeError
        For unknown options or both ``settings`` and options.
    ValueError, DatasetError
        For invalid arguments, or a file that cannot be resumed by this run (``DatasetWriter``).
    """
    if options:
        if settings is not None:
            raise TypeError(f"pass either settings or options, not both; got options {sorted(options)}")
        settings = EDSettings(**options)
    settings = EDSettings() if settings is None else settings
    provenance = {"generator": "ed", "settings": settings.to_dict(), "seed": int(seed)}
    return write_run(
        out, n_samples, seed, grid, alphas, settings.n_bath, provenance,
        lambda index, grid, alphas: ed_sample(seed, index, grid, alphas, settings),
        sample_id, shard=shard, progress=progress, layout={"raw": "poles", "n_poles": ed_pole_slots(settings.n_bath)},
    )  # fmt: skip
