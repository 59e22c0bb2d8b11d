"""
Real-frequency DMFT on the Bethe lattice with the shipped model
===============================================================

The half-filled Hubbard model on the Bethe lattice (semicircular density of states, half-bandwidth D = 1, hopping
``t = D/2``) solved by DMFT directly on the real axis at T = 0: the bath of every iteration is ``Delta = t^2 G``,
the network maps it to ``A(w)``, and ``G``, ``Sigma``, ``Z`` follow by Kramers-Kronig and Dyson (:doc:`/dmft`).
This is what ``triqs-nnsolver bethe`` and ``make demo`` run.

.. note::

   The shipped model, ``lanczos9-sigma``, is a causal self-energy network trained on 9-level Lanczos baths
   (:doc:`/model_card`). Inside the loop it pins ``A(0)`` to the Luttinger value in the metal and opens the Mott gap
   from an insulating start; it is not yet the production model of MPS-trained continuous baths, and its card lists
   the gates it still misses. The curves below are regenerated at every build, next to the Lanczos-DMFT references
   of ``data/reference/lanczos`` (broadened by about half their level spacing, so their peaks are lower and wider).
"""

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from triqs_nnsolver.dmft import (
    BetheDMFTConfig,
    DMFTNotConvergedWarning,
    SpectralWeightWarning,
    run_bethe_dmft,
    run_u_scan,
)
from triqs_nnsolver.h5 import HDFArchive
from triqs_nnsolver.impurity import NeuralImpuritySolver

HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()  # sphinx-gallery: no __file__, cwd
REFERENCES = HERE.parents[1] / "data" / "reference" / "lanczos"  # this script lies in doc/tutorials/
LUTTINGER = 2 / np.pi  # A(0) of a Fermi liquid at half filling, 2/(pi D)

# %%
# One DMFT run at U = 2 D
# -----------------------
# ``NeuralImpuritySolver()`` loads the shipped model (``runtime.DEFAULT_MODEL``); ``run_bethe_dmft`` runs the loop
# from a metallic start until ``D max |A_new - A_old| < tol`` or ``max_iter``.

solver = NeuralImpuritySolver()
print(f"model: {Path(solver.model.runner.path).parent.name} ({solver.model.runner.backend} runner)")
result = run_bethe_dmft(solver, BetheDMFTConfig(U=2.0))
obs = result.observables
print(f"converged: {result.converged} after {result.n_iter} iterations")
print(f"A(0) = {obs.A0:.3f} (Luttinger 2/(pi D) = {LUTTINGER:.3f}), Z = {obs.Z:.3f}, n = {obs.density:.3f}")


# %%
# The Lanczos-DMFT reference at the same U: 9 bath levels, exact at T = 0, broadened (``data/reference``).


def reference_points(name: str) -> list[dict]:
    """U, Z, A(0), w, A(w) and Sigma(w) of every point of a committed Lanczos scan archive."""
    points = []
    with HDFArchive(str(REFERENCES / name), "r") as archive:
        for key in sorted(k for k in archive if k.startswith("point_")):
            run = archive[key]
            A_w, Sigma_w = run["A_w"]["up"], run["Sigma_w"]["up"]
            results = run["results"]
            points.append(
                {
                    "U": results["U"],
                    "Z": results["Z"],
                    "A0": results["A0"],
                    "w": np.asarray(A_w.mesh.points),
                    "A": A_w.data[:, 0, 0].real,
                    "Sigma": Sigma_w.data[:, 0, 0],
                }
            )
    return points


metal = reference_points("halffilling_up_metal.h5")
ref = next(p for p in metal if p["U"] == 2.0)

figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
left.plot(result.w, result.A, label="shipped model")
left.plot(ref["w"], ref["A"], "k--", label="Lanczos reference")
left.axhline(LUTTINGER, color="grey", lw=0.8, ls=":", label="2/(pi D)")
left.set(xlabel="w / D", ylabel="D A(w)", xlim=(-4, 4), title="U = 2 D, half filling")
left.legend(fontsize=8)
right.plot(result.w, obs.Sigma_w.real, label="Re Sigma, model")
right.plot(result.w, obs.Sigma_w.imag, label="Im Sigma, model")
right.plot(ref["w"], ref["Sigma"].real, "k--", lw=1, label="Re Sigma, Lanczos")
right.plot(ref["w"], ref["Sigma"].imag, "k:", lw=1, label="Im Sigma, Lanczos")
right.set(xlabel="w / D", ylabel="Sigma(w) / D", xlim=(-4, 4), ylim=(-4, 4))
right.legend(fontsize=8)
figure.tight_layout()

# %%
# Z(U) and A(0)(U) on the metallic branch
# ---------------------------------------
# ``run_u_scan`` starts each U from the previous point's ``A`` (going up: the metallic branch). A coarser grid
# (600 points, ``h = 0.02 D``, the references' grid) and at most 40 iterations keep this cheap; points that do not
# converge are marked with open symbols. The references' Z, from the slope of Re Sigma at w = 0, is not the
# quasiparticle weight near the transition: their Sigma comes by Dyson from a broadened A, whose slope the broadening
# sets (it exceeds 1 from U = 2.5 D); A(0) is the observable to compare (:doc:`/dmft`, "Lanczos-DMFT references").

U_values = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DMFTNotConvergedWarning)  # reported in the table instead
    warnings.simplefilter("ignore", SpectralWeightWarning)  # int A on the model grid misses its tails (about 1 %)
    scan = run_u_scan(solver, U_values, BetheDMFTConfig(n_w=600, max_iter=40), direction="up")
print(f"{'U/D':>5} {'converged':>9} {'iter':>4} {'Z':>7} {'A(0)':>7}")
for point in scan:
    o = point.observables
    print(f"{point.config.U:5.2f} {point.converged!s:>9} {point.n_iter:4d} {o.Z:7.3f} {o.A0:7.3f}")

figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
for axis, key in ((left, "Z"), (right, "A0")):
    U_ref = [p["U"] for p in metal]
    axis.plot(U_ref, [p[key] for p in metal], "k.--", label="Lanczos reference (metallic branch)")
    for converged, marker in ((True, "o"), (False, "o")):
        chosen = [p for p in scan if p.converged == converged]
        values = [getattr(p.observables, key) for p in chosen]
        face = None if converged else "none"
        label = "shipped model" + ("" if converged else ", not converged")
        axis.plot([p.config.U for p in chosen], values, marker, mfc=face, color="C0", ls="", label=label)
    axis.set(xlabel="U / D")
    axis.legend(fontsize=8)
left.set(ylabel="Z", ylim=(-0.1, 1.1))
right.axhline(LUTTINGER, color="grey", lw=0.8, ls=":")
right.set(ylabel="D A(0)")
figure.tight_layout()
