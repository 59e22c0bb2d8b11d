"""Dyson equation: self-energy from Green's functions and back, on any mesh, scalar or matrix valued.

What is here: ``sigma_from_g0_g`` (``Sigma = G0^-1 - G^-1``, the CTHYB/TRIQS convention) and its inverse
``g_from_g0_sigma``; ``sigma_real_axis`` (``Sigma(w) = w - eps_d - Delta(w) - 1/G(w)``, ``METHOD.md``
section 1) and its inverse ``g_from_sigma_real_axis``. The functions act pointwise on data arrays, so
they serve retarded (``w + i0+``), Matsubara (``iw_n``) and complex-ray data alike. What is not: the
hybridization from ``G0`` (``Delta = z - eps - 1/G0``), tail handling, causality repair.

Layer: bottom (``gf``); numpy only.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sigma_from_g0_g", "g_from_g0_sigma", "sigma_real_axis", "g_from_sigma_real_axis"]


def _as_matrix_flag(name: str, data: np.ndarray, matrix: bool | None) -> bool:
    """Decide scalar (elementwise) or matrix (last two axes) algebra, and check the shape for it."""
    is_matrix = data.ndim >= 3 if matrix is None else bool(matrix)
    if is_matrix and (data.ndim < 2 or data.shape[-1] != data.shape[-2]):
        raise ValueError(f"{name} must have shape (..., n, n) for matrix-valued data; got {name}.shape = {data.shape}")
    return is_matrix


def _same_shape(name: str, data, reference: np.ndarray, reference_name: str) -> np.ndarray:
    data = np.asarray(data)
    if data.shape != reference.shape:
        raise ValueError(
            f"{name} must have the shape of {reference_name}, {reference.shape}; got {name}.shape = {data.shape}"
        )
    if not np.issubdtype(data.dtype, np.number):
        raise ValueError(f"{name} must be numeric; got dtype {data.dtype}")
    return data.astype(complex)


def _inverse(data: np.ndarray, is_matrix: bool) -> np.ndarray:
    return np.linalg.inv(data) if is_matrix else 1.0 / data


def sigma_from_g0_g(G0, G, matrix: bool | None = None) -> np.ndarray:
    """Self-energy ``Sigma = G0^-1 - G^-1`` (matrix inverses for matrix-valued data).

    Parameters
    ----------
    G0 : array_like, shape (...,) or (..., n, n)
        Non-interacting Green's function on any mesh (leading axes), e.g. ``G0_iw.data``; 1/energy.
    G : array_like, same shape as ``G0``
        Interacting Green's function on the same mesh.
    matrix : bool, optional
        True: the last two axes are n x n matrices inverted with ``numpy.linalg.inv``; False: every entry
        is inverted on its own (scalar-valued data). Default: matrices when ``G.ndim >= 3`` (a mesh axis
        and two orbital axes), scalars otherwise; pass ``matrix=True`` for a single (n, n) matrix.

    Returns
    -------
    numpy.ndarray, complex, shape of ``G``
        Sigma, unit energy.

    Raises
    ------
    ValueError
        If the shapes differ or matrix data are not square.
    numpy.linalg.LinAlgError
        If a matrix is singular.

    Notes
    -----
    Exact algebra; the rounding error is that of the inverses, about ``eps * cond(G) * |Sigma|``
    (scalar round trips agree to 1e-15 relative).
    """
    G = np.asarray(G)
    G0 = _same_shape("G0", G0, G, "G")
    is_matrix = _as_matrix_flag("G", G, matrix)
    return _inverse(G0, is_matrix) - _inverse(G.astype(complex), is_matrix)


def g_from_g0_sigma(G0, Sigma, matrix: bool | None = None) -> np.ndarray:
    """Green's function ``G = (G0^-1 - Sigma)^-1``, the inverse of :func:`sigma_from_g0_g`.

    Parameters
    ----------
    G0 : array_like, shape (...,) or (..., n, n)
        Non-interacting Green's function; 1/energy.
    Sigma : array_like, same shape as ``G0``
        Self-energy; energy.
    matrix : bool, optional
        As in :func:`sigma_from_g0_g` (decided from ``G0``).

    Returns
    -------
    numpy.ndarray, complex, shape of ``G0``
        G, unit 1/energy.

    Raises
    ------
    ValueError
        If the shapes differ or matrix data are not square.
    numpy.linalg.LinAlgError
        If a matrix is singular.
    """
    G0 = np.asarray(G0)
    Sigma = _same_shape("Sigma", Sigma, G0, "G0")
    is_matrix = _as_matrix_flag("G0", G0, matrix)
    return _inverse(_inverse(G0.astype(complex), is_matrix) - Sigma, is_matrix)


def _free_inverse(w, eps_d, Delta: np.ndarray, is_matrix: bool) -> np.ndarray:
    """``G0^-1(w) = w - eps_d - Delta(w)``, with ``w`` times the unit matrix for matrix data."""
    w_arr = np.asarray(w)
    if w_arr.ndim != 1 or w_arr.size != Delta.shape[0]:
        raise ValueError(
            f"w must be a 1-D array of length Delta.shape[0] = {Delta.shape[0]}; got w.shape = {w_arr.shape}"
        )
    eps_arr = np.asarray(eps_d)
    target = Delta.shape[1:]
    if eps_arr.shape not in ((), target):
        raise ValueError(f"eps_d must be a scalar or have shape {target}; got eps_d.shape = {eps_arr.shape}")
    if is_matrix:
        identity = np.eye(Delta.shape[-1])
        eps_arr = eps_arr * identity if eps_arr.ndim == 0 else eps_arr
        return w_arr[:, None, None] * identity - eps_arr - Delta
    return w_arr.reshape((-1,) + (1,) * len(target)) - eps_arr - Delta


def sigma_real_axis(w, G, eps_d, Delta) -> np.ndarray:
    """Self-energy of the impurity from its Green's function, ``Sigma(w) = w - eps_d - Delta(w) - 1/G(w)``.

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Frequencies; real ``w`` for retarded data (``G``, ``Delta`` already contain ``+i0+``), or complex
        ``w + i eta`` / ``iw_n`` when the data live there. Energy unit.
    G : array_like, shape (n_w,) or (n_w, n, n)
        Impurity Green's function at ``w``; 1/energy.
    eps_d : float or array_like of shape (n, n)
        Impurity level (``-U/2`` at half filling), measured from the Fermi level; energy.
    Delta : array_like, shape of ``G``
        Hybridization ``Delta(w) = sum_k V_k^2 / (w - eps_k + i0+)``; energy.

    Returns
    -------
    numpy.ndarray, complex, shape of ``G``
        Sigma(w), energy; at half filling ``Sigma(+inf) = U/2``, and ``Im Sigma <= 0`` for causal data.

    Raises
    ------
    ValueError
        If ``w``, ``eps_d`` or ``Delta`` do not match the shape of ``G``, or ``G`` is not (n_w,) or (n_w, n, n).
    numpy.linalg.LinAlgError
        If a matrix G(w) is singular.
    """
    G = np.asarray(G)
    if G.ndim not in (1, 3):
        raise ValueError(f"G must have shape (n_w,) or (n_w, n, n); got G.shape = {G.shape}")
    is_matrix = _as_matrix_flag("G", G, None)
    Delta = _same_shape("Delta", Delta, G, "G")
    return _free_inverse(w, eps_d, Delta, is_matrix) - _inverse(G.astype(complex), is_matrix)


def g_from_sigma_real_axis(w, Sigma, eps_d, Delta) -> np.ndarray:
    """Impurity Green's function ``G(w) = 1 / (w - eps_d - Delta(w) - Sigma(w))``, inverse of :func:`sigma_real_axis`.

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Frequencies (real for retarded data, see :func:`sigma_real_axis`); energy unit.
    Sigma : array_like, shape (n_w,) or (n_w, n, n)
        Self-energy; energy.
    eps_d : float or array_like of shape (n, n)
        Impurity level; energy.
    Delta : array_like, shape of ``Sigma``
        Hybridization; energy.

    Returns
    -------
    numpy.ndarray, complex, shape of ``Sigma``
        G(w), 1/energy; with ``Sigma = 0`` this is the exact U = 0 result.

    Raises
    ------
    ValueError
        If the shapes do not match, as in :func:`sigma_real_axis`.
    numpy.linalg.LinAlgError
        If ``w - eps_d - Delta - Sigma`` is a singular matrix.
    """
    Sigma = np.asarray(Sigma)
    if Sigma.ndim not in (1, 3):
        raise ValueError(f"Sigma must have shape (n_w,) or (n_w, n, n); got Sigma.shape = {Sigma.shape}")
    is_matrix = _as_matrix_flag("Sigma", Sigma, None)
    Delta = _same_shape("Delta", Delta, Sigma, "Sigma")
    return _inverse(_free_inverse(w, eps_d, Delta, is_matrix) - Sigma.astype(complex), is_matrix)
