"""Run an exported TorchScript model on numpy inputs: the C++ runner and its pure-Python twin.

Both runners share one interface: ``runner.forward(*inputs)`` takes numpy arrays (float32, float64
or int64, batch first) and returns a numpy array; ``runner.path``, ``runner.backend`` ('c++' or
'python') and ``runner.num_threads`` (settable) describe it. :func:`load_runner` picks the C++ runner
(``triqs_nnsolver._runtime``, libtorch behind pybind11, GIL released during inference) when it is
built, and the Python one (``torch.jit.load``) otherwise, and logs which one it uses.

A TorchScript archive is code: loading it runs the code it carries. The runners load any TorchScript
file and check no metadata (:func:`~triqs_nnsolver.runtime.load_model` does, before it calls them);
they only verify a file inside the shipped models folder against its shipped checksum
(:func:`~triqs_nnsolver.runtime.default_model.verify_shipped_model`). Load files from trusted sources only.

What is not here: exporting a model (the model/train layer does that) and any physics.
Layer: ``runtime`` (above ``model``/``train``, below ``solver``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import torch

from .default_model import verify_shipped_model
from .errors import InferenceError, ModelLoadError, ModelNotFoundError

__all__ = ["PythonRunner", "CppRunner", "load_runner", "cpp_runtime_available", "checked_model_path"]

logger = logging.getLogger(__name__)

_ALLOWED_DTYPES = (np.float32, np.float64, np.int64)


def _import_cpp_module():
    """The compiled module ``triqs_nnsolver._runtime``, or None when it is not built."""
    try:
        from .. import _runtime
    except ImportError:
        return None
    return _runtime


def cpp_runtime_available() -> bool:
    """Whether the C++ runtime extension is built and importable."""
    return _import_cpp_module() is not None


def checked_model_path(path) -> Path:
    """``path`` as a Path if it names an existing file; else :class:`ModelNotFoundError` naming it."""
    path = Path(os.fspath(path))
    if not path.is_file():
        got = "a directory" if path.is_dir() else "no such file"
        raise ModelNotFoundError(f"model file not found: path = '{path}'; expected an existing model file, got {got}")
    return path


def _checked_inputs(inputs) -> list[np.ndarray]:
    arrays = []
    for index, value in enumerate(inputs):
        array = np.ascontiguousarray(value)
        if array.dtype.type not in _ALLOWED_DTYPES:
            raise TypeError(f"input {index} must be a float32, float64 or int64 array; got dtype {array.dtype}")
        arrays.append(array)
    return arrays


class _Runner:
    """Shared interface; subclasses set ``backend`` and implement ``_forward``."""

    backend = ""

    def __init__(self, path, num_threads: int | None = None):
        self.path = str(checked_model_path(path))
        self.checksum_verified = verify_shipped_model(self.path)  # before any TorchScript of the file runs
        if num_threads is not None:
            self.num_threads = num_threads

    @property
    def num_threads(self) -> int:
        """Intra-op threads of libtorch in this process (shared by both runners and by torch)."""
        return torch.get_num_threads()

    @num_threads.setter
    def num_threads(self, n: int) -> None:
        if isinstance(n, bool) or int(n) != n or n < 1:
            raise ValueError(f"num_threads must be an integer >= 1; got num_threads = {n!r}")
        torch.set_num_threads(int(n))

    def forward(self, *inputs) -> np.ndarray:
        """Run the model on batched numpy inputs (batch first) and return its output as numpy."""
        return self._forward(_checked_inputs(inputs))

    __call__ = forward

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path='{self.path}', backend='{self.backend}')"


class PythonRunner(_Runner):
    """Runner on ``torch.jit.load`` (always available where torch is)."""

    backend = "python"

    def __init__(self, path, num_threads: int | None = None):
        super().__init__(path, num_threads)
        try:
            self._module = torch.jit.load(self.path, map_location="cpu")
        except (RuntimeError, ValueError) as err:
            raise ModelLoadError(f"cannot load '{self.path}' as a TorchScript model: {err}") from err
        self._module.eval()

    def _forward(self, arrays: list[np.ndarray]) -> np.ndarray:
        with torch.inference_mode():
            try:
                result = self._module(*(torch.from_numpy(a) for a in arrays))
            except RuntimeError as err:
                raise InferenceError(f"forward of model '{self.path}' failed: {err}") from err
        if not isinstance(result, torch.Tensor):
            raise InferenceError(f"forward of model '{self.path}' must return a Tensor; it returned {type(result)}")
        return result.contiguous().numpy().copy()


class CppRunner(_Runner):
    """Runner on the compiled ``triqs_nnsolver._runtime`` module (libtorch in C++, GIL released)."""

    backend = "c++"

    def __init__(self, path, num_threads: int | None = None):
        cpp = _import_cpp_module()
        if cpp is None:
            raise ImportError(
                "the C++ runtime triqs_nnsolver._runtime is not built; reinstall the package with "
                "`pip install --no-build-isolation .` or use PythonRunner"
            )
        super().__init__(path, num_threads)
        self._cpp = cpp
        try:
            self._runner = cpp.TorchScriptRunner(self.path)
        except cpp.ModelLoadError as err:
            raise ModelLoadError(str(err)) from err

    def _forward(self, arrays: list[np.ndarray]) -> np.ndarray:
        try:
            return self._runner.forward(arrays)
        except self._cpp.InferenceError as err:
            raise InferenceError(str(err)) from err


def load_runner(path, backend: str = "auto", num_threads: int | None = None) -> PythonRunner | CppRunner:
    """Load a TorchScript file for inference, with no metadata check.

    A TorchScript archive is code, and loading it runs that code: load only files from a trusted
    source. This function checks no metadata; for the model files of this package use
    :func:`~triqs_nnsolver.runtime.load_model`, which checks them (without running the archive) before
    it calls this function. A file inside the shipped models folder
    (:func:`~triqs_nnsolver.runtime.shipped_models_dir`) is first compared with its shipped SHA-256
    checksum; a file anywhere else is loaded as it is.

    Parameters
    ----------
    path : str or path-like
        The TorchScript file.
    backend : {'auto', 'c++', 'python'}
        'auto' takes the C++ runner when it is built, else the Python one.
    num_threads : int, optional
        Intra-op threads for libtorch in this process; unchanged when None.

    Returns
    -------
    CppRunner or PythonRunner
        Its ``backend`` attribute says which one was chosen.

    Raises
    ------
    ModelNotFoundError
        ``path`` is not a file (also a FileNotFoundError).
    ModelChecksumError
        ``path`` lies in the shipped models folder and differs from its shipped checksum.
    ModelLoadError
        The file is not a loadable TorchScript file.
    ImportError
        ``backend='c++'`` but the extension is not built.
    """
    if backend not in ("auto", "c++", "python"):
        raise ValueError(f"backend must be 'auto', 'c++' or 'python'; got backend = {backend!r}")
    if backend == "auto":
        backend = "c++" if cpp_runtime_available() else "python"
    runner_class = CppRunner if backend == "c++" else PythonRunner
    runner = runner_class(path, num_threads)
    verified = " (shipped model, SHA-256 verified)" if runner.checksum_verified else ""
    logger.info("loaded model %s with the %s runtime%s", runner.path, runner.backend, verified)
    return runner
