"""Command line of triqs_nnsolver (``triqs-nnsolver``); top layer: parses, then calls the library."""

from .main import main

__all__ = ["main"]
