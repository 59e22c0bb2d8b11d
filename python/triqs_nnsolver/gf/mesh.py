"""Meshes of Green's functions: real frequency, Matsubara frequency, imaginary time, Legendre.

Each mesh is a small frozen dataclass that knows its points in data-index order; the TRIQS
conventions (``doc/h5.md``) are followed exactly, so a mesh read from a
TRIQS archive and a mesh built here with the same parameters compare equal.

What is here: ``MeshReFreq`` (uniform, both ends included), ``MeshReFreqPts`` (arbitrary sorted
points, e.g. the non-uniform grid of :func:`make_nonuniform_refreq`), ``MeshReTime``,
``MeshImFreq`` (fermionic or bosonic, TRIQS index convention), ``MeshImTime``, ``MeshLegendre``
and ``MeshProduct``. What is not: DLR and momentum meshes.

Layer: bottom (``gf``); numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..checks import integer, real_number

__all__ = [
    "MeshReFreq",
    "MeshReFreqPts",
    "MeshReTime",
    "MeshImFreq",
    "MeshImTime",
    "MeshLegendre",
    "MeshProduct",
    "make_nonuniform_refreq",
]

_STATISTICS = {"F": "F", "Fermion": "F", "B": "B", "Boson": "B"}


def _statistic(value) -> str:
    """Normalise a TRIQS statistic ('F', 'Fermion', 'B', 'Boson') to 'F' or 'B'."""
    try:
        return _STATISTICS[value]
    except (KeyError, TypeError):
        raise ValueError(f"statistic must be one of 'F', 'Fermion', 'B', 'Boson'; got {value!r}") from None


@dataclass(frozen=True)
class MeshReFreq:
    """Uniform real-frequency mesh ``w_k = w_min + k (w_max - w_min) / (n_w - 1)``, k = 0 .. n_w-1.

    Both ends are included, as in TRIQS ``MeshReFreq(w_min, w_max, n_w)``. Energies in the
    problem's energy unit.
    """

    w_min: float
    w_max: float
    n_w: int

    def __post_init__(self):
        object.__setattr__(self, "w_min", float(self.w_min))
        object.__setattr__(self, "w_max", float(self.w_max))
        object.__setattr__(self, "n_w", integer("n_w", self.n_w, minimum=2))
        if not self.w_max > self.w_min:
            raise ValueError(f"w_max must be larger than w_min; got w_min = {self.w_min}, w_max = {self.w_max}")

    @property
    def points(self) -> np.ndarray:
        """Frequencies, float64 array of shape (n_w,)."""
        return np.linspace(self.w_min, self.w_max, self.n_w)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.n_w,)

    def __len__(self) -> int:
        return self.n_w


@dataclass(frozen=True, eq=False)
class MeshReFreqPts:
    """Real-frequency mesh on arbitrary strictly increasing points (TRIQS 4 ``MeshReFreqPts``).

    Energies in the problem's energy unit; ``points`` is a float64 array of shape (n_w,).
    """

    points: np.ndarray

    def __post_init__(self):
        points = np.array(self.points, dtype=float)
        if points.ndim != 1 or points.size < 2:
            raise ValueError(f"points must be a 1-D array of at least 2 frequencies; got shape {points.shape}")
        if not np.all(np.isfinite(points)):
            bad = np.flatnonzero(~np.isfinite(points))
            raise ValueError(f"points must be finite; got non-finite values at indices {bad}")
        steps = np.diff(points)
        if not np.all(steps > 0):
            k = int(np.argmax(steps <= 0))
            raise ValueError(
                f"points must be strictly increasing; got points[{k}] = {float(points[k])} "
                f">= points[{k + 1}] = {float(points[k + 1])}"
            )
        points.flags.writeable = False
        object.__setattr__(self, "points", points)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.points.size,)

    def __len__(self) -> int:
        return self.points.size

    def __eq__(self, other) -> bool:
        return isinstance(other, MeshReFreqPts) and np.array_equal(self.points, other.points)

    def __hash__(self) -> int:
        return hash(self.points.tobytes())


@dataclass(frozen=True)
class MeshReTime:
    """Uniform real-time mesh ``t_k = t_min + k (t_max - t_min) / (n_t - 1)``, both ends included."""

    t_min: float
    t_max: float
    n_t: int

    def __post_init__(self):
        object.__setattr__(self, "t_min", float(self.t_min))
        object.__setattr__(self, "t_max", float(self.t_max))
        object.__setattr__(self, "n_t", integer("n_t", self.n_t, minimum=2))
        if not self.t_max > self.t_min:
            raise ValueError(f"t_max must be larger than t_min; got t_min = {self.t_min}, t_max = {self.t_max}")

    @property
    def points(self) -> np.ndarray:
        return np.linspace(self.t_min, self.t_max, self.n_t)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.n_t,)

    def __len__(self) -> int:
        return self.n_t


@dataclass(frozen=True)
class MeshImFreq:
    """Matsubara mesh in the TRIQS convention.

    ``n_iw`` counts the non-negative frequencies. Fermions: n = -n_iw .. n_iw-1 (2 n_iw points),
    ``w_n = (2n+1) pi / beta``. Bosons: n = -(n_iw-1) .. n_iw-1 (2 n_iw - 1 points), ``w_n = 2 n pi / beta``.
    ``points`` holds the real numbers w_n; the complex frequencies are ``iw = 1j * points``.
    ``beta`` is the inverse temperature in inverse energy units.
    """

    beta: float
    statistic: str
    n_iw: int

    def __post_init__(self):
        object.__setattr__(self, "beta", real_number("beta", self.beta, minimum=0.0, minimum_open=True))
        object.__setattr__(self, "statistic", _statistic(self.statistic))
        object.__setattr__(self, "n_iw", integer("n_iw", self.n_iw, minimum=1))

    @property
    def indices(self) -> np.ndarray:
        """Matsubara indices n in data order, int64 array."""
        if self.statistic == "F":
            return np.arange(-self.n_iw, self.n_iw)
        return np.arange(1 - self.n_iw, self.n_iw)

    @property
    def points(self) -> np.ndarray:
        """Matsubara frequencies w_n (real), float64 array in data order."""
        return (2 * self.indices + (self.statistic == "F")) * np.pi / self.beta

    @property
    def iw(self) -> np.ndarray:
        """Complex Matsubara frequencies i w_n, complex128 array in data order."""
        return 1j * self.points

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self),)

    def __len__(self) -> int:
        return 2 * self.n_iw - (self.statistic == "B")


@dataclass(frozen=True)
class MeshImTime:
    """Imaginary-time mesh ``tau_k = k beta / (n_tau - 1)``, k = 0 .. n_tau-1 (both 0 and beta included)."""

    beta: float
    statistic: str
    n_tau: int

    def __post_init__(self):
        object.__setattr__(self, "beta", real_number("beta", self.beta, minimum=0.0, minimum_open=True))
        object.__setattr__(self, "statistic", _statistic(self.statistic))
        object.__setattr__(self, "n_tau", integer("n_tau", self.n_tau, minimum=2))

    @property
    def points(self) -> np.ndarray:
        return np.linspace(0.0, self.beta, self.n_tau)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.n_tau,)

    def __len__(self) -> int:
        return self.n_tau


@dataclass(frozen=True)
class MeshLegendre:
    """Legendre mesh, l = 0 .. n_l-1 (TRIQS ``MeshLegendre(beta, statistic, max_n=n_l)``)."""

    beta: float
    statistic: str
    n_l: int

    def __post_init__(self):
        object.__setattr__(self, "beta", real_number("beta", self.beta, minimum=0.0, minimum_open=True))
        object.__setattr__(self, "statistic", _statistic(self.statistic))
        object.__setattr__(self, "n_l", integer("n_l", self.n_l, minimum=1))

    @property
    def points(self) -> np.ndarray:
        return np.arange(self.n_l)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.n_l,)

    def __len__(self) -> int:
        return self.n_l


@dataclass(frozen=True)
class MeshProduct:
    """Cartesian product of meshes; a Gf on it has one data axis per component."""

    components: tuple

    def __post_init__(self):
        components = tuple(self.components)
        if len(components) < 2:
            raise ValueError(f"a MeshProduct needs at least 2 components; got {len(components)}")
        object.__setattr__(self, "components", components)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(m) for m in self.components)

    def __len__(self) -> int:
        return int(np.prod(self.shape))


def make_nonuniform_refreq(w_max: float, n_w: int, w_scale: float) -> MeshReFreqPts:
    """Symmetric real-frequency grid, dense near w = 0, with no point at 0.

    ``w_k = w_scale * sinh(x_k * asinh(w_max / w_scale))`` with ``x_k`` uniform on [-1, 1] and an even
    number of points, so the two points closest to 0 sit at about ``+-w_scale * asinh(w_max/w_scale) / (n_w-1)``
    and the spacing grows exponentially once ``|w|`` exceeds ``w_scale``.

    Parameters
    ----------
    w_max : float
        Largest ``|w|`` (the grid spans [-w_max, w_max], both ends included); energy unit.
    n_w : int
        Number of points; must be even (an odd count would put a point at 0).
    w_scale : float
        Energy below which the grid is nearly uniform; smaller means denser near 0.

    Returns
    -------
    MeshReFreqPts
    """
    w_max = real_number("w_max", w_max, minimum=0.0, minimum_open=True)
    w_scale = real_number("w_scale", w_scale, minimum=0.0, minimum_open=True)
    n_w = integer("n_w", n_w, minimum=2)
    if n_w % 2:
        raise ValueError(f"n_w must be even so that no grid point sits at w = 0; got n_w = {n_w}")
    x = (2 * np.arange(n_w // 2) + 1) / (n_w - 1)  # positive half of linspace(-1, 1, n_w)
    positive = w_scale * np.sinh(x * np.arcsinh(w_max / w_scale))
    positive[-1] = w_max  # exact end despite rounding in sinh(asinh(.))
    return MeshReFreqPts(np.concatenate([-positive[::-1], positive]))  # exactly antisymmetric
