"""triqs_nnsolver: a neural-network real-frequency quantum impurity solver for TRIQS.

The package maps a hybridization function and impurity parameters to the real-frequency spectral
function with a cross-attention transformer trained on complex-time MPS data
(arXiv:2511.14505, arXiv:2311.10909). See ``doc/`` and ``METHOD.md`` for the method and conventions.

``from triqs_nnsolver import Solver`` gives the TRIQS-style solver (``triqs_nnsolver.solver.Solver``);
it is imported on first access, so ``import triqs_nnsolver`` stays light (no scipy, torch or TRIQS).
"""

from .version import __version__

__all__ = ["__version__", "Solver"]


def __getattr__(name: str):
    if name == "Solver":
        from .solver import Solver

        return Solver
    raise AttributeError(f"module 'triqs_nnsolver' has no attribute {name!r}")
