"""Light containers for Green's functions: ``Gf`` (one mesh, one data array) and ``BlockGf``/``Block2Gf``.

They are the project's data model for TRIQS archives and for everything the solver returns when
TRIQS is not importable. They hold data and nothing else: no arithmetic, no operator overloading
(the transforms in this package work on the ``data`` arrays).

Data layout, as in TRIQS: ``data[*mesh.shape, *target_shape]``; a matrix-valued Green's function of
an n-orbital block has ``target_shape == (n, n)``.

Layer: bottom (``gf``); numpy only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

__all__ = ["Gf", "BlockGf", "Block2Gf"]


class Gf:
    """A Green's function on a mesh.

    Parameters
    ----------
    mesh : mesh object from :mod:`triqs_nnsolver.gf.mesh`
        The mesh; ``data.shape`` must start with ``mesh.shape``.
    data : array_like
        Values, shape ``(*mesh.shape, *target_shape)``; stored as given (complex or real).
    name : str, optional
        A label, as TRIQS's ``Gf(name=...)``; not stored in archives.
    """

    def __init__(self, mesh, data, name: str = ""):
        data = np.asarray(data)
        mesh_shape = tuple(mesh.shape)
        if data.shape[: len(mesh_shape)] != mesh_shape:
            raise ValueError(
                f"data must have shape (*mesh.shape, *target_shape) with mesh.shape = {mesh_shape}; "
                f"got data.shape = {data.shape}"
            )
        self.mesh = mesh
        self.data = data
        self.name = name

    @classmethod
    def zeros(cls, mesh, target_shape: Sequence[int] = (1, 1), name: str = "") -> Gf:
        """A complex Gf filled with zeros, of shape ``(*mesh.shape, *target_shape)``."""
        return cls(mesh, np.zeros(tuple(mesh.shape) + tuple(target_shape), dtype=complex), name=name)

    @property
    def target_shape(self) -> tuple[int, ...]:
        return self.data.shape[len(self.mesh.shape) :]

    def copy(self) -> Gf:
        return Gf(self.mesh, self.data.copy(), name=self.name)

    def __repr__(self) -> str:
        return f"Gf(mesh={self.mesh!r}, target_shape={self.target_shape}, dtype={self.data.dtype})"


def _check_names(argument: str, names: Sequence[str]) -> list[str]:
    names = [str(n) for n in names]
    if not names:
        raise ValueError(f"{argument} must name at least one block; got an empty list")
    if len(set(names)) != len(names):
        raise ValueError(f"{argument} must be unique; got {names}")
    if "block_names" in names:
        raise ValueError(f"'block_names' is reserved by the TRIQS archive format and cannot name a block; got {names}")
    return names


class BlockGf:
    """Ordered blocks of Green's functions, as TRIQS's ``BlockGf(name_list=..., block_list=...)``.

    Iteration yields ``(name, gf)`` pairs in block order, as in TRIQS; ``G[name]`` returns a block.

    Parameters
    ----------
    name_list : sequence of str
        Block names in order (e.g. ``['up', 'down']``); the order is part of the data.
    block_list : sequence of Gf
        One Gf per name.
    name : str, optional
        A label; not stored in archives.
    """

    def __init__(self, name_list: Sequence[str], block_list: Sequence[Gf], name: str = ""):
        names = _check_names("name_list", name_list)
        blocks = list(block_list)
        if len(blocks) != len(names):
            raise ValueError(f"name_list and block_list must have equal lengths; got {len(names)} and {len(blocks)}")
        for block_name, block in zip(names, blocks, strict=True):
            if not isinstance(block, Gf):
                raise TypeError(f"block {block_name!r} must be a Gf; got {type(block).__name__}")
        self._blocks = dict(zip(names, blocks, strict=True))
        self.name = name

    @classmethod
    def from_gf_struct(cls, mesh, gf_struct: Sequence[tuple[str, int]], name: str = "") -> BlockGf:
        """Zero-filled complex BlockGf with one ``n x n`` block per ``(name, n)`` pair of ``gf_struct``."""
        pairs = [(str(block_name), int(size)) for block_name, size in gf_struct]
        return cls([n for n, _ in pairs], [Gf.zeros(mesh, (s, s), name=n) for n, s in pairs], name=name)

    @property
    def block_names(self) -> list[str]:
        return list(self._blocks)

    @property
    def indices(self) -> list[str]:
        """Block names in order (TRIQS spelling)."""
        return self.block_names

    @property
    def mesh(self):
        """The mesh shared by all blocks; raises if the blocks have different meshes."""
        meshes = [g.mesh for g in self._blocks.values()]
        if any(m != meshes[0] for m in meshes[1:]):
            raise ValueError(f"the blocks of this BlockGf have different meshes: {meshes}")
        return meshes[0]

    def __getitem__(self, block_name: str) -> Gf:
        try:
            return self._blocks[block_name]
        except KeyError:
            raise KeyError(f"no block {block_name!r}; the blocks are {self.block_names}") from None

    def __iter__(self) -> Iterator[tuple[str, Gf]]:
        return iter(self._blocks.items())

    def __len__(self) -> int:
        return len(self._blocks)

    def __contains__(self, block_name: str) -> bool:
        return block_name in self._blocks

    def copy(self) -> BlockGf:
        return BlockGf(self.block_names, [g.copy() for g in self._blocks.values()], name=self.name)

    def __repr__(self) -> str:
        return f"BlockGf(blocks={self.block_names}, mesh={self._blocks[self.block_names[0]].mesh!r})"


class Block2Gf:
    """Two-index blocks ``G[b1, b2]`` (TRIQS ``Block2Gf``), e.g. two-particle functions.

    Parameters
    ----------
    name_list1, name_list2 : sequence of str
        Block names of the first and second index.
    block_list : sequence of sequence of Gf
        ``block_list[i][j]`` is the block ``(name_list1[i], name_list2[j])``.
    """

    def __init__(self, name_list1: Sequence[str], name_list2: Sequence[str], block_list, name: str = ""):
        self.block_names1 = _check_names("name_list1", name_list1)
        self.block_names2 = _check_names("name_list2", name_list2)
        rows = [list(row) for row in block_list]
        if len(rows) != len(self.block_names1) or any(len(r) != len(self.block_names2) for r in rows):
            raise ValueError(
                f"block_list must be a {len(self.block_names1)} x {len(self.block_names2)} nested list; "
                f"got row lengths {[len(r) for r in rows]}"
            )
        self._blocks = {
            (b1, b2): rows[i][j] for i, b1 in enumerate(self.block_names1) for j, b2 in enumerate(self.block_names2)
        }
        self.name = name

    def __getitem__(self, key: tuple[str, str]) -> Gf:
        try:
            return self._blocks[tuple(key)]
        except KeyError:
            raise KeyError(f"no block {key!r}; the blocks are {list(self._blocks)}") from None

    def __iter__(self) -> Iterator[tuple[tuple[str, str], Gf]]:
        return iter(self._blocks.items())

    def __len__(self) -> int:
        return len(self._blocks)

    def __repr__(self) -> str:
        return f"Block2Gf(block_names1={self.block_names1}, block_names2={self.block_names2})"
