"""Cost of one Lanczos SIAM sample at 7, 9 and 11 bath levels per spin, targets included (issue 16).

A sample is what the data pipeline needs from an exact solve: the pole representation of G> and G<
(``reference.solve_siam_lanczos``), A(w) on a 200-point grid (Lorentzian, half-width 0.02) and the tilted
``A~_alpha`` at 3 alphas from the poles (``spectral.tilt``). Two problems per size, both with
``sum_k V_k^2 = 1/4`` (the Bethe bath of D = 1): half filling (U = 2, eps_d = -1, levels equally spaced in
[-1, 1]) and a generic one (U = 3, eps_d = -1.2, seeded random levels and couplings). Prints per-stage wall
times (median of ``--repeats``), Krylov sizes, and samples per core-hour. BLAS is limited to one thread unless
the environment says otherwise. Not a test: nothing here asserts on time.

Usage: python bench/bench_lanczos.py [--repeats 3] [--sizes 7 9 11]
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before numpy loads BLAS

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from triqs_nnsolver.bath.star import StarBath  # noqa: E402
from triqs_nnsolver.reference.lanczos import solve_siam_lanczos  # noqa: E402
from triqs_nnsolver.spectral import tilt  # noqa: E402

W = np.linspace(-4.0, 4.0, 200)  # 200 points, none at w = 0
ALPHAS = (0.2, 0.4, 0.6)
KTOL = 1e-8  # the default of solve_siam_lanczos


def problems(n_bath: int) -> dict:
    rng = np.random.default_rng(n_bath)
    V = np.full(n_bath, 0.5 / np.sqrt(n_bath))
    generic_V = rng.uniform(0.5, 1.5, n_bath)
    return {
        "half filling": (StarBath(np.linspace(-1.0, 1.0, n_bath), V), 2.0, -1.0),
        "generic": (
            StarBath(np.sort(rng.uniform(-1.0, 1.0, n_bath)), 0.5 * generic_V / np.linalg.norm(generic_V)),
            3.0,
            -1.2,
        ),
    }


def sample(bath: StarBath, U: float, eps_d: float) -> dict:
    start = time.perf_counter()
    solution = solve_siam_lanczos(bath, U, eps_d, krylov_tol=KTOL)
    solved = time.perf_counter()
    solution.spectral_function(W, 0.02)
    # a pole at exactly 0 (degenerate ground states) needs the Voigt form of the tilt
    sigma_w = 1e-3 if np.any(solution.poles.energies == 0) else None
    for alpha in ALPHAS:
        tilt(solution.poles, W, alpha, sigma_w=sigma_w)
    return {
        "ground state": solution.diagnostics["seconds"]["ground_state"],
        "G poles": solution.diagnostics["seconds"]["green_function"],
        "targets": time.perf_counter() - solved,
        "total": time.perf_counter() - start,
        "solution": solution,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed samples per case")
    parser.add_argument("--sizes", type=int, nargs="+", default=[7, 9, 11], help="bath levels per spin")
    args = parser.parse_args()
    print(
        f"solve_siam_lanczos (krylov_tol = {KTOL:g}) + targets, median of {args.repeats}, "
        f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}"
    )
    for n_bath in args.sizes:
        for name, (bath, U, eps_d) in problems(n_bath).items():
            runs = [sample(bath, U, eps_d) for _ in range(args.repeats)]
            median = {
                key: statistics.median(r[key] for r in runs) for key in ("ground state", "G poles", "targets", "total")
            }
            solution = runs[0]["solution"]
            stages = ", ".join(f"{key} {value:6.3f} s" for key, value in median.items())
            print(
                f"n_bath = {n_bath:2d} {name:12s}: {stages}; {3600 / median['total']:7.0f} samples/core-hour; "
                f"ground sectors {solution.ground_sectors}, searched {solution.diagnostics['sectors_searched']}, "
                f"Krylov sizes {solution.diagnostics['krylov_sizes']}"
            )


if __name__ == "__main__":
    main()
