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

Points with a resolution ``sigma_w`` (names ``res-...``) solve the bath the data generator builds for the
semicircle (``bath.discretize_function``, linear bins, L levels) with the Gaussian window
``exp(-(sigma_w t)^2 / 2)`` to ``t_max = spectral.gaussian_window_t_max(sigma_w, dt)``, and print instead

- ``dA_win``/``ddA_win``: MPS against the exact G of the same bath through the same window (the MPS error);
- ``dA_res``/``ddA_res``: against ``tilt(poles, sigma_w=...)`` of the same bath (adds the window truncation);
- ``dA_cont``/``ddA_cont``: against the continuous semicircle at the same resolution (adds the bath
  discretization: the error a training sample carries with respect to the Bethe problem);
- at U > 0, where nothing exact exists at these sizes, ``dA_ref``/``ddA_ref``: against a tight MPS run of the
  same bath (a ``ref-...`` point: chi 128, svd_cutoff 1e-12, dt 0.1), which shows the convergence in chi,
  cutoff and dt. A reference is solved before the points that name it.

``--study`` prints the U = 0 part of this without MPS (the exact free-fermion G, identical to the MPS G to
1e-5): the error against the continuum versus bath representation (the uniform chain, linear and
logarithmic star), number of levels and sigma_w, at alphas 0.1, 0.2, 0.4, 0.6; ``trunc`` is the window
truncation and Filon error alone (time route against ``tilt(poles, sigma_w)`` of the same bath).

BLAS and block2 run on one thread per point; ``--jobs K`` solves K points at once (one core each; wall
times then carry the contention of a shared memory bus). Not a test: nothing asserts. Usage:

    python bench/bench_mps.py [--points NAME ...] [--jobs K]   (names: see POINTS; default all)
    python bench/bench_mps.py --study                 (free-fermion study, about 1 CPU minute)
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before numpy loads BLAS

import argparse  # noqa: E402
import multiprocessing  # noqa: E402
import resource  # noqa: E402
from concurrent.futures import ProcessPoolExecutor, as_completed  # noqa: E402

import numpy as np  # noqa: E402

W = np.linspace(-3.0, 3.0, 121) + 0.0125  # output grid, no point at w = 0
STUDY_ALPHAS = (0.1, 0.2, 0.4, 0.6)
STUDY_DT = 0.2

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
    # resolution points: (L, U, alphas, MPSSettings overrides, sigma_w[, reference point]); linear star of L levels
    "res-u0-L19-s0.2": (19, 0.0, (0.1, 0.2, 0.4), {}, 0.2),
    "res-u0-L29-s0.2": (29, 0.0, (0.1, 0.2, 0.4), {}, 0.2),
    "res-u2-L29-s0.2": (29, 2.0, (0.2,), {}, 0.2),
    "res-u0-L39-s0.2": (39, 0.0, (0.2,), {}, 0.2),  # gave G = 0 before the fix of apply, doc/mps.md
    "res-u0-L29-alphas": (29, 0.0, (0.05, 0.8), {}, 0.2),
    "res-u0-L19-dt0.05": (19, 0.0, (0.2,), {"dt": 0.05}, 0.2),
    "res-u0-L19-dt0.4": (19, 0.0, (0.2,), {"dt": 0.4}, 0.2),
    "res-u0-L19-chi16": (19, 0.0, (0.2,), {"chi": 16}, 0.2),
    # convergence at U > 0 against a tight MPS run of the same bath (chi 128, cutoff 1e-12, dt 0.1): dA_ref
    "ref-u2-L19": (19, 2.0, (0.1, 0.4), {"chi": 128, "svd_cutoff": 1e-12, "dt": 0.1}, 0.2),
    "res-u2-L19": (19, 2.0, (0.1, 0.4), {}, 0.2, "ref-u2-L19"),
    "res-u2-L19-chi16": (19, 2.0, (0.1, 0.4), {"chi": 16}, 0.2, "ref-u2-L19"),
    "res-u2-L19-chi32": (19, 2.0, (0.1, 0.4), {"chi": 32}, 0.2, "ref-u2-L19"),
    "res-u2-L19-chi128": (19, 2.0, (0.1, 0.4), {"chi": 128}, 0.2, "ref-u2-L19"),
    "res-u2-L19-cut1e-8": (19, 2.0, (0.1, 0.4), {"svd_cutoff": 1e-8}, 0.2, "ref-u2-L19"),
    "res-u2-L19-dt0.3": (19, 2.0, (0.1, 0.4), {"dt": 0.3}, 0.2, "ref-u2-L19"),
    "res-u2-L19-dt0.4": (19, 2.0, (0.1, 0.4), {"dt": 0.4}, 0.2, "ref-u2-L19"),
    "ref-u4-L19": (19, 4.0, (0.1, 0.4), {"chi": 128, "svd_cutoff": 1e-12, "dt": 0.1}, 0.2),
    "res-u4-L19": (19, 4.0, (0.1, 0.4), {}, 0.2, "ref-u4-L19"),
    "res-u4-L19-dt0.4": (19, 4.0, (0.1, 0.4), {"dt": 0.4}, 0.2, "ref-u4-L19"),
}


def fine_grid():
    """|w| <= 3 every 0.005 (no point at 0) joined with the model grid: where the study takes its maxima."""
    from triqs_nnsolver.model import ModelConfig

    return np.union1d(np.linspace(-3.0, 3.0, 1201) + 0.0025, ModelConfig().grid)


def semicircle_quadrature(n_nodes=400):
    """The continuous semicircle (D = 1) as a PoleSum: Gauss-Legendre in theta on each side of 0, w = sin(theta).

    ``A(w) dw = (2/pi) cos(theta)^2 dtheta`` is smooth in theta on [-pi/2, 0] and [0, pi/2]; with 400 nodes a
    side the broadened tilt (sigma_w >= 0.05) agrees with 800 nodes to 1e-13.
    """
    from triqs_nnsolver.gf import PoleSum

    x, weights = np.polynomial.legendre.leggauss(n_nodes)
    theta = np.concatenate([(x - 1) * np.pi / 4, (x + 1) * np.pi / 4])
    weights = np.concatenate([weights, weights]) * np.pi / 4
    return PoleSum(np.sin(theta), (2 / np.pi) * np.cos(theta) ** 2 * weights)


def semicircle_bath(kind, n_levels, Lambda=2.0):
    """U = 0 Bethe bath (rho_Delta = semicircle / 4): the uniform chain or a linear / log star of n_levels."""
    from triqs_nnsolver.bath import discretize_function, semicircle_chain
    from triqs_nnsolver.gf import semicircle_dos

    if kind == "chain":
        return semicircle_chain(1.0, n_levels)
    return discretize_function(lambda w: 0.25 * semicircle_dos(w, 1.0), -1.0, 1.0, n_levels, kind, Lambda, 256)


def resolved_errors(t, greater, lesser, poles, alpha, sigma_w, w, continuum=None):
    """Errors of the windowed A~ and dA~ from ``(G, dG)`` samples against the exact broadened tilt of ``poles``
    and, if given, of ``continuum``: dict of max-abs values over ``w``."""
    from triqs_nnsolver.spectral import dtilt_dalpha, dtilted_spectral_from_time, tilt, tilted_spectral_from_time

    A = tilted_spectral_from_time(t, greater[0], lesser[0], w, "gaussian", sigma_w=sigma_w)
    dA = dtilted_spectral_from_time(t, greater[1], lesser[1], w, "gaussian", sigma_w=sigma_w)
    errors = {
        "dA_res": np.abs(A - tilt(poles, w, alpha, sigma_w=sigma_w)).max(),
        "ddA_res": np.abs(dA - dtilt_dalpha(poles, w, alpha, sigma_w=sigma_w)).max(),
    }
    if continuum is not None:
        errors["dA_cont"] = np.abs(A - tilt(continuum, w, alpha, sigma_w=sigma_w)).max()
        errors["ddA_cont"] = np.abs(dA - dtilt_dalpha(continuum, w, alpha, sigma_w=sigma_w)).max()
    return errors


def study():
    """Free-fermion study: continuum error versus bath representation, size and sigma_w (module docstring)."""
    from triqs_nnsolver.reference import free_impurity_greater, free_impurity_lesser, free_impurity_poles
    from triqs_nnsolver.spectral import gaussian_window_t_max

    w, continuum = fine_grid(), semicircle_quadrature()
    alphas = "/".join(str(a) for a in STUDY_ALPHAS)
    print(f"max over {w.size} frequencies (|w| <= 3 and the model grid); values at alpha = {alphas}; dt = {STUDY_DT}")
    print(f"{'bath':6s} {'L':>3s} {'sigma_w':>7s} {'t_max':>6s}  {'dA_cont':31s}  {'ddA_cont':31s}  trunc (A~/dA~)")
    for kind in ("chain", "linear", "log"):
        for n_levels in (9, 19, 29, 39):
            bath = semicircle_bath(kind, n_levels)
            poles = free_impurity_poles(bath, 0.0)
            for sigma_w in (0.05, 0.1, 0.2):
                t_max = gaussian_window_t_max(sigma_w, dt=STUDY_DT)
                t = STUDY_DT * np.arange(round(t_max / STUDY_DT) + 1)
                rows = []
                for alpha in STUDY_ALPHAS:
                    greater = free_impurity_greater(bath, 0.0, t, alpha)
                    lesser = free_impurity_lesser(bath, 0.0, t, alpha)
                    rows.append(resolved_errors(t, greater, lesser, poles, alpha, sigma_w, w, continuum))
                A_cont = _fmt([row["dA_cont"] for row in rows])
                dA_cont = _fmt([row["ddA_cont"] for row in rows])
                trunc = f"{max(row['dA_res'] for row in rows):.1e}/{max(row['ddA_res'] for row in rows):.1e}"
                print(f"{kind:6s} {n_levels:3d} {sigma_w:7.2f} {t_max:6.1f}  {A_cont:31s}  {dA_cont:31s}  {trunc}")


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


def run_resolution_point(name):
    """A ``res-...``/``ref-...`` point: linear star, Gaussian window, errors against the same bath and the
    continuum at U = 0; the row carries ``A``/``dA`` on the fine grid for comparisons with a reference point."""
    from triqs_nnsolver.mps import MPSSettings, solve_complex_time
    from triqs_nnsolver.reference import free_impurity_greater, free_impurity_lesser, free_impurity_poles
    from triqs_nnsolver.spectral import gaussian_window_t_max, tilted_spectral_from_time

    L, U, alphas, overrides, sigma_w = POINTS[name][:5]
    dt = overrides.get("dt", MPSSettings().dt)
    settings = MPSSettings(n_bath=L, t_max=gaussian_window_t_max(sigma_w, dt=dt), **overrides)
    bath = semicircle_bath("linear", L)
    result = solve_complex_time(bath, U, -U / 2, alphas, settings)
    row = {"name": name, "wall": result.report.wall_time, "chi_max": result.report.max_bond_dim,
           "dw": result.report.discarded_weight, "n_alpha": len(alphas), "t_max": settings.t_max}  # fmt: skip
    w = fine_grid()
    row["A"] = result.A_tilde(w, "gaussian", sigma_w=sigma_w)
    row["dA"] = result.dA_tilde_dalpha(w, "gaussian", sigma_w=sigma_w)
    if U == 0:
        continuum, poles = semicircle_quadrature(), free_impurity_poles(bath, 0.0)
        columns = {key: [] for key in ("dA_win", "dA_res", "ddA_res", "dA_cont", "ddA_cont")}
        for j, alpha in enumerate(alphas):
            greater = (result.G_greater[:, j], result.dG_greater_dalpha[:, j])
            lesser = (result.G_lesser[:, j], result.dG_lesser_dalpha[:, j])
            exact_greater = free_impurity_greater(bath, 0.0, result.t, alpha)[0]
            exact_lesser = free_impurity_lesser(bath, 0.0, result.t, alpha)[0]
            exact = tilted_spectral_from_time(result.t, exact_greater, exact_lesser, w, "gaussian", sigma_w=sigma_w)
            columns["dA_win"].append(np.abs(row["A"][:, j] - exact).max())
            for key, value in resolved_errors(result.t, greater, lesser, poles, alpha, sigma_w, w, continuum).items():
                columns[key].append(value)
        row.update(columns)
    row["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def run_point(name):
    """Solve one point in this process and return its row (a dict of costs and errors)."""
    from triqs_nnsolver.bath import semicircle_chain
    from triqs_nnsolver.mps import MPSSettings, solve_complex_time
    from triqs_nnsolver.spectral import tilt, tilted_spectral_from_time

    if len(POINTS[name]) >= 5:
        return run_resolution_point(name)
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
    return row


def _fmt(values):
    return "/".join(f"{v:.1e}" for v in values) if values is not None else "-"


def _print_row(name, row, reference=None):
    per_hour = 3600 / (row["wall"] / row["n_alpha"])
    cost = f"{row['wall']:7.1f} {per_hour:6.0f} {row['rss_mib']:7.0f} {row['chi_max']:4d} {row['dw']:8.1e}"
    if "t_max" not in row:
        errors = f"{_fmt(row.get('dG')):>9s} {_fmt(row.get('dA_win')):>9s} {_fmt(row.get('dA_tilt')):>9s}"
        print(f"{name:22s} {cost} {errors}", flush=True)
        return
    if reference is not None:  # against the tight run of the same bath: the MPS error at these settings
        row["dA_ref"] = np.abs(row["A"] - reference["A"]).max(axis=0)
        row["ddA_ref"] = np.abs(row["dA"] - reference["dA"]).max(axis=0)
    keys = ("dA_win", "dA_res", "ddA_res", "dA_cont", "ddA_cont", "dA_ref", "ddA_ref")
    errors = " ".join(f"{key}={_fmt(row[key])}" for key in keys if key in row)
    print(f"{name:22s} {cost} t_max={row['t_max']} {errors}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", nargs="+", default=list(POINTS), choices=list(POINTS))
    parser.add_argument("--jobs", type=int, default=1, help="points solved at once, one process and core each")
    parser.add_argument("--study", action="store_true", help="free-fermion resolution study only (no MPS)")
    arguments = parser.parse_args()
    if arguments.study:
        study()
        return
    names = list(dict.fromkeys(arguments.points))
    for name in list(names):  # a point compared with a reference needs the reference, solved first
        if len(POINTS[name]) == 6 and POINTS[name][5] not in names:
            names.insert(0, POINTS[name][5])
    names.sort(key=lambda name: not name.startswith("ref-"))
    print(f"{'point':22s} {'wall_s':>7s} {'per_h':>6s} {'rss_MiB':>7s} {'chi':>4s} {'dw':>8s} {'dG':>9s} "
          f"{'dA_win':>9s} {'dA_tilt':>9s}", flush=True)  # fmt: skip
    rows, waiting = {}, []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(arguments.jobs, mp_context=context, max_tasks_per_child=1) as pool:
        futures = {pool.submit(run_point, name): name for name in names}
        for future in as_completed(futures):
            rows[futures[future]] = future.result()
            waiting.append(futures[future])
            for name in sorted(waiting, key=lambda name: not name.startswith("ref-")):
                reference = POINTS[name][5] if len(POINTS[name]) == 6 else None
                if reference is None or reference in rows:
                    _print_row(name, rows[name], rows.get(reference))
                    waiting.remove(name)


if __name__ == "__main__":
    main()
