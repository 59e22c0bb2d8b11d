"""Block structure of the impurity: TRIQS ``gf_struct`` in all the forms TRIQS accepts, and what the model supports.

TRIQS >= 3.1 writes ``gf_struct`` as a list of ``(block_name, block_size)`` pairs, and the order of the
pairs is the block order (``TRIQS.md`` section 1.1). Older scripts pass ``(block_name, [indices])`` pairs
or a dict ``{block_name: [indices]}``; TRIQS's ``fix_gf_struct_type`` converts those with a warning, and
:func:`parse_gf_struct` does the same (it logs instead of printing).

The network solves the spin-degenerate single-orbital Anderson model (``METHOD.md`` section 1): the
impurity must be two blocks of size 1, one per spin. :func:`check_single_orbital` says so when it is not.

Layer: ``solver``; numpy only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np

__all__ = ["parse_gf_struct", "check_single_orbital"]

logger = logging.getLogger(__name__)

_EXPECTED = "a list of (block_name: str, block_size: int) pairs, e.g. [('up', 1), ('down', 1)]"


def _block_size(name: str, size) -> int:
    if isinstance(size, (int, np.integer)) and not isinstance(size, (bool, np.bool_)):
        if size < 1:
            raise ValueError(f"gf_struct: block {name!r} must have size >= 1; got size {size}")
        return int(size)
    if isinstance(size, (list, tuple, range, np.ndarray)):  # TRIQS <= 3.0: the list of orbital indices
        if len(size) < 1:
            raise ValueError(f"gf_struct: block {name!r} has an empty index list")
        return len(size)
    raise ValueError(f"gf_struct must be {_EXPECTED}; got block {name!r} with size {size!r}")


def parse_gf_struct(gf_struct) -> list[tuple[str, int]]:
    """``gf_struct`` as a list of ``(block_name, block_size)`` pairs, in block order.

    Parameters
    ----------
    gf_struct : list of (str, int), list of (str, list), or dict
        The TRIQS block structure. The old forms (index lists instead of sizes, a dict) are converted,
        with a log message, as TRIQS's ``fix_gf_struct_type`` does.

    Returns
    -------
    list of (str, int)

    Raises
    ------
    ValueError
        If ``gf_struct`` is empty, a pair is malformed, a name is not a non-empty string or repeats, or a
        size is not a positive integer; the message names the block and what was received.
    """
    if isinstance(gf_struct, Mapping):
        logger.info("gf_struct given as a dict; converting to [(name, size), ...]")
        pairs = list(gf_struct.items())
    elif isinstance(gf_struct, (list, tuple)):
        pairs = list(gf_struct)
    else:
        raise ValueError(f"gf_struct must be {_EXPECTED}; got an object of type {type(gf_struct).__name__}")
    if not pairs:
        raise ValueError(f"gf_struct must be {_EXPECTED}; got an empty {type(gf_struct).__name__}")
    parsed = []
    for pair in pairs:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"gf_struct must be {_EXPECTED}; got the entry {pair!r}")
        name, size = pair
        if not isinstance(name, str) or not name:
            raise ValueError(f"gf_struct: block names must be non-empty strings; got {name!r}")
        if not isinstance(size, (int, np.integer)):
            logger.info("gf_struct block %r given with an index list; converting to its size", name)
        parsed.append((name, _block_size(name, size)))
    names = [name for name, _ in parsed]
    if len(set(names)) != len(names):
        raise ValueError(f"gf_struct: block names must be unique; got {names}")
    return parsed


def check_single_orbital(gf_struct: list[tuple[str, int]]) -> None:
    """Raise unless ``gf_struct`` is one orbital with spin: exactly two blocks of size 1.

    Raises
    ------
    NotImplementedError
        For a block larger than 1 or a number of blocks other than two (several orbitals, or no spin);
        the message states what is supported.
    """
    large = [(name, size) for name, size in gf_struct if size > 1]
    if large:
        raise NotImplementedError(
            f"multi-orbital is not supported yet: the model solves one orbital with spin, gf_struct = "
            f"[(spin_up, 1), (spin_down, 1)]; got blocks larger than 1: {large}"
        )
    if len(gf_struct) != 2:
        raise NotImplementedError(
            "the model solves one orbital with spin: gf_struct must have exactly two blocks of size 1 "
            f"(e.g. [('up', 1), ('down', 1)]); got {len(gf_struct)} blocks: {gf_struct} "
            "(several 1x1 blocks are several orbitals: multi-orbital is not supported yet)"
        )
