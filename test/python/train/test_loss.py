"""The loss and the network's alpha-derivative: finite differences, forward mode, gradients to the weights."""

import pytest
import torch

from triqs_nnsolver.model import ImpuritySpectralNet
from triqs_nnsolver.train import SpectralWithAlphaDerivative, predict_with_alpha_derivative, spectral_loss


def _perturbed_model(config, seed, dtype=torch.float64):
    """A tiny network whose weights are moved off the small initialisation, so dA~/dalpha is not tiny."""
    torch.manual_seed(seed)
    model = ImpuritySpectralNet(config).to(dtype)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(0.3 * torch.randn_like(parameter))
    return model


def _inputs(config, batch, seed, dtype=torch.float64):
    generator = torch.Generator().manual_seed(seed)
    rho = 0.2 * torch.rand(batch, config.grid_n_w, 1, generator=generator, dtype=dtype)
    params = torch.stack(
        [
            4 * torch.rand(batch, generator=generator, dtype=dtype),  # U in [0, 4]
            -2 * torch.rand(batch, generator=generator, dtype=dtype),  # eps_d in [-2, 0]
            0.1 + 0.6 * torch.rand(batch, generator=generator, dtype=dtype),  # alpha in [0.1, 0.7]
        ],
        dim=1,
    )
    return rho, params


def test_derivative_equals_central_finite_difference(tiny_config):
    model = _perturbed_model(tiny_config, seed=0)
    rho, params = _inputs(tiny_config, batch=5, seed=1)
    A_tilde, dA_tilde = predict_with_alpha_derivative(model, rho, params, create_graph=False)
    h = 1e-5
    shift = torch.zeros_like(params)
    shift[:, 2] = h  # only alpha moves, every sample at once: samples do not interact
    with torch.no_grad():
        finite_difference = (model(rho, params + shift) - model(rho, params - shift)) / (2 * h)  # (B, n_w)
        torch.testing.assert_close(A_tilde, model(rho, params), rtol=0, atol=0)
    assert dA_tilde.abs().max() > 1e-2  # a real test: the derivative is not negligible (measured 3e-2)
    # float64: truncation h^2 f'''/6 (4.7e-8 at h = 1e-4, scaling as h^2: 5e-10 at h = 1e-5), rounding
    # eps |A| / h ~ 2e-11; 2e-9 leaves a factor 4
    torch.testing.assert_close(dA_tilde, finite_difference, rtol=0, atol=2e-9)


def test_derivative_equals_forward_mode_jvp(tiny_config):
    model = _perturbed_model(tiny_config, seed=2)
    rho, params = _inputs(tiny_config, batch=4, seed=3)
    tangent = torch.zeros_like(params)
    tangent[:, 2] = 1.0
    _, jvp = torch.func.jvp(lambda p: model(rho, p), (params,), (tangent,))
    _, dA_tilde = predict_with_alpha_derivative(model, rho, params, create_graph=False)
    # two exact autograd routes to the same Jacobian column: float64 rounding only (measured 2e-17)
    torch.testing.assert_close(dA_tilde, jvp, rtol=0, atol=1e-14)


def test_derivative_term_alone_reaches_the_weights(tiny_config):
    model = _perturbed_model(tiny_config, seed=4)
    rho, params = _inputs(tiny_config, batch=3, seed=5)
    with torch.no_grad():
        A_exact = model(rho, params)  # the spectral term is exactly zero, and so is its gradient
    batch = {
        "hybridization": rho,
        "params": params,
        "A_tilde": A_exact,
        "dA_tilde_dalpha": torch.zeros_like(A_exact),
    }
    total, terms = spectral_loss(model, batch, lambda_derivative=0.0)
    assert terms["spectral"].item() == 0.0 and terms["derivative"].item() > 0
    total.backward()
    assert all(p.grad is None or torch.all(p.grad == 0) for p in model.parameters())

    model.zero_grad()
    total, terms = spectral_loss(model, batch, lambda_derivative=0.5)
    torch.testing.assert_close(total, 0.5 * terms["derivative"], rtol=0, atol=0)
    total.backward()  # through the double-backward graph of dA~/dalpha
    gradients = torch.cat([p.grad.flatten() for p in model.parameters() if p.grad is not None])
    assert torch.all(torch.isfinite(gradients))
    assert gradients.abs().max() > 0
    assert model.head.weight.grad.abs().max() > 0  # the output layer, where the derivative is read


def test_wrapper_returns_prediction_and_derivative(tiny_config):
    model = _perturbed_model(tiny_config, seed=6, dtype=torch.float32)
    rho, params = _inputs(tiny_config, batch=2, seed=7, dtype=torch.float32)
    A_tilde, dA_tilde = SpectralWithAlphaDerivative(model)(rho, params)
    assert A_tilde.shape == dA_tilde.shape == (2, tiny_config.grid_n_w)
    assert A_tilde.requires_grad and dA_tilde.requires_grad
    with torch.no_grad():
        A_detached, dA_detached = SpectralWithAlphaDerivative(model)(rho, params)
    assert not (A_detached.requires_grad or dA_detached.requires_grad)
    torch.testing.assert_close(dA_detached, dA_tilde.detach(), rtol=0, atol=0)  # same graph, same kernels


def test_bad_inputs_are_rejected(tiny_config):
    model = _perturbed_model(tiny_config, seed=8, dtype=torch.float32)
    rho, params = _inputs(tiny_config, batch=2, seed=9, dtype=torch.float32)
    with pytest.raises(ValueError, match="params must have shape"):
        predict_with_alpha_derivative(model, rho, params[:, :2])
    batch = {"hybridization": rho, "params": params, "A_tilde": torch.zeros(2, 3), "dA_tilde_dalpha": torch.zeros(2, 3)}
    with pytest.raises(ValueError, match=r"batch\['A_tilde'\] must have the prediction's shape"):
        spectral_loss(model, batch, 1.0)
    batch["A_tilde"] = batch["dA_tilde_dalpha"] = torch.zeros(2, tiny_config.grid_n_w)
    with pytest.raises(ValueError, match="lambda_derivative must be >= 0; got lambda_derivative = -1"):
        spectral_loss(model, batch, -1.0)


def test_real_axis_term_is_the_masked_error_at_alpha_zero(tiny_config):
    """The network at alpha = 0 against A_real, over the items that have a target (NaN rows have none)."""
    from triqs_nnsolver.train.loss import loss_from_predictions, real_axis_prediction

    model = _perturbed_model(tiny_config, seed=4)
    rho, params = _inputs(tiny_config, batch=4, seed=5)
    A_tilde, dA = predict_with_alpha_derivative(model, rho, params)
    real = real_axis_prediction(model, rho, params)
    zero = params.clone()
    zero[:, 2] = 0.0
    torch.testing.assert_close(real, model(rho, zero))  # the same network, alpha set to 0
    target = torch.rand(4, tiny_config.grid_n_w, dtype=torch.float64)
    target[1:3] = float("nan")  # items 1 and 2 have no real-axis target
    batch = {"A_tilde": A_tilde.detach(), "dA_tilde_dalpha": dA.detach(), "A_real": target}
    total, terms = loss_from_predictions(A_tilde, dA, batch, 1.0, real, lambda_real=2.0)
    expected = torch.mean((real[[0, 3]] - target[[0, 3]]) ** 2)
    torch.testing.assert_close(terms["real_axis"], expected.detach())
    torch.testing.assert_close(total, 2.0 * expected)  # the other terms are 0: predictions as targets
    total.backward()
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())  # reaches the weights
    batch["A_real"] = torch.full_like(target, float("nan"))
    _, terms = loss_from_predictions(A_tilde, dA, batch, 1.0, real, lambda_real=2.0)
    assert terms["real_axis"] == 0  # no item with a target: no term


def test_real_axis_only_loss_skips_the_tilted_terms(tiny_config):
    """lambda_tilted = lambda = 0: the wrapper returns no tilted predictions and the loss is the real-axis term."""
    from triqs_nnsolver.train.loss import loss_from_predictions, real_axis_prediction

    model = _perturbed_model(tiny_config, seed=6)
    rho, params = _inputs(tiny_config, batch=3, seed=7)
    outputs = SpectralWithAlphaDerivative(model, real_axis=True, tilted=False)(rho, params)
    assert outputs[0] is None and outputs[1] is None
    torch.testing.assert_close(outputs[2], real_axis_prediction(model, rho, params))
    target = torch.rand(3, tiny_config.grid_n_w, dtype=torch.float64)
    total, terms = loss_from_predictions(None, None, {"A_real": target}, 0.0, outputs[2], lambda_real=1.5)
    torch.testing.assert_close(total, 1.5 * torch.mean((outputs[2] - target) ** 2))
    assert terms["spectral"] == 0 and terms["derivative"] == 0
    with pytest.raises(ValueError, match="needs the tilted predictions or A_real"):
        loss_from_predictions(None, None, {}, 0.0)
    with pytest.raises(ValueError, match="needs real_axis or tilted"):
        SpectralWithAlphaDerivative(model, real_axis=False, tilted=False)
    A_tilde, dA = predict_with_alpha_derivative(model, rho, params)
    batch = {"A_tilde": torch.zeros_like(A_tilde), "dA_tilde_dalpha": dA.detach()}
    weighted, terms = loss_from_predictions(A_tilde, dA, batch, 1.0, lambda_tilted=0.25)
    torch.testing.assert_close(weighted, 0.25 * terms["spectral"].to(weighted.dtype))  # the derivative term is 0
