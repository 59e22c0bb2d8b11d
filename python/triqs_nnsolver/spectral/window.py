"""Tilted spectral function from complex-time samples: the time-domain route of ``METHOD.md`` section 2.

Given ``G>(t e^{-i alpha})`` and ``G<(t e^{+i alpha})`` on a uniform grid of the contour parameter
``t in [0, t_max]`` (what the MPS module records, or :func:`~triqs_nnsolver.gf.greater_on_ray` /
:func:`~triqs_nnsolver.gf.lesser_on_ray` for a pole sum), this module computes

    A~_alpha(w) = (1/pi) Re int_0^t_max dt W(t) exp(i w t) i [G>(t e^{-i alpha}) - G<(t e^{+i alpha})]

and, from the alpha-derivatives of the samples at fixed t, ``dA~_alpha/dalpha`` by the same formula
(the t-integral runs along the contour parameter, so d/dalpha acts on the integrand only). The
integral is a Filon rule: the samples are interpolated by a not-a-knot cubic spline and each spline
piece is integrated against ``exp(i w t)`` exactly, so large ``w dt`` costs no accuracy; the error is
the spline's, ``~ (5/384) dt^4 |f''''|``. ``W(t)`` is an optional window (:func:`time_window`).
The exact frequency-domain answer for poles is :func:`.tilt.tilt`; comparing the two ties the
definitions together (arXiv:2311.10909, arXiv:2511.14505). What is not here: non-uniform time grids,
extrapolation of the signal beyond ``t_max`` (linear prediction), the real-time (alpha = 0) case,
where the signal does not decay.

Layer: ``spectral`` (above ``gf``); numpy and scipy only.
"""

from __future__ import annotations

import numpy as np
from scipy.interpolate import CubicSpline

from ..checks import real_number

__all__ = [
    "WINDOW_FLOOR",
    "time_window",
    "gaussian_window_t_max",
    "gaussian_window_sigma_w",
    "tilted_spectral_from_time",
    "dtilted_spectral_from_time",
]

WINDOWS = ("none", "tukey", "gaussian")
_DEFAULT_TAPER = 0.25  # tapered fraction of [0, t_max] for the Tukey window
_DEFAULT_SIGMA_T_MAX = 6.0  # default Gaussian window: sigma_w = 6 / t_max, so W(t_max) = exp(-18) ~ 1.5e-8
_ROWS_PER_BLOCK = 64  # output frequencies per block: bounds the (rows, n_t) phase matrix
WINDOW_FLOOR = 1e-4
"""Default ``W(t_max)`` of the Gaussian window: ``sigma_w t_max >= sqrt(2 ln 1e4) = 4.29``. The truncated tail
then changes ``A~`` by at most 1e-6 and ``dA~/dalpha`` by 2e-6 (U = 0 Bethe baths of 39 levels, alpha 0.1-0.6,
sigma_w 0.1 and 0.2; 1.4e-5 and 2.8e-5 at ``W(t_max) = 1e-3``; ``doc/mps.md``)."""


def _check_time_grid(t) -> np.ndarray:
    t = np.asarray(t, dtype=float)
    if t.ndim != 1 or t.size < 4:
        raise ValueError(f"t must be a 1-D grid of at least 4 times; got shape {t.shape}")
    if t[0] != 0 or not np.all(np.isfinite(t)):
        raise ValueError(f"t must be finite and start at t = 0 (the integral runs from 0); got t[0] = {t[0]!r}")
    steps = np.diff(t)
    dt = (t[-1] - t[0]) / (t.size - 1)
    if not (dt > 0 and np.all(np.abs(steps - dt) <= 1e-8 * dt)):
        raise ValueError(f"t must be uniform and increasing; got steps between {steps.min()!r} and {steps.max()!r}")
    return t


def time_window(t, window: str = "none", taper: float | None = None, sigma_w: float | None = None) -> np.ndarray:
    """Window ``W(t)`` applied to the complex-time signal before the Fourier transform.

    Parameters
    ----------
    t : array_like, shape (n_t,)
        Uniform contour-parameter grid from 0 to ``t_max`` (inverse energy unit).
    window : {'none', 'tukey', 'gaussian'}
        ``'none'``: ``W = 1`` (plain truncation at ``t_max``). ``'tukey'``: ``W = 1`` up to
        ``(1 - taper) t_max``, then a half-cosine to ``W(t_max) = 0``. ``'gaussian'``:
        ``W = exp(-(sigma_w t)^2 / 2)``.
    taper : float, optional
        Tapered fraction of ``[0, t_max]``, ``0 < taper <= 1``, for ``'tukey'`` only (default 0.25).
    sigma_w : float, optional
        Gaussian broadening in energy units, for ``'gaussian'`` only (default ``6 / t_max``).

    Returns
    -------
    numpy.ndarray, shape (n_t,)
        Real weights in [0, 1].

    Raises
    ------
    ValueError
        For an unknown window, a parameter out of range, or a parameter the window does not use.

    Notes
    -----
    The bias each window introduces, in terms of ``f(t) = i [G> - G<]`` (a window even in t multiplies
    the Hermitian extension of f, i.e. convolves ``A~_alpha`` with its Fourier transform / 2 pi):

    - ``'none'``: convolution with ``sin(w t_max) / (pi w)`` (ringing); the error is at most
      ``(1/pi) int_{t_max}^inf |f| dt``, negligible once ``f(t_max)`` has decayed (rate
      ``|e| sin(alpha)`` for an excitation at e).
    - ``'tukey'``: in addition at most ``(1/pi) int_{(1 - taper) t_max}^{t_max} |f| dt``: no bias where
      the signal has decayed before the taper, less ringing where it has not.
    - ``'gaussian'``: exactly a convolution of ``A~_alpha`` (and of ``dA~_alpha/dalpha``) with a normalized
      Gaussian of standard deviation ``sigma_w`` (a pole's Lorentzian becomes a Voigt profile,
      :func:`.tilt.broadened_tilt_kernel`; ``tilt(..., sigma_w=...)`` is the exact answer), plus the
      truncation above damped by ``W(t_max)``: choose ``t_max >= sqrt(2 ln(1/floor)) / sigma_w``
      (:func:`gaussian_window_t_max`). This defines the data target at a stated frequency resolution
      ``sigma_w``, independent of how slowly the low-energy poles of a finite bath decay.
    """
    t = _check_time_grid(t)
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {WINDOWS}; got window = {window!r}")
    if taper is not None and window != "tukey":
        raise ValueError(f"taper is used by window = 'tukey' only; got taper = {taper!r} with window = {window!r}")
    if sigma_w is not None and window != "gaussian":
        raise ValueError(
            f"sigma_w is used by window = 'gaussian' only; got sigma_w = {sigma_w!r} with window = {window!r}"
        )
    t_max = t[-1]
    if window == "none":
        return np.ones_like(t)
    if window == "tukey":
        taper = _DEFAULT_TAPER if taper is None else taper
        if not 0 < taper <= 1:
            raise ValueError(f"taper must lie in (0, 1]; got taper = {taper!r}")
        start = (1 - taper) * t_max
        phase = np.clip((t - start) / (taper * t_max), 0, 1)
        return 0.5 * (1 + np.cos(np.pi * phase))
    sigma_w = _DEFAULT_SIGMA_T_MAX / t_max if sigma_w is None else sigma_w
    if not (np.isfinite(sigma_w) and sigma_w > 0):
        raise ValueError(f"sigma_w must be positive; got sigma_w = {sigma_w!r}")
    return np.exp(-0.5 * (sigma_w * t) ** 2)


def gaussian_window_t_max(sigma_w: float, floor: float = WINDOW_FLOOR, dt: float | None = None) -> float:
    """Shortest ``t_max`` at which the Gaussian window has fallen to ``floor``: ``sqrt(2 ln(1/floor)) / sigma_w``.

    Parameters
    ----------
    sigma_w : float
        Frequency resolution of the window (energy unit, > 0).
    floor : float
        ``W(t_max)``, in (0, 1) (default :data:`WINDOW_FLOOR`).
    dt : float, optional
        Time step: the result is rounded up to a multiple of it.

    Returns
    -------
    float
        ``t_max`` (inverse energy unit); e.g. 21.6 for ``sigma_w = 0.2``, ``dt = 0.2``.

    Raises
    ------
    ValueError
        If sigma_w or dt is not positive and finite, or floor is outside (0, 1).
    """
    sigma_w = real_number("sigma_w", sigma_w, minimum=0.0, minimum_open=True)
    if not 0 < floor < 1:
        raise ValueError(f"floor must lie in (0, 1); got floor = {floor!r}")
    t_max = np.sqrt(2 * np.log(1 / floor)) / sigma_w
    if dt is None:
        return float(t_max)
    dt = real_number("dt", dt, minimum=0.0, minimum_open=True)
    return float(round(np.ceil(t_max / dt - 1e-9) * dt, 12))


def gaussian_window_sigma_w(t_max: float, floor: float = WINDOW_FLOOR) -> float:
    """Finest resolution a run to ``t_max`` supports: ``sigma_w = sqrt(2 ln(1/floor)) / t_max`` (energy unit).

    The inverse of :func:`gaussian_window_t_max` (without rounding). Raises ``ValueError`` if t_max is not
    positive and finite or floor is outside (0, 1).
    """
    t_max = real_number("t_max", t_max, minimum=0.0, minimum_open=True)
    if not 0 < floor < 1:
        raise ValueError(f"floor must lie in (0, 1); got floor = {floor!r}")
    return float(np.sqrt(2 * np.log(1 / floor)) / t_max)


def _filon_moments(theta: np.ndarray) -> np.ndarray:
    """``m_k(theta) = int_0^1 exp(i theta u) u^k du`` for k = 0..3; shape (4, *theta.shape).

    Upward recursion ``m_k = (exp(i theta) - k m_{k-1}) / (i theta)`` for |theta| >= 1 (error growth
    at most k! = 6); for |theta| < 1, where it would lose digits, the Taylor series
    ``sum_n (i theta)^n / (n! (n + k + 1))`` with 20 terms (truncation below 1e-19).
    """
    theta = np.asarray(theta, dtype=float)
    small = np.abs(theta) < 1
    moments = np.empty((4,) + theta.shape, dtype=complex)
    safe = np.where(small, 1.0, theta)
    phase = np.exp(1j * safe)
    previous = (phase - 1) / (1j * safe)
    moments[0] = previous
    for k in range(1, 4):
        previous = (phase - k * previous) / (1j * safe)
        moments[k] = previous
    term = np.ones_like(theta, dtype=complex)  # (i theta)^n / n!
    series = np.zeros((4,) + theta.shape, dtype=complex)
    for n in range(20):
        series += term / (n + 1 + np.arange(4)).reshape((4,) + (1,) * theta.ndim)
        term = term * (1j * theta) / (n + 1)
    return np.where(small, series, moments)


def _one_sided_transform(t: np.ndarray, f: np.ndarray, w_out: np.ndarray) -> np.ndarray:
    """``(1/pi) Re int_0^t_max exp(i w t) f(t) dt`` for the cubic-spline interpolant of f; shape (n_out, ...)."""
    dt = t[1] - t[0]
    coefficients = CubicSpline(t, f, axis=0, bc_type="not-a-knot").c  # (4, n_t - 1, ...), highest power first
    powers = coefficients[::-1] * (dt ** (np.arange(1, 5))).reshape((4,) + (1,) * (f.ndim))  # c_k dt^(k+1)
    result = np.empty((w_out.size,) + f.shape[1:])
    for start in range(0, w_out.size, _ROWS_PER_BLOCK):
        w = w_out[start : start + _ROWS_PER_BLOCK]
        phases = np.exp(1j * w[:, None] * t[None, :-1])  # (rows, n_t - 1)
        moments = _filon_moments(w * dt)  # (4, rows)
        sums = np.tensordot(phases, powers, axes=(1, 1))  # (rows, 4, ...)
        moments = moments.T.reshape(moments.T.shape + (1,) * (f.ndim - 1))  # (rows, 4, 1...)
        result[start : start + _ROWS_PER_BLOCK] = (moments * sums).sum(axis=1).real / np.pi
    return result


def _prepare(t, greater, lesser, w_out, names):
    t = _check_time_grid(t)
    arrays = []
    for name, values in zip(names, (greater, lesser), strict=True):
        values = np.asarray(values)
        if values.ndim == 0 or values.shape[0] != t.size:
            raise ValueError(f"{name} must have shape (n_t, ...) with n_t = len(t) = {t.size}; got {values.shape}")
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name} must be finite; got {np.count_nonzero(~np.isfinite(values))} non-finite values")
        arrays.append(values.astype(complex))
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape; got {arrays[0].shape} and {arrays[1].shape}"
        )
    w_out = np.asarray(w_out, dtype=float)
    if w_out.ndim != 1 or not np.all(np.isfinite(w_out)):
        raise ValueError(f"w_out must be a finite 1-D array of frequencies; got shape {w_out.shape}")
    return t, arrays[0], arrays[1], w_out


def tilted_spectral_from_time(
    t, G_greater, G_lesser, w_out, window: str = "none", taper: float | None = None, sigma_w: float | None = None
) -> np.ndarray:
    """``A~_alpha(w)`` from ``G>`` and ``G<`` sampled along the tilted rays (``METHOD.md`` section 2).

    Parameters
    ----------
    t : array_like, shape (n_t,)
        Uniform grid of the contour parameter, ``t[0] = 0`` (inverse energy unit).
    G_greater : array_like, complex, shape (n_t, ...)
        ``G>(t e^{-i alpha}) = -i <0| d exp(-i H' z) d+ |0>`` on that grid; trailing axes are independent
        problems.
    G_lesser : array_like, complex, shape of G_greater
        ``G<(t e^{+i alpha}) = +i <0| d+ exp(+i H' zbar) d |0>`` on the same grid and the same alpha.
    w_out : array_like, shape (n_out,)
        Output frequencies (energy unit).
    window, taper, sigma_w
        See :func:`time_window` (default: none).

    Returns
    -------
    numpy.ndarray, shape (n_out, ...)
        ``A~_alpha`` (inverse energy unit).

    Raises
    ------
    ValueError
        For a non-uniform or too short t grid, t[0] != 0, shape mismatches, non-finite samples, or an
        invalid window.

    Notes
    -----
    alpha enters only through the samples, so it is not an argument. Measured against the exact
    :func:`.tilt.tilt` of 3 particle + 3 hole poles (``|e|`` from 0.25 to 2.5, alpha = 0.3, t_max = 320, no
    window): 1.6e-8 relative to the peak at dt = 0.05 and 9.5e-10 at dt = 0.025 (the spline error,
    fourth order in dt ``|e_max|``). The truncation error is ``~ exp(-|e_min| sin(alpha) t_max)``: choose
    ``t_max`` from the smallest excitation energy.
    """
    t, greater, lesser, w_out = _prepare(t, G_greater, G_lesser, w_out, ("G_greater", "G_lesser"))
    weights = time_window(t, window, taper, sigma_w).reshape((t.size,) + (1,) * (greater.ndim - 1))
    return _one_sided_transform(t, 1j * (greater - lesser) * weights, w_out)


def dtilted_spectral_from_time(
    t,
    dG_greater_dalpha,
    dG_lesser_dalpha,
    w_out,
    window: str = "none",
    taper: float | None = None,
    sigma_w: float | None = None,
) -> np.ndarray:
    """``dA~_alpha/dalpha (w)`` from the alpha-derivatives of ``G>`` and ``G<`` at fixed contour parameter t.

    Since ``A~_alpha = (1/pi) Re int dt exp(i w t) i [G>(t e^{-i alpha}) - G<(t e^{+i alpha})]`` with
    t-independent limits and a t-only window, ``dA~/dalpha`` is the same transform of
    ``dG>/dalpha = -i z dG>/dz`` and ``dG</dalpha = +i zbar dG</dzbar`` (as returned by
    :func:`~triqs_nnsolver.gf.greater_on_ray` and :func:`~triqs_nnsolver.gf.lesser_on_ray`; the MPS
    module measures ``+i z <0| d H' exp(-i H' z) d+ |0>``). Arguments, shapes and Raises as
    :func:`tilted_spectral_from_time`; result in inverse energy unit per radian.

    Notes
    -----
    The derivative samples grow like ``|e| t`` before they decay, so ``t_max`` must be somewhat longer
    than for ``A~`` itself. Measured against :func:`.tilt.dtilt_dalpha` for the poles of
    :func:`tilted_spectral_from_time`: 3.2e-8 relative to the peak at dt = 0.05, 2.7e-9 at dt = 0.025.
    """
    t, greater, lesser, w_out = _prepare(
        t, dG_greater_dalpha, dG_lesser_dalpha, w_out, ("dG_greater_dalpha", "dG_lesser_dalpha")
    )
    weights = time_window(t, window, taper, sigma_w).reshape((t.size,) + (1,) * (greater.ndim - 1))
    return _one_sided_transform(t, 1j * (greater - lesser) * weights, w_out)
