"""Chemical potential for a target filling: the root of ``n(eps_d) = n_target`` for a fixed bath.

Inside every DMFT iteration with a target density the bath is held fixed and the impurity level
``eps_d = -mu`` is adjusted until the impurity (= local lattice) density ``n = 2 int_{-inf}^0 A`` hits the
target. ``n(eps_d)`` decreases with ``eps_d``; the bracket is grown geometrically (doubling) around the
previous value, inside fixed bounds (cheap when it hardly moves between iterations), and the root is
polished by Brent's method.

What is not here: finite-temperature occupations, a lattice ``mu`` separate from ``eps_d``.
Layer: ``dmft``.
"""

from __future__ import annotations

from collections.abc import Callable

from scipy.optimize import brentq

__all__ = ["DensitySearchError", "find_eps_d"]


class DensitySearchError(RuntimeError):
    """No ``eps_d`` in the allowed range gives the target density."""


def find_eps_d(
    density_of: Callable[[float], float],
    target: float,
    eps_d_guess: float,
    step: float,
    xtol: float,
    bounds: tuple[float, float],
) -> tuple[float, float]:
    """The impurity level ``eps_d`` (energy) at which ``density_of(eps_d) = target``.

    Parameters
    ----------
    density_of : callable float -> float
        Density n (both spins) of the impurity at level eps_d, for the fixed bath (one solver call).
    target : float
        Target density, in (0, 2).
    eps_d_guess : float
        Start of the search (the previous iteration's value), energy.
    step : float
        First half-width of the bracket (energy, > 0), e.g. D / 4.
    xtol : float
        Absolute tolerance on eps_d (energy), passed to ``scipy.optimize.brentq``.
    bounds : (float, float)
        The search never leaves ``[bounds[0], bounds[1]]`` (energy), e.g. where the impurity is empty
        or full for any physical bath; ``eps_d_guess`` is clipped into it.

    Returns
    -------
    (eps_d, n) : tuple of float
        The root and the density there.

    Raises
    ------
    DensitySearchError
        If no sign change of ``n - target`` is found inside ``bounds``.
    """
    values: dict[float, float] = {}

    def residual(eps_d: float) -> float:
        if eps_d not in values:
            values[eps_d] = float(density_of(eps_d)) - target
        return values[eps_d]

    lowest, highest = float(bounds[0]), float(bounds[1])
    if not (lowest < highest and step > 0):
        raise ValueError(f"bounds must be increasing and step positive; got bounds = {bounds}, step = {step}")
    eps_d_guess = min(max(float(eps_d_guess), lowest), highest)
    low = high = eps_d_guess
    r_guess = residual(eps_d_guess)
    if r_guess == 0:
        return eps_d_guess, target
    width, found = step, False
    while not found:
        # n too large (r > 0): raise eps_d; too small: lower it.
        if r_guess > 0:
            low, high = high, min(eps_d_guess + width, highest)
            found = residual(high) <= 0
            at_bound = high == highest
        else:
            low, high = max(eps_d_guess - width, lowest), low
            found = residual(low) >= 0
            at_bound = low == lowest
        if not found and at_bound:
            tried = sorted(values)
            raise DensitySearchError(
                f"no eps_d in bounds {tuple(bounds)} gives density = {target}: tried eps_d in "
                f"[{tried[0]:.4g}, {tried[-1]:.4g}], densities from {min(values.values()) + target:.4g} "
                f"to {max(values.values()) + target:.4g}"
            )
        width *= 2
    eps_d = brentq(residual, low, high, xtol=xtol)
    return float(eps_d), float(residual(eps_d) + target)
