"""Real-frequency DMFT on the 2D square lattice (t = 1/4, D = 4t = 1) at half filling and doped, Lanczos solver.

The square lattice's DOS has a van Hove log singularity at e = 0 and steps at the band edges (``doc/dmft.md``,
"Lattices beyond Bethe"). At half filling the singularity sits at the Fermi level, w = 0; doping moves the Fermi
level away from it: for hole doping (n < 1) the U = 0 peak sits at ``w = -mu_0(n) > 0``. The script runs

- U = 0, half filling, exact free solver: one step from the free bath, A(w) is the DOS (the peak at w = 0);
- U = 2 D, half filling and doped (``--density``, default 0.85), the Lanczos solver (``--n-bath`` levels, default 7),

prints one row per run (U, n, converged, iterations, mu, A(0), Z, where A has its maximum near the Fermi level) and
writes ``<out>/square_lattice_dmft.png`` (A(w) of each run with the U = 0 DOS) and one archive per run
(``<out>/square_<label>.h5``, the layout of ``triqs-nnsolver bethe``). Energies in units of D. The Lanczos
broadening (half the level spacing of the discretized bath, ~0.3 D) smears the van Hove peak of the interacting
runs: what survives is its shift with doping, not its height.

Usage: python doc/examples/square_lattice_dmft.py [--out DIR] [--density N] [--n-bath M] [--n-w N_W]
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from triqs_nnsolver.dmft import BetheDMFTConfig, run_lattice_dmft, square_lattice, write_result_archive  # noqa: E402
from triqs_nnsolver.impurity import FreeImpuritySolver, LanczosImpuritySolver  # noqa: E402

PEAK_WINDOW = 0.4  # |w| <= this (units of D): where the van Hove peak is looked for


def peak_position(w, A) -> float:
    """The w of the largest A within ``PEAK_WINDOW`` of the Fermi level (energy)."""
    inside = np.abs(w) <= PEAK_WINDOW
    return float(w[inside][np.argmax(A[inside])])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="square_lattice_output", help="folder for the PNG and the archives")
    parser.add_argument("--density", type=float, default=0.85, help="filling of the doped run (both spins)")
    parser.add_argument("--n-bath", type=int, default=7, help="Lanczos bath levels per spin")
    parser.add_argument("--n-w", type=int, default=400, help="real-frequency grid points (even)")
    args = parser.parse_args()
    out = Path(args.out)
    lattice = square_lattice()  # t = 1/4: D = 1, the Bethe driver's unit
    lanczos = LanczosImpuritySolver(n_bath=args.n_bath)
    base = BetheDMFTConfig(D=lattice.half_bandwidth, n_w=args.n_w, n_iw=100)
    runs = [
        ("U0_half", FreeImpuritySolver(), base.replace(U=0.0, n_w=2400, tol=4e-3)),  # fine grid: the log peak
        ("U2_half", lanczos, base.replace(U=2.0)),
        (f"U2_n{args.density:g}", lanczos, base.replace(U=2.0, density=args.density)),
    ]
    print(f"{'run':>10} {'U':>4} {'n':>7} {'conv':>5} {'iter':>5} {'mu':>8} {'A(0)':>7} {'Z':>7} {'peak w':>7}")
    figure, ax = plt.subplots(figsize=(7, 4.5))
    w_dos = np.linspace(-1.0, 1.0, 2001)
    ax.plot(w_dos, lattice.density_of_states(w_dos), "k:", lw=1, label="U = 0 DOS")
    mu_0 = lattice.free_chemical_potential(args.density)
    ax.axvline(-mu_0, color="gray", lw=0.5, ls="--", label=f"U = 0 van Hove at n = {args.density:g}")
    failed = 0
    for label, solver, config in runs:
        result = run_lattice_dmft(solver, lattice, config)
        obs = result.observables
        peak = peak_position(result.w, result.A)
        print(
            f"{label:>10} {config.U:4g} {obs.density:7.4f} {'yes' if result.converged else 'NO':>5} {result.n_iter:5d} "
            f"{result.mu:8.4f} {obs.A0:7.4f} {obs.Z:7.3f} {peak:7.3f}"
        )
        failed += not result.converged
        write_result_archive(out / f"square_{label}.h5", result)
        ax.plot(result.w, result.A, label=f"{label}: n = {obs.density:.2f}")
    print(f"U = 0 chemical potential at n = {args.density:g}: mu_0 = {mu_0:.4f} (van Hove peak at w = {-mu_0:.4f})")
    ax.set(xlim=(-3, 3), ylim=(0, 1.2), xlabel="w / D", ylabel="D A(w)", title="square lattice, t = D/4, Lanczos DMFT")
    ax.legend(fontsize=8)
    figure.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    figure.savefig(out / "square_lattice_dmft.png", dpi=110)
    print(f"wrote {out / 'square_lattice_dmft.png'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
