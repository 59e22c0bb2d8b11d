"""The causal self-energy head: the network's ``-Im Sigma / pi`` on the grid -> A(w) by Dyson -> A~_alpha(w).

The network of :class:`~.network.ImpuritySpectralNet` with ``ModelConfig(output_head='self_energy')`` does not
predict the spectral function. It predicts the correlation part of the self-energy's spectral density,
``s(w) = -Im Sigma_c(w + i0) / pi >= 0`` (model energy unit), at the grid points, and this module turns it into
the network's output:

    Re Sigma_c(w) = PV int s(v) / (w - v) dv             (Kramers-Kronig of the piecewise-linear s, zero outside)
    Sigma(w)      = U n + Re Sigma_c(w) - i pi s(w)       (the Hartree term U <n_-sigma> exact)
    G(w)          = 1 / (w - eps_d - Delta(w) - Sigma(w)),  Delta = Re Delta - i pi rho_Delta (the network input)
    A(w)          = -Im G(w) / pi
    A~_alpha(w)   = int K_alpha(w, w') A(w') dw'          (the exact tilt kernel of ``spectral.tilt``)

The occupation per spin ``n = int_{w<0} A / int A`` (both on the grid, so that the weight the grid misses does
not shift it) is solved self-consistently by bisection on [0, 1], where ``int_{w<0} A[n] / int A[n] - n``
decreases monotonically; the bisection runs without gradient, so ``n`` enters the weights' gradient as a constant
(the fixed point itself is exact to 2^-30). This is the reference targets' construction (``data.real_axis``,
``real_axis_rule = 'self_energy'``): a Dyson equation with the input hybridization and a causal self-energy. So

- A >= 0, and Sigma is causal, by construction;
- at U = 0 the network multiplies s by ``U^2`` (second-order perturbation theory and the atomic limit both scale
  so), and A is exactly the input's non-interacting spectral function;
- at particle-hole symmetry (``eps_d = -U/2``, symmetric rho_Delta and s) ``n = 1/2`` and ``Re Sigma_c(0) = 0``,
  so ``A(0) = 1/(pi Gamma)`` (Friedel) whenever ``s(0) = 0``: a Fermi liquid's value is what the network must
  learn, not a balance of large numbers.

The tilt is linear in A: ``A~_alpha = T(alpha) A`` with the matrices of :func:`~triqs_nnsolver.spectral.
tilt_matrix` (exact bin integrals of the piecewise-linear A) and their analytic alpha-derivatives, tabulated at
``alpha = k * TILT_ALPHA_STEP`` (k = 1 ... ``TILT_ALPHA_NODES``) and interpolated by cubic Hermite polynomials
(value and derivative exact at the nodes, so the training alphas 0.1, 0.2, 0.4 are exact); below the first node
``T`` goes linearly to the identity at alpha = 0 (the real axis), above the last node alpha is clamped to it.
What is not here: a finite-resolution (Gaussian-window) tilt, as the MPS targets at ``sigma_w > 0`` would need;
bound states outside the support of ``rho_Delta + s`` (A is sampled at the grid points only).

Layer: ``model``; the matrices are built with numpy from ``gf`` and ``spectral`` when the module is made.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from ..gf import kramers_kronig_operator
from ..spectral import tilt_matrix

__all__ = ["DysonHead", "TILT_ALPHA_STEP", "TILT_ALPHA_NODES", "occupation_weights"]

TILT_ALPHA_STEP = 0.05  # radians between the tabulated tilt matrices
TILT_ALPHA_NODES = 16  # tabulated at 0.05, 0.10, ..., 0.80 rad
_BISECTION_STEPS = 30  # the occupation to 2^-30


def occupation_weights(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Quadrature weights of the piecewise-linear interpolant on ``w``: over the whole grid and over ``w < 0``.

    Returns ``(all, below)``, each of shape (n_w,), with ``all @ A = int A`` and ``below @ A = int_{w < 0} A``
    (the bin that contains 0 split there).
    """
    w = np.asarray(w, dtype=float)
    h = np.diff(w)
    total = np.zeros(w.size)
    total[:-1] += h / 2
    total[1:] += h / 2
    below = np.zeros(w.size)
    for j in range(w.size - 1):
        left, right = w[j], w[j + 1]
        if right <= 0:
            below[j] += (right - left) / 2
            below[j + 1] += (right - left) / 2
        elif left < 0:  # the interpolant on [left, 0]: weights of A_j and A_{j+1}
            u = -left / (right - left)  # where 0 lies in the bin
            width = -left
            below[j] += width * (1 - u / 2)
            below[j + 1] += width * u / 2
    return total, below


class DysonHead(nn.Module):
    """``s = -Im Sigma_c / pi`` on the grid -> ``A~_alpha`` (module docstring).

    Parameters
    ----------
    grid : numpy.ndarray, shape (n_w,)
        The model grid (model energy unit), strictly increasing, symmetric, without w = 0.
    """

    def __init__(self, grid: np.ndarray):
        super().__init__()
        w = np.asarray(grid, dtype=float)
        n = w.size
        kk = kramers_kronig_operator(w).real_part(np.eye(n))  # (n_w, n_w): Re Sigma = kk @ s
        total, below = occupation_weights(w)
        nodes = TILT_ALPHA_STEP * np.arange(1, TILT_ALPHA_NODES + 1)
        tilts = np.stack([tilt_matrix(w, a) for a in nodes])  # (K, n_w, n_w)
        dtilts = np.stack([tilt_matrix(w, a, derivative=True) for a in nodes])  # (K, n_w, n_w) per radian
        f32 = torch.float32
        self.register_buffer("w", torch.tensor(w, dtype=f32))
        self.register_buffer("kk_transposed", torch.tensor(kk.T.copy(), dtype=f32))
        self.register_buffer("weights_all", torch.tensor(total, dtype=f32))
        self.register_buffer("weights_below", torch.tensor(below, dtype=f32))
        self.register_buffer("tilts", torch.tensor(tilts, dtype=f32))
        self.register_buffer("dtilts", torch.tensor(dtilts, dtype=f32))
        self.register_buffer("identity", torch.eye(n, dtype=f32))
        self.alpha_step = TILT_ALPHA_STEP
        self.n_nodes = TILT_ALPHA_NODES
        self.bisection_steps = _BISECTION_STEPS

    def _dyson(self, detuning: torch.Tensor, broadening: torch.Tensor, occupation_shift: torch.Tensor) -> torch.Tensor:
        """``A = b / (pi (a^2 + b^2))`` with ``a = detuning - occupation_shift``, ``b = broadening`` (B, n_w)."""
        a = detuning - occupation_shift[:, None]
        return broadening / (math.pi * (a * a + broadening * broadening))

    def spectral(
        self, s: torch.Tensor, hybridization: torch.Tensor, U: torch.Tensor, eps_d: torch.Tensor
    ) -> torch.Tensor:
        """A(w) on the grid, (B, n_w), from ``s`` (B, n_w) >= 0, the inputs (B, n_w, 2) and U, eps_d (B,)."""
        rho = hybridization[:, :, 0]
        re_delta = hybridization[:, :, 1]
        re_sigma = s @ self.kk_transposed.to(s.dtype)  # (B, n_w)
        detuning = self.w.to(s.dtype) - eps_d[:, None] - re_delta - re_sigma  # w - eps_d - Re Delta - Re Sigma_c
        broadening = math.pi * (rho + s)  # -Im (Delta + Sigma) >= 0
        weights_all = self.weights_all.to(s.dtype)
        weights_below = self.weights_below.to(s.dtype)
        with torch.no_grad():
            low = torch.zeros_like(U)
            high = torch.ones_like(U)
            for _ in range(self.bisection_steps):
                middle = 0.5 * (low + high)
                A = self._dyson(detuning.detach(), broadening.detach(), U * middle)
                filled = (A @ weights_below) / (A @ weights_all).clamp(min=1e-30)
                above = filled > middle  # the fixed point lies above the middle
                low = torch.where(above, middle, low)
                high = torch.where(above, high, middle)
            occupation = 0.5 * (low + high)
        return self._dyson(detuning, broadening, U * occupation)

    def tilt(self, A: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
        """``A~_alpha = T(alpha) A``, (B, n_w), for A (B, n_w) and one alpha per row (B,), differentiable in alpha."""
        x = alpha / self.alpha_step  # position in units of the node spacing; node k (0-based) at x = k + 1
        x = torch.clamp(x, min=0.0, max=float(self.n_nodes))
        left = torch.clamp(torch.floor(x), min=1.0, max=float(self.n_nodes - 1)).long() - 1  # (B,) 0-based
        u = (x - (left + 1).to(x.dtype))[:, None, None]  # (B, 1, 1), in [0, 1] from the first node on
        step = self.alpha_step
        tilts = self.tilts.to(A.dtype)
        dtilts = self.dtilts.to(A.dtype)
        u2 = u * u
        u3 = u2 * u
        hermite = (
            (2 * u3 - 3 * u2 + 1) * tilts[left]
            + (u3 - 2 * u2 + u) * step * dtilts[left]
            + (-2 * u3 + 3 * u2) * tilts[left + 1]
            + (u3 - u2) * step * dtilts[left + 1]
        )  # (B, n_w, n_w)
        near_zero = x[:, None, None]  # below the first node: (1 - x) I + x T(step)
        linear = (1 - near_zero) * self.identity.to(A.dtype) + near_zero * tilts[0]
        matrix = torch.where((x < 1.0)[:, None, None], linear, hermite)
        return torch.bmm(matrix, A.unsqueeze(-1)).squeeze(-1)

    def forward(
        self, s: torch.Tensor, hybridization: torch.Tensor, U: torch.Tensor, eps_d: torch.Tensor, alpha: torch.Tensor
    ) -> torch.Tensor:
        """``A~_alpha(w)`` on the grid, (B, n_w); at alpha = 0 the real-axis A itself."""
        return self.tilt(self.spectral(s, hybridization, U, eps_d), alpha)
