"""The work of one ``Solver.solve`` on plain arrays: bath fit, impurity solve, outputs, report.

:func:`solve_blocks` takes a checked :class:`~.inputs.SolveRequest` and the Solver's meshes and returns a dict
of arrays (what rank 0 broadcasts under MPI): per block the Green's functions of :func:`.outputs.block_outputs`,
the impurity parameters, and the ``solve_report``. Steps (``METHOD.md`` sections 1 and 4):

1. input: ``G0_iw`` -> ``Delta(iw_n)`` -> star-bath fit -> ``rho_Delta`` on the real mesh, or the caller's
   ``Delta_w`` (:mod:`.hybridization`);
2. the impurity solve ``impurity_solver.solve(w, rho_Delta, U, eps_d)`` (the impurity layer's protocol);
3. outputs from ``A`` normalised to 1, with the Hartree constant ``U n_{-s} + level shift`` and the density of
   :func:`triqs_nnsolver.impurity.density` (T = 0; the same n is reported in ``S.densities``); the mesh
   warnings go into the report, and ``Solver.solve`` issues them.

:func:`store_results` then fills the Solver's attributes in place from those arrays, on every rank.
What is not here: argument checks (:mod:`.inputs`), the Solver's construction and archives (:mod:`.solver`).
Layer: ``solver``.
"""

from __future__ import annotations

import time

import numpy as np

from ..gf import MeshImFreq, MeshImTime, MeshReFreq, spectral_norm
from ..impurity import density
from .containers import add_operators, level_operator
from .hybridization import (
    hybridization_from_delta_w,
    hybridization_from_g0_iw,
    next_warm_start,
    real_mesh_warnings,
)
from .inputs import SolveRequest
from .inventory import GF_ATTRIBUTES, RAW_COPIES
from .outputs import block_outputs

__all__ = ["solve_blocks", "store_results"]

_A_EDGE_WEIGHT = 1e-3  # A at the ends of the real mesh, relative to max A, above which the spectrum is cut off


def _normalised(w: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, float]:
    norm = float(spectral_norm(w, A))
    if not norm > 0:
        raise ValueError(f"the impurity solver returned A(w) without weight on the real mesh (int A = {norm})")
    return A / norm, norm


def _spread(solution, norm: float, reduce) -> float | None:
    """``reduce`` of the solution's uncertainty scaled like its normalised A; None for a solver without one."""
    return None if solution.uncertainty is None else float(reduce(solution.uncertainty) / norm)


def solve_blocks(
    request: SolveRequest,
    impurity_solver,
    mesh_w: MeshReFreq,
    mesh_iw: MeshImFreq,
    mesh_tau: MeshImTime,
    n_l: int,
    warm_starts: dict | None = None,
) -> dict:
    """Everything of one solve as plain arrays (module docstring); ``n_l`` is used when ``request.measure_G_l``.

    ``warm_starts`` maps an input's label to its :class:`~.hybridization.WarmStart` (the bath fit starts from
    it); the result's ``warm_starts`` are those for the next solve.
    """
    start = time.perf_counter()
    w, terms = mesh_w.points, request.terms
    warm_starts = {} if warm_starts is None else warm_starts
    hybs = []
    for data, label in zip(request.inputs, request.labels, strict=True):
        if request.attribute == "G0_iw":
            warm = warm_starts.get(label)
            hybs.append(hybridization_from_g0_iw(mesh_iw, data, w, request.n_bath, request.eta, label, warm))
        else:
            hybs.append(hybridization_from_delta_w(w, data, request.eps_input, name=label))
    after_fit = time.perf_counter()
    solutions = [impurity_solver.solve(w, h.rho_Delta, terms.U, h.eps + terms.level_shift) for h in hybs]
    after_inference = time.perf_counter()
    normalised = [_normalised(w, s.A) for s in solutions]
    outputs, edges = [], []
    for k, (hyb, (A, _)) in enumerate(zip(hybs, normalised, strict=True)):
        edges.append(float(max(A[0], A[-1]) / A.max()))
        # Hartree term U <n_-s>: the density of the (paramagnetic) solution, the other block when spin-resolved
        other = A if len(hybs) == 1 else normalised[1 - k][0]
        hartree = terms.U * density(w, other) + terms.level_shift
        G0 = request.inputs[k] if request.attribute == "G0_iw" else None
        n_l_block = n_l if request.measure_G_l else None
        outputs.append(block_outputs(w, A, hyb, hartree, mesh_iw, mesh_tau, G0, n_l_block, request.measure_G_tau))
    mesh_warnings = sorted({message for hyb in hybs for message in real_mesh_warnings(w, hyb)})
    if max(edges) > _A_EDGE_WEIGHT:
        mesh_warnings.append(
            f"A(w) at the ends of the real mesh [{w[0]:g}, {w[-1]:g}] is {max(edges):.2g} of its "
            "maximum: the spectrum is cut off; widen w_min, w_max"
        )
    end = time.perf_counter()
    eps_levels = [h.eps for h in hybs]
    report = {
        "input": request.attribute,
        "eps": eps_levels,
        "eta": [h.eta for h in hybs],
        "bath_fit": [vars(h.fit) for h in hybs if h.fit is not None],
        "spectral_norm_raw": [norm for _, norm in normalised],
        "edge_weight": edges,
        "real_mesh_warnings": mesh_warnings,
        "causality_clip": [o["causality_clip"] for o in outputs],
        "domain_violations": sorted({v for s in solutions for v in s.domain_violations}),
        # how far each block's problem lies outside the training domain (0: inside; None: no model)
        "domain_distance": [s.domain_distance for s in solutions],
        # an ensemble's spread of the normalised A per block (1/energy): largest and mean over w; None without one
        "A_spread_max": [_spread(s, norm, np.max) for s, (_, norm) in zip(solutions, normalised, strict=True)],
        "A_spread_mean": [_spread(s, norm, np.mean) for s, (_, norm) in zip(solutions, normalised, strict=True)],
        "resolution": [s.resolution for s in solutions],  # of A, energy unit (0: exact, None: not known)
        "impurity_solver": impurity_solver.describe(),
        "scale": [float(s.scale) for s in solutions],
        "time_fit": after_fit - start,
        "time_inference": after_inference - after_fit,
        "time_postprocess": end - after_inference,
        "time_total": end - start,
    }
    return {
        "blocks": outputs,
        "U": terms.U,
        "eps_d": float(np.mean(eps_levels)) + terms.level_shift,
        "eps": eps_levels,
        "level_shift": terms.level_shift,
        "density": [o["density"] for o in outputs],
        "report": report,
        "warm_starts": {
            label: next_warm_start(w, hyb, warm_starts.get(label))
            for label, hyb in zip(request.labels, hybs, strict=True)
        },
    }


def store_results(solver, results: dict, h_int) -> None:
    """Fill ``solver``'s attributes in place (scripts keep references to them) from :func:`solve_blocks`' arrays."""
    blocks = results["blocks"]
    per_block = blocks * len(solver.block_names) if len(blocks) == 1 else blocks
    eps = results["eps"] * len(solver.block_names) if len(results["eps"]) == 1 else results["eps"]
    for name, out in zip(solver.block_names, per_block, strict=True):
        for key in GF_ATTRIBUTES:
            if key in out:
                getattr(solver, key)[name].data[:, 0, 0] = out[key]
        for copy, source in RAW_COPIES.items():
            getattr(solver, copy)[name].data[:] = getattr(solver, source)[name].data
        solver.densities[name] = out["density"]
        solver.orbital_occupations[name] = np.array([[out["density"]]])
    solver.Delta_infty = [np.array([[e]], dtype=complex) for e in eps]
    solver.h_loc0 = level_operator(float(np.mean(eps)), solver.block_names, solver.triqs_objects)
    solver.h_loc = add_operators(h_int, solver.h_loc0) if h_int is not None else None
    solver.solve_report = results["report"]
    solver.solve_status = 0
