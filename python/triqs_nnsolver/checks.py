"""Checks of scalar arguments at public entry points, with messages that name the argument and the value.

Every check returns the value converted (``float``, ``int``) or raises a ``ValueError`` (``TypeError`` for an
argument of the wrong kind) whose message reads ``"{name} must be ...; got {name} = {value!r}"``, chained
from the conversion error where there is one (STYLE.md: errors name the argument, what was expected and what
was received). Arrays and Green's functions are checked where they are defined (``gf``, ``solver``).

Layer: bottom, beside ``gf``, ``h5`` and ``mpi``; numpy only.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["real_number", "integer"]


def real_number(
    name: str,
    value,
    *,
    unit: str = "",
    minimum: float | None = None,
    minimum_open: bool = False,
    maximum: float | None = None,
) -> float:
    """``value`` as a finite float, optionally bounded; ``unit`` (e.g. ``"energy unit"``) goes into the message.

    ``minimum_open=True`` excludes ``minimum`` itself (``minimum=0, minimum_open=True``: positive).

    Raises
    ------
    ValueError
        If ``value`` is not a real number (a bool, a string, a complex number, None), not finite, or out of bounds.
    """
    bounds = []
    if minimum is not None:
        bounds.append(f"{'>' if minimum_open else '>='} {minimum:g}")
    if maximum is not None:
        bounds.append(f"<= {maximum:g}")
    expected = "a finite real number" + (f" {' and '.join(bounds)}" if bounds else "") + (f" ({unit})" if unit else "")
    message = f"{name} must be {expected}; got {name} = {value!r}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:  # numpy 0-d arrays and other objects with __float__, but not strings or complex numbers
            if isinstance(value, str | bytes | complex) or value is None:
                raise TypeError(type(value).__name__)
            number = float(value)
        except (TypeError, ValueError) as err:
            raise ValueError(message) from err
    else:
        number = float(value)
    if not math.isfinite(number):
        raise ValueError(message)
    if minimum is not None and (number < minimum or (minimum_open and number == minimum)):
        raise ValueError(message)
    if maximum is not None and number > maximum:
        raise ValueError(message)
    return number


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
