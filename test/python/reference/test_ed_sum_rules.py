"""Spectral sum rules of ``METHOD.md`` section 5 from the exact ED poles.

Moments ``m_k = int w^k A(w) dw = sum_p w_p e_p^k`` are taken exactly from the poles. With
``<n_{-s}>`` the opposite-spin occupation:

    m_0 = 1,   m_1 = eps_d + U <n_{-s}>,   m_2 = eps_d^2 + (2 eps_d U + U^2) <n_{-s}> + sum_k V_k^2.

(``m_k = <{[d, H]_k, d+}>`` with k nested commutators; ``n^2 = n`` gives the U terms.)
"""

import numpy as np
import pytest

from triqs_nnsolver.bath.star import StarBath
from triqs_nnsolver.reference.ed import solve_siam


def random_bath(n_bath: int, seed: int) -> StarBath:
    rng = np.random.default_rng(seed)
    return StarBath(np.sort(rng.uniform(-2.0, 2.0, n_bath)), rng.uniform(0.1, 0.9, n_bath))


@pytest.mark.parametrize(
    ("n_bath", "U", "eps_d"),
    [(4, 2.0, -0.7), (3, 5.0, 1.0), (2, 8.0, -4.2), (0, 2.0, -0.7)],
)
def test_moments_equal_sum_rules(n_bath, U, eps_d):
    bath = random_bath(n_bath, seed=100 + n_bath)
    solution = solve_siam(bath, U, eps_d)
    n_other = solve_siam(bath, U, eps_d, spin="down").n_d
    poles = solution.poles
    moments = [float((poles.weights * poles.energies**k).sum()) for k in range(3)]
    expected = [
        1.0,
        eps_d + U * n_other,
        eps_d**2 + (2 * eps_d * U + U**2) * n_other + bath.total_weight,
    ]
    # Sums of a few hundred products weight * e^k with |e| <~ 10, pole weights from eigh: round-off ~1e-15 * 10^k
    # (seen 7e-15 for k = 2).
    np.testing.assert_allclose(moments, expected, atol=1e-12)


@pytest.mark.slow
def test_moments_at_the_bath_limit():
    """Six bath levels per spin (largest supported): the biggest sectors, 1225 states, diagonalized dense."""
    bath = random_bath(6, seed=106)
    U, eps_d = 2.0, -0.7
    solution = solve_siam(bath, U, eps_d)
    poles = solution.poles
    moments = [float((poles.weights * poles.energies**k).sum()) for k in range(3)]
    # <n_dn> = <n_up>: the ground-state ensemble is spin symmetric (test_ed.test_spin_down_equals_spin_up).
    expected = [1.0, eps_d + U * solution.n_d, eps_d**2 + (2 * eps_d * U + U**2) * solution.n_d + bath.total_weight]
    np.testing.assert_allclose(moments, expected, atol=1e-12)  # as above, about 1000 poles (seen 3e-15)
