"""The tilted spectral transform ``A -> A~_alpha`` of complex-time data and its alpha-derivative.

Fourier transforming the zero-temperature ``G>`` and ``G<`` along the rays ``z = t exp(-i alpha)`` and
``zbar = t exp(+i alpha)`` of ``METHOD.md`` section 2 gives the *tilted spectral function*

    A~_alpha(w) = int A(w') K_alpha(w, w') dw',
    K_alpha(w, w') = (1/pi) |w'| sin(alpha) / [(w - w' cos(alpha))^2 + (w' sin(alpha))^2]:

every excitation at w' becomes a normalized Lorentzian centred at ``w' cos(alpha)`` with half-width
``|w'| sin(alpha)`` (arXiv:2311.10909, used by arXiv:2511.14505 as the network's training target).
Here: the kernel and its analytic alpha-derivative, the transform of a :class:`~triqs_nnsolver.gf.PoleSum` (exact: a sum
of Lorentzians) or of a function sampled on a possibly non-uniform grid (exact bin integration of its piecewise-linear
interpolant, in closed form), the matrices that do the latter for many spectra at once, the same kernels convolved with
a normalized Gaussian of standard deviation ``sigma_w`` in w (a Voigt profile per excitation: the tilted spectrum at a
stated frequency resolution, what a Gaussian time window gives, :func:`.window.time_window`; pole input only), and the
first-order estimate ``A ~ A~ - alpha dA~/dalpha`` of the real-axis spectrum. The time-domain route (from ``G>``/``G<``
samples) is :mod:`.window`; sum rules are :mod:`.sum_rules`. What is not here: higher-order reconstruction back to the
real axis, averaging over output bins (values are point samples of ``A~`` on ``w_out``), finite temperature.

Layer: ``spectral`` (above ``gf``); numpy, and scipy's Faddeeva function for the broadened kernel.
"""

from __future__ import annotations

import numpy as np
from scipy.special import wofz

from ..checks import frequency_grid, real_number, sampled_values, tilt_angle
from ..gf.poles import PoleSum

__all__ = [
    "tilt_kernel",
    "tilt_kernel_dalpha",
    "broadened_tilt_kernel",
    "broadened_tilt_kernel_dalpha",
    "tilt_matrix",
    "tilt",
    "dtilt_dalpha",
    "first_order_real_axis",
]

_ROWS_PER_BLOCK = 256  # output frequencies per block in tilt_matrix: bounds the (rows, bins) temporaries
_SMALLEST_W = 1e-150  # |w_out| below this is treated as w = 0: w^2 and D(x) would underflow


def _output_grid(w_grid: np.ndarray, w_out) -> np.ndarray:
    if w_out is None:
        return w_grid
    w_out = np.asarray(w_out, dtype=float)
    if w_out.ndim != 1 or not np.all(np.isfinite(w_out)):
        raise ValueError(f"w_out must be a finite 1-D array of frequencies; got shape {w_out.shape}")
    return w_out


def tilt_kernel(w, w_prime, alpha: float) -> np.ndarray:
    """The tilt kernel ``K_alpha(w, w') = (1/pi) |w'| sin(alpha) / [(w - w' cos(alpha))^2 + (w' sin(alpha))^2]``.

    Parameters
    ----------
    w : array_like
        Output frequency (energy unit, measured from the Fermi level).
    w_prime : array_like
        Excitation energy w' (same unit); broadcast against ``w``.
    alpha : float
        Tilt angle of the time ray in radians, ``0 < alpha < pi/2``.

    Returns
    -------
    numpy.ndarray
        ``K_alpha`` (inverse energy unit), shape of ``broadcast(w, w_prime)``. As a function of w it is a
        Lorentzian of unit weight, centre ``w' cos(alpha)``, half-width ``|w'| sin(alpha)``.

    Raises
    ------
    ValueError
        If alpha is outside (0, pi/2).

    Notes
    -----
    At ``w' = 0`` the Lorentzian has zero width and the kernel is the distribution ``delta(w)``, which
    has no pointwise value: this function returns 0 where ``w' = 0, w != 0`` and ``+inf`` at
    ``w = w' = 0``. Integrals over w' are unaffected: :func:`tilt_matrix` integrates over bins in
    closed form, which is continuous through ``w' = 0``.
    """
    alpha = tilt_angle(alpha, allow_zero=False)
    w, w_prime = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(w_prime, dtype=float))
    denominator = (w - w_prime * np.cos(alpha)) ** 2 + (w_prime * np.sin(alpha)) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        kernel = np.abs(w_prime) * np.sin(alpha) / (np.pi * denominator)
    return np.where(w_prime == 0, np.where(w == 0, np.inf, 0.0), kernel)


def tilt_kernel_dalpha(w, w_prime, alpha: float) -> np.ndarray:
    """Analytic ``dK_alpha(w, w')/dalpha = (|w'|/pi) [cos(alpha) D - 2 w w' sin(alpha)^2] / D^2``.

    Here ``D = (w - w' cos(alpha))^2 + (w' sin(alpha))^2 = w^2 - 2 w w' cos(alpha) + w'^2``. Arguments,
    shapes and Raises as :func:`tilt_kernel`; inverse energy unit per radian. At ``w' = 0`` the kernel
    ``delta(w)`` does not depend on alpha: the derivative is 0 there (also at ``w = 0``).
    """
    alpha = tilt_angle(alpha, allow_zero=False)
    w, w_prime = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(w_prime, dtype=float))
    c, s = np.cos(alpha), np.sin(alpha)
    denominator = (w - w_prime * c) ** 2 + (w_prime * s) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        derivative = np.abs(w_prime) * (c * denominator - 2 * w * w_prime * s**2) / (np.pi * denominator**2)
    return np.where(w_prime == 0, 0.0, derivative)


def _voigt_argument(w, w_prime, alpha: float, sigma_w: float):
    """``z = (w - w' cos(alpha) + i |w'| sin(alpha)) / (sigma_w sqrt 2)`` and its alpha-derivative."""
    w, w_prime = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(w_prime, dtype=float))
    c, s = np.cos(alpha), np.sin(alpha)
    scale = sigma_w * np.sqrt(2.0)
    z = (w - w_prime * c + 1j * np.abs(w_prime) * s) / scale
    dz = (w_prime * s + 1j * np.abs(w_prime) * c) / scale
    return z, dz


def broadened_tilt_kernel(w, w_prime, alpha: float, sigma_w: float) -> np.ndarray:
    """``K_alpha`` convolved in w with a normalized Gaussian of standard deviation ``sigma_w``: a Voigt profile.

    ``K_alpha^sigma(w, w') = int K_alpha(w - x, w') exp(-x^2 / (2 sigma_w^2)) dx / (sigma_w sqrt(2 pi))
    = Re F(z) / (sigma_w sqrt(2 pi))`` with the Faddeeva function F (``scipy.special.wofz``) and
    ``z = (w - w' cos(alpha) + i |w'| sin(alpha)) / (sigma_w sqrt 2)``: the Voigt profile of centre
    ``w' cos(alpha)``, Lorentzian half-width ``|w'| sin(alpha)`` and Gaussian deviation ``sigma_w``
    (``scipy.special.voigt_profile``). It is what the Gaussian time window ``exp(-(sigma_w t)^2 / 2)`` of
    :func:`.window.time_window` makes of every excitation. Unlike :func:`tilt_kernel` it is finite
    everywhere: at ``w' = 0`` it is the Gaussian itself.

    Parameters
    ----------
    w, w_prime : array_like
        Output frequency and excitation energy (energy unit), broadcast against each other.
    alpha : float
        Tilt angle in radians, ``0 < alpha < pi/2``.
    sigma_w : float
        Frequency resolution: standard deviation of the Gaussian (energy unit, > 0).

    Returns
    -------
    numpy.ndarray
        Inverse energy unit, shape of ``broadcast(w, w_prime)``; unit weight in w.

    Raises
    ------
    ValueError
        If alpha is outside (0, pi/2) or sigma_w is not positive and finite.
    """
    alpha = tilt_angle(alpha, allow_zero=False)
    sigma_w = real_number("sigma_w", sigma_w, unit="energy unit", minimum=0.0, minimum_open=True)
    z, _ = _voigt_argument(w, w_prime, alpha, sigma_w)
    return wofz(z).real / (sigma_w * np.sqrt(2 * np.pi))


def broadened_tilt_kernel_dalpha(w, w_prime, alpha: float, sigma_w: float) -> np.ndarray:
    """Analytic ``dK_alpha^sigma(w, w')/dalpha`` of :func:`broadened_tilt_kernel` (per radian).

    F is analytic, so ``d Re F(z)/dalpha = Re[F'(z) dz/dalpha]`` with ``F'(z) = -2 z F(z) + 2i / sqrt(pi)`` and
    ``dz/dalpha = (w' sin(alpha) + i |w'| cos(alpha)) / (sigma_w sqrt 2)``. It equals the Gaussian
    convolution of :func:`tilt_kernel_dalpha`. Arguments, shapes and Raises as :func:`broadened_tilt_kernel`.
    """
    alpha = tilt_angle(alpha, allow_zero=False)
    sigma_w = real_number("sigma_w", sigma_w, unit="energy unit", minimum=0.0, minimum_open=True)
    z, dz = _voigt_argument(w, w_prime, alpha, sigma_w)
    derivative = -2 * z * wofz(z) + 2j / np.sqrt(np.pi)
    return (derivative * dz).real / (sigma_w * np.sqrt(2 * np.pi))


def sub_bins(w_grid: np.ndarray):
    """Bins of the grid, a bin containing w' = 0 split there (the kernel has a kink in w' at 0).

    Returns the sub-bin ends x0, x1, the index j of the left grid point of the parent bin, and the
    positions u0, u1 of the ends inside the parent bin in units of its width (0 and 1 unless split).
    """
    left, right = w_grid[:-1], w_grid[1:]
    j = np.arange(w_grid.size - 1)
    split = (left < 0) & (right > 0)
    u_zero = -left[split] / (right[split] - left[split])
    x0 = np.concatenate([left, np.zeros(split.sum())])
    x1 = np.concatenate([np.where(split, 0.0, right), right[split]])
    u1_first = np.ones(j.size)
    u1_first[split] = u_zero
    u0 = np.concatenate([np.zeros(j.size), u_zero])
    u1 = np.concatenate([u1_first, np.ones(split.sum())])
    return x0, x1, np.concatenate([j, j[split]]), u0, u1


def _bin_integrals(w: np.ndarray, x0: np.ndarray, x1: np.ndarray, alpha: float, derivative: bool):
    """Closed-form ``int_{x0}^{x1} K dw'`` and ``int_{x0}^{x1} (w' - m) K dw' / h`` (m: midpoint, h: width).

    w has shape (n, 1), the bin ends shape (n_bins,), each bin on one side of 0 and w != 0. With
    ``y = w' - w cos(alpha)``, ``beta = |w| sin(alpha)`` the kernel is
    ``(sign(w') sin(alpha)/pi) w' / (y^2 + beta^2)``, so the integrals need ``L = log(D1/D0)`` and
    ``T = arctan(y1/beta) - arctan(y0/beta)``, written through log1p (or the plain ratio) and atan2 so
    that neither loses precision on narrow bins. With ``derivative``, the alpha-derivatives of the
    same integrals instead (bin ends do not depend on alpha).
    """
    c, s, c2, s2 = np.cos(alpha), np.sin(alpha), np.cos(2 * alpha), np.sin(2 * alpha)
    versine = 2 * np.sin(alpha / 2) ** 2  # 1 - cos(alpha) without cancellation at small alpha
    h, m, product = x1 - x0, 0.5 * (x0 + x1), x0 * x1
    sigma = np.sign(m)  # sign of w' on the bin
    sign_w, abs_w = np.sign(w), np.abs(w)
    beta = abs_w * s
    y0, y1 = (x0 - w) + w * versine, (x1 - w) + w * versine  # x - w cos(alpha), accurate for x ~ w
    d0, d1 = y0**2 + beta**2, y1**2 + beta**2  # D(x) = x^2 - 2 x w cos(alpha) + w^2
    relative_change = h * (y0 + y1) / d0  # D1/D0 - 1, exact in terms of the bin ends
    # L = log(D1/D0): log1p keeps full relative precision when D1 ~ D0 (bins far from the Lorentzian),
    # the plain ratio when D1/D0 - 1 is near -1 (bins ending at w' = 0 for tiny |w|), where log1p would not
    with np.errstate(divide="ignore"):  # each branch is evaluated everywhere; the used one is finite
        log_ratio = np.where(np.abs(relative_change) < 0.5, np.log1p(relative_change), np.log(d1 / d0))
    angle = np.arctan2(beta * h, beta**2 + y0 * y1)  # T, in [0, pi]
    if not derivative:
        norm = sigma * (0.5 * s * log_ratio + sign_w * c * angle) / np.pi
        slope = sigma * (s * h + s * (w * c - m / 2) * log_ratio + (abs_w * c2 - sign_w * c * m) * angle) / np.pi
        return norm, slope / h
    d_log_ratio = 2 * w * s * h * (w**2 - product) / (d0 * d1)
    # c (w^2 + x0 x1) - w (x0 + x1), rewritten so that it stays accurate for w near a bin end at small alpha
    d_angle = abs_w * h * (c * (w - x0) * (w - x1) - versine * w * (x0 + x1)) / (d0 * d1)
    norm = sigma * (0.5 * c * log_ratio + 0.5 * s * d_log_ratio - sign_w * s * angle + sign_w * c * d_angle) / np.pi
    slope = (
        sigma
        * (
            c * h
            + (c * (w * c - m / 2) - w * s**2) * log_ratio
            + s * (w * c - m / 2) * d_log_ratio
            + (sign_w * s * m - 2 * abs_w * s2) * angle
            + (abs_w * c2 - sign_w * c * m) * d_angle
        )
        / np.pi
    )
    return norm, slope / h


def _interpolation_matrix(w_grid: np.ndarray, w_out: np.ndarray) -> np.ndarray:
    """Matrix of the piecewise-linear interpolant (zero outside the grid): the alpha = 0 limit of the tilt."""
    matrix = np.zeros((w_out.size, w_grid.size))
    inside = np.flatnonzero((w_out >= w_grid[0]) & (w_out <= w_grid[-1]))
    j = np.clip(np.searchsorted(w_grid, w_out[inside], side="right") - 1, 0, w_grid.size - 2)
    u = (w_out[inside] - w_grid[j]) / (w_grid[j + 1] - w_grid[j])
    matrix[inside, j] = 1 - u
    matrix[inside, j + 1] = u
    return matrix


def tilt_matrix(w_grid, alpha: float, w_out=None, derivative: bool = False) -> np.ndarray:
    """Matrix M with ``M @ A = A~_alpha(w_out)`` (or its alpha-derivative) for A sampled on ``w_grid``.

    A is taken as the piecewise-linear interpolant of its samples on ``[w_grid[0], w_grid[-1]]`` and
    zero outside; ``int A_lin(w') K_alpha(w, w') dw'`` is done in closed form on every bin.

    Parameters
    ----------
    w_grid : array_like, shape (n_w,)
        Strictly increasing input frequencies (energy unit), uniform or not; 0 may but need not be a point.
    alpha : float
        Tilt angle in radians: ``0 < alpha < pi/2``, or ``alpha = 0`` without ``derivative``, where the
        kernel is ``delta(w - w')`` and M interpolates linearly (M is the identity for ``w_out = w_grid``).
    w_out : array_like, shape (n_out,), optional
        Output frequencies (default ``w_grid``), none exactly 0 (nor below 1e-150 in size): for a metal
        ``A~_alpha`` diverges logarithmically at w = 0 (``METHOD.md`` section 2).
    derivative : bool
        Return the matrix of ``dA~_alpha/dalpha`` (per radian) instead, from the analytic derivative of
        the bin integrals.

    Returns
    -------
    numpy.ndarray, shape (n_out, n_w)

    Raises
    ------
    ValueError
        If w_grid is not a strictly increasing finite 1-D grid of at least 2 points, alpha is out of range,
        or w_out is not a finite 1-D array or contains w = 0 or ``|w|`` < 1e-150 (with alpha > 0).

    Notes
    -----
    Against 25-digit mpmath quadrature of the same piecewise-linear A (three Gaussians on a 400-point
    ``make_nonuniform_refreq`` grid, output points on the grid, at +-1e-8 and elsewhere, alpha from 1e-3
    to 1.5): ``A~`` agrees to 3e-16 and ``dA~/dalpha`` to 2e-14, relative to their largest values, also
    where the Lorentzians are far narrower than the bins. Rounding is kept down by writing
    ``1 - cos(alpha)`` as ``2 sin(alpha/2)^2`` and the logarithms through log1p; what remains is the
    cancellation between O(h) terms of the slope integral on bins far from w, of absolute size about
    ``eps * max(|w|, |w'|) * h * K``.
    """
    w_grid = frequency_grid(w_grid, "w_grid")
    alpha = tilt_angle(alpha, allow_zero=not derivative)
    w_out = _output_grid(w_grid, w_out)
    if alpha == 0:
        return _interpolation_matrix(w_grid, w_out)
    too_close = np.abs(w_out) < _SMALLEST_W
    if np.any(too_close):
        k = int(np.flatnonzero(too_close)[0])
        raise ValueError(
            "w_out must not contain w = 0: A~_alpha has a logarithmic singularity there when A(0) > 0 "
            f"(and |w| < {_SMALLEST_W} underflows w^2); got w_out[{k}] = {w_out[k]!r}"
        )
    x0, x1, j, u0, u1 = sub_bins(w_grid)
    matrix = np.zeros((w_out.size, w_grid.size))
    for start in range(0, w_out.size, _ROWS_PER_BLOCK):
        rows = slice(start, start + _ROWS_PER_BLOCK)
        norm, slope = _bin_integrals(w_out[rows, None], x0, x1, alpha, derivative)
        left, right = 0.5 * norm - slope, 0.5 * norm + slope  # weights of A(x0), A(x1); (rows, n_bins)
        # A(x0) = (1 - u0) A_j + u0 A_{j+1}, A(x1) likewise: spread the sub-bin weights on the grid points
        np.add.at(matrix[rows].T, j, (left * (1 - u0) + right * (1 - u1)).T)
        np.add.at(matrix[rows].T, j + 1, (left * u0 + right * u1).T)
    return matrix


def _poles_on(A: PoleSum) -> PoleSum:
    if np.any(A.energies == 0):
        raise ValueError(
            "A has a pole at w' = 0, which the tilt maps to delta(w) (no pointwise values); "
            "move it off the Fermi level or pass a sampled A"
        )
    return A


def _no_broadening_for_samples(sigma_w) -> None:
    if sigma_w is not None:
        raise ValueError(
            f"sigma_w needs A as a PoleSum (for a density, pass quadrature nodes and weights as poles); "
            f"got sigma_w = {sigma_w!r} with sampled A"
        )


def tilt(A, w_grid, alpha: float, w_out=None, sigma_w: float | None = None) -> np.ndarray:
    """Tilted spectral function ``A~_alpha(w) = int A(w') K_alpha(w, w') dw'`` (``METHOD.md`` section 2).

    Parameters
    ----------
    A : PoleSum or array_like
        Either a :class:`~triqs_nnsolver.gf.PoleSum` (A is ``sum_p w_p delta(w - e_p)``, no pole at
        exactly 0; the result is the exact sum of Lorentzians) or real samples of shape (n_w, ...) on
        ``w_grid`` (piecewise-linear interpolant, zero outside the grid; trailing axes are independent
        spectra).
    w_grid : array_like, shape (n_w,)
        Strictly increasing frequencies (energy unit): where A is sampled, and the default output grid.
    alpha : float
        Tilt angle in radians, ``0 < alpha < pi/2``; ``alpha = 0`` is allowed for sampled A only and returns
        the linear interpolant of A on ``w_out`` (A itself on ``w_grid``).
    w_out : array_like, shape (n_out,), optional
        Output frequencies (default ``w_grid``); for sampled A none may be exactly 0.
    sigma_w : float, optional
        Frequency resolution (energy unit, > 0), PoleSum input only: ``A~_alpha`` convolved with a
        normalized Gaussian of standard deviation ``sigma_w`` (:func:`broadened_tilt_kernel`, a Voigt
        profile per pole; a pole at 0 is then allowed), which is what the Gaussian time window of
        :func:`.window.time_window` gives. Default: no broadening.

    Returns
    -------
    numpy.ndarray, shape (n_out,) or (n_out, ...)
        ``A~_alpha`` (inverse energy unit), non-negative when A is.

    Raises
    ------
    ValueError
        For an invalid grid, alpha, sigma_w or A (shape, non-finite or complex samples, a pole at 0
        without sigma_w), a 0 in w_out for sampled A, or sigma_w with sampled A.

    Notes
    -----
    Pole input is exact to rounding. Sampled input: see :func:`tilt_matrix` (3e-16 relative to the peak
    against high-precision quadrature of the same interpolant); the interpolation error of A itself,
    ``h^2 A''/8`` per bin, is the caller's. ``int A~ = int A`` only over the whole axis: the Lorentzian
    tails ``~ |w'| sin(alpha) / (pi w^2)`` put weight outside any finite window (:mod:`.sum_rules`).
    """
    w_grid = frequency_grid(w_grid, "w_grid")
    if isinstance(A, PoleSum):
        w_out = _output_grid(w_grid, w_out)
        if sigma_w is not None:
            return broadened_tilt_kernel(w_out[:, None], A.energies, alpha, sigma_w) @ A.weights
        poles = _poles_on(A)
        return tilt_kernel(w_out[:, None], poles.energies, alpha) @ poles.weights
    _no_broadening_for_samples(sigma_w)
    samples = sampled_values(w_grid, A, "A", real=True)
    return np.tensordot(tilt_matrix(w_grid, alpha, w_out), samples, axes=(1, 0))


def dtilt_dalpha(A, w_grid, alpha: float, w_out=None, sigma_w: float | None = None) -> np.ndarray:
    """Analytic alpha-derivative ``dA~_alpha/dalpha (w) = int A(w') dK_alpha(w, w')/dalpha dw'``.

    Same arguments, input kinds, shapes and Raises as :func:`tilt`, except that ``alpha = 0`` is not
    allowed (at alpha = 0 the derivative is a Hadamard finite-part integral). Unit: inverse energy per
    radian. Pole input uses :func:`tilt_kernel_dalpha` (:func:`broadened_tilt_kernel_dalpha` with
    ``sigma_w``: the derivative of the Gaussian-broadened tilt); sampled input the derivative of the closed-form
    bin integrals (:func:`tilt_matrix` with ``derivative=True``): 2e-14 relative to the peak against
    high-precision quadrature; a central difference of :func:`tilt` with step ``3e-4 alpha`` agrees to its
    own truncation error, 1e-7 of the peak.
    """
    w_grid = frequency_grid(w_grid, "w_grid")
    if isinstance(A, PoleSum):
        w_out = _output_grid(w_grid, w_out)
        if sigma_w is not None:
            return broadened_tilt_kernel_dalpha(w_out[:, None], A.energies, alpha, sigma_w) @ A.weights
        poles = _poles_on(A)
        return tilt_kernel_dalpha(w_out[:, None], poles.energies, alpha) @ poles.weights
    _no_broadening_for_samples(sigma_w)
    samples = sampled_values(w_grid, A, "A", real=True)
    return np.tensordot(tilt_matrix(w_grid, alpha, w_out, derivative=True), samples, axes=(1, 0))


def first_order_real_axis(A_tilt, dA_tilt_dalpha, alpha: float) -> np.ndarray:
    """First-order real-axis estimate ``A(w) ~ A~_alpha(w) - alpha dA~_alpha/dalpha (w)`` (``METHOD.md`` section 2).

    Parameters
    ----------
    A_tilt : array_like
        ``A~_alpha`` on some grid (inverse energy unit).
    dA_tilt_dalpha : array_like
        ``dA~_alpha/dalpha`` on the same grid, same shape (inverse energy unit per radian).
    alpha : float
        The tilt angle of both, in radians, ``0 <= alpha < pi/2``.

    Returns
    -------
    numpy.ndarray
        The estimate, shape of ``A_tilt``. Its error is ``-alpha^2 A_2(w) + O(alpha^3)`` where
        ``A~_alpha = A + alpha A_1 + alpha^2 A_2 + ...``; halving alpha about quarters it (measured ratio
        3.7 from alpha = 0.04 to 0.02 for three Gaussians on 800 points: the alpha^3 term and the
        O(alpha h) effect of the kinks of a piecewise-linear A pull it below 4). It need not be
        non-negative.

    Raises
    ------
    ValueError
        If the shapes differ, values are not finite, or alpha is out of range.
    """
    alpha = tilt_angle(alpha, allow_zero=True)
    A_tilt = np.asarray(A_tilt, dtype=float)
    dA_tilt_dalpha = np.asarray(dA_tilt_dalpha, dtype=float)
    if A_tilt.shape != dA_tilt_dalpha.shape:
        raise ValueError(
            f"A_tilt and dA_tilt_dalpha must have the same shape; got {A_tilt.shape} and {dA_tilt_dalpha.shape}"
        )
    if not (np.all(np.isfinite(A_tilt)) and np.all(np.isfinite(dA_tilt_dalpha))):
        raise ValueError("A_tilt and dA_tilt_dalpha must be finite")
    return A_tilt - alpha * dA_tilt_dalpha
