"""The interaction and one-body terms the model can represent, read from a many-body operator.

The model is the Anderson impurity ``H_loc = eps_d (n_up + n_dn) + U n_up n_dn`` (``METHOD.md``
section 1). :func:`interaction_from_operator` reads ``U`` from the ``n_up n_dn`` term of ``h_int`` and
the level shift from its quadratic terms ``e n_s`` (equal on both spins), and refuses anything else
(pair hopping, spin flips, off-diagonal or spin-dependent terms) with a message saying what is
supported. It accepts a TRIQS ``triqs.operators.Operator`` (iterating gives ``(monomial, coefficient)``
with a monomial a list of ``(dagger, [block, index])``) and the package's own
:class:`triqs_nnsolver.h5.Operator` (``.terms`` of ``(coefficient, monomial)``), so no TRIQS import is needed.

Layer: ``solver``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..h5 import Operator as OwnOperator

__all__ = ["LocalTerms", "interaction_from_operator"]

_SUPPORTED = (
    "supported: U n_up n_dn, one-body terms e (n_up + n_dn) with the same e on both spins, and a constant; "
    "blocks {blocks}, orbital index 0"
)
_IMAG_TOL = 1e-12  # |Im coefficient| accepted as rounding (TRIQS operators store complex coefficients)


@dataclass(frozen=True)
class LocalTerms:
    """What an operator contributes to the Anderson impurity (energy unit of the operator's coefficients)."""

    U: float  # coefficient of n_up n_dn
    level_shift: float  # e of e (n_up + n_dn), added to the impurity level eps_d
    constant: float  # energy offset (does not change spectra)


def _terms(operator):
    """``(coefficient, [(dagger, (block, index)), ...])`` of a TRIQS or own operator."""
    if isinstance(operator, OwnOperator):
        return [(complex(c), [(bool(d), tuple(i)) for d, i in m]) for c, m in operator.terms]
    try:
        items = list(operator)
        return [(complex(c), [(bool(d), tuple(i)) for d, i in m]) for m, c in items]
    except (TypeError, ValueError) as err:
        raise TypeError(
            "h_int must be a many-body operator (triqs.operators.Operator or triqs_nnsolver.h5.Operator); "
            f"got an object of type {type(operator).__name__}"
        ) from err


def _coefficient(value: complex, name: str, where: str) -> float:
    if abs(value.imag) > _IMAG_TOL * max(1.0, abs(value.real)):
        raise NotImplementedError(f"{name}: complex coefficient {value} in {where}; the model needs real couplings")
    return value.real


def interaction_from_operator(operator, block_names: list[str], name: str = "h_int") -> LocalTerms:
    """Read ``U``, the level shift and the constant of an operator on two spin blocks of one orbital.

    Parameters
    ----------
    operator : triqs.operators.Operator or triqs_nnsolver.h5.Operator
        E.g. ``U * n('up', 0) * n('down', 0)``.
    block_names : list of str
        The two spin blocks of ``gf_struct``, e.g. ``['up', 'down']``.
    name : str
        The argument name used in error messages (``'h_int'`` or ``'h_loc0'``).

    Returns
    -------
    LocalTerms

    Raises
    ------
    TypeError
        If ``operator`` is not an operator.
    NotImplementedError
        For a term the model cannot represent; the message names the term and lists what is supported.
    """
    supported = _SUPPORTED.format(blocks=block_names)
    valid = {(block, 0) for block in block_names}
    U, constant = 0.0, 0.0
    shifts = dict.fromkeys(block_names, 0.0)
    for coefficient, monomial in _terms(operator):
        where = f"the term {coefficient} * {monomial}"
        unknown = [index for _, index in monomial if index not in valid]
        if unknown:
            raise NotImplementedError(f"{name}: {where} acts on {unknown}, outside the impurity; {supported}")
        daggers = [dagger for dagger, _ in monomial]
        indices = [index for _, index in monomial]
        if not monomial:
            constant += _coefficient(coefficient, name, where)
        elif daggers == [True, False] and indices[0] == indices[1]:
            shifts[indices[0][0]] += _coefficient(coefficient, name, where)
        elif daggers == [True, True, False, False] and indices[0] != indices[1] and {*indices[:2]} == {*indices[2:]}:
            # c+_a c+_b c_b c_a = n_a n_b, c+_a c+_b c_a c_b = -n_a n_b
            sign = 1.0 if indices[2] == indices[1] else -1.0
            U += sign * _coefficient(coefficient, name, where)
        else:
            raise NotImplementedError(f"{name}: the model cannot represent {where}; {supported}")
    values = list(shifts.values())
    if max(values) - min(values) > _IMAG_TOL * max(1.0, *map(abs, values)):
        raise NotImplementedError(
            f"{name}: spin-dependent one-body terms {shifts}; the model is paramagnetic; {supported}"
        )
    return LocalTerms(U=U, level_shift=values[0], constant=constant)
