"""Exact references: free fermions (U = 0) and exact diagonalization of the SIAM (T = 0, Lehmann).

Modules: :mod:`.free_fermions` (U = 0, any bath), :mod:`.fock` (the (N_up, N_dn) sectors), :mod:`.ed` (dense ED,
up to 6 bath levels per spin), :mod:`.krylov` (Lanczos with partial reorthogonalization), :mod:`.lanczos`
(Lanczos ED, 7 to 11 bath levels per spin, the same :class:`SiamSolution`).

Both return the impurity Green's function as pole sums (:class:`triqs_nnsolver.gf.PoleSum`), split into
particle and hole parts, from which every representation follows in closed form: real axis,
Matsubara axis, imaginary time, and the complex-time rays of ``METHOD.md`` section 2.
Layer: ``reference`` (layer 1, above ``gf``; imports ``gf`` and ``bath``).
"""

from .ed import MAX_BATH, SiamSolution, solve_siam
from .free_fermions import (
    free_ground_state_energy,
    free_impurity_gf,
    free_impurity_gf_continuous,
    free_impurity_gf_iw,
    free_impurity_gf_w,
    free_impurity_greater,
    free_impurity_lehmann,
    free_impurity_lesser,
    free_impurity_occupation,
    free_impurity_poles,
    single_particle_hamiltonian,
)
from .lanczos import MAX_BATH_LANCZOS, MAX_KRYLOV, solve_siam_lanczos

__all__ = [
    "MAX_BATH",
    "SiamSolution",
    "solve_siam",
    "MAX_BATH_LANCZOS",
    "MAX_KRYLOV",
    "solve_siam_lanczos",
    "single_particle_hamiltonian",
    "free_impurity_poles",
    "free_impurity_lehmann",
    "free_impurity_gf",
    "free_impurity_gf_w",
    "free_impurity_gf_iw",
    "free_impurity_greater",
    "free_impurity_lesser",
    "free_ground_state_energy",
    "free_impurity_occupation",
    "free_impurity_gf_continuous",
]
