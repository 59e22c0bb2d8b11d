"""Wall time of one ``Solver.solve()``, stage by stage, and its ratio to one network forward.

Two problems, one thread each (set ``OMP_NUM_THREADS=1``; torch is set to one thread here):

- ``matsubara``: the cthyb-style Bethe problem of issue 13 (D = 1, U = 2.5, mu = U/2 + 0.2, beta = 100,
  n_iw = 1025, n_tau = 10001, the Solver's default real mesh of 2001 points on [-10, 10]), input ``G0_iw``;
- ``real-axis``: the same bath given as ``Delta_w`` (semicircle, D = 1) on a 2001-point [-4, 4] mesh at
  beta = 1000, with ``eps_d``.

Each stage is the package function that ``solve`` calls, run alone on the arrays of the last solve (so the
sum of the stages is close to, not equal to, the solve): the input (Delta from G0, the bath fit, the bath on
the real mesh), the impurity solve and the bare network forward inside it, the real-axis outputs (Kramers-Kronig,
G0_w, Sigma_w), the Matsubara outputs (Hilbert transform, Dyson), G_tau and Delta_tau. A solve inside a loop
(repeated solves of one Solver) is what is timed; the first solve, which builds the cached kernels and warms
the model, is timed apart. Prints the median and the minimum of ``--repeats`` runs. ``--clock cpu`` times with
the process's CPU time instead of the wall clock: on a machine whose cores other jobs share, it counts what
this process computed, not the time it waited for a core (the ``solve_report`` rows stay wall times). Not a
test: nothing here asserts on time.

Usage: python bench/bench_solve.py [--model PATH] [--repeats 21] [--backend auto] [--problem both] [--clock wall]
(default model: the shipped one; without it pass --model, e.g. an exported model of your own).
"""

import argparse
import statistics
import time
import warnings

import numpy as np
import torch
from scipy.integrate import trapezoid

from triqs_nnsolver.bath import fit_star_bath, hybridization_from_g0
from triqs_nnsolver.gf import retarded_from_spectral, semicircle_dos, semicircle_gf_iw
from triqs_nnsolver.h5 import Operator
from triqs_nnsolver.impurity import matsubara_functions, real_axis_functions, tail_of_g, tau_from_iw
from triqs_nnsolver.runtime import default_model_path
from triqs_nnsolver.solver import DomainWarning, Solver
from triqs_nnsolver.solver.hybridization import RealMeshWarning, hybridization_from_delta_w, hybridization_from_g0_iw
from triqs_nnsolver.solver.outputs import block_outputs, delta_tau_from_bath

D, U = 1.0, 2.5
MU = U / 2 + 0.2
UP, DN = ("up", 0), ("down", 0)
H_INT = Operator([(U, [(True, DN), (True, UP), (False, UP), (False, DN)])])


def matsubara_problem(model, backend: str) -> tuple[Solver, dict]:
    S = Solver(100.0, [("up", 1), ("down", 1)], n_iw=1025, n_tau=10001, model=model, backend=backend, containers="own")
    iw = S.mesh_iw.iw
    for _, g0 in S.G0_iw:
        g0.data[:, 0, 0] = 1 / (iw + MU - (D / 2) ** 2 * semicircle_gf_iw(S.mesh_iw.points, D))
    return S, {"h_int": H_INT}


def real_axis_problem(model, backend: str) -> tuple[Solver, dict]:
    S = Solver(1000.0, [("up", 1), ("down", 1)], n_w=2001, w_min=-4.0, w_max=4.0, model=model, backend=backend)
    w = S.mesh_w.points
    Delta_w = retarded_from_spectral(w, (D / 2) ** 2 * semicircle_dos(w, D))  # Bethe: Delta = t^2 G_0
    for _, d in S.Delta_w:
        d.data[:, 0, 0] = Delta_w
    return S, {"h_int": H_INT, "eps_d": -MU}


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCKS["wall"]


def timed(function, repeats: int) -> tuple[float, float]:
    """(median, min) seconds of ``function()`` over ``repeats`` calls by ``clock``, after one call not timed."""
    function()
    times = []
    for _ in range(repeats):
        start = clock()
        function()
        times.append(clock() - start)
    return statistics.median(times), min(times)


def stages(S: Solver, arguments: dict, repeats: int) -> list[tuple[str, float, float]]:
    """(stage, median s, min s) of the functions ``S.solve`` calls, on the arrays of its last solve."""
    w, mesh_iw, mesh_tau = S.mesh_w.points, S.mesh_iw, S.mesh_tau
    report = S.solve_report
    eps = report["eps"][0]
    rows = []
    if report["input"] == "G0_iw":
        G0 = S.G0_iw["up"].data[:, 0, 0].copy()
        Delta_iw, _ = hybridization_from_g0(mesh_iw, G0)
        rows.append(("Delta from G0_iw", *timed(lambda: hybridization_from_g0(mesh_iw, G0), repeats)))
        rows.append(("bath fit (cold)", *timed(lambda: fit_star_bath(mesh_iw, Delta_iw, S.n_bath), repeats)))
        hyb = hybridization_from_g0_iw(mesh_iw, G0, w, S.n_bath, S.eta)
        rows.append(("input total (cold)", *timed(lambda: hybridization_from_g0_iw(mesh_iw, G0, w, S.n_bath), repeats)))
    else:
        G0 = None
        data = S.Delta_w["up"].data[:, 0, 0].copy()
        hyb = hybridization_from_delta_w(w, data, eps)
        rows.append(("input total", *timed(lambda: hybridization_from_delta_w(w, data, eps), repeats)))
    solver = S.impurity_solver
    level = eps + report.get("level_shift", 0.0)
    rows.append(("impurity solve", *timed(lambda: solver.solve(w, hyb.rho_Delta, U, level), repeats)))
    model = getattr(solver, "model", None)
    forward = None
    if model is not None:
        inputs = model.prepare(w, hyb.rho_Delta, U, level)
        forward = timed(lambda: model.runner.forward(inputs.hybridization, inputs.params), repeats)
        rows.append(("  network forward", *forward))
    A = S.A_w["up"].data[:, 0, 0].real.copy()
    hartree = float(S.Sigma_iw["up"].data[-1, 0, 0].real)  # the constant of the tail, close enough for timing
    G_w, _, Sigma_w = real_axis_functions(w, A, hyb.Delta_w, eps)
    G0_iw = G0 if G0 is not None else S.G0_iw["up"].data[:, 0, 0].copy()
    G_iw = S.G_iw["up"].data[:, 0, 0].copy()
    rows.append(("real-axis outputs", *timed(lambda: real_axis_functions(w, A, hyb.Delta_w, eps), repeats)))
    rows.append(
        ("Matsubara outputs", *timed(lambda: matsubara_functions(w, Sigma_w, hartree, mesh_iw.iw, G0_iw), repeats))
    )
    weight = hyb.fit.tail_weight if hyb.fit is not None else float(trapezoid(hyb.rho_Delta, w))
    sigma_weight = float(trapezoid(np.clip(-Sigma_w.imag / np.pi, 0.0, None), w))
    moments = tail_of_g(eps, weight, hartree, sigma_weight)  # as green_functions computes them
    rows.append(("G_tau", *timed(lambda: tau_from_iw(mesh_iw, G_iw, mesh_tau.points, moments), repeats)))
    if hyb.bath is not None:
        rows.append(("Delta_tau", *timed(lambda: delta_tau_from_bath(hyb.bath, S.beta, mesh_tau.points), repeats)))
    args = (w, A, hyb, hartree, mesh_iw, mesh_tau, G0, None)
    rows.append(("all outputs (block_outputs)", *timed(lambda: block_outputs(*args), repeats)))
    return rows, forward


def run(problem: str, model, backend: str, repeats: int) -> None:
    S, arguments = (matsubara_problem if problem == "matsubara" else real_axis_problem)(model, backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DomainWarning)
        warnings.simplefilter("ignore", RealMeshWarning)  # the real-axis problem has a bound state of G0
        start = clock()
        S.solve(**arguments, verbosity=0)
        first = clock() - start
        solve = timed(lambda: S.solve(**arguments, verbosity=0), repeats)
        reports = []
        for _ in range(repeats):
            S.solve(**arguments, verbosity=0)
            reports.append(S.solve_report)
        rows, forward = stages(S, arguments, repeats)
    print(f"\n{problem}: beta = {S.beta}, n_iw = {S.n_iw}, n_tau = {S.n_tau}, n_w = {S.n_w} on [{S.w_min}, {S.w_max}]")
    runner = S.solve_report["impurity_solver"].get("runner", "-")
    print(f"runner {runner}; median and min of {repeats} runs, ms ({clock.__name__}; solve_report: wall)")
    print(f"{'stage':>30} {'median':>9} {'min':>9}")
    print(f"{'first solve':>30} {1e3 * first:9.2f}")
    for key in ("time_fit", "time_inference", "time_postprocess", "time_total"):
        values = [r[key] for r in reports]
        print(f"{'solve_report ' + key[5:]:>30} {1e3 * statistics.median(values):9.2f} {1e3 * min(values):9.2f}")
    for name, median, minimum in rows:
        print(f"{name:>30} {1e3 * median:9.2f} {1e3 * minimum:9.2f}")
    print(f"{'solve()':>30} {1e3 * solve[0]:9.2f} {1e3 * solve[1]:9.2f}")
    if forward is not None:
        print(f"{'solve() / forward':>30} {solve[0] / forward[0]:9.1f} {solve[1] / forward[1]:9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="exported model file (default: the shipped model)")
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--backend", default="auto", choices=("auto", "c++", "python"))
    parser.add_argument("--problem", default="both", choices=("both", "matsubara", "real-axis"))
    parser.add_argument("--clock", default="wall", choices=tuple(CLOCKS), help="wall clock or process CPU time")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    torch.set_num_threads(1)
    model = args.model
    if model is None:
        try:
            model = default_model_path()
        except FileNotFoundError as err:
            raise SystemExit(f"{err}\npass --model PATH (an exported model)") from err
    print(f"model {model}; torch threads {torch.get_num_threads()}")
    problems = ("matsubara", "real-axis") if args.problem == "both" else (args.problem,)
    for problem in problems:
        run(problem, model, args.backend, args.repeats)


if __name__ == "__main__":
    main()
