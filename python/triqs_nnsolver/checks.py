"""Checks of scalar arguments at public entry points, with messages that name the argument and the value.

Every check returns the value converted (``float``, ``int``) or raises a ``ValueError`` (for an argument of
the wrong kind too) whose message reads ``"{name} must be ...; got {name} = {value!r}"``, chained
from the conversion error where there is one (STYLE.md: errors name the argument, what was expected and what
was received). Frequency grids and the samples on them are checked here too (:func:`frequency_grid`,
:func:`sampled_values`); Green's functions and meshes where they are defined (``gf``, ``solver``).

Layer: bottom, beside ``gf``, ``h5`` and ``mpi``; numpy only.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["real_number", "integer", "tilt_angle", "frequency_grid", "sampled_values", "hybridization_density"]


def real_number(
    name: str,
    value,
    *,
    unit: str = "",
    minimum: float | None = None,
    minimum_open: bool = False,
    maximum: float | None = None,
    maximum_open: bool = False,
) -> float:
    """``value`` as a finite float, optionally bounded; ``unit`` (e.g. ``"energy unit"``) goes into the message.

    ``minimum_open`` / ``maximum_open`` exclude the bound itself (``minimum=0, minimum_open=True``: positive).
    numpy scalars and 0-d arrays are accepted; bools, strings, complex numbers and None are not.

    Raises
    ------
    ValueError
        If ``value`` is not a real number, not finite, or out of bounds; the message reads
        ``"{name} must be <expected> (<unit>); got {name} = <value>"``.
    """
    message = (
        f"{name} must be {_expected_real(minimum, minimum_open, maximum, maximum_open, unit)}; got {name} = {value!r}"
    )
    if isinstance(value, bool | np.bool_ | str | bytes | complex) or value is None or np.iscomplexobj(value):
        raise ValueError(message)
    try:  # numbers.Real, numpy scalars and 0-d arrays; anything else without a real __float__ fails here
        number = float(value)
    except (TypeError, ValueError, OverflowError) as err:  # OverflowError: an int beyond float's range
        raise ValueError(message) from err
    if not math.isfinite(number):
        raise ValueError(message)
    if minimum is not None and (number < minimum or (minimum_open and number == minimum)):
        raise ValueError(message)
    if maximum is not None and (number > maximum or (maximum_open and number == maximum)):
        raise ValueError(message)
    return number


def _expected_real(minimum, minimum_open: bool, maximum, maximum_open: bool, unit: str) -> str:
    if minimum == 0 and maximum is None:
        expected = "a positive real number" if minimum_open else "a non-negative real number"
    elif minimum is not None and maximum is not None:
        expected = (
            f"a real number in {'(' if minimum_open else '['}{minimum:g}, {maximum:g}{')' if maximum_open else ']'}"
        )
    elif minimum is not None:
        expected = f"a finite real number {'>' if minimum_open else '>='} {minimum:g}"
    elif maximum is not None:
        expected = f"a finite real number {'<' if maximum_open else '<='} {maximum:g}"
    else:
        expected = "a finite real number"
    return expected + (f" ({unit})" if unit else "")


def integer(name: str, value, *, minimum: int | None = None) -> int:
    """``value`` as an int (Python or numpy integer, not a bool or a float), optionally ``>= minimum``.

    Raises
    ------
    ValueError
        If ``value`` is not an integer or is below ``minimum``.
    """
    expected = "an integer" + (f" >= {minimum}" if minimum is not None else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or (minimum is not None and value < minimum):
        raise ValueError(f"{name} must be {expected}; got {name} = {value!r}")
    return int(value)


def tilt_angle(alpha, allow_zero: bool = False) -> float:
    """The contour angle ``alpha`` (radians) as a float in (0, pi/2), or in [0, pi/2) when ``allow_zero``.

    Raises
    ------
    ValueError
        If ``alpha`` is not a real number or lies outside the interval (the message gives both).
    """
    try:
        value = float(alpha)
    except (TypeError, ValueError) as err:
        raise ValueError(f"alpha must be a real number in radians; got alpha = {alpha!r}") from err
    lower_ok = value >= 0 if allow_zero else value > 0
    if not (lower_ok and value < math.pi / 2):
        interval = "[0, pi/2)" if allow_zero else "(0, pi/2)"
        raise ValueError(f"alpha must lie in {interval}; got alpha = {alpha!r}")
    return value


def frequency_grid(w, name: str = "w") -> np.ndarray:
    """A real, finite, strictly increasing 1-D grid of at least 2 points, as float64 (energy unit).

    Raises
    ------
    ValueError
        Naming ``name``: complex, not 1-D or shorter than 2, not finite, or not strictly increasing (the
        first offending pair is given).
    """
    w_arr = np.asarray(w)
    if np.iscomplexobj(w_arr):
        raise ValueError(f"{name} must be real frequencies; got a complex array of shape {w_arr.shape}")
    w_arr = w_arr.astype(float)
    if w_arr.ndim != 1 or w_arr.size < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 frequencies; got shape {w_arr.shape}")
    if not np.all(np.isfinite(w_arr)):
        raise ValueError(f"{name} must be finite; got {np.count_nonzero(~np.isfinite(w_arr))} non-finite values")
    steps = np.diff(w_arr)
    if not np.all(steps > 0):
        k = int(np.argmin(steps))
        raise ValueError(
            f"{name} must be strictly increasing; got {name}[{k}] = {w_arr[k]}, {name}[{k + 1}] = {w_arr[k + 1]}"
        )
    return w_arr


def sampled_values(w: np.ndarray, A, name: str = "A", real: bool = False) -> np.ndarray:
    """Finite samples of shape (n_w, ...) on the grid ``w``: float (or complex unless ``real``) arrays.

    Raises
    ------
    ValueError
        Naming ``name``: a leading axis other than ``len(w)``, non-numeric or non-finite entries, or (``real``)
        a complex array.
    """
    A_arr = np.asarray(A)
    if A_arr.ndim == 0 or A_arr.shape[0] != w.size:
        raise ValueError(
            f"{name} must have shape (n_w, ...) with n_w = len(w) = {w.size}; got {name}.shape = {A_arr.shape}"
        )
    if real and (np.iscomplexobj(A_arr) or not np.issubdtype(A_arr.dtype, np.number)):
        raise ValueError(f"{name} must be a real spectral function; got dtype {A_arr.dtype}")
    if not np.issubdtype(A_arr.dtype, np.number) or not np.all(np.isfinite(A_arr)):
        raise ValueError(
            f"{name} must be a finite numeric array; got dtype {A_arr.dtype} with non-finite or non-numeric entries"
        )
    return A_arr if np.iscomplexobj(A_arr) else A_arr.astype(float)


def hybridization_density(w, rho_Delta) -> tuple[np.ndarray, np.ndarray]:
    """``w`` and the bath density ``rho_Delta = -Im Delta(w) / pi`` on it, as float arrays (energy unit).

    ``w`` must be one-dimensional, finite and strictly increasing; ``rho_Delta`` finite, real, of the same
    shape, non-negative up to rounding (-1e-10 of its maximum, clipped to 0) and with positive weight.

    Raises
    ------
    ValueError
        Naming ``w`` or ``rho_Delta`` and what is wrong with it.
    """
    w_arr = np.asarray(w, dtype=float)
    if w_arr.ndim != 1 or w_arr.size < 2 or not np.all(np.isfinite(w_arr)) or not np.all(np.diff(w_arr) > 0):
        raise ValueError(
            f"w must be a strictly increasing, finite 1-d array of >= 2 frequencies; got shape {w_arr.shape}"
        )
    rho = np.asarray(rho_Delta)
    if np.iscomplexobj(rho):
        raise ValueError(f"rho_Delta must be real (-Im Delta / pi); got dtype {rho.dtype}")
    rho = rho.astype(float)
    if rho.shape != w_arr.shape:
        raise ValueError(f"rho_Delta must have the shape of w, {w_arr.shape}; got {rho.shape}")
    if not np.all(np.isfinite(rho)):
        raise ValueError(f"rho_Delta must be finite; got {np.count_nonzero(~np.isfinite(rho))} non-finite values")
    if rho.min() < -1e-10 * max(rho.max(), 0.0) or not rho.max() > 0:
        raise ValueError(
            "rho_Delta must be >= 0 with positive weight (a causal hybridization); "
            f"got min {rho.min():.3g}, max {rho.max():.3g}"
        )
    return w_arr, np.clip(rho, 0.0, None)
