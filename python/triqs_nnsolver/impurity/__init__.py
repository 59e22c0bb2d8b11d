"""The impurity layer: arrays in, arrays out, no TRIQS; what the Solver and the DMFT loops both stand on.

- :mod:`.solution`: the protocol every impurity solver implements, :class:`ImpuritySolver`
  (``solve(w, rho_Delta, U, eps_d) -> ImpuritySolution``: A on the real axis, its resolution, diagnostics and
  an uncertainty where the solver has one);
- :mod:`.neural`: :class:`NeuralImpuritySolver`, the exported network (the shipped model by default);
- :mod:`.free`: :class:`FreeImpuritySolver`, the exact U = 0 answer;
- :mod:`.lanczos`: :class:`LanczosImpuritySolver`, exact T = 0 for a discretized bath of up to 11 levels;
- :mod:`.mps`: :class:`MPSImpuritySolver`, complex-time DMRG + TDVP for a large discretized bath (29 levels);
- :mod:`.discretization`: the one rule that turns the caller's rho_Delta into a star bath (Lanczos, MPS);
- :mod:`.outputs`: the one output path from a real-axis solution ``A(w)`` to ``G_w``, ``Sigma_w``, ``G0_w``,
  ``Sigma_iw``, ``G_iw`` (Dyson, exact tail), ``G_tau``, ``G_l``, the density and Z.

Layer: ``impurity`` (above ``runtime``, below ``solver`` and ``dmft``).
"""

from .free import FreeImpuritySolver
from .lanczos import LanczosImpuritySolver
from .mps import MPSImpuritySolver
from .neural import NeuralImpuritySolver
from .outputs import (
    density,
    g0_real_axis,
    green_functions,
    integral_below_fermi_level,
    legendre_from_matsubara,
    matsubara_functions,
    pole_width,
    quasiparticle_weight,
    real_axis_functions,
    tail_of_g,
    tau_from_iw,
)
from .solution import (
    DomainWarning,
    ImpuritySolution,
    ImpuritySolver,
    OutsideTrainingDomainError,
    check_problem,
)

__all__ = [
    "MPSImpuritySolver",
    "ImpuritySolver",
    "ImpuritySolution",
    "DomainWarning",
    "OutsideTrainingDomainError",
    "check_problem",
    "NeuralImpuritySolver",
    "FreeImpuritySolver",
    "LanczosImpuritySolver",
    "integral_below_fermi_level",
    "density",
    "quasiparticle_weight",
    "g0_real_axis",
    "pole_width",
    "real_axis_functions",
    "matsubara_functions",
    "tau_from_iw",
    "tail_of_g",
    "legendre_from_matsubara",
    "green_functions",
]
