"""The network of METHOD.md section 3: configuration, the cross-attention model, energy scaling.

:mod:`.config` (``ModelConfig``, the grid) and :mod:`.scaling` (the model's energy unit) are numpy only;
the network (:mod:`.network`, torch) is imported on first access of ``ImpuritySpectralNet`` or
``frequency_features``, so the grid and the unit are available without torch (data generation, the CLI).
"""

from .config import ModelConfig
from .scaling import REFERENCE_HYBRIDIZATION_WEIGHT, energy_scale, spectral_from_model_units, to_model_units

__all__ = [
    "ModelConfig",
    "ImpuritySpectralNet",
    "frequency_features",
    "REFERENCE_HYBRIDIZATION_WEIGHT",
    "energy_scale",
    "to_model_units",
    "spectral_from_model_units",
]

_NETWORK = ("ImpuritySpectralNet", "frequency_features")  # torch: imported on first use


def __getattr__(name: str):
    if name in _NETWORK:
        from . import network

        return getattr(network, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
