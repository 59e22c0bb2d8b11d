"""The impurity layer: arrays in, arrays out, no TRIQS; what the Solver and the DMFT loops both stand on.

- :mod:`.outputs`: the one output path from a real-axis solution ``A(w)`` to ``G_w``, ``Sigma_w``, ``G0_w``,
  ``Sigma_iw``, ``G_iw`` (Dyson, exact tail), ``G_tau``, ``G_l``, the density and Z.

Layer: ``impurity`` (above ``runtime``, below ``solver`` and ``dmft``).
"""

from .outputs import (
    density,
    g0_real_axis,
    green_functions,
    legendre_from_matsubara,
    matsubara_functions,
    quasiparticle_weight,
    real_axis_functions,
    tau_from_iw,
)

__all__ = [
    "density",
    "quasiparticle_weight",
    "g0_real_axis",
    "real_axis_functions",
    "matsubara_functions",
    "tau_from_iw",
    "legendre_from_matsubara",
    "green_functions",
]
