"""Semicircular density of states of the Bethe lattice and its exact local Green's function.

What is here: ``semicircle_dos`` (``rho(w) = 2 / (pi D^2) sqrt(D^2 - w^2)`` for |w| < D),
``semicircle_gf`` (its Hilbert transform at any complex argument, real arguments taken as ``w + i0+``)
and ``semicircle_gf_iw`` (the same on Matsubara frequencies). These are the U = 0 reference of the
Bethe-lattice DMFT loop (``METHOD.md`` sections 1 and 5) and closed forms for testing the transforms.
What is not: the DMFT self-consistency itself (``dmft`` package), other lattices.

Layer: bottom (``gf``); numpy only. Conventions: ``METHOD.md`` section 1, half-bandwidth D, hopping
t = D / 2, ``G(z) = int rho(w) / (z - w) dw``.
"""

from __future__ import annotations

import numpy as np

from .mesh import MeshImFreq

__all__ = ["semicircle_dos", "semicircle_gf", "semicircle_gf_iw"]


def _check_half_bandwidth(D) -> float:
    value = float(D)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"half-bandwidth D must be positive and finite; got D = {D!r}")
    return value


def semicircle_dos(w, D: float) -> np.ndarray:
    """Semicircular density of states ``rho(w) = 2 / (pi D^2) sqrt(D^2 - w^2)`` for ``|w|`` < D, else 0.

    Parameters
    ----------
    w : float or array_like of float
        Real frequencies; energy unit.
    D : float
        Half-bandwidth (> 0); energy unit. ``int rho = 1``, ``int w^2 rho = D^2 / 4``.

    Returns
    -------
    numpy.ndarray of float, shape of ``w``
        rho(w), unit 1/energy; ``rho(0) = 2 / (pi D)``.

    Raises
    ------
    ValueError
        If ``D`` is not positive and finite, or ``w`` is complex.
    """
    D = _check_half_bandwidth(D)
    w_arr = np.asarray(w)
    if np.iscomplexobj(w_arr):
        raise ValueError(f"w must be real frequencies; got a complex array of shape {w_arr.shape}")
    w_arr = w_arr.astype(float)
    return 2.0 / (np.pi * D**2) * np.sqrt(np.clip(D**2 - w_arr**2, 0.0, None))


def semicircle_gf(z, D: float) -> np.ndarray:
    """Green's function of the semicircular DOS, ``G(z) = int rho(w) / (z - w) dw = 2 (z - sqrt(z^2 - D^2)) / D^2``.

    The square root is the branch with ``G ~ 1/z`` at large ``|z|``: ``Im G < 0`` for ``Im z > 0`` and
    ``Im G > 0`` for ``Im z < 0``. A real argument (or ``Im z == 0``, signed zeros included) means
    ``w + i0+``: the retarded value, ``Im G = -pi rho(w)`` inside the band and real outside.

    Parameters
    ----------
    z : complex or array_like
        Complex frequencies (real ones mean ``w + i0+``); energy unit.
    D : float
        Half-bandwidth (> 0); energy unit.

    Returns
    -------
    numpy.ndarray of complex, shape of ``z``
        G(z), unit 1/energy; ``G(0 + i0+) = -2i / D``.

    Raises
    ------
    ValueError
        If ``D`` is not positive and finite, or ``z`` is not numeric.

    Notes
    -----
    Evaluated as ``G = 2 / (z + s)`` with ``s = sqrt(z - D) sqrt(z + D)`` (principal roots), which has
    its cut exactly on [-D, D] and equals ``2 (z - sqrt(z^2 - D^2)) / D^2``, because ``(z - s)(z + s) = D^2``.
    ``z + s`` never cancels, so the relative error is a few float64 eps at every z (the textbook form
    ``z - sqrt(...)`` loses ``2 log10(|z| / D)`` digits at large ``|z|``, e.g. on Matsubara frequencies).
    """
    D = _check_half_bandwidth(D)
    z_arr = np.asarray(z)
    if not np.issubdtype(z_arr.dtype, np.number):
        raise ValueError(f"z must be numeric (real or complex frequencies); got dtype {z_arr.dtype}")
    z_arr = z_arr.astype(complex)
    z_arr = np.where(z_arr.imag == 0, z_arr.real + 0j, z_arr)  # -0.0 imaginary parts -> +0: retarded side
    s = np.sqrt(z_arr - D) * np.sqrt(z_arr + D)
    return 2.0 / (z_arr + s)


def semicircle_gf_iw(w_n, D: float) -> np.ndarray:
    """Semicircular Green's function on Matsubara frequencies, ``G(iw_n) = semicircle_gf(1j * w_n, D)``.

    Parameters
    ----------
    w_n : MeshImFreq or array_like of float
        Real Matsubara frequencies ``w_n`` (``MeshImFreq.points``), or the mesh itself; energy unit.
    D : float
        Half-bandwidth (> 0); energy unit.

    Returns
    -------
    numpy.ndarray of complex, shape of ``w_n``
        ``G(iw_n) = -2i / (w_n + sign(w_n) sqrt(w_n^2 + D^2))``, exactly imaginary; relative error a
        few eps.

    Raises
    ------
    ValueError
        If ``w_n`` is complex (pass real frequencies) or zero, or ``D`` is invalid.
    """
    D = _check_half_bandwidth(D)
    points = np.asarray(w_n.points if isinstance(w_n, MeshImFreq) else w_n)
    if np.iscomplexobj(points) or not np.issubdtype(points.dtype, np.number):
        raise ValueError(f"w_n must be the real Matsubara frequencies (MeshImFreq.points); got dtype {points.dtype}")
    points = points.astype(float)
    if np.any(points == 0):
        raise ValueError("w_n must be non-zero (fermionic Matsubara frequencies); got a zero frequency")
    # the value of semicircle_gf(1j * w_n, D), written so that the real part is exactly zero
    return -2j / (points + np.sign(points) * np.hypot(points, D))
