"""Accuracy and cost of the complex-time MPS solver (block2 DMRG + TDVP) on the Bethe bath, issue 4.

Each point solves the half-filled SIAM (eps_d = -U/2) on the uniform chain of the semicircular bath (D = 1,
``bath.semicircle_chain``, L sites per spin; odd L: a singlet ground state) along one or more rays and prints

- ``dG``: max |G_mps - G_ref| over G>, G< and their alpha-derivatives on the time grid, against the exact U = 0
  pole sum (``reference.free_impurity_*``) or, at U > 0 with L <= 6, exact diagonalization (``solve_siam``);
- ``dA_win``: max over the grid |w| <= 3 of |A~_mps - A~_ref| with both taken through the same window and t grid
  (the MPS error alone), and ``dA_tilt``: max |A~_mps - tilt(exact poles)| (MPS error plus the truncation at
  t_max, what a training sample carries); ``dA_tilt`` needs an exact reference (U = 0 or L <= 6);
- wall time, peak memory of the process (each point runs in a fresh process), largest bond dimension,
  discarded weight, and samples per core-hour (3600 / wall time per alpha).

BLAS and block2 run on one thread. Not a test: nothing asserts. Usage:

    python bench/bench_mps.py [--points NAME ...]     (names: see POINTS; default all)
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before numpy loads BLAS

import argparse  # noqa: E402
import multiprocessing  # noqa: E402
import resource  # noqa: E402

import numpy as np  # noqa: E402

W = np.linspace(-3.0, 3.0, 121) + 0.0125  # output grid, no point at w = 0

# name: (L, U, alphas, settings overrides)
POINTS = {
    "u0-L9-chi32": (9, 0.0, (0.3,), {"chi": 32}),
    "u0-L9-chi64": (9, 0.0, (0.3,), {"chi": 64}),
    "u0-L9-chi64-dt0.2": (9, 0.0, (0.3,), {"chi": 64, "dt": 0.2}),
    "u0-L9-chi64-tmax10": (9, 0.0, (0.3,), {"chi": 64, "t_max": 10.0}),
    "u0-L9-chi64-alphas": (9, 0.0, (0.1, 0.3, 0.8), {"chi": 64}),
    "u0-L19-chi64": (19, 0.0, (0.3,), {"chi": 64}),
    "u2-L5-chi64": (5, 2.0, (0.3,), {"chi": 64}),
    "u2-L9-chi64": (9, 2.0, (0.3,), {"chi": 64}),
    "u4-L9-chi64": (9, 4.0, (0.3,), {"chi": 64}),
}


def _reference(L, U, alphas, t):
    """(greater, lesser, poles) per alpha from the exact U = 0 answer or ED, or None where there is none."""
    from triqs_nnsolver.bath import chain_to_star, semicircle_chain
    from triqs_nnsolver.gf import PoleSum
    from triqs_nnsolver.reference import free_impurity_greater, free_impurity_lehmann, free_impurity_lesser, solve_siam

    chain = semicircle_chain(1.0, L)
    if U == 0:
        particle, hole = free_impurity_lehmann(chain, 0.0)
        poles = PoleSum(
            np.concatenate([hole.energies, particle.energies]), np.concatenate([hole.weights, particle.weights])
        )
        return [
            (free_impurity_greater(chain, 0.0, t, a), free_impurity_lesser(chain, 0.0, t, a), poles) for a in alphas
        ]
    if L <= 6:
        exact = solve_siam(chain_to_star(chain), U, -U / 2)
        return [(exact.G_greater(t, a), exact.G_lesser(t, a), exact.poles) for a in alphas]
    return None


def run_point(name, queue):
    from triqs_nnsolver.bath import semicircle_chain
    from triqs_nnsolver.mps import MPSSettings, solve_complex_time
    from triqs_nnsolver.spectral import tilt, tilted_spectral_from_time

    L, U, alphas, overrides = POINTS[name]
    settings = MPSSettings(n_bath=L, **overrides)
    result = solve_complex_time(semicircle_chain(1.0, L), U, -U / 2, alphas, settings)
    row = {"name": name, "wall": result.report.wall_time, "chi_max": result.report.max_bond_dim,
           "dw": result.report.discarded_weight, "var": result.report.E0_variance, "n_alpha": len(alphas)}  # fmt: skip
    reference = _reference(L, U, alphas, result.t)
    if reference is not None:
        dG, dA_win, dA_tilt = [], [], []
        A_mps = result.A_tilde(W)
        for j, ((gp, dgp), (gh, dgh), poles) in enumerate(reference):
            values = (
                result.G_greater[:, j],
                result.dG_greater_dalpha[:, j],
                result.G_lesser[:, j],
                result.dG_lesser_dalpha[:, j],
            )
            dG.append(max(np.abs(a - b).max() for a, b in zip(values, (gp, dgp, gh, dgh), strict=True)))
            dA_win.append(np.abs(A_mps[:, j] - tilted_spectral_from_time(result.t, gp, gh, W)).max())
            dA_tilt.append(np.abs(A_mps[:, j] - tilt(poles, W, alphas[j])).max())
        row.update(dG=dG, dA_win=dA_win, dA_tilt=dA_tilt)
    row["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(row)


def _fmt(values):
    return "/".join(f"{v:.1e}" for v in values) if values is not None else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", nargs="+", default=list(POINTS), choices=list(POINTS))
    arguments = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print(f"{'point':22s} {'wall_s':>7s} {'per_h':>6s} {'rss_MiB':>7s} {'chi':>4s} {'dw':>8s} {'dG':>9s} "
          f"{'dA_win':>9s} {'dA_tilt':>9s}", flush=True)  # fmt: skip
    for name in arguments.points:
        queue = context.Queue()
        process = context.Process(target=run_point, args=(name, queue))
        process.start()
        row = queue.get()
        process.join()
        per_hour = 3600 / (row["wall"] / row["n_alpha"])
        cost = f"{row['wall']:7.1f} {per_hour:6.0f} {row['rss_mib']:7.0f} {row['chi_max']:4d} {row['dw']:8.1e}"
        errors = f"{_fmt(row.get('dG')):>9s} {_fmt(row.get('dA_win')):>9s} {_fmt(row.get('dA_tilt')):>9s}"
        print(f"{name:22s} {cost} {errors}", flush=True)


if __name__ == "__main__":
    main()
