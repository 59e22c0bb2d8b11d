"""ED against an independent full-Fock-space construction (Jordan-Wigner, no symmetry blocking).

The full Hamiltonian is built from dense Jordan-Wigner matrices ``c_j = Z x ... x Z x a x 1 x ... x 1``
in the mode order of ``reference.fock`` (all up modes, then all down modes, impurity first). Its
kron basis state ``|n_0 ... n_{M-1}>`` equals ``(c+_0)^{n_0} ... (c+_{M-1})^{n_{M-1}} |vac>`` with sign +1,
so the sector blocks must agree element by element, signs included. Complex-time Green's functions are
then obtained by matrix exponentials of the full H, without any Lehmann sum: this cross-checks the
pole extraction of ``reference.ed``.
"""

import numpy as np
import pytest
import scipy.linalg

from triqs_nnsolver.bath.star import StarBath
from triqs_nnsolver.reference.ed import solve_siam
from triqs_nnsolver.reference.fock import SpinfulSectors, spin_basis
from triqs_nnsolver.reference.free_fermions import single_particle_hamiltonian

ANNIHILATE = np.array([[0.0, 1.0], [0.0, 0.0]])  # local basis (empty, occupied)
PARITY = np.diag([1.0, -1.0])


def jordan_wigner(n_modes: int) -> list[np.ndarray]:
    """Dense annihilators c_0 .. c_{n_modes-1}, each of shape (2^n_modes, 2^n_modes)."""
    ops = []
    for j in range(n_modes):
        factors = [PARITY] * j + [ANNIHILATE] + [np.eye(2)] * (n_modes - j - 1)
        op = np.ones((1, 1))
        for f in factors:
            op = np.kron(op, f)
        ops.append(op)
    return ops


def full_hamiltonian(bath: StarBath, U: float, eps_d: float):
    """(H, c) in the full Fock space; c[s * n_orb + j] annihilates orbital j (0 = impurity) of spin s."""
    n_orb = 1 + bath.n_bath
    c = jordan_wigner(2 * n_orb)
    H = U * (c[0].T @ c[0]) @ (c[n_orb].T @ c[n_orb])
    for s in (0, n_orb):
        H = H + eps_d * c[s].T @ c[s]
        for k in range(bath.n_bath):
            H = H + bath.eps[k] * c[s + 1 + k].T @ c[s + 1 + k]
            H = H + bath.V[k] * (c[s].T @ c[s + 1 + k] + c[s + 1 + k].T @ c[s])
    return H, c


def full_index(up: np.ndarray, dn: np.ndarray, n_orb: int) -> np.ndarray:
    """Row of the kron basis for up/down bit strings: mode j is the (2 n_orb - 1 - j)-th binary digit."""
    bits = up[:, None] | (dn[None, :] << n_orb)  # (dim_up, dim_dn), index i_up * dim_dn + i_dn
    index = np.zeros(bits.shape, dtype=np.int64)
    for j in range(2 * n_orb):
        index |= ((bits >> j) & 1) << (2 * n_orb - 1 - j)
    return index.ravel()


def ground_manifold(H: np.ndarray, tol: float = 1e-9):
    """E0, the ground states (dim, k) and the full eigen-decomposition (E, X) of the full H."""
    E, X = np.linalg.eigh(H)
    return E[0], X[:, E <= E[0] + tol], (E, X)


def propagated(eigen, E0, vectors, z):
    """``<v| exp(-i H' z) |v>`` averaged over the columns v of ``vectors`` (dim, k), for complex z of any shape.

    Uses the eigen-decomposition of the full H (not the sectors of ``reference``): the overlaps
    ``|<n|v>|^2`` with every full-space eigenstate, summed with ``exp(-i (E_n - E0) z)``.
    """
    E, X = eigen
    overlaps = ((X.T @ vectors) ** 2).sum(axis=1) / vectors.shape[1]  # (dim,)
    z = np.asarray(z, dtype=complex)
    return (overlaps * np.exp(-1j * (E - E0) * z[..., None])).sum(axis=-1)


def greater_by_propagation(c_d, E0, ground, eigen, z):
    """``G>(z) = -i <0| d exp(-i H' z) d+ |0>``, averaged over the ground manifold."""
    return -1j * propagated(eigen, E0, c_d.T @ ground, z)


def lesser_by_propagation(c_d, E0, ground, eigen, zbar):
    """``G<(zbar) = +i <0| d+ exp(+i H' zbar) d |0>`` = ``+i <v| exp(-i H' (-zbar)) |v>``, v = d|0>."""
    return 1j * propagated(eigen, E0, c_d @ ground, -np.asarray(zbar))


RNG = np.random.default_rng(20240611)
# Three random bath levels (8 modes, 256 states) for the element-by-element sign check.
SIGN_CHECK = (StarBath(np.sort(RNG.uniform(-1.5, 1.5, 3)), RNG.uniform(0.2, 0.7, 3)), 2.0, -0.7)
# Small baths (16 and 64 states, so the full-space eigh stays cheap): a random bath, and particle-hole
# symmetric ones with a doublet (odd number of orbitals) and a singlet ground state.
BATHS = {
    "random": (StarBath(np.sort(RNG.uniform(-1.5, 1.5, 2)), RNG.uniform(0.2, 0.7, 2)), 2.0, -0.7),
    "ph_doublet": (StarBath([-0.8, 0.8], [0.4, 0.4]), 3.0, -1.5),
    "ph_singlet": (StarBath([0.0], [0.5]), 3.0, -1.5),
}


@pytest.fixture(scope="module", params=sorted(BATHS))
def case(request):
    bath, U, eps_d = BATHS[request.param]
    H, c = full_hamiltonian(bath, U, eps_d)
    E0, ground, eigen = ground_manifold(H)
    return bath, U, eps_d, H, c, E0, ground, eigen


def test_sector_blocks_equal_full_hamiltonian_with_signs():
    bath, U, eps_d = SIGN_CHECK
    n_orb = 1 + bath.n_bath
    H, c = full_hamiltonian(bath, U, eps_d)
    sectors = SpinfulSectors(single_particle_hamiltonian(bath, eps_d), U)
    for n_up in range(n_orb + 1):
        for n_dn in range(n_orb + 1):
            rows = full_index(spin_basis(n_orb, n_up), spin_basis(n_orb, n_dn), n_orb)
            # Same matrix elements computed two ways: only float64 rounding of the sums (a few eps * |H|).
            np.testing.assert_allclose(sectors.hamiltonian(n_up, n_dn).toarray(), H[np.ix_(rows, rows)], atol=1e-14)
            for spin, n_below, c_d in (("up", (n_up - 1, n_dn), c[0]), ("down", (n_up, n_dn - 1), c[n_orb])):
                if min(n_below) < 0:
                    continue
                target = full_index(spin_basis(n_orb, n_below[0]), spin_basis(n_orb, n_below[1]), n_orb)
                block = sectors.impurity_annihilator(spin, n_up, n_dn).toarray()
                np.testing.assert_array_equal(block, c_d[np.ix_(target, rows)])  # exact +-1 entries


def test_ground_state_and_occupations(case):
    bath, U, eps_d, H, c, E0, ground, _ = case
    solution = solve_siam(bath, U, eps_d)
    assert solution.degeneracy == ground.shape[1]
    assert solution.E0 == pytest.approx(E0, abs=1e-13)  # eigh round-off, about eps * ||H|| ~ 1e-15 (seen 2e-15)
    n_orb = 1 + bath.n_bath
    n_up = np.einsum("ik,ij,jk->", ground, c[0].T @ c[0], ground) / ground.shape[1]
    double = np.einsum("ik,ij,jk->", ground, (c[0].T @ c[0]) @ (c[n_orb].T @ c[n_orb]), ground) / ground.shape[1]
    # Expectation values in a (possibly degenerate) eigenspace: eigenvector round-off, ~1e-14.
    assert solution.n_d == pytest.approx(n_up, abs=1e-12)
    assert solution.double_occupancy == pytest.approx(double, abs=1e-12)


def test_eigenbasis_propagation_equals_matrix_exponential(case):
    _, _, _, H, c, E0, ground, eigen = case
    z = 1.3 * np.exp(-0.4j)
    vector = c[0].T @ ground[:, :1]
    direct = -1j * (vector.T @ scipy.linalg.expm(-1j * z * (H - E0 * np.eye(H.shape[0]))) @ vector)[0, 0]
    # expm (Pade, scaling and squaring) against the eigen-expansion: both ~1e-15 * ||H' z|| (seen 4e-16).
    assert greater_by_propagation(c[0], E0, ground[:, :1], eigen, z) == pytest.approx(direct, abs=1e-13)


@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.2])
def test_ray_functions_equal_propagation(case, alpha):
    bath, U, eps_d, _, c, E0, ground, eigen = case
    solution = solve_siam(bath, U, eps_d)
    t = np.linspace(0.0, 6.0, 25)
    z = t * np.exp(-1j * alpha)
    # |G| <= 1; both sides sum the same exponentials with energies and weights from different
    # diagonalizations (sector blocks vs full space): round-off ~1e-15 * (1 + |E z|) <~ 5e-14 (seen 5e-15).
    np.testing.assert_allclose(
        solution.G_greater(t, alpha)[0], greater_by_propagation(c[0], E0, ground, eigen, z), atol=1e-13
    )
    np.testing.assert_allclose(
        solution.G_lesser(t, alpha)[0], lesser_by_propagation(c[0], E0, ground, eigen, z.conj()), atol=1e-13
    )


@pytest.mark.parametrize("alpha", [0.1, 0.7])
def test_alpha_derivatives_equal_finite_differences_of_propagation(case, alpha):
    bath, U, eps_d, _, c, E0, ground, eigen = case
    solution = solve_siam(bath, U, eps_d)
    t = np.linspace(0.0, 3.0, 13)
    h = 1e-4
    ray = t * np.exp(-1j * alpha)
    step = np.exp(-1j * h)
    fd_greater = (
        greater_by_propagation(c[0], E0, ground, eigen, ray * step)
        - greater_by_propagation(c[0], E0, ground, eigen, ray / step)
    ) / (2 * h)
    fd_lesser = (
        lesser_by_propagation(c[0], E0, ground, eigen, (ray * step).conj())
        - lesser_by_propagation(c[0], E0, ground, eigen, (ray / step).conj())
    ) / (2 * h)
    # Central difference: truncation (h^2/6) |d^3G/dalpha^3| <= (h^2/6) sum_p w_p ((t e_p)^3 + 3 (t e_p)^2 + t e_p),
    # 1.7e-9 times a weighted (t e_p)^3 of order 10-100 for t <= 3 here (seen 6e-8); round-off 1e-16 / h = 1e-12.
    np.testing.assert_allclose(solution.G_greater(t, alpha)[1], fd_greater, atol=5e-7)
    np.testing.assert_allclose(solution.G_lesser(t, alpha)[1], fd_lesser, atol=5e-7)
