"""Densities of states of the built-in lattices and of DOS files, as :class:`~.lattice.DOSLattice` objects.

- ``square``: the 2D square lattice with nearest-neighbour hopping t, ``e_k = -2t (cos kx + cos ky)``, band
  ``[-4t, 4t]``, exact DOS ``D(e) = K(1 - e^2 / (16 t^2)) / (2 pi^2 t)`` (K the complete elliptic integral of the
  first kind of parameter m, ``scipy.special.ellipk``): a van Hove log singularity at e = 0 and steps of height
  ``1 / (4 pi t)`` at the band edges. Default ``t = 1/4``, so that the half-bandwidth is ``D = 4t = 1``, the
  energy unit of the Bethe driver (``D = 1``); ``int rho_Delta = 4 t^2 = D^2/4``, the Bethe lattice's ``t^2``.
- ``cubic``: the 3D simple cubic lattice, ``e_k = -2t (cos kx + cos ky + cos kz)``, band ``[-6t, 6t]``,
  ``D(e) = (1/pi) int_0^pi D_square(e + 2t cos kz) dkz`` by the midpoint rule in kz (``n_kz`` nodes): square-root
  edges at ``+-6t``, kinks at ``+-2t``. Default ``t = 1/6`` (``D = 6t = 1``; ``int rho_Delta = 6 t^2 = D^2/6``).
- a DOS file: two columns, energy and ``D(e) >= 0``, strictly increasing energies (``numpy.loadtxt``: ``#``
  comments, whitespace or comma separated is not accepted, whitespace only).

Grids: ``n_e`` points uniform on ``[-D, D]``, both ends included, ``n_e`` even so that no point sits on the
square lattice's van Hove singularity at e = 0. Sampling the log there loses ``~ h |log h|`` of weight, which the
normalization (``DOSLattice``) restores; the piecewise-linear DOS is what the loop uses, so G_loc at U = 0 is
its exact Hilbert transform.

What is not here: H(k) on a k-mesh other than through its DOS (a histogram would be noisy; the tetrahedron
method is not implemented), Wannier Hamiltonians from dft_tools archives (their layout is not documented in
``TRIQS.md``). Layer: ``dmft``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.special import ellipk

from ..checks import integer, real_number
from .lattice import DOSLattice

__all__ = [
    "LATTICES",
    "square_lattice_dos",
    "cubic_lattice_dos",
    "square_lattice",
    "cubic_lattice",
    "named_lattice",
    "read_dos_file",
]

LATTICES = ("square", "cubic")  # built-in lattices of named_lattice and `triqs-nnsolver lattice --lattice`
DEFAULT_N_E = 1000  # DOS grid points: spacing 2e-3 D, finer than the loop's default grid (5e-3 D)
DEFAULT_N_KZ = 4096  # midpoint nodes in kz of the cubic DOS
_M_MAX = 1.0 - 1e-16  # ellipk(m) diverges at m = 1 (e = 0 on the square lattice): capped there, ~ 19.4


def square_lattice_dos(e, t: float) -> np.ndarray:
    """Exact DOS of the square lattice (module docstring), ``int D = 1``; 1/energy, shape of ``e``.

    At ``e = 0`` the log singularity is capped at ``K(1 - 1e-16) / (2 pi^2 t)``; outside ``[-4t, 4t]`` it is 0.
    """
    t = real_number("t", t, minimum=0.0, minimum_open=True)
    e = np.asarray(e, dtype=float)
    m = np.minimum(1.0 - (e / (4 * t)) ** 2, _M_MAX)
    inside = np.abs(e) <= 4 * t
    return np.where(inside, ellipk(np.where(inside, m, 0.0)) / (2 * np.pi**2 * t), 0.0)


def cubic_lattice_dos(e, t: float, n_kz: int = DEFAULT_N_KZ) -> np.ndarray:
    """DOS of the simple cubic lattice (module docstring), 1/energy, shape of ``e``; ``n_kz`` midpoint nodes."""
    t = real_number("t", t, minimum=0.0, minimum_open=True)
    n_kz = integer("n_kz", n_kz, minimum=16)
    e = np.asarray(e, dtype=float)
    kz = (np.arange(n_kz) + 0.5) * np.pi / n_kz
    return square_lattice_dos(e[..., None] + 2 * t * np.cos(kz), t).mean(axis=-1)


def _energy_grid(D: float, n_e: int) -> np.ndarray:
    n_e = integer("n_e", n_e, minimum=16)
    if n_e % 2:
        raise ValueError(f"n_e must be even so that no DOS point sits at e = 0; got n_e = {n_e}")
    return np.linspace(-D, D, n_e)


def square_lattice(t: float = 0.25, n_e: int = DEFAULT_N_E) -> DOSLattice:
    """The square lattice as a :class:`DOSLattice` on ``n_e`` points of ``[-4t, 4t]`` (default t = 1/4, D = 1)."""
    t = real_number("t", t, minimum=0.0, minimum_open=True)
    e = _energy_grid(4 * t, n_e)
    return DOSLattice(e, square_lattice_dos(e, t), name="square")


def cubic_lattice(t: float = 1 / 6, n_e: int = DEFAULT_N_E, n_kz: int = DEFAULT_N_KZ) -> DOSLattice:
    """The simple cubic lattice as a :class:`DOSLattice` on ``n_e`` points of ``[-6t, 6t]`` (default t = 1/6, D = 1)."""
    t = real_number("t", t, minimum=0.0, minimum_open=True)
    e = _energy_grid(6 * t, n_e)
    return DOSLattice(e, cubic_lattice_dos(e, t, n_kz), name="cubic")


def named_lattice(name: str, t: float | None = None, n_e: int = DEFAULT_N_E) -> DOSLattice:
    """``square_lattice`` or ``cubic_lattice`` by name; ``t`` None: the hopping with ``D = 1``.

    Raises
    ------
    ValueError
        For a name not in :data:`LATTICES`.
    """
    if name == "square":
        return square_lattice(0.25 if t is None else t, n_e)
    if name == "cubic":
        return cubic_lattice(1 / 6 if t is None else t, n_e)
    raise ValueError(f"lattice must be one of {LATTICES}; got lattice = {name!r}")


def read_dos_file(path) -> DOSLattice:
    """A :class:`DOSLattice` from a two-column text file ``e  D(e)`` (module docstring), named 'dos'.

    Raises
    ------
    OSError
        If the file cannot be read.
    ValueError
        Naming the file: not numeric, not exactly two columns, fewer than 2 rows, or a DOS that
        :class:`DOSLattice` rejects (energies not strictly increasing, negative or non-finite values).
    """
    path = Path(path)
    try:
        table = np.loadtxt(path, ndmin=2)
    except OSError as err:
        raise OSError(f"DOS file {str(path)!r} cannot be read: {err}") from err
    except ValueError as err:
        raise ValueError(f"DOS file {str(path)!r} must hold numbers in two columns (e, D(e)): {err}") from err
    if table.shape[1] != 2 or table.shape[0] < 2:
        raise ValueError(
            f"DOS file {str(path)!r} must have two columns (e, D(e)) and at least 2 rows; got "
            f"{table.shape[0]} rows of {table.shape[1]} columns"
        )
    try:
        return DOSLattice(table[:, 0], table[:, 1], name="dos")
    except ValueError as err:
        raise ValueError(f"DOS file {str(path)!r}: {err}") from err
