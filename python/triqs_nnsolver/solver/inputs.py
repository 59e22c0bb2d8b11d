"""What a Solver is asked: the constructor's settings and each ``solve``'s arguments and inputs, checked once.

:func:`solve_request` turns the arguments of ``solve`` and the Solver's input attribute (``S.G0_iw``, or
``S.Delta_w`` when an impurity level ``eps_d`` / ``h_loc0`` is given) into a :class:`SolveRequest` of plain
arrays, or raises an error that names the argument or the attribute, what was expected and what was given.
Under MPI it runs on rank 0, with the solve (``Solver.solve``): a rank whose inputs differ cannot fail alone.

What is not here: the bath fit of the input (:mod:`.hybridization`), the impurity solve and the outputs.
Layer: ``solver``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..checks import integer, real_number
from .containers import own_mesh
from .interaction import LocalTerms, interaction_from_operator

__all__ = ["SolveRequest", "solve_request", "solver_settings", "broadening"]


@dataclass(frozen=True)
class SolveRequest:
    """One solve, checked. Energies in the caller's unit.

    Attributes
    ----------
    terms : LocalTerms
        ``U``, the one-body level shift and the constant of ``h_int`` (or of ``U``).
    attribute : {'G0_iw', 'Delta_w'}
        The input attribute.
    eps_input : float or None
        The impurity level of a real-axis input (``Delta_w``), None for ``G0_iw``.
    inputs : list of ndarray of complex
        The input data per block (one array, their average, when paramagnetic).
    labels : list of str
        ``S.G0_iw`` or ``S.G0_iw['up']``, ... for messages, one per input.
    n_bath : int
        Largest number of levels of the bath fit.
    eta : float or None
        Lorentzian broadening of the fitted bath, None for ``hybridization.auto_eta``.
    measure_G_l : bool
        Whether ``G_l`` is computed.
    measure_G_tau : bool
        Whether ``G_tau`` is computed (cthyb's ``measure_G_tau``; an output not computed is not written).
    """

    terms: LocalTerms
    attribute: str
    eps_input: float | None
    inputs: list
    labels: list
    n_bath: int
    eta: float | None
    measure_G_l: bool
    measure_G_tau: bool = True


def broadening(eta) -> float | None:
    """The bath broadening ``eta`` (energy unit, > 0), or None for ``hybridization.auto_eta`` (checked here, at the
    entry; ``hybridization_from_g0_iw`` checks it again for its own direct callers)."""
    return None if eta is None else real_number("eta", eta, unit="energy unit", minimum=0.0, minimum_open=True)


def solver_settings(beta, n_iw, n_tau, n_l, n_w, w_min, w_max, eta, n_bath, delta_interface) -> dict:
    """The Solver's constructor arguments, checked (see ``Solver``), by name.

    Raises
    ------
    ValueError
        For a bad value (the message names the argument and the value).
    NotImplementedError
        For ``delta_interface=True``.
    """
    if delta_interface:
        raise NotImplementedError(
            "delta_interface=True (input Delta_tau and h_loc0) is not supported: give G0_iw, or the real-axis "
            "hybridization S.Delta_w together with solve(eps_d=...) or solve(h_loc0=...)"
        )
    settings = {"beta": real_number("beta", beta, unit="1/energy", minimum=0.0, minimum_open=True)}
    settings.update(n_iw=integer("n_iw", n_iw, minimum=1), n_tau=integer("n_tau", n_tau, minimum=2))
    settings.update(n_l=integer("n_l", n_l, minimum=1), n_w=integer("n_w", n_w, minimum=2))
    w_min, w_max = real_number("w_min", w_min, unit="energy unit"), real_number("w_max", w_max, unit="energy unit")
    if not w_min < w_max:
        raise ValueError(f"w_min < w_max must be finite frequencies; got w_min = {w_min!r}, w_max = {w_max!r}")
    settings.update(w_min=w_min, w_max=w_max, eta=broadening(eta), n_bath=integer("n_bath", n_bath, minimum=1))
    return {**settings, "delta_interface": False}


def _local_terms(h_int, U, block_names) -> LocalTerms:
    if h_int is not None and U is not None:
        raise ValueError("solve: give either h_int (an operator) or U (a number), not both")
    if h_int is not None:
        terms = interaction_from_operator(h_int, block_names)
        real_number("the U of h_int", terms.U, unit="energy unit, repulsive", minimum=0.0)
        return terms
    if U is None:
        raise ValueError("solve needs the interaction: h_int = U * n('up', 0) * n('down', 0), or U = <number>")
    return LocalTerms(U=real_number("U", U, unit="energy unit, repulsive", minimum=0.0), level_shift=0.0, constant=0.0)


def _input_level(eps_d, h_loc0, block_names) -> float | None:
    """The impurity level of a real-axis input (``eps_d`` or ``h_loc0``), or None for the G0_iw path."""
    if eps_d is not None and h_loc0 is not None:
        raise ValueError("solve: give the impurity level either as eps_d or as h_loc0, not both")
    if h_loc0 is not None:
        terms = interaction_from_operator(h_loc0, block_names, name="h_loc0")
        if terms.U != 0:
            raise ValueError(f"h_loc0 must be one-body; got an n_up n_dn term {terms.U} (put it in h_int)")
        return terms.level_shift
    if eps_d is None:
        return None
    return real_number("eps_d", eps_d, unit="energy unit")


def _block_data(G, attribute: str, block_names, mesh) -> list[np.ndarray]:
    """``[G[name].data[:, 0, 0] for each block]`` of an input BlockGf, after checking blocks, mesh and values."""
    try:
        names = [name for name, _ in G]
    except TypeError as err:
        raise TypeError(f"S.{attribute} must be a BlockGf; got {type(G).__name__}") from err
    if names != list(block_names):
        raise ValueError(f"S.{attribute} must have the blocks {list(block_names)} (gf_struct); got {names}")
    data = []
    for name, g in G:
        if own_mesh(g.mesh) != mesh:
            raise ValueError(f"S.{attribute}['{name}'] must be on the mesh {mesh}; got {own_mesh(g.mesh)}")
        if tuple(g.data.shape) != (len(mesh), 1, 1):
            expected = (len(mesh), 1, 1)
            raise ValueError(f"S.{attribute}['{name}'].data must have shape {expected}; got {g.data.shape}")
        values = np.array(g.data[:, 0, 0], dtype=complex)
        if not np.all(np.isfinite(values)):
            bad = int(np.flatnonzero(~np.isfinite(values))[0])
            raise ValueError(
                f"S.{attribute}['{name}'] must be finite; got {values[bad]} at data index {bad} (NaN or inf)"
            )
        data.append(values)
    return data


def solve_request(
    solver, h_int, U, eps_d, h_loc0, n_bath, eta, paramagnetic, spin_tolerance, measure_G_l, measure_G_tau=True
) -> SolveRequest:
    """Check the arguments of ``solver.solve`` and read its input attribute (module docstring).

    Raises
    ------
    ValueError, TypeError, NotImplementedError
        As listed in ``Solver.solve``; each message names the argument or attribute.
    """
    terms = _local_terms(h_int, U, solver.block_names)
    eps_input = _input_level(eps_d, h_loc0, solver.block_names)
    n_bath = solver.n_bath if n_bath is None else integer("n_bath", n_bath, minimum=1)
    eta = solver.eta if eta is None else broadening(eta)
    spin_tolerance = real_number("spin_tolerance", spin_tolerance, minimum=0.0)
    attribute, mesh = ("G0_iw", solver.mesh_iw) if eps_input is None else ("Delta_w", solver.mesh_w)
    data = _block_data(getattr(solver, attribute), attribute, solver.block_names, mesh)
    if not any(np.any(d != 0) for d in data):
        hint = "set S.G0_iw" if eps_input is None else "set S.Delta_w (the real-axis hybridization)"
        raise ValueError(f"S.{attribute} is zero: {hint} before solve")
    difference = max(np.abs(d - data[0]).max() for d in data) / max(np.abs(d).max() for d in data)
    if paramagnetic and difference > spin_tolerance:
        raise ValueError(
            f"S.{attribute}: the blocks {solver.block_names} differ by {difference:.3g} (max relative), more than "
            f"spin_tolerance = {spin_tolerance:g}; the model is paramagnetic: symmetrize the input, or pass "
            "solve(paramagnetic=False) to solve each block on its own"
        )
    if paramagnetic:
        inputs, labels = [sum(data) / len(data)], [f"S.{attribute}"]
    else:
        inputs, labels = data, [f"S.{attribute}['{name}']" for name in solver.block_names]
    return SolveRequest(
        terms, attribute, eps_input, inputs, labels, n_bath, eta, bool(measure_G_l), bool(measure_G_tau)
    )
