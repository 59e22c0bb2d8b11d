"""
Reading and writing TRIQS archives without TRIQS
================================================

:mod:`triqs_nnsolver.h5` reads every archive layout TRIQS has written (2.x to 4.0) and writes the TRIQS >= 3.2
one, with h5py and numpy only: TRIQS need not be installed. Green's functions come back as the containers of
:mod:`triqs_nnsolver.gf`. This tutorial reads an archive written by TRIQS itself (the CTHYB ``single_site_bethe``
reference shipped with the tests), checks the Dyson identity it holds, and writes a new archive that TRIQS 3.2+
reads back as a ``BlockGf``. The format is described in :doc:`/h5`.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from triqs_nnsolver.gf import BlockGf, Gf, MeshReFreq, semicircle_dos, semicircle_gf
from triqs_nnsolver.h5 import HDFArchive

HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()  # sphinx-gallery: no __file__, cwd
REPOSITORY = HERE.parents[1]  # this script lies in doc/tutorials/

# %%
# Reading an archive written by TRIQS
# -----------------------------------
# Keys, then a ``BlockGf`` on a Matsubara mesh: blocks in their stored order, ``data`` of shape
# ``(*mesh.shape, *target_shape)``.

path = REPOSITORY / "test" / "fixtures" / "triqs" / "cthyb__single_site_bethe.ref.h5"
with HDFArchive(str(path), "r") as archive:
    print("keys:", sorted(archive.keys()))
    G_iw, G0_iw, Sigma_iw = archive["G_iw"], archive["G0_iw"], archive["Sigma_iw"]
for name, block in G_iw:
    print(f"block {name!r}: mesh {block.mesh}, data {block.data.shape} {block.data.dtype}")

# %%
# The archive's own identity: Dyson's equation ``Sigma = G0^-1 - G^-1`` on the Matsubara axis.

up = slice(None), 0, 0
dyson = 1 / G0_iw["up"].data[up] - 1 / G_iw["up"].data[up]
print(f"max |Sigma - (G0^-1 - G^-1)| = {np.abs(Sigma_iw['up'].data[up] - dyson).max():.2e}")

iw = G_iw["up"].mesh.points
positive = iw > 0
figure, axis = plt.subplots(figsize=(6.4, 3.6))
axis.plot(iw[positive], G_iw["up"].data[up][positive].imag, ".-", label="Im G(iw_n)")
axis.plot(iw[positive], Sigma_iw["up"].data[up][positive].imag, ".-", label="Im Sigma(iw_n)")
axis.set(xlabel="w_n", xlim=(0, 10), title="read from a TRIQS-written archive (CTHYB)")
axis.legend()

# %%
# Writing an archive TRIQS reads
# ------------------------------
# A ``BlockGf`` on a uniform real-frequency mesh (``MeshReFreq``, readable by TRIQS 3.2, 3.3 and 4.0), and a
# dict of parameters, written in the TRIQS >= 3.2 layout and read back.

mesh = MeshReFreq(-2.0, 2.0, 401)
w = mesh.points
G_w = semicircle_gf(w + 0.02j, 1.0).reshape(-1, 1, 1)
G = BlockGf(["up", "down"], [Gf(mesh, G_w.copy()), Gf(mesh, G_w.copy())])
out = Path("triqs_archives_tutorial.h5")
with HDFArchive(str(out), "w") as archive:
    archive["G_w"] = G
    archive["parameters"] = {"D": 1.0, "eta": 0.02}
with HDFArchive(str(out), "r") as archive:
    back = archive["G_w"]
    print("read back:", back.block_names, back["up"].mesh, archive["parameters"])
assert np.array_equal(back["down"].data, G["down"].data)
out.unlink()

figure, axis = plt.subplots(figsize=(6.4, 3.6))
axis.plot(w, -back["up"].data[:, 0, 0].imag / np.pi, label="-Im G(w + 0.02i) / pi, written and read back")
axis.plot(w, semicircle_dos(w, 1.0), "k:", label="semicircle, D = 1")
axis.set(xlabel="w / D", ylabel="A(w)")
axis.legend(fontsize=8)
