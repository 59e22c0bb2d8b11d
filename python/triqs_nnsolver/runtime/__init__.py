"""Inference runtime: load an exported TorchScript model and run it, in C++ (libtorch) or Python.

Layer: ``runtime``; see :mod:`triqs_nnsolver.runtime.runners`.
"""

from .runners import (
    CppRunner,
    InferenceError,
    ModelLoadError,
    PythonRunner,
    cpp_runtime_available,
    load_runner,
)

__all__ = ["CppRunner", "InferenceError", "ModelLoadError", "PythonRunner", "cpp_runtime_available", "load_runner"]
