"""
Swapping CTHYB for the network in a TRIQS script
================================================

A TRIQS DMFT script changes one line, ``from triqs_nnsolver import Solver`` instead of
``from triqs_cthyb import Solver``, and gets ``G_iw``, ``Sigma_iw``, ``G_tau``, ``G_l`` as before and, in addition,
the real-frequency ``A_w``, ``G_w`` and ``Sigma_w`` (:doc:`/solver`). The script below is the Bethe-lattice loop of
TRIQS's tutorials and of CTHYB's ``single_site_bethe`` test, ``doc/examples/bethe_dmft_triqs.py``, in full:

.. literalinclude:: ../examples/bethe_dmft_triqs.py
   :language: python

It needs TRIQS, which is not installable from PyPI. When TRIQS is importable, this page runs it (two iterations at
beta = 20) and plots the result; otherwise it says so, and the same loop on the package's own containers,
``doc/examples/bethe_dmft_arrays.py``, runs instead: it needs no TRIQS. The shipped model's accuracy is in
its card (:doc:`/model_card`).
"""

import importlib.util
import runpy
import shutil
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

from triqs_nnsolver.h5 import HDFArchive

HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()  # sphinx-gallery: no __file__, cwd
EXAMPLES = HERE.parent / "examples"  # this script lies in doc/tutorials/
HAVE_TRIQS = importlib.util.find_spec("triqs") is not None

# %%
# Run the TRIQS script if TRIQS is there, else its twin without TRIQS.

script = "bethe_dmft_triqs.py" if HAVE_TRIQS else "bethe_dmft_arrays.py"
if not HAVE_TRIQS:
    print("TRIQS is not importable here: running bethe_dmft_arrays.py, the same loop on the package's containers")
out = Path(tempfile.mkdtemp(prefix="cthyb_swap_"))
argv = sys.argv
sys.argv = [script, "--n-loops", "2", "--beta", "20", "--out", str(out)]
try:
    runpy.run_path(str(EXAMPLES / script), run_name="__main__")
finally:
    sys.argv = argv

# %%
# The real-frequency spectral function the solver adds to the Matsubara results.

with HDFArchive(str(out / script.replace(".py", ".h5")), "r") as archive:
    A_w = archive["A_w"]["up"]
figure, axis = plt.subplots(figsize=(6.4, 3.6))
axis.plot(A_w.mesh.points, A_w.data[:, 0, 0].real)
axis.set(xlabel="w / D", ylabel="D A(w)", xlim=(-4, 4), title=f"S.A_w after two iterations ({script})")
shutil.rmtree(out)
