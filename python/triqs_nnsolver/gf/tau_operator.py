"""The transform of :func:`~.matsubara.tau_from_spectral` as a linear operator, built once per mesh and cached.

``rho -> F(tau) = -int rho(w) exp(-w tau) / (1 + exp(-beta w)) dw`` for a piecewise-linear ``rho`` on fixed
``w``, ``beta`` and ``tau``. The dense operator is an (n_tau, n_w) matrix, 160 MB for 10001 times and 2001
frequencies, and each application costs as much as the transform itself. But as a function of ``tau`` every
column is smooth: ``c(w) exp(-|w| s)`` with ``|c| <= 1`` and ``s`` the distance to the nearer end of
[0, beta] (``s = tau`` for ``w >= 0``, ``beta - tau`` for ``w < 0``), varying on the scale ``1 / W``,
``W = max |w|`` of the grid, near the ends and ever more slowly away from them. So:

- [0, beta/2] is cut into panels ``[0, a_0]``, ``[a_0, 4 a_0]``, ``[4 a_0, 16 a_0]``, ... (``a_0 = 16 / W``, the
  last panel ending at beta/2), and [beta/2, beta] into their mirror images;
- the exact transform (:func:`~.matsubara.tau_kernel`, the same bin integrals as ``tau_from_spectral``) is
  tabulated at 32 Chebyshev nodes per panel: 320 nodes for beta W = 4000, 5 MB for n_w = 2001;
- ``F`` at each ``tau`` is the barycentric polynomial interpolation of its panel's nodes.

The interpolation error of every column, ``max_w max_tau |P[K](tau, w) - K(tau, w)|`` over the panels, was
measured at 1.2e-15 (400 w in [-W, W], 301 tau per panel; beta W = 1000, 4000, 1e5): so
``|F_fast - F| <= 1.2e-15 int |rho|`` plus the rounding of the products, for any ``rho`` on the grid
(``test_tau_operator.py`` checks 1e-13 of max |F| against the dense formula). Building it costs one
``tau_kernel`` on the nodes (~0.1 s); an application is one (n_nodes, n_w) matrix-vector product and the
(n_tau, 32) interpolation, about 0.5 ms for the sizes above. Cached on the bytes of ``w``, ``tau`` and on
``beta`` (:func:`functools.lru_cache`, a few meshes).

What is not here: the Matsubara route (``tau_from_matsubara``) and closed forms for discrete baths
(``solver.outputs``). Layer: bottom (``gf``); numpy only. Conventions: ``METHOD.md`` section 1,
``G(tau) = -<T c(tau) c+>``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..checks import frequency_grid, sampled_values
from .matsubara import tau_kernel

__all__ = ["SpectralTauOperator", "spectral_tau_operator"]

_FIRST_PANEL = 16.0  # a_0 W: width of the first panel in units of the fastest decay time 1 / W
_PANEL_RATIO = 4.0  # each further panel ends this many times farther from its end of [0, beta]
_NODES_PER_PANEL = 32  # Chebyshev nodes: measured max interpolation error 1.2e-15 (module docstring)
_CACHE_SIZE = 4


def _half_edges(beta: float, scale: float) -> np.ndarray:
    """Panel edges on [0, beta/2]: 0, a_0, 4 a_0, 16 a_0, ... < beta/2, then beta/2 (``a_0 = 16 / scale``)."""
    edges = [0.0]
    edge = _FIRST_PANEL / scale
    while edge < beta / 2:
        edges.append(edge)
        edge *= _PANEL_RATIO
    return np.array(edges + [beta / 2])


def _chebyshev(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Chebyshev points of the first kind on [-1, 1] and their barycentric weights."""
    angles = (2 * np.arange(p) + 1) * np.pi / (2 * p)
    return np.cos(angles), (-1.0) ** np.arange(p) * np.sin(angles)


def _barycentric(nodes: np.ndarray, weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(len(x), len(nodes)) matrix of the polynomial interpolation at ``x`` (rows of 0/1 at the nodes themselves)."""
    d = x[:, None] - nodes[None, :]
    on_node = d == 0
    c = weights / np.where(on_node, 1.0, d)
    matrix = c / c.sum(axis=1, keepdims=True)
    rows = on_node.any(axis=1)
    matrix[rows] = on_node[rows]
    return matrix


class SpectralTauOperator:
    """``rho -> F(tau) = -int rho(w) exp(-w tau) / (1 + exp(-beta w)) dw`` on fixed meshes (module docstring).

    Parameters
    ----------
    w : array_like, shape (n_w,)
        Strictly increasing real frequencies (energy unit).
    beta : float
        Inverse temperature (1/energy), > 0.
    tau : array_like, shape (n_tau,)
        Times in [0, beta].
    """

    def __init__(self, w, beta: float, tau):
        self.w = frequency_grid(w)
        self.beta = float(beta)
        self.tau = np.asarray(tau, dtype=float).ravel()
        if not (np.isfinite(self.beta) and self.beta > 0):
            raise ValueError(f"inverse temperature beta must be positive and finite; got beta = {beta!r}")
        if not np.all(np.isfinite(self.tau)) or np.any(self.tau < 0) or np.any(self.tau > self.beta):
            raise ValueError(f"tau must lie in [0, beta] = [0, {self.beta}]; got values outside it")
        half = _half_edges(self.beta, float(np.abs(self.w[[0, -1]]).max()))
        edges = np.concatenate([half, self.beta - half[-2::-1]])
        x, weights = _chebyshev(_NODES_PER_PANEL)
        lower, upper = edges[:-1, None], edges[1:, None]
        nodes = lower + (upper - lower) * (x[None, :] + 1) / 2  # (n_panels, p)
        self._kernel = tau_kernel(self.w, self.beta, np.clip(nodes.ravel(), 0.0, self.beta))  # (n_nodes, n_w)
        panel = np.clip(np.searchsorted(edges, self.tau, side="right") - 1, 0, edges.size - 2)
        self._groups = []  # (indices into tau, interpolation matrix, rows of the kernel) per panel
        for k in np.unique(panel):
            inside = np.flatnonzero(panel == k)
            rows = slice(k * _NODES_PER_PANEL, (k + 1) * _NODES_PER_PANEL)
            self._groups.append((inside, _barycentric(nodes[k], weights, self.tau[inside]), rows))

    @property
    def n_nodes(self) -> int:
        """Number of times at which the exact transform is tabulated."""
        return self._kernel.shape[0]

    def __call__(self, rho) -> np.ndarray:
        """``F(tau)``, shape ``(n_tau, ...)``; as :func:`~.matsubara.tau_from_spectral` at these times."""
        rho_in = sampled_values(self.w, rho, name="rho")
        rho2 = rho_in.reshape(self.w.size, -1)
        at_nodes = self._kernel @ rho2
        out = np.empty((self.tau.size, rho2.shape[1]), dtype=at_nodes.dtype)
        for inside, interpolation, rows in self._groups:
            out[inside] = interpolation @ at_nodes[rows]
        return out.reshape(self.tau.shape + rho_in.shape[1:])


@lru_cache(maxsize=_CACHE_SIZE)
def _cached(w_bytes: bytes, beta: float, tau_bytes: bytes) -> SpectralTauOperator:
    return SpectralTauOperator(np.frombuffer(w_bytes), beta, np.frombuffer(tau_bytes))


def spectral_tau_operator(w, beta: float, tau) -> SpectralTauOperator:
    """The cached :class:`SpectralTauOperator` of ``w``, ``beta`` and ``tau`` (built at the first call with them)."""
    w_bytes = np.ascontiguousarray(w, dtype=float).tobytes()
    return _cached(w_bytes, float(beta), np.ascontiguousarray(tau, dtype=float).tobytes())
