"""Real-axis targets of exact samples (issue 16, item 3): which rule turns the poles of a discrete bath into an A(w)
that is right at the Fermi level? Prints the tables of ``doc/targets.md``.

Problem: the half-filled SIAM with the semicircular hybridization of the Bethe lattice (half-width D = 1, weight
1/4, Gamma = pi rho_Delta(0) = 1/2, Friedel value A(0) = 1/(pi Gamma) = 2/pi), discretized by
``bath.discretize_function`` (linear or logarithmic bins) and solved exactly: free fermions at U = 0 (any size),
``reference.solve_siam_lanczos`` at its default settings (those of the ``lanczos`` data source) at U = 2 and 4.

Rules (``A`` of the poles e_p, w_p):
- ``lor W`` / ``gau W``: every pole a Lorentzian (half-width W) or Gaussian (deviation W);
- ``lorp e0,c`` / ``gaup e0,c``: per-pole width max(e0, c |e_p|);
- ``logg b``: the normalized, first-moment-preserving log-Gaussian of NRG, (1/(sqrt(pi) b |w|))
  exp(-(ln|w/e_p|/b + b/4)^2) for w e_p > 0, a Gaussian of deviation 0.02 for |e_p| < 0.02;
- ``sigma e0,c``: the self-energy rule of ``data.real_axis`` (the discrete Sigma at w + i(e0 + c|w|), put back
  into Dyson with the network input's Delta_in, the levels as Lorentzians of half their bin width); ``sigma*``:
  the same with the continuum's Delta (exact at U = 0 by construction; shown at U > 0).

Errors: max |A - A_cont| over |w| < 0.5 (``low``) and over |w| < 3 (``all``), relative to the continuum's peak
2/pi; ``F``: A(0) / (2/pi) - 1 (``sigma``: against the input's own Friedel value 1/(pi Gamma_in)).
At U > 0 there is no continuum answer: ``spread`` is the largest difference between the six baths' targets over
|w| < 0.5 (relative to the peak), a measure of what 9-11 levels leave undetermined.

Usage: ``python bench/study_real_axis_targets.py [--quick] [--plot FILE]``; full run about 5 CPU minutes (the 11-level
Lanczos solves), ``--quick`` (U = 0 on four baths, U = 2 on 9 levels) under a minute. Not a test: nothing asserts.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before numpy loads BLAS

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from triqs_nnsolver.bath import bin_edges, discretize_function  # noqa: E402
from triqs_nnsolver.data.real_axis import real_axis_target  # noqa: E402
from triqs_nnsolver.gf import PoleSum, poles_on_complex, poles_spectral  # noqa: E402
from triqs_nnsolver.gf.bethe import semicircle_dos, semicircle_gf  # noqa: E402
from triqs_nnsolver.reference import free_impurity_poles, solve_siam_lanczos  # noqa: E402

D = 1.0
FRIEDEL = 2 * D / np.pi  # 1/(pi Gamma), Gamma = pi rho_Delta(0) = 1/(2 D)
W = np.linspace(-3, 3, 6001)  # contains w = 0
LOW = np.abs(W) < 0.5
ZERO = np.argmin(np.abs(W))
DELTA_CONT = 0.25 * semicircle_gf(W, D)
A_CONT = -(1 / (W - DELTA_CONT)).imag / np.pi  # U = 0, eps_d = 0: the semicircle (2/pi) sqrt(1 - w^2)
SIGMA_E0, SIGMA_C = 1e-3, 0.4  # the chosen self-energy rule


def bath_of(binning, Lambda, n):
    """The star bath and the input half-widths (half the bin width), as ``data.synthetic.draw_problem`` builds."""
    bath = discretize_function(lambda w: 0.25 * semicircle_dos(w, D), -D, D, n, binning, Lambda, n_samples=256)
    edges = bin_edges(-D, D, n, binning, Lambda)
    k = np.clip(np.searchsorted(edges, bath.eps, side="right") - 1, 0, n - 1)
    return bath, 0.5 * np.diff(edges)[k]


def per_pole(poles, width, kind):
    x = W[:, None] - poles.energies
    if kind == "lor":
        kernel = (width / np.pi) / (x**2 + width**2)
    else:
        kernel = np.exp(-0.5 * (x / width) ** 2) / (np.sqrt(2 * np.pi) * width)
    return kernel @ poles.weights


def log_gaussian(poles, b, w0=0.02):
    e, weight = poles.energies, poles.weights
    small = np.abs(e) < w0
    out = per_pole(PoleSum(e[small], weight[small]), np.full(small.sum(), w0), "gau")
    e, weight = e[~small], weight[~small]
    ratio = np.divide(W[:, None], e, out=np.zeros((W.size, e.size)), where=(W[:, None] * e) > 0)
    with np.errstate(divide="ignore"):
        kernel = np.exp(-((np.log(ratio) / b + b / 4) ** 2)) / (np.sqrt(np.pi) * b * np.abs(W)[:, None])
    return out + np.where(ratio > 0, kernel, 0.0) @ weight


def sigma_rule(poles, bath, eta, e0, c, continuum=False):
    if not continuum:
        return real_axis_target(poles, bath.eps, bath.V, eta, W, e0, "self_energy", c)
    z = W + 1j * (e0 + c * np.abs(W))
    inverse = 1 / poles_on_complex(poles, z) + (bath.V**2 / (z[:, None] - bath.eps)).sum(axis=1)
    return -(1 / (inverse - DELTA_CONT - 1j * (e0 + c * np.abs(W)))).imag / np.pi


def pole_rules(poles):
    rules = {}
    for width in (0.02, 0.05, 0.1):
        rules[f"lor {width}"] = poles_spectral(poles, W, width)
        rules[f"gau {width}"] = poles_spectral(poles, W, width, "gaussian")
    for c in (0.2, 0.4, 0.6):
        widths = np.maximum(0.05, c * np.abs(poles.energies))
        rules[f"lorp 0.05,{c}"] = per_pole(poles, widths, "lor")
        rules[f"gaup 0.05,{c}"] = per_pole(poles, widths, "gau")
    for b in (0.4, 0.55, 0.7):
        rules[f"logg {b}"] = log_gaussian(poles, b)
    return rules


def friedel_input(bath, eta):
    return 1 / (np.pi * (bath.V**2 * eta / (bath.eps**2 + eta**2)).sum())  # 1/(pi Gamma_in)


def table(title, rows, columns, cell):
    print(f"\n{title}\n{'rule':16s}" + "".join(f"{name:>14s}" for name in columns))
    for row in rows:
        print(f"{row:16s}" + "".join(f"{cell(row, column):>14s}" for column in columns))


def study_u0(baths):
    results = {}
    for name, (binning, Lambda, n) in baths.items():
        bath, eta = bath_of(binning, Lambda, n)
        poles = free_impurity_poles(bath, 0.0)
        rules = pole_rules(poles)
        rules[f"sigma {SIGMA_E0},{SIGMA_C}"] = sigma_rule(poles, bath, eta, SIGMA_E0, SIGMA_C)
        for rule, A in rules.items():
            error = np.abs(A - A_CONT)
            friedel = friedel_input(bath, eta) if rule.startswith("sigma") else FRIEDEL
            results[rule, name] = (error[LOW].max() / FRIEDEL, error.max() / FRIEDEL, A[ZERO] / friedel - 1)
    rows = list(dict.fromkeys(rule for rule, _ in results))
    rho_error = {}
    for name, (binning, Lambda, n) in baths.items():
        bath, eta = bath_of(binning, Lambda, n)
        rho_in = (bath.V**2 * eta / np.pi / ((W[:, None] - bath.eps) ** 2 + eta**2)).sum(axis=1)
        rho_cont = 0.25 * semicircle_dos(W, D)
        rho_error[name] = np.abs(rho_in - rho_cont)[LOW].max() / rho_cont[ZERO]
    print(
        "network input rho_Delta (levels as Lorentzians of half their bin width) against the continuum, |w| < 0.5, "
        "relative to rho_Delta(0): " + ", ".join(f"{name} {value:.3f}" for name, value in rho_error.items())
    )
    labels = ("max |A - A_cont|, |w| < 0.5 (of the peak)", "max |A - A_cont|, |w| < 3", "A(0)/Friedel - 1")
    for k, label in enumerate(labels):
        style = "+.4f" if k == 2 else ".4f"
        table(f"U = 0, {label}", rows, list(baths), lambda r, c, k=k, style=style: format(results[r, c][k], style))


def haldane_tk(U, gamma=0.5):
    return np.sqrt(U * gamma / 2) * np.exp(-np.pi * U / (8 * gamma) + np.pi * gamma / (2 * U))


def study_interacting(baths, Us, plot=None):
    curves = {}
    for U in Us:
        tk = haldane_tk(U)
        print(f"\nU = {U}, half filling; T_K = sqrt(U G/2) exp(-pi U/(8 G) + pi G/(2 U)) = {tk:.3f} (Haldane)")
        print(
            f"{'bath':16s}{'solve s':>8s}{'min|e|':>8s}{'Z_disc':>8s}{'gau 0.1':>9s}{'lor 0.05':>9s}"
            + "".join(f"{f'sigma {e0}':>12s}" for e0 in (1e-3, 5e-3, 2e-2))
            + f"{'sigma* 1e-3':>12s}"
        )
        for name, (binning, Lambda, n) in baths.items():
            bath, eta = bath_of(binning, Lambda, n)
            start = time.process_time()
            poles = solve_siam_lanczos(bath, U, -U / 2).poles
            seconds = time.process_time() - start
            zero = np.array([0.0])
            cells = [poles_spectral(poles, zero, 0.1, "gaussian")[0], poles_spectral(poles, zero, 0.05)[0]]
            cells = [value / FRIEDEL - 1 for value in cells]
            for e0 in (1e-3, 5e-3, 2e-2):
                A0 = real_axis_target(poles, bath.eps, bath.V, eta, zero, e0, "self_energy", SIGMA_C)[0]
                cells.append(A0 / friedel_input(bath, eta) - 1)
            cells.append(sigma_rule(poles, bath, eta, 1e-3, SIGMA_C, continuum=True)[ZERO] / FRIEDEL - 1)
            z = 1j * 1e-4  # Sigma(i y) = U/2 + i y (1 - 1/Z) + O(y^2)
            sigma = z + U / 2 - (bath.V**2 / (z - bath.eps)).sum() - 1 / poles_on_complex(poles, z)
            Z = 1 / (1 - sigma.imag / z.imag)
            low_poles = poles.energies[poles.weights > 1e-6]
            head = f"{name:16s}{seconds:8.1f}{np.abs(low_poles).min():8.4f}{Z:8.3f}"
            print(head + "".join(f"{x:+9.4f}" for x in cells[:2]) + "".join(f"{x:+12.4f}" for x in cells[2:]))
            curves[U, name] = (poles, bath, eta)
        print(f"{'c':>6s}  spread of sigma* {SIGMA_E0},c over the baths, |w| < 0.5 (of the peak); same with gau 0.1")
        for c in (0.1, 0.2, 0.4, 0.6, 1.0):
            A = np.array([sigma_rule(*curves[U, name], SIGMA_E0, c, continuum=True) for name in baths])
            print(f"{c:6.1f}  {np.ptp(A, axis=0)[LOW].max() / A.max():.4f}")
        A = np.array([poles_spectral(curves[U, name][0], W, 0.1, "gaussian") for name in baths])
        print(f"{'gau':>6s}  {np.ptp(A, axis=0)[LOW].max() / A.max():.4f}")
    if plot:
        import matplotlib.pyplot as plt

        figure, axes = plt.subplots(1, len(Us), figsize=(5 * len(Us), 4), squeeze=False)
        for axis, U in zip(axes[0], Us, strict=True):
            for name in baths:
                axis.plot(W, sigma_rule(*curves[U, name], SIGMA_E0, SIGMA_C, continuum=True), label=f"sigma* {name}")
            axis.axhline(FRIEDEL, color="k", linestyle=":")
            axis.set(xlim=(-3, 3), title=f"U = {U}", xlabel="w")
            axis.legend(fontsize=7)
        figure.savefig(plot, dpi=120)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer baths, U = 2 at 9 levels only (< 1 minute)")
    parser.add_argument("--plot", default=None, help="write the U > 0 self-energy targets to this image")
    arguments = parser.parse_args()
    baths_u0 = {"lin 9": ("linear", 2.0, 9), "lin 11": ("linear", 2.0, 11), "lin 29": ("linear", 2.0, 29),
                "lin 59": ("linear", 2.0, 59), "log2 9": ("log", 2.0, 9), "log1.6 11": ("log", 1.6, 11),
                "log1.6 29": ("log", 1.6, 29), "log1.3 29": ("log", 1.3, 29)}  # fmt: skip
    baths_u = {"lin 9": ("linear", 2.0, 9), "log2 9": ("log", 2.0, 9), "log1.6 9": ("log", 1.6, 9),
               "lin 11": ("linear", 2.0, 11), "log2 11": ("log", 2.0, 11), "log1.6 11": ("log", 1.6, 11)}  # fmt: skip
    if arguments.quick:
        baths_u0 = {name: baths_u0[name] for name in ("lin 9", "lin 29", "log2 9", "log1.6 29")}
        baths_u = {name: baths_u[name] for name in ("lin 9", "log2 9", "log1.6 9")}
    study_u0(baths_u0)
    study_interacting(baths_u, (2.0,) if arguments.quick else (2.0, 4.0), arguments.plot)


if __name__ == "__main__":
    main()
