"""The shipped model on the Bethe-lattice impurity: real-axis spectra at several U, checked where exact.

One impurity solve per U (not a DMFT loop): the bath is the Bethe bath ``Delta = t^2 G_semicircle`` of
half-bandwidth D = 1 (t = D/2), at half filling ``eps_d = -U/2``, solved through the array-level
``NeuralImpuritySolver`` (rescaling, training-domain check, real axis at alpha = 0). Two exact statements
are checked and printed with the model's error:

- U = 0: the impurity spectral function is the semicircle itself;
- any U at half filling (a Fermi liquid): Friedel's sum rule pins ``A(0) = 1 / (pi^2 rho_Delta(0)) = 2/(pi D)``.

The numbers measure the model (the shipped one by default); its card
(``share/triqs_nnsolver/models/<name>/MODEL_CARD.md``) says how it was trained. The plot goes to
``<out>/shipped_model_bethe.png``.

Usage: python doc/examples/shipped_model_bethe.py [--out DIR] [--model PATH]
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from triqs_nnsolver.gf import semicircle_dos, spectral_norm  # noqa: E402
from triqs_nnsolver.impurity import NeuralImpuritySolver  # noqa: E402

U_VALUES = (0.0, 1.0, 2.0, 3.0)
D = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("demo_output"), help="output folder")
    parser.add_argument("--model", type=Path, default=None, help="model file (default: the shipped model)")
    args = parser.parse_args()

    solver = NeuralImpuritySolver(args.model)
    w = np.linspace(-4 * D, 4 * D, 1600)  # even count: no point at w = 0
    rho_Delta = (D / 2) ** 2 * semicircle_dos(w, D)
    A = {U: solver.spectral_function(w, rho_Delta, U, -U / 2) for U in U_VALUES}

    luttinger = 2 / (np.pi * D)
    A0 = {U: float(np.interp(0.0, w, A_U)) for U, A_U in A.items()}
    print(f"model {solver.model.runner.path} ({solver.model.runner.backend} runner), real axis (alpha = 0)")
    print(f"{'U/D':>5} {'int A':>8} {'A(0)':>8} {'2/(pi D)':>9} {'max|A - A_exact|':>17}")
    for U, A_U in A.items():
        deviation = np.abs(A_U - semicircle_dos(w, D)).max() if U == 0 else float("nan")
        print(f"{U:5.1f} {spectral_norm(w, A_U):8.4f} {A0[U]:8.4f} {luttinger:9.4f} {deviation:17.4f}")

    args.out.mkdir(parents=True, exist_ok=True)
    figure, axis = plt.subplots(figsize=(7, 4))
    for U, A_U in A.items():
        axis.plot(w, A_U, label=f"U = {U:g} D")
    axis.plot(w, semicircle_dos(w, D), "k:", label="U = 0, exact")
    axis.axhline(luttinger, color="grey", lw=0.8, ls="--", label="Friedel pinning 2/(pi D)")
    axis.set(xlabel="w / D", ylabel="D A(w)", title="Bethe-bath impurity at half filling, one solve per U")
    axis.legend(fontsize=8)
    figure.tight_layout()
    plot = args.out / "shipped_model_bethe.png"
    figure.savefig(plot, dpi=120)
    print(f"wrote {plot}")


if __name__ == "__main__":
    main()
