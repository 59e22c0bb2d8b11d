"""Where the models shipped with the package lie, and the check that a shipped model is the one shipped.

The pretrained model files live in the source tree under ``share/triqs_nnsolver/models/`` and are
installed with the package as ``triqs_nnsolver/share/models/`` (CMake ``install(DIRECTORY ...)``, which
copies the whole folder). Each model folder holds ``model.pt`` (TorchScript plus metadata),
``model.pt.sha256`` (its SHA-256 checksum, in the format of ``sha256sum``) and ``MODEL_CARD.md`` (how it
was trained and how accurate it is).

:func:`verify_shipped_model` compares a file inside the shipped folder with its checksum; the runners
call it before they load a file, so a shipped model that was modified or damaged after installation is
refused before its TorchScript code runs. A model file outside that folder has no known checksum: only
its metadata are checked (:func:`~triqs_nnsolver.runtime.load_model`).

Layer: ``runtime``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from .errors import ModelChecksumError

__all__ = ["DEFAULT_MODEL", "CHECKSUM_SUFFIX", "shipped_models_dir", "default_model_path", "verify_shipped_model"]

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "lanczos9-sigma"  # folder name under models/ of the model used when none is given
CHECKSUM_SUFFIX = ".sha256"  # model.pt -> model.pt.sha256, written by `sha256sum model.pt > model.pt.sha256`


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_shipped_model(path) -> bool:
    """Check a model file inside :func:`shipped_models_dir` against the checksum shipped next to it.

    Parameters
    ----------
    path : str or os.PathLike
        An existing model file (symbolic links are resolved before the folder is compared).

    Returns
    -------
    bool
        True if ``path`` lies in the shipped folder and matches its checksum; False if it lies outside
        (a user's model: no checksum is known).

    Raises
    ------
    ModelChecksumError
        If ``path`` lies in the shipped folder and its checksum file ``<path>.sha256`` is missing or
        malformed, or the file's SHA-256 differs from it.
    """
    path = Path(path).resolve()
    folder = shipped_models_dir().resolve()
    if not path.is_relative_to(folder):
        return False
    checksum_path = path.with_name(path.name + CHECKSUM_SUFFIX)
    try:
        fields = checksum_path.read_text().split()
    except (OSError, UnicodeDecodeError) as err:
        raise ModelChecksumError(
            f"model file path = '{path}' lies in the shipped models folder, so its checksum must be known: "
            f"expected a readable checksum file '{checksum_path}'; got {type(err).__name__}: {err}"
        ) from err
    expected = fields[0] if fields else ""
    if not re.fullmatch(r"[0-9a-f]{64}", expected):
        raise ModelChecksumError(
            f"model file path = '{path}': expected its checksum file '{checksum_path}' to start with a SHA-256 "
            f"digest (64 hexadecimal digits, as `sha256sum` writes it); got {expected[:80]!r}"
        )
    actual = _sha256(path)
    if actual != expected:
        raise ModelChecksumError(
            f"model file path = '{path}' is not the model shipped with the package: expected SHA-256 {expected} "
            f"(from '{checksum_path}'); got {actual}. The file was modified or damaged after installation; "
            "reinstall triqs_nnsolver (a developer replacing the model writes a new checksum file)"
        )
    logger.debug("model file %s matches its shipped checksum", path)
    return True
