"""TRIQS many-body operators (``@Format='Operator'``) as stored in archives, read and written without TRIQS.

An operator is a sum of normal-ordered monomials ``coefficient * c_dag(i1) ... c(j1)``. TRIQS stores it
(``c++/triqs/operators/many_body_operator.cpp``, ``TRIQS.md`` section 3.8) as a 1-D compound dataset with one
record per monomial, fields ``is_real:i4``, ``re:f8``, ``im:f8``, ``op_indices:i8[4]``, where in ``op_indices``
``k > 0`` is ``c_dag`` of fundamental index ``k-1``, ``k < 0`` is ``c`` of index ``|k|-1`` and ``0`` ends the
monomial (so at most 4 operators per monomial). The attribute ``fundamental_operator_set`` is a 2-D string
array giving each linear index as a tuple whose elements are prefixed ``s`` (str) or ``i`` (int):
``[b'sup_0', b'i0']`` is ``('up_0', 0)``.

What is here: :class:`Operator`, a small read-only value object (terms plus fundamental set) that the reader
returns, and the functions that read and write the dataset. What is not: operator algebra (sums, products,
commutators) and Hilbert-space construction; use ``triqs.operators`` for those.

Layer: bottom (``h5``, beside ``gf``); h5py and numpy only.
"""

from __future__ import annotations

from collections.abc import Iterable

import h5py
import numpy as np

from .exceptions import TriqsArchiveError, where
from .formats import decode_string, write_format

__all__ = ["Operator", "read_operator", "write_operator"]

_MAX_OPERATORS = 4  # TRIQS's fixed width of op_indices
_RECORD = np.dtype(  # same names, formats, offsets and itemsize as the TRIQS compound type
    {
        "names": ["is_real", "re", "im", "op_indices"],
        "formats": ["<i4", "<f8", "<f8", ("<i8", (_MAX_OPERATORS,))],
        "offsets": [0, 8, 16, 24],
        "itemsize": 56,
    }
)


class Operator:
    """A fermionic many-body operator in normal-ordered form; immutable.

    Parameters
    ----------
    terms : iterable of (complex, sequence of (bool, tuple))
        One ``(coefficient, monomial)`` pair per term. A monomial is a sequence of ``(dagger, index)``:
        ``dagger`` is True for ``c_dag`` and ``index`` a tuple such as ``('up', 0)``. The empty monomial is
        the constant term.
    fundamental_operator_set : iterable of tuple, optional
        The index tuples in their linear order (the order TRIQS numbers them in the file). Default: the
        order in which indices first appear in ``terms``.

    Attributes
    ----------
    terms : tuple of (complex, tuple of (bool, tuple))
    fundamental_operator_set : tuple of tuple

    Examples
    --------
    ``U n_up n_down`` is ``Operator([(U, [(True, ('up', 0)), (True, ('down', 0)), (False, ('down', 0)),
    (False, ('up', 0))])])``.
    """

    __slots__ = ("_terms", "_fundamental_operator_set")

    def __init__(self, terms: Iterable, fundamental_operator_set: Iterable | None = None):
        terms = tuple(
            (complex(coefficient), tuple((bool(dagger), tuple(index)) for dagger, index in monomial))
            for coefficient, monomial in terms
        )
        indices = [index for _, monomial in terms for _, index in monomial]
        if fundamental_operator_set is None:
            fundamental_operator_set = dict.fromkeys(indices)
        fundamental_operator_set = tuple(tuple(index) for index in fundamental_operator_set)
        missing = sorted(set(indices) - set(fundamental_operator_set), key=repr)
        if missing:
            raise ValueError(f"fundamental_operator_set must contain every index of terms; missing {missing}")
        object.__setattr__(self, "_terms", terms)
        object.__setattr__(self, "_fundamental_operator_set", fundamental_operator_set)

    def __setattr__(self, name, value):
        raise AttributeError(f"Operator is read-only; cannot set {name!r}")

    @property
    def terms(self) -> tuple:
        """``(coefficient, monomial)`` pairs; a monomial is a tuple of ``(dagger, index)``."""
        return self._terms

    @property
    def fundamental_operator_set(self) -> tuple:
        """Index tuples in their linear (file) order."""
        return self._fundamental_operator_set

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, Operator)
            and self.terms == other.terms
            and self.fundamental_operator_set == other.fundamental_operator_set
        )

    def __hash__(self) -> int:
        return hash((self.terms, self.fundamental_operator_set))

    def __repr__(self) -> str:
        def operator_text(dagger, index):
            return f"c{'_dag' if dagger else ''}({', '.join(map(repr, index))})"

        parts = [
            "*".join([f"{c.real:g}" if c.imag == 0 else f"{c:g}"] + [operator_text(*op) for op in monomial])
            for c, monomial in self.terms
        ]
        return " + ".join(parts) if parts else "0"


def _decode_index(row, dataset: h5py.Dataset) -> tuple:
    index = []
    for element in np.atleast_1d(row):
        text = decode_string(element)
        if text[:1] == "s":
            index.append(text[1:])
        elif text[:1] == "i":
            index.append(int(text[1:]))
        else:
            raise TriqsArchiveError(
                f"{where(dataset)}: fundamental_operator_set elements start with 's' (string) or 'i' (int); "
                f"got {text!r}"
            )
    return tuple(index)


def read_operator(dataset: h5py.Dataset) -> Operator:
    """Read an ``Operator`` compound dataset.

    The ``is_real`` field is not used: the coefficient is always ``re + 1j*im``. (In the solid_dmft fixture
    ``is_real`` reads 782914305 = 0x2eaa5301 in every record: TRIQS writes a one-byte bool into the int32
    slot and the upper three bytes are uninitialised.)

    Parameters
    ----------
    dataset : h5py.Dataset
        1-D compound dataset with fields ``re``, ``im``, ``op_indices`` and the ``fundamental_operator_set``
        attribute.

    Returns
    -------
    Operator

    Raises
    ------
    TriqsArchiveError
        If a field or the attribute is missing, or an operator index is outside the fundamental set.
    """
    names = dataset.dtype.names or ()
    if not {"re", "im", "op_indices"} <= set(names) or "fundamental_operator_set" not in dataset.attrs:
        raise TriqsArchiveError(
            f"{where(dataset)}: an Operator dataset needs fields re, im, op_indices and the attribute "
            f"fundamental_operator_set; got fields {list(names)} and attributes {sorted(dataset.attrs)}"
        )
    stored_set = np.asarray(dataset.attrs["fundamental_operator_set"])
    rows = stored_set if stored_set.ndim == 2 else stored_set.reshape(-1, 1)
    fundamental_set = [_decode_index(row, dataset) for row in rows]
    terms = []
    for record in np.atleast_1d(dataset[()]):
        monomial = []
        for k in record["op_indices"]:
            if k == 0:
                break
            if abs(k) > len(fundamental_set):
                raise TriqsArchiveError(
                    f"{where(dataset)}: op_indices entry {int(k)} refers to fundamental index {abs(int(k)) - 1}, "
                    f"but the fundamental_operator_set has {len(fundamental_set)} entries"
                )
            monomial.append((bool(k > 0), fundamental_set[abs(int(k)) - 1]))
        terms.append((complex(record["re"], record["im"]), monomial))
    return Operator(terms, fundamental_set)


def _encode_index(index: tuple) -> list[bytes]:
    encoded = []
    for element in index:
        if isinstance(element, (int, np.integer)) and not isinstance(element, bool):
            encoded.append(f"i{int(element)}".encode())
        elif isinstance(element, str):
            encoded.append(f"s{element}".encode())
        else:
            raise TypeError(f"operator index elements must be str or int; got {element!r} in index {index!r}")
    return encoded


def write_operator(group: h5py.Group, key: str, operator: Operator) -> h5py.Dataset:
    """Write ``operator`` as the TRIQS compound dataset ``group[key]`` with ``Format='Operator'``.

    Parameters
    ----------
    group : h5py.Group
        Parent group, open for writing; ``key`` must not exist.
    key : str
        Dataset name.
    operator : Operator

    Returns
    -------
    h5py.Dataset

    Raises
    ------
    ValueError
        If a monomial has more than 4 operators (TRIQS's storage limit) or the index tuples differ in length.
    """
    position = {index: i for i, index in enumerate(operator.fundamental_operator_set)}
    records = np.zeros(len(operator.terms), dtype=_RECORD)
    for row, (coefficient, monomial) in enumerate(operator.terms):
        if len(monomial) > _MAX_OPERATORS:
            raise ValueError(
                f"TRIQS stores at most {_MAX_OPERATORS} operators per monomial; term {row} has {len(monomial)}"
            )
        records[row]["is_real"] = int(coefficient.imag == 0)
        records[row]["re"], records[row]["im"] = coefficient.real, coefficient.imag
        for slot, (dagger, index) in enumerate(monomial):
            records[row]["op_indices"][slot] = (position[index] + 1) * (1 if dagger else -1)
    encoded = [_encode_index(index) for index in operator.fundamental_operator_set]
    if len({len(row) for row in encoded}) > 1:
        raise ValueError(
            f"all indices of the fundamental_operator_set must have the same length; got "
            f"{list(operator.fundamental_operator_set)}"
        )
    width = max((len(s) for row in encoded for s in row), default=0) + 1  # + 1: null terminator, as TRIQS
    dataset = group.create_dataset(key, data=records)
    dataset.attrs.create(
        "fundamental_operator_set", np.array(encoded, dtype=f"S{width}"), dtype=h5py.string_dtype("utf-8", width)
    )
    write_format(dataset, "Operator")
    return dataset
