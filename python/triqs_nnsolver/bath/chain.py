"""Chain (Wilson-chain) representation of a discrete bath and the exact maps to and from the star.

The impurity sits at the end of a tight-binding chain (``METHOD.md`` section 2, MPS step 1):

    H_bath + H_hyb = sum_s [ t_0 (d+_s c_0s + h.c.) + sum_{i=0}^{L-1} eps_i c+_is c_is
                             + sum_{i=1}^{L-1} t_i (c+_{i-1,s} c_is + h.c.) ]

so ``Delta(z) = t_0^2 / (z - eps_0 - t_1^2 / (z - eps_1 - t_2^2 / (...)))``. The star
``Delta(z) = sum_k V_k^2 / (z - eps_k)`` (``bath.star``) and the chain with the same ``Delta`` are related by an
orthogonal change of the bath orbitals: Lanczos tridiagonalization of ``diag(eps_k)`` started from
``V / |V|`` gives the chain (:func:`star_to_chain`), diagonalizing the chain's tridiagonal matrix gives the
star back (:func:`chain_to_star`). The semicircular bath of the Bethe lattice (half-bandwidth D) is
exactly the infinite uniform chain ``eps_i = 0``, ``t_i = D / 2`` (:func:`semicircle_chain`).

What is not here: the discretization of a continuous ``rho_Delta`` (``bath.discretize``), the many-body
Hamiltonian (``mps``, ``reference``).
Layer: ``bath`` (layer 1, above ``gf``); numpy and scipy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import eigh_tridiagonal

from .star import StarBath

__all__ = ["ChainBath", "star_to_chain", "chain_to_star", "hybridization_chain", "semicircle_chain"]


@dataclass(frozen=True, eq=False)
class ChainBath:
    """A bath chain with the impurity at its end; both arrays of shape (n_sites,), energy unit.

    Parameters
    ----------
    eps : array_like, shape (L,)
        On-site energies of the chain sites 0 .. L-1 (site 0 is the one next to the impurity).
    t : array_like, shape (L,)
        Hoppings: ``t[0]`` couples the impurity to site 0, ``t[i]`` (i >= 1) couples site i-1 to site i,
        each entering as ``t (c+ c' + h.c.)``. Their signs can be gauged away and do not change the
        impurity; :func:`star_to_chain` returns ``t > 0``. ``t[0]^2 = sum_k V_k^2 = int rho_Delta``.

    Raises
    ------
    ValueError
        If the lengths differ or an entry is not finite.
    """

    eps: np.ndarray
    t: np.ndarray

    def __post_init__(self):
        eps = np.array(self.eps, dtype=float).ravel()
        t = np.array(self.t, dtype=float).ravel()
        if eps.shape != t.shape:
            raise ValueError(f"eps and t must have the same length (one hopping per site); got {eps.size} and {t.size}")
        if not (np.all(np.isfinite(eps)) and np.all(np.isfinite(t))):
            raise ValueError(f"eps and t must be finite; got eps = {eps!r}, t = {t!r}")
        eps.flags.writeable = False
        t.flags.writeable = False
        object.__setattr__(self, "eps", eps)
        object.__setattr__(self, "t", t)

    @property
    def n_sites(self) -> int:
        """Number of chain sites L."""
        return self.eps.size

    @property
    def total_weight(self) -> float:
        """``t_0^2 = int rho_Delta`` (0 for an empty chain)."""
        return float(self.t[0] ** 2) if self.n_sites else 0.0


def star_to_chain(star: StarBath, n_sites: int | None = None, rtol: float = 1e-12) -> ChainBath:
    """Chain with the same hybridization as a star bath, by Lanczos tridiagonalization.

    Parameters
    ----------
    star : StarBath
        Levels ``eps_k`` and couplings ``V_k`` (energy unit).
    n_sites : int, optional
        Stop after this many chain sites (>= 1). The truncated chain of L sites is the L-point Gauss
        quadrature of ``rho_Delta``: it reproduces the moments ``int w^m rho_Delta`` for m <= 2L - 1.
        Default: run until the Krylov space is exhausted (the exact map).
    rtol : float
        The chain ends when the next hopping falls below ``rtol * max(max_k |eps_k|, |V|)``, i.e. when the
        Krylov space of ``diag(eps)`` and ``V`` is exhausted up to rounding. Dimensionless, in (0, 1).

    Returns
    -------
    ChainBath
        ``t[0] = |V| = sqrt(sum_k V_k^2)``, ``t[i] > 0``. Its length is at most ``n_bath``: levels with
        ``V_k = 0`` are invisible to the impurity and degenerate levels act as one level of weight
        ``sum V_k^2``, so the exact chain has as many sites as there are distinct energies among the
        coupled levels. A star without weight (all ``V_k = 0`` or no levels) gives the empty chain.

    Raises
    ------
    TypeError
        If ``star`` is not a :class:`StarBath`.
    ValueError
        If ``n_sites`` is not a positive integer or ``rtol`` is not in (0, 1).

    Notes
    -----
    Each new Lanczos vector is orthogonalized against all previous ones twice (full
    reorthogonalization), so the basis stays orthonormal to rounding and no spurious copies of
    converged levels appear. Cost O(n_bath L^2): about 2 s for 2000 levels and the full chain of 2000 sites;
    use ``n_sites`` when only the first sites are needed.
    """
    if not isinstance(star, StarBath):
        raise TypeError(f"star must be a StarBath; got {type(star).__name__}")
    if n_sites is not None and (isinstance(n_sites, bool) or not isinstance(n_sites, (int, np.integer)) or n_sites < 1):
        raise ValueError(f"n_sites must be a positive integer or None; got n_sites = {n_sites!r}")
    if not 0 < rtol < 1:
        raise ValueError(f"rtol must lie in (0, 1); got rtol = {rtol!r}")
    norm = float(np.linalg.norm(star.V))
    if norm == 0:
        return ChainBath([], [])
    length = star.n_bath if n_sites is None else min(int(n_sites), star.n_bath)
    threshold = rtol * max(float(np.max(np.abs(star.eps))), norm)
    basis = np.empty((length, star.n_bath))  # (L, n_bath): orthonormal Lanczos vectors as rows
    onsite, hopping = [], [norm]
    q = star.V / norm
    for j in range(length):
        basis[j] = q
        r = star.eps * q  # H q for the diagonal star Hamiltonian
        onsite.append(float(q @ r))
        if j == length - 1:
            break
        for _ in range(2):  # full reorthogonalization, twice ("twice is enough")
            r -= basis[: j + 1].T @ (basis[: j + 1] @ r)
        b = float(np.linalg.norm(r))
        if b <= threshold:
            break
        hopping.append(b)
        q = r / b
    return ChainBath(onsite, hopping)


def chain_to_star(chain: ChainBath) -> StarBath:
    """Star bath with the same hybridization as a chain, by diagonalizing the chain.

    Parameters
    ----------
    chain : ChainBath
        The chain (energy unit).

    Returns
    -------
    StarBath
        ``eps_k``: eigenvalues of the chain's tridiagonal matrix (diagonal ``eps``, off-diagonal
        ``t[1:]``), increasing; ``V_k = |t[0] u_k[0]| >= 0`` with ``u_k`` the normalized eigenvector
        (sign dropped; only ``V_k^2`` enters ``Delta``). An empty chain gives an empty star.

    Raises
    ------
    TypeError
        If ``chain`` is not a :class:`ChainBath`.
    """
    if not isinstance(chain, ChainBath):
        raise TypeError(f"chain must be a ChainBath; got {type(chain).__name__}")
    if chain.n_sites == 0:
        return StarBath([], [])
    energies, vectors = eigh_tridiagonal(chain.eps, chain.t[1:])
    return StarBath(energies, np.abs(chain.t[0] * vectors[0]))


def hybridization_chain(chain: ChainBath, z) -> np.ndarray:
    """``Delta(z)`` of a chain by its continued fraction, at complex z of any shape.

    ``Delta(z) = t_0^2 g_0(z)`` with ``g_i = 1 / (z - eps_i - t_{i+1}^2 g_{i+1})`` and ``g_L = 0``,
    evaluated from the far end of the chain. Equal to ``bath.hybridization(chain_to_star(chain), z)``.

    Parameters
    ----------
    chain : ChainBath
        The chain (energy unit).
    z : complex or array_like
        Complex frequencies (energy unit), e.g. ``w + 1j * eta`` or ``1j * w_n``. On the real axis
        the value is that of the discrete poles (infinite at a pole).

    Returns
    -------
    numpy.ndarray of complex, shape of ``z``
        ``Delta(z)`` (energy unit); zero for an empty chain.

    Raises
    ------
    TypeError
        If ``chain`` is not a :class:`ChainBath`.
    """
    if not isinstance(chain, ChainBath):
        raise TypeError(f"chain must be a ChainBath; got {type(chain).__name__}")
    z = np.asarray(z, dtype=complex)
    tail = np.zeros_like(z)  # t_{i+1}^2 g_{i+1}
    for i in reversed(range(chain.n_sites)):
        tail = chain.t[i] ** 2 / (z - chain.eps[i] - tail)
    return tail


def semicircle_chain(D: float, n_sites: int) -> ChainBath:
    """The first ``n_sites`` sites of the uniform chain of the semicircular bath (Bethe lattice).

    ``eps_i = 0``, ``t_i = D / 2`` for all i. The infinite chain has ``Delta(z) = (D/2)^2 G_sc(z)``
    (``gf.semicircle_gf``), i.e. ``rho_Delta = (D/2)^2 semicircle_dos(w, D)``; the truncated one is its
    ``n_sites``-point Gauss quadrature (moments up to order ``2 n_sites - 1`` exact).

    Parameters
    ----------
    D : float
        Half-bandwidth (> 0, energy unit).
    n_sites : int
        Chain length (>= 1).

    Returns
    -------
    ChainBath

    Raises
    ------
    ValueError
        If ``D`` is not positive and finite or ``n_sites`` is not a positive integer.
    """
    if not (np.isfinite(D) and D > 0):
        raise ValueError(f"half-bandwidth D must be positive and finite; got D = {D!r}")
    if isinstance(n_sites, bool) or not isinstance(n_sites, (int, np.integer)) or n_sites < 1:
        raise ValueError(f"n_sites must be a positive integer; got n_sites = {n_sites!r}")
    return ChainBath(np.zeros(n_sites), np.full(n_sites, 0.5 * D))
