"""Run an exported TorchScript model on numpy inputs: the C++ runner and its pure-Python twin.

Both runners share one interface: ``runner.forward(*inputs)`` takes numpy arrays (float32, float64
or int64, batch first) and returns a numpy array; ``runner.path``, ``runner.backend`` ('c++' or
'python') and ``runner.num_threads`` (settable) describe it. Given ``inputs`` (one :class:`InputSpec`
per argument of the model's ``forward``), a runner refuses arrays of another dtype or shape before
the model sees them, with a message naming the input. :func:`load_runner` picks the C++ runner
(``triqs_nnsolver._runtime``, libtorch behind pybind11, GIL released during inference) when it is
built, and the Python one (``torch.jit.load``) otherwise, and logs which one it uses.

A TorchScript archive is code: loading it runs the code it carries. The runners load any TorchScript
file and check no metadata (:func:`~triqs_nnsolver.runtime.load_model` does, before it calls them);
they only verify a file inside the shipped models folder against its shipped checksum
(:func:`~triqs_nnsolver.runtime.default_model.verify_shipped_model`). Load files from trusted sources only.

What is not here: exporting a model (the ``train`` layer does that) and any physics.
Layer: ``runtime`` (above ``model``/``train``, below ``impurity``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..checks import integer
from .default_model import verify_shipped_model
from .errors import InferenceError, ModelLoadError, ModelNotFoundError

__all__ = ["InputSpec", "PythonRunner", "CppRunner", "load_runner", "cpp_runtime_available", "checked_model_path"]

logger = logging.getLogger(__name__)

_ALLOWED_DTYPES = (np.float32, np.float64, np.int64)


@dataclass(frozen=True)
class InputSpec:
    """What a model's ``forward`` expects of one argument: a dtype, the batch axis, then one of ``shapes``."""

    name: str  # the argument's name in the model's forward, used in error messages
    dtype: np.dtype  # exact dtype; other dtypes are refused, not converted
    shapes: tuple[tuple[int, ...], ...]  # accepted shapes after the batch axis, e.g. ((64,), (64, 1))

    def __post_init__(self):
        object.__setattr__(self, "dtype", np.dtype(self.dtype))
        object.__setattr__(self, "shapes", tuple(tuple(int(n) for n in shape) for shape in self.shapes))

    def describe(self) -> str:
        """E.g. ``'float32 array of shape (batch, 64) or (batch, 64, 1)'``."""
        shapes = " or ".join("(" + ", ".join(["batch", *map(str, shape)]) + ")" for shape in self.shapes)
        return f"{self.dtype} array of shape {shapes}"


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


def _checked_inputs(inputs, specs: tuple[InputSpec, ...] | None, path: str) -> list[np.ndarray]:
    arrays = [np.ascontiguousarray(value) for value in inputs]
    if specs is None:
        for index, array in enumerate(arrays):
            if array.dtype.type not in _ALLOWED_DTYPES:
                raise TypeError(f"input {index} must be a float32, float64 or int64 array; got dtype {array.dtype}")
        return arrays
    if len(arrays) != len(specs):
        names = ", ".join(spec.name for spec in specs)
        raise TypeError(f"forward of model '{path}' takes {len(specs)} inputs ({names}); got {len(arrays)}")
    for index, (array, spec) in enumerate(zip(arrays, specs, strict=True)):
        label = f"input {index} ({spec.name}) of model '{path}'"
        if array.dtype != spec.dtype:
            raise TypeError(
                f"{label} must be a {spec.describe()}; got dtype {array.dtype} (the runner does not convert: "
                f"pass {spec.name}.astype(np.{spec.dtype}))"
            )
        if array.ndim == 0 or array.shape[1:] not in spec.shapes:
            raise ValueError(f"{label} must be a {spec.describe()}; got shape {array.shape}")
        if array.shape[0] != arrays[0].shape[0]:
            raise ValueError(
                f"{label} must have the batch size of input 0 ({specs[0].name}), {arrays[0].shape[0]}; "
                f"got shape {array.shape}"
            )
    return arrays


class _Runner:
    """Shared interface; subclasses set ``backend`` and implement ``_forward``."""

    backend = ""

    def __init__(self, path, num_threads: int | None = None, inputs: Sequence[InputSpec] | None = None):
        self.path = str(checked_model_path(path))
        self.inputs = None if inputs is None else tuple(inputs)
        self.checksum_verified = verify_shipped_model(self.path)  # before any TorchScript of the file runs
        if num_threads is not None:
            self.num_threads = num_threads

    @property
    def num_threads(self) -> int:
        """Intra-op threads of libtorch in this process (shared by both runners and by torch)."""
        return torch.get_num_threads()

    @num_threads.setter
    def num_threads(self, n: int) -> None:
        torch.set_num_threads(integer("num_threads", n, minimum=1))

    def forward(self, *inputs) -> np.ndarray:
        """Run the model on batched numpy inputs (batch first) and return its output as numpy.

        Raises
        ------
        TypeError
            An input's dtype is not allowed (float32, float64, int64; with ``inputs`` specs: the one of its
            spec), or (with specs) the number of inputs is wrong.
        ValueError
            With specs: an input's shape is not one of its spec, or the batch sizes differ.
        InferenceError
            The model failed on the inputs.
        """
        return self._forward(_checked_inputs(inputs, self.inputs, self.path))

    __call__ = forward

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path='{self.path}', backend='{self.backend}')"


class PythonRunner(_Runner):
    """Runner on ``torch.jit.load`` (always available where torch is)."""

    backend = "python"

    def __init__(self, path, num_threads: int | None = None, inputs: Sequence[InputSpec] | None = None):
        super().__init__(path, num_threads, inputs)
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

    def __init__(self, path, num_threads: int | None = None, inputs: Sequence[InputSpec] | None = None):
        cpp = _import_cpp_module()
        if cpp is None:
            raise ImportError(
                "the C++ runtime triqs_nnsolver._runtime is not built; reinstall the package with "
                "`pip install --no-build-isolation .` or use PythonRunner"
            )
        super().__init__(path, num_threads, inputs)
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


def load_runner(
    path, backend: str = "auto", num_threads: int | None = None, inputs: Sequence[InputSpec] | None = None
) -> PythonRunner | CppRunner:
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
    inputs : sequence of InputSpec, optional
        One spec per argument of the model's ``forward``: ``runner.forward`` then refuses arrays of another
        dtype or shape (no conversion). None: any float32, float64 or int64 arrays are passed on.

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
    runner = runner_class(path, num_threads, inputs)
    verified = " (shipped model, SHA-256 verified)" if runner.checksum_verified else ""
    logger.info("loaded model %s with the %s runtime%s", runner.path, runner.backend, verified)
    return runner
