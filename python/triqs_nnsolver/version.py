"""Package version (single source: read by pyproject.toml through scikit-build-core's regex provider).

Layer: bottom.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
