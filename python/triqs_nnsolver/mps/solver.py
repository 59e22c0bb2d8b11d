"""Complex-time Green's functions of the SIAM by DMRG + TDVP (block2), and their tilted spectral functions.

:func:`solve_complex_time` runs the MPS procedure of ``METHOD.md`` section 2 for one impurity problem and
several angles alpha that share one ground state:

1. the bath as a chain (``bath.star_to_chain``, at most ``MPSSettings.n_bath`` sites per spin), in the
   spin-split geometry (``mps.geometry``);
2. ground state ``|0>``, energy ``E0`` and variance ``<0|(H - E0)^2|0>`` by DMRG in the lowest sector
   (``mps.ground_state``);
3. for each alpha, TDVP of ``d+_s|0>`` and ``d_s|0>`` with ``H' = H - E0`` along ``z = t exp(-i alpha)``
   (``mps.evolution``), recording

       G>(z)          = -i <0| d exp(-i H' z) d+ |0>,          dG>/dalpha = +i z <0| d H' exp(-i H' z) d+ |0>,
       G<(zbar)       = +i conj(<0| d+ exp(-i H' z) d |0>),    dG</dalpha = conj(+i z <0| d+ H' exp(-i H' z) d |0>),

   with the bras ``<0| d H'`` (one MPO application each, computed once);
4. :meth:`ComplexTimeResult.A_tilde` and :meth:`ComplexTimeResult.dA_tilde_dalpha`: the Filon transform with an
   optional window of ``spectral.window`` to ``A~_alpha(w)`` and ``dA~_alpha/dalpha(w)``.

A singlet ground state (2 S_z = 0) gives ``G_up = G_dn`` and only spin up is evolved; a doublet (2 S_z = +1)
evolves both spins and averages, which equals the equal-weight average over the doublet that exact
diagonalization takes (``reference.ed``), at twice the cost. arXiv:2311.10909 (complex-time evolution),
arXiv:2511.14505 (its use as training data).

What is not here: real time (alpha = 0), the higher-order Taylor reconstruction of 2311.10909, finite
temperature. Layer: ``mps`` (layer 2); imports ``bath``, ``reference``, ``spectral``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from ..bath import ChainBath, StarBath, chain_to_star, star_to_chain
from ..spectral import dtilted_spectral_from_time, tilted_spectral_from_time
from .engine import Block2Session
from .evolution import evolve_branch
from .geometry import SpinSplitGeometry
from .ground_state import find_ground_state
from .settings import MPSSettings

__all__ = ["RunReport", "ComplexTimeResult", "solve_complex_time", "chain_for"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunReport:
    """Diagnostics of one run (all alphas).

    ``max_bond_dim``: largest bond dimension of any evolved MPS; ``discarded_weight``: largest discarded weight
    of the ground-state DMRG and of every TDVP sweep (dimensionless); ``E0`` (energy unit) and
    ``E0_variance = <0|(H - E0)^2|0>`` (energy unit squared); ``n_particles`` and ``twos = 2 S_z`` of the
    ground state; ``sector_energies`` ``{(N, 2Sz): E}`` of the sectors tried; ``wall_time`` in seconds.
    """

    max_bond_dim: int
    discarded_weight: float
    E0: float
    E0_variance: float
    n_particles: int
    twos: int
    sector_energies: dict
    wall_time: float

    def to_dict(self) -> dict:
        """JSON-ready values (sector keys as ``'N,2Sz'`` strings)."""
        values = dict(self.__dict__)
        values["sector_energies"] = {f"{n},{twos}": e for (n, twos), e in self.sector_energies.items()}
        return values


@dataclass(frozen=True, eq=False)
class ComplexTimeResult:
    """Complex-time Green's functions of one impurity problem, per spin (spin-averaged for a doublet).

    Attributes
    ----------
    t : numpy.ndarray, shape (n_t,)
        Contour parameter ``t_k = k dt`` from 0 to ``t_max`` (inverse energy unit).
    alphas : numpy.ndarray, shape (n_alpha,)
        Angles of the rays (radians).
    G_greater, dG_greater_dalpha : numpy.ndarray of complex, shape (n_t, n_alpha)
        ``G>(t e^{-i alpha})`` and its alpha-derivative at fixed t (module docstring).
    G_lesser, dG_lesser_dalpha : numpy.ndarray of complex, shape (n_t, n_alpha)
        ``G<(t e^{+i alpha})`` and its alpha-derivative.
    chain : ChainBath
        The chain that was solved; ``star`` the equivalent star bath (``bath.chain_to_star``).
    U, eps_d : float
        Interaction and impurity level (energy unit).
    settings : MPSSettings
    report : RunReport
    """

    t: np.ndarray
    alphas: np.ndarray
    G_greater: np.ndarray
    dG_greater_dalpha: np.ndarray
    G_lesser: np.ndarray
    dG_lesser_dalpha: np.ndarray
    chain: ChainBath
    star: StarBath
    U: float
    eps_d: float
    settings: MPSSettings
    report: RunReport

    def A_tilde(self, w, window: str = "none", **window_options) -> np.ndarray:
        """``A~_alpha(w)``, shape (n_w, n_alpha), inverse energy unit, by ``spectral.tilted_spectral_from_time``.

        ``window`` and its options (``taper``, ``sigma_w``) as ``spectral.time_window``; w must avoid 0 for a metal.
        """
        return tilted_spectral_from_time(self.t, self.G_greater, self.G_lesser, w, window, **window_options)

    def dA_tilde_dalpha(self, w, window: str = "none", **window_options) -> np.ndarray:
        """``dA~_alpha/dalpha(w)``, shape (n_w, n_alpha), per radian, by ``spectral.dtilted_spectral_from_time``."""
        return dtilted_spectral_from_time(
            self.t, self.dG_greater_dalpha, self.dG_lesser_dalpha, w, window, **window_options
        )


def _real(name: str, value, minimum: float | None = None) -> float:
    if np.ndim(value) != 0 or np.iscomplexobj(value) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number (energy unit); got {name} = {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {name} = {value!r}")
    return float(value)


def _check_alphas(alphas) -> np.ndarray:
    values = np.atleast_1d(np.asarray(alphas, dtype=float))
    if values.ndim != 1 or values.size == 0 or not np.all((values > 0) & (values < np.pi / 2)):
        raise ValueError(f"alphas must be one or more angles in (0, pi/2) radians; got alphas = {alphas!r}")
    return values


def chain_for(bath: StarBath | ChainBath, n_bath: int) -> ChainBath:
    """The chain the MPS solves: the Lanczos chain of a star, or the chain itself, cut at ``n_bath`` sites.

    A cut keeps the first ``n_bath`` sites: the ``n_bath``-point Gauss quadrature of ``rho_Delta`` (moments up
    to order ``2 n_bath - 1`` exact, ``bath.star_to_chain``).

    Raises
    ------
    TypeError
        If ``bath`` is neither a StarBath nor a ChainBath.
    """
    if isinstance(bath, StarBath):
        return star_to_chain(bath, n_sites=n_bath) if bath.n_bath else ChainBath([], [])
    if isinstance(bath, ChainBath):
        return ChainBath(bath.eps[:n_bath], bath.t[:n_bath])
    raise TypeError(f"bath must be a StarBath or a ChainBath; got {type(bath).__name__}")


def _branches(session, mpo_shifted, ground, spin, alphas):
    """G>, dG>, G<, dG< of one spin, shape (n_t, n_alpha) each, and the branch diagnostics."""
    geometry, s = session.geometry, session.settings
    site = geometry.impurity(spin)
    sign = 1 if spin == "up" else -1
    t = s.dt * np.arange(s.n_steps + 1)
    shape = (t.size, alphas.size)
    out = {key: np.zeros(shape, dtype=complex) for key in ("gp", "dgp", "gh", "dgh")}
    max_bond, discarded = 0, 0.0
    for branch, letter, dn in (("p", "create", +1), ("h", "annihilate", -1)):
        n, twos = ground.n + dn, ground.twos + dn * sign
        if not 0 <= n <= geometry.n_sites:
            continue  # d+ on a full or d on an empty system: that branch vanishes
        target = session.quantum_number(n, twos)
        operator = session.operator_mpo(geometry.operator_letter(letter, spin), site)
        phi, norm = session.apply(operator, ground.mps, target, tag=f"PHI{branch}{spin}")
        if norm < 1e-14:
            continue
        h_phi, _ = session.apply(mpo_shifted, phi, target, tag=f"HPHI{branch}{spin}", guess=phi)
        for j, alpha in enumerate(alphas):
            record = evolve_branch(session, mpo_shifted, phi, [phi, h_phi], alpha, tag=f"PSI{branch}{spin}{j}")
            z = t * np.exp(-1j * alpha)
            if branch == "p":
                out["gp"][:, j] = -1j * record.overlaps[:, 0]
                out["dgp"][:, j] = 1j * z * record.overlaps[:, 1]
            else:
                out["gh"][:, j] = 1j * np.conj(record.overlaps[:, 0])
                out["dgh"][:, j] = np.conj(1j * z * record.overlaps[:, 1])
            max_bond = max(max_bond, record.max_bond_dim)
            discarded = max(discarded, record.discarded_weight)
    return out, max_bond, discarded


def solve_complex_time(
    bath: StarBath | ChainBath, U: float, eps_d: float, alphas, settings: MPSSettings | None = None
) -> ComplexTimeResult:
    """Complex-time G>, G< and their alpha-derivatives of the SIAM by DMRG and TDVP (module docstring).

    Parameters
    ----------
    bath : StarBath or ChainBath
        The bath (energy unit); reduced to at most ``settings.n_bath`` chain sites by :func:`chain_for`.
    U : float
        Hubbard repulsion, ``U >= 0`` (energy unit).
    eps_d : float
        Impurity level (energy unit); half filling of a particle-hole symmetric bath is ``eps_d = -U/2``.
    alphas : float or array_like of float
        Ray angles in (0, pi/2) (radians); all share one ground state.
    settings : MPSSettings, optional
        Numerical settings; default ``MPSSettings()``.

    Returns
    -------
    ComplexTimeResult

    Raises
    ------
    TypeError
        If ``bath`` or ``settings`` has the wrong type.
    ValueError
        If U or eps_d is not a finite real number, U < 0, or an alpha lies outside (0, pi/2).
    """
    settings = MPSSettings() if settings is None else settings
    if not isinstance(settings, MPSSettings):
        raise TypeError(f"settings must be an MPSSettings; got {type(settings).__name__}")
    U, eps_d = _real("U", U, minimum=0.0), _real("eps_d", eps_d)
    alphas = _check_alphas(alphas)
    chain = chain_for(bath, settings.n_bath)
    start = time.perf_counter()
    geometry = SpinSplitGeometry(chain.n_sites)
    terms = geometry.hamiltonian_terms(chain, U, eps_d)
    with Block2Session(geometry, settings) as session:
        ground = find_ground_state(session, session.mpo(terms), chain, U, eps_d)
        mpo_shifted = session.mpo(terms, const=-ground.E0)
        _, residual = session.apply(
            mpo_shifted, ground.mps, ground.mps.info.target, tag="HGS", guess=ground.mps, truncate=False
        )
        spins = ("up",) if ground.twos == 0 else ("up", "down")
        parts = [_branches(session, mpo_shifted, ground, spin, alphas) for spin in spins]
    values = {key: np.mean([part[0][key] for part in parts], axis=0) for key in ("gp", "dgp", "gh", "dgh")}
    report = RunReport(
        max_bond_dim=max(part[1] for part in parts),
        discarded_weight=max([ground.discarded_weight] + [part[2] for part in parts]),
        E0=ground.E0,
        E0_variance=residual**2,
        n_particles=ground.n,
        twos=ground.twos,
        sector_energies=ground.sector_energies,
        wall_time=time.perf_counter() - start,
    )
    logger.info("MPS run: %s", report)
    return ComplexTimeResult(
        t=settings.dt * np.arange(settings.n_steps + 1),
        alphas=alphas,
        G_greater=values["gp"],
        dG_greater_dalpha=values["dgp"],
        G_lesser=values["gh"],
        dG_lesser_dalpha=values["dgh"],
        chain=chain,
        star=chain_to_star(chain),
        U=U,
        eps_d=eps_d,
        settings=settings,
        report=report,
    )
