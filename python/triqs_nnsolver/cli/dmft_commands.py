"""The ``bethe``, ``bethe-scan`` and ``lattice`` subcommands of ``triqs-nnsolver``: real-frequency DMFT.

``triqs-nnsolver bethe --U 2.0 [--eps-d X | --density N] [--D 1.0] [--beta 100] [--start metal|insulator]
[--out bethe.h5] [--plot bethe.png]`` runs one DMFT loop with the shipped model (or ``--model PATH``), writes
the TRIQS-layout archive and the PNG, and prints a short summary. ``triqs-nnsolver bethe-scan --U 0:4:0.25
--direction up|down`` runs the U values in order, each from the previous solution (hysteresis), and writes
one archive and a plot of Z(U) and A(0)(U). ``triqs-nnsolver lattice --U 2.0 (--lattice square|cubic [--t T] |
--dos FILE)`` runs one loop on another one-band lattice (:func:`triqs_nnsolver.dmft.run_lattice_dmft`): the square
lattice (default t = 1/4, D = 4t = 1), the simple cubic one (default t = 1/6, D = 6t = 1), or a DOS from a two-column
text file (energy, D(e)); D, the energy scale of the tolerances and the grid, is the lattice's half-bandwidth
(``--n-dos`` sets the DOS grid of the built-in lattices). It writes the same archive as ``bethe`` plus the group
``lattice``. All accept the numerical options of
:class:`triqs_nnsolver.dmft.BetheDMFTConfig` (``--mixing``, ``--anderson``, ``--tol``, ``--max-iter``,
``--n-w``, ``--w-max``, ``--n-iw``), ``--solver lanczos`` (the exact T = 0 solve of an ``--n-bath``-level star bath
discretizing the self-consistent bath at every iteration, Gaussian-broadened by ``--broadening``;
:class:`triqs_nnsolver.impurity.LanczosImpuritySolver`) and ``--solver free`` (the exact U = 0 solver, for checks);
``--solver mps`` (:class:`triqs_nnsolver.impurity.MPSImpuritySolver`: a 29-level star bath by complex-time DMRG +
TDVP, ``--sigma-w``, ``--chi``; minutes per iteration). The archive's ``solver`` group records the solver's settings
(for Lanczos ``n_bath``, ``binning``, ``broadening`` when given) and the ``resolution`` of the last solve (energy
unit).

Exit status: 0 converged; 3 finished but not converged (``bethe``: the run; ``bethe-scan``: any point;
outputs are written and flagged all the same); 1 a run-time error (e.g. no model); 2 bad arguments (the
errors are reported by ``cli.main``).
Under ``mpiexec`` every rank runs the loop, rank 0 prints, plots and writes.
Parsing and calling only (``triqs_nnsolver.dmft``). Layer: ``cli``. Its arguments are added by :func:`add_arguments`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .. import mpi
from ..data.problems import write_problem_set
from ..dmft import (
    LATTICES,
    BetheDMFTConfig,
    named_lattice,
    plot_result,
    plot_scan,
    read_dos_file,
    run_bethe_dmft,
    run_lattice_dmft,
    run_u_scan,
    visited_problems,
    write_result_archive,
    write_scan_archive,
)
from ..dmft.config import STARTS
from ..dmft.dos import DEFAULT_N_E
from ..dmft.scan import DIRECTIONS

__all__ = ["add_arguments", "parse_U_values", "run_bethe", "run_bethe_scan", "run_lattice"]

EXIT_NOT_CONVERGED = 3


def parse_U_values(text: str) -> tuple[float, ...]:
    """``a:b:step`` (both ends included) or a comma-separated list ``1,2,2.5`` -> tuple of U values."""
    try:
        if ":" in text:
            start, stop, step = (float(part) for part in text.split(":"))
            if not step > 0 or stop < start:
                raise ValueError
            count = int(np.floor((stop - start) / step + 1e-9)) + 1  # 1e-9: stop itself is included
            return tuple(float(start + k * step) for k in range(count))
        return tuple(float(part) for part in text.split(","))
    except ValueError as err:
        raise argparse.ArgumentTypeError(
            f"expected U values as start:stop:step (step > 0, stop >= start) or a comma-separated list; got {text!r}"
        ) from err


def _config(arguments: argparse.Namespace, U: float, D: float | None = None) -> BetheDMFTConfig:
    return BetheDMFTConfig(
        U=U,
        D=arguments.D if D is None else D,
        eps_d=arguments.eps_d,
        density=arguments.density,
        start=arguments.start or "metal",
        mixing=arguments.mixing,
        anderson_depth=arguments.anderson,
        tol=arguments.tol,
        max_iter=arguments.max_iter,
        n_w=arguments.n_w,
        w_max=arguments.w_max,
        beta=arguments.beta,
        n_iw=arguments.n_iw,
    )


def _solver(arguments: argparse.Namespace, U_values):
    from ..impurity import FreeImpuritySolver, LanczosImpuritySolver, MPSImpuritySolver, NeuralImpuritySolver

    mps_only = [f"--{name.replace('_', '-')}" for name in ("sigma_w", "chi") if getattr(arguments, name) is not None]
    if mps_only and arguments.solver != "mps":
        raise ValueError(f"{', '.join(mps_only)} apply to --solver mps only; got them with --solver {arguments.solver}")
    if arguments.broadening is not None and arguments.solver != "lanczos":
        raise ValueError(f"--broadening applies to --solver lanczos only; got it with --solver {arguments.solver}")
    if arguments.solver == "lanczos":
        n_bath = 9 if arguments.n_bath is None else arguments.n_bath
        return LanczosImpuritySolver(n_bath=n_bath, broadening=arguments.broadening)
    if arguments.solver == "mps":
        from ..mps import MPSSettings

        options = {"n_bath": 29 if arguments.n_bath is None else arguments.n_bath}
        if arguments.sigma_w is not None:
            options["sigma_w"] = arguments.sigma_w
        settings = MPSSettings() if arguments.chi is None else MPSSettings(chi=arguments.chi)
        return MPSImpuritySolver(**options, settings=settings)
    if arguments.solver == "free":
        if any(U != 0 for U in U_values):
            raise ValueError(f"--solver free is exact only at U = 0; got --U {', '.join(f'{U:g}' for U in U_values)}")
        return FreeImpuritySolver()
    return NeuralImpuritySolver(
        arguments.model, backend=arguments.backend, real_axis=arguments.real_axis, normalize=arguments.normalize
    )


def _plot_path(arguments: argparse.Namespace) -> Path | None:
    if arguments.no_plot:
        return None
    return Path(arguments.plot) if arguments.plot else Path(arguments.out).with_suffix(".png")


def _write_problems(arguments: argparse.Namespace, results) -> None:
    """With ``--problems-out FILE``: the impurity problems of every iteration, as a problem set (``generate
    --problems FILE``)."""
    if arguments.problems_out is not None:
        problems = visited_problems(results, label=arguments.solver)
        write_problem_set(arguments.problems_out, problems)
        mpi.report(f"wrote {arguments.problems_out}: {len(problems)} visited impurity problems")


def run_bethe(arguments: argparse.Namespace) -> int:
    """The ``bethe`` command: one DMFT loop, archive, plot, summary. Returns the exit status (module docstring)."""
    config = _config(arguments, arguments.U)
    solver = _solver(arguments, [config.U])
    result = run_bethe_dmft(
        solver,
        config,
        progress=not arguments.no_progress,
        description=f"U = {config.U:g}",
        checkpoint=arguments.checkpoint,
    )
    return _write_run(arguments, result)


def _lattice(arguments: argparse.Namespace):
    if arguments.dos is not None:
        if arguments.t is not None:
            raise ValueError(
                f"--t sets the hopping of --lattice {'|'.join(LATTICES)}, not of a --dos file; got --t {arguments.t}"
            )
        try:
            return read_dos_file(arguments.dos)
        except ValueError as err:
            raise ValueError(f"--dos: {err}") from err
        except OSError as err:
            raise OSError(f"--dos: {err}") from err
    return named_lattice(arguments.lattice, arguments.t, arguments.n_dos)


def run_lattice(arguments: argparse.Namespace) -> int:
    """The ``lattice`` command: one DMFT loop on a square, cubic or DOS-file lattice. Returns the exit status."""
    lattice = _lattice(arguments)
    config = _config(arguments, arguments.U, D=lattice.half_bandwidth)
    solver = _solver(arguments, [config.U])
    result = run_lattice_dmft(
        solver,
        lattice,
        config,
        progress=not arguments.no_progress,
        description=f"{lattice.name}, U = {config.U:g}",
        checkpoint=arguments.checkpoint,
    )
    return _write_run(arguments, result)


def _write_run(arguments: argparse.Namespace, result) -> int:
    """Archive, plot and summary of one run (rank 0); the exit status."""
    if mpi.is_master_node():
        _write_problems(arguments, result)
        archive = write_result_archive(arguments.out, result)
        plot = _plot_path(arguments)
        if plot is not None:
            plot_result(result, plot)
        mpi.report(result.summary())
        written = f"wrote {archive} (TRIQS archive: A_w, G_w, Sigma_w, G_iw, Sigma_iw, results, history, lattice)"
        mpi.report(written + (f" and {plot}" if plot is not None else ""))
    return 0 if result.converged else EXIT_NOT_CONVERGED


def run_bethe_scan(arguments: argparse.Namespace) -> int:
    """The ``bethe-scan`` command: U scan, one archive, Z(U) and A(0)(U) plot, a table. Returns the exit status."""
    config = _config(arguments, float(arguments.U[0]))
    solver = _solver(arguments, arguments.U)
    results = run_u_scan(
        solver, arguments.U, config, arguments.direction, start=arguments.start, progress=not arguments.no_progress
    )
    n_failed = sum(not r.converged for r in results)
    if mpi.is_master_node():
        _write_problems(arguments, results)
        archive = write_scan_archive(arguments.out, results, arguments.direction)
        plot = _plot_path(arguments)
        if plot is not None:
            plot_scan(results, plot, arguments.direction)
        mpi.report(f"{'U':>6} {'conv':>5} {'iter':>5} {'A(0)':>8} {'Z':>8} {'n':>7}")
        for r in results:
            o = r.observables
            mpi.report(
                f"{r.config.U:6.3g} {'yes' if r.converged else 'NO':>5} {r.n_iter:5d} "
                f"{o.A0:8.4f} {o.Z:8.4f} {o.density:7.4f}"
            )
        total = sum(r.elapsed for r in results)
        mpi.report(
            f"scan {arguments.direction}: {len(results)} points, {len(results) - n_failed} converged, "
            f"{n_failed} not converged, {total:.1f} s"
        )
        mpi.report(f"wrote {archive}" + (f" and {plot}" if plot is not None else ""))
    return 0 if n_failed == 0 else EXIT_NOT_CONVERGED


def _add_common_options(parser: argparse.ArgumentParser, half_bandwidth: bool = True) -> None:
    defaults = BetheDMFTConfig()
    filling = parser.add_mutually_exclusive_group()
    filling.add_argument("--eps-d", type=float, default=None, help="impurity level = eps_0 - mu (default: -U/2)")
    filling.add_argument("--density", type=float, default=None, help="target density n in (0, 2); mu by root search")
    if half_bandwidth:
        parser.add_argument("--D", type=float, default=defaults.D, help="half-bandwidth (energy unit; default 1)")
    parser.add_argument("--beta", type=float, default=defaults.beta, help="inverse temperature of G_iw, Sigma_iw")
    parser.add_argument("--mixing", type=float, default=defaults.mixing, help="weight of the new A, in (0, 1]")
    parser.add_argument("--anderson", type=int, default=0, metavar="M", help="Anderson depth (0: linear mixing)")
    parser.add_argument("--tol", type=float, default=defaults.tol, help="on D max|A_new - A_old| (default 2e-3)")
    parser.add_argument("--max-iter", type=int, default=defaults.max_iter, help="iterations before giving up")
    parser.add_argument("--n-w", type=int, default=defaults.n_w, help="real frequencies (even; default 2400)")
    parser.add_argument("--w-max", type=float, default=None, help="grid [-w_max, w_max] (default 6 D)")
    parser.add_argument("--n-iw", type=int, default=defaults.n_iw, help="positive Matsubara frequencies")
    parser.add_argument("--model", default=None, metavar="PATH", help="exported model file (default: shipped)")
    parser.add_argument("--backend", choices=("auto", "c++", "python"), default="auto", help="model runner")
    parser.add_argument("--real-axis", choices=("direct", "first_order"), default="direct", help="network readout")
    parser.add_argument(
        "--solver", choices=("neural", "lanczos", "mps", "free"), default="neural", help="free: exact, U = 0 only"
    )
    parser.add_argument(
        "--n-bath", type=int, default=None, help="lanczos, mps: bath levels per spin (lanczos 1-11, default 9; mps 29)"
    )
    parser.add_argument("--sigma-w", type=float, default=None, help="mps: window resolution (default 0.2)")
    parser.add_argument("--chi", type=int, default=None, help="mps: bond dimension (default MPSSettings().chi)")
    parser.add_argument(
        "--broadening", type=float, default=None, help="lanczos: Gaussian width (default half the level spacing)"
    )
    parser.add_argument("--normalize", action="store_true", help="rescale the network's A to int A = 1")
    parser.add_argument("--no-plot", action="store_true", help="write no PNG")
    parser.add_argument(
        "--problems-out",
        default=None,
        metavar="FILE",
        help="write every iteration's impurity problem (generate --problems)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (batch jobs)")


def _add_checkpoint_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--checkpoint",
        default=None,
        metavar="FILE",
        help="the loop's state after every iteration; an existing file is continued (a killed run resumes)",
    )


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``command`` (``bethe``, ``bethe-scan`` or ``lattice``) to its parser (``cli.main``)."""
    if command == "lattice":
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--lattice", choices=LATTICES, default=None, help="built-in lattice (D = 1 by default)")
        source.add_argument("--dos", default=None, metavar="FILE", help="two-column text file: energy, D(e) >= 0")
        parser.add_argument("--t", type=float, default=None, help="hopping (default: square 1/4, cubic 1/6; D = 1)")
        parser.add_argument(
            "--n-dos", type=int, default=DEFAULT_N_E, help=f"DOS grid points of --lattice (even; default {DEFAULT_N_E})"
        )
        parser.add_argument("--U", type=float, required=True, help="Hubbard interaction (energy unit of the DOS)")
        parser.add_argument("--start", choices=STARTS, default=None, help="initial bath (default metal)")
        parser.add_argument("--out", default="lattice.h5", help="archive to write (default lattice.h5)")
        _add_checkpoint_option(parser)
        parser.add_argument("--plot", default=None, help="PNG to write (default: --out with .png)")
        parser.set_defaults(run=run_lattice)
        _add_common_options(parser, half_bandwidth=False)
        return
    if command == "bethe":
        parser.add_argument("--U", type=float, required=True, help="Hubbard interaction (energy unit of D)")
        parser.add_argument("--start", choices=STARTS, default=None, help="initial A (default metal)")
        parser.add_argument("--out", default="bethe.h5", help="archive to write (default bethe.h5)")
        _add_checkpoint_option(parser)
        parser.set_defaults(run=run_bethe)
    else:
        parser.add_argument("--U", type=parse_U_values, required=True, help="start:stop:step or a,b,c")
        parser.add_argument("--direction", choices=DIRECTIONS, default="up", help="increasing or decreasing U")
        parser.add_argument(
            "--start", choices=STARTS, default=None, help="first point's A (default: up metal, down ins.)"
        )
        parser.add_argument("--out", default="bethe_scan.h5", help="archive to write (default bethe_scan.h5)")
        parser.set_defaults(run=run_bethe_scan)
    parser.add_argument("--plot", default=None, help="PNG to write (default: --out with .png)")
    _add_common_options(parser)
