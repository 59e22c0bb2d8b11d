"""The errors of the runtime layer: a model file that cannot be loaded, a model that cannot run.

:class:`ModelLoadError` covers every reason a model file is refused before or while it is loaded
(missing, foreign, corrupt, or written by a newer version); the subclass :class:`ModelNotFoundError`
is also a :class:`FileNotFoundError`, what a missing model raised before. :class:`InferenceError`: the
loaded model failed on its inputs.

Layer: ``runtime``.
"""

from __future__ import annotations

__all__ = ["ModelLoadError", "ModelNotFoundError", "InferenceError"]


class ModelLoadError(RuntimeError):
    """A model file cannot be loaded: missing, not a model (foreign), corrupt, or too new."""


class ModelNotFoundError(ModelLoadError, FileNotFoundError):
    """The model path names no file; also a :class:`FileNotFoundError`."""


class InferenceError(RuntimeError):
    """The model rejected its inputs or returned something other than one tensor."""
