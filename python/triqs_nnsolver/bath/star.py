"""Star representation of a discrete bath: levels ``eps_k`` coupled to the impurity by ``V_k``.

``Delta(z) = sum_k V_k^2 / (z - eps_k)``, so ``rho_Delta(w) = sum_k V_k^2 delta(w - eps_k)`` and
``int rho_Delta = sum_k V_k^2`` (``METHOD.md`` section 1). Energies in the problem's energy unit.

What is not here: discretization of a continuous density (``bath.discretize``) and the chain
geometry (``bath.chain``).
Layer: ``bath`` (above ``gf``); numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["StarBath", "hybridization", "hybridization_real_axis"]


@dataclass(frozen=True, eq=False)
class StarBath:
    """Bath levels ``eps`` (energy unit) and real couplings ``V`` to the impurity, both of shape (n_bath,).

    The sign of ``V_k`` is irrelevant for the impurity; only ``V_k^2`` enters ``Delta``.
    """

    eps: np.ndarray
    V: np.ndarray

    def __post_init__(self):
        eps = np.array(self.eps, dtype=float).ravel()
        V = np.array(self.V, dtype=float).ravel()
        if eps.shape != V.shape:
            raise ValueError(f"eps and V must have the same length; got {eps.size} and {V.size}")
        if not (np.all(np.isfinite(eps)) and np.all(np.isfinite(V))):
            raise ValueError("eps and V must be finite")
        eps.flags.writeable = False
        V.flags.writeable = False
        object.__setattr__(self, "eps", eps)
        object.__setattr__(self, "V", V)

    @property
    def n_bath(self) -> int:
        """Number of bath levels."""
        return self.eps.size

    @property
    def total_weight(self) -> float:
        """``sum_k V_k^2 = int rho_Delta``."""
        return float(np.sum(self.V**2))


def hybridization(bath: StarBath, z) -> np.ndarray:
    """``Delta(z) = sum_k V_k^2 / (z - eps_k)`` at complex z of any shape (e.g. ``iw_n`` or ``w + i eta``)."""
    z = np.asarray(z, dtype=complex)
    return (bath.V**2 / (z[..., None] - bath.eps)).sum(axis=-1)


def hybridization_real_axis(bath: StarBath, w, eta: float) -> np.ndarray:
    """``Delta(w + i eta)`` on real frequencies w with a broadening ``eta > 0`` (energy unit)."""
    if not eta > 0:
        raise ValueError(f"eta must be positive; got eta = {eta!r}")
    return hybridization(bath, np.asarray(w, dtype=float) + 1j * eta)
