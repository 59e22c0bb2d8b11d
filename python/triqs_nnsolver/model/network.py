"""The cross-attention transformer that maps a hybridization and (U, eps_d, alpha) to A~_alpha(w).

Read top to bottom: ``Attention`` (multi-head, explicit softmax so that the network is twice
differentiable, as the alpha-derivative loss needs), ``MLP``, ``EncoderBlock`` (self-attention over
frequency tokens), ``DecoderBlock`` (self-attention, cross-attention, MLP), ``ImpuritySpectralNet``.

Streams (``METHOD.md`` section 3): one token per grid frequency carries the hybridization value(s)
and a frequency encoding; the encoder turns them into the *hybridization encoding*. Three parameter
tokens embed U, eps_d and alpha, each through harmonic features ``[p, sin(k p), cos(k p)]`` of the
scaled value: a linear embedding ``p * w`` would be erased by the LayerNorms (they are scale-invariant),
leaving the output nearly independent of the parameters at initialization.
With ``query_stream='frequency'`` (default) the decoder's queries are the frequency tokens and its
keys/values the parameter tokens together with the hybridization encoding; with ``'parameters'`` the
parameter tokens query the hybridization encoding and the frequency tokens read them out through one
more cross-attention. The head (``ModelConfig.output_head``): ``'spectral'`` (the paper's) gives A~_alpha through a
Softplus, positive by construction; ``'self_energy'`` gives ``-Im Sigma / pi = U^2 Softplus(...)`` at alpha = 0 (the
self-energy does not depend on the tilt), averaged with the network's answer for the particle-hole mirror of the
problem, reflected (so that it is exactly particle-hole equivariant, at twice the cost), and
:class:`~.dyson_head.DysonHead` makes A~_alpha of it by Kramers-Kronig, the exact Hartree term, Dyson with the input
hybridization and the exact tilt kernel.

The model works in its own energy unit (D = 1 of the reference Bethe bath); see ``scaling``.
It is TorchScript-scriptable by design (``torch.jit.script(model)``), with type hints and shapes on
``forward``. Layer: ``model``.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .config import ModelConfig
from .dyson_head import DysonHead

__all__ = ["ImpuritySpectralNet", "frequency_features"]

SELF_ENERGY_HEAD_BIAS = -4.0  # initial bias of the self-energy head: -Im Sigma / pi = 0.018 U^2 everywhere


class Attention(nn.Module):
    """Multi-head attention of queries ``x`` over a ``context`` (self-attention when context is x)."""

    def __init__(self, n_embd: int, n_head: int):
        super().__init__()
        self.n_head = n_head
        self.query = nn.Linear(n_embd, n_embd)
        self.key_value = nn.Linear(n_embd, 2 * n_embd)
        self.proj = nn.Linear(n_embd, n_embd)

    def forward(self, x: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        S = context.shape[1]
        hs = C // self.n_head
        q = self.query(x).view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        k, v = self.key_value(context).split(C, dim=2)
        k = k.view(B, S, self.n_head, hs).transpose(1, 2)  # (B, nh, S, hs)
        v = v.view(B, S, self.n_head, hs).transpose(1, 2)  # (B, nh, S, hs)
        # explicit softmax attention: fused kernels lack the double backward of the derivative loss
        att = torch.softmax((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs)), dim=-1)  # (B, nh, T, S)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)  # (B, T, C)
        return self.proj(y)


class MLP(nn.Module):
    def __init__(self, n_embd: int, ratio: int):
        super().__init__()
        self.fc = nn.Linear(n_embd, ratio * n_embd)
        self.proj = nn.Linear(ratio * n_embd, n_embd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(F.gelu(self.fc(x)))


class EncoderBlock(nn.Module):
    """Pre-norm self-attention and MLP over the frequency tokens."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.ln_attention = nn.LayerNorm(config.n_embd)
        self.attention = Attention(config.n_embd, config.n_head)
        self.ln_mlp = nn.LayerNorm(config.n_embd)
        self.mlp = MLP(config.n_embd, config.mlp_ratio)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.ln_attention(x)
        x = x + self.attention(h, h)
        return x + self.mlp(self.ln_mlp(x))


class DecoderBlock(nn.Module):
    """Pre-norm self-attention over the queries, cross-attention to the context, MLP."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.ln_self = nn.LayerNorm(config.n_embd)
        self.self_attention = Attention(config.n_embd, config.n_head)
        self.ln_query = nn.LayerNorm(config.n_embd)
        self.ln_context = nn.LayerNorm(config.n_embd)
        self.cross_attention = Attention(config.n_embd, config.n_head)
        self.ln_mlp = nn.LayerNorm(config.n_embd)
        self.mlp = MLP(config.n_embd, config.mlp_ratio)

    def forward(self, x: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        h = self.ln_self(x)
        x = x + self.self_attention(h, h)
        x = x + self.cross_attention(self.ln_query(x), self.ln_context(context))
        return x + self.mlp(self.ln_mlp(x))


def frequency_features(config: ModelConfig) -> np.ndarray:
    """Fixed encoding of the grid: ``[x, sin(pi k x), cos(pi k x)]``, k = 1..K; shape (n_w, 2K+1).

    ``x = asinh(w / w_scale) / asinh(w_max / w_scale)`` in [-1, 1] is the coordinate in which the sinh
    grid is uniform, so every feature varies smoothly from token to token.
    """
    w = config.grid
    x = np.arcsinh(w / config.grid_w_scale) / np.arcsinh(config.grid_w_max / config.grid_w_scale)
    k = np.arange(1, config.n_frequency_features + 1)
    return np.concatenate([x[:, None], np.sin(np.pi * k * x[:, None]), np.cos(np.pi * k * x[:, None])], axis=1)


class ImpuritySpectralNet(nn.Module):
    """Hybridization on the model grid and (U, eps_d, alpha) -> tilted spectral function A~_alpha(w)."""

    __jit_ignored_attributes__ = ["config"]  # a Python dataclass; scripted code reads only tensors and numbers
    __constants__ = ["predicts_self_energy"]  # TorchScript compiles only the head in use

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        C = config.n_embd
        features = torch.tensor(frequency_features(config), dtype=torch.float32)
        self.register_buffer("features", features)  # (n_w, 2K+1)
        self.register_buffer("param_scale", torch.tensor(config.param_scale, dtype=torch.float32))  # (3,)
        self.rho_scale = config.rho_scale
        self.n_input_channels = config.n_input_channels
        self.queries_are_frequencies = config.query_stream == "frequency"

        self.token_embedding = nn.Linear(config.n_input_channels + features.shape[1], C)
        harmonics = (math.pi / 2) * torch.arange(1, config.n_param_harmonics + 1, dtype=torch.float32)
        self.register_buffer("param_harmonics", harmonics)  # (H,) wave numbers on the scaled parameters
        self.param_embedding = nn.Linear(2 * config.n_param_harmonics + 1, C)  # shared by U, eps_d, alpha
        self.param_type = nn.Parameter(0.02 * torch.randn(3, C))  # which parameter a token is
        self.param_mlp = MLP(C, config.mlp_ratio)
        self.encoder = nn.ModuleList([EncoderBlock(config) for _ in range(config.n_encoder_layers)])
        self.decoder = nn.ModuleList([DecoderBlock(config) for _ in range(config.n_decoder_layers)])
        self.readout = DecoderBlock(config)  # frequency tokens read the parameter stream ('parameters' mode)
        self.ln_f = nn.LayerNorm(C)
        self.head = nn.Linear(C, 1)
        self.predicts_self_energy = config.output_head == "self_energy"
        self.dyson = DysonHead(config.grid) if self.predicts_self_energy else nn.Identity()
        self.apply(self._init_weights)
        if self.predicts_self_energy:  # start near the U = 0 answer: Softplus(-4) = 0.018
            nn.init.constant_(self.head.bias, SELF_ENERGY_HEAD_BIAS)

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            nn.init.zeros_(module.bias)

    def forward(self, hybridization: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
        """A~_alpha on the model grid.

        Parameters
        ----------
        hybridization : Tensor, shape (batch, n_w) or (batch, n_w, n_input_channels)
            ``rho_Delta(w_i) = -Im Delta(w_i) / pi`` on the model grid (and ``Re Delta(w_i)`` as a second
            channel when ``config.use_re_delta``), model energy unit.
        params : Tensor, shape (batch, 3)
            ``(U, eps_d, alpha)``: energies in the model unit, alpha in radians.

        Returns
        -------
        Tensor, shape (batch, n_w)
            ``A~_alpha(w_i) >= 0`` (inverse model energy unit).
        """
        if hybridization.dim() == 2:
            hybridization = hybridization.unsqueeze(-1)  # (B, n_w, 1)
        if self.predicts_self_energy:
            U, eps_d, alpha = params[:, 0], params[:, 1], params[:, 2]
            # the problem and its particle-hole mirror (w -> -w: rho(-w), -Re Delta(-w), eps_d -> -U - eps_d) in one
            # batch; the mirror's Sigma_c is this problem's reflected, so their average is exactly equivariant
            mirrored = torch.stack([hybridization[:, :, 0].flip(1), -hybridization[:, :, 1].flip(1)], dim=2)
            zero = torch.zeros_like(alpha)  # Sigma does not depend on the tilt
            both = torch.cat([torch.stack([U, eps_d, zero], dim=1), torch.stack([U, -U - eps_d, zero], dim=1)], dim=0)
            raw = F.softplus(self._head_input(torch.cat([hybridization[:, :, :2], mirrored], dim=0), both))
            B = params.shape[0]
            s = (0.5 * (U * U))[:, None] * (raw[:B] + raw[B:].flip(1))  # -Im Sigma_c / pi >= 0
            return self.dyson(s, hybridization, U, eps_d, alpha)
        return F.softplus(self._head_input(hybridization, params))  # (B, n_w)

    def _head_input(self, hybridization: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
        """The head's linear output per frequency token, (B, n_w), before its positive map."""
        B, n_w, _ = hybridization.shape
        features = self.features.to(hybridization.dtype).expand(B, n_w, self.features.shape[1])
        tokens = self.token_embedding(torch.cat([hybridization * self.rho_scale, features], dim=-1))  # (B, n_w, C)
        for encoder_block in self.encoder:
            tokens = encoder_block(tokens)  # hybridization encoding, (B, n_w, C)

        scaled = (params / self.param_scale.to(params.dtype)).unsqueeze(-1)  # (B, 3, 1)
        phases = scaled * self.param_harmonics.to(params.dtype)  # (B, 3, H)
        param_features = torch.cat([scaled, torch.sin(phases), torch.cos(phases)], dim=-1)  # (B, 3, 2H+1)
        param_tokens = self.param_embedding(param_features) + self.param_type  # (B, 3, C)
        param_tokens = param_tokens + self.param_mlp(param_tokens)

        if self.queries_are_frequencies:
            x = tokens
            context = torch.cat([param_tokens, tokens], dim=1)  # (B, 3 + n_w, C)
            for frequency_block in self.decoder:
                x = frequency_block(x, context)
        else:
            p = param_tokens
            for parameter_block in self.decoder:
                p = parameter_block(p, tokens)  # (B, 3, C)
            x = self.readout(tokens, p)  # (B, n_w, C)
        return self.head(self.ln_f(x)).squeeze(-1)  # (B, n_w)
