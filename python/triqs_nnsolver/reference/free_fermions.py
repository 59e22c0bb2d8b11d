"""Exact impurity Green's function of the non-interacting (U = 0) Anderson model, T = 0.

At U = 0 the SIAM of ``METHOD.md`` section 1 is a single-particle problem, identical for both spins.
With the impurity orbital at index 0 and the bath orbitals after it, the one-body Hamiltonian is

    star:  h[0, 0] = eps_d,  h[k, k] = eps_k,      h[0, k] = h[k, 0] = V_k          (k = 1 .. n_bath)
    chain: h[0, 0] = eps_d,  h[i+1, i+1] = eps_i,  h[i, i+1] = h[i+1, i] = t_i      (i = 0 .. L-1)

and with ``h = sum_n e_n |n><n|`` the impurity Green's function is the pole sum

    G(z) = sum_n |<d|n>|^2 / (z - e_n) = 1 / (z - eps_d - Delta(z)).

At T = 0 with the Fermi level at 0, the poles with ``e_n > 0`` are the particle part (``G>``), those
with ``e_n < 0`` the hole part (``G<``); everything else (real axis, Matsubara, complex-time rays and
their alpha-derivatives) is evaluated in closed form by ``triqs_nnsolver.gf.poles``. For a continuous
``rho_Delta`` on a grid, :func:`free_impurity_gf_continuous` gives ``G(w) = 1/(w - eps_d - Delta(w))``
with ``Re Delta`` by Kramers-Kronig.

These are the U = 0 rungs of the verification ladder (``METHOD.md`` section 5) for exact
diagonalization, the MPS module and the network. What is not here: interactions (``reference``'s
exact diagonalization), finite temperature.
Layer: ``reference`` (layer 1); imports numpy, ``triqs_nnsolver.gf`` and ``triqs_nnsolver.bath``.
"""

from __future__ import annotations

import numpy as np

from triqs_nnsolver.bath import ChainBath, StarBath
from triqs_nnsolver.gf import (
    MeshImFreq,
    PoleSum,
    greater_on_ray,
    hilbert_transform,
    lesser_on_ray,
    poles_on_complex,
    poles_retarded,
    retarded_from_spectral,
    split_at_fermi_level,
)

__all__ = [
    "single_particle_hamiltonian",
    "free_impurity_poles",
    "free_impurity_lehmann",
    "free_impurity_gf",
    "free_impurity_gf_w",
    "free_impurity_gf_iw",
    "free_impurity_greater",
    "free_impurity_lesser",
    "free_ground_state_energy",
    "free_impurity_occupation",
    "free_impurity_gf_continuous",
]


def _check_eps_d(eps_d) -> float:
    if np.ndim(eps_d) != 0 or np.iscomplexobj(eps_d) or not np.isfinite(eps_d):
        raise ValueError(f"eps_d must be a finite real number (energy unit); got eps_d = {eps_d!r}")
    return float(eps_d)


def single_particle_hamiltonian(bath: StarBath | ChainBath, eps_d: float) -> np.ndarray:
    """One-body Hamiltonian of impurity plus bath, impurity orbital at index 0.

    Parameters
    ----------
    bath : StarBath or ChainBath
        The bath (energy unit); layout of the matrix in the module docstring.
    eps_d : float
        Impurity level (energy unit, measured from the Fermi level).

    Returns
    -------
    numpy.ndarray of float, shape (n_bath + 1, n_bath + 1)
        Real symmetric ``h`` (energy unit); ``n_bath`` is the number of star levels or chain sites.

    Raises
    ------
    TypeError
        If ``bath`` is neither a StarBath nor a ChainBath.
    ValueError
        If ``eps_d`` is not a finite real number.
    """
    eps_d = _check_eps_d(eps_d)
    if isinstance(bath, StarBath):
        h = np.diag(np.concatenate([[eps_d], bath.eps]))
        h[0, 1:] = h[1:, 0] = bath.V
        return h
    if isinstance(bath, ChainBath):
        h = np.diag(np.concatenate([[eps_d], bath.eps]))
        index = np.arange(bath.n_sites)
        h[index, index + 1] = h[index + 1, index] = bath.t
        return h
    raise TypeError(f"bath must be a StarBath or a ChainBath; got {type(bath).__name__}")


def free_impurity_poles(bath: StarBath | ChainBath, eps_d: float) -> PoleSum:
    """Impurity Green's function at U = 0 as a pole sum (per spin).

    Parameters
    ----------
    bath : StarBath or ChainBath
        The bath (energy unit).
    eps_d : float
        Impurity level (energy unit).

    Returns
    -------
    PoleSum
        Energies: all ``n_bath + 1`` eigenvalues ``e_n`` of :func:`single_particle_hamiltonian`,
        increasing (energy unit); weights ``|<d|n>|^2`` (dimensionless, sum 1). Levels the impurity
        does not see keep a zero weight. Moments: ``sum w_n e_n = eps_d``,
        ``sum w_n e_n^2 = eps_d^2 + sum_k V_k^2`` (``METHOD.md`` section 5 at U = 0).

    Raises
    ------
    TypeError, ValueError
        As :func:`single_particle_hamiltonian`.

    Notes
    -----
    Dense ``numpy.linalg.eigh``: eigenvalues to a few eps times ``||h||``, O(n_bath^3) time.
    """
    energies, vectors = np.linalg.eigh(single_particle_hamiltonian(bath, eps_d))
    return PoleSum(energies, vectors[0] ** 2)


def free_impurity_lehmann(
    bath: StarBath | ChainBath, eps_d: float, zero_rtol: float = 1e-12
) -> tuple[PoleSum, PoleSum]:
    """Particle (``e_n > 0``) and hole (``e_n < 0``) poles of the U = 0 impurity at T = 0, Fermi level 0.

    Parameters
    ----------
    bath : StarBath or ChainBath
        The bath (energy unit).
    eps_d : float
        Impurity level (energy unit).
    zero_rtol : float
        A single-particle level with ``|e_n| <= zero_rtol * max_n |e_n|`` counts as sitting at the Fermi
        level (dimensionless, >= 0; the default is a few thousand float64 eps, the rounding of ``eigh``).

    Returns
    -------
    particle, hole : PoleSum
        ``G>(z) = -i sum_particle w_n exp(-i e_n z)`` and ``G<(zbar) = +i sum_hole w_n exp(-i e_n zbar)``
        (``gf.greater_on_ray``, ``gf.lesser_on_ray``); ``hole.norm`` is ``<n_d>`` per spin.

    Raises
    ------
    ValueError
        If a level sits at the Fermi level: the free ground state is then degenerate (that level can
        be empty or filled) and the T = 0 split is ambiguous. A particle-hole symmetric bath at
        ``eps_d = 0`` has such a level whenever the number of orbitals (impurity plus bath) is odd;
        use an odd number of bath levels, or move ``eps_d`` off 0. Also for invalid ``eps_d`` or
        ``zero_rtol``.
    TypeError
        If ``bath`` has the wrong type.
    """
    if not (np.isfinite(zero_rtol) and zero_rtol >= 0):
        raise ValueError(f"zero_rtol must be a finite number >= 0; got zero_rtol = {zero_rtol!r}")
    poles = free_impurity_poles(bath, eps_d)
    scale = float(np.max(np.abs(poles.energies)))
    at_zero = np.abs(poles.energies) <= zero_rtol * scale
    if np.any(at_zero):
        e = float(poles.energies[np.argmax(at_zero)])
        raise ValueError(
            f"the free ground state is degenerate: a single-particle level sits at the Fermi level, e = {e!r} "
            f"(|e| <= zero_rtol * max|e| = {zero_rtol * scale:.3g}), so it can be empty or filled; "
            f"with a particle-hole symmetric bath use an odd number of bath levels, "
            f"or move eps_d = {float(eps_d)} off 0"
        )
    return split_at_fermi_level(poles)


def free_impurity_gf(bath: StarBath | ChainBath, eps_d: float, z) -> np.ndarray:
    """``G(z) = sum_n w_n / (z - e_n)`` at complex z of any shape (1/energy); see :func:`free_impurity_poles`.

    Equal to ``1 / (z - eps_d - Delta(z))`` to rounding. Raises as :func:`single_particle_hamiltonian`.
    """
    return poles_on_complex(free_impurity_poles(bath, eps_d), z)


def free_impurity_gf_w(bath: StarBath | ChainBath, eps_d: float, w, eta: float) -> np.ndarray:
    """Retarded ``G(w + i eta)`` on real frequencies w (energy unit), broadening ``eta > 0``; shape of w.

    ``A(w) = -Im G / pi`` is then a sum of Lorentzians of half-width eta. Raises ``ValueError`` for
    ``eta <= 0`` and as :func:`single_particle_hamiltonian`.
    """
    return poles_retarded(free_impurity_poles(bath, eps_d), w, eta)


def free_impurity_gf_iw(bath: StarBath | ChainBath, eps_d: float, w_n) -> np.ndarray:
    """``G(iw_n)`` on Matsubara frequencies, ``METHOD.md`` section 1 convention.

    Parameters
    ----------
    bath, eps_d
        As :func:`free_impurity_poles`.
    w_n : MeshImFreq or array_like of float
        The mesh, or its real frequencies ``w_n`` (energy unit).

    Returns
    -------
    numpy.ndarray of complex, shape of ``w_n``
        ``G(iw_n) = sum_n w_n / (i w_n - e_n)`` (1/energy).

    Raises
    ------
    ValueError
        If ``w_n`` is complex (pass the real frequencies), and as :func:`single_particle_hamiltonian`.
    """
    points = np.asarray(w_n.points if isinstance(w_n, MeshImFreq) else w_n)
    if np.iscomplexobj(points) or not np.issubdtype(points.dtype, np.number):
        raise ValueError(f"w_n must be real Matsubara frequencies (MeshImFreq.points); got dtype {points.dtype}")
    return poles_on_complex(free_impurity_poles(bath, eps_d), 1j * points.astype(float))


def free_impurity_greater(bath: StarBath | ChainBath, eps_d: float, t, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """``G>(z)`` and ``dG>/dalpha`` along ``z = t exp(-i alpha)``, T = 0 (``METHOD.md`` section 2).

    Wraps ``gf.greater_on_ray`` with the particle poles of :func:`free_impurity_lehmann`; ``t``
    (inverse energy unit, >= 0) of any shape, ``0 <= alpha < pi/2``. Returns two complex arrays of the
    shape of ``t``. For many calls on one bath, compute the Lehmann poles once and call ``gf``
    directly. Raises ``ValueError`` for invalid ``t`` or ``alpha`` and as :func:`free_impurity_lehmann`.
    """
    particle, _ = free_impurity_lehmann(bath, eps_d)
    return greater_on_ray(particle, t, alpha)


def free_impurity_lesser(bath: StarBath | ChainBath, eps_d: float, t, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """``G<(zbar)`` and ``dG</dalpha`` along the mirrored ray ``zbar = t exp(+i alpha)``, T = 0.

    Wraps ``gf.lesser_on_ray`` with the hole poles of :func:`free_impurity_lehmann`; arguments,
    shapes and errors as :func:`free_impurity_greater`.
    """
    _, hole = free_impurity_lehmann(bath, eps_d)
    return lesser_on_ray(hole, t, alpha)


def free_ground_state_energy(bath: StarBath | ChainBath, eps_d: float, spinful: bool = True) -> float:
    """Ground-state energy of the U = 0 impurity plus bath at T = 0 (energy unit).

    All single-particle levels below the Fermi level are filled: ``E0 = sum_{e_n < 0} e_n`` per spin,
    twice that for the spinful SIAM of ``METHOD.md`` section 1 (``spinful=True``). Energies are
    measured with the chemical potential at 0, so this is the minimum of ``H`` over all particle
    numbers; a level at 0 contributes nothing either way, so no degeneracy check is needed.

    Parameters
    ----------
    bath, eps_d
        As :func:`free_impurity_poles`.
    spinful : bool
        Count both spin species (default) or one.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        As :func:`single_particle_hamiltonian`.
    """
    energies = np.linalg.eigvalsh(single_particle_hamiltonian(bath, eps_d))
    return (2.0 if spinful else 1.0) * float(energies[energies < 0].sum())


def free_impurity_occupation(bath: StarBath | ChainBath, eps_d: float) -> float:
    """``<n_d>`` per spin at U = 0, T = 0: the weight of the hole poles, ``int_{-inf}^0 A`` (dimensionless).

    Raises as :func:`free_impurity_lehmann` (a level at the Fermi level makes it ambiguous).
    """
    _, hole = free_impurity_lehmann(bath, eps_d)
    return hole.norm


def free_impurity_gf_continuous(w, rho_Delta, eps_d: float, eta: float = 0.0) -> np.ndarray:
    """``G(w) = 1 / (w + i eta - eps_d - Delta(w + i eta))`` for a continuous hybridization density.

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Real frequencies (energy unit), strictly increasing, uniform or not.
    rho_Delta : array_like, shape (n_w,)
        ``rho_Delta = -Im Delta / pi`` at ``w`` (energy unit), piecewise linear and zero outside the grid.
    eps_d : float
        Impurity level (energy unit).
    eta : float
        Broadening (>= 0, energy unit). ``eta = 0``: ``Delta(w + i0+)`` by Kramers-Kronig
        (``gf.retarded_from_spectral``); ``eta > 0``: ``Delta(w + i eta)`` by the Hilbert transform
        (``gf.hilbert_transform``), the exact U = 0 answer for the bath broadened by eta.

    Returns
    -------
    numpy.ndarray of complex, shape (n_w,)
        Retarded ``G`` (1/energy); ``A = -Im G / pi``.

    Raises
    ------
    ValueError
        If ``eta < 0``, ``eps_d`` is invalid, ``rho_Delta`` is not a finite real array of the shape of
        ``w``, or ``w`` is not a valid grid.

    Notes
    -----
    The error is that of the transforms for the piecewise-linear ``rho_Delta`` (see their docstrings),
    amplified by ``|G|^2``. At ``eta = 0`` a bound state outside the support of ``rho_Delta`` (where
    ``Im Delta = 0``) is a real pole of G: it shows up as a large real value on the grid, not as
    weight; use ``eta > 0`` to see it. If ``rho_Delta`` does not vanish at the grid ends, ``Re Delta``
    diverges logarithmically there (see ``gf.retarded_from_spectral``).
    """
    eps_d = _check_eps_d(eps_d)
    if not (np.isfinite(eta) and eta >= 0):
        raise ValueError(f"eta must be a finite number >= 0; got eta = {eta!r}")
    w_arr = np.asarray(w, dtype=float)
    rho = np.asarray(rho_Delta)
    if rho.shape != w_arr.shape or np.iscomplexobj(rho) or not np.all(np.isfinite(rho)):
        raise ValueError(
            f"rho_Delta must be a finite real array of the shape of w, {w_arr.shape}; "
            f"got shape {rho.shape}, dtype {rho.dtype}"
        )
    if eta == 0:
        Delta_w = retarded_from_spectral(w_arr, rho)
    else:
        Delta_w = hilbert_transform(w_arr, rho, w_arr + 1j * eta)
    return 1.0 / (w_arr + 1j * eta - eps_d - Delta_w)
