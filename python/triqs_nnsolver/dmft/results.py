"""DMFT results as a TRIQS-layout HDF5 archive (readable by TRIQS's ``HDFArchive`` and by :mod:`triqs_nnsolver.h5`).

The keys are an interface (other tools read them). One run, at the top of the file or in a sub-group:

- BlockGf ``A_w``, ``G_w``, ``Sigma_w`` on ``MeshReFreq(-w_max, w_max, n_w)`` and ``G_iw``, ``Sigma_iw`` on
  ``MeshImFreq(beta, 'Fermion', n_iw)``; blocks ``'up'`` and ``'down'`` (paramagnetic, equal), each 1 x 1
  and complex (``A_w`` has zero imaginary part);
- group ``results``: scalars ``U``, ``eps_d``, ``mu``, ``D``, ``Z``, ``A0``, ``density``, ``start``, ``converged``,
  ``n_iter``, and also ``double_occupancy``, ``norm``, ``change``, ``tol``, ``beta``, ``elapsed_s``;
- group ``history``: arrays over iterations ``change`` (``D max|A_new - A_old|``), ``eps_d``, ``density``,
  ``A0``, ``norm``;
- ``config`` (dict of the :class:`BetheDMFTConfig` fields that are set), ``solver`` (the solver's
  description) and ``lattice`` (``Lattice.describe()``: ``name``, ``D``, ``band_center``, ``hybridization_weight``,
  and for a tabulated DOS ``raw_norm``, ``energies``, ``dos``).

A U scan (:func:`write_scan_archive`) has a group ``scan`` (``direction`` and arrays ``U``, ``Z``, ``A0``,
``density``, ``double_occupancy``, ``eps_d``, ``converged``, ``n_iter``) and one run group per point,
``point_000``, ``point_001``, ... in the order they were computed.

Matsubara functions: the impurity layer's output path (``impurity.matsubara_functions``, as the Solver's),
``Sigma(iw_n) = U n/2 + int rho_Sigma(w) / (iw_n - w) dw`` with ``rho_Sigma = -Im Sigma(w) / pi`` of the real-axis
self-energy and the Hartree constant ``U n/2`` (``n`` both spins), then ``G(iw_n) = 1/(iw_n - eps_d - Delta(iw_n)
- Sigma(iw_n))`` with ``Delta(iw_n) = w_L int A_bath / (iw_n - w)`` (``w_L`` the lattice's hybridization weight,
``t^2`` on the Bethe lattice; ``METHOD.md`` section 1). The self-energy keeps its constant tail
whatever the norm of A (``G(iw_n) = int A / (iw_n - w)`` with ``Sigma`` by Dyson at ``iw_n`` grew as
``(1 - int A) iw_n``).

Layer: ``dmft``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..gf import BlockGf, Gf, MeshImFreq, matsubara_from_spectral
from ..h5 import HDFArchive
from ..impurity import matsubara_functions as impurity_matsubara_functions
from .bethe import real_frequency_mesh
from .loop import HISTORY_KEYS, DMFTResult

__all__ = [
    "BLOCK_NAMES",
    "SCAN_KEYS",
    "spin_blocks",
    "matsubara_functions",
    "results_scalars",
    "write_result",
    "write_result_archive",
    "scan_table",
    "write_scan_archive",
]

BLOCK_NAMES = ("up", "down")
SCAN_KEYS = ("U", "Z", "A0", "density", "double_occupancy", "eps_d", "converged", "n_iter")


def spin_blocks(mesh, values) -> BlockGf:
    """Paramagnetic BlockGf with 1 x 1 blocks 'up' and 'down' holding ``values`` (shape (n_mesh,)), complex."""
    data = np.asarray(values).reshape(-1, 1, 1).astype(complex)
    return BlockGf(list(BLOCK_NAMES), [Gf(mesh, data.copy(), name=name) for name in BLOCK_NAMES])


def matsubara_functions(result: DMFTResult) -> tuple[MeshImFreq, np.ndarray, np.ndarray]:
    """``(mesh, G_iw, Sigma_iw)`` on ``MeshImFreq(config.beta, 'F', config.n_iw)`` (module docstring)."""
    config, obs = result.config, result.observables
    mesh = MeshImFreq(config.beta, "F", config.n_iw)
    weight = result.lattice_used.hybridization_weight
    Delta_iw = weight * matsubara_from_spectral(result.w, result.A_bath, mesh.iw)
    G0_iw = 1.0 / (mesh.iw - result.eps_d - Delta_iw)
    hartree = config.U * obs.density / 2  # U <n_-s>, n of both spins
    G_iw, Sigma_iw, _ = impurity_matsubara_functions(result.w, obs.Sigma_w, hartree, mesh.iw, G0_iw)
    return mesh, G_iw, Sigma_iw


def _archive_value(value):
    """``value`` in a form the archive stores: None dropped by the caller, unknown types as text."""
    if isinstance(value, dict):
        return {str(k): _archive_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_archive_value(v) for v in value if v is not None]
    if isinstance(value, (str, bool, int, float, np.generic, np.ndarray)):
        return value
    return str(value)


def results_scalars(result: DMFTResult) -> dict:
    """The ``results`` group as a dict of Python scalars."""
    config, obs = result.config, result.observables
    return {
        "U": config.U,
        "eps_d": result.eps_d,
        "mu": result.mu,
        "D": config.D,
        "Z": obs.Z,
        "A0": obs.A0,
        "density": obs.density,
        "start": config.start,
        "converged": bool(result.converged),
        "n_iter": int(result.n_iter),
        "double_occupancy": obs.double_occupancy,
        "norm": obs.norm,
        "change": result.change,
        "tol": config.tol,
        "beta": config.beta,
        "elapsed_s": result.elapsed,
    }


def write_result(group, result: DMFTResult) -> None:
    """Write one run into an open archive or sub-archive ``group`` (an ``HDFArchive``/``HDFArchiveGroup``)."""
    mesh_w = real_frequency_mesh(result.config)
    obs = result.observables
    group["A_w"] = spin_blocks(mesh_w, result.A)
    group["G_w"] = spin_blocks(mesh_w, obs.G_w)
    group["Sigma_w"] = spin_blocks(mesh_w, obs.Sigma_w)
    mesh_iw, G_iw, Sigma_iw = matsubara_functions(result)
    group["G_iw"] = spin_blocks(mesh_iw, G_iw)
    group["Sigma_iw"] = spin_blocks(mesh_iw, Sigma_iw)
    results = group.create_group("results")
    for key, value in results_scalars(result).items():
        results[key] = value
    history = group.create_group("history")
    for key in HISTORY_KEYS:
        history[key] = np.asarray(result.history[key], dtype=float)
    group["config"] = result.config.to_archive_dict()
    group["solver"] = _archive_value(result.solver_info)
    group["lattice"] = _archive_value(result.lattice_used.describe())


def write_result_archive(path, result: DMFTResult) -> Path:
    """Write one run to a new archive ``path`` (replaced if it exists; parent folders created). Returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with HDFArchive(str(path), "w") as archive:
        write_result(archive, result)
    return path


def scan_table(results: list[DMFTResult]) -> dict:
    """Arrays over the scan points, in computation order: ``U``, ``Z``, ``A0``, ``density``, ... (SCAN_KEYS)."""
    rows = [results_scalars(r) for r in results]
    return {key: np.array([row[key] for row in rows]) for key in SCAN_KEYS}


def write_scan_archive(path, results: list[DMFTResult], direction: str) -> Path:
    """Write a U scan (module docstring) to a new archive ``path``; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with HDFArchive(str(path), "w") as archive:
        scan = archive.create_group("scan")
        scan["direction"] = direction
        for key, values in scan_table(results).items():
            scan[key] = values
        for index, result in enumerate(results):
            write_result(archive.create_group(f"point_{index:03d}"), result)
    return path
