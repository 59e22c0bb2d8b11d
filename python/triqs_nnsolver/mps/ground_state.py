"""Ground state of the spin-split SIAM by DMRG in the particle-number sector of lowest energy.

The Hamiltonian conserves N_up and N_dn; its ground state at T = 0 (chemical potential 0, ``METHOD.md``
section 1) lies in the sector of lowest energy. The guess is the Hartree filling: the single-particle
problem of ``reference.single_particle_hamiltonian`` with ``eps_d + U/2`` (exact at U = 0 and at particle-hole
symmetry), N_s levels below 0 per spin, so N = 2 N_s. With ``MPSSettings.check_sectors`` the sectors N - 1 and
N + 1 are solved too, and the search walks on in the direction of falling energy until the energy rises again
(away from half filling the guess can be off by more than one: U = 3, eps_d = -0.5 on a 5-level bath has
its ground state at N = 6, the guess is 4).
Each N is solved at the smallest ``|2 S_z|`` (0 for even N, +1 for odd N): the SIAM ground state is a singlet
or a doublet, and the doublet's S_z = -1/2 partner is its spin-flip image.

What is not here: larger spin (not a SIAM ground state), degeneracy between different N (the lower DMRG
energy wins; exact diagonalization averages over such a degeneracy).
Layer: ``mps`` (layer 2).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from ..bath import ChainBath
from ..reference import single_particle_hamiltonian
from .engine import Block2Session

__all__ = ["GroundState", "hartree_filling", "find_ground_state"]

logger = logging.getLogger(__name__)


@dataclass
class GroundState:
    """DMRG ground state: energy ``E0`` (energy unit), particle number ``n``, ``twos = 2 S_z``, the block2 MPS,
    its largest discarded weight, and the energies of every sector tried ``{(n, twos): E}``."""

    E0: float
    n: int
    twos: int
    mps: object
    discarded_weight: float
    sector_energies: dict


def hartree_filling(chain: ChainBath, U: float, eps_d: float) -> int:
    """Total particle number of the Hartree guess (module docstring), ``0 <= N <= 2 (n_sites + 1)``."""
    levels = np.linalg.eigvalsh(single_particle_hamiltonian(chain, eps_d + 0.5 * U))
    return 2 * int(np.count_nonzero(levels < 0))


def find_ground_state(session: Block2Session, mpo, chain: ChainBath, U: float, eps_d: float) -> GroundState:
    """Lowest-energy sector and its ground state (module docstring).

    Parameters
    ----------
    session : Block2Session
        The open session of this problem.
    mpo : block2 MPO
        Hamiltonian H (without an energy shift).
    chain, U, eps_d
        The problem (energy unit), for the Hartree guess of N.
    """
    n_orbitals = session.geometry.n_sites
    energies, states = {}, {}

    def solve(n):
        if (n, n % 2) not in energies and 0 <= n <= n_orbitals:
            energy, mps, discarded = session.ground_state(mpo, n, n % 2, tag=f"GS{n}")
            energies[(n, n % 2)], states[n] = energy, (mps, discarded)
            logger.debug("sector N = %d, 2Sz = %d: E = %.12f", n, n % 2, energy)

    guess = min(hartree_filling(chain, U, eps_d), n_orbitals)
    solve(guess)
    if session.settings.check_sectors:
        solve(guess - 1)
        solve(guess + 1)
        while True:  # walk while the lowest energy sits at an end of the solved range
            solved = sorted(n for n, _ in energies)
            best_n = min(energies, key=energies.get)[0]
            step = -1 if best_n == solved[0] else 1 if best_n == solved[-1] else 0
            if step == 0 or not 0 <= best_n + step <= n_orbitals:
                break
            solve(best_n + step)
    (n, twos), energy = min(energies.items(), key=lambda item: item[1])
    mps, discarded = states[n]
    return GroundState(energy, n, twos, mps, discarded, energies)
