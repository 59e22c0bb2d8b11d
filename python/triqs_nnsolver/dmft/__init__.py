"""Real-frequency DMFT for the one-band Hubbard model at T = 0: the Bethe lattice and any one-band lattice.

The loop of ``METHOD.md`` section 4 on the impurity layer (any :class:`triqs_nnsolver.impurity.ImpuritySolver`,
``solve(w, rho_Delta, U, eps_d) -> ImpuritySolution``, and its output path for G, Sigma, n and Z): lattices by
their DOS with the self-consistency ``Delta = w + mu - Sigma - 1/G_loc`` (:mod:`.lattice`; the Bethe lattice's
closed form ``Delta = t^2 G``, the grid and starts in :mod:`.bethe`; the square and cubic lattices and DOS files
in :mod:`.dos`), linear or Anderson mixing (:mod:`.mixing`), the loop
with its history and an honest not-converged flag (:mod:`.loop`), observables Z, A(0), n, Sigma by
Dyson (:mod:`.observables`), the chemical potential for a target density (:mod:`.chemical_potential`),
U scans with a direction for the hysteresis (:mod:`.scan`), TRIQS-layout archives (:mod:`.results`)
and PNG plots (:mod:`.plots`). It does not use the TRIQS-style ``Solver``, and it has no multi-band lattice,
no finite temperature, no magnetic order (the blocks 'up' and 'down' are equal).

Layer: ``dmft`` (above ``solver``, below ``cli``). Documentation: ``doc/dmft.md``.
"""

from .bethe import bethe_hybridization, initial_spectral_function, real_frequency_mesh
from .chemical_potential import DensitySearchError, find_eps_d
from .config import BetheDMFTConfig
from .dos import (
    LATTICES,
    cubic_lattice,
    cubic_lattice_dos,
    named_lattice,
    read_dos_file,
    square_lattice,
    square_lattice_dos,
)
from .lattice import BetheLattice, DOSLattice, Lattice, initial_bath
from .loop import (
    BetheDMFTResult,
    DMFTNotConvergedWarning,
    DMFTResult,
    SpectralWeightWarning,
    run_bethe_dmft,
    run_lattice_dmft,
)
from .mixing import AndersonMixer, LinearMixer, make_mixer
from .observables import (
    BetheObservables,
    DMFTObservables,
    bethe_observables,
    density_from_spectral,
    dmft_observables,
    double_occupancy,
    quasiparticle_weight,
    spectral_at_fermi_level,
)
from .plots import plot_result, plot_scan
from .problem_sets import visited_problems
from .results import matsubara_functions, spin_blocks, write_result, write_result_archive, write_scan_archive
from .scan import run_u_scan, scan_values

__all__ = [
    "visited_problems",
    "BetheDMFTConfig",
    "BetheDMFTResult",
    "DMFTResult",
    "BetheObservables",
    "DMFTObservables",
    "Lattice",
    "BetheLattice",
    "DOSLattice",
    "LATTICES",
    "square_lattice",
    "cubic_lattice",
    "square_lattice_dos",
    "cubic_lattice_dos",
    "named_lattice",
    "read_dos_file",
    "initial_bath",
    "run_lattice_dmft",
    "DMFTNotConvergedWarning",
    "SpectralWeightWarning",
    "DensitySearchError",
    "run_bethe_dmft",
    "run_u_scan",
    "scan_values",
    "real_frequency_mesh",
    "bethe_hybridization",
    "initial_spectral_function",
    "LinearMixer",
    "AndersonMixer",
    "make_mixer",
    "find_eps_d",
    "bethe_observables",
    "dmft_observables",
    "spectral_at_fermi_level",
    "density_from_spectral",
    "quasiparticle_weight",
    "double_occupancy",
    "spin_blocks",
    "matsubara_functions",
    "write_result",
    "write_result_archive",
    "write_scan_archive",
    "plot_result",
    "plot_scan",
]
