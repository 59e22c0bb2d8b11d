"""The transforms of :mod:`.kramers_kronig` as linear operators, built once per mesh and cached.

Both transforms of a piecewise-linear density are linear in its samples, so on fixed meshes they are a matrix
applied to a vector. What is here:

- :func:`kramers_kronig_operator` (``w``): ``A -> G(w + i0+) = PV int A / (w - w') - i pi A`` on the grid of A,
  the same sum as :func:`~.kramers_kronig.retarded_from_spectral` (end-point terms plus
  ``sum_j (s_j - s_{j-1}) x log|x|``). On a uniform grid the ``x log|x|`` part is a Toeplitz matrix, applied
  by a real FFT of the power-of-two length ``>= 2 n_w - 1`` (O(n_w log n_w)); on any other grid it is a dense
  (n_w, n_w) matrix.
- :func:`hilbert_operator` (``w``, ``z``): ``rho -> int rho(w') / (z - w') dw'`` at complex ``z`` off the real
  axis, e.g. the Matsubara frequencies: a dense matrix of the exact integrals of the hat functions of the grid
  (closed form, with its Taylor series where the closed form loses digits) for the ``z`` near the grid, and the
  moment expansion of :func:`~.kramers_kronig.hilbert_transform` (rank 28, exact to rounding) for the ``z``
  farther than 4 half-widths from its centre. Only ``Im z > 0`` is stored: ``F(conj z) = conj F(z)`` for real
  rho, and ``conj(K(z) @ conj(rho))`` in general. The near matrix is kept as two factors of its numerical rank
  (singular values above 1e-15 of the largest, by a seeded randomized range finder): ``1 / (z - w)`` on a
  bounded grid is smooth in ``w`` for ``z`` off the axis, and the rank is small: 46 for 2001 points on
  [-4, 4] and the 1025 positive frequencies of beta = 1000, 39 on [-10, 10] at beta = 100 (factors equal to
  the matrix to 2e-15 of its largest entry; the product costs ~0.2 ms instead of 1-3 ms).

The operators are cached on the bytes of their meshes (:func:`functools.lru_cache`, a few meshes each), so a
loop over solves on one mesh pays for them once: about 2 ms (uniform Kramers-Kronig) and 0.2-1 s (Hilbert,
n_w = 2001 and 1025 positive Matsubara frequencies; the factorization ~0.1-0.2 s of it) at the first call, then
O(n_w log n_w) and two thin matrix-vector products per call. The dense formulas of :mod:`.kramers_kronig`
stay the reference: the two agree to rounding (``test_operators.py``: 1e-10 relative and better). What is not
here: the imaginary-time kernel (:mod:`.tau_operator`) and grids that change every call (nothing is gained
there).

Layer: bottom (``gf``); numpy only. Conventions: ``METHOD.md`` section 1, as :mod:`.kramers_kronig`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..checks import frequency_grid, sampled_values
from .kramers_kronig import slope_jumps, xlogabsx
from .moments import moment_weights

__all__ = ["KramersKronigOperator", "HilbertOperator", "kramers_kronig_operator", "hilbert_operator"]

_UNIFORM_RTOL = 1e-12  # spacings equal to this (relative): the grid is uniform, x log|x| is Toeplitz
_FAR = 4.0  # |z - c| > _FAR * half-width: the moment expansion (as kramers_kronig.hilbert_transform)
_N_FAR_TERMS = 28  # (1/4)^28 * 4/3 = 2e-17: the truncated series is exact to float64 rounding
_SERIES_RADIUS = 0.1  # |y| below this: phi(y) by its Taylor series (closed form loses eps / |y| relative)
_N_SERIES_TERMS = 17  # 0.1^17 / (17 * 18) = 3e-20 relative: the truncated series is exact to rounding
_CACHE_SIZE = 4  # meshes kept per operator kind (a dense Hilbert matrix is 16 n_z n_w bytes)
_RANK_RTOL = 1e-15  # singular values of the near matrix below this fraction of the largest are dropped
_RANK_START = 64  # columns of the first random probe of the near matrix; doubled while not enough
_OVERSAMPLING = 16  # probe columns beyond the rank found, for the range of the near matrix to be captured


def _as_columns(values: np.ndarray) -> np.ndarray:
    return values.reshape(values.shape[0], -1)


class KramersKronigOperator:
    """``A -> G(w + i0+) = PV int A(w') / (w - w') dw' - i pi A`` on a fixed grid (module docstring).

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Strictly increasing real frequencies (energy unit).
    """

    def __init__(self, w):
        self.w = frequency_grid(w)
        n = self.w.size
        self._log_first = np.log(self.w - self.w[0], where=self.w > self.w[0], out=np.zeros(n))
        self._log_last = np.log(self.w[-1] - self.w, where=self.w < self.w[-1], out=np.zeros(n))
        h = np.diff(self.w)
        self.uniform = bool(np.all(np.abs(h - h.mean()) <= _UNIFORM_RTOL * h.mean()))
        if self.uniform:  # x log|x| at x = h (i - j): the first column and row of a Toeplitz matrix, circulant
            self._length = 1 << int(2 * n - 2).bit_length()  # a power of two >= 2 n - 1
            lags = np.zeros(self._length)
            k = np.arange(n)
            lags[:n] = xlogabsx(h.mean() * k)
            lags[self._length - n + 1 :] = xlogabsx(-h.mean() * k[:0:-1])
            self._spectrum = np.fft.rfft(lags)
        else:
            self._matrix = xlogabsx(self.w[:, None] - self.w[None, :])  # (n_w, n_w)

    def real_part(self, A) -> np.ndarray:
        """``PV int A(w') / (w - w') dw'`` at every grid point, shape of ``A`` (real for real A)."""
        A_in = sampled_values(self.w, A)
        A2 = _as_columns(A_in)
        jumps = slope_jumps(self.w, A2)  # (n_w, m)
        out = A2[0] * self._log_first[:, None] - A2[-1] * self._log_last[:, None] - (A2[-1] - A2[0])
        if self.uniform:
            out = out + self._toeplitz(jumps.real) + (1j * self._toeplitz(jumps.imag) if np.iscomplexobj(jumps) else 0)
        else:
            out = out + self._matrix @ jumps
        return out.reshape(A_in.shape)

    def _toeplitz(self, x: np.ndarray) -> np.ndarray:
        product = self._spectrum[:, None] * np.fft.rfft(x, n=self._length, axis=0)
        return np.fft.irfft(product, n=self._length, axis=0)[: self.w.size]

    def __call__(self, A) -> np.ndarray:
        """``G(w + i0+)``, complex, shape of ``A``; as :func:`~.kramers_kronig.retarded_from_spectral`."""
        A_in = sampled_values(self.w, A)
        return self.real_part(A_in) - 1j * np.pi * A_in


def _phi(y: np.ndarray) -> np.ndarray:
    """``((1 + y) log(1 + y) - y) / y^2 = sum_k (-1)^k y^k / ((k + 1)(k + 2))``, complex y, series near 0."""
    small = np.abs(y) < _SERIES_RADIUS
    out = np.empty_like(y)
    ys = y[small]
    series = np.zeros_like(ys)
    for k in range(_N_SERIES_TERMS - 1, -1, -1):  # Horner
        series = series * ys + (-1) ** k / ((k + 1) * (k + 2))
    out[small] = series
    yl = y[~small]
    out[~small] = ((1 + yl) * np.log1p(yl) - yl) / yl**2
    return out


def _hat_integrals(w: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``M[i, j] = int hat_j(w') / (z_i - w') dw'`` for the hat functions of the grid; (n_z, n_w) complex.

    With ``q = z - w_j`` and the bin widths ``h_{j-1}``, ``h_j`` (zero beyond the grid), the left and right halves
    of hat j integrate to ``y phi(y)`` at ``y = h_{j-1} / q`` and to ``y phi(-y)`` at ``y = h_j / q``
    (:func:`_phi`); together ``(h_{j-1} + h_j) / (2 q)`` to first order, the trapezoid rule.
    """
    h = np.diff(w)
    q = z[:, None] - w[None, :]
    left = np.concatenate([[0.0], h])[None, :] / q
    right = np.concatenate([h, [0.0]])[None, :] / q
    return left * _phi(left) + right * _phi(-right)


def _low_rank(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(L, R)`` with ``L @ R = matrix`` up to the singular values below ``_RANK_RTOL`` of the largest, or None.

    Randomized range finder with a fixed seed (deterministic): ``Q`` an orthonormal basis of ``matrix @ Omega``
    for a Gaussian ``Omega`` of k columns, doubled until the rank found is ``_OVERSAMPLING`` below k; then the
    SVD of ``Q^H matrix``, truncated. None where the factors would not save half the work of the dense product.
    """
    n_rows, n_cols = matrix.shape
    rng = np.random.default_rng(13)
    k = min(_RANK_START, n_rows, n_cols)
    while True:
        basis, _ = np.linalg.qr(matrix @ rng.standard_normal((n_cols, k)))
        u, s, vh = np.linalg.svd(basis.conj().T @ matrix, full_matrices=False)
        rank = int(np.count_nonzero(s > _RANK_RTOL * s[0]))
        if rank <= k - _OVERSAMPLING or k == min(n_rows, n_cols):
            break
        k = min(2 * k, n_rows, n_cols)
    if 2 * rank * (n_rows + n_cols) > n_rows * n_cols:
        return None
    return (basis @ u[:, :rank]) * s[:rank], vh[:rank]


class HilbertOperator:
    """``rho -> F(z) = int rho(w') / (z - w') dw'`` for fixed ``w`` and ``z`` off the real axis (module docstring).

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Strictly increasing real frequencies (energy unit).
    z : array_like of complex, shape (n_z,)
        Finite points with ``Im z != 0``, e.g. ``MeshImFreq(...).iw``.
    """

    def __init__(self, w, z):
        self.w = frequency_grid(w)
        self.z = np.asarray(z, dtype=complex).ravel()
        if not np.all(np.isfinite(self.z)) or np.any(self.z.imag == 0):
            raise ValueError("z must be finite and off the real axis (Im z != 0); got a real or non-finite point")
        upper = np.where(self.z.imag > 0, self.z, np.conj(self.z))
        self._upper, self._index = np.unique(upper, return_inverse=True)  # Im > 0, each point once
        self._lower = self.z.imag < 0
        center = 0.5 * (self.w[0] + self.w[-1])
        far = np.abs(self._upper - center) > _FAR * 0.5 * (self.w[-1] - self.w[0])
        self._near, self._far = np.flatnonzero(~far), np.flatnonzero(far)
        near = _hat_integrals(self.w, self._upper[self._near])  # (n_near, n_w)
        factors = _low_rank(near) if near.size else None
        self._near_factors = factors if factors is not None else (near,)  # their product is the near matrix
        self._moments = moment_weights(self.w, range(_N_FAR_TERMS), center)  # (K, n_w)
        inverse = 1.0 / (self._upper[self._far] - center)
        self._far_matrix = inverse[:, None] ** np.arange(1, _N_FAR_TERMS + 1)[None, :]  # (n_far, K)

    def _upper_values(self, rho2: np.ndarray) -> np.ndarray:
        out = np.empty((self._upper.size, rho2.shape[1]), dtype=complex)
        near = rho2
        for factor in reversed(self._near_factors):
            near = factor @ near
        out[self._near] = near
        out[self._far] = self._far_matrix @ (self._moments @ rho2)
        return out

    def __call__(self, rho) -> np.ndarray:
        """``F(z)``, complex, shape ``(n_z, ...)``; as :func:`~.kramers_kronig.hilbert_transform` at these z."""
        rho_in = sampled_values(self.w, rho, name="rho")
        rho2 = _as_columns(rho_in)
        values = self._upper_values(rho2)[self._index]
        if np.any(self._lower):
            conjugate = values if not np.iscomplexobj(rho2) else self._upper_values(np.conj(rho2))[self._index]
            values[self._lower] = np.conj(conjugate[self._lower])
        return values.reshape(self.z.shape + rho_in.shape[1:])


@lru_cache(maxsize=_CACHE_SIZE)
def _kramers_kronig_cached(w_bytes: bytes) -> KramersKronigOperator:
    return KramersKronigOperator(np.frombuffer(w_bytes))


@lru_cache(maxsize=_CACHE_SIZE)
def _hilbert_cached(w_bytes: bytes, z_bytes: bytes) -> HilbertOperator:
    return HilbertOperator(np.frombuffer(w_bytes), np.frombuffer(z_bytes, dtype=complex))


def kramers_kronig_operator(w) -> KramersKronigOperator:
    """The cached :class:`KramersKronigOperator` of the grid ``w`` (built at the first call with this grid)."""
    return _kramers_kronig_cached(np.ascontiguousarray(w, dtype=float).tobytes())


def hilbert_operator(w, z) -> HilbertOperator:
    """The cached :class:`HilbertOperator` of ``w`` and ``z`` (a MeshImFreq's ``iw``, say), built at the first call."""
    w_bytes = np.ascontiguousarray(w, dtype=float).tobytes()
    return _hilbert_cached(w_bytes, np.ascontiguousarray(z, dtype=complex).tobytes())
