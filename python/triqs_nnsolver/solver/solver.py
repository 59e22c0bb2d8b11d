"""The TRIQS-style ``Solver``: a drop-in replacement for ``triqs_cthyb.Solver`` with real-frequency output.

A TRIQS script changes ``from triqs_cthyb import Solver`` into ``from triqs_nnsolver import Solver``:
it fills ``S.G0_iw``, calls ``S.solve(h_int=..., **cthyb_parameters)`` and reads ``S.G_iw``,
``S.Sigma_iw``, ``S.G_tau``, ... as before, plus ``S.A_w``, ``S.G_w``, ``S.Sigma_w`` on the real axis
(``TRIQS.md`` sections 1, 2.1 and 7). What happens in ``solve`` (``METHOD.md`` sections 1 and 4):

1. input: ``G0_iw`` -> ``Delta(iw_n)`` -> positive star-bath fit -> ``rho_Delta`` on the real mesh
   (:mod:`.hybridization`); or the caller's real-axis ``S.Delta_w`` with ``solve(eps_d=...)``;
2. the impurity solve ``A(w) = impurity_solver.spectral_function(w, rho_Delta, U, eps_d)``
   (:mod:`.impurity`: the network with its training-domain check, or the exact U = 0 solver);
3. output: every Green's function from ``A`` normalised to 1 (:mod:`.outputs`); ``Sigma_iw =
   inverse(G0_iw) - inverse(G_iw)`` as in cthyb.

Under MPI, rank 0 computes and broadcasts, so every rank ends with identical results (an error on
rank 0 is raised on every rank); only rank 0 prints. What is not here: several orbitals, spin-polarized
models, two-particle functions, ``delta_interface`` with an imaginary-time ``Delta_tau``.

Layer: ``solver``.
"""

from __future__ import annotations

import logging
import os
import time
import warnings

import numpy as np
from scipy.integrate import trapezoid

from .. import mpi
from ..checks import integer, real_number
from ..gf import MeshImFreq, MeshImTime, MeshLegendre, MeshReFreq, spectral_norm
from .containers import add_operators, level_operator, new_block_gf, own_mesh, use_triqs
from .hybridization import RealMeshWarning, hybridization_from_delta_w, hybridization_from_g0_iw, real_mesh_warnings
from .interaction import LocalTerms, interaction_from_operator
from .outputs import block_outputs
from .parameters import split_parameters
from .structure import check_single_orbital, parse_gf_struct

__all__ = ["Solver", "SOLVER_FORMAT"]

logger = logging.getLogger(__name__)

SOLVER_FORMAT = "TriqsNNSolver"  # HDF5 Format of a stored Solver; unique (hubbardI owns "Solver")
_OWN_SOLVE_PARAMETERS = {"h_int", "U", "eps_d", "h_loc0", "n_bath", "eta", "paramagnetic", "spin_tolerance"}
_EDGE_WEIGHT = 1e-3  # A at the ends of the real mesh, relative to max A, above which the spectrum is cut off
_OUTPUTS_W = ("A_w", "G_w", "G0_w", "Sigma_w", "Delta_w")
_OUTPUTS_IW = ("G_iw", "G_iw_raw", "Sigma_iw", "Sigma_iw_raw")


def _broadening(eta) -> float | None:
    """The bath broadening ``eta`` (energy unit, > 0), or None for ``hybridization.auto_eta``."""
    return None if eta is None else real_number("eta", eta, unit="energy unit", minimum=0.0, minimum_open=True)


def _occupation(w: np.ndarray, A: np.ndarray, beta: float) -> float:
    """``int A(w) / (1 + exp(beta w)) dw`` for a normalised piecewise-linear A (per spin, dimensionless)."""
    fermi = 0.5 * (1 - np.tanh(0.5 * beta * w))  # 1 / (1 + exp(beta w)), overflow-free
    return float(trapezoid(A * fermi, w))


class Solver:
    """Neural-network impurity solver with the interface of ``triqs_cthyb.Solver``.

    Parameters
    ----------
    beta : float
        Inverse temperature (1/energy), > 0. The network is a T = 0 solver: beta only sets the Matsubara
        and imaginary-time meshes of the outputs (``METHOD.md`` section 1).
    gf_struct : list of (str, int)
        Block structure; two blocks of size 1 (one orbital, both spins), e.g. ``[('up', 1), ('down', 1)]``.
        The TRIQS <= 3.0 forms (index lists, dict) are accepted.
    n_iw : int
        Number of positive Matsubara frequencies (the meshes have 2 n_iw points), default 1025.
    n_tau : int
        Number of imaginary times on [0, beta], both ends included, default 10001.
    n_l : int
        Number of Legendre coefficients of ``G_l`` (computed when ``solve(measure_G_l=True)``), default 30.
    n_w, w_min, w_max : int, float, float
        Real mesh ``MeshReFreq(w_min, w_max, n_w)`` (energy unit, both ends included) of ``A_w``, ``G_w``,
        ``Sigma_w``, ``Delta_w``, ``G0_w``; the impurity problem is solved on it, so it must hold the whole
        spectrum and the bath. Default 2001 points on [-10, 10].
    eta : float, optional
        Lorentzian broadening of the fitted bath (energy unit); default: the spacing of the fitted levels
        (``hybridization.auto_eta``). Can be overridden per solve.
    n_bath : int
        Largest number of levels of the bath fitted to ``Delta(iw_n)``, default 16.
    model : str or os.PathLike, optional
        Exported model file; default the model shipped with the package.
    impurity_solver : object, optional
        Anything with ``solve(w, rho_Delta, U, eps_d) -> ImpuritySolution`` (``solver.impurity``), e.g.
        ``FreeImpuritySolver()``; replaces ``model``.
    backend, real_axis, strict : str, str, bool
        Passed to :class:`~triqs_nnsolver.solver.NeuralImpuritySolver` (runner, real-axis formula, raise
        instead of warn outside the training domain).
    containers : {'auto', 'triqs', 'own'}
        Attribute types: TRIQS ``BlockGf`` when TRIQS is importable ('auto'), or the package's own.
    delta_interface : bool
        Only False: the input is ``G0_iw`` or the real-axis ``Delta_w`` (an imaginary-time ``Delta_tau`` input
        is not supported).

    Raises
    ------
    ValueError
        For invalid meshes, counts or ``gf_struct`` (the message names the argument and the value).
    NotImplementedError
        For more than one orbital, or ``delta_interface=True``.
    FileNotFoundError
        If the model file does not exist (or no model is shipped and none is given).
    """

    _hdf5_format_ = SOLVER_FORMAT

    def __init__(
        self,
        beta: float,
        gf_struct,
        n_iw: int = 1025,
        n_tau: int = 10001,
        n_l: int = 30,
        n_w: int = 2001,
        w_min: float = -10.0,
        w_max: float = 10.0,
        eta: float | None = None,
        n_bath: int = 16,
        model=None,
        impurity_solver=None,
        backend: str = "auto",
        real_axis: str = "direct",
        strict: bool = False,
        containers: str = "auto",
        delta_interface: bool = False,
    ):
        if delta_interface:
            raise NotImplementedError(
                "delta_interface=True (input Delta_tau and h_loc0) is not supported: give G0_iw, or the real-axis "
                "hybridization S.Delta_w together with solve(eps_d=...) or solve(h_loc0=...)"
            )
        try:
            beta = float(beta)
        except (TypeError, ValueError) as err:
            raise ValueError(f"beta must be a positive number (1/energy); got beta = {beta!r}") from err
        if not (np.isfinite(beta) and beta > 0):
            raise ValueError(f"beta must be a positive, finite inverse temperature (1/energy); got beta = {beta!r}")
        self.beta = beta
        self.gf_struct = parse_gf_struct(gf_struct)
        check_single_orbital(self.gf_struct)
        self.block_names = [name for name, _ in self.gf_struct]
        self.n_iw = integer("n_iw", n_iw, minimum=1)
        self.n_tau = integer("n_tau", n_tau, minimum=2)
        self.n_l = integer("n_l", n_l, minimum=1)
        self.n_w = integer("n_w", n_w, minimum=2)
        self.w_min = real_number("w_min", w_min, unit="energy unit")
        self.w_max = real_number("w_max", w_max, unit="energy unit")
        if not self.w_min < self.w_max:
            raise ValueError(f"w_min < w_max must be finite frequencies; got w_min = {w_min!r}, w_max = {w_max!r}")
        self.eta = _broadening(eta)
        self.n_bath = integer("n_bath", n_bath, minimum=1)
        self.delta_interface = False
        self.mesh_iw = MeshImFreq(self.beta, "F", self.n_iw)
        self.mesh_tau = MeshImTime(self.beta, "F", self.n_tau)
        self.mesh_l = MeshLegendre(self.beta, "F", self.n_l)
        self.mesh_w = MeshReFreq(self.w_min, self.w_max, self.n_w)
        self.triqs_objects = use_triqs(containers)
        self.model = None if model is None else str(model)
        self._solver_options = {"backend": backend, "real_axis": real_axis, "strict": bool(strict)}
        self._impurity_solver = impurity_solver
        if impurity_solver is None:
            self._load_model()
        self._allocate()

    def _load_model(self) -> None:
        from .impurity import NeuralImpuritySolver

        if self.model is not None and not os.path.isfile(self.model):  # before torch is imported
            raise FileNotFoundError(f"model file not found: '{self.model}' (Solver argument model)")
        self._impurity_solver = NeuralImpuritySolver(self.model, **self._solver_options)
        self.model = str(self._impurity_solver.model.runner.path)

    @property
    def impurity_solver(self):
        """The array-level solver ``A = spectral_function(w, rho_Delta, U, eps_d)`` that ``solve`` calls."""
        if self._impurity_solver is None:
            self._load_model()
        return self._impurity_solver

    def _new(self, mesh, name: str):
        return new_block_gf(mesh, self.block_names, self.triqs_objects, name=name)

    def _allocate(self) -> None:
        """Every input and output, zero, as cthyb and hubbardI allocate them in ``__init__``."""
        for name in ("G0_iw",) + _OUTPUTS_IW:
            setattr(self, name, self._new(self.mesh_iw, name))
        for name in ("G_tau", "Delta_tau"):
            setattr(self, name, self._new(self.mesh_tau, name))
        self.G_l = self._new(self.mesh_l, "G_l")
        for name in _OUTPUTS_W:
            setattr(self, name, self._new(self.mesh_w, name))
        self.h_loc0 = self.h_loc = self.Delta_infty = None
        self.densities, self.orbital_occupations = {}, {}
        self.last_solve_parameters, self.solve_report, self.ignored_parameters = {}, {}, []
        self.solve_status, self.average_sign = None, 1.0
        self.G_moments = self.Sigma_moments = self.Sigma_Hartree = None

    def _block_data(self, attribute: str, mesh) -> list[np.ndarray]:
        """``[G[name].data[:, 0, 0] for each block]`` of an input BlockGf, after checking blocks and mesh."""
        G = getattr(self, attribute)
        try:
            names = [name for name, _ in G]
        except TypeError as err:
            raise TypeError(f"S.{attribute} must be a BlockGf; got {type(G).__name__}") from err
        if names != self.block_names:
            raise ValueError(f"S.{attribute} must have the blocks {self.block_names} (gf_struct); got {names}")
        data = []
        for name, g in G:
            if own_mesh(g.mesh) != mesh:
                raise ValueError(f"S.{attribute}['{name}'] must be on the mesh {mesh}; got {own_mesh(g.mesh)}")
            if tuple(g.data.shape) != (len(mesh), 1, 1):
                expected = (len(mesh), 1, 1)
                raise ValueError(f"S.{attribute}['{name}'].data must have shape {expected}; got {g.data.shape}")
            data.append(np.array(g.data[:, 0, 0], dtype=complex))
        return data

    def _local_terms(self, h_int, U) -> LocalTerms:
        if h_int is not None and U is not None:
            raise ValueError("solve: give either h_int (an operator) or U (a number), not both")
        if h_int is not None:
            terms = interaction_from_operator(h_int, self.block_names)
            real_number("the U of h_int", terms.U, unit="energy unit, repulsive", minimum=0.0)
            return terms
        if U is None:
            raise ValueError("solve needs the interaction: h_int = U * n('up', 0) * n('down', 0), or U = <number>")
        U = real_number("U", U, unit="energy unit, repulsive", minimum=0.0)
        return LocalTerms(U=U, level_shift=0.0, constant=0.0)

    def _input_level(self, eps_d, h_loc0) -> float | None:
        """The impurity level of a real-axis input (``eps_d`` or ``h_loc0``), or None for the G0_iw path."""
        if eps_d is not None and h_loc0 is not None:
            raise ValueError("solve: give the impurity level either as eps_d or as h_loc0, not both")
        if h_loc0 is not None:
            terms = interaction_from_operator(h_loc0, self.block_names, name="h_loc0")
            if terms.U != 0:
                raise ValueError(f"h_loc0 must be one-body; got an n_up n_dn term {terms.U} (put it in h_int)")
            return terms.level_shift
        if eps_d is None:
            return None
        eps_d = float(eps_d)
        if not np.isfinite(eps_d):
            raise ValueError(f"eps_d must be a finite impurity level (energy unit); got eps_d = {eps_d!r}")
        return eps_d

    def _inputs(self, eps_input, paramagnetic: bool, spin_tolerance: float) -> tuple[str, list[np.ndarray]]:
        """Which input (``'G0_iw'`` or ``'Delta_w'``) and its per-block data, averaged when paramagnetic."""
        attribute, mesh = ("G0_iw", self.mesh_iw) if eps_input is None else ("Delta_w", self.mesh_w)
        data = self._block_data(attribute, mesh)
        for name, d in zip(self.block_names, data, strict=True):
            if not np.all(np.isfinite(d)):
                bad = int(np.flatnonzero(~np.isfinite(d))[0])
                raise ValueError(
                    f"S.{attribute}['{name}'] must be finite; got {d[bad]} at data index {bad} (NaN or inf)"
                )
        if not any(np.any(d != 0) for d in data):
            hint = "set S.G0_iw" if eps_input is None else "set S.Delta_w (the real-axis hybridization)"
            raise ValueError(f"S.{attribute} is zero: {hint} before solve")
        scale = max(np.abs(d).max() for d in data)
        difference = max(np.abs(d - data[0]).max() for d in data) / scale
        if paramagnetic and difference > spin_tolerance:
            raise ValueError(
                f"S.{attribute}: the blocks {self.block_names} differ by {difference:.3g} (max relative), more than "
                f"spin_tolerance = {spin_tolerance:g}; the model is paramagnetic: symmetrize the input, or pass "
                "solve(paramagnetic=False) to solve each block on its own"
            )
        if paramagnetic:
            return attribute, [sum(data) / len(data)]
        return attribute, data

    def solve(
        self,
        h_int=None,
        U=None,
        eps_d=None,
        h_loc0=None,
        n_bath=None,
        eta=None,
        paramagnetic: bool = True,
        spin_tolerance: float = 1e-6,
        **params,
    ) -> int:
        """Solve the impurity and fill every output attribute; returns ``solve_status`` (0).

        Parameters
        ----------
        h_int : triqs.operators.Operator or triqs_nnsolver.h5.Operator, optional
            The interaction, ``U * n('up', 0) * n('down', 0)``, possibly with one-body terms equal on both spins
            (added to the impurity level) and a constant. Anything else raises NotImplementedError.
        U : float, optional
            The interaction as a number, instead of ``h_int``.
        eps_d, h_loc0 : float or operator, optional
            The impurity level for a real-axis input: with one of them, ``S.Delta_w`` (set by the caller) is
            the input instead of ``S.G0_iw``.
        n_bath, eta : int, float, optional
            Override the constructor's bath-fit size and broadening for this solve.
        paramagnetic : bool
            True (default): the blocks must agree to ``spin_tolerance`` (max relative difference) and are
            solved once; False: each block is solved on its own (the model itself stays spin-degenerate).
        **params
            cthyb/hubbardI parameters: accepted and ignored (``parameters.IGNORED``) or honoured
            (``parameters.HONOURED``: ``measure_G_l``, ``verbosity``, ...); unknown names raise TypeError.

        Raises
        ------
        ValueError
            Bad inputs: NaN or non-causal ``G0_iw``, blocks that differ, wrong meshes, a bath outside the real
            mesh; the message names the attribute.
        NotImplementedError
            An ``h_int`` the model cannot represent.
        OutsideTrainingDomainError
            Inputs outside the model's training domain with ``strict=True`` (a DomainWarning otherwise).
        """
        honoured, ignored = split_parameters(params, _OWN_SOLVE_PARAMETERS)
        measure_G_l = bool(honoured.get("measure_G_l", honoured.get("measure_g_l", honoured.get("calc_gl", False))))
        verbosity = int(honoured.get("verbosity", 1))
        n_bath = self.n_bath if n_bath is None else integer("n_bath", n_bath, minimum=1)
        eta = self.eta if eta is None else _broadening(eta)
        spin_tolerance = real_number("spin_tolerance", spin_tolerance, minimum=0.0)
        request = dict(h_int=h_int, U=U, eps_d=eps_d, h_loc0=h_loc0, paramagnetic=paramagnetic)
        request.update(spin_tolerance=spin_tolerance, n_bath=n_bath, eta=eta, measure_G_l=measure_G_l)
        results = mpi.compute_on_root(lambda: self._compute(**request))
        self._store(results, h_int)
        self.last_solve_parameters = {
            key: value
            for key, value in {**params, "h_int": h_int, "U": results["U"], "eps_d": results["eps_d"]}.items()
            if value is not None
        }
        self.last_solve_parameters.update(n_bath=n_bath, paramagnetic=bool(paramagnetic), measure_G_l=measure_G_l)
        self.ignored_parameters = ignored
        if ignored:
            logger.info("cthyb parameters accepted and ignored: %s", ignored)
        if verbosity >= 1:
            report = results["report"]
            mpi.report(
                f"triqs_nnsolver: U = {results['U']:.6g}, eps_d = {results['eps_d']:.6g}, int A = "
                f"{report['spectral_norm_raw']} before normalisation, n = {results['density']}, "
                f"{report['time_total']:.3g} s"
            )
        return self.solve_status

    def _compute(self, h_int, U, eps_d, h_loc0, paramagnetic, spin_tolerance, n_bath, eta, measure_G_l) -> dict:
        """Everything of one solve as plain arrays (runs on rank 0 under MPI)."""
        start = time.perf_counter()
        terms = self._local_terms(h_int, U)
        eps_input = self._input_level(eps_d, h_loc0)
        attribute, inputs = self._inputs(eps_input, bool(paramagnetic), float(spin_tolerance))
        w = self.mesh_w.points
        hybs = []
        for name, data in zip(self.block_names if len(inputs) > 1 else ["paramagnetic"], inputs, strict=False):
            label = f"S.{attribute}" + (f"['{name}']" if len(inputs) > 1 else "")
            if attribute == "G0_iw":
                hybs.append(hybridization_from_g0_iw(self.mesh_iw, data, w, n_bath, eta, name=label))
            else:
                hybs.append(hybridization_from_delta_w(w, data, eps_input, name=label))
        after_fit = time.perf_counter()
        solutions = [self.impurity_solver.solve(w, h.rho_Delta, terms.U, h.eps + terms.level_shift) for h in hybs]
        after_inference = time.perf_counter()
        outputs, norms, edges = [], [], []
        for k, (hyb, solution) in enumerate(zip(hybs, solutions, strict=True)):
            norm = float(spectral_norm(w, solution.A))
            if not norm > 0:
                raise ValueError(f"the impurity solver returned A(w) without weight on the real mesh (int A = {norm})")
            A = solution.A / norm
            edges.append(float(max(A[0], A[-1]) / A.max()))
            # Hartree term U <n_-s>: the density of the (paramagnetic) solution, the other block when spin-resolved
            other = A if len(hybs) == 1 else solutions[1 - k].A / float(spectral_norm(w, solutions[1 - k].A))
            hartree = terms.U * _occupation(w, other, self.beta) + terms.level_shift
            G0 = inputs[k] if attribute == "G0_iw" else None
            n_l = self.n_l if measure_G_l else None
            outputs.append(block_outputs(w, A, hyb, hartree, self.mesh_iw, self.mesh_tau, G0, n_l))
            norms.append(norm)
        mesh_warnings = sorted({message for hyb in hybs for message in real_mesh_warnings(w, hyb)})
        if max(edges) > _EDGE_WEIGHT:
            mesh_warnings.append(
                f"A(w) at the ends of the real mesh [{self.w_min:g}, {self.w_max:g}] is {max(edges):.2g} of its "
                "maximum: the spectrum is cut off; widen w_min, w_max"
            )
        for message in mesh_warnings:
            warnings.warn(message, RealMeshWarning, stacklevel=2)
        end = time.perf_counter()
        report = {
            "input": attribute,
            "eps": [h.eps for h in hybs],
            "eta": [h.eta for h in hybs],
            "bath_fit": [vars(h.fit) for h in hybs if h.fit is not None],
            "spectral_norm_raw": norms,
            "edge_weight": edges,
            "real_mesh_warnings": mesh_warnings,
            "causality_clip": [o["causality_clip"] for o in outputs],
            "domain_violations": sorted({v for s in solutions for v in s.domain_violations}),
            "scale": [float(s.scale) for s in solutions],
            "time_fit": after_fit - start,
            "time_inference": after_inference - after_fit,
            "time_postprocess": end - after_inference,
            "time_total": end - start,
        }
        eps_levels = [h.eps for h in hybs]
        return {
            "blocks": outputs,
            "U": terms.U,
            "eps_d": float(np.mean(eps_levels)) + terms.level_shift,
            "eps": eps_levels,
            "level_shift": terms.level_shift,
            "density": [o["density"] for o in outputs],
            "report": report,
        }

    def _store(self, results: dict, h_int) -> None:
        """Fill the attributes in place (scripts keep references to them) from the broadcast arrays."""
        blocks = results["blocks"]
        per_block = blocks * len(self.block_names) if len(blocks) == 1 else blocks
        eps = results["eps"] * len(self.block_names) if len(results["eps"]) == 1 else results["eps"]
        keys = _OUTPUTS_W + ("G_iw", "Sigma_iw", "G0_iw", "G_tau", "Delta_tau")
        keys += ("G_l",) if "G_l" in blocks[0] else ()
        for name, out in zip(self.block_names, per_block, strict=True):
            for key in keys:
                getattr(self, key)[name].data[:, 0, 0] = out[key]
            self.G_iw_raw[name].data[:] = self.G_iw[name].data
            self.Sigma_iw_raw[name].data[:] = self.Sigma_iw[name].data
            self.densities[name] = out["density"]
            self.orbital_occupations[name] = np.array([[out["density"]]])
        self.Delta_infty = [np.array([[e]], dtype=complex) for e in eps]
        self.h_loc0 = level_operator(float(np.mean(eps)), self.block_names, self.triqs_objects)
        self.h_loc = add_operators(h_int, self.h_loc0) if h_int is not None else None
        self.solve_report = results["report"]
        self.solve_status = 0

    def total_density(self) -> float:
        """``sum_s n_s`` of the last solve (0 before)."""
        return float(sum(self.densities.values()))

    def __repr__(self) -> str:
        return (
            f"Solver(beta={self.beta}, gf_struct={self.gf_struct}, n_iw={self.n_iw}, n_tau={self.n_tau}, "
            f"n_w={self.n_w}, w_min={self.w_min}, w_max={self.w_max}, model={self.model!r})"
        )

    # HDF5 (TRIQS's HDFArchive through register_class, or solver.archive for our own archives)

    def __reduce_to_dict__(self) -> dict:
        from .archive import solver_to_dict

        return solver_to_dict(self)

    @classmethod
    def __factory_from_dict__(cls, name, d) -> Solver:
        from .archive import solver_from_dict

        return solver_from_dict(cls, d)
