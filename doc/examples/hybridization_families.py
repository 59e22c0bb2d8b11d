"""Examples of the five hybridization families the data generators draw from (``data.families``).

For each family (semicircle, shifted_semicircle, gaussians, metallic, gapped) the script draws a few
densities ``rho_Delta(w)`` with a seeded generator, exactly as ``triqs-nnsolver generate`` does for its
samples (model units: ``int rho_Delta = 1/4``, the Bethe bath of half-bandwidth D = 1), checks that each
has the total weight 1/4, and plots them, one panel per family, into ``<out>/hybridization_families.png``.
The parameter ranges are ``data.FAMILY_RANGES`` (printed).

Usage: python doc/examples/hybridization_families.py [--out DIR] [--per-family 4] [--seed 0]
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from triqs_nnsolver.data import FAMILIES, FAMILY_RANGES, sample_family  # noqa: E402
from triqs_nnsolver.gf import spectral_norm  # noqa: E402
from triqs_nnsolver.model_contract import REFERENCE_HYBRIDIZATION_WEIGHT  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("demo_output"), help="output folder")
    parser.add_argument("--per-family", type=int, default=4, help="densities drawn per family")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random stream")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    w = np.linspace(-6.0, 6.0, 4801)
    figure, axes = plt.subplots(1, len(FAMILIES), figsize=(4 * len(FAMILIES), 3.2), sharey=True)
    for axis, family in zip(axes, FAMILIES, strict=True):
        print(f"{family}: {FAMILY_RANGES[family]}")
        for _ in range(args.per_family):
            rho = sample_family(family, rng)(w)
            weight = spectral_norm(w, rho)
            if (
                abs(weight - REFERENCE_HYBRIDIZATION_WEIGHT) > 1e-3
            ):  # trapezoid error of the sharpest shapes on this grid
                raise RuntimeError(f"{family}: int rho_Delta = {weight:.6f}, expected {REFERENCE_HYBRIDIZATION_WEIGHT}")
            axis.plot(w, rho, lw=1)
        axis.set(title=family, xlabel="w / D", xlim=(-4, 4))
    axes[0].set_ylabel("rho_Delta(w) = -Im Delta / pi")
    figure.suptitle(f"hybridization families, {args.per_family} draws each (int rho_Delta = 1/4)")
    figure.tight_layout()
    args.out.mkdir(parents=True, exist_ok=True)
    plot = args.out / "hybridization_families.png"
    figure.savefig(plot, dpi=110)
    print(f"wrote {plot}")


if __name__ == "__main__":
    main()
