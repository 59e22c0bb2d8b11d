"""Wall time to convergence of two DMFT loops: the real-frequency Bethe DMFT and cthyb's loop around ``Solver``.

``--part real-frequency``: ``run_bethe_dmft`` at U = 1, 2, 3 D at half filling from a metallic start with the
shipped model (or ``--model``), linear mixing and, for comparison, Anderson acceleration; prints per U:
converged or not, iterations, total seconds, seconds per iteration, A(0) and Z. The time of writing the
archive (Matsubara transforms) is timed once, separately. Without a model it falls back to the exact U = 0
solver and times U = 0 only (the loop's own cost: Kramers-Kronig and bookkeeping).

``--part solver``: the loop a TRIQS script runs around ``Solver`` (issue 13's problem: beta = 100, n_iw = 1025,
n_tau = 10001, n_w = 2001, U = 2.5, D = 1, mu = U/2 + 0.2; ``G0 = 1/(iw + mu - t^2 G)``, linear mixing 0.3 of
``G_iw``) until ``max |G_new - G| < 1e-6`` (or 80 iterations), with warm-started fits and with every fit from
scratch; prints iterations, total seconds, median seconds per solve, the fits that were warm, kept unrefined
or cold, and ``G(iw_0)`` and n of the last iteration, so that runs of two versions can be compared (written
for any version of the package since issue 13's first round: keys it lacks are shown as '-').

Both parts by default (``--part both``). Not a test: nothing here asserts.

Usage: python bench/bench_dmft.py [--model PATH] [--U 1,2,3] [--n-w 2400] [--threads 1] [--part both]
"""

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import torch

from triqs_nnsolver.dmft import BetheDMFTConfig, run_bethe_dmft, write_result_archive
from triqs_nnsolver.impurity import FreeImpuritySolver, NeuralImpuritySolver
from triqs_nnsolver.runtime.default_model import default_model_path

SOLVER_TOLERANCE = 1e-6  # max_n |G_new - G_old| (1/energy) of the Solver loop
SOLVER_MAX_ITER = 80


def solver_loop(model, warm_start: bool) -> None:
    """cthyb's Bethe loop around ``Solver`` (module docstring), one line of results."""
    from triqs_nnsolver.gf import semicircle_gf_iw
    from triqs_nnsolver.h5 import Operator
    from triqs_nnsolver.solver import Solver

    D, U = 1.0, 2.5
    mu, t = U / 2 + 0.2, D / 2
    h_int = Operator([(U, [(True, ("down", 0)), (True, ("up", 0)), (False, ("up", 0)), (False, ("down", 0))])])
    S = Solver(100.0, [("up", 1), ("down", 1)], model=model, containers="own", warm_start=warm_start)
    iw = S.mesh_iw.iw
    g = semicircle_gf_iw(S.mesh_iw.points, D)
    times, fits, change = [], {"warm": 0, "kept": 0, "cold": 0}, np.inf
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(SOLVER_MAX_ITER):
            for _, g0 in S.G0_iw:
                g0.data[:, 0, 0] = 1.0 / (iw + mu - t**2 * g)
            start = time.perf_counter()
            S.solve(h_int=h_int, verbosity=0)
            times.append(time.perf_counter() - start)
            fit = S.solve_report["bath_fit"][0]
            kind = "kept" if fit.get("kept") else "warm" if fit.get("warm") else "cold"
            fits[kind] += 1
            new = 0.7 * g + 0.3 * S.G_iw["up"].data[:, 0, 0]
            change, g = np.abs(new - g).max(), new
            if change < SOLVER_TOLERANCE:
                break
    total, n_iter = time.perf_counter() - started, len(times)
    label = "warm" if warm_start else "cold"
    G0 = g[S.n_iw]  # G(iw_0), w_0 = pi / beta
    print(
        f"{label:>5} {'yes' if change < SOLVER_TOLERANCE else 'NO':>5} {n_iter:5d} {total:8.3f} "
        f"{1e3 * statistics.median(times):9.2f} {1e3 * min(times):9.2f} {fits['warm']:5d} {fits['kept']:5d} "
        f"{fits['cold']:5d}  {G0.real:+.9f}{G0.imag:+.9f}j {S.densities['up']:.9f}"
    )


def real_frequency_loops(solver, U_values, n_w: int) -> None:
    """``run_bethe_dmft`` per U with linear and Anderson mixing (module docstring)."""
    print(f"{'U/D':>5} {'mixing':>16} {'conv':>5} {'iter':>5} {'total s':>8} {'s/iter':>8} {'A(0)':>7} {'Z':>7}")
    last = None
    for U in U_values:
        for label, depth in (("linear 0.5", 0), ("Anderson 5, 0.5", 5)):
            config = BetheDMFTConfig(U=U, n_w=n_w, anderson_depth=depth, max_iter=200)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = run_bethe_dmft(solver, config)
            obs = result.observables
            print(
                f"{U:5.2f} {label:>16} {'yes' if result.converged else 'NO':>5} {result.n_iter:5d} "
                f"{result.elapsed:8.3f} {result.elapsed / result.n_iter:8.4f} {obs.A0:7.4f} {obs.Z:7.4f}"
            )
            last = result
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_result_archive(Path(folder) / "bench.h5", last)
        print(f"writing one archive (n_iw = {last.config.n_iw}): {time.perf_counter() - started:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="exported model file (default: the shipped model)")
    parser.add_argument("--U", default="1,2,3", help="comma-separated U values (units of D)")
    parser.add_argument("--n-w", type=int, default=2400, help="real-frequency points of the loop")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--part", default="both", choices=("both", "real-frequency", "solver"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    model = args.model
    if model is None:
        try:
            model = default_model_path()
        except FileNotFoundError as err:
            print(f"no model ({err}); timing the exact U = 0 solver instead")
    if model is None:
        solver, U_values = FreeImpuritySolver(), [0.0]
    else:
        solver, U_values = NeuralImpuritySolver(model), [float(u) for u in args.U.split(",")]
        print(f"model {model}, runner {solver.model.runner.backend}, {args.threads} thread(s)")

    if args.part in ("both", "real-frequency"):
        real_frequency_loops(solver, U_values, args.n_w)
    if args.part in ("both", "solver") and model is not None:
        print("\nSolver loop (beta = 100, n_iw = 1025, n_tau = 10001, n_w = 2001; U = 2.5, mixing 0.3 of G_iw)")
        print(
            f"{'fits':>5} {'conv':>5} {'iter':>5} {'total s':>8} {'ms/solve':>9} {'min':>9} {'warm':>5} {'kept':>5} "
            f"{'cold':>5}  {'G(iw_0)':>25} {'n':>11}"
        )
        for warm_start in (True, False):
            solver_loop(model, warm_start)


if __name__ == "__main__":
    main()
