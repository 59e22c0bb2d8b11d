"""The symmetric Lanczos recurrence with partial reorthogonalization, and the poles of its tridiagonal matrix.

For a real symmetric H (given by its product with a vector) and a start vector ``phi``, the recurrence

    H q_k = beta_{k-1} q_{k-1} + a_k q_k + beta_k q_{k+1},      q_0 = phi / ||phi||,

builds the tridiagonal matrix ``T`` (diagonal ``a``, off-diagonal ``beta``) of H in the Krylov space of ``phi``.
Its eigenpairs ``(theta_m, y_m)`` give the Gauss-quadrature pole sum of the resolvent,

    <phi| (z - H)^-1 |phi> ~ sum_m ||phi||^2 y_m[0]^2 / (z - theta_m),

exact in its first ``2k`` moments after k steps, and exact altogether when the Krylov space is invariant
(``beta_k = 0``). Orthogonality is kept at the level ``sqrt(eps)`` by partial reorthogonalization (Simon,
Math. Comp. 42, 115 (1984)): the loss ``omega_kj = q_k . q_j`` is estimated by Simon's recurrence and the new
vector is orthogonalized against all kept ones (classical Gram-Schmidt, a second pass where the first cancels
more than 30 % of the norm; on that step and the next) only when
an estimate exceeds ``sqrt(eps)``. Semi-orthogonality keeps ``T`` accurate to rounding, so its Ritz values carry
no ghost copies.

What is not here: the Hamiltonian and the stopping rules (``reference.lanczos``), restarts, block Lanczos.
Layer: ``reference`` (layer 1); numpy and scipy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.linalg

__all__ = ["LanczosRun", "lanczos", "tridiagonal_poles", "continued_fraction"]

_EPS = np.finfo(float).eps
# A new vector whose estimated overlap with a kept one exceeds this is reorthogonalized (Simon's threshold).
_SEMI_ORTHOGONAL = np.sqrt(_EPS)
# ... against the kept vectors from the first one whose estimated overlap exceeds this (Simon's eta) onwards.
_REORTHOGONALIZE_ABOVE = _EPS**0.75


@dataclass(frozen=True)
class LanczosRun:
    """The result of :func:`lanczos`.

    Attributes
    ----------
    a : ndarray, shape (k,)
        Diagonal of T (energy unit).
    beta : ndarray, shape (k - 1,)
        Off-diagonal of T (energy unit).
    norm2 : float
        ``||phi||^2`` of the start vector.
    beta_next : float
        ``beta_k``, the coupling of the last vector to the next one (0 if invariant); the residual of a Ritz pair
        ``(theta_m, Q^T y_m)`` is ``beta_next |y_m[k-1]|``.
    vectors : ndarray, shape (k, dim)
        The Lanczos vectors ``q_0 .. q_{k-1}`` (semi-orthonormal).
    invariant : bool
        True if the Krylov space became invariant (``beta_k`` under rounding): T then holds every pole exactly.
    n_reorthogonalized : int
        Steps on which the new vector was reorthogonalized against all kept ones.
    """

    a: np.ndarray
    beta: np.ndarray
    norm2: float
    beta_next: float
    vectors: np.ndarray
    invariant: bool
    n_reorthogonalized: int

    @property
    def size(self) -> int:
        """Krylov size k."""
        return self.a.size


def continued_fraction(a: np.ndarray, beta: np.ndarray, z) -> np.ndarray:
    """``[(z - T)^-1]_00 = 1 / (z - a_0 - beta_0^2 / (z - a_1 - ...))`` at complex z of any shape, O(k) per z."""
    z = np.asarray(z, dtype=complex)
    g = np.zeros(z.shape, dtype=complex)
    for k in range(a.size - 1, -1, -1):
        g = 1.0 / (z - a[k] - (beta[k] ** 2 * g if k < beta.size else 0.0))
    return g


def tridiagonal_poles(a: np.ndarray, beta: np.ndarray, norm2: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues ``theta_m`` (increasing) and weights ``norm2 * y_m[0]^2`` of the tridiagonal ``(a, beta)``."""
    if a.size == 1:
        return a.copy(), np.array([norm2])
    theta, y = scipy.linalg.eigh_tridiagonal(a, beta)
    return theta, norm2 * y[0] ** 2


def lanczos(
    matvec: Callable[[np.ndarray], np.ndarray],
    phi: np.ndarray,
    max_steps: int,
    stop: Callable[[np.ndarray, np.ndarray, float], bool] | None = None,
    check_every: int = 5,
) -> LanczosRun:
    """Lanczos tridiagonalization of H from ``phi`` with partial reorthogonalization (module docstring).

    Parameters
    ----------
    matvec : callable
        ``x -> H x`` for float64 vectors of shape (dim,); H real symmetric.
    phi : ndarray, shape (dim,)
        Start vector, not zero.
    max_steps : int
        Largest Krylov size (>= 1).
    stop : callable, optional
        ``stop(a, beta, beta_next) -> bool``, called every ``check_every`` steps with the current T and the
        coupling ``beta_k`` to the next vector; True ends the run.
    check_every : int
        Steps between calls of ``stop``.

    Returns
    -------
    LanczosRun
    """
    dim = phi.size
    norm2 = float(phi @ phi)
    Q = np.empty((min(max_steps, dim), dim))
    Q[0] = phi / np.sqrt(norm2)
    a, beta = [], []
    omega_prev, omega = np.zeros(0), np.ones(1)  # estimated q_{k-1} . q_j (j < k) and q_k . q_j (j <= k)
    scale = 0.0  # running estimate of ||H||, for the rounding terms
    reorthogonalize_next, n_reorth, invariant = None, 0, False  # start of the interval to redo on the next step
    for k in range(Q.shape[0]):
        r = matvec(Q[k])
        if k > 0:
            r -= beta[-1] * Q[k - 1]
        a.append(float(Q[k] @ r))
        r -= a[-1] * Q[k]
        r -= (Q[k] @ r) * Q[k]  # local reorthogonalization against q_k: keeps a_k accurate
        b = float(np.linalg.norm(r))
        scale = max(scale, abs(a[-1]) + b + (beta[-1] if beta else 0.0))
        if b <= 100 * np.sqrt(dim) * _EPS * scale:  # breakdown (rounding level): the Krylov space is invariant
            invariant = True
            break
        if k + 1 == Q.shape[0]:
            break
        # Simon's recurrence for omega_{k+1, j}, j = 0 .. k-1; rounding enters as eps sqrt(dim) ||H|| / b
        if k > 0:
            beta_arr, a_arr = np.array(beta), np.array(a)
            t = (a_arr[:k] - a[-1]) * omega[:k]
            t[:-1] += beta_arr[: k - 1] * omega[1:k]
            t[1:] += beta_arr[: k - 1] * omega[: k - 1]
            t -= beta[-1] * omega_prev
            t[k - 1] += beta_arr[k - 1] * omega[k]
            t = (t + np.sign(t) * _EPS * np.sqrt(dim) * scale) / b
        else:
            t = np.zeros(0)
        if reorthogonalize_next is not None or (t.size and np.max(np.abs(t)) > _SEMI_ORTHOGONAL):
            # against the kept vectors from the first to the last whose estimated overlap exceeds eps^(3/4)
            # (PROPACK's interval), on this step and, with the same interval widened by one, on the next
            if reorthogonalize_next is None:
                large = np.flatnonzero(np.abs(t) > _REORTHOGONALIZE_ABOVE)
                lo, hi = int(large[0]), k + 1
            else:
                lo, hi = max(reorthogonalize_next - 1, 0), k + 1
            block = Q[lo:hi]
            r -= block.T @ (block @ r)
            b_once = float(np.linalg.norm(r))
            if b_once < 0.7 * b:  # cancellation: a second pass is needed and enough (Kahan, Parlett)
                r -= block.T @ (block @ r)
                b_once = float(np.linalg.norm(r))
            b = b_once
            t[lo:] = _EPS * np.sqrt(dim)
            n_reorth += 1
            reorthogonalize_next = lo if reorthogonalize_next is None else None
        omega_prev, omega = omega, np.concatenate([t, [_EPS * np.sqrt(dim), 1.0]])
        beta.append(b)
        Q[k + 1] = r / b
        if stop is not None and (k + 1) % check_every == 0 and stop(np.array(a), np.array(beta[:-1]), b):
            break
    invariant = invariant or len(a) == dim  # dim steps span the whole space: T holds every pole
    return LanczosRun(
        a=np.array(a),
        beta=np.array(beta[: len(a) - 1]),
        norm2=norm2,
        beta_next=0.0 if invariant else b,
        vectors=Q[: len(a)],
        invariant=invariant,
        n_reorthogonalized=n_reorth,
    )
