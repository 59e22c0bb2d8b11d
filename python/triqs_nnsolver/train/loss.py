"""The training loss of ``METHOD.md`` section 3 and the network's alpha-derivative by autograd.

    L = lambda_tilted * mean_(b, w) |A~_pred - A~_data|^2 + lambda * mean_(b, w) |dA~_pred/dalpha - dA~_data/dalpha|^2
        + lambda_real * mean_(b with A_real, w) |A_pred(alpha = 0) - A_real|^2,

with ``dA~_pred/dalpha`` the derivative of the network output with respect to its input alpha
(the third entry of ``params``), taken by autograd so that the loss can be differentiated once more
with respect to the weights (arXiv:2511.14505). Means run over the batch and the frequency grid alike
(each grid point counts once, whatever its spacing). The last term supervises the real axis directly: the
network queried at alpha = 0 against the samples' real-axis targets ``A_real``, over the items that have one
(a NaN row has none); it is 0 when no item of the batch has one, and absent (weight 0, no extra forward) by
default. With ``lambda_tilted = lambda = 0`` the first two terms and their forward are skipped: the real axis alone
is supervised (the self-energy head of ``model.dyson_head``, whose tilt is exact, is trained so).

How the derivative is taken: the Jacobian-vector product ``J t`` with tangent ``t = (0, 0, 1)`` per sample
is obtained by the double-backward trick, ``d/dv [v^T J]_alpha``: one backward pass with a dummy
cotangent ``v`` and ``create_graph=True`` gives ``v^T J``, a second one with respect to ``v`` gives
``J t``, and both stay differentiable. Forward mode (``torch.func.jvp``) gives the same numbers (to
float64 rounding) but was measured 1.45x (grid_n_w = 64, n_embd = 32, batch 16) to 1.6x (the tiny test
network) slower per training step on CPU; the double backward also runs under
DistributedDataParallel through :class:`SpectralWithAlphaDerivative` (tested with two gloo processes).
The whole (batch, n_w) derivative comes out of one pass because sample b's output depends on
alpha_b only: the network has no operation that mixes samples of a batch.

What is not here: the optimizer and loop (:mod:`.loop`), evaluation metrics (:mod:`.evaluate`).
Layer: ``train``.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = [
    "predict_with_alpha_derivative",
    "real_axis_prediction",
    "SpectralWithAlphaDerivative",
    "loss_from_predictions",
    "spectral_loss",
]

ALPHA_INDEX = 2  # params = (U, eps_d, alpha)


def predict_with_alpha_derivative(
    model: nn.Module, hybridization: torch.Tensor, params: torch.Tensor, create_graph: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """The network output ``A~_alpha(w_i)`` and its derivative with respect to the input alpha.

    Parameters
    ----------
    model : torch.nn.Module
        Maps ``(hybridization, params)`` to A~ of shape (batch, n_w), e.g.
        :class:`triqs_nnsolver.model.ImpuritySpectralNet`; samples of a batch must not interact.
    hybridization : Tensor, shape (batch, n_w) or (batch, n_w, n_channels)
        Network input on the model grid (model energy unit).
    params : Tensor, shape (batch, 3)
        ``(U, eps_d, alpha)``; energies in the model unit, alpha in radians.
    create_graph : bool, optional
        Keep both outputs differentiable with respect to the weights (training; default). With False both
        are returned detached (evaluation).

    Returns
    -------
    A_tilde : Tensor, shape (batch, n_w)
        ``A~_alpha(w_i)`` (inverse model energy unit).
    dA_tilde_dalpha : Tensor, shape (batch, n_w)
        ``dA~_alpha(w_i) / dalpha`` per radian, each sample with respect to its own alpha.

    Raises
    ------
    ValueError
        If ``params`` is not of shape (batch, 3).
    """
    if params.dim() != 2 or params.shape[1] != 3:
        raise ValueError(f"params must have shape (batch, 3) = (U, eps_d, alpha) per sample; got {tuple(params.shape)}")
    with torch.enable_grad():
        params = params.detach().requires_grad_(True)  # (B, 3)
        A_tilde = model(hybridization, params)  # (B, n_w)
        cotangent = torch.zeros_like(A_tilde, requires_grad=True)  # (B, n_w), the dummy v
        (vjp,) = torch.autograd.grad(A_tilde, params, grad_outputs=cotangent, create_graph=True)  # (B, 3) = v^T J
        # vjp is linear in v, so its gradient with respect to v is the Jacobian column of alpha
        (dA_tilde_dalpha,) = torch.autograd.grad(
            vjp[:, ALPHA_INDEX].sum(), cotangent, create_graph=create_graph
        )  # (B, n_w)
    if not create_graph:
        return A_tilde.detach(), dA_tilde_dalpha.detach()
    return A_tilde, dA_tilde_dalpha


def real_axis_prediction(model: nn.Module, hybridization: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
    """The network at alpha = 0 for every item, ``(batch, n_w)``: ``params`` with its alpha set to 0."""
    real = params.detach().clone()
    real[:, ALPHA_INDEX] = 0.0
    return model(hybridization, real)


class SpectralWithAlphaDerivative(nn.Module):
    """Module whose forward returns ``(A~, dA~/dalpha)`` of the wrapped network.

    The training loop wraps *this* module (not the bare network) in DistributedDataParallel, so that
    DDP sees the whole double-backward graph as one forward and reduces the weights' gradients once.

    Parameters
    ----------
    model : torch.nn.Module
        The network, e.g. :class:`triqs_nnsolver.model.ImpuritySpectralNet`.
    real_axis : bool
        Also return the network at alpha = 0 (:func:`real_axis_prediction`), for the real-axis term.
    tilted : bool
        Return ``(A~, dA~/dalpha)``; with False both entries are None and only the real axis is computed (then
        ``real_axis`` must be True).
    """

    def __init__(self, model: nn.Module, real_axis: bool = False, tilted: bool = True):
        super().__init__()
        if not (real_axis or tilted):
            raise ValueError("SpectralWithAlphaDerivative needs real_axis or tilted; got neither")
        self.model = model
        self.real_axis = real_axis
        self.tilted = tilted

    def forward(self, hybridization: torch.Tensor, params: torch.Tensor) -> tuple:
        """``(A~, dA~/dalpha)``, both (batch, n_w) and differentiable (:func:`predict_with_alpha_derivative`; None,
        None without ``tilted``), and ``A(alpha = 0)`` as a third entry with ``real_axis``."""
        if self.tilted:
            predictions = predict_with_alpha_derivative(
                self.model, hybridization, params, create_graph=torch.is_grad_enabled()
            )
        else:
            predictions = (None, None)
        if not self.real_axis:
            return predictions
        return (*predictions, real_axis_prediction(self.model, hybridization, params))


def loss_from_predictions(
    A_tilde: torch.Tensor | None,
    dA_tilde_dalpha: torch.Tensor | None,
    batch: dict,
    lambda_derivative: float,
    A_real: torch.Tensor | None = None,
    lambda_real: float = 0.0,
    lambda_tilted: float = 1.0,
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """The loss from predictions already made; see :func:`spectral_loss` for the terms.

    Parameters
    ----------
    A_tilde, dA_tilde_dalpha : Tensor, shape (batch, n_w), or None
        Predicted ``A~`` and ``dA~/dalpha``; None (both): no tilted terms (then ``A_real`` is needed).
    batch : dict
        Holds the targets ``"A_tilde"`` and ``"dA_tilde_dalpha"``, shape (batch, n_w), on the predictions' device,
        and ``"A_real"`` (NaN rows: no target) when ``A_real`` is given.
    lambda_derivative : float
        Weight of the derivative term (>= 0).
    A_real : Tensor, shape (batch, n_w), optional
        The network at alpha = 0 (:func:`real_axis_prediction`); None: no real-axis term.
    lambda_real : float
        Weight of the real-axis term (>= 0; dimensionless).
    lambda_tilted : float
        Weight of the tilted-spectrum term (>= 0; dimensionless).

    Returns
    -------
    total : Tensor, 0-d
    terms : dict
        ``{"spectral": ..., "derivative": ..., "real_axis": ...}``, the unweighted mean squared errors, detached
        0-d tensors (``real_axis`` over the items with a target; 0 without any).

    Raises
    ------
    ValueError
        If a target's shape differs from the prediction's or a weight is negative.
    """
    if not lambda_derivative >= 0:
        raise ValueError(f"lambda_derivative must be >= 0; got lambda_derivative = {lambda_derivative!r}")
    if not lambda_real >= 0:
        raise ValueError(f"lambda_real must be >= 0; got lambda_real = {lambda_real!r}")
    if not lambda_tilted >= 0:
        raise ValueError(f"lambda_tilted must be >= 0; got lambda_tilted = {lambda_tilted!r}")
    if A_tilde is None or dA_tilde_dalpha is None:
        if A_real is None:
            raise ValueError("loss_from_predictions needs the tilted predictions or A_real; got neither")
        spectral = torch.zeros((), dtype=A_real.dtype, device=A_real.device)
        derivative = spectral
    else:
        for name, prediction in (("A_tilde", A_tilde), ("dA_tilde_dalpha", dA_tilde_dalpha)):
            if batch[name].shape != prediction.shape:
                raise ValueError(
                    f"batch[{name!r}] must have the prediction's shape {tuple(prediction.shape)}; "
                    f"got {tuple(batch[name].shape)}"
                )
        spectral = torch.mean((A_tilde - batch["A_tilde"]) ** 2)  # over (B, n_w)
        derivative = torch.mean((dA_tilde_dalpha - batch["dA_tilde_dalpha"]) ** 2)  # over (B, n_w)
    total = lambda_tilted * spectral + lambda_derivative * derivative
    real = torch.zeros((), dtype=spectral.dtype, device=spectral.device)
    if A_real is not None:
        target = batch["A_real"]
        has = torch.isfinite(target).all(dim=1)  # (B,): items whose sample has a real-axis target
        squared = torch.where(has[:, None], (A_real - torch.nan_to_num(target)) ** 2, torch.zeros_like(A_real))
        real = squared.sum() / (has.sum().clamp(min=1) * A_real.shape[1])  # over (items with a target, n_w)
        total = total + lambda_real * real
    return total, {"spectral": spectral.detach(), "derivative": derivative.detach(), "real_axis": real.detach()}


def spectral_loss(model: nn.Module, batch: dict, lambda_derivative: float) -> tuple[torch.Tensor, dict]:
    """``L = mean |A~_pred - A~_data|^2 + lambda * mean |dA~_pred/dalpha - dA~_data/dalpha|^2`` on one batch.

    Parameters
    ----------
    model : torch.nn.Module
        The network (not wrapped), e.g. :class:`triqs_nnsolver.model.ImpuritySpectralNet`.
    batch : dict of Tensor
        A collated batch of the training data: ``"hybridization"`` (batch, n_w, n_channels), ``"params"``
        (batch, 3) = (U, eps_d, alpha), ``"A_tilde"`` and ``"dA_tilde_dalpha"`` (batch, n_w), on the
        model's device and dtype.
    lambda_derivative : float
        Weight of the derivative term (>= 0; rad^2).

    Returns
    -------
    total : Tensor, 0-d
        The loss, differentiable with respect to the model's weights (through the derivative term too).
    terms : dict
        ``{"spectral": ..., "derivative": ...}``: the two mean squared errors, unweighted, detached 0-d tensors.

    Raises
    ------
    ValueError
        If ``params`` is not (batch, 3), a target's shape differs from the prediction's, or
        ``lambda_derivative`` is negative.
    """
    A_tilde, dA_tilde_dalpha = predict_with_alpha_derivative(
        model, batch["hybridization"], batch["params"], create_graph=torch.is_grad_enabled()
    )  # (B, n_w) each
    return loss_from_predictions(A_tilde, dA_tilde_dalpha, batch, lambda_derivative)
