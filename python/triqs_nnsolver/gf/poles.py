"""Green's functions given as a finite sum of poles (a Lehmann representation), evaluated anywhere.

``G(z) = sum_p w_p / (z - e_p)`` with real pole energies ``e_p`` (energy unit, measured from the Fermi
level) and weights ``w_p >= 0``. Exact references (free fermions, exact diagonalization) produce
this form; everything here evaluates it in closed form: on any complex argument (retarded real axis
with a broadening, Matsubara), as a broadened spectral function, in imaginary time, and at zero
temperature in complex time along the rays of ``METHOD.md`` section 2:

    G>(z)    = -i sum_{particle poles} w_p exp(-i e_p z),      z    = t exp(-i alpha)
    G<(zbar) = +i sum_{hole poles}     w_p exp(-i e_p zbar),   zbar = t exp(+i alpha)

with their alpha-derivatives ``dG>/dalpha = -i z dG>/dz`` and ``dG</dalpha = +i zbar dG</dzbar``.
Which poles are particle (e_p > 0, an electron added to the ground state) and which are hole
(e_p < 0) is the caller's split: :func:`split_at_fermi_level` does it by sign.

What is not here: matrix-valued pole weights, finite-temperature complex time.
Layer: bottom (``gf``); numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "PoleSum",
    "split_at_fermi_level",
    "poles_on_complex",
    "poles_retarded",
    "poles_spectral",
    "poles_tau",
    "greater_on_ray",
    "lesser_on_ray",
]


@dataclass(frozen=True, eq=False)
class PoleSum:
    """A scalar pole sum ``G(z) = sum_p weights[p] / (z - energies[p])``.

    Parameters
    ----------
    energies : array_like, shape (n_poles,)
        Real pole positions (energy unit).
    weights : array_like, shape (n_poles,)
        Non-negative residues; their sum is the norm of the spectral function (1 for a full
        fermionic Green's function).
    """

    energies: np.ndarray
    weights: np.ndarray

    def __post_init__(self):
        energies = np.array(self.energies, dtype=float).ravel()
        weights = np.array(self.weights, dtype=float).ravel()
        if energies.shape != weights.shape:
            raise ValueError(f"energies and weights must have the same length; got {energies.size} and {weights.size}")
        if not (np.all(np.isfinite(energies)) and np.all(np.isfinite(weights))):
            raise ValueError("energies and weights must be finite")
        if np.any(weights < 0):
            raise ValueError(f"weights must be non-negative; got min(weights) = {weights.min()!r}")
        energies.flags.writeable = False
        weights.flags.writeable = False
        object.__setattr__(self, "energies", energies)
        object.__setattr__(self, "weights", weights)

    @property
    def norm(self) -> float:
        """Total weight ``sum_p w_p``."""
        return float(self.weights.sum())

    def __len__(self) -> int:
        return self.energies.size


def split_at_fermi_level(poles: PoleSum) -> tuple[PoleSum, PoleSum]:
    """(particle, hole) parts: poles with e > 0 and e < 0. A pole at exactly 0 is ambiguous and raises."""
    if np.any(poles.energies == 0):
        raise ValueError("a pole sits exactly at the Fermi level (e = 0); split particle and hole parts explicitly")
    above = poles.energies > 0
    return (
        PoleSum(poles.energies[above], poles.weights[above]),
        PoleSum(poles.energies[~above], poles.weights[~above]),
    )


def poles_on_complex(poles: PoleSum, z) -> np.ndarray:
    """``G(z) = sum_p w_p / (z - e_p)`` for complex z of any shape (e.g. ``z = iw_n``); shape of z."""
    z = np.asarray(z, dtype=complex)
    return (poles.weights / (z[..., None] - poles.energies)).sum(axis=-1)


def poles_retarded(poles: PoleSum, w, eta: float) -> np.ndarray:
    """``G(w + i eta)`` on real frequencies w, broadening ``eta > 0`` (energy unit); shape of w."""
    if not eta > 0:
        raise ValueError(f"eta must be positive; got eta = {eta!r}")
    return poles_on_complex(poles, np.asarray(w, dtype=float) + 1j * eta)


def poles_spectral(poles: PoleSum, w, width: float, kind: str = "lorentzian") -> np.ndarray:
    """Broadened spectral function ``sum_p w_p K(w - e_p)`` on real w; shape of w.

    ``kind='lorentzian'``: ``K(x) = (width/pi) / (x^2 + width^2)`` (= -Im G(w + i width)/pi);
    ``kind='gaussian'``: ``K(x) = exp(-x^2 / (2 width^2)) / (sqrt(2 pi) width)``. Both are normalized.
    """
    if not width > 0:
        raise ValueError(f"width must be positive; got width = {width!r}")
    x = np.asarray(w, dtype=float)[..., None] - poles.energies
    if kind == "lorentzian":
        kernel = (width / np.pi) / (x**2 + width**2)
    elif kind == "gaussian":
        kernel = np.exp(-0.5 * (x / width) ** 2) / (np.sqrt(2 * np.pi) * width)
    else:
        raise ValueError(f"kind must be 'lorentzian' or 'gaussian'; got kind = {kind!r}")
    return (poles.weights * kernel).sum(axis=-1)


def poles_tau(poles: PoleSum, beta: float, tau) -> np.ndarray:
    """``G(tau) = -sum_p w_p exp(-e_p tau) / (1 + exp(-beta e_p))`` for 0 <= tau <= beta, overflow-free."""
    if not beta > 0:
        raise ValueError(f"beta must be positive; got beta = {beta!r}")
    tau = np.asarray(tau, dtype=float)
    if np.any(tau < 0) or np.any(tau > beta):
        raise ValueError(f"tau must lie in [0, beta] = [0, {beta}]; got values in [{tau.min()}, {tau.max()}]")
    e = poles.energies
    t = tau[..., None]
    # e >= 0: exp(-e tau) / (1 + exp(-beta e)); e < 0: exp((beta - tau) e) / (exp(beta e) + 1). No overflow.
    positive = np.exp(-np.where(e >= 0, e, 0) * t) / (1 + np.exp(-beta * np.abs(e)))
    negative = np.exp(np.where(e < 0, e, 0) * (beta - t)) / (1 + np.exp(-beta * np.abs(e)))
    return -(poles.weights * np.where(e >= 0, positive, negative)).sum(axis=-1)


def _ray(t, alpha: float, sign: int) -> np.ndarray:
    t = np.asarray(t, dtype=float)
    if np.any(t < 0):
        raise ValueError(f"t must be non-negative; got min(t) = {t.min()!r}")
    if not 0 <= alpha < np.pi / 2:
        raise ValueError(f"alpha must lie in [0, pi/2); got alpha = {alpha!r}")
    return t * np.exp(sign * 1j * alpha)


def greater_on_ray(particle: PoleSum, t, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """``G>(z)`` and ``dG>/dalpha`` along ``z = t exp(-i alpha)`` at T = 0, from the particle poles.

    ``G>(z) = -i sum_p w_p exp(-i e_p z)``; ``dG>/dalpha = -i z dG>/dz = i z sum_p w_p e_p exp(-i e_p z)``.
    t: contour parameter (inverse energy unit), any shape; returns two complex arrays of that shape.
    """
    z = _ray(t, alpha, -1)[..., None]
    phases = particle.weights * np.exp(-1j * particle.energies * z)
    return -1j * phases.sum(axis=-1), 1j * z[..., 0] * (phases * particle.energies).sum(axis=-1)


def lesser_on_ray(hole: PoleSum, t, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """``G<(zbar)`` and ``dG</dalpha`` along the mirrored ray ``zbar = t exp(+i alpha)`` at T = 0, from the hole poles.

    ``G<(zbar) = +i sum_p w_p exp(-i e_p zbar)`` (e_p < 0, so it decays);
    ``dG</dalpha = i zbar dG</dzbar = i zbar sum_p w_p e_p exp(-i e_p zbar)``.
    """
    zbar = _ray(t, alpha, +1)[..., None]
    phases = hole.weights * np.exp(-1j * hole.energies * zbar)
    return 1j * phases.sum(axis=-1), 1j * zbar[..., 0] * (phases * hole.energies).sum(axis=-1)
