"""The non-interacting (U = 0) Bethe-lattice impurity, end to end through the Green's-function core.

At U = 0 the DMFT solution of the Bethe lattice is known in closed form: the impurity spectral
function is the semicircle of half-bandwidth D, the hybridization is ``Delta = t^2 G`` with t = D/2,
and the self-energy vanishes on both axes. This script starts from the semicircular spectrum on the
package's non-uniform real-frequency grid and derives everything else with the library's
transforms, then checks each result against its closed form:

1. ``G(w)`` by Kramers-Kronig, ``Delta(w) = t^2 G(w)`` and ``Sigma(w)`` by Dyson (exact: 0);
2. ``G(iw_n)`` on a TRIQS Matsubara mesh (exact: the semicircle ``G`` at ``iw_n``), ``G0``, ``Sigma(iw_n)``;
3. ``G(tau)`` from ``G(iw_n)`` with its 1/iw tail (exact: the spectral representation);
4. the moments of A (exact: 1, 0, D^2/4).

It writes the results as TRIQS BlockGfs (blocks ``up`` and ``down``) to ``<out>/bethe_u0.h5``,
reads them back, and plots them to ``<out>/bethe_u0.png``. The script fails (exit status 1) if any
error exceeds the bound the transforms document for these grids.

Usage: python doc/examples/bethe_u0_gf_core.py [--out DIR] [--D 1.0] [--beta 50]
"""

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from triqs_nnsolver.gf import (  # noqa: E402
    BlockGf,
    Gf,
    MeshImFreq,
    MeshImTime,
    make_nonuniform_refreq,
    matsubara_from_spectral,
    retarded_from_spectral,
    semicircle_dos,
    semicircle_gf,
    semicircle_gf_iw,
    sigma_from_g0_g,
    sigma_real_axis,
    spectral_moments,
    tau_from_matsubara,
    tau_from_spectral,
)
from triqs_nnsolver.h5 import HDFArchive  # noqa: E402


def spin_blocks(mesh, values: np.ndarray) -> BlockGf:
    """A paramagnetic BlockGf with 1x1 blocks 'up' and 'down' holding ``values`` (shape (n_mesh,))."""
    data = values.reshape(-1, 1, 1).astype(complex)
    return BlockGf(["up", "down"], [Gf(mesh, data.copy()), Gf(mesh, data.copy())])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("demo_output"), help="output folder")
    parser.add_argument("--D", type=float, default=1.0, help="half-bandwidth D (energy unit)")
    parser.add_argument("--beta", type=float, default=50.0, help="inverse temperature of the Matsubara mesh")
    args = parser.parse_args()
    D, t = args.D, args.D / 2

    mesh_w = make_nonuniform_refreq(w_max=4 * D, n_w=2000, w_scale=0.2 * D)
    w = mesh_w.points
    A_w = semicircle_dos(w, D)

    G_w = retarded_from_spectral(w, A_w)
    Delta_w = t**2 * G_w
    Sigma_w = sigma_real_axis(w, G_w, eps_d=0.0, Delta=Delta_w)

    mesh_iw = MeshImFreq(args.beta, "F", n_iw=1025)
    G_iw = matsubara_from_spectral(w, A_w, mesh_iw.iw)
    G0_iw = 1 / (mesh_iw.iw - t**2 * G_iw)
    Sigma_iw = sigma_from_g0_g(G0_iw, G_iw)

    mesh_tau = MeshImTime(args.beta, "F", n_tau=2001)
    G_tau = tau_from_matsubara(G_iw, args.beta, mesh_tau.points, c1=1.0, c2=0.0, c3=t**2)  # semicircle tail
    G_tau_exact = tau_from_spectral(w, A_w, args.beta, mesh_tau.points)

    norm, first, second = spectral_moments(w, A_w)
    inside = np.abs(w) < 0.9 * D  # away from the square-root band edges
    # Bounds documented by the transforms for this grid (doc/gf.md): KK and Matsubara errors come from
    # the piecewise-linear representation of A, largest at the square-root band edges.
    checks = [
        ("Re G(w), |w| < 0.9 D", np.abs(G_w - semicircle_gf(w, D))[inside].max(), 2e-3),
        ("Sigma(w) = 0, |w| < 0.9 D", np.abs(Sigma_w[inside]).max(), 2e-2),
        ("G(iw_n)", np.abs(G_iw - semicircle_gf_iw(mesh_iw, D)).max(), 1e-4),
        # 1/G amplifies the norm error of A by w_n: Sigma(iw_n) ~ (1 - int A) iw_n at large w_n.
        ("Sigma(iw_n) = 0, |w_n| < 10 D", np.abs(Sigma_iw[np.abs(mesh_iw.points) < 10 * D]).max(), 2e-3),
        ("G(tau) via G(iw_n) and tail", np.abs(G_tau - G_tau_exact).max(), 1e-4),
        ("int A = 1", abs(norm - 1), 1e-4),
        ("int w A = 0", abs(first), 1e-12),
        ("int w^2 A = D^2/4", abs(second - D**2 / 4), 1e-4),
    ]

    args.out.mkdir(parents=True, exist_ok=True)
    archive = args.out / "bethe_u0.h5"
    with HDFArchive(str(archive), "w") as ar:
        ar["A_w"] = spin_blocks(mesh_w, A_w)
        ar["G_w"] = spin_blocks(mesh_w, G_w)
        ar["Sigma_w"] = spin_blocks(mesh_w, Sigma_w)
        ar["G_iw"] = spin_blocks(mesh_iw, G_iw)
        ar["Sigma_iw"] = spin_blocks(mesh_iw, Sigma_iw)
        ar["G_tau"] = spin_blocks(mesh_tau, G_tau)
        ar["parameters"] = {"D": D, "U": 0.0, "beta": args.beta}
    with HDFArchive(str(archive), "r") as ar:
        read_back = ar["G_iw"]
    checks.append(("archive round trip of G_iw", np.abs(read_back["up"].data[:, 0, 0] - G_iw).max(), 0.0))

    figure, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    axes[0].plot(w, A_w, label="A(w)")
    axes[0].plot(w, G_w.real, label="Re G(w), Kramers-Kronig")
    axes[0].plot(w, semicircle_gf(w, D).real, "k:", label="Re G(w), exact")
    axes[0].set(xlim=(-2 * D, 2 * D), xlabel="w / D", title="real axis")
    axes[1].plot(mesh_iw.points, G_iw.imag, ".", ms=3, label="Im G(iw_n)")
    axes[1].plot(mesh_iw.points, semicircle_gf_iw(mesh_iw, D).imag, "k:", label="exact")
    axes[1].set(xlim=(-20 * D, 20 * D), xlabel="w_n / D", title=f"Matsubara axis, beta = {args.beta:g}")
    axes[2].plot(mesh_tau.points, G_tau.real, label="G(tau) from G(iw_n)")
    axes[2].plot(mesh_tau.points, G_tau_exact.real, "k:", label="exact")
    axes[2].set(xlabel="tau", title="imaginary time")
    for ax in axes:
        ax.legend(fontsize=8)
    figure.suptitle("U = 0 Bethe lattice through the Green's-function core")
    figure.tight_layout()
    plot = args.out / "bethe_u0.png"
    figure.savefig(plot, dpi=120)

    print(f"U = 0 Bethe lattice, D = {D:g}, {len(mesh_w)} real frequencies, n_iw = {mesh_iw.n_iw}")
    print(f"{'check':<32} {'max error':>10} {'bound':>8}")
    failed = 0
    for name, error, bound in checks:
        ok = error <= bound
        failed += not ok
        print(f"{name:<32} {error:>10.2e} {bound:>8.0e}  {'ok' if ok else 'FAILED'}")
    print(f"wrote {archive} (TRIQS layout: A_w, G_w, Sigma_w, G_iw, Sigma_iw, G_tau) and {plot}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
