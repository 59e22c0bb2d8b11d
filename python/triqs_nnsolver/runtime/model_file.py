"""Exported model files: a TorchScript archive plus JSON metadata, written atomically and checked on load.

An exported model is one file, ``model.pt``: the scripted :class:`~triqs_nnsolver.model.ImpuritySpectralNet`
with an extra file ``metadata.json`` inside the archive holding

- ``format`` (``"triqs_nnsolver.model"``) and ``metadata_version``;
- ``package_version`` and ``data_schema_version`` of what trained it;
- ``model_config`` (the :class:`~triqs_nnsolver.model.ModelConfig`, which defines the grid) and ``grid``;
- ``energy_unit``: a sentence saying what 1.0 means (see :mod:`triqs_nnsolver.model.scaling`);
- ``training_domain``: ranges of U, eps_d, the hybridization scale and alpha seen in training;
- ``training_data_hash``: a digest of the training files;
- ``data_resolution`` (metadata version 2): the frequency resolution sigma_w of the training targets (energy
  unit; 0.0: unbroadened). The network predicts ``A~`` convolved with a Gaussian of this standard deviation.
  Files of metadata version 1 do not record it (read as None).

:func:`read_model_metadata` reads it without loading the network (the archive is a zip file), and
:func:`load_model` refuses files that are not triqs_nnsolver models, that were written by a newer
metadata version, or whose grid disagrees with their configuration — with a message naming the path.

Layer: ``runtime``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..model import ModelConfig
from ..version import __version__
from .runners import ModelLoadError, load_runner

__all__ = [
    "MODEL_FORMAT",
    "METADATA_VERSION",
    "ENERGY_UNIT",
    "TrainingDomain",
    "ModelMetadata",
    "LoadedModel",
    "write_model_file",
    "read_model_metadata",
    "load_model",
]

MODEL_FORMAT = "triqs_nnsolver.model"
METADATA_VERSION = 2
METADATA_FILE = "metadata.json"
ENERGY_UNIT = "model unit: the hybridization weight int rho_Delta = 1/4, i.e. the half-bandwidth D = 1 of a Bethe bath"


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
    package_version: str = __version__
    energy_unit: str = ENERGY_UNIT
    metadata_version: int = METADATA_VERSION

    def to_json(self) -> str:
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
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str, path: str = "<memory>") -> ModelMetadata:
        """Parse and check; raises ModelLoadError naming ``path`` for anything incompatible."""
        try:
            values = json.loads(text)
        except json.JSONDecodeError as err:
            raise ModelLoadError(f"'{path}': {METADATA_FILE} is not valid JSON ({err})") from err
        if values.get("format") != MODEL_FORMAT:
            raise ModelLoadError(f"'{path}' is not a {MODEL_FORMAT} file; its format is {values.get('format')!r}")
        if values.get("metadata_version", 0) > METADATA_VERSION:
            raise ModelLoadError(
                f"'{path}' has metadata version {values['metadata_version']}, newer than this package reads "
                f"({METADATA_VERSION}); upgrade triqs_nnsolver (this is {__version__})"
            )
        try:
            config = ModelConfig.from_dict(values["model_config"])
            metadata = cls(
                model_config=config,
                training_domain=TrainingDomain(**values["training_domain"]),
                training_data_hash=str(values["training_data_hash"]),
                data_schema_version=int(values["data_schema_version"]),
                data_resolution=_resolution(values.get("data_resolution")),
                package_version=str(values["package_version"]),
                energy_unit=str(values["energy_unit"]),
                metadata_version=int(values["metadata_version"]),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise ModelLoadError(f"'{path}': incomplete or invalid metadata ({type(err).__name__}: {err})") from err
        if not np.allclose(values.get("grid", []), config.grid, rtol=0, atol=1e-12):
            raise ModelLoadError(f"'{path}': the stored grid disagrees with the grid of its model_config")
        return metadata


def _resolution(value) -> float | None:
    if value is None:
        return None
    resolution = float(value)
    if not 0.0 <= resolution < float("inf"):
        raise ValueError(f"data_resolution must be None or a finite number >= 0; got {value!r}")
    return resolution


def write_model_file(model: torch.nn.Module, metadata: ModelMetadata, path) -> Path:
    """Script ``model`` and write it with its metadata to ``path`` atomically (temp file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    scripted = torch.jit.script(model.eval())
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; a model file is as readable as any new file
    try:
        torch.jit.save(scripted, temporary, _extra_files={METADATA_FILE: metadata.to_json()})
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path


def read_model_metadata(path) -> ModelMetadata:
    """The checked metadata of an exported model, read from the archive without loading the network."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model file not found: '{path}'")
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith(f"/extra/{METADATA_FILE}")]
            if not names:
                raise ModelLoadError(f"'{path}' carries no {METADATA_FILE}: it was not written by write_model_file")
            text = archive.read(names[0]).decode()
    except zipfile.BadZipFile as err:
        raise ModelLoadError(f"'{path}' is not a TorchScript archive ({err})") from err
    return ModelMetadata.from_json(text, str(path))


@dataclass(frozen=True)
class LoadedModel:
    """A runner (C++ or Python) together with the metadata of the file it runs."""

    runner: object
    metadata: ModelMetadata

    @property
    def grid(self) -> np.ndarray:
        return self.metadata.model_config.grid


def load_model(path, backend: str = "auto", num_threads: int | None = None) -> LoadedModel:
    """Check the metadata of an exported model, then load it with :func:`~triqs_nnsolver.runtime.load_runner`."""
    metadata = read_model_metadata(path)
    return LoadedModel(load_runner(path, backend=backend, num_threads=num_threads), metadata)
