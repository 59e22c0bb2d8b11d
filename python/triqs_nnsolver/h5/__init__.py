"""TRIQS HDF5 archives without TRIQS: read every layout from TRIQS 2.x to 4.0, write the TRIQS >= 3.2 one.

The format is described in ``doc/h5.md``; the reader is tested on six archives
written by TRIQS itself (``test/fixtures/triqs``). Green's functions come back as the containers of
:mod:`triqs_nnsolver.gf` (``Gf``, ``BlockGf``, ``Block2Gf`` on its meshes), Python containers as
``list``/``tuple``/``dict``, many-body operators as :class:`Operator`.

What is here: :class:`HDFArchive` (the TRIQS-style file object), :func:`h5_read`/:func:`h5_write` on open
h5py groups, :func:`read_mesh`/:func:`write_mesh`, and the error and warning classes.
What is not: conversion to real TRIQS objects (that happens at the ``solver`` boundary), MPI, DLR meshes.

Layer: bottom, beside ``gf``; h5py and numpy only, imports nothing of the package except ``gf``.
"""

from .archive import HDFArchive, HDFArchiveGroup
from .exceptions import TriqsArchiveError, UnknownFormatWarning, UnsupportedFormatError
from .meshes import read_mesh, write_mesh
from .operator import Operator
from .read import h5_read, read_node
from .write import h5_write

__all__ = [
    "HDFArchive",
    "HDFArchiveGroup",
    "h5_read",
    "h5_write",
    "read_node",
    "read_mesh",
    "write_mesh",
    "Operator",
    "TriqsArchiveError",
    "UnsupportedFormatError",
    "UnknownFormatWarning",
]
