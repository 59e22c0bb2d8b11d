"""Wall time to convergence of the real-frequency Bethe DMFT at U = 1, 2, 3 D, and the number of iterations.

Runs ``run_bethe_dmft`` at half filling from a metallic start with the shipped model (or ``--model``),
linear mixing and, for comparison, Anderson acceleration; prints per U: converged or not, iterations,
total seconds, seconds per iteration, A(0) and Z. The time of writing the archive (Matsubara transforms)
is timed once, separately. Without a model it falls back to the exact U = 0 solver and times U = 0 only
(the loop's own cost: Kramers-Kronig and bookkeeping). Not a test: nothing here asserts.

Usage: python bench/bench_dmft.py [--model PATH] [--U 1,2,3] [--n-w 2400] [--threads 1]
"""

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import torch

from triqs_nnsolver.dmft import BetheDMFTConfig, run_bethe_dmft, write_result_archive
from triqs_nnsolver.impurity import FreeImpuritySolver, NeuralImpuritySolver
from triqs_nnsolver.runtime.default_model import default_model_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="exported model file (default: the shipped model)")
    parser.add_argument("--U", default="1,2,3", help="comma-separated U values (units of D)")
    parser.add_argument("--n-w", type=int, default=2400, help="real-frequency points of the loop")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
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

    print(f"{'U/D':>5} {'mixing':>16} {'conv':>5} {'iter':>5} {'total s':>8} {'s/iter':>8} {'A(0)':>7} {'Z':>7}")
    last = None
    for U in U_values:
        for label, depth in (("linear 0.5", 0), ("Anderson 5, 0.5", 5)):
            config = BetheDMFTConfig(U=U, n_w=args.n_w, anderson_depth=depth, max_iter=200)
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


if __name__ == "__main__":
    main()
