"""The network of METHOD.md section 3: configuration, the cross-attention model, energy scaling."""

from .config import ModelConfig
from .network import ImpuritySpectralNet, frequency_features
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
