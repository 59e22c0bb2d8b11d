"""The boundary to TRIQS: block Green's functions as real TRIQS ``BlockGf`` when TRIQS is importable, else our own.

The solver computes on numpy arrays; only allocation and conversion happen here. Both kinds of
container have the same block names, meshes and ``data`` layout ``(n_mesh, 1, 1)``, so the solver
reads inputs and writes outputs through ``G[name].data`` alone.

- :func:`triqs_gf_module`: ``triqs.gfs`` (TRIQS 4), else ``triqs.gf`` (TRIQS 3), else None.
- :func:`new_block_gf`: a zero BlockGf of either kind on one of our meshes.
- :func:`own_mesh`: our mesh equal to the mesh of a TRIQS or own Gf (to compare meshes).
- :func:`to_own` / :func:`to_triqs`: copies from one kind to the other (archives, ``<<`` from ours).
- :func:`level_operator`, :func:`to_own_operator`, :func:`add_operators`: ``h_loc0`` and ``h_loc`` as TRIQS
  operators or as our :class:`~triqs_nnsolver.h5.Operator`.
- :func:`storable`: a value without the ``None`` entries HDF5 archives cannot hold (TRIQS's or ours).

Layer: ``solver``, the only layer that imports ``triqs`` (``STYLE.md`` section 3).
"""

from __future__ import annotations

import functools
import importlib

import numpy as np

from ..gf import BlockGf, Gf, MeshImFreq, MeshImTime, MeshLegendre, MeshReFreq
from ..h5 import Operator

__all__ = [
    "triqs_gf_module",
    "use_triqs",
    "new_block_gf",
    "own_mesh",
    "to_own",
    "to_triqs",
    "is_block_gf",
    "level_operator",
    "to_own_operator",
    "add_operators",
    "storable",
]


@functools.cache
def triqs_gf_module():
    """``triqs.gfs`` or ``triqs.gf``, or None when TRIQS is not importable."""
    for name in ("triqs.gfs", "triqs.gf"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def use_triqs(containers: str) -> bool:
    """Whether to build TRIQS objects: ``containers`` is 'auto' (if importable), 'triqs' or 'own'."""
    if containers not in ("auto", "triqs", "own"):
        raise ValueError(f"containers must be 'auto', 'triqs' or 'own'; got containers = {containers!r}")
    if containers == "triqs" and triqs_gf_module() is None:
        raise ImportError("containers = 'triqs' needs TRIQS (import triqs.gfs or triqs.gf failed)")
    return containers == "triqs" or (containers == "auto" and triqs_gf_module() is not None)


def _triqs_mesh(mesh):
    """The TRIQS mesh equal to one of ours (TRIQS 4 keyword names, TRIQS 3 ones as fallback)."""
    gfs = triqs_gf_module()
    if isinstance(mesh, MeshImFreq):
        statistic = {"F": "Fermion", "B": "Boson"}[mesh.statistic]
        try:
            return gfs.MeshImFreq(beta=mesh.beta, statistic=statistic, n_iw=mesh.n_iw)
        except TypeError:
            return gfs.MeshImFreq(beta=mesh.beta, S=statistic, n_iw=mesh.n_iw)
    if isinstance(mesh, MeshImTime):
        statistic = {"F": "Fermion", "B": "Boson"}[mesh.statistic]
        try:
            return gfs.MeshImTime(beta=mesh.beta, statistic=statistic, n_tau=mesh.n_tau)
        except TypeError:
            return gfs.MeshImTime(beta=mesh.beta, S=statistic, n_tau=mesh.n_tau)
    if isinstance(mesh, MeshLegendre):
        statistic = {"F": "Fermion", "B": "Boson"}[mesh.statistic]
        try:
            return gfs.MeshLegendre(beta=mesh.beta, statistic=statistic, max_n=mesh.n_l)
        except TypeError:
            return gfs.MeshLegendre(beta=mesh.beta, S=statistic, n_max=mesh.n_l)
    if isinstance(mesh, MeshReFreq):
        return gfs.MeshReFreq(mesh.w_min, mesh.w_max, mesh.n_w)
    raise TypeError(f"no TRIQS counterpart for the mesh {mesh!r}")


def _statistic(mesh) -> str:
    return "F" if "Fermion" in str(mesh.statistic) or str(mesh.statistic) == "F" else "B"


def own_mesh(mesh):
    """Our mesh equal to ``mesh`` (one of ours, or a TRIQS MeshImFreq/MeshImTime/MeshLegendre/MeshReFreq)."""
    if isinstance(mesh, (MeshImFreq, MeshImTime, MeshLegendre, MeshReFreq)):
        return mesh
    kind = type(mesh).__name__
    if kind == "MeshImFreq":
        if mesh.positive_only():
            raise ValueError(f"a Matsubara mesh with positive frequencies only is not supported; got {mesh}")
        return MeshImFreq(mesh.beta, _statistic(mesh), len(mesh) // 2 + (_statistic(mesh) == "B"))
    if kind == "MeshImTime":
        return MeshImTime(mesh.beta, _statistic(mesh), len(mesh))
    if kind == "MeshLegendre":
        return MeshLegendre(mesh.beta, _statistic(mesh), len(mesh))
    if kind == "MeshReFreq":
        return MeshReFreq(mesh.w_min, mesh.w_max, len(mesh))
    raise TypeError(f"unsupported mesh type {kind}: expected MeshImFreq, MeshImTime, MeshLegendre or MeshReFreq")


def is_block_gf(obj) -> bool:
    """True for our BlockGf and for a TRIQS BlockGf."""
    if isinstance(obj, BlockGf):
        return True
    gfs = triqs_gf_module()
    return gfs is not None and isinstance(obj, gfs.BlockGf)


def new_block_gf(mesh, block_names: list[str], triqs: bool, name: str = ""):
    """A complex zero BlockGf with 1x1 blocks ``block_names`` on ``mesh`` (one of ours): TRIQS's or ours."""
    if not triqs:
        return BlockGf(block_names, [Gf.zeros(mesh, (1, 1), name=b) for b in block_names], name=name)
    gfs = triqs_gf_module()
    triqs_mesh = _triqs_mesh(mesh)
    blocks = [gfs.Gf(mesh=triqs_mesh, target_shape=[1, 1], name=b) for b in block_names]
    return gfs.BlockGf(name_list=list(block_names), block_list=blocks, name=name, make_copies=False)


def to_own(block_gf) -> BlockGf:
    """A copy of a TRIQS or own BlockGf as our BlockGf (for our archive writer)."""
    names = [name for name, _ in block_gf]
    blocks = [Gf(own_mesh(g.mesh), np.array(g.data, copy=True), name=name) for name, g in block_gf]
    return BlockGf(names, blocks, name=getattr(block_gf, "name", ""))


def to_triqs(block_gf):
    """A copy of our BlockGf as a TRIQS BlockGf (needs TRIQS)."""
    if triqs_gf_module() is None:
        raise ImportError("to_triqs needs TRIQS (import triqs.gfs or triqs.gf failed)")
    names = [name for name, _ in block_gf]
    out = new_block_gf(own_mesh(block_gf.mesh), names, triqs=True, name=getattr(block_gf, "name", ""))
    for name, g in block_gf:
        out[name].data[:] = g.data
    return out


def level_operator(eps: float, block_names: list[str], triqs: bool):
    """``eps * sum_s n(s, 0)`` over the spin blocks: TRIQS's Operator or our :class:`~triqs_nnsolver.h5.Operator`."""
    if triqs:
        operators = importlib.import_module("triqs.operators")
        return sum((eps * operators.n(block, 0) for block in block_names), operators.Operator())
    terms = [(eps, [(True, (block, 0)), (False, (block, 0))]) for block in block_names]
    return Operator(terms)


def to_own_operator(operator) -> Operator:
    """Our :class:`~triqs_nnsolver.h5.Operator` equal to a TRIQS operator (or ``operator`` itself if ours)."""
    if isinstance(operator, Operator):
        return operator
    return Operator([(complex(c), [(bool(d), tuple(i)) for d, i in m]) for m, c in operator])


def add_operators(first, second):
    """``first + second`` for two TRIQS operators, or the concatenated terms of two of ours."""
    if isinstance(first, Operator) or isinstance(second, Operator):
        first, second = to_own_operator(first), to_own_operator(second)
        return Operator(first.terms + second.terms)
    return first + second


def storable(value):
    """``value`` without the ``None`` entries that HDF5 archives cannot hold (dicts and lists, recursively)."""
    if isinstance(value, dict):
        return {str(k): storable(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return type(value)(storable(v) for v in value if v is not None)
    return value
