"""Complex-time TDVP of one branch: ``|psi(z)> = exp(-i H' z) |phi>`` along ``z = t exp(-i alpha)``.

block2's ``TimeEvolution`` (tangent-space method, ``TETypes.TangentSpace``) applies ``exp(-beta H')``; one
time step ``dt`` of the contour parameter is ``beta = i dt exp(-i alpha)``, whose real part
``dt sin(alpha) > 0`` damps every excitation of ``H' = H - E0 >= 0`` (``METHOD.md`` section 2). Each step
is a symmetric pair of half sweeps (second order in dt). One persistent ``TimeEvolution`` object serves
all steps: calling ``td_dmrg`` once per step rebuilds the environments and was 3 times slower (issue 4).

Starting from the rank-deficient ``d+|0>`` or ``d|0>`` (its bond dimensions are those of the ground state,
too small for the evolved state) leaves a TDVP projection error of about 3e-6 at the first step; splitting the
first step into ``MPSSettings.initial_substeps`` smaller two-site steps lets the bond dimensions grow first
(basis enrichment) and removes it. The evolution stays two-site throughout (``algorithm='tdvp2'``): bond dimensions
adapt up to ``chi`` under ``svd_cutoff``.

After every step the overlaps ``<bra_j|psi(z)>`` with the given bras are recorded: ``d+|0>`` for G and
``H' d+|0>`` for its alpha-derivative (``mps.solver``).

What is not here: real time (alpha = 0, no damping), the Green's function conventions (``mps.solver``).
Layer: ``mps`` (layer 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine import Block2Session

__all__ = ["BranchRecord", "evolve_branch"]


@dataclass
class BranchRecord:
    """Overlaps along one branch and the run's truncation record.

    Attributes
    ----------
    overlaps : numpy.ndarray of complex, shape (n_t, n_bras)
        ``<bra_j|psi(t_k exp(-i alpha))>`` at ``t_k = k dt``, ``k = 0 .. n_steps``.
    max_bond_dim : int
        Largest bond dimension of the evolved MPS over the run.
    discarded_weight : float
        Largest discarded weight of a TDVP sweep over the run.
    """

    overlaps: np.ndarray
    max_bond_dim: int
    discarded_weight: float


def _time_evolution(session: Block2Session, mpo, psi):
    bw, s = session.bw, session.settings
    environment = bw.bs.MovingEnvironment(mpo, psi, psi, "TE")
    environment.delayed_contraction = bw.b.OpNamesSet.normal_ops()
    environment.cached_contraction = True
    environment.init_environments(False)
    evolution = bw.bs.TimeEvolution(environment, bw.b.VectorUBond([s.chi]), bw.b.TETypes.TangentSpace)
    evolution.hermitian = True  # H' is Hermitian; the non-unitarity sits in the complex step
    evolution.iprint = 0
    evolution.n_sub_sweeps = 1
    evolution.normalize_mps = False  # the norm decay is the signal
    evolution.cutoff = s.svd_cutoff
    evolution.krylov_conv_thrd = s.krylov_tol
    evolution.krylov_subspace_size = 20
    return psi, evolution


def evolve_branch(session: Block2Session, mpo, phi, bras, alpha: float, tag: str) -> BranchRecord:
    """Evolve ``phi`` along ``z = t exp(-i alpha)`` with ``mpo`` (= H' = H - E0) and record overlaps.

    Parameters
    ----------
    session : Block2Session
        The open session; its settings give ``dt``, ``n_steps``, ``chi``, ``initial_substeps``.
    mpo : block2 MPO
        ``H' = H - E0`` (energy unit), so the state stays bounded.
    phi : block2 MPS
        Initial state (two-site MPS; not modified).
    bras : sequence of block2 MPS
        States to project on after each step.
    alpha : float
        Angle of the ray (radians, ``0 < alpha < pi/2``).
    tag : str
        block2 tag of the evolved MPS (unique within the session).

    Returns
    -------
    BranchRecord
    """
    s = session.settings
    psi = session.copy(phi, tag)
    overlaps = np.empty((s.n_steps + 1, len(bras)), dtype=complex)
    overlaps[0] = [session.overlap(bra, psi) for bra in bras]
    beta = 1j * s.dt * np.exp(-1j * alpha)  # exp(-beta H') advances z by dt exp(-i alpha)
    psi, evolution = _time_evolution(session, mpo, psi)
    max_bond, discarded = 0, 0.0
    for k in range(1, s.n_steps + 1):
        substeps = s.initial_substeps if k == 1 else 1
        for _ in range(substeps):
            evolution.solve(2, beta / (2 * substeps), psi.center == 0)
            discarded = max(discarded, float(max(evolution.discarded_weights, default=0.0)))
        max_bond = max(max_bond, int(psi.info.get_max_bond_dimension()))
        overlaps[k] = [session.overlap(bra, psi) for bra in bras]
    return BranchRecord(overlaps, max_bond, discarded)
