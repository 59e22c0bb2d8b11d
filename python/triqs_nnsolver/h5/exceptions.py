"""Errors and warnings of the TRIQS-archive reader and writer, and the helper that names a place in a file.

What is here: :class:`TriqsArchiveError` (a damaged or inconsistent archive), :class:`UnsupportedFormatError`
(a valid TRIQS object this package cannot represent, such as a DLR mesh), :class:`UnknownFormatWarning` (a
group whose ``Format`` has no reader here; it is returned as a plain dict, as TRIQS returns the raw group)
and :func:`where`, which every message uses so that it names the file and the path inside it.
What is not here: any reading or writing.

Layer: bottom (``h5``, beside ``gf``); h5py only.
"""

from __future__ import annotations

import h5py

__all__ = ["TriqsArchiveError", "UnsupportedFormatError", "UnknownFormatWarning", "where"]


class TriqsArchiveError(ValueError):
    """An archive object is damaged or inconsistent with the TRIQS format (``TRIQS.md`` section 3).

    The message names the file, the path inside it (e.g. ``'/G_iw/up/mesh'``), what was found and what
    was expected.
    """


class UnsupportedFormatError(TriqsArchiveError, NotImplementedError):
    """A valid TRIQS object that this package does not represent (e.g. ``MeshDLR``).

    It is both a :class:`TriqsArchiveError` (so one ``except`` catches every reading failure) and a
    :class:`NotImplementedError`; the message lists what is supported.
    """


class UnknownFormatWarning(UserWarning):
    """A group carries a ``Format`` this package has no reader for; its children are returned as a dict."""


def where(node: h5py.HLObject) -> str:
    """Describe the location of an HDF5 object for error messages.

    Parameters
    ----------
    node : h5py.Group or h5py.Dataset
        An open object.

    Returns
    -------
    str
        ``"'/path/inside' in file 'name.h5'"``.
    """
    return f"{node.name!r} in file {node.file.filename!r}"
