"""triqs_nnsolver: a neural-network real-frequency quantum impurity solver for TRIQS.

The package maps a hybridization function and impurity parameters to the real-frequency spectral
function with a cross-attention transformer trained on complex-time MPS data
(arXiv:2511.14505, arXiv:2311.10909). See ``doc/`` and ``METHOD.md`` for the method and conventions.
"""

from .version import __version__

__all__ = ["__version__"]
