"""Exact diagonalization at U = 0 against the free-fermion module on a chain bath (two independent paths)."""

import numpy as np

from triqs_nnsolver.bath import chain_to_star, semicircle_chain
from triqs_nnsolver.reference import free_ground_state_energy, free_impurity_lehmann, solve_siam


def _merged(poles):
    """Energies and weights with degenerate poles summed (ED may return a level several times)."""
    energies = np.round(poles.energies, 10)
    unique = np.unique(energies)
    return unique, np.array([poles.weights[energies == e].sum() for e in unique])


def test_ed_at_u0_equals_free_fermions_on_a_bethe_chain():
    chain = semicircle_chain(1.0, 5)  # 5 chain sites with t = D/2: odd count, no zero mode at eps_d = 0.1
    eps_d = 0.1
    solution = solve_siam(chain_to_star(chain), U=0.0, eps_d=eps_d)
    particle, hole = free_impurity_lehmann(chain, eps_d)  # the chain itself, diagonalized directly
    for ed_part, free_part in ((solution.particle, particle), (solution.hole, hole)):
        ed_energies, ed_weights = _merged(ed_part)
        # Lanczos star <-> chain and two diagonalizations: float64 rounding, ~1e-14
        np.testing.assert_allclose(ed_energies, np.sort(free_part.energies), atol=1e-12)
        np.testing.assert_allclose(ed_weights, free_part.weights[np.argsort(free_part.energies)], atol=1e-12)
    assert abs(solution.E0 - free_ground_state_energy(chain, eps_d)) < 1e-12
