"""The caller's hybridization density as a star bath: the one discretization rule of the bath-based solvers.

``rho_Delta`` on increasing real frequencies ``w`` is binned into ``n_bath`` star levels (``bath.discretize``:
``V_k^2`` = weight of bin k, ``eps_k`` = its weighted centre; linear or logarithmic bins over the support).
The support is the smallest grid interval outside which ``rho_Delta < 1e-3 max(rho_Delta)``; the tails outside
it are dropped (their weight fraction is reported as ``discarded_weight``), so that a faint tail does not
stretch the bins. Used by the Lanczos and the MPS impurity solvers alike, so that both solve the same
discrete problem for the same input.

Layer: ``impurity``; numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..bath import StarBath
from ..bath.discretize import discretize
from ..checks import integer, real_number
from ..gf import spectral_norm

__all__ = ["BINNINGS", "TAIL_FRACTION", "DiscretizedBath", "check_binning", "discretize_density"]

BINNINGS = ("linear", "log")
TAIL_FRACTION = 1e-3
"""rho_Delta below this fraction of its maximum, outside the central interval, is dropped (dimensionless)."""


@dataclass(frozen=True)
class DiscretizedBath:
    """``bath`` (StarBath, caller's energy unit), ``support`` (w_lo, w_hi) and ``discarded_weight`` (fraction)."""

    bath: StarBath
    support: tuple[float, float]
    discarded_weight: float

    @property
    def level_spacing(self) -> float:
        """Mean level spacing ``(w_hi - w_lo) / n_levels`` of the support (energy unit)."""
        return (self.support[1] - self.support[0]) / max(self.bath.n_bath, 1)


def check_binning(n_bath, binning: str, Lambda) -> tuple[int, str, float]:
    """(n_bath, binning, Lambda) checked: an integer >= 1, one of :data:`BINNINGS`, a real number > 1."""
    n_bath = integer("n_bath", n_bath, minimum=1)
    if binning not in BINNINGS:
        raise ValueError(f"binning must be one of {BINNINGS}; got binning = {binning!r}")
    return n_bath, binning, real_number("Lambda", Lambda, minimum=1.0, minimum_open=True)


def discretize_density(w: np.ndarray, rho: np.ndarray, n_bath: int, binning: str, Lambda: float) -> DiscretizedBath:
    """The star bath of ``rho`` on ``w`` (checked arrays, module docstring)."""
    inside = np.flatnonzero(rho >= TAIL_FRACTION * rho.max())
    lo, hi = inside[0], inside[-1]
    kept = np.zeros_like(rho)
    kept[lo : hi + 1] = rho[lo : hi + 1]
    discarded = 1.0 - float(spectral_norm(w, kept)) / float(spectral_norm(w, rho))
    return DiscretizedBath(discretize(w, kept, n_bath, binning, Lambda), (float(w[lo]), float(w[hi])), discarded)
