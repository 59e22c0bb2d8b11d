"""A small ``HDFArchive`` with the look of TRIQS's ``h5.HDFArchive``, on h5py and without TRIQS.

Usage, as in TRIQS::

    with HDFArchive("results.h5", "w") as ar:
        ar["G_iw"] = G_iw                      # BlockGf, Gf, mesh, dict, list, numpy array, scalar, str ...
        ar.create_group("params")
        ar["params"]["beta"] = 10.0
    with HDFArchive("results.h5", "r") as ar:
        G_iw = ar["G_iw"]
        "params" in ar, list(ar.keys())

A key whose HDF5 group has no ``Format`` is returned as a sub-archive (:class:`HDFArchiveGroup`), as TRIQS
does; every other object is read by :func:`~triqs_nnsolver.h5.read.read_node` and written by
:func:`~triqs_nnsolver.h5.write.h5_write` (TRIQS >= 3.2 layout). What is not here: MPI (open archives on one
rank only, as with TRIQS), the TRIQS class registry (``register_class``), ``__reduce_to_dict__`` objects.

Layer: bottom (``h5``, beside ``gf``); h5py only.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping

import h5py

from .formats import read_format
from .read import h5_read
from .write import check_key, h5_write

__all__ = ["HDFArchive", "HDFArchiveGroup"]

_OPEN_FLAGS = ("r", "w", "a")


class HDFArchiveGroup(MutableMapping):
    """A group of a TRIQS archive, used like a dict: ``ar[key]``, ``ar[key] = obj``, ``del ar[key]``, ``key in ar``.

    Parameters
    ----------
    group : h5py.Group
        The open HDF5 group; it stays owned by the :class:`HDFArchive` that opened the file.

    Attributes
    ----------
    group : h5py.Group
        The underlying h5py group, for direct access.
    """

    def __init__(self, group: h5py.Group):
        self.group = group

    @property
    def name(self) -> str:
        """Path of this group inside the file, e.g. ``'/DMFT_results/last_iter'``."""
        return self.group.name

    def _check_key(self, key) -> str:
        if key not in self.group:
            raise KeyError(
                f"no key {key!r} in group {self.group.name!r} of archive {self.group.file.filename!r}; "
                f"keys: {list(self.group)}"
            )
        return key

    def __getitem__(self, key: str):
        """Read ``key``: a sub-archive for a group without ``Format``, otherwise the decoded object.

        Raises
        ------
        KeyError
            If ``key`` is absent; the message names the key and the group path.
        TriqsArchiveError
            If the stored object is damaged.
        """
        node = self.group[self._check_key(key)]
        if isinstance(node, h5py.Group) and not read_format(node):
            return HDFArchiveGroup(node)
        return h5_read(self.group, key)

    def __setitem__(self, key: str, value) -> None:
        """Store ``value`` under ``key`` (replacing it) in the TRIQS >= 3.2 layout; see :func:`h5_write`.

        Raises
        ------
        PermissionError
            If the archive was opened with ``'r'``.
        """
        self._check_writable(key)
        h5_write(self.group, key, value)

    def __delitem__(self, key: str) -> None:
        self._check_writable(key)
        del self.group[self._check_key(key)]

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and key in self.group

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.group))

    def __len__(self) -> int:
        return len(self.group)

    def _check_writable(self, key) -> None:
        if self.group.file.mode != "r+":  # h5py reports 'r+' for archives opened with 'w' or 'a'
            raise PermissionError(
                f"archive {self.group.file.filename!r} is open read-only; cannot modify key {key!r} "
                f"in group {self.group.name!r}"
            )

    def create_group(self, key: str) -> HDFArchiveGroup:
        """Create an empty sub-group ``key`` (replacing an existing ``key``) and return it.

        Raises
        ------
        PermissionError
            If the archive is read-only.
        ValueError, TypeError
            For an invalid key (empty, containing ``'/'``, not a ``str``).
        """
        self._check_writable(check_key(key))
        if key in self.group:
            del self.group[key]
        return HDFArchiveGroup(self.group.create_group(key))

    def is_group(self, key: str) -> bool:
        """Whether ``key`` is an HDF5 group (a sub-archive or a stored object such as a BlockGf)."""
        return isinstance(self.group[self._check_key(key)], h5py.Group)

    def is_data(self, key: str) -> bool:
        """Whether ``key`` is an HDF5 dataset (an array, scalar or string)."""
        return isinstance(self.group[self._check_key(key)], h5py.Dataset)

    def __repr__(self) -> str:
        return f"HDFArchiveGroup({self.group.file.filename!r}, {self.group.name!r}, keys={list(self.group)})"


class HDFArchive(HDFArchiveGroup):
    """A TRIQS-compatible HDF5 archive file, as ``h5.HDFArchive(url_name, open_flag)``.

    Parameters
    ----------
    url_name : str or os.PathLike
        Path of the HDF5 file.
    open_flag : {'r', 'w', 'a'}
        ``'r'`` read only; ``'w'`` create or truncate; ``'a'`` read and write, creating the file if needed.

    Raises
    ------
    ValueError
        For any other ``open_flag``.
    OSError
        If the file cannot be opened (missing for ``'r'``, not HDF5, no permission).

    Examples
    --------
    >>> with HDFArchive("out.h5", "w") as ar:  # doctest: +SKIP
    ...     ar["beta"] = 10.0
    """

    def __init__(self, url_name, open_flag: str = "a"):
        if open_flag not in _OPEN_FLAGS:
            raise ValueError(f"open_flag must be one of {_OPEN_FLAGS}; got open_flag = {open_flag!r}")
        self.open_flag = open_flag
        super().__init__(h5py.File(url_name, open_flag))

    def close(self) -> None:
        """Close the file; the archive and its sub-archives cannot be used afterwards."""
        self.group.file.close()

    def __enter__(self) -> HDFArchive:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        if not self.group.id.valid:
            return "HDFArchive(<closed>)"
        return f"HDFArchive({self.group.file.filename!r}, {self.open_flag!r}, keys={list(self.group)})"
