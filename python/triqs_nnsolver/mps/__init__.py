"""Complex-time MPS data: DMRG ground state and TDVP along ``z = t exp(-i alpha)`` with block2.

- :mod:`.settings`: :class:`MPSSettings` (bond dimension, cutoff, time step, t_max, algorithm, bath size, scratch);
- :mod:`.geometry`: the spin-split geometry (spin-up chain reversed, d_up, d_dn, spin-down chain) and H's terms;
- :mod:`.engine`: :class:`Block2Session`, the only module that touches block2 (``SZ|CPX`` mode, tmpfs scratch);
- :mod:`.ground_state`: DMRG in the particle-number sector of lowest energy;
- :mod:`.evolution`: TDVP of one branch with one persistent time-evolution object;
- :mod:`.solver`: :func:`solve_complex_time` -> :class:`ComplexTimeResult` (G>, G<, alpha-derivatives,
  ``A~_alpha`` and ``dA~_alpha/dalpha`` through ``spectral.window``) and its :class:`RunReport`.

Physics and conventions: ``METHOD.md`` sections 1-2; arXiv:2311.10909, arXiv:2511.14505. Documentation:
``doc/mps.md``. What is not here: dataset files (``triqs_nnsolver.data.mps_source``).
Layer: ``mps`` (layer 2; imports ``bath``, ``reference``, ``spectral``; block2 when a run starts).
"""

from .engine import Block2Session
from .geometry import SPINS, SpinSplitGeometry
from .ground_state import GroundState, find_ground_state, hartree_filling
from .settings import ALGORITHMS, MPSSettings, default_scratch_dir
from .solver import ComplexTimeResult, RunReport, chain_for, solve_complex_time

__all__ = [
    "ALGORITHMS",
    "MPSSettings",
    "default_scratch_dir",
    "SPINS",
    "SpinSplitGeometry",
    "Block2Session",
    "GroundState",
    "hartree_filling",
    "find_ground_state",
    "ComplexTimeResult",
    "RunReport",
    "chain_for",
    "solve_complex_time",
]
