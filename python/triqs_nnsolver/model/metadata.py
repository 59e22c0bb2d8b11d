"""What an exported model file says about itself: the metadata written by ``train`` and read by ``runtime``.

An exported model file (``model.pt``) is a TorchScript archive with an extra member ``metadata.json``
holding :class:`ModelMetadata` (the field list is in :mod:`triqs_nnsolver.runtime.model_file`). This
module defines the metadata and their JSON form, and nothing else: the file is written by
:func:`triqs_nnsolver.train.write_model_file` and read, checked and loaded by
:func:`triqs_nnsolver.runtime.load_model`, which refuses malformed metadata with a ``ModelLoadError``.

Layer: ``model``, so that the writer (``train``) and the reader (``runtime``) share it without the
runtime importing the training stack; no torch.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from ..model_contract import ENERGY_UNIT
from ..version import __version__
from .config import ModelConfig

__all__ = ["MODEL_FORMAT", "METADATA_VERSION", "METADATA_FILE", "TrainingDomain", "ModelMetadata"]

MODEL_FORMAT = "triqs_nnsolver.model"  # the "format" entry of every model file's metadata
METADATA_VERSION = 3  # 2 added data_resolution, 3 ensemble_size; readers accept every version up to this one
METADATA_FILE = "metadata.json"  # name of the metadata member inside the archive (<archive>/extra/...)


@dataclass(frozen=True)
class TrainingDomain:
    """Closed ranges ``(min, max)`` of the inputs seen in training, in model units (alpha in radians)."""

    U: tuple[float, float]
    eps_d: tuple[float, float]
    hybridization_scale: tuple[float, float]  # energy scale s of the training baths (1 for a D = 1 Bethe bath)
    alpha: tuple[float, float]

    def __post_init__(self):
        for field in dataclasses.fields(self):
            low, high = (float(x) for x in getattr(self, field.name))
            if not low <= high:
                raise ValueError(f"training_domain.{field.name} must be (min, max) with min <= max; got {(low, high)}")
            object.__setattr__(self, field.name, (low, high))

    def distance(self, **values: float) -> float:
        """How far the given inputs lie outside their ranges: the largest excess over the range, in units of the
        range's width (at least 1 model unit, so that a range of one value does not make every step huge); 0 inside.
        """
        excess = [0.0]
        for name, value in values.items():
            low, high = getattr(self, name)
            excess.append(max(low - value, value - high, 0.0) / max(high - low, 1.0))
        return float(max(excess))

    def violations(self, **values: float) -> list[str]:
        """Human-readable list of the given inputs (by field name) that lie outside their range."""
        messages = []
        for name, value in values.items():
            low, high = getattr(self, name)
            if not low <= value <= high:
                messages.append(f"{name} = {value:.4g} outside the training range [{low:.4g}, {high:.4g}]")
        return messages


@dataclass(frozen=True)
class ModelMetadata:
    """What an exported model file says about itself."""

    model_config: ModelConfig
    training_domain: TrainingDomain
    training_data_hash: str
    data_schema_version: int
    data_resolution: float | None = None  # sigma_w of the training targets (energy unit); None: not recorded
    ensemble_size: int = 1  # networks in the file (model.ensemble); 1: a single network returning (batch, n_w)
    package_version: str = __version__
    energy_unit: str = ENERGY_UNIT
    metadata_version: int = METADATA_VERSION

    def to_json(self) -> str:
        """The text of ``metadata.json`` (the grid is stored beside the config, for readers without the package)."""
        return json.dumps(
            {
                "format": MODEL_FORMAT,
                "metadata_version": self.metadata_version,
                "package_version": self.package_version,
                "data_schema_version": self.data_schema_version,
                "model_config": self.model_config.to_dict(),
                "grid": self.model_config.grid.tolist(),
                "energy_unit": self.energy_unit,
                "training_domain": dataclasses.asdict(self.training_domain),
                "training_data_hash": self.training_data_hash,
                "data_resolution": self.data_resolution,
                "ensemble_size": self.ensemble_size,
            },
            indent=1,
        )
