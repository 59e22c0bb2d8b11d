"""The MPS impurity solver: the caller's rho_Delta as a large star bath, solved by complex-time DMRG + TDVP.

``solve(w, rho_Delta, U, eps_d)`` bins ``rho_Delta`` into ``n_bath`` star levels (default 29, the data
generator's: a bath this large behaves like the continuum on the tilted rays, ``doc/mps.md``) by the rule of
:mod:`.discretization`, shared with the Lanczos solver, and runs :func:`triqs_nnsolver.mps.solve_complex_time`
on one ray, ``alpha``. The real-axis answer is read out from the tilted spectrum ``A~_alpha`` and its
alpha-derivative, both from the Filon transform with the Gaussian window of deviation ``sigma_w`` (the
frequency resolution; ``t_max`` follows from it, ``spectral.gaussian_window_t_max``):

- ``readout='first_order'`` (default): ``A ~ A~ - alpha dA~/dalpha`` (``spectral.first_order_real_axis``),
  error ``O(alpha^2)``; it can dip slightly below 0 where A is small: it is clipped at 0, and the minimum and
  the clipped weight are in the diagnostics;
- ``readout='tilted'``: ``A~_alpha`` itself, non-negative, broadened by the tilt (about ``|w| sin(alpha)``)
  on top of ``sigma_w``.

This is today's readout of the data issue (item 3): a continuation beyond ``t_max`` that would sharpen it at
the Fermi level is still under study, so the resolution is ``sigma_w`` at best. Cost: one ground state and four
TDVP runs (two for a doublet's second spin) of ``t_max / dt`` steps; about a minute at 29 levels, chi 64, on one
core. Diagnostics: the run report (bond dimension, discarded weight, E0, its variance, sectors), the discarded
tail weight, the readout's minimum.

What it does not do: finite temperature, a bath fit on the Matsubara axis. Layer: ``impurity``; imports ``mps``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..checks import real_number, tilt_angle
from ..gf import spectral_norm
from ..mps import MPSSettings, solve_complex_time
from ..spectral import first_order_real_axis, gaussian_window_t_max
from .discretization import check_binning, discretize_density
from .solution import ImpuritySolution, ImpuritySolver, check_problem

__all__ = ["MPSImpuritySolver", "READOUTS"]

READOUTS = ("first_order", "tilted")


class MPSImpuritySolver(ImpuritySolver):
    """Complex-time MPS solve of the SIAM with an ``n_bath``-level star bath discretizing ``rho_Delta``.

    Parameters
    ----------
    n_bath : int
        Bath levels per spin (>= 1; default 29).
    binning, Lambda
        Bin layout of :mod:`.discretization` ('linear' or 'log', edge ratio > 1).
    alpha : float
        The ray's angle, radians in (0, pi/2) (default 0.1, the data's smallest).
    sigma_w : float
        Gaussian window's frequency resolution (energy unit of the caller, > 0; default 0.2, the data's).
    readout : {'first_order', 'tilted'}
        How A(w) is read from the ray (module docstring).
    settings : MPSSettings, optional
        Bond dimension, time step and the rest; its ``t_max`` and ``n_bath`` are replaced by those that
        ``sigma_w`` and ``n_bath`` require.
    """

    def __init__(
        self,
        n_bath: int = 29,
        binning: str = "linear",
        Lambda: float = 2.0,
        alpha: float = 0.1,
        sigma_w: float = 0.2,
        readout: str = "first_order",
        settings: MPSSettings | None = None,
    ):
        self.n_bath, self.binning, self.Lambda = check_binning(n_bath, binning, Lambda)
        self.alpha = tilt_angle(alpha)
        self.sigma_w = real_number("sigma_w", sigma_w, unit="energy unit", minimum=0.0, minimum_open=True)
        if readout not in READOUTS:
            raise ValueError(f"readout must be one of {READOUTS}; got readout = {readout!r}")
        self.readout = readout
        settings = MPSSettings() if settings is None else settings
        if not isinstance(settings, MPSSettings):
            raise TypeError(f"settings must be an MPSSettings; got {type(settings).__name__}")
        t_max = settings.dt * np.ceil(gaussian_window_t_max(self.sigma_w) / settings.dt - 1e-9)
        self.settings = dataclasses.replace(settings, n_bath=self.n_bath, t_max=float(t_max))

    def solve(self, w, rho_Delta, U, eps_d) -> ImpuritySolution:
        """A(w) of the discretized problem from one complex-time ray (module docstring); caller's units."""
        w, rho, U, eps_d = check_problem(w, rho_Delta, U, eps_d)
        discrete = discretize_density(w, rho, self.n_bath, self.binning, self.Lambda)
        result = solve_complex_time(discrete.bath, U, eps_d, (self.alpha,), self.settings)
        A_tilde = result.A_tilde(w, "gaussian", sigma_w=self.sigma_w)[:, 0]
        if self.readout == "tilted":
            raw = A_tilde
        else:
            dA_tilde = result.dA_tilde_dalpha(w, "gaussian", sigma_w=self.sigma_w)[:, 0]
            raw = first_order_real_axis(A_tilde, dA_tilde, self.alpha)
        A = np.clip(raw, 0.0, None)  # the solution's A is >= 0; the clipped weight is reported
        report = result.report
        return ImpuritySolution(
            w=w,
            A=A,
            resolution=self.sigma_w,
            diagnostics={
                "E0": report.E0,
                "E0_variance": report.E0_variance,
                "max_bond_dim": report.max_bond_dim,
                "discarded_weight_mps": report.discarded_weight,
                "ground_sector": (report.n_particles, report.twos),
                "n_bath_levels": discrete.bath.n_bath,
                "discarded_weight": discrete.discarded_weight,
                "A_min": float(raw.min()),
                "clipped_weight": float(spectral_norm(w, A - raw)),
                "wall_time": report.wall_time,
            },
        )

    def describe(self) -> dict:
        """The solver and its settings."""
        return {
            "solver": "MPS (complex-time DMRG + TDVP, block2; discretized bath)",
            "n_bath": self.n_bath,
            "binning": self.binning,
            "Lambda": self.Lambda,
            "alpha": self.alpha,
            "sigma_w": self.sigma_w,
            "readout": self.readout,
            "mps": self.settings.to_dict(),
        }
