"""One-band lattices of the real-frequency DMFT loop: the local Green's function and the self-consistency step.

A one-band lattice with a local self-energy enters DMFT through its non-interacting density of states ``D(e)``
(per spin, ``int D = 1``, energies in the caller's unit) only. With ``zeta(w) = w + mu - Sigma(w)``:

    G_loc(w) = int D(e) de / (zeta(w) - e)                 (the DOS integral, = the k-sum (1/N) sum_k 1/(zeta - e_k))
    Delta(w) = zeta(w) - 1/G_loc(w) - eps_0                 (the DMFT relation Delta = w + mu - Sigma - 1/G_loc)

``eps_0 = int e D(e) de`` is the band centre: ``zeta - 1/G_loc`` tends to ``eps_0`` at large ``|w|``, so the constant
goes into the impurity level, ``eps_d = eps_0 - mu`` (``eps_d = -mu`` for a centred band), and the impurity solver
gets the bath ``rho_Delta = -Im Delta / pi >= 0`` of weight ``int rho_Delta = var(D)`` (``t^2`` on the Bethe lattice,
``z t^2`` on a hypercubic lattice with z nearest neighbours). ``Im Sigma <= 0`` makes ``Im zeta >= 0``; the DOS
integral is evaluated exactly for the piecewise-linear DOS in the closed upper half-plane
(``gf.hilbert_transform_upper``), real ``zeta`` as ``zeta + i0+``, so no broadening eta enters where ``Im Sigma -> 0``
(at U = 0, and at the Fermi level of a Fermi liquid): a van Hove log or a band-edge step stays sharp.

The loop (:mod:`.loop`) carries the *normalized bath* ``x = rho_Delta / var(D)`` (1/energy, ``int x = 1``); on the
Bethe lattice ``Delta = t^2 G`` makes ``x`` the local spectral function A itself. One iteration's step is
:meth:`Lattice.next_bath`: from the impurity's answer A, ``G_imp = KK[A]``; the lattice self-energy that makes
``G_loc = G_imp``, i.e. ``zeta = F^{-1}(G_imp)`` with ``F(zeta) = int D(e) / (zeta - e) de`` (Newton's method,
:meth:`Lattice.inverse_green`, started from Dyson's ``zeta = eps_0 + Delta_in + 1/G_imp = w + mu - Sigma_imp``);
then ``Delta_out = zeta - eps_0 - 1/G_imp``. At the fixed point ``Sigma_lattice = Sigma_imp``: the DMFT solution.
This is the Bethe lattice's own step generalized (there ``F^{-1}(G) = t^2 G + 1/G``, so ``Delta = t^2 G_imp``,
``METHOD.md`` section 4, and :class:`BetheLattice` uses that closed form, ``x_out = A``); why not the Sigma-first
order (``G_loc[Sigma_imp]``) is in :meth:`Lattice.next_bath`. :class:`DOSLattice` holds a tabulated DOS (a file,
the square and cubic lattices: :mod:`.dos`).

What is not here: several bands, k-dependent self-energies, magnetic order, a k-sum without a DOS (H(k) on a
k-mesh enters through its DOS, :mod:`.dos`), Wannier Hamiltonians from DFT archives.
Layer: ``dmft``. Documentation: ``doc/dmft.md``, section "Lattices beyond Bethe".
"""

from __future__ import annotations

import abc
import logging

import numpy as np
from scipy.optimize import brentq

from ..checks import frequency_grid, real_number
from ..gf import (
    hilbert_derivative_upper,
    hilbert_transform_upper,
    retarded_from_spectral,
    semicircle_dos,
    semicircle_gf,
    spectral_moments,
    spectral_norm,
)
from ..impurity import integral_below_fermi_level
from .config import STARTS, BetheDMFTConfig

__all__ = ["Lattice", "BetheLattice", "DOSLattice", "initial_bath"]

logger = logging.getLogger(__name__)

_NEWTON_MAX_STEPS = 30  # Newton steps of inverse_green; from the Dyson start it takes 3-6
_NEWTON_RTOL = 1e-10  # |F(zeta) - G| <= 1e-10 (1 + |G|): rounding of the closed form is ~1e-13
_NEWTON_MAX_STEP = 0.1  # largest Newton step, units of D


def _normalized(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return x / float(spectral_norm(w, x))


class Lattice(abc.ABC):
    """A one-band lattice, known by its DOS: the local Green's function and the DMFT self-consistency step.

    Attributes
    ----------
    name : str
        Short label ('bethe', 'square', 'cubic', 'dos'); energies below are in the caller's unit.
    half_bandwidth : float
        D, the largest ``|e|`` of the DOS's support; the scale of the loop's tolerances and grid defaults.
    band_center : float
        ``eps_0 = int e D(e) de`` (0 for the built-in lattices).
    hybridization_weight : float
        ``int rho_Delta = int (e - eps_0)^2 D(e) de`` (energy^2): ``t^2`` on the Bethe lattice.
    """

    name: str
    half_bandwidth: float
    band_center: float
    hybridization_weight: float

    @abc.abstractmethod
    def density_of_states(self, e) -> np.ndarray:
        """``D(e)`` (1/energy) at real energies ``e``, zero outside the band."""

    @abc.abstractmethod
    def green(self, zeta, continued: bool = False) -> np.ndarray:
        """``F(zeta) = int D(e) / (zeta - e) de`` at ``Im zeta >= 0`` (real zeta as ``zeta + i0+``), 1/energy.

        ``continued``: also at ``Im zeta < 0``, the continuation of the upper-half-plane values across the band
        (for :meth:`inverse_green`).
        """

    @abc.abstractmethod
    def green_derivative(self, zeta, continued: bool = False) -> np.ndarray:
        """``dF/dzeta`` (1/energy^2), arguments as :meth:`green`."""

    def inverse_green(self, G, zeta_start) -> tuple[np.ndarray, int]:
        """``zeta`` with ``F(zeta) = G`` by Newton's method from ``zeta_start``.

        A target G slightly outside the image of the upper half-plane (the Kramers-Kronig error of a sampled A
        makes Dyson's Sigma slightly non-causal) has its root slightly below the real axis: Newton works with
        the continuation of F there (:meth:`green` ``continued``), and the caller clips the resulting bath.

        Parameters
        ----------
        G : array_like of complex, shape (n,)
            Target local Green's function (1/energy).
        zeta_start : array_like of complex, shape (n,)
            Starting points (energy), e.g. ``w + mu - Sigma`` with the impurity's Sigma.

        Returns
        -------
        (zeta, n_failed) : (ndarray of complex, shape (n,), int)
            The roots; where Newton (steps capped at 0.1 D) did not reach ``|F - G| <= 1e-10 (1 + |G|)`` in 30
            steps, ``zeta_start`` is kept and counted in ``n_failed`` (at the square lattice's band-edge steps, where
            ``dF/dzeta`` diverges: 4 of 2400 points at U = 0).
        """
        G = np.asarray(G, dtype=complex)
        start = np.asarray(zeta_start, dtype=complex)
        zeta = start.copy()
        todo = np.arange(G.size)
        for _ in range(_NEWTON_MAX_STEPS):
            residual = self.green(zeta[todo], continued=True) - G[todo]
            done = np.abs(residual) <= _NEWTON_RTOL * (1 + np.abs(G[todo]))
            todo, residual = todo[~done], residual[~done]
            if todo.size == 0:
                break
            slope = self.green_derivative(zeta[todo], continued=True)
            step = np.divide(residual, slope, where=slope != 0, out=np.zeros_like(residual))
            cap = _NEWTON_MAX_STEP * self.half_bandwidth  # no jump across the band from a near-singular slope
            zeta[todo] -= step * np.minimum(1.0, cap / np.maximum(np.abs(step), 1e-300))
        zeta[todo] = start[todo]
        return zeta, int(todo.size)

    def local_green(self, w, mu: float, Sigma) -> np.ndarray:
        """The lattice's local ``G_loc(w) = int D(e) de / (w + mu - Sigma(w) - e)``, complex, shape (n_w,).

        Parameters
        ----------
        w : array_like, shape (n_w,)
            Real frequencies (energy), measured from the Fermi level.
        mu : float
            Chemical potential (energy); ``mu = eps_0 - eps_d`` for the impurity level eps_d.
        Sigma : array_like of complex, shape (n_w,)
            Retarded local self-energy (energy). Where ``Im Sigma > 0`` (a non-causal solver answer, e.g. Dyson's
            rounding) it is taken as 0: the retarded ``G_loc`` is defined for ``Im zeta >= 0`` only.
        """
        zeta = np.asarray(w, dtype=float) + mu - np.asarray(Sigma, dtype=complex)
        return self.green(zeta.real + 1j * np.maximum(zeta.imag, 0.0))

    def next_bath(self, w, A, A_bath, eps_d: float) -> np.ndarray:
        """The normalized bath ``x_out`` (1/energy, shape (n_w,)) of the next iteration (module docstring).

        Parameters
        ----------
        w : ndarray, shape (n_w,)
            The loop's real frequencies (energy).
        A : ndarray, shape (n_w,)
            The impurity's answer in the bath ``A_bath`` (1/energy).
        A_bath : ndarray, shape (n_w,)
            The normalized bath the impurity was solved in, ``rho_Delta = hybridization_weight * A_bath``.
        eps_d : float
            The impurity level of that solve (energy); ``mu = band_center - eps_d``.

        Notes
        -----
        The step is ``zeta = F^{-1}(G_imp)``, ``Delta_out = zeta - eps_0 - 1/G_imp``: the self-energy for which the
        lattice's ``G_loc`` equals the impurity's G (:meth:`inverse_green`, Newton from the Dyson value
        ``eps_0 + Delta_in + 1/G_imp = w + mu - Sigma_imp``). Its fixed point is the DMFT one, ``G_loc[Sigma_imp] =
        G_imp``; on the Bethe lattice ``F^{-1}(G) = t^2 G + 1/G`` makes it ``Delta = t^2 G_imp``. It is used instead
        of ``G_loc[Sigma_imp]`` because ``Sigma_imp`` by Dyson inherits the Kramers-Kronig error of the sampled A,
        which ``dF/dzeta`` amplifies where the DOS has a step or a log (the square lattice's band edges: the
        Sigma-first step diverged at U = 0); the inverse divides that error by ``dF/dzeta`` instead.
        """
        G_imp = retarded_from_spectral(w, A)
        Delta_in = self.hybridization_weight * retarded_from_spectral(w, A_bath)
        zeta, n_failed = self.inverse_green(G_imp, self.band_center + Delta_in + 1.0 / G_imp)
        if n_failed:
            logger.info(
                "%s lattice: no zeta with G_loc(zeta) = G_imp at %d of %d frequencies", self.name, n_failed, w.size
            )
        rho_Delta = -np.imag(zeta - self.band_center - 1.0 / G_imp) / np.pi
        return np.clip(rho_Delta, 0.0, None) / self.hybridization_weight

    def free_bath(self, w, mu: float | None = None) -> np.ndarray:
        """The metallic start: the normalized bath of the U = 0 lattice at chemical potential ``mu``, ``int x = 1``.

        ``x = -Im[zeta - 1/F(zeta)] / (pi var(D))`` at ``zeta = w + mu`` (default ``mu = eps_0``, the band centre:
        half filling for a symmetric DOS), renormalized on the grid ``w``.
        """
        w = frequency_grid(w)
        zeta = w + (self.band_center if mu is None else float(mu)) + 0j
        rho_Delta = np.clip(-np.imag(zeta - 1.0 / self.green(zeta)) / np.pi, 0.0, None)
        return _normalized(w, rho_Delta)

    def free_chemical_potential(self, density: float) -> float:
        """``mu`` (energy) of the U = 0 lattice at ``density`` (both spins, T = 0): ``2 int_{-inf}^mu D(e) de = n``."""
        support = self.half_bandwidth + abs(self.band_center)
        e = np.linspace(-support, support, 4001)  # the DOS sampled finely enough for the start it sets
        dos = self.density_of_states(e)
        return float(brentq(lambda mu: 2 * integral_below_fermi_level(e - mu, dos) - density, e[0], e[-1]))

    def describe(self) -> dict:
        """``name``, ``D``, ``band_center``, ``hybridization_weight``: the archive's ``lattice`` group."""
        return {
            "name": self.name,
            "D": self.half_bandwidth,
            "band_center": self.band_center,
            "hybridization_weight": self.hybridization_weight,
        }


class BetheLattice(Lattice):
    """The Bethe lattice of infinite coordination: semicircular DOS of half-bandwidth D, hopping ``t = D / 2``.

    ``G_loc`` is :func:`gf.semicircle_gf`; the self-consistency step is its closed form ``Delta = t^2 G`` with
    ``G = G_imp`` (``x_out = A``), the loop of ``METHOD.md`` section 4, which the generic step reaches at its
    fixed point.
    """

    name = "bethe"

    def __init__(self, D: float = 1.0):
        self.half_bandwidth = real_number("D", D, minimum=0.0, minimum_open=True)
        self.band_center = 0.0
        self.hybridization_weight = (self.half_bandwidth / 2) ** 2

    def density_of_states(self, e) -> np.ndarray:
        """The semicircle ``2 / (pi D^2) sqrt(D^2 - e^2)``."""
        return semicircle_dos(e, self.half_bandwidth)

    def green(self, zeta, continued: bool = False) -> np.ndarray:
        """The semicircle's ``G(zeta) = 2 (zeta - sqrt(zeta^2 - D^2)) / D^2`` (retarded branch; ``continued`` unused:
        :meth:`next_bath` needs no inverse)."""
        return semicircle_gf(np.asarray(zeta, dtype=complex), self.half_bandwidth)

    def green_derivative(self, zeta, continued: bool = False) -> np.ndarray:
        """``dG/dzeta = G^2 / (t^2 G^2 - 1)`` (from ``t^2 G^2 - zeta G + 1 = 0``)."""
        G = self.green(zeta)
        return G**2 / (self.hybridization_weight * G**2 - 1)

    def next_bath(self, w, A, A_bath, eps_d: float) -> np.ndarray:
        """``x_out = A``: on the Bethe lattice the normalized bath is the local spectral function."""
        return np.asarray(A, dtype=float)

    def free_bath(self, w, mu: float | None = None) -> np.ndarray:
        """The semicircle of half-bandwidth D, normalized on ``w`` (the half-filled U = 0 solution), for every ``mu``:
        the Bethe driver's start, kept (its doped runs find their filling from there)."""
        w = frequency_grid(w)
        return _normalized(w, semicircle_dos(w, self.half_bandwidth))


class DOSLattice(Lattice):
    """A lattice given by its DOS tabulated on an energy grid (piecewise linear, zero outside the grid).

    Parameters
    ----------
    energies : array_like, shape (n_e,)
        Strictly increasing energies e (caller's unit), both ends of the band included.
    dos : array_like, shape (n_e,)
        ``D(e) >= 0`` (1/energy) at ``energies``. It is renormalized to ``int D = 1`` (its norm before is kept
        as ``raw_norm``).
    name : str
        Label stored in the archive ('square', 'cubic', 'dos', ...).

    Raises
    ------
    ValueError
        Naming ``energies`` or ``dos``: a grid that is not strictly increasing, a wrong shape, non-finite or
        negative values, no positive weight.
    """

    def __init__(self, energies, dos, name: str = "dos"):
        e = frequency_grid(energies, name="energies")
        values = np.asarray(dos)
        if values.shape != e.shape or np.iscomplexobj(values) or not np.issubdtype(values.dtype, np.number):
            raise ValueError(
                f"dos must be real numbers of the shape of energies, {e.shape}; got shape {values.shape}, "
                f"dtype {values.dtype}"
            )
        values = values.astype(float)
        if not np.all(np.isfinite(values)):
            raise ValueError(f"dos must be finite; got {np.count_nonzero(~np.isfinite(values))} non-finite values")
        if values.min() < 0:
            k = int(np.argmin(values))
            raise ValueError(f"dos must be >= 0 (a density of states); got dos = {values[k]:.6g} at e = {e[k]:.6g}")
        raw_norm = float(spectral_norm(e, values))
        if not raw_norm > 0:
            raise ValueError(f"dos must have positive weight; got int dos = {raw_norm:.6g}")
        if abs(raw_norm - 1) > 1e-6:
            logger.info("the DOS %r had int D = %.6g; renormalized to 1", name, raw_norm)
        self.name = str(name)
        self.energies = e
        self.dos = values / raw_norm
        self.raw_norm = raw_norm
        nonzero = np.flatnonzero(self.dos > 0)  # the piecewise-linear DOS is non-zero out to the next grid point
        support = e[[max(nonzero[0] - 1, 0), min(nonzero[-1] + 1, e.size - 1)]]
        self.half_bandwidth = float(np.max(np.abs(support)))
        first, second = (float(m) for m in spectral_moments(e, self.dos, orders=(1, 2)))
        self.band_center = first
        self.hybridization_weight = second - first**2

    def density_of_states(self, e) -> np.ndarray:
        """The normalized table interpolated linearly, zero outside it."""
        return np.interp(np.asarray(e, dtype=float), self.energies, self.dos, left=0.0, right=0.0)

    def green(self, zeta, continued: bool = False) -> np.ndarray:
        """``int D(e) / (zeta - e) de`` of the piecewise-linear DOS, exact (``gf.hilbert_transform_upper``)."""
        return hilbert_transform_upper(self.energies, self.dos, zeta, continued)

    def green_derivative(self, zeta, continued: bool = False) -> np.ndarray:
        """``dF/dzeta`` of the piecewise-linear DOS, exact (``gf.hilbert_derivative_upper``)."""
        return hilbert_derivative_upper(self.energies, self.dos, zeta, continued)

    def describe(self) -> dict:
        """The base entries plus ``raw_norm``, ``energies`` and ``dos`` (the normalized table)."""
        return {**super().describe(), "raw_norm": self.raw_norm, "energies": self.energies, "dos": self.dos}


def initial_bath(w, lattice: Lattice, config: BetheDMFTConfig, start: str | None = None) -> np.ndarray:
    """Starting normalized bath ``x`` of the loop (``rho_Delta = hybridization_weight * x``), ``int x = 1`` on ``w``.

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Real frequencies (energy), strictly increasing.
    lattice : Lattice
    config : BetheDMFTConfig
        Gives D, U, the first eps_d and the default ``start``.
    start : {'metal', 'insulator'}, optional
        Overrides ``config.start``. 'metal': :meth:`Lattice.free_bath`, the U = 0 bath at the chemical potential of
        ``config.density`` (:meth:`Lattice.free_chemical_potential`; the band centre without a target density), on
        the Bethe lattice the semicircle. A doped run so starts at its U = 0 fixed point: the step is marginal at
        U = 0, like Bethe's (``doc/dmft.md``), and from the half-filled bath a doped Hartree run took ~50 iterations.
        'insulator': two Hubbard bands, semicircles of half-bandwidth D/2 and weight 1/2
        centred at ``eps_d`` and ``eps_d + U`` (``+-U/2`` at half filling), the atomic limit broadened; gapped for
        ``U > D``.

    Raises
    ------
    ValueError
        For an unknown ``start``.
    """
    w = frequency_grid(w)
    start = config.start if start is None else start
    if start == "metal":
        mu = None if config.density is None else lattice.free_chemical_potential(config.density)
        return lattice.free_bath(w, mu)
    if start == "insulator":
        lower = config.initial_eps_d
        width = config.D / 2
        x = 0.5 * (semicircle_dos(w - lower, width) + semicircle_dos(w - lower - config.U, width))
        return _normalized(w, x)
    raise ValueError(f"start must be one of {STARTS}; got start = {start!r}")
