"""Discretization of a continuous hybridization density ``rho_Delta(w)`` into a star bath.

The support of ``rho_Delta = -Im Delta / pi >= 0`` (``METHOD.md`` sections 1 and 2, step 1) is cut into
bins; bin k becomes one star level with

    V_k^2 = int_{bin k} rho_Delta(w) dw,      eps_k = int_{bin k} w rho_Delta(w) dw / V_k^2,

so the discrete bath keeps the weight ``int rho_Delta = sum_k V_k^2`` and the first moment
``int w rho_Delta = sum_k V_k^2 eps_k`` exactly (up to rounding). Two binnings:

- ``'linear'``: ``n_levels`` bins of equal width over the support.
- ``'log'``: bins whose edges approach ``w = 0`` geometrically, ``+-w_outer Lambda^-k`` (NRG-style), with
  ``w_outer = max(|w_min|, |w_max|)`` for the support ``[w_min, w_max]``; see :func:`bin_edges`.

Samples are read as a piecewise-linear function (zero outside the grid), the convention of
``triqs_nnsolver.gf.retarded_from_spectral``, and every bin, including partially covered grid
intervals, is integrated in closed form.

What is not here: fits of ``Delta(iw_n)`` to a discrete bath, the chain geometry (``bath.chain``).
Layer: ``bath`` (layer 1, above ``gf``); numpy only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..checks import integer
from .star import StarBath

__all__ = ["bin_edges", "discretize", "discretize_function"]

_BINNINGS = ("linear", "log")


def bin_edges(w_min: float, w_max: float, n_levels: int, binning: str = "linear", Lambda: float = 2.0) -> np.ndarray:
    """Edges of the discretization bins for a support ``[w_min, w_max]``.

    Parameters
    ----------
    w_min, w_max : float
        Support of ``rho_Delta`` (energy unit), ``w_min < w_max``.
    n_levels : int
        Number of bins (>= 1).
    binning : {'linear', 'log'}
        ``'linear'``: ``n_levels + 1`` equally spaced edges from ``w_min`` to ``w_max``.
        ``'log'``: edges symmetric about ``w = 0`` and geometric towards it, with
        ``w_outer = max(|w_min|, |w_max|)``. For ``n_levels = 2m`` the edges are ``+-w_outer Lambda^-k``,
        ``k = 0 .. m-1``, and ``0``: the two innermost bins are ``[-w_inner, 0]`` and ``[0, w_inner]``
        with ``w_inner = w_outer Lambda^-(m-1)``. For ``n_levels = 2m + 1`` the edges are
        ``+-w_outer Lambda^-k``, ``k = 0 .. m``: one central bin ``[-w_inner, w_inner]`` with
        ``w_inner = w_outer Lambda^-m`` (``n_levels = 1``: the single bin ``[-w_outer, w_outer]``).
        The innermost bins thus hold the whole low-energy window, so the level closest to the
        Fermi level sits at about ``w_inner / 2`` (even ``n_levels``) or at the centre of
        ``[-w_inner, w_inner]`` (odd). Bins outside an asymmetric support carry no weight.
    Lambda : float
        Ratio of successive edges for ``binning='log'`` (> 1, dimensionless); ignored for ``'linear'``.

    Returns
    -------
    numpy.ndarray of float, shape (n_levels + 1,)
        Strictly increasing edges (energy unit).

    Raises
    ------
    ValueError
        If the support is not finite with ``w_min < w_max``, ``n_levels`` is not a positive integer,
        ``binning`` is unknown, or ``Lambda <= 1`` with ``binning='log'``.
    """
    n_levels = integer("n_levels", n_levels, minimum=1)
    if not (np.isfinite(w_min) and np.isfinite(w_max) and w_min < w_max):
        raise ValueError(f"the support must be finite with w_min < w_max; got w_min = {w_min!r}, w_max = {w_max!r}")
    if binning == "linear":
        return np.linspace(w_min, w_max, n_levels + 1)
    if binning != "log":
        raise ValueError(f"binning must be one of {_BINNINGS}; got binning = {binning!r}")
    if not (np.isfinite(Lambda) and Lambda > 1):
        raise ValueError(f"Lambda must be a finite number > 1 for binning='log'; got Lambda = {Lambda!r}")
    w_outer = max(abs(w_min), abs(w_max))
    m, odd = divmod(n_levels, 2)
    positive = w_outer * float(Lambda) ** -np.arange(m + odd)  # decreasing, (m + odd,)
    inner = [] if odd else [0.0]
    return np.concatenate([-positive, inner, positive[::-1]])


def _integrate_bins(w: np.ndarray, rho: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``int rho`` and ``int w rho`` of the piecewise-linear rho (zero outside w) over every bin.

    The grid and the (clipped) edges are merged, so rho is linear on every merged interval [a, b]; each
    interval is integrated in its own coordinates (no cumulative sums, hence no cancellation for
    narrow bins near w = 0): ``int rho = h (r_a + r_b) / 2``, ``int w rho = h (a (2 r_a + r_b) + b (r_a + 2 r_b)) / 6``.
    """
    # rho jumps to 0 at the grid ends: only intervals inside the grid carry weight, so edges beyond
    # the grid are moved onto its ends (their bins then have zero width there)
    points = np.union1d(np.clip(edges, w[0], w[-1]), w)
    values = np.interp(points, w, rho)
    a, b = points[:-1], points[1:]
    r_a, r_b = values[:-1], values[1:]
    h = b - a
    weight = 0.5 * h * (r_a + r_b)
    first = h * (a * (2 * r_a + r_b) + b * (r_a + 2 * r_b)) / 6.0
    n_bins = edges.size - 1
    # bin of each merged interval; the clip only matters for intervals of zero width at the outer edges
    owner = np.clip(np.searchsorted(edges, 0.5 * (a + b)) - 1, 0, n_bins - 1)
    return np.bincount(owner, weight, n_bins), np.bincount(owner, first, n_bins)


def _star_from_bins(weight: np.ndarray, first: np.ndarray) -> StarBath:
    """Levels of the non-empty bins (``V_k^2 > 0``); empty bins carry no level."""
    keep = weight > 0
    return StarBath(first[keep] / weight[keep], np.sqrt(weight[keep]))


def _check_samples(w, rho_Delta) -> tuple[np.ndarray, np.ndarray]:
    """Validated float64 grid and density: strictly increasing finite w, finite rho >= 0, not all zero."""
    w_arr = np.asarray(w)
    if np.iscomplexobj(w_arr) or w_arr.ndim != 1 or w_arr.size < 2:
        raise ValueError(
            f"w must be a real 1-D grid of at least 2 frequencies; got shape {w_arr.shape}, dtype {w_arr.dtype}"
        )
    w_arr = w_arr.astype(float)
    if not np.all(np.isfinite(w_arr)) or not np.all(np.diff(w_arr) > 0):
        raise ValueError(f"w must be finite and strictly increasing; got w[:5] = {w_arr[:5]}")
    rho = np.asarray(rho_Delta)
    if rho.shape != w_arr.shape or np.iscomplexobj(rho):
        raise ValueError(
            f"rho_Delta must be real with shape {w_arr.shape} (that of w); got shape {rho.shape}, dtype {rho.dtype}"
        )
    rho = rho.astype(float)
    if not np.all(np.isfinite(rho)):
        raise ValueError(f"rho_Delta must be finite; got {np.count_nonzero(~np.isfinite(rho))} non-finite values")
    if np.any(rho < 0):
        k = int(np.argmin(rho))
        raise ValueError(
            f"rho_Delta must be non-negative (-Im Delta / pi); got rho_Delta[{k}] = {rho[k]} at w = {w_arr[k]}"
        )
    if not np.any(rho > 0):
        raise ValueError("rho_Delta vanishes everywhere; a bath without weight has no levels to discretize")
    return w_arr, rho


def discretize(w, rho_Delta, n_levels: int, binning: str = "linear", Lambda: float = 2.0) -> StarBath:
    """Star bath from a hybridization density sampled on a real-frequency grid.

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Real frequencies (energy unit), strictly increasing, uniform or not.
    rho_Delta : array_like, shape (n_w,)
        ``rho_Delta(w) = -Im Delta(w) / pi >= 0`` at ``w`` (energy unit), piecewise linear between the
        samples and zero outside ``[w[0], w[-1]]``.
    n_levels : int
        Number of bins (>= 1). The support ``[w_min, w_max]`` is the smallest grid interval outside which
        the piecewise-linear ``rho_Delta`` vanishes.
    binning : {'linear', 'log'}
        Bin layout, see :func:`bin_edges`.
    Lambda : float
        Edge ratio of the logarithmic binning (> 1); ignored for ``'linear'``.

    Returns
    -------
    StarBath
        One level per bin with non-zero weight, in increasing order of energy: ``V_k = sqrt(int_bin rho)``
        (>= 0) and ``eps_k`` the weighted centre of the bin, which lies inside the bin. Bins with zero
        weight (``rho_Delta`` vanishing on the whole bin) are dropped, so the bath may have fewer than
        ``n_levels`` levels; the sum rules are unaffected.

    Raises
    ------
    ValueError
        If ``w`` is not a strictly increasing finite 1-D grid of at least 2 points, ``rho_Delta`` has
        the wrong shape, is not finite, is negative somewhere or vanishes everywhere, or the binning
        options are invalid (see :func:`bin_edges`).

    Notes
    -----
    Sum rules, exact for the piecewise-linear ``rho_Delta`` up to rounding:
    ``sum_k V_k^2 = int rho_Delta`` and ``sum_k V_k^2 eps_k = int w rho_Delta``. Higher moments carry the
    binning error, ``O(width^2)`` per bin.
    """
    w_arr, rho = _check_samples(w, rho_Delta)
    nonzero = np.flatnonzero(rho)
    lo = w_arr[max(nonzero[0] - 1, 0)]
    hi = w_arr[min(nonzero[-1] + 1, w_arr.size - 1)]
    edges = bin_edges(lo, hi, n_levels, binning, Lambda)
    return _star_from_bins(*_integrate_bins(w_arr, rho, edges))


def discretize_function(
    rho_Delta: Callable[[np.ndarray], np.ndarray],
    w_min: float,
    w_max: float,
    n_levels: int,
    binning: str = "linear",
    Lambda: float = 2.0,
    n_samples: int = 64,
) -> StarBath:
    """Star bath from a hybridization density given as a function on the support ``[w_min, w_max]``.

    ``rho_Delta`` is sampled at ``n_samples + 1`` equally spaced points inside every bin of
    :func:`bin_edges` (edges included, so edges never cut an interval) and the samples go through
    :func:`discretize`'s bin integration. Finer bins are thus sampled as finely, relative to their
    width, as coarse ones, which matters for ``binning='log'``.

    Parameters
    ----------
    rho_Delta : callable
        Vectorized ``rho_Delta(w) >= 0`` (energy unit) of a real array w, returning an array of the
        same shape; e.g. ``lambda w: (D / 2)**2 * semicircle_dos(w, D)``.
    w_min, w_max : float
        Support (energy unit), ``w_min < w_max``; ``rho_Delta`` is taken as zero outside it.
    n_levels : int
        Number of bins (>= 1).
    binning : {'linear', 'log'}
        Bin layout, see :func:`bin_edges`. For ``'log'`` the edges extend to
        ``+-max(|w_min|, |w_max|)``; the function is only evaluated inside ``[w_min, w_max]``.
    Lambda : float
        Edge ratio of the logarithmic binning (> 1).
    n_samples : int
        Sampling intervals per bin (>= 1). The bin integrals carry the trapezoidal error of the
        function, ``O((width / n_samples)^2)`` relative for a smooth ``rho_Delta``; the sum rules hold
        exactly for the sampled (piecewise-linear) function.

    Returns
    -------
    StarBath
        As :func:`discretize`: one level per non-empty bin, ``V_k >= 0``.

    Raises
    ------
    ValueError
        For invalid binning options or ``n_samples``, or if ``rho_Delta`` returns an array of the
        wrong shape, non-finite or negative values, or zero everywhere.
    """
    n_samples = integer("n_samples", n_samples, minimum=1)
    edges = bin_edges(w_min, w_max, n_levels, binning, Lambda)
    fractions = np.linspace(0.0, 1.0, n_samples + 1)[:-1]
    w = np.append(edges[:-1, None] + np.diff(edges)[:, None] * fractions, edges[-1]).ravel()
    w = np.union1d(w[(w >= w_min) & (w <= w_max)], [w_min, w_max])  # sorted, without duplicates
    w, rho = _check_samples(w, rho_Delta(w))
    return _star_from_bins(*_integrate_bins(w, rho, edges))
