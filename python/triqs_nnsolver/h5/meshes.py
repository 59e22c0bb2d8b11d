"""Mesh groups of TRIQS archives: reading every layout generation, writing the TRIQS >= 3.2 one.

The fields per mesh and TRIQS version are those of ``doc/h5.md`` Written here
(TRIQS >= 3.2, flat), and what is also read:

- ``MeshImFreq``: ``beta`` f64, ``statistic`` str, ``size`` i64, ``positive_freq_only`` i32;
  also ``domain/{beta, statistic}`` (TRIQS 2.x-3.1).
- ``MeshImTime``: ``beta``, ``statistic``, ``n_tau`` i64; also ``domain/{beta, statistic}`` with ``size``.
- ``MeshReFreq`` and ``MeshReTime``: ``min``, ``max`` f64, ``size`` i64 (same in every version).
- ``MeshLegendre``: ``beta``, ``statistic``, ``max_n`` i64; also ``domain/{beta, statistic, n_max}``.
- ``MeshReFreqPts`` (TRIQS 4.0): ``points`` f64[N]; also ``PointMesh`` (NRG Ljubljana interface, pre-4.0).
- ``MeshProduct``: subgroups ``MeshComponent0``, ``MeshComponent1``, ...

A ``MeshImFreq`` with ``positive_freq_only=1`` is returned as the full mesh with ``n_iw = size``; the caller
(the Gf reader) unfolds the data. What is not here: DLR, ``MeshReFreqLog``, ``MeshIndex`` and momentum meshes,
which raise :class:`UnsupportedFormatError`.

Layer: bottom (``h5``, beside ``gf``); h5py, numpy and :mod:`triqs_nnsolver.gf.mesh`.
"""

from __future__ import annotations

import h5py
import numpy as np

from ..gf.mesh import MeshImFreq, MeshImTime, MeshLegendre, MeshProduct, MeshReFreq, MeshReFreqPts, MeshReTime
from .exceptions import TriqsArchiveError, UnsupportedFormatError, where
from .formats import read_dataset, read_format, write_format, write_string

__all__ = ["MESH_FORMATS", "is_mesh_format", "read_mesh", "write_mesh"]

MESH_FORMATS = (
    "MeshImFreq",
    "MeshImTime",
    "MeshReFreq",
    "MeshReTime",
    "MeshLegendre",
    "MeshReFreqPts",
    "PointMesh",
    "MeshProduct",
)
"""Mesh ``Format`` tags this module reads."""


def is_mesh_format(tag: str) -> bool:
    """Whether ``tag`` names a TRIQS mesh (supported or not): it starts with ``Mesh`` or is ``PointMesh``."""
    return tag.startswith("Mesh") or tag == "PointMesh"


def _field(group: h5py.Group, tag: str, names: tuple[str, ...], in_domain: bool = False):
    """Value of the first of ``names`` present in ``group`` (or in its ``domain/`` subgroup if that exists)."""
    holder = group["domain"] if in_domain and "domain" in group else group
    for name in names:
        if name in holder:
            return read_dataset(holder[name])
    raise TriqsArchiveError(
        f"{where(holder)}: a {tag} mesh needs the field {' or '.join(map(repr, names))}; found fields {sorted(holder)}"
    )


def _integer(group: h5py.Group, tag: str, names: tuple[str, ...], in_domain: bool = False) -> int:
    value = _field(group, tag, names, in_domain)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TriqsArchiveError(f"{where(group)}: the {tag} field {names[0]!r} must be an integer; got {value!r}")
    return value


def _build(tag: str, group: h5py.Group, make):
    """Call the mesh constructor ``make``; its ValueError (bad beta, size, ...) becomes a TriqsArchiveError."""
    try:
        return make()
    except (ValueError, TypeError) as err:
        raise TriqsArchiveError(f"{where(group)}: invalid {tag} mesh: {err}") from err


def _read_imfreq(group: h5py.Group) -> tuple[MeshImFreq, bool]:
    tag = "MeshImFreq"
    beta = _field(group, tag, ("beta",), in_domain=True)
    statistic = _field(group, tag, ("statistic",), in_domain=True)
    size = _integer(group, tag, ("size",))
    positive_only = "positive_freq_only" in group and bool(read_dataset(group["positive_freq_only"]))
    if positive_only:
        return _build(tag, group, lambda: MeshImFreq(beta, statistic, size)), True
    mesh = _build(tag, group, lambda: MeshImFreq(beta, statistic, (size + 1) // 2))
    if len(mesh) != size:
        raise TriqsArchiveError(
            f"{where(group)}: a full {tag} mesh with statistic {mesh.statistic!r} must have an "
            f"{'even' if mesh.statistic == 'F' else 'odd'} size (2 n_iw for fermions, 2 n_iw - 1 for bosons); "
            f"got size = {size}"
        )
    return mesh, False


def _read_product(group: h5py.Group) -> MeshProduct:
    names = [name for name in group if name.startswith("MeshComponent")]
    expected = [f"MeshComponent{i}" for i in range(len(names))]
    if sorted(names) != sorted(expected) or not names:
        raise TriqsArchiveError(
            f"{where(group)}: a MeshProduct needs children MeshComponent0 .. MeshComponent<n-1>; found {sorted(group)}"
        )
    components = []
    for name in expected:
        component, positive_only = _read_any(group[name])
        if positive_only:
            raise UnsupportedFormatError(
                f"{where(group[name])}: a positive_freq_only MeshImFreq inside a MeshProduct cannot be unfolded; "
                "only full Matsubara meshes are supported as product components"
            )
        components.append(component)
    return _build("MeshProduct", group, lambda: MeshProduct(components))


def _read_any(group: h5py.Group) -> tuple:
    """Dispatch on the mesh ``Format``; returns ``(mesh, positive_freq_only)``."""
    if not isinstance(group, h5py.Group):
        raise TriqsArchiveError(f"{where(group)}: a mesh must be an HDF5 group; got a dataset")
    tag = read_format(group)
    if tag == "MeshImFreq":
        return _read_imfreq(group)
    if tag == "MeshImTime":
        beta, statistic = _field(group, tag, ("beta",), True), _field(group, tag, ("statistic",), True)
        n_tau = _integer(group, tag, ("n_tau", "size"))
        return _build(tag, group, lambda: MeshImTime(beta, statistic, n_tau)), False
    if tag in ("MeshReFreq", "MeshReTime"):
        low, high = _field(group, tag, ("min",)), _field(group, tag, ("max",))
        size = _integer(group, tag, ("size",))
        kind = MeshReFreq if tag == "MeshReFreq" else MeshReTime
        return _build(tag, group, lambda: kind(low, high, size)), False
    if tag == "MeshLegendre":
        beta, statistic = _field(group, tag, ("beta",), True), _field(group, tag, ("statistic",), True)
        n_l = _integer(group, tag, ("max_n", "n_max"), in_domain=True)
        return _build(tag, group, lambda: MeshLegendre(beta, statistic, n_l)), False
    if tag in ("MeshReFreqPts", "PointMesh"):
        points = _field(group, tag, ("points",))
        return _build(tag, group, lambda: MeshReFreqPts(points)), False
    if tag == "MeshProduct":
        return _read_product(group), False
    raise UnsupportedFormatError(
        f"{where(group)}: unsupported mesh Format {tag!r}; supported are {', '.join(MESH_FORMATS)}"
    )


def read_mesh(group: h5py.Group) -> tuple:
    """Read a TRIQS mesh group of any layout generation.

    Parameters
    ----------
    group : h5py.Group
        A group whose ``Format`` (or ``TRIQS_HDF5_data_scheme``) is one of :data:`MESH_FORMATS`.

    Returns
    -------
    mesh : MeshImFreq, MeshImTime, MeshReFreq, MeshReTime, MeshLegendre, MeshReFreqPts or MeshProduct
        ``PointMesh`` becomes :class:`MeshReFreqPts`; a ``positive_freq_only`` MeshImFreq of ``size`` points
        becomes the full mesh with ``n_iw = size``.
    positive_freq_only : bool
        True if the stored mesh held only the non-negative Matsubara frequencies, so that the data stored
        with it covers ``n = 0 .. size-1`` only.

    Raises
    ------
    TriqsArchiveError
        If a field is missing or invalid (the message names the path and the fields found).
    UnsupportedFormatError
        For a mesh ``Format`` not in :data:`MESH_FORMATS` (e.g. ``MeshDLR``).
    """
    return _read_any(group)


def write_mesh(parent: h5py.Group, key: str, mesh) -> h5py.Group:
    """Write ``mesh`` as the TRIQS >= 3.2 group ``parent[key]`` (flat fields, no ``domain``).

    Parameters
    ----------
    parent : h5py.Group
        Group open for writing; ``key`` must not exist in it.
    key : str
        Name of the mesh group (``'mesh'`` inside a Gf).
    mesh : mesh object of :mod:`triqs_nnsolver.gf.mesh`

    Returns
    -------
    h5py.Group

    Raises
    ------
    TypeError
        If ``mesh`` is not one of the seven mesh classes of :mod:`triqs_nnsolver.gf.mesh`.
    """
    writers = {
        MeshImFreq: ("MeshImFreq", _write_imfreq),
        MeshImTime: ("MeshImTime", _write_imtime),
        MeshReFreq: ("MeshReFreq", _write_linear),
        MeshReTime: ("MeshReTime", _write_linear),
        MeshLegendre: ("MeshLegendre", _write_legendre),
        MeshReFreqPts: ("MeshReFreqPts", _write_points),
        MeshProduct: ("MeshProduct", _write_product),
    }
    if type(mesh) not in writers:
        raise TypeError(f"mesh must be one of {[k.__name__ for k in writers]}; got {type(mesh).__name__}")
    tag, write = writers[type(mesh)]
    group = parent.create_group(key)
    write_format(group, tag)
    write(group, mesh)
    return group


def _write_imfreq(group: h5py.Group, mesh: MeshImFreq) -> None:
    group.create_dataset("beta", data=np.float64(mesh.beta))
    write_string(group, "statistic", mesh.statistic)
    group.create_dataset("size", data=np.int64(len(mesh)))
    group.create_dataset("positive_freq_only", data=np.int32(0))


def _write_imtime(group: h5py.Group, mesh: MeshImTime) -> None:
    group.create_dataset("beta", data=np.float64(mesh.beta))
    write_string(group, "statistic", mesh.statistic)
    group.create_dataset("n_tau", data=np.int64(mesh.n_tau))


def _write_linear(group: h5py.Group, mesh) -> None:
    low, high = (mesh.w_min, mesh.w_max) if isinstance(mesh, MeshReFreq) else (mesh.t_min, mesh.t_max)
    group.create_dataset("min", data=np.float64(low))
    group.create_dataset("max", data=np.float64(high))
    group.create_dataset("size", data=np.int64(len(mesh)))


def _write_legendre(group: h5py.Group, mesh: MeshLegendre) -> None:
    group.create_dataset("beta", data=np.float64(mesh.beta))
    write_string(group, "statistic", mesh.statistic)
    group.create_dataset("max_n", data=np.int64(mesh.n_l))


def _write_points(group: h5py.Group, mesh: MeshReFreqPts) -> None:
    group.create_dataset("points", data=np.asarray(mesh.points, dtype=np.float64))


def _write_product(group: h5py.Group, mesh: MeshProduct) -> None:
    for i, component in enumerate(mesh.components):
        write_mesh(group, f"MeshComponent{i}", component)
