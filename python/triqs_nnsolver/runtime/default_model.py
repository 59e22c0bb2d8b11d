"""Where the model shipped with the package lies.

The pretrained model files live in the source tree under ``share/triqs_nnsolver/models/`` and are
installed with the package as ``triqs_nnsolver/share/models/`` (CMake ``install(DIRECTORY ...)``).
Each model folder holds ``model.pt`` (TorchScript plus metadata) and ``MODEL_CARD.md`` (how it was
trained and how accurate it is).

Layer: ``runtime``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEFAULT_MODEL", "shipped_models_dir", "default_model_path"]

DEFAULT_MODEL = "interim"  # folder name under models/ of the model used when none is given


def shipped_models_dir() -> Path:
    """``models/`` of the installed package, or of the source tree when running from a checkout."""
    installed = Path(__file__).resolve().parents[1] / "share" / "models"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "share" / "triqs_nnsolver" / "models"


def default_model_path(name: str = DEFAULT_MODEL) -> Path:
    """Path of the shipped model ``name`` (default: :data:`DEFAULT_MODEL`).

    Raises
    ------
    FileNotFoundError
        If no such shipped model exists; the message lists the shipped ones.
    """
    folder = shipped_models_dir()
    path = folder / name / "model.pt"
    if not path.is_file():
        available = sorted(p.parent.name for p in folder.glob("*/model.pt")) if folder.is_dir() else []
        raise FileNotFoundError(f"no shipped model {name!r} (looked for '{path}'); shipped models: {available}")
    return path
