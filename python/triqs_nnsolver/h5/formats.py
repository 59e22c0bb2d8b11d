"""Low-level TRIQS h5 conventions: the format tag, strings, complex arrays, bool and scalars.

The rules are those of the TRIQS ``h5`` library (``doc/h5.md``):

- an object's type is the string attribute ``Format``, or in TRIQS <= 2.x files ``TRIQS_HDF5_data_scheme``;
- a complex array is stored as real numbers with a trailing axis of length 2 (re, im) and an attribute
  ``__complex__`` whose value does not matter (``'1'`` in TRIQS >= 3.0, int64 ``1`` in 2.x; only its presence
  is tested); a compound ``{r, i}`` dataset is also read as complex;
- a scalar string is a variable-length UTF-8 dataset, a list of strings a fixed-length (UTF-8 or ASCII) one;
- bool is an HDF5 enum over int8 (``FALSE=0, TRUE=1``), which is h5py's own bool type.

What is here: decoding of those conventions for one dataset or attribute, and the matching writers of the
TRIQS >= 3.2 form. What is not: Green's functions, meshes and containers (``read``, ``write``, ``meshes``).

Layer: bottom (``h5``, beside ``gf``); h5py and numpy only.
"""

from __future__ import annotations

import h5py
import numpy as np

from .exceptions import TriqsArchiveError, where

__all__ = [
    "FORMAT_ATTRIBUTES",
    "decode_string",
    "read_format",
    "write_format",
    "read_array",
    "read_dataset",
    "write_array",
    "write_string",
    "write_scalar",
]

FORMAT_ATTRIBUTES = ("Format", "TRIQS_HDF5_data_scheme")
"""Attribute names holding the type tag, in the order TRIQS tries them (``h5/format.cpp: read_hdf5_format``)."""

_UTF8 = h5py.string_dtype("utf-8")  # variable-length UTF-8: TRIQS's scalar std::string
_NUMERIC_KINDS = "biufc"  # bool, signed, unsigned, float, complex


def decode_string(value) -> str:
    """Return ``value`` as ``str``, decoding ``bytes``/``numpy.bytes_`` as UTF-8 (ASCII is a subset)."""
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).decode("utf-8")
    return str(value)


def read_format(node: h5py.HLObject) -> str:
    """Type tag of a group or dataset: ``Format``, else ``TRIQS_HDF5_data_scheme``, else ``''``.

    Parameters
    ----------
    node : h5py.Group or h5py.Dataset

    Returns
    -------
    str
        For example ``'BlockGf'``, ``'MeshImFreq'``, ``'List'``; empty when neither attribute is set or both are empty.
    """
    for attribute in FORMAT_ATTRIBUTES:
        if attribute in node.attrs:
            tag = decode_string(node.attrs[attribute])
            if tag:
                return tag
    return ""


def write_format(node: h5py.HLObject, tag: str) -> None:
    """Set ``Format`` to ``tag`` as a scalar variable-length UTF-8 attribute, as TRIQS >= 3.0 does."""
    node.attrs.create("Format", tag, dtype=_UTF8)


def read_array(dataset: h5py.Dataset) -> np.ndarray:
    """Read a numeric dataset, combining the trailing (re, im) axis when ``__complex__`` is present.

    Parameters
    ----------
    dataset : h5py.Dataset
        A real dataset, a real dataset with a trailing axis of length 2 and the ``__complex__`` attribute,
        or a compound ``{r, i}`` dataset.

    Returns
    -------
    numpy.ndarray
        Real arrays as stored; complex ones as complex128 without the trailing axis.

    Raises
    ------
    TriqsArchiveError
        If ``__complex__`` is set but the last axis does not have length 2.
    """
    values = dataset[()]
    if dataset.dtype.names is not None and set(dataset.dtype.names) == {"r", "i"}:
        return np.asarray(values["r"] + 1j * values["i"])
    if "__complex__" not in dataset.attrs:
        return np.asarray(values)
    if dataset.ndim == 0 or dataset.shape[-1] != 2:
        raise TriqsArchiveError(
            f"{where(dataset)}: a dataset with the __complex__ attribute must end with an axis of length 2 "
            f"(re, im); got shape {dataset.shape}"
        )
    return values[..., 0] + 1j * values[..., 1]


def read_dataset(dataset: h5py.Dataset):
    """Read a plain dataset (no ``Format``) into Python: strings, bool, scalars or arrays.

    Parameters
    ----------
    dataset : h5py.Dataset

    Returns
    -------
    str, bool, int, float, complex or numpy.ndarray
        A 0-d dataset becomes a Python scalar (a string dataset a ``str``); an array of strings becomes a
        numpy array of ``str``; other arrays are returned as by :func:`read_array`, with bool kept as ``bool_``.
    """
    if h5py.check_string_dtype(dataset.dtype) is not None:
        values = dataset[()]
        if dataset.ndim == 0:
            return decode_string(values)
        return np.array([decode_string(v) for v in np.ravel(values)], dtype=str).reshape(dataset.shape)
    values = read_array(dataset)
    if values.ndim == 0 and values.dtype.names is None:
        return values.item()
    return values


def write_array(group: h5py.Group, key: str, array: np.ndarray) -> h5py.Dataset:
    """Write a numeric or string array as TRIQS does.

    Complex arrays are stored as float64 with a trailing (re, im) axis and ``__complex__='1'``; real, integer
    and bool arrays as they are; arrays of ``str`` as fixed-length UTF-8 strings of length longest + 1
    (the TRIQS ``std::vector<std::string>`` layout).

    Parameters
    ----------
    group : h5py.Group
        Parent group, open for writing.
    key : str
        Name of the new dataset; must not exist yet.
    array : numpy.ndarray
        dtype kind bool, integer, float, complex, or str.

    Returns
    -------
    h5py.Dataset

    Raises
    ------
    TypeError
        For other dtypes (object, structured, datetime, ...).
    """
    if array.dtype.kind == "c":
        pairs = np.stack([array.real, array.imag], axis=-1).astype(np.float64)
        dataset = group.create_dataset(key, data=pairs)
        dataset.attrs.create("__complex__", "1", dtype=_UTF8)
        return dataset
    if array.dtype.kind in _NUMERIC_KINDS:
        return group.create_dataset(key, data=array)
    if array.dtype.kind == "U":
        encoded = np.char.encode(array, "utf-8")
        width = max((len(s) for s in np.ravel(encoded)), default=0) + 1  # + 1: TRIQS keeps a null terminator
        utf8_fixed = h5py.string_dtype("utf-8", width)  # on the numpy side too: h5py cannot convert ASCII -> UTF-8
        return group.create_dataset(key, data=encoded.astype(utf8_fixed))
    raise TypeError(
        f"cannot store an array of dtype {array.dtype} under key {key!r} in {group.name!r}; "
        "supported are bool, integer, float, complex and str arrays"
    )


def write_string(group: h5py.Group, key: str, text: str) -> h5py.Dataset:
    """Write ``text`` as a scalar variable-length UTF-8 dataset (TRIQS ``std::string``)."""
    return group.create_dataset(key, data=text, dtype=_UTF8)


def write_scalar(group: h5py.Group, key: str, value) -> h5py.Dataset:
    """Write a bool, integer, float or complex scalar as TRIQS does.

    bool becomes the HDF5 enum ``FALSE=0, TRUE=1`` over int8; a Python ``int`` becomes int64 (C++ ``long``)
    and a ``float`` float64; numpy scalars keep their dtype; a complex becomes a shape-(2,) float64 dataset
    with ``__complex__``.

    Parameters
    ----------
    group : h5py.Group
        Parent group, open for writing.
    key : str
        Name of the new dataset.
    value : bool, int, float, complex or numpy scalar
        The value; other types are the caller's to reject.

    Returns
    -------
    h5py.Dataset
    """
    if isinstance(value, (bool, np.bool_)):
        return group.create_dataset(key, data=np.bool_(value))
    if isinstance(value, (complex, np.complexfloating)):
        return write_array(group, key, np.asarray(value, dtype=np.complex128))
    if isinstance(value, int):
        return group.create_dataset(key, data=np.int64(value))
    if isinstance(value, float):
        return group.create_dataset(key, data=np.float64(value))
    return group.create_dataset(key, data=value)
