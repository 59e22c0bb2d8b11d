"""Wall time of one ``Solver.solve()`` on the cthyb Bethe problem, split into fit, inference and post-processing.

The problem is the first iteration of cthyb's single_site_bethe test (D = 1, U = 2.5, mu = U/2 + 0.2,
beta = 80, n_iw = 1025, n_tau = 10001, the default real mesh of 2001 points). Each available runner
(Python TorchScript and the C++ runtime) is timed over a few solves; the table gives the median of the
``solve_report`` timings. Not a test: nothing here asserts on time.

Usage: python bench/bench_solve.py [--model PATH] [--repeats 3] [--n-tau 10001]
(default model: the shipped one; without it pass --model, e.g. an exported model of your own).
"""

import argparse
import statistics
import time
import warnings

from triqs_nnsolver.gf import semicircle_gf_iw
from triqs_nnsolver.h5 import Operator
from triqs_nnsolver.runtime import cpp_runtime_available, default_model_path
from triqs_nnsolver.solver import DomainWarning, Solver

D, U, BETA = 1.0, 2.5, 80.0
MU = U / 2 + 0.2


def bethe_solver(model, backend: str, n_tau: int) -> Solver:
    S = Solver(BETA, [("up", 1), ("down", 1)], n_iw=1025, n_tau=n_tau, model=model, backend=backend, containers="own")
    iw = S.mesh_iw.iw
    for _, g0 in S.G0_iw:
        g0.data[:, 0, 0] = 1 / (iw + MU - (D / 2) ** 2 * semicircle_gf_iw(S.mesh_iw.points, D))
    return S


def time_solves(S: Solver, repeats: int) -> dict:
    up, dn = ("up", 0), ("down", 0)
    h_int = Operator([(U, [(True, dn), (True, up), (False, up), (False, dn)])])
    rows = []
    for _ in range(repeats):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DomainWarning)
            S.solve(h_int=h_int, verbosity=0)
        report = dict(S.solve_report, wall=time.perf_counter() - start)
        rows.append(report)
    keys = ("time_fit", "time_inference", "time_postprocess", "wall")
    return {k: statistics.median(r[k] for r in rows) for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="exported model file (default: the shipped model)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-tau", type=int, default=10001)
    args = parser.parse_args()
    model = args.model
    if model is None:
        try:
            model = default_model_path()
        except FileNotFoundError as err:
            raise SystemExit(f"{err}\npass --model PATH (an exported model)") from err
    backends = ["python"] + (["c++"] if cpp_runtime_available() else [])
    print(f"model {model}; beta = {BETA}, n_iw = 1025, n_tau = {args.n_tau}, n_w = 2001; median of {args.repeats}")
    print(f"{'runner':>8} {'fit s':>8} {'infer s':>8} {'post s':>8} {'solve s':>8}")
    for backend in backends:
        t = time_solves(bethe_solver(model, backend, args.n_tau), args.repeats)
        times = (t["time_fit"], t["time_inference"], t["time_postprocess"], t["wall"])
        print(f"{backend:>8} " + " ".join(f"{x:8.3f}" for x in times))
    if "c++" not in backends:
        print("C++ runtime not built here: Python runner only")


if __name__ == "__main__":
    main()
