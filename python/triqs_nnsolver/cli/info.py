"""What ``triqs-nnsolver info`` reports: versions of the package and its dependencies, and which
optional parts (C++ runtime, MPI, TRIQS) are available here.

Layer: ``cli``. Imports of optional parts happen inside the functions, so a missing one is reported
rather than raised.
"""

from __future__ import annotations

import importlib
import platform

__all__ = ["collect_info", "format_info"]


def _version_of(module_name: str) -> str:
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        return f"not importable ({err})"
    return str(getattr(module, "__version__", "unknown version"))


def _mpi_description() -> str:
    try:
        import mpi4py
        from mpi4py import MPI
    except ImportError as err:
        return f"not importable ({err})"
    library = " ".join(MPI.Get_library_version().splitlines()[0].split())
    return f"mpi4py {mpi4py.__version__}, {library}"


def _triqs_description() -> str:
    try:
        import triqs
    except ImportError:
        return "not importable (the package works without it, with its own Green's-function containers)"
    try:
        from triqs.version import version
    except ImportError:
        version = getattr(triqs, "__version__", "unknown version")
    return f"importable, version {version}"


def _runtime_description() -> str:
    from ..runtime import cpp_runtime_available

    if cpp_runtime_available():
        from .. import _runtime

        return f"built (libtorch {_runtime.torch_version})"
    return "not built (the pure-Python runner on torch.jit is used)"


def collect_info() -> dict[str, str]:
    """Name -> description of the package, Python, dependencies and optional parts, in print order."""
    from ..version import __version__

    return {
        "triqs_nnsolver": __version__,
        "python": platform.python_version(),
        "torch": _version_of("torch"),
        "numpy": _version_of("numpy"),
        "scipy": _version_of("scipy"),
        "h5py": _version_of("h5py"),
        "MPI": _mpi_description(),
        "C++ runtime": _runtime_description(),
        "TRIQS": _triqs_description(),
    }


def format_info(info: dict[str, str]) -> str:
    """Aligned ``name : description`` lines."""
    width = max(len(name) for name in info)
    return "\n".join(f"{name:<{width}} : {description}" for name, description in info.items())
