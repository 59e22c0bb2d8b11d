"""The real-frequency DMFT loop for the one-band Hubbard model at T = 0, on the Bethe lattice or any one-band lattice.

The loop carries the normalized bath ``x`` (``rho_Delta = w_L x``, ``w_L = int rho_Delta`` the lattice's
``hybridization_weight``; on the Bethe lattice ``x`` is the local A and ``w_L = t^2``;
:mod:`~triqs_nnsolver.dmft.lattice`).
One iteration (``METHOD.md`` section 4): the bath ``rho_Delta = w_L x_in``; if a target density is set,
``eps_d`` by root search (:mod:`~triqs_nnsolver.dmft.chemical_potential`); ``A_out`` from the impurity
solver; the lattice's self-consistency step ``x_out = lattice.next_bath(...)`` (Bethe: ``x_out = A_out``; else
Sigma by Dyson, ``G_loc`` by the DOS integral, ``Delta = w + mu - Sigma - 1/G_loc``); the change
``D * max_w |x_out - x_in|`` (Bethe: ``D max|A_out - A_in|``); stop below ``tol``, else mix
(:mod:`~triqs_nnsolver.dmft.mixing`) and clip to ``x >= 0``. The answer is the last ``A_out`` with observables
computed against the bath it was solved in (:mod:`~triqs_nnsolver.dmft.observables`). A loop that reaches
``max_iter`` returns its last iterate flagged ``converged = False``, with a :class:`DMFTNotConvergedWarning`; it
never pretends.

The impurity solver is any solver of the impurity layer, ``solve(w, rho_Delta, U, eps_d) -> ImpuritySolution``
(:class:`triqs_nnsolver.impurity.ImpuritySolver`): the network, or an exact solver for checks.
Every MPI rank runs the same deterministic loop; only rank 0 shows the progress bar.

Layer: ``dmft``.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from .. import mpi
from ..gf import spectral_norm
from .bethe import real_frequency_mesh
from .checkpoint import LoopState, read_loop_state, write_loop_state
from .chemical_potential import find_eps_d
from .config import BetheDMFTConfig
from .lattice import BetheLattice, Lattice, initial_bath
from .mixing import make_mixer
from .observables import DMFTObservables, density_from_spectral, dmft_observables

__all__ = [
    "DMFTNotConvergedWarning",
    "SpectralWeightWarning",
    "DMFTResult",
    "BetheDMFTResult",
    "run_lattice_dmft",
    "run_bethe_dmft",
    "HISTORY_KEYS",
]

logger = logging.getLogger(__name__)

HISTORY_KEYS = ("change", "eps_d", "density", "A0", "norm")  # per-iteration records, in this order
_EPS_D_STEP = 0.25  # first bracket half-width of the eps_d search, units of D
_EPS_D_XTOL = 1e-6  # tolerance on eps_d, units of D: far below the density's sensitivity to the network
_NORM_WARNING = 0.1  # warn when |int A - 1| exceeds this: weight lost off the grid or by the solver
_EPS_D_MARGIN = 5.0  # eps_d is searched in [-U - 5 D, 5 D]: beyond, the impurity of a bath of width ~D is full/empty
_D_RTOL = 1e-9  # config.D and the lattice's half-bandwidth must agree to rounding


class DMFTNotConvergedWarning(UserWarning):
    """The loop stopped at ``max_iter`` with the change still above ``tol``."""


class SpectralWeightWarning(UserWarning):
    """The last A is far from normalized (``|int A - 1| > 0.1``)."""


@dataclass
class DMFTResult:
    """Outcome of :func:`run_lattice_dmft` and :func:`run_bethe_dmft` (energies in the unit of D).

    Attributes
    ----------
    config : BetheDMFTConfig
    w : ndarray, shape (n_w,)
        The real-frequency grid (``real_frequency_mesh(config).points``).
    A : ndarray, shape (n_w,)
        The last answer of the impurity solver (1/energy, per spin).
    A_bath : ndarray, shape (n_w,)
        The normalized bath of the last solve, ``rho_Delta = lattice.hybridization_weight * A_bath`` (on the Bethe
        lattice the spectral function that defined the bath, ``rho_Delta = t^2 A_bath``).
    eps_d : float
        Impurity level of the last iteration (``-U/2`` at half filling), energy.
    converged : bool
        Whether ``D * max |x_out - x_in| < tol`` was reached (Bethe: ``D * max |A - A_bath|``).
    n_iter : int
        Iterations done (impurity solves, not counting those of the eps_d search).
    history : dict of str -> ndarray, shape (n_iter,)
        Per-iteration ``change`` (``D max|x_out - x_in|``), ``eps_d``, ``density``, ``A0``, ``norm``.
    elapsed : float
        Wall time of the loop, seconds.
    solver_info : dict
        ``solver.describe()`` if the solver has it.
    observables : DMFTObservables
        G, Delta, Sigma on the real axis, Z, A(0), density, double occupancy, norm.
    lattice : Lattice, optional
        The lattice of the run; None: the Bethe lattice of half-bandwidth ``config.D`` (see :attr:`lattice_used`).
    baths : ndarray, shape (n_iter, n_w)
        The hybridization density ``rho_Delta`` of every iteration, solved at ``history['eps_d']``: the problems
        the loop visited (:func:`~triqs_nnsolver.dmft.problem_sets.visited_problems`).
    """

    config: BetheDMFTConfig
    w: np.ndarray
    A: np.ndarray
    A_bath: np.ndarray
    eps_d: float
    converged: bool
    n_iter: int
    history: dict
    elapsed: float
    solver_info: dict = field(default_factory=dict)
    observables: DMFTObservables | None = None
    lattice: Lattice | None = None
    baths: np.ndarray | None = None

    @property
    def lattice_used(self) -> Lattice:
        """:attr:`lattice`, or the Bethe lattice of ``config.D`` when it is None."""
        return BetheLattice(self.config.D) if self.lattice is None else self.lattice

    @property
    def mu(self) -> float:
        """Chemical potential ``mu = eps_0 - eps_d`` (energy; ``-eps_d`` for a centred band)."""
        return self.lattice_used.band_center - self.eps_d

    def next_start(self) -> np.ndarray:
        """The normalized bath the last answer implies, ``lattice.next_bath(w, A, A_bath, eps_d)``: the start of a
        run next to this one (a U scan's next point); on the Bethe lattice ``A``."""
        return self.lattice_used.next_bath(self.w, self.A, self.A_bath, self.eps_d)

    @property
    def change(self) -> float:
        """The last ``D max|x_out - x_in|``."""
        return float(self.history["change"][-1])

    def summary(self) -> str:
        """One line: convergence, A(0), Z, density, time."""
        c, o = self.config, self.observables
        status = (
            f"converged in {self.n_iter} iterations"
            if self.converged
            else f"NOT converged after {self.n_iter} iterations"
        )
        lattice = self.lattice_used
        if isinstance(lattice, BetheLattice):
            reference = f"2/(pi D) = {2 / (np.pi * c.D):.4f}"
        else:
            reference = f"{lattice.name} lattice, U = 0 DOS(0) = {float(lattice.density_of_states(0.0)):.4f}"
        return (
            f"U = {c.U:g}, D = {c.D:g}, eps_d = {self.eps_d:.4g}: {status} "
            f"(change {self.change:.2e}, tol {c.tol:.0e}); "
            f"A(0) = {o.A0:.4f} ({reference}), Z = {o.Z:.4f}, n = {o.density:.4f}, "
            f"{self.elapsed:.2f} s"
        )


BetheDMFTResult = DMFTResult  # the name of the Bethe-only driver, kept for callers


def _check_solver(solver) -> None:
    if not callable(getattr(solver, "solve", None)):
        raise TypeError(
            "solver must have a method solve(w, rho_Delta, U, eps_d) -> ImpuritySolution (an impurity.ImpuritySolver, "
            f"e.g. NeuralImpuritySolver, FreeImpuritySolver); got {type(solver).__name__}"
        )


def _check_start(A_start, n_w: int) -> np.ndarray:
    A = np.asarray(A_start)
    if A.shape != (n_w,) or np.iscomplexobj(A) or not np.all(np.isfinite(A)):
        raise ValueError(
            f"A_start must be a finite real array of shape (n_w,) = ({n_w},) on the loop's grid; "
            f"got shape {A.shape}, dtype {A.dtype}"
        )
    A = A.astype(float)
    if A.min() < -1e-8 * A.max() or not A.max() > 0:
        raise ValueError(f"A_start must be >= 0 with positive weight; got min {A.min():.3g}, max {A.max():.3g}")
    return np.clip(A, 0.0, None)


def _solve(solver, w: np.ndarray, rho_Delta: np.ndarray, U: float, eps_d: float):
    """``solver.solve(...)`` with its A checked; returns ``(A, solution)``."""
    solution = solver.solve(w, rho_Delta, U, eps_d)
    A = np.asarray(solution.A)
    if A.shape != w.shape or np.iscomplexobj(A) or not np.all(np.isfinite(A)):
        raise RuntimeError(
            f"{type(solver).__name__}.solve returned an invalid A: expected finite reals of shape "
            f"{w.shape}; got shape {A.shape}, dtype {A.dtype} (U = {U}, eps_d = {eps_d})"
        )
    return A.astype(float), solution


def run_bethe_dmft(
    solver,
    config: BetheDMFTConfig | None = None,
    A_start=None,
    progress: bool = False,
    description: str = "DMFT",
    checkpoint=None,
) -> DMFTResult:
    """Solve the half-filled or doped Hubbard model on the Bethe lattice by real-frequency DMFT at T = 0.

    :func:`run_lattice_dmft` with ``BetheLattice(config.D)``; ``A_start`` is the starting local spectral function
    (default ``initial_spectral_function(w, config)``). Parameters, returns, raises and warnings as there.
    """
    config = BetheDMFTConfig() if config is None else config
    if not isinstance(config, BetheDMFTConfig):
        raise TypeError(f"config must be a BetheDMFTConfig; got {type(config).__name__}")
    return run_lattice_dmft(solver, BetheLattice(config.D), config, A_start, progress, description, checkpoint)


def _check_lattice(lattice, config: BetheDMFTConfig) -> None:
    if not isinstance(lattice, Lattice):
        raise TypeError(
            f"lattice must be a dmft.Lattice (BetheLattice, DOSLattice, dmft.square_lattice(), ...); "
            f"got {type(lattice).__name__}"
        )
    if abs(config.D - lattice.half_bandwidth) > _D_RTOL * lattice.half_bandwidth:
        raise ValueError(
            f"config.D must be the lattice's half-bandwidth, {lattice.half_bandwidth:.10g} (the scale of tol, w_max "
            f"and the eps_d search); got config.D = {config.D:.10g} (use config.replace(D=lattice.half_bandwidth))"
        )


def run_lattice_dmft(
    solver,
    lattice: Lattice,
    config: BetheDMFTConfig | None = None,
    A_start=None,
    progress: bool = False,
    description: str = "DMFT",
    checkpoint=None,
) -> DMFTResult:
    """Solve the half-filled or doped one-band Hubbard model on ``lattice`` by real-frequency DMFT at T = 0.

    Parameters
    ----------
    solver : impurity.ImpuritySolver
        Any object with ``solve(w, rho_Delta, U, eps_d) -> ImpuritySolution``.
        The impurity solver (caller's energy unit, energies from the Fermi level, per spin).
    lattice : Lattice
        :class:`BetheLattice`, a :class:`DOSLattice` (``square_lattice()``, ``cubic_lattice()``,
        ``read_dos_file(path)``), or any :class:`Lattice`.
    config : BetheDMFTConfig, optional
        Physics and numerics; ``config.D`` must be ``lattice.half_bandwidth`` (defaults: U = 2, D = the lattice's,
        ``eps_d = -U/2``, metallic start).
    A_start : array_like, shape (n_w,), optional
        Starting normalized bath on the loop's grid (on the Bethe lattice the local A; e.g. the previous point of a
        U scan, its ``A_bath``); default ``initial_bath(w, lattice, config)``.
    progress : bool
        Show a tqdm bar (on MPI rank 0 only) with the current change.
    description : str
        Label of the progress bar.
    checkpoint : str or os.PathLike, optional
        A file for the loop's state after every iteration (:mod:`.checkpoint`): when it exists, the run continues
        from it (``A_start`` is then not used), so that a killed run, started again with the same arguments,
        ends as an uninterrupted one; it may be given a larger ``max_iter``. Written on MPI rank 0.

    Returns
    -------
    BetheDMFTResult

    Raises
    ------
    TypeError
        If ``solver`` lacks ``solve``, ``lattice`` is not a Lattice or ``config`` is not a BetheDMFTConfig.
    ValueError
        If ``A_start`` has the wrong shape or is not a density, or ``config.D`` is not the lattice's half-bandwidth.
    RuntimeError
        If the solver returns a non-finite or misshaped A.
    DensitySearchError
        If a target density cannot be reached by any eps_d.

    Warns
    -----
    DMFTNotConvergedWarning
        When ``max_iter`` is reached; the result then has ``converged = False``.
    SpectralWeightWarning
        When the last A has ``|int A - 1| > 0.1``.
    """
    if config is None:
        config = BetheDMFTConfig(D=getattr(lattice, "half_bandwidth", 1.0))
    if not isinstance(config, BetheDMFTConfig):
        raise TypeError(f"config must be a BetheDMFTConfig; got {type(config).__name__}")
    _check_lattice(lattice, config)
    _check_solver(solver)
    w = real_frequency_mesh(config).points
    x_in = initial_bath(w, lattice, config) if A_start is None else _check_start(A_start, w.size)
    weight, D, U = lattice.hybridization_weight, config.D, config.U
    mixer = make_mixer(config.mixing, config.anderson_depth)
    eps_d = config.initial_eps_d
    history = {key: [] for key in HISTORY_KEYS}
    baths = []
    describe = getattr(solver, "describe", None)
    solver_id = describe() if callable(describe) else {"solver": type(solver).__name__}
    state = None if checkpoint is None else read_loop_state(checkpoint, config, lattice, solver_id, w, HISTORY_KEYS)
    if state is not None:
        x_in, eps_d, history, baths = state.x_in, state.eps_d, state.history, state.baths
        logger.info("resuming from %s after %d iterations", checkpoint, state.iterations)
    done = 0 if state is None else state.iterations
    show = bool(progress) and mpi.is_master_node()
    started = time.perf_counter()
    converged = False
    with tqdm(total=config.max_iter, initial=done, desc=description, disable=not show, leave=False) as bar:
        for iteration in range(done + 1, config.max_iter + 1):
            rho_Delta = weight * x_in
            solved: dict[float, tuple] = {}

            def solve_at(level: float, rho_Delta=rho_Delta, solved=solved) -> np.ndarray:
                if level not in solved:
                    solved[level] = _solve(solver, w, rho_Delta, U, level)
                return solved[level][0]

            if config.density is not None:
                eps_d, _ = find_eps_d(
                    lambda level: density_from_spectral(w, solve_at(level)),
                    config.density,
                    eps_d,
                    step=_EPS_D_STEP * D,
                    xtol=_EPS_D_XTOL * D,
                    bounds=(-U - _EPS_D_MARGIN * D, _EPS_D_MARGIN * D),
                )
            A_out = solve_at(eps_d)
            baths.append(rho_Delta)
            last_solution = solved[eps_d][1]
            x_out = lattice.next_bath(w, A_out, x_in, eps_d)
            change = D * float(np.max(np.abs(x_out - x_in)))
            for key, value in zip(
                HISTORY_KEYS,
                (change, eps_d, density_from_spectral(w, A_out), np.interp(0.0, w, A_out), spectral_norm(w, A_out)),
                strict=True,
            ):
                history[key].append(float(value))
            bar.update(1)
            bar.set_postfix(change=f"{change:.2e}")
            if change < config.tol:
                converged = True
                if checkpoint is not None and mpi.is_master_node():  # this iteration again: the full result
                    previous = {key: values[:-1] for key, values in history.items()}
                    write_loop_state(
                        checkpoint,
                        LoopState(iteration - 1, x_in, eps_d, previous, baths[:-1]),
                        config,
                        lattice,
                        solver_id,
                        w,
                    )
                break
            next_x = np.clip(mixer.update(x_in, x_out), 0.0, None)
            if checkpoint is not None and mpi.is_master_node():  # what a continued run starts from
                write_loop_state(
                    checkpoint, LoopState(iteration, next_x, eps_d, history, baths), config, lattice, solver_id, w
                )
            if iteration < config.max_iter:
                x_in = next_x
    elapsed = time.perf_counter() - started
    if not converged:
        message = (
            f"DMFT not converged after max_iter = {config.max_iter} iterations at U = {U:g} ({lattice.name} lattice): "
            f"last change D max|x_new - x_old| = {history['change'][-1]:.3g} >= tol = {config.tol:g}"
        )
        warnings.warn(message, DMFTNotConvergedWarning, stacklevel=2)
    norm = history["norm"][-1]
    if abs(norm - 1) > _NORM_WARNING:
        message = (
            f"the solver's A has int A = {norm:.3g} (expected 1) at U = {U:g}, eps_d = {eps_d:.3g}: weight outside "
            f"the grid |w| <= {w[-1]:.3g}, unresolved bound states or an inaccurate solver; observables are unreliable"
        )
        warnings.warn(message, SpectralWeightWarning, stacklevel=2)
    solver_info = solver_id
    # the last solve's resolution of A (energy unit; 0: exact) and diagnostics, as the impurity layer gives them
    solver_info = {**solver_info, "resolution": last_solution.resolution, "diagnostics": last_solution.diagnostics}
    result = DMFTResult(
        config=config,
        w=w,
        A=A_out,
        A_bath=x_in,
        eps_d=float(eps_d),
        converged=converged,
        n_iter=iteration,
        history={key: np.array(values) for key, values in history.items()},
        elapsed=elapsed,
        solver_info=solver_info,
        observables=dmft_observables(w, A_out, x_in, eps_d, U, weight, config.resolved_z_window),
        lattice=lattice,
        baths=np.array(baths),
    )
    logger.info("%s", result.summary())
    return result
