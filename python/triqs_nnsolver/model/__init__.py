"""The network of METHOD.md section 3: configuration and the cross-attention model.

:mod:`.config` (``ModelConfig``, the grid) and :mod:`.metadata` (what an exported model file says about itself) are
numpy only; the network (:mod:`.network`, torch; its self-energy head in :mod:`.dyson_head`) and the ensemble of
networks (:mod:`.ensemble`) are imported on first access of ``ImpuritySpectralNet``, ``SpectralEnsemble`` or
``frequency_features``, so the grid is available
without torch (data generation, the CLI, the runtime's checks of a model file). The model's energy unit and input
contract are in :mod:`triqs_nnsolver.model_contract`, below the data layer, which generates samples in that unit.

Layer: ``model``.
"""

from .config import ModelConfig

__all__ = ["ModelConfig", "ImpuritySpectralNet", "SpectralEnsemble", "frequency_features"]

_NETWORK = ("ImpuritySpectralNet", "frequency_features")  # torch: imported on first use


def __getattr__(name: str):
    if name in _NETWORK:
        from . import network

        return getattr(network, name)
    if name == "SpectralEnsemble":
        from . import ensemble

        return ensemble.SpectralEnsemble
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
