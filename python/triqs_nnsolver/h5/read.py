"""Read objects from TRIQS archives (every layout from TRIQS 2.x to 4.0) with h5py only.

Dispatch is on the ``Format`` tag (or the legacy ``TRIQS_HDF5_data_scheme``), as in TRIQS's ``HDFArchive``:

- ``Gf`` -> :class:`~triqs_nnsolver.gf.Gf` (``indices`` and ``singularity`` subgroups are ignored);
- ``BlockGf`` -> :class:`~triqs_nnsolver.gf.BlockGf`, block order from ``block_names`` only;
- ``Block2Gf`` -> :class:`~triqs_nnsolver.gf.Block2Gf`, children ``<b1>_<b2>``;
- ``Mesh*`` and ``PointMesh`` -> a mesh of :mod:`triqs_nnsolver.gf.mesh` (:mod:`.meshes`);
- ``List``, ``Tuple``, ``Dict`` and legacy ``PythonListWrap``, ``PythonTupleWrap``, ``PythonDictWrap`` ->
  ``list``, ``tuple``, ``dict``; Dict keys are the stored strings (a tuple key reads ``"('down', 'up')"``);
- ``Operator`` (a compound dataset) -> :class:`~triqs_nnsolver.h5.operator.Operator`;
- no tag: a dataset -> Python scalar, ``str``, ``bool`` or numpy array; a group -> ``dict`` of its children;
- any other tag (``BlockStructure``, solver groups, ...) -> ``dict`` of the children plus an
  :class:`UnknownFormatWarning` naming the tag and path, as TRIQS warns and returns the raw group.

A Gf stored on a ``positive_freq_only`` Matsubara mesh is unfolded to the full mesh with
``G(-iw_n) = G(iw_n)^dagger``, as TRIQS's ``make_gf_from_real_gf`` does.
What is not here: writing (:mod:`.write`), file handling (:mod:`.archive`), the TRIQS class registry.

Layer: bottom (``h5``, beside ``gf``); h5py, numpy and :mod:`triqs_nnsolver.gf`.
"""

from __future__ import annotations

import warnings

import h5py
import numpy as np

from ..gf.container import Block2Gf, BlockGf, Gf
from .exceptions import TriqsArchiveError, UnknownFormatWarning, UnsupportedFormatError, where
from .formats import decode_string, read_array, read_dataset, read_format
from .meshes import is_mesh_format, read_mesh
from .operator import read_operator

__all__ = ["h5_read", "read_node"]

_LIST_TAGS = ("List", "PythonListWrap")
_TUPLE_TAGS = ("Tuple", "PythonTupleWrap")
_DICT_TAGS = ("Dict", "PythonDictWrap")


def h5_read(group: h5py.Group, key: str):
    """Read the object stored under ``key`` in ``group`` (TRIQS ``h5_read(g, key)``).

    Parameters
    ----------
    group : h5py.Group
        An open group (a ``h5py.File`` is its root group).
    key : str
        Name of a child of ``group`` (a relative path such as ``'G_iw/up'`` also works).

    Returns
    -------
    object
        See the module docstring.

    Raises
    ------
    KeyError
        If ``key`` is not in ``group``; the message names the key, the group path and its keys.
    TriqsArchiveError
        If the object is damaged; the message names the path inside the file.
    """
    if key not in group:
        raise KeyError(f"no key {key!r} in group {group.name!r} of file {group.file.filename!r}; keys: {list(group)}")
    return read_node(group[key])


def read_node(node: h5py.HLObject):
    """Read one group or dataset according to its format tag; see the module docstring.

    Parameters
    ----------
    node : h5py.Group or h5py.Dataset

    Returns
    -------
    object

    Raises
    ------
    TriqsArchiveError
        If the object is damaged (the message names its path).
    UnsupportedFormatError
        For valid TRIQS objects that are not supported here, e.g. a ``MeshDLR`` mesh.
    """
    tag = read_format(node)
    if isinstance(node, h5py.Dataset):
        if tag == "Operator":
            return read_operator(node)
        if tag:
            _warn_unknown(node, tag)
        return read_dataset(node)
    if tag == "Gf":
        return _read_gf(node)
    if tag == "BlockGf":
        return _read_block_gf(node)
    if tag == "Block2Gf":
        return _read_block2_gf(node)
    if is_mesh_format(tag):
        return read_mesh(node)[0]
    if tag in _LIST_TAGS:
        return _read_sequence(node)
    if tag in _TUPLE_TAGS:
        return tuple(_read_sequence(node))
    if tag and tag not in _DICT_TAGS:
        _warn_unknown(node, tag)
    return {name: read_node(child) for name, child in node.items()}


def _warn_unknown(node: h5py.HLObject, tag: str) -> None:
    kind = "dict of its children" if isinstance(node, h5py.Group) else "plain dataset value"
    warnings.warn(
        f"{where(node)}: no reader for Format {tag!r}; returning it as a {kind}", UnknownFormatWarning, stacklevel=3
    )


def _ordered_children(group: h5py.Group) -> list[str]:
    """Children of a List/Tuple group ("0", "1", ...) in numeric order."""
    try:
        return sorted(group, key=int)
    except ValueError:
        raise TriqsArchiveError(
            f"{where(group)}: children of a {read_format(group)} group must be named 0, 1, 2, ...; "
            f"found {sorted(group)}"
        ) from None


def _read_sequence(group: h5py.Group) -> list:
    return [read_node(group[name]) for name in _ordered_children(group)]


def _read_block_names(node: h5py.HLObject) -> list[str]:
    """Decode a ``block_names`` entry: a 1-D string dataset or a ``List`` group of scalar strings.

    Parameters
    ----------
    node : h5py.Dataset or h5py.Group
        The ``block_names`` (``block_names1``, ``block_names2``) child of a BlockGf (Block2Gf) group.

    Returns
    -------
    list of str
        Block names in stored order (for a group, ordered by the integer child names, never by link order).

    Raises
    ------
    TriqsArchiveError
        If the entries are not strings.
    """
    if isinstance(node, h5py.Dataset):
        if h5py.check_string_dtype(node.dtype) is None:
            raise TriqsArchiveError(f"{where(node)}: block names must be strings; got a dataset of dtype {node.dtype}")
        return [decode_string(v) for v in np.atleast_1d(node[()])]
    names = [read_node(node[child]) for child in _ordered_children(node)]
    if not all(isinstance(name, str) for name in names):
        raise TriqsArchiveError(f"{where(node)}: block names must be strings; got {names!r}")
    return names


def _child(group: h5py.Group, name: str, role: str) -> h5py.HLObject:
    """``group[name]``, or an error naming the path; ``role`` is a template such as ``'the Gf field {}'``."""
    if name not in group:
        raise TriqsArchiveError(
            f"{where(group)}: {role.format(repr(name))} is missing; the group has children {sorted(group)}"
        )
    return group[name]


def _unfold_positive_freq(data: np.ndarray, statistic: str, node: h5py.HLObject) -> np.ndarray:
    """Extend data on n = 0 .. n_iw-1 to the full Matsubara mesh with G(-iw_n) = G(iw_n)^dagger."""
    target_rank = data.ndim - 1
    if target_rank == 2:
        mirror = np.conj(np.swapaxes(data, -1, -2))
    elif target_rank == 0:
        mirror = np.conj(data)
    else:
        raise UnsupportedFormatError(
            f"{where(node)}: positive_freq_only data can be unfolded for scalar or matrix targets only; "
            f"got target rank {target_rank}"
        )
    if statistic == "F":  # stored n = 0 .. n_iw-1 <-> negative n = -1 .. -n_iw
        return np.concatenate([mirror[::-1], data])
    return np.concatenate([mirror[:0:-1], data])  # bosons: n = 0 is stored once


def _read_gf(group: h5py.Group) -> Gf:
    """Read a ``Gf`` group: its ``mesh`` and ``data``; ``indices`` and ``singularity`` are ignored.

    Parameters
    ----------
    group : h5py.Group
        A group with ``Format='Gf'``.

    Returns
    -------
    Gf
        ``data`` has shape ``(*mesh.shape, *target_shape)``, complex128 if stored with ``__complex__`` and
        real otherwise.

    Raises
    ------
    TriqsArchiveError
        If ``mesh`` or ``data`` is missing, or the leading data shape does not match the mesh.
    """
    mesh_group = _child(group, "mesh", "the Gf field {}")
    data_node = _child(group, "data", "the Gf field {}")
    if not isinstance(data_node, h5py.Dataset):
        raise TriqsArchiveError(f"{where(data_node)}: Gf data must be a dataset; got a group")
    mesh, positive_only = read_mesh(mesh_group)
    data = read_array(data_node)
    stored_shape = (mesh.n_iw,) if positive_only else tuple(mesh.shape)
    if data.shape[: len(stored_shape)] != stored_shape:
        raise TriqsArchiveError(
            f"{where(data_node)}: the leading data shape must match the mesh {mesh!r}"
            f"{' (positive_freq_only)' if positive_only else ''}: expected {stored_shape}, got data shape {data.shape}"
        )
    if positive_only:
        data = _unfold_positive_freq(data, mesh.statistic, data_node)
    return Gf(mesh, data)


def _read_gf_child(group: h5py.Group, name: str, role: str) -> Gf:
    child = _child(group, name, role)
    if not isinstance(child, h5py.Group) or read_format(child) != "Gf":
        found = "a dataset" if isinstance(child, h5py.Dataset) else f"Format {read_format(child)!r}"
        raise TriqsArchiveError(
            f"{where(child)}: {role.format(repr(name))} must be a group with Format 'Gf'; got {found}"
        )
    return _read_gf(child)


def _read_block_gf(group: h5py.Group) -> BlockGf:
    names = _read_block_names(_child(group, "block_names", "the BlockGf field {}"))
    blocks = [_read_gf_child(group, name, "block {} (listed in block_names)") for name in names]
    try:
        return BlockGf(names, blocks)
    except ValueError as err:  # repeated or reserved block names
        raise TriqsArchiveError(f"{where(group)}: invalid BlockGf: {err}") from err


def _read_block2_gf(group: h5py.Group) -> Block2Gf:
    names1 = _read_block_names(_child(group, "block_names1", "the Block2Gf field {}"))
    names2 = _read_block_names(_child(group, "block_names2", "the Block2Gf field {}"))
    role = "block {} (<b1>_<b2> from block_names1, block_names2)"
    rows = [[_read_gf_child(group, f"{b1}_{b2}", role) for b2 in names2] for b1 in names1]
    try:
        return Block2Gf(names1, names2, rows)
    except ValueError as err:
        raise TriqsArchiveError(f"{where(group)}: invalid Block2Gf: {err}") from err
