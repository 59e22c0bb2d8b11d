"""Options of the real-frequency Bethe-lattice DMFT loop: one frozen dataclass, stored with every result.

The model is the one-band Hubbard model on the Bethe lattice at T = 0 (``METHOD.md`` sections 1 and 4),

    H = -t sum_<ij>s c+_is c_js + U sum_i n_i(up) n_i(dn) - mu sum_is n_is,   t = D / 2,

mapped onto the Anderson impurity of ``METHOD.md`` section 1 with ``eps_d = -mu`` (so half filling is
``eps_d = -U/2``) and the bath ``Delta(w) = t^2 G(w)``. Every energy is in the caller's unit, the one D
is given in. The same config drives the loop on any one-band lattice (:func:`~triqs_nnsolver.dmft.run_lattice_dmft`),
with ``D`` the lattice's half-bandwidth and ``eps_d = eps_0 - mu`` (``eps_0`` the band centre). Layer: ``dmft``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..checks import integer, real_number

__all__ = ["BetheDMFTConfig", "STARTS"]

STARTS = ("metal", "insulator")

DEFAULT_W_MAX = 6.0  # grid half-width in units of D: Hubbard bands at +-U/2 with width 2D fit for U <= 6 D
DEFAULT_Z_WINDOW = 0.02  # |w| <= this (units of D) for the Re Sigma slope; 8 points of the default grid


@dataclass(frozen=True)
class BetheDMFTConfig:
    """Parameters of one Bethe-lattice DMFT run. Energies in the unit of ``D``; ``w`` grids include both ends.

    ``eps_d`` and ``density`` exclude each other: give neither (half filling, ``eps_d = -U/2``), a fixed
    ``eps_d`` (fixed chemical potential ``mu = -eps_d``), or a target ``density`` (``eps_d`` found by a
    root search in every iteration, :mod:`triqs_nnsolver.dmft.chemical_potential`).
    """

    U: float = 2.0  # Hubbard interaction (>= 0), energy
    D: float = 1.0  # half-bandwidth of the semicircular DOS (> 0), energy; hopping t = D / 2
    eps_d: float | None = None  # impurity level = -mu, energy; None: -U/2 (half filling) unless density is set
    density: float | None = None  # target electrons per site, both spins, in (0, 2); None: fixed eps_d
    start: str = "metal"  # initial A: 'metal' (the U = 0 semicircle) or 'insulator' (Hubbard bands at +-U/2)
    mixing: float = 0.5  # weight of the new A in each update, in (0, 1]
    anderson_depth: int = 0  # past iterations used by Anderson acceleration; 0: plain linear mixing
    tol: float = 2e-3  # converged when D * max_w |A_new - A_old| < tol (dimensionless); see doc/dmft.md
    max_iter: int = 100  # iterations before giving up (the result is then flagged not converged)
    n_w: int = 2400  # points of the uniform real-frequency grid; even, so no point sits at w = 0
    w_max: float | None = None  # grid [-w_max, w_max], energy; None: 6 D (DEFAULT_W_MAX)
    beta: float = 100.0  # inverse temperature of the Matsubara output only (1/energy); the solve is T = 0
    n_iw: int = 1025  # positive Matsubara frequencies of G_iw, Sigma_iw (TRIQS convention)
    z_window: float | None = None  # |w| range of the linear fit of Re Sigma for Z, energy; None: max(0.02 D, 2 h)

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "U", real_number("U", self.U, minimum=0.0))
        set_(self, "D", real_number("D", self.D, minimum=0.0, minimum_open=True))
        if self.eps_d is not None and self.density is not None:
            raise ValueError(
                f"give eps_d (fixed chemical potential) or density (target filling), not both; "
                f"got eps_d = {self.eps_d!r}, density = {self.density!r}"
            )
        if self.eps_d is not None:
            set_(self, "eps_d", real_number("eps_d", self.eps_d))
        if self.density is not None:
            set_(
                self,
                "density",
                real_number("density", self.density, minimum=0.0, minimum_open=True, maximum=2.0, maximum_open=True),
            )
        if self.start not in STARTS:
            raise ValueError(f"start must be one of {STARTS}; got start = {self.start!r}")
        set_(self, "mixing", real_number("mixing", self.mixing, minimum=0.0, minimum_open=True, maximum=1.0))
        set_(self, "anderson_depth", integer("anderson_depth", self.anderson_depth, minimum=0))
        set_(self, "tol", real_number("tol", self.tol, minimum=0.0, minimum_open=True))
        set_(self, "max_iter", integer("max_iter", self.max_iter, minimum=1))
        set_(self, "n_w", integer("n_w", self.n_w, minimum=8))
        if self.n_w % 2:
            raise ValueError(f"n_w must be even so that no grid point sits at w = 0; got n_w = {self.n_w}")
        if self.w_max is not None:
            set_(self, "w_max", real_number("w_max", self.w_max, minimum=0.0, minimum_open=True))
        set_(self, "beta", real_number("beta", self.beta, minimum=0.0, minimum_open=True))
        set_(self, "n_iw", integer("n_iw", self.n_iw, minimum=1))
        if self.z_window is not None:
            set_(self, "z_window", real_number("z_window", self.z_window, minimum=0.0, minimum_open=True))
        if self.resolved_z_window < 1.5 * self.grid_spacing:
            raise ValueError(
                f"z_window must hold >= 2 grid points on each side of w = 0, i.e. be >= 1.5 h = "
                f"{1.5 * self.grid_spacing:.4g} (h the grid spacing); got z_window = {self.z_window}"
            )
        if self.resolved_w_max <= self.D:
            raise ValueError(
                f"w_max must exceed the half-bandwidth D = {self.D} (the band must fit the grid); "
                f"got w_max = {self.resolved_w_max}"
            )

    @property
    def t(self) -> float:
        """Nearest-neighbour hopping ``t = D / 2`` (energy); the self-consistency is ``Delta = t^2 G``."""
        return self.D / 2

    @property
    def resolved_w_max(self) -> float:
        """Half-width of the real-frequency grid (energy)."""
        return DEFAULT_W_MAX * self.D if self.w_max is None else self.w_max

    @property
    def grid_spacing(self) -> float:
        """Spacing h of the uniform real-frequency grid (energy)."""
        return 2 * self.resolved_w_max / (self.n_w - 1)

    @property
    def resolved_z_window(self) -> float:
        """Half-width of the window of the Re Sigma fit for Z (energy): the given one, else max(0.02 D, 2 h)."""
        if self.z_window is None:
            return max(DEFAULT_Z_WINDOW * self.D, 2 * self.grid_spacing)
        return self.z_window

    @property
    def initial_eps_d(self) -> float:
        """``eps_d`` of the first iteration: the given one, else half filling ``-U/2``."""
        return -self.U / 2 if self.eps_d is None else self.eps_d

    def replace(self, **changes) -> BetheDMFTConfig:
        """A copy with some fields changed (validated again); unknown fields raise TypeError."""
        return self.from_dict({**self.to_dict(), **changes})

    def to_dict(self) -> dict:
        """All fields, ``None`` included."""
        return dataclasses.asdict(self)

    def to_archive_dict(self) -> dict:
        """The fields that are set (HDF5 cannot store None), for the archive's ``config`` entry."""
        return {key: value for key, value in self.to_dict().items() if value is not None}

    @classmethod
    def from_dict(cls, values: dict) -> BetheDMFTConfig:
        """Build from a dict; raises TypeError naming unknown keys (typos)."""
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise TypeError(f"unknown BetheDMFTConfig fields {unknown}; known fields: {sorted(known)}")
        return cls(**values)
