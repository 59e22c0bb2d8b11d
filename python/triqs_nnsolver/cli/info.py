"""What ``triqs-nnsolver info`` reports: versions of the package and its dependencies, and which
optional parts (C++ runtime, MPI, TRIQS) are available here.

Versions come from the installed packages' metadata and the C++ extension is found, not loaded, so ``info``
imports neither torch nor the package's own stacks. mpi4py and TRIQS are imported (inside the functions, so a
missing one is reported rather than raised). Layer: ``cli``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import platform

__all__ = ["collect_info", "format_info", "add_arguments", "run_info"]


def _version_of(distribution: str) -> str:
    """The installed version of ``distribution``, read from its metadata (the package is not imported)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


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
    # found, not imported: loading the extension would load libtorch, which `info` leaves alone
    if importlib.util.find_spec(f"{__package__.rpartition('.')[0]}._runtime") is not None:
        return "built (extension triqs_nnsolver._runtime, against the torch wheel's libtorch)"
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


def run_info(_arguments: argparse.Namespace) -> int:
    """The ``info`` command: print :func:`collect_info`. Returns 0."""
    print(format_info(collect_info()))
    return 0


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    """``info`` takes no arguments; sets the function it runs (``cli.main``)."""
    parser.set_defaults(run=run_info)
