"""A Solver in HDF5 archives: group ``Format='TriqsNNSolver'``, readable by TRIQS and by the package's reader.

The stored dict (:func:`solver_to_dict`) holds the constructor arguments, every Green's function
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

import numpy as np

from ..h5 import UnknownFormatWarning, h5_read, h5_write
from ..h5.formats import write_format
from .containers import is_block_gf, to_own, to_own_operator, triqs_gf_module

__all__ = ["GF_ATTRIBUTES", "solver_to_dict", "solver_from_dict", "write_solver", "read_solver", "register_with_triqs"]

GF_ATTRIBUTES = (
    "G0_iw", "G_iw", "G_iw_raw", "Sigma_iw", "Sigma_iw_raw", "G_tau", "Delta_tau", "G_l",
    "A_w", "G_w", "G0_w", "Sigma_w", "Delta_w",
)  # fmt: skip
_SETTINGS = ("beta", "n_iw", "n_tau", "n_l", "n_w", "w_min", "w_max", "n_bath", "eta", "model")
_STATE = ("h_loc0", "Delta_infty", "densities", "last_solve_parameters", "solve_status", "solve_report")


def _storable(value):
    """``value`` without the ``None`` entries that HDF5 archives cannot hold (dicts and lists, recursively)."""
    if isinstance(value, dict):
        return {str(k): _storable(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return type(value)(_storable(v) for v in value if v is not None)
    return value


def solver_to_dict(solver) -> dict:
    """The archive content of ``solver`` (its own container kind: TRIQS objects or the package's)."""
    d = {name: getattr(solver, name) for name in _SETTINGS if getattr(solver, name) is not None}
    d["gf_struct"] = [(name, size) for name, size in solver.gf_struct]
    d.update({name: getattr(solver, name) for name in GF_ATTRIBUTES})
    d.update({name: getattr(solver, name) for name in _STATE if getattr(solver, name) is not None})
    return _storable(d)


def solver_from_dict(cls, d: dict):
    """A Solver rebuilt from :func:`solver_to_dict`; its model is loaded on the next ``solve``."""
    from .impurity import FreeImpuritySolver

    triqs = not isinstance(d["G_iw"], type(to_own(d["G_iw"])))
    settings = {name: d[name] for name in _SETTINGS if name in d and name != "model"}
    settings = {k: (int(v) if k.startswith("n_") else float(v)) for k, v in settings.items()}
    gf_struct = [(str(name), int(size)) for name, size in d["gf_struct"]]
    solver = cls(
        gf_struct=gf_struct, impurity_solver=FreeImpuritySolver(), containers="triqs" if triqs else "own", **settings
    )
    solver.model = d.get("model")
    solver._impurity_solver = None  # loaded from solver.model (or the shipped model) on first use
    for name in GF_ATTRIBUTES:
        setattr(solver, name, d[name])
    for name in _STATE:
        if name in d:
            setattr(solver, name, d[name])
    if "Delta_infty" in d:
        solver.Delta_infty = [np.asarray(x) for x in d["Delta_infty"]]
    return solver


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
    h5_write(h5_group, key, _to_own_tree(solver_to_dict(solver)))
    write_format(h5_group[key], type(solver)._hdf5_format_)


def read_solver(group, key: str):
    """The Solver stored under ``key`` by :func:`write_solver` or by TRIQS (package containers)."""
    from .solver import Solver

    h5_group = getattr(group, "group", group)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownFormatWarning)  # the Solver's own Format tag, expected here
        d = h5_read(h5_group, key)
    return solver_from_dict(Solver, d)


def register_with_triqs() -> bool:
    """Register the Solver with TRIQS's ``h5`` class registry; False when TRIQS is absent."""
    if triqs_gf_module() is None:
        return False
    from h5.formats import register_class  # TRIQS's h5 package

    from .solver import Solver

    try:
        register_class(Solver)
    except AssertionError:  # already registered (module imported twice, e.g. by importlib in tests)
        pass
    return True
