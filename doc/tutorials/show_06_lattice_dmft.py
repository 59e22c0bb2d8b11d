"""
One-band lattice DMFT
=====================

*Not available yet.* Real-frequency DMFT for one-band lattices beyond the Bethe lattice is the subject of issue 14
and is not in the package yet; this tutorial will run it on the shipped model once it lands (rename this file to
``plot_06_lattice_dmft.py`` so that it is executed at every build). Until then, the Bethe lattice:
:ref:`sphx_glr_auto_tutorials_plot_02_bethe_dmft.py`.
"""

print("lattice DMFT: not in the package yet (issue 14)")
