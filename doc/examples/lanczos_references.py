"""The committed Lanczos-DMFT references (``data/reference/lanczos``): a table and a plot of both branches.

Reads the half-filled scan archives (metallic start going up, insulating start going down; one pair per
broadening, ``doc/dmft.md`` section "Lanczos-DMFT references") and the doped points, prints one row per run
(U, branch, converged, iterations, Z, A(0) in units of 2/(pi D), n, resolution, wall time) and the U_c
estimates of each branch, and writes ``<out>/lanczos_references.png``: A(w) per U on each branch, A(0)(U)
and Z(U) of both branches. U_c2 is the first U of the metallic branch with ``pi D A(0) / 2 < 0.1``, U_c1 the
last U of the insulating branch (going down) with ``pi D A(0) / 2 < 0.1``: a gap at the resolution of the
reference. Energies in units of D.

Usage: python doc/examples/lanczos_references.py [--out DIR] [--data DIR]
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from triqs_nnsolver.h5 import HDFArchive  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "data" / "reference" / "lanczos"
GAP = 0.1  # pi D A(0) / 2 below this: the run counts as insulating at the reference's resolution
BRANCHES = (("up_metal", "metal, up"), ("down_insulator", "insulator, down"))


def read_scan(path: Path) -> list[dict]:
    """One dict per point of a scan archive, in computation order: results, resolution, w and A(w)."""
    points = []
    with HDFArchive(str(path), "r") as archive:
        for key in sorted(k for k in archive if k.startswith("point_")):
            run = archive[key]
            A_w = run["A_w"]["up"]
            points.append(
                {
                    **{k: run["results"][k] for k in ("U", "D", "Z", "A0", "density", "converged", "n_iter")},
                    "elapsed_s": run["results"]["elapsed_s"],
                    "resolution": run["solver"]["resolution"],
                    "w": np.asarray(A_w.mesh.points),
                    "A": A_w.data[:, 0, 0].real,
                }
            )
    return points


def critical_U(points: list[dict]) -> float | None:
    """The smallest gapped U of one branch: U_c2 going ``up``, U_c1 going ``down``; None if none is gapped."""
    gapped = [p["U"] for p in points if np.pi * p["D"] * p["A0"] / 2 < GAP]
    return min(gapped) if gapped else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=".", help="folder of the PNG (default: here)")
    parser.add_argument("--data", default=str(DATA), help="folder of the reference archives")
    arguments = parser.parse_args()
    data = Path(arguments.data)
    scans = sorted(data.glob("halffilling_*.h5"))
    figure, axes = plt.subplots(1, 4, figsize=(17, 4))
    print(f"{'file':<44} {'U':>5} {'conv':>4} {'iter':>4} {'Z':>7} {'A0*piD/2':>8} {'n':>6} {'sigma':>6} {'s':>5}")
    for path in scans:
        direction = "up" if "_up_" in path.name else "down"
        points = read_scan(path)
        for p in points:
            print(
                f"{path.name:<44} {p['U']:5.2f} {'yes' if p['converged'] else 'NO':>4} {p['n_iter']:4d} "
                f"{p['Z']:7.3f} {np.pi * p['D'] * p['A0'] / 2:8.3f} {p['density']:6.3f} {p['resolution']:6.3f} "
                f"{p['elapsed_s']:5.1f}"
            )
        U_c = critical_U(points)
        name = "U_c2" if direction == "up" else "U_c1"
        print(f"{path.name}: {name} = {U_c if U_c is not None else 'none in the scanned range'}")
        U = np.array([p["U"] for p in points])
        label = path.stem.removeprefix("halffilling_")
        style = "o-" if direction == "up" else "s--"
        axes[2].plot(U, [np.pi * p["D"] * p["A0"] / 2 for p in points], style, label=label)
        axes[3].plot(U, [p["Z"] for p in points], style, label=label)
        if "broadening" not in path.name:
            ax = axes[0] if direction == "up" else axes[1]
            for p in points[:: max(1, len(points) // 6)]:
                ax.plot(p["w"], p["A"], label=f"U = {p['U']:g}")
            ax.set(xlim=(-5, 5), xlabel="w / D", ylabel="A(w) D", title=f"default width, {direction}")
            ax.legend(fontsize=7)
    for path in sorted(data.glob("doped_*.h5")):
        with HDFArchive(str(path), "r") as archive:
            r = archive["results"]
            print(
                f"{path.name:<44} {r['U']:5.2f} {'yes' if r['converged'] else 'NO':>4} {r['n_iter']:4d} "
                f"{r['Z']:7.3f} {np.pi * r['D'] * r['A0'] / 2:8.3f} {r['density']:6.3f} "
                f"{archive['solver']['resolution']:6.3f} {r['elapsed_s']:5.1f}"
            )
    axes[2].axhline(1.0, color="k", lw=0.5)
    axes[2].set(xlabel="U / D", ylabel="pi D A(0) / 2", title="A(0): 1 is Luttinger pinning")
    axes[3].plot([1, 2, 2.5], [0.73, 0.28, 0.11], "k*", ms=10, label="ED (literature)")
    axes[3].set(xlabel="U / D", ylabel="Z", ylim=(0, 1.2), title="Z from the Re Sigma slope")
    for ax in axes[2:]:
        ax.axvspan(2.2, 2.94, color="0.9", label="U_c1-U_c2 (literature)")
        ax.legend(fontsize=7)
    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(out / "lanczos_references.png", dpi=100)
    print(f"wrote {out / 'lanczos_references.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
