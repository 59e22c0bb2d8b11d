"""Wall time of one exact-diagonalization solve of the SIAM for 3 to 6 bath levels per spin.

Solves a half-filled SIAM (U = 2, eps_d = -1, particle-hole symmetric bath: the ground state is a
spin doublet for an even number of bath levels, so the Green's function averages two ground states)
and a generic one (random bath, U = 2, eps_d = -0.7), and prints the median wall time of
``solve_siam`` over a few runs, one line per bath size. BLAS is limited to one thread unless the
environment says otherwise (``OPENBLAS_NUM_THREADS``), so the numbers are single-core times.
Not a test: nothing here asserts on time.

Usage: python bench/bench_ed.py [--repeats 3]
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before numpy loads BLAS

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from triqs_nnsolver.bath.star import StarBath  # noqa: E402
from triqs_nnsolver.reference.ed import solve_siam  # noqa: E402


def median_seconds(bath: StarBath, U: float, eps_d: float, repeats: int) -> tuple[float, object]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        solution = solve_siam(bath, U, eps_d)
        times.append(time.perf_counter() - start)
    return statistics.median(times), solution


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed solves per case")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    print(f"solve_siam, median of {args.repeats} runs, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    for n_bath in (3, 4, 5, 6):
        eps = np.linspace(-1.0, 1.0, n_bath)
        symmetric = StarBath(eps, np.full(n_bath, 0.4))
        generic = StarBath(np.sort(rng.uniform(-1.5, 1.5, n_bath)), rng.uniform(0.2, 0.6, n_bath))
        t_symmetric, s_symmetric = median_seconds(symmetric, 2.0, -1.0, args.repeats)
        t_generic, s_generic = median_seconds(generic, 2.0, -0.7, args.repeats)
        print(
            f"n_bath = {n_bath}: half filling {t_symmetric:6.3f} s (ground sectors {s_symmetric.ground_sectors}, "
            f"{len(s_symmetric.poles)} poles); generic {t_generic:6.3f} s (ground sectors {s_generic.ground_sectors}, "
            f"{len(s_generic.poles)} poles)"
        )


if __name__ == "__main__":
    main()
