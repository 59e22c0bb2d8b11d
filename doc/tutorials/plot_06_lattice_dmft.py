"""
One-band lattice DMFT: the square lattice and its van Hove singularity
======================================================================

Real-frequency DMFT at T = 0 on a lattice beyond Bethe: the 2D square lattice (hopping ``t = 1/4``, half-bandwidth
``D = 4t = 1``), whose density of states has a logarithmic van Hove singularity at the band centre. The loop is the
Bethe loop's (:doc:`/dmft`, "Lattices beyond Bethe"): the lattice's local ``G(w) = int D(e) de / (w + mu - e -
Sigma(w))`` is made equal to the impurity's, and the bath follows. This is what ``triqs-nnsolver lattice --lattice
square`` runs.

Three solvers on the same lattice: the exact free solver at U = 0 (where A is the lattice DOS itself), the exact
Lanczos solver of a discretized bath at U = 2 D, and the shipped model at U = 2 D.

.. warning::

   The shipped model is ``lanczos9-sigma`` (:doc:`/model_card`), trained on 9-level Lanczos baths of smooth
   hybridization families; the square lattice's van Hove peak makes baths unlike most of them. Its curve is
   regenerated at every build and will show the production model once it ships; the Lanczos curve is the exact
   answer of a 5-level discretized bath, broadened by half its level spacing (which smears the van Hove peak).
"""

import warnings

import matplotlib.pyplot as plt

from triqs_nnsolver.dmft import (
    BetheDMFTConfig,
    DMFTNotConvergedWarning,
    SpectralWeightWarning,
    run_lattice_dmft,
    square_lattice,
)
from triqs_nnsolver.impurity import FreeImpuritySolver, LanczosImpuritySolver, NeuralImpuritySolver

lattice = square_lattice()  # t = 1/4: D = 1, the DOS on 1000 points of [-1, 1]

# %%
# U = 0: one step from the free bath gives the lattice DOS
# --------------------------------------------------------
# At U = 0 the impurity's A is the local spectral function of the lattice: the DOS, with its log peak at w = 0.

free = run_lattice_dmft(FreeImpuritySolver(), lattice, BetheDMFTConfig(U=0.0, n_w=400, max_iter=1, tol=1e-2))
print(f"U = 0: converged {free.converged}, A(0) = {free.observables.A0:.3f}, n = {free.observables.density:.3f}")

# %%
# U = 2 D: the exact Lanczos solver and the shipped model
# --------------------------------------------------------

config = BetheDMFTConfig(U=2.0, n_w=400, max_iter=30)
runs = {"Lanczos, 5 levels": LanczosImpuritySolver(n_bath=5), "shipped model": NeuralImpuritySolver()}
results = {}
for label, solver in runs.items():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DMFTNotConvergedWarning)  # reported below, not hidden
        warnings.simplefilter("ignore", SpectralWeightWarning)
        results[label] = run_lattice_dmft(solver, lattice, config)
    r = results[label]
    print(
        f"{label}: converged {r.converged} after {r.n_iter} iterations, A(0) = {r.observables.A0:.3f}, "
        f"Z = {r.observables.Z:.3f}, n = {r.observables.density:.3f}"
    )

# %%
# The spectral functions

fig, ax = plt.subplots(figsize=(6, 3.6))
ax.plot(free.w, free.A, "k-", lw=1, label="U = 0 (the DOS)")
for label, r in results.items():
    ax.plot(r.w, r.A, label=f"U = 2 D, {label}")
ax.set_xlim(-3, 3)
ax.set_xlabel("w / D")
ax.set_ylabel("A(w) D")
ax.set_title("square lattice, half filling, T = 0")
ax.legend(fontsize=8)
fig.tight_layout()
