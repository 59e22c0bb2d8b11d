"""The errors of the runtime layer: a model file that cannot be loaded, a model that cannot run.

:class:`ModelLoadError` covers every reason a model file is refused before or while it is loaded
(missing, foreign, corrupt, written by a newer version, or a shipped file that fails its checksum);
the subclasses single out the two a caller may want to tell apart. :class:`InferenceError`: the
loaded model failed on its inputs.

Layer: ``runtime``.
"""

from __future__ import annotations

__all__ = ["ModelLoadError", "ModelNotFoundError", "ModelChecksumError", "InferenceError"]


class ModelLoadError(RuntimeError):
    """A model file cannot be loaded: missing, not a model (foreign), corrupt, too new, or tampered with."""


class ModelNotFoundError(ModelLoadError, FileNotFoundError):
    """The model path names no file; also a :class:`FileNotFoundError`."""


class ModelChecksumError(ModelLoadError):
    """A model file in the shipped models folder differs from the SHA-256 checksum shipped with it."""


class InferenceError(RuntimeError):
    """The model rejected its inputs or returned something other than one tensor."""
