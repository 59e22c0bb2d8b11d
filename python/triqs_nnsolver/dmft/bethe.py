"""The Bethe-lattice self-consistency on the real axis: grid, starting guesses, ``Delta = t^2 G``.

On the Bethe lattice with infinite coordination (semicircular DOS of half-bandwidth D, hopping t = D/2)
the DMFT self-consistency closes on the local spectral function alone: ``Delta(w) = t^2 G(w)``, so
``rho_Delta(w) = -Im Delta / pi = t^2 A(w)`` (``METHOD.md`` sections 1 and 4). The loop therefore
carries ``A(w)`` only; ``Re Delta`` follows by Kramers-Kronig wherever it is needed.

What is here: :func:`real_frequency_mesh` (the uniform grid of the loop, of every lattice), :func:`bethe_hybridization`,
:func:`initial_spectral_function` (metallic or insulating start). What is not: the loop
(:mod:`~triqs_nnsolver.dmft.loop`), the lattice objects (:mod:`~triqs_nnsolver.dmft.lattice`, where the Bethe
lattice is :class:`~triqs_nnsolver.dmft.lattice.BetheLattice`).

Layer: ``dmft``.
"""

from __future__ import annotations

import numpy as np

from ..gf import MeshReFreq
from .config import BetheDMFTConfig
from .lattice import BetheLattice, initial_bath

__all__ = ["real_frequency_mesh", "bethe_hybridization", "initial_spectral_function"]


def real_frequency_mesh(config: BetheDMFTConfig) -> MeshReFreq:
    """The uniform grid ``MeshReFreq(-w_max, w_max, n_w)`` of the loop (both ends included, energy unit).

    ``n_w`` is even, so the grid is symmetric about 0 with no point at w = 0 (the two nearest sit at
    ``+-h/2``). A uniform grid is what TRIQS's ``MeshReFreq`` stores, so the archive holds the loop's own
    data without interpolation; see ``doc/dmft.md`` for the Kramers-Kronig error it implies.
    """
    w_max = config.resolved_w_max
    return MeshReFreq(-w_max, w_max, config.n_w)


def bethe_hybridization(A, t: float) -> np.ndarray:
    """``rho_Delta(w) = t^2 A(w)``, the bath density of the Bethe self-consistency ``Delta = t^2 G``.

    Parameters
    ----------
    A : array_like, shape (n_w,)
        Local spectral function (1/energy), ``>= 0``.
    t : float
        Hopping ``D / 2`` (energy).

    Returns
    -------
    numpy.ndarray, float, shape (n_w,)
        ``rho_Delta`` (energy), on the grid of ``A``.
    """
    return (t * t) * np.asarray(A, dtype=float)


def initial_spectral_function(w, config: BetheDMFTConfig, start: str | None = None) -> np.ndarray:
    """Starting ``A(w)`` of the Bethe loop, normalized to ``int A = 1`` on ``w`` (1/energy).

    :func:`~triqs_nnsolver.dmft.lattice.initial_bath` of the Bethe lattice of half-bandwidth ``config.D``, whose
    normalized bath is A: 'metal' the semicircle, 'insulator' two Hubbard bands of half-width D/2 at ``eps_d`` and
    ``eps_d + U``. Raises ValueError for an unknown ``start``.
    """
    return initial_bath(w, BetheLattice(config.D), config, start)
