"""Write objects to TRIQS archives in the TRIQS >= 3.2 layout, readable by TRIQS 3.2, 3.3 and 4.0.

What is written (``doc/h5.md``):

- :class:`~triqs_nnsolver.gf.Gf`: group ``Format='Gf'`` with ``data`` (complex as float64 ``[..., 2]`` plus
  ``__complex__='1'``, real as is) and a ``mesh`` group; no ``indices``;
- :class:`~triqs_nnsolver.gf.BlockGf`: group ``Format='BlockGf'``, ``block_names`` as a ``List`` group of
  scalar UTF-8 strings (what Python TRIQS writes), one Gf group per block;
- :class:`~triqs_nnsolver.gf.Block2Gf`: ``Format='Block2Gf'``, ``block_names1``, ``block_names2``, Gfs ``<b1>_<b2>``;
- a mesh of :mod:`triqs_nnsolver.gf.mesh`: the flat TRIQS >= 3.2 mesh group (:mod:`.meshes`);
- :class:`~.operator.Operator`: the ``Operator`` compound dataset;
- ``dict``, ``list``, ``tuple``: groups ``Dict`` (child names ``str(key)``), ``List``, ``Tuple`` ("0", "1", ...);
- ``str``, ``bool``, int, float, complex: scalar datasets (variable-length UTF-8, enum bool, int64, float64,
  complex pair);
- ``numpy.ndarray``: a dataset (complex with the trailing-2 convention, str as fixed-length UTF-8).

Writing under an existing key replaces it. What is not here: reading (:mod:`.read`), the TRIQS 2.x/3.1
layouts, objects with ``__reduce_to_dict__`` (store their dict instead), and ``None``.

Layer: bottom (``h5``, beside ``gf``); h5py, numpy and :mod:`triqs_nnsolver.gf`.
"""

from __future__ import annotations

import numbers

import h5py
import numpy as np

from ..gf.container import Block2Gf, BlockGf, Gf
from ..gf.mesh import MeshImFreq, MeshImTime, MeshLegendre, MeshProduct, MeshReFreq, MeshReFreqPts, MeshReTime
from .formats import write_array, write_format, write_scalar, write_string
from .meshes import write_mesh
from .operator import Operator, write_operator

__all__ = ["h5_write", "check_key"]

_MESH_TYPES = (MeshImFreq, MeshImTime, MeshLegendre, MeshProduct, MeshReFreq, MeshReFreqPts, MeshReTime)


def check_key(key) -> str:
    """Return ``key`` if it can name a child in a TRIQS archive, else raise.

    Raises
    ------
    TypeError
        If ``key`` is not a ``str``.
    ValueError
        If ``key`` is empty, ``'.'``, or contains ``'/'`` (TRIQS forbids it: it would create nested groups).
    """
    if not isinstance(key, str):
        raise TypeError(f"archive keys must be str; got {key!r} of type {type(key).__name__}")
    if key in ("", ".") or "/" in key:
        raise ValueError(f"archive keys must be non-empty, not '.', and contain no '/'; got key = {key!r}")
    return key


def h5_write(group: h5py.Group, key: str, obj) -> None:
    """Store ``obj`` under ``key`` in ``group`` in the TRIQS >= 3.2 layout, replacing any existing ``key``.

    Parameters
    ----------
    group : h5py.Group
        Group of a file open for writing.
    key : str
        Child name; see :func:`check_key`.
    obj : object
        Any type listed in the module docstring; dict keys are converted with ``str`` as TRIQS does (a tuple key
        ``('down', 'up')`` becomes ``"('down', 'up')"``).

    Raises
    ------
    TypeError
        If ``obj`` (or a value nested in it) has an unsupported type; the message names its key and type.
    ValueError
        For a bad key (see :func:`check_key`), or a dict whose keys collide after ``str``.
    """
    check_key(key)
    if key in group:
        del group[key]
    try:
        _write(group, key, obj)
    except BaseException:
        if key in group:  # do not leave a half-written object behind
            del group[key]
        raise


def _new_group(parent: h5py.Group, key: str, tag: str) -> h5py.Group:
    group = parent.create_group(key)
    write_format(group, tag)
    return group


def _write_gf(parent: h5py.Group, key: str, gf: Gf) -> None:
    group = _new_group(parent, key, "Gf")
    write_array(group, "data", np.asarray(gf.data))
    write_mesh(group, "mesh", gf.mesh)


def _write_names(parent: h5py.Group, key: str, names: list[str]) -> None:
    _write(parent, key, list(names))  # a List group, as Python TRIQS's BlockGf.__reduce_to_dict__ produces


def _write_block_gf(parent: h5py.Group, key: str, block_gf: BlockGf) -> None:
    group = _new_group(parent, key, "BlockGf")
    _write_names(group, "block_names", block_gf.block_names)
    for name, gf in block_gf:
        _write_gf(group, check_key(name), gf)


def _write_block2_gf(parent: h5py.Group, key: str, block2_gf: Block2Gf) -> None:
    group = _new_group(parent, key, "Block2Gf")
    _write_names(group, "block_names1", block2_gf.block_names1)
    _write_names(group, "block_names2", block2_gf.block_names2)
    for (b1, b2), gf in block2_gf:
        _write_gf(group, check_key(f"{b1}_{b2}"), gf)


def _write_dict(parent: h5py.Group, key: str, mapping: dict) -> None:
    names = [str(k) for k in mapping]
    if len(set(names)) != len(names):
        raise ValueError(f"the keys of the dict stored under {key!r} collide after str(): {names}")
    group = _new_group(parent, key, "Dict")
    for name, value in zip(names, mapping.values(), strict=True):
        _write(group, check_key(name), value)


def _write_sequence(parent: h5py.Group, key: str, items, tag: str) -> None:
    group = _new_group(parent, key, tag)
    for i, value in enumerate(items):
        _write(group, str(i), value)


def _write(parent: h5py.Group, key: str, obj) -> None:
    """Dispatch on the type of ``obj``; ``parent[key]`` does not exist yet."""
    if isinstance(obj, Gf):
        _write_gf(parent, key, obj)
    elif isinstance(obj, BlockGf):
        _write_block_gf(parent, key, obj)
    elif isinstance(obj, Block2Gf):
        _write_block2_gf(parent, key, obj)
    elif isinstance(obj, _MESH_TYPES):
        write_mesh(parent, key, obj)
    elif isinstance(obj, Operator):
        write_operator(parent, key, obj)
    elif isinstance(obj, dict):
        _write_dict(parent, key, obj)
    elif isinstance(obj, (list, tuple)):
        _write_sequence(parent, key, obj, "Tuple" if isinstance(obj, tuple) else "List")
    elif isinstance(obj, (str, np.str_)):
        write_string(parent, key, str(obj))
    elif isinstance(obj, (bool, np.bool_, numbers.Number)):
        write_scalar(parent, key, obj)
    elif isinstance(obj, np.ndarray):
        write_array(parent, key, obj)
    else:
        raise TypeError(
            f"cannot store an object of type {type(obj).__name__} under key {key!r} in {parent.name!r}; supported are "
            "Gf, BlockGf, Block2Gf, meshes, Operator, dict, list, tuple, str, bool, numbers and numpy arrays"
        )
