"""An ensemble of networks in one model file: every member's A~_alpha, for a per-solve uncertainty.

:class:`SpectralEnsemble` holds ``M >= 2`` networks of one :class:`~.config.ModelConfig` (trained from different
seeds, on the same data) and returns all their answers: ``forward(hybridization, params)`` of shape
``(batch, M, n_w)``. The runtime takes the members' mean as the answer and their standard deviation as its
uncertainty (``runtime.LoadedModel.predict``, ``impurity.NeuralImpuritySolver``); the model file's metadata say
how many members it has (``ModelMetadata.ensemble_size``; a single network's file has 1 and returns
``(batch, n_w)``). The spread of independently trained members is a documented stand-in for the error, not a
bound: it measures how much the answer depends on the training's randomness, which is large where the data are
sparse (Lakshminarayanan et al., NeurIPS 2017, "deep ensembles").

TorchScript-scriptable, like the members. Layer: ``model``.
"""

from __future__ import annotations

import torch
from torch import nn

from .network import ImpuritySpectralNet

__all__ = ["SpectralEnsemble"]


class SpectralEnsemble(nn.Module):
    """``M >= 2`` networks of one configuration; ``forward`` stacks their answers along axis 1.

    Raises
    ------
    ValueError
        For fewer than two members or members of different configurations.
    TypeError
        For a member that is not an ImpuritySpectralNet.
    """

    __jit_ignored_attributes__ = ["config"]  # a Python dataclass, as in the members

    def __init__(self, members):
        super().__init__()
        members = list(members)
        if len(members) < 2:
            raise ValueError(f"an ensemble needs at least 2 members; got {len(members)}")
        for member in members:
            if not isinstance(member, ImpuritySpectralNet):
                raise TypeError(f"ensemble members must be ImpuritySpectralNet; got {type(member).__name__}")
        if any(member.config != members[0].config for member in members[1:]):
            raise ValueError("ensemble members must share one ModelConfig (grid, channels, sizes)")
        self.config = members[0].config
        self.members = nn.ModuleList(members)

    def forward(self, hybridization: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
        """Every member's A~_alpha on the model grid, shape (batch, M, n_w); inputs as a member's."""
        answers: list[torch.Tensor] = []
        for member in self.members:
            answers.append(member(hybridization, params))
        return torch.stack(answers, dim=1)
