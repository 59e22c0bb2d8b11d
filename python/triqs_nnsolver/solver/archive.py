"""A Solver in HDF5 archives: group ``Format='TriqsNNSolver'``, readable by TRIQS and by the package's reader.

The stored dict (``Solver.__reduce_to_dict__``) holds the constructor arguments, every Green's function
(``G0_iw``, ``G_iw``, ``Sigma_iw``, ``G_tau``, ``G_l``, ``Delta_tau``, ``A_w``, ``G_w``, ``Sigma_w``,
``Delta_w``, ``G0_w``), ``h_loc0``, ``Delta_infty``, ``densities``, ``last_solve_parameters``,
``solve_status`` and ``solve_report``, in the TRIQS >= 3.2 layout.

- With TRIQS: :func:`register_with_triqs` registers :class:`~triqs_nnsolver.solver.Solver` with TRIQS's
  ``h5.formats.register_class`` under the unique name ``TriqsNNSolver`` (hubbardI owns "Solver",
  ``TRIQS.md`` section 2.1), so ``ar['S'] = S`` and ``S = ar['S']`` work in a TRIQS ``HDFArchive``.
- Without TRIQS: :func:`write_solver` and :func:`read_solver` do the same on the package's own archives.
  The package's generic reader (``ar['S']``) returns the stored dict with an ``UnknownFormatWarning``.

The model itself is not stored, only its path; a Solver read back loads it when it next solves.
Layer: ``solver``.
"""

from __future__ import annotations

import warnings

from ..h5 import UnknownFormatWarning, h5_read, h5_write
from ..h5.formats import write_format
from .containers import is_block_gf, to_own, to_own_operator, triqs_gf_module
from .solver import Solver

__all__ = ["write_solver", "read_solver", "register_with_triqs"]


def _to_own_tree(value):
    """TRIQS BlockGfs and operators inside ``value`` converted to the package's types."""
    if isinstance(value, dict):
        return {k: _to_own_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_own_tree(v) for v in value)
    if is_block_gf(value):
        return to_own(value)
    if type(value).__module__.startswith("triqs.operators"):
        return to_own_operator(value)
    return value


def write_solver(group, key: str, solver) -> None:
    """Store ``solver`` under ``key`` of an open archive group (the package's ``HDFArchive`` or an h5py group)."""
    h5_group = getattr(group, "group", group)
    h5_write(h5_group, key, _to_own_tree(solver.__reduce_to_dict__()))
    write_format(h5_group[key], type(solver)._hdf5_format_)


def read_solver(group, key: str):
    """The Solver stored under ``key`` by :func:`write_solver` or by TRIQS (package containers)."""
    h5_group = getattr(group, "group", group)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownFormatWarning)  # the Solver's own Format tag, expected here
        d = h5_read(h5_group, key)
    return Solver.__factory_from_dict__(key, d)


def register_with_triqs() -> bool:
    """Register the Solver with TRIQS's ``h5`` class registry; False when TRIQS is absent."""
    if triqs_gf_module() is None:
        return False
    from h5.formats import register_class  # TRIQS's h5 package

    try:
        register_class(Solver)
    except AssertionError:  # already registered (module imported twice, e.g. by importlib in tests)
        pass
    return True
