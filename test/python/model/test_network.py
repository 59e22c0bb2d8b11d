"""The cross-attention network: shapes, positivity, scripting, the alpha-derivative, the config."""

import numpy as np
import pytest
import torch

from triqs_nnsolver.model import ImpuritySpectralNet, ModelConfig

SMALL = dict(grid_n_w=16, n_embd=16, n_head=2, n_frequency_features=4)


def _inputs(config: ModelConfig, batch: int, dtype=torch.float32, seed: int = 0):
    generator = torch.Generator().manual_seed(seed)
    rho = torch.rand(batch, config.grid_n_w, config.n_input_channels, generator=generator, dtype=dtype) * 0.2
    params = torch.stack(
        [
            4 * torch.rand(batch, generator=generator, dtype=dtype),  # U in [0, 4]
            -2 * torch.rand(batch, generator=generator, dtype=dtype),  # eps_d in [-2, 0]
            0.1 + 0.6 * torch.rand(batch, generator=generator, dtype=dtype),  # alpha in [0.1, 0.7]
        ],
        dim=1,
    )
    return rho, params


@pytest.mark.parametrize("query_stream", ["frequency", "parameters"])
@pytest.mark.parametrize("use_re_delta", [False, True])
def test_shapes_and_positivity(query_stream, use_re_delta):
    config = ModelConfig(**SMALL, query_stream=query_stream, use_re_delta=use_re_delta)
    torch.manual_seed(1)
    model = ImpuritySpectralNet(config)
    rho, params = _inputs(config, batch=5)
    out = model(rho, params)
    assert out.shape == (5, config.grid_n_w)
    assert torch.all(out > 0)  # Softplus output
    if not use_re_delta:
        torch.testing.assert_close(model(rho[..., 0], params), out, rtol=0, atol=0)  # (B, n_w) form accepted


def test_default_model_matches_its_script():
    config = ModelConfig()
    torch.manual_seed(2)
    model = ImpuritySpectralNet(config).eval()
    scripted = torch.jit.script(model)
    rho, params = _inputs(config, batch=3)
    with torch.no_grad():
        # same graph, same kernels; TorchScript may fuse differently: float32 rounding only
        torch.testing.assert_close(scripted(rho, params), model(rho, params), rtol=1e-6, atol=1e-7)


def test_samples_are_independent():
    config = ModelConfig(**SMALL)
    torch.manual_seed(3)
    model = ImpuritySpectralNet(config)
    rho, params = _inputs(config, batch=4)
    with torch.no_grad():
        batched = model(rho, params)
        single = torch.cat([model(rho[i : i + 1], params[i : i + 1]) for i in range(4)])
    torch.testing.assert_close(batched, single, rtol=1e-6, atol=1e-7)  # float32 rounding of batched matmuls


@pytest.mark.parametrize("query_stream", ["frequency", "parameters"])
def test_alpha_derivative_by_autograd_equals_finite_difference(query_stream):
    config = ModelConfig(**SMALL, query_stream=query_stream)
    torch.manual_seed(4)
    model = ImpuritySpectralNet(config).double()
    rho, params = _inputs(config, batch=2, dtype=torch.float64)
    params.requires_grad_(True)
    out = model(rho, params)
    # d out[b, i] / d alpha[b], one output column at a time (each sample depends on its own alpha only)
    autograd = torch.stack(
        [torch.autograd.grad(out[:, i].sum(), params, retain_graph=True)[0][:, 2] for i in range(config.grid_n_w)],
        dim=1,
    )
    h = 1e-5
    with torch.no_grad():
        shift = torch.zeros_like(params)
        shift[:, 2] = h
        central = (model(rho, params + shift) - model(rho, params - shift)) / (2 * h)
    # central difference in float64: truncation h^2 |f'''| / 6 ~ 1e-11, rounding eps / h ~ 1e-11
    torch.testing.assert_close(autograd, central, rtol=0, atol=1e-8)


def test_derivative_loss_is_twice_differentiable():
    config = ModelConfig(**SMALL)
    model = ImpuritySpectralNet(config)
    rho, params = _inputs(config, batch=2)
    params.requires_grad_(True)
    out = model(rho, params)
    (dout_dparams,) = torch.autograd.grad(out.sum(), params, create_graph=True)
    dout_dparams[:, 2].pow(2).sum().backward()
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    assert grads and all(torch.isfinite(g).all() for g in grads)


def test_config_round_trip_and_validation():
    config = ModelConfig(grid_n_w=64, query_stream="parameters", param_scale=(3.0, 1.5, 0.5))
    assert ModelConfig.from_json(config.to_json()) == config
    assert config.grid.shape == (64,) and not np.any(config.grid == 0)
    with pytest.raises(TypeError, match="unknown ModelConfig keys: \\['n_embed'\\]"):
        ModelConfig.from_dict({"n_embed": 32})
    with pytest.raises(ValueError, match="grid_n_w must be an even integer >= 4; got grid_n_w = 63"):
        ModelConfig(grid_n_w=63)
    with pytest.raises(ValueError, match="n_embd must be a multiple of n_head"):
        ModelConfig(n_embd=30, n_head=4)
    with pytest.raises(ValueError, match="query_stream must be one of"):
        ModelConfig(query_stream="keys")
