"""Mixing of successive DMFT iterates: linear, and Anderson acceleration (optional).

The loop looks for a fixed point ``x = F(x)`` of the map "spectral function in -> impurity solve ->
spectral function out". Each mixer takes the last input ``x_in`` and output ``F(x_in)`` and proposes
the next input:

- :class:`LinearMixer`: ``x_next = x_in + a (F(x_in) - x_in)`` with ``0 < a <= 1``; slow but robust, and
  the only choice that never leaves the convex hull of the iterates (so ``A >= 0`` is kept).
- :class:`AndersonMixer`: Anderson acceleration of depth m (Walker and Ni, SIAM J. Numer. Anal. 49,
  1715 (2011), "type II"): the residuals ``f_k = F(x_k) - x_k`` of the last m+1 iterates are combined
  with least-squares weights that minimize the linearized residual, then damped by ``a``. Fewer
  iterations near a smooth fixed point; it may overshoot, so the loop clips the result to ``A >= 0``.

What is not here: Broyden's method, mixing of anything but one real vector. Layer: ``dmft``.
"""

from __future__ import annotations

import numpy as np

from ..checks import integer, real_number

__all__ = ["LinearMixer", "AndersonMixer", "make_mixer"]

_RCOND = 1e-10  # relative cut of small singular values in the Anderson least-squares problem


class LinearMixer:
    """``x_next = x_in + mixing * (x_out - x_in)``.

    Parameters
    ----------
    mixing : float
        Weight of the new output, in (0, 1] (1: no mixing).
    """

    def __init__(self, mixing: float = 0.5):
        self.mixing = real_number("mixing", mixing, minimum=0.0, minimum_open=True, maximum=1.0)

    def update(self, x_in, x_out) -> np.ndarray:
        """The next input from the last input and output (arrays of equal shape)."""
        x_in, x_out = np.asarray(x_in, dtype=float), np.asarray(x_out, dtype=float)
        return x_in + self.mixing * (x_out - x_in)

    def reset(self) -> None:
        """Nothing to forget (kept for the common interface)."""

    def describe(self) -> str:
        return f"linear (mixing {self.mixing:g})"


class AndersonMixer:
    """Anderson acceleration of depth ``depth``, damped by ``mixing``.

    Parameters
    ----------
    mixing : float
        Damping a in (0, 1] of the accelerated step.
    depth : int
        Number of past differences kept (m >= 1); the first update is linear mixing.

    Notes
    -----
    With ``dX`` and ``dF`` the columns ``x_k - x_(k-1)`` and ``f_k - f_(k-1)`` of the last m steps,
    ``gamma = argmin |f_k - dF gamma|`` and ``x_next = x_k + a f_k - (dX + a dF) gamma``.
    """

    def __init__(self, mixing: float = 0.5, depth: int = 5):
        self.mixing = real_number("mixing", mixing, minimum=0.0, minimum_open=True, maximum=1.0)
        self.depth = integer("depth", depth, minimum=1)
        self.reset()

    def reset(self) -> None:
        """Forget the history (e.g. when the target changes between scan points)."""
        self._x: list[np.ndarray] = []
        self._f: list[np.ndarray] = []

    def update(self, x_in, x_out) -> np.ndarray:
        """The next input from the last input and output (arrays of equal shape)."""
        x_in = np.asarray(x_in, dtype=float).ravel()
        f = np.asarray(x_out, dtype=float).ravel() - x_in
        self._x.append(x_in.copy())
        self._f.append(f.copy())
        del self._x[: -(self.depth + 1)], self._f[: -(self.depth + 1)]
        step = x_in + self.mixing * f
        if len(self._x) > 1:
            dX = np.diff(np.array(self._x), axis=0).T  # (n, m)
            dF = np.diff(np.array(self._f), axis=0).T  # (n, m)
            gamma = np.linalg.lstsq(dF, f, rcond=_RCOND)[0]  # (m,)
            step = step - (dX + self.mixing * dF) @ gamma
        return step.reshape(np.shape(x_out))

    def describe(self) -> str:
        return f"Anderson (depth {self.depth}, mixing {self.mixing:g})"


def make_mixer(mixing: float, anderson_depth: int):
    """:class:`LinearMixer` for ``anderson_depth == 0``, else :class:`AndersonMixer`."""
    if anderson_depth == 0:
        return LinearMixer(mixing)
    return AndersonMixer(mixing, anderson_depth)
