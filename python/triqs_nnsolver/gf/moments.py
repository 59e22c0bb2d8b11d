"""Frequency moments of a spectral function given on a (possibly non-uniform) real-frequency grid.

What is here: ``spectral_moments`` (``int (w - center)^k A(w) dw`` for integer orders k >= 0) and
``spectral_norm`` (``int A``), both exact for the piecewise-linear interpolant of the samples, and the
quadrature weights behind them (``moment_weights``, shared with ``kramers_kronig``). What is not: moments of
Matsubara data (see :func:`triqs_nnsolver.gf.matsubara.tail_moments`), sum-rule bookkeeping
(``spectral`` package).

Layer: bottom (``gf``); numpy only. Conventions: ``METHOD.md`` section 1 (``A = -Im G / pi``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..checks import frequency_grid, sampled_values

__all__ = ["spectral_moments", "spectral_norm"]

_CACHE_SIZE = 8  # (grid, orders, center) whose weights spectral_moments keeps: a loop of solves uses a few


def moment_weights(w: np.ndarray, orders: Sequence[int], center: float) -> np.ndarray:
    """Matrix M of shape (len(orders), n_w) with ``M @ A = int (w - center)^k A_lin(w) dw``.

    On each bin the integrand ``(w - center)^k * A_lin(w)`` is a polynomial of degree k + 1, which an
    m-point Gauss-Legendre rule with 2 m - 1 >= k + 1 integrates exactly; all weights are positive, so
    no cancellation occurs for A >= 0.
    """
    n_nodes = (max(orders) + 3) // 2  # smallest m with 2 m - 1 >= k + 1
    t, g = np.polynomial.legendre.leggauss(n_nodes)
    u = 0.5 * (1.0 + t)  # nodes on [0, 1], shape (n_nodes,)
    h = np.diff(w)
    x = w[:-1, None] + h[:, None] * u[None, :] - center  # (n_w - 1, n_nodes)
    hg = 0.5 * h[:, None] * g[None, :]
    weights = np.zeros((len(orders), w.size))
    for i, k in enumerate(orders):
        wk = hg * x**k
        weights[i, :-1] += wk @ (1.0 - u)  # A_lin = A_j (1 - u) + A_{j+1} u on bin j
        weights[i, 1:] += wk @ u
    return weights


def spectral_moments(w, A, orders: Sequence[int] = (0, 1, 2), center: float = 0.0) -> np.ndarray:
    """Frequency moments ``int (w - center)^k A(w) dw`` of a sampled spectral function.

    A is taken as the piecewise-linear interpolant of its samples on ``[w[0], w[-1]]`` and zero outside.

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Real frequencies, strictly increasing, not necessarily uniform; energy unit.
    A : array_like, shape (n_w, ...)
        Spectral function ``A = -Im G / pi`` (or any density, e.g. ``rho_Delta``) at ``w``; trailing
        axes (orbital indices) are carried along. Unit: 1 / energy.
    orders : sequence of int, optional
        Non-negative integer orders k; default (0, 1, 2).
    center : float, optional
        Expansion point; default 0 (the Fermi level). Energy unit.

    Returns
    -------
    numpy.ndarray, shape (len(orders), ...)
        The moments; unit energy^k. Real for real A, complex for complex A.

    Raises
    ------
    ValueError
        If ``w`` is not a strictly increasing finite 1-D grid, ``A.shape[0] != len(w)``, ``A`` is not
        finite, or an order is not a non-negative integer.

    Notes
    -----
    Exact, up to rounding, for the piecewise-linear interpolant (per-bin Gauss-Legendre rule of
    sufficient order), so these are the moments that make the tail of
    :func:`triqs_nnsolver.gf.matsubara.matsubara_from_spectral` exact. With respect to a smooth A the
    error is ``(h^2 / 12) int w^k A'' dw + O(h^4) = (h^2 / 12) k (k-1) M_(k-2) + end terms`` on a uniform
    grid: the norm (k = 0) is the trapezoid rule, spectrally accurate for a smooth A that vanishes at
    both ends, while k >= 2 carries an O(h^2) bias. At a square-root band edge the error is O(h^1.5).
    Measured: Gaussian (sigma = 0.5) on 401 points over [-4, 4]: norm within 1.1e-15, second moment
    high by h^2 / 6 = 6.7e-5 as predicted; semicircle (D = 1) on 2000 uniform points: norm, first and
    second moments within 1.2e-5, 2e-16 and 1.2e-5 of 1, 0, 1/4.
    """
    w = frequency_grid(w)
    A = sampled_values(w, A)
    orders = list(orders)
    for k in orders:
        if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or k < 0:
            raise ValueError(f"orders must be non-negative integers; got orders = {orders}")
    if not orders:
        raise ValueError("orders must name at least one order; got an empty sequence")
    center = float(center)
    if not np.isfinite(center):
        raise ValueError(f"center must be a finite frequency; got center = {center}")
    weights = _cached_weights(w.tobytes(), tuple(int(k) for k in orders), center)
    return np.tensordot(weights, A, axes=(1, 0))


@lru_cache(maxsize=_CACHE_SIZE)
def _cached_weights(w_bytes: bytes, orders: tuple[int, ...], center: float) -> np.ndarray:
    """:func:`moment_weights` of a grid, built once per (grid, orders, center) and read-only."""
    weights = moment_weights(np.frombuffer(w_bytes), orders, center)
    weights.flags.writeable = False
    return weights


def spectral_norm(w, A) -> np.ndarray:
    """Spectral weight ``int A(w) dw`` (1 for a normalised spectral function).

    Same conventions, shapes and accuracy as :func:`spectral_moments` with ``orders=(0,)``; returns an
    array of shape ``A.shape[1:]`` (a 0-d array for scalar-valued A). Dimensionless.
    """
    return spectral_moments(w, A, orders=(0,))[0]
