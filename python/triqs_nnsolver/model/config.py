"""Configuration of the cross-attention network: one frozen dataclass, saved with every checkpoint.

The model's real-frequency grid is part of the configuration (it defines the tokens): the
symmetric sinh grid of :func:`triqs_nnsolver.gf.make_nonuniform_refreq`, in the model's energy unit
(the half-bandwidth of the reference Bethe bath, D = 1; see :mod:`triqs_nnsolver.model_contract`).

Layer: ``model``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass

import numpy as np

from ..gf import make_nonuniform_refreq
from ..model_contract import input_channels

__all__ = ["ModelConfig"]

_QUERY_STREAMS = ("frequency", "parameters")
_OUTPUT_HEADS = ("spectral", "self_energy")


@dataclass(frozen=True)
class ModelConfig:
    """Sizes and grid of the network. Energies in the model's energy unit (D = 1)."""

    grid_w_max: float = 8.0  # largest |w| of the model grid
    grid_n_w: int = 128  # frequency points = tokens per sample (even: no point at w = 0); cost ~ n_w^2
    grid_w_scale: float = 0.3  # below this |w| the grid is nearly uniform (dense near the Fermi level)
    use_re_delta: bool = False  # also feed Re Delta(w) (Kramers-Kronig of rho_Delta) per token
    n_embd: int = 64  # width of every token
    n_head: int = 4  # attention heads (n_embd % n_head == 0)
    n_encoder_layers: int = 2  # self-attention blocks over the hybridization tokens
    n_decoder_layers: int = 2  # blocks of self-attention + cross-attention + MLP
    n_frequency_features: int = 16  # sin/cos pairs of the frequency encoding
    n_param_harmonics: int = 4  # sin/cos pairs encoding each scaled parameter (U, eps_d, alpha)
    mlp_ratio: int = 2  # hidden width of the MLPs = mlp_ratio * n_embd
    query_stream: str = "frequency"  # which stream gives the cross-attention queries
    rho_scale: float = 4.0  # rho_Delta is multiplied by this before embedding (Bethe bath, D = 1: max 1/(2 pi))
    param_scale: tuple[float, float, float] = (4.0, 2.0, 1.0)  # (U, eps_d, alpha) are divided by these
    output_head: str = "spectral"  # 'spectral': Softplus A~ (the paper's); 'self_energy': causal Sigma + Dyson

    def __post_init__(self):
        if self.grid_n_w < 4 or self.grid_n_w % 2:
            raise ValueError(f"grid_n_w must be an even integer >= 4; got grid_n_w = {self.grid_n_w!r}")
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd must be a multiple of n_head; got n_embd = {self.n_embd}, n_head = {self.n_head}")
        if self.query_stream not in _QUERY_STREAMS:
            raise ValueError(f"query_stream must be one of {_QUERY_STREAMS}; got query_stream = {self.query_stream!r}")
        for name in (
            "n_embd",
            "n_head",
            "n_encoder_layers",
            "n_decoder_layers",
            "n_frequency_features",
            "n_param_harmonics",
            "mlp_ratio",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < (0 if "layers" in name else 1):
                raise ValueError(f"{name} must be a positive integer; got {name} = {value!r}")
        if self.output_head not in _OUTPUT_HEADS:
            raise ValueError(f"output_head must be one of {_OUTPUT_HEADS}; got output_head = {self.output_head!r}")
        if self.output_head == "self_energy" and not self.use_re_delta:
            raise ValueError(
                "output_head = 'self_energy' needs the whole Delta(w) for its Dyson equation: set use_re_delta = True; "
                "got use_re_delta = False"
            )
        if len(self.param_scale) != 3 or min(self.param_scale) <= 0:
            raise ValueError(f"param_scale must be three positive numbers; got param_scale = {self.param_scale!r}")
        object.__setattr__(self, "param_scale", tuple(float(s) for s in self.param_scale))

    @functools.cached_property
    def grid(self) -> np.ndarray:
        """The model's real frequencies, read-only float64 array of shape (grid_n_w,), built at the first use."""
        return make_nonuniform_refreq(self.grid_w_max, self.grid_n_w, self.grid_w_scale).points

    @property
    def n_input_channels(self) -> int:
        """Values per frequency token: rho_Delta, and Re Delta if used (``model_contract.input_channels``)."""
        return len(input_channels(self.use_re_delta))

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> ModelConfig:
        """Build from a dict; unknown keys raise TypeError naming them (typos must not pass silently)."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise TypeError(f"unknown ModelConfig keys: {unknown}; known keys are {sorted(known)}")
        values = dict(values)
        if "param_scale" in values:
            values["param_scale"] = tuple(values["param_scale"])
        return cls(**values)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ModelConfig:
        return cls.from_dict(json.loads(text))
