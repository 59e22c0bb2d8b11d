"""The TRIQS-style ``Solver``: a drop-in replacement for ``triqs_cthyb.Solver`` with real-frequency output.

A TRIQS script changes ``from triqs_cthyb import Solver`` into ``from triqs_nnsolver import Solver``:
it fills ``S.G0_iw``, calls ``S.solve(h_int=..., **cthyb_parameters)`` and reads ``S.G_iw``,
``S.Sigma_iw``, ``S.G_tau``, ... as before, plus ``S.A_w``, ``S.G_w``, ``S.Sigma_w`` on the real axis
(``TRIQS.md`` sections 1, 2.1 and 7). In the shape of hubbardI's solver: the constructor builds the meshes and
allocates every Green's function (``inventory.GF_ATTRIBUTES``, declared once); ``solve`` checks its arguments once at
the entry (:mod:`.inputs`), computes on plain arrays (:mod:`.compute`: bath fit, impurity solve, the impurity
layer's output path) and fills the attributes in place; the class stores itself in HDF5 archives
(``__reduce_to_dict__`` / ``__factory_from_dict__``, registered with TRIQS by :mod:`.archive`).

Under MPI, rank 0 checks its inputs, computes and broadcasts (``mpi.compute_on_root``), so every rank ends with
identical results (an error on rank 0 is raised on every rank, and no rank waits for one that failed); only rank 0
prints and warns. What is not here: several orbitals,
spin-polarized models, two-particle functions, ``delta_interface`` with an imaginary-time ``Delta_tau``.

Layer: ``solver``.
"""

from __future__ import annotations

import logging
import os
import warnings

import numpy as np

from .. import mpi
from ..checks import integer
from ..gf import MeshImFreq, MeshImTime, MeshLegendre, MeshReFreq
from .compute import solve_blocks, store_results
from .containers import new_block_gf, storable, to_own, use_triqs
from .hybridization import RealMeshWarning
from .inputs import solve_request, solver_settings
from .inventory import GF_ATTRIBUTES, SETTINGS, STATE
from .parameters import split_parameters
from .structure import check_single_orbital, parse_gf_struct

__all__ = ["Solver", "SOLVER_FORMAT"]

logger = logging.getLogger(__name__)

SOLVER_FORMAT = "TriqsNNSolver"  # HDF5 Format of a stored Solver; unique (hubbardI owns "Solver")
_OWN_SOLVE_PARAMETERS = {"h_int", "U", "eps_d", "h_loc0", "n_bath", "eta", "paramagnetic", "spin_tolerance"}


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
        Anything with ``solve(w, rho_Delta, U, eps_d) -> ImpuritySolution`` (``impurity.ImpuritySolver``), e.g.
        ``FreeImpuritySolver()``; replaces ``model``.
    backend, real_axis, strict : str, str, bool
        Passed to :class:`~triqs_nnsolver.solver.NeuralImpuritySolver` (runner, real-axis formula, raise
        instead of warn outside the training domain).
    containers : {'auto', 'triqs', 'own'}
        Attribute types: TRIQS ``BlockGf`` when TRIQS is importable ('auto'), or the package's own.
    delta_interface : bool
        Only False: the input is ``G0_iw`` or the real-axis ``Delta_w`` (an imaginary-time ``Delta_tau`` input
        is not supported).
    warm_start : bool
        True (default): each bath fit starts from the previous solve's bath of its block and keeps that fit if
        it reproduces ``Delta(iw_n)`` about as well as a fit from scratch (``hybridization.WarmStart``; the fit
        of a DMFT loop then costs ~3 ms instead of ~70 ms); False: every fit starts from scratch, so a solve
        does not depend on the ones before it.

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
        warm_start: bool = True,
    ):
        settings = solver_settings(beta, n_iw, n_tau, n_l, n_w, w_min, w_max, eta, n_bath, delta_interface)
        for name, value in settings.items():
            setattr(self, name, value)
        self.gf_struct = parse_gf_struct(gf_struct)
        check_single_orbital(self.gf_struct)
        self.block_names = [name for name, _ in self.gf_struct]
        self.mesh_iw = MeshImFreq(self.beta, "F", self.n_iw)
        self.mesh_tau = MeshImTime(self.beta, "F", self.n_tau)
        self.mesh_l = MeshLegendre(self.beta, "F", self.n_l)
        self.mesh_w = MeshReFreq(self.w_min, self.w_max, self.n_w)
        self.triqs_objects = use_triqs(containers)
        self.model = None if model is None else str(model)
        self._solver_options = {"backend": backend, "real_axis": real_axis, "strict": bool(strict)}
        self._impurity_solver = impurity_solver
        self.warm_start = bool(warm_start)
        self._warm_starts: dict = {}  # input label -> hybridization.WarmStart of the last solve
        if impurity_solver is None:
            self._load_model()
        self._allocate()

    def _load_model(self) -> None:
        from ..impurity import NeuralImpuritySolver

        if self.model is not None and not os.path.isfile(self.model):  # before torch is imported
            raise FileNotFoundError(f"model file not found: '{self.model}' (Solver argument model)")
        self._impurity_solver = NeuralImpuritySolver(self.model, **self._solver_options)
        self.model = str(self._impurity_solver.model.runner.path)

    @property
    def impurity_solver(self):
        """The impurity-layer solver (``impurity.ImpuritySolver``) whose ``solve(w, rho_Delta, U, eps_d)`` is called."""
        if self._impurity_solver is None:
            self._load_model()
        return self._impurity_solver

    def _allocate(self) -> None:
        """Every input and output, zero, as cthyb and hubbardI allocate them in ``__init__``."""
        meshes = {"iw": self.mesh_iw, "tau": self.mesh_tau, "l": self.mesh_l, "w": self.mesh_w}
        for name, mesh in GF_ATTRIBUTES.items():
            setattr(self, name, new_block_gf(meshes[mesh], self.block_names, self.triqs_objects, name=name))
        self.h_loc0 = self.h_loc = self.Delta_infty = None
        self.densities, self.orbital_occupations = {}, {}
        self.last_solve_parameters, self.solve_report, self.ignored_parameters = {}, {}, []
        self.solve_status, self.average_sign = None, 1.0
        self.G_moments = self.Sigma_moments = self.Sigma_Hartree = None

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
            (``parameters.HONOURED``: ``measure_G_l``, ``measure_G_tau``, ``verbosity``, ...); unknown names raise
            TypeError. Every output is computed and written in place at each solve, except what cthyb's flags
            switch off: ``G_l`` (``measure_G_l=False``, the default) and ``G_tau`` (``measure_G_tau=False``); an
            output not computed keeps what it held (zero before the first solve that computes it).

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
        measure_G_tau = bool(honoured.get("measure_G_tau", honoured.get("measure_g_tau", True)))
        verbosity = integer("verbosity", honoured.get("verbosity", 1))
        arguments = (h_int, U, eps_d, h_loc0, n_bath, eta, paramagnetic, spin_tolerance, measure_G_l, measure_G_tau)
        meshes = (self.mesh_w, self.mesh_iw, self.mesh_tau, self.n_l)

        def compute() -> dict:  # rank 0's inputs are checked and solved; an error reaches every rank
            request = solve_request(self, *arguments)
            starts = self._warm_starts if self.warm_start else None
            return {**solve_blocks(request, self.impurity_solver, *meshes, starts), "n_bath": request.n_bath}

        results = mpi.compute_on_root(compute)
        self._warm_starts = {label: start for label, start in results["warm_starts"].items() if start is not None}
        store_results(self, results, h_int)
        if mpi.is_master_node():
            for message in results["report"]["real_mesh_warnings"]:
                warnings.warn(message, RealMeshWarning, stacklevel=2)
        self.last_solve_parameters = {
            key: value
            for key, value in {**params, "h_int": h_int, "U": results["U"], "eps_d": results["eps_d"]}.items()
            if value is not None
        }
        self.last_solve_parameters.update(
            n_bath=results["n_bath"], paramagnetic=bool(paramagnetic), measure_G_l=measure_G_l
        )
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

    def total_density(self) -> float:
        """``sum_s n_s`` of the last solve (0 before)."""
        return float(sum(self.densities.values()))

    def __repr__(self) -> str:
        return (
            f"Solver(beta={self.beta}, gf_struct={self.gf_struct}, n_iw={self.n_iw}, n_tau={self.n_tau}, "
            f"n_w={self.n_w}, w_min={self.w_min}, w_max={self.w_max}, model={self.model!r})"
        )

    # HDF5: TRIQS's HDFArchive through register_class (solver.archive), or solver.archive's write/read_solver

    def __reduce_to_dict__(self) -> dict:
        """Constructor settings, every Green's function and the state of the last solve (not the model, its path)."""
        d = {name: getattr(self, name) for name in SETTINGS if getattr(self, name) is not None}
        d["gf_struct"] = [(name, size) for name, size in self.gf_struct]
        d.update({name: getattr(self, name) for name in GF_ATTRIBUTES})
        d.update({name: getattr(self, name) for name in STATE if getattr(self, name) is not None})
        return storable(d)

    @classmethod
    def __factory_from_dict__(cls, name, d) -> Solver:
        """The Solver of :meth:`__reduce_to_dict__`; its model is loaded when it next solves."""
        from ..impurity import FreeImpuritySolver  # a stand-in until the first solve: no model loaded here

        settings = {key: d[key] for key in SETTINGS if key in d and key != "model"}
        settings = {key: (int(v) if key.startswith("n_") else float(v)) for key, v in settings.items()}
        containers = "own" if isinstance(d["G_iw"], type(to_own(d["G_iw"]))) else "triqs"
        gf_struct = [(str(block), int(size)) for block, size in d["gf_struct"]]
        solver = cls(gf_struct=gf_struct, impurity_solver=FreeImpuritySolver(), containers=containers, **settings)
        solver.model, solver._impurity_solver = d.get("model"), None  # loaded from solver.model on first use
        for key in (*GF_ATTRIBUTES, *STATE):
            if key in d:
                setattr(solver, key, d[key])
        if "Delta_infty" in d:
            solver.Delta_infty = [np.asarray(x) for x in d["Delta_infty"]]
        return solver
