"""The keyword arguments of ``Solver.solve``: ours, those of cthyb and hubbardI that pass through, and typos.

Existing TRIQS scripts hand the solver a dict of cthyb parameters (``TRIQS.md`` section 1.2). The
quantum Monte Carlo ones (cycles, moves, seeds, tail-fit windows, ...) mean nothing here: they are
accepted, recorded in ``last_solve_parameters`` and listed as ignored. A few are honoured
(:data:`HONOURED`). Any other name is an error with the nearest known names, so a typo
(``n_cycle``, ``measure_gl``) is never silently dropped.

Layer: ``solver``.
"""

from __future__ import annotations

import difflib

__all__ = ["IGNORED", "HONOURED", "split_parameters"]

IGNORED = frozenset(
    {
        # cthyb core, moves and numerics (solve_parameters_t)
        "n_cycles", "partition_method", "quantum_numbers", "loc_n_min", "loc_n_max", "length_cycle",
        "n_warmup_cycles", "random_seed", "random_name", "max_time", "move_shift", "move_double", "move_global",
        "move_global_prob", "use_trace_estimator", "proposal_prob", "imag_threshold", "off_diag_threshold",
        "det_init_size", "det_n_operations_before_check", "det_precision_warning", "det_precision_error",
        "det_singular_threshold", "use_norm_as_weight", "performance_analysis", "nfft_buf_sizes",
        # cthyb measurements we do not make
        "measure_O_tau", "measure_O_tau_min_ins", "measure_G2_tau", "measure_G2_iw", "measure_G2_iw_nfft",
        "measure_G2_iw_pp", "measure_G2_iw_pp_nfft", "measure_G2_iw_ph", "measure_G2_iw_ph_nfft",
        "measure_G2_iwll_pp", "measure_G2_iwll_ph", "measure_G2_block_order", "measure_G2_blocks",
        "measure_G2_n_tau", "measure_G2_n_bosonic", "measure_G2_n_fermionic", "measure_G2_n_l",
        "measure_G2_iwll_nfft_buf_size", "measure_pert_order", "measure_density_matrix",
        # cthyb Python post-processing: G_iw here has the exact tail of A, nothing to fit
        "perform_post_proc", "perform_tail_fit", "fit_min_n", "fit_max_n", "fit_min_w", "fit_max_w",
        "fit_max_moment", "fit_known_moments",
        # hubbardI
        "calc_gtau", "calc_gw", "calc_dm",
    }
)  # fmt: skip
"""Accepted and ignored (recorded in ``last_solve_parameters``, listed in ``Solver.ignored_parameters``)."""

HONOURED = {
    "measure_G_tau": "False: G_tau is not computed and not written (~1 ms of a solve on 10001 times)",
    "measure_g_tau": "deprecated cthyb alias of measure_G_tau",
    "measure_G_l": "compute G_l (Legendre) when True",
    "measure_g_l": "deprecated cthyb alias of measure_G_l",
    "calc_gl": "hubbardI name of measure_G_l",
    "verbosity": "0: silent; >= 1: one summary line per solve on rank 0",
}
"""cthyb/hubbardI names with a meaning here."""


def split_parameters(params: dict, own: set[str]) -> tuple[dict, list[str]]:
    """Check ``params`` (the ``**params`` of ``solve``) and return the honoured ones and the ignored names.

    Raises
    ------
    TypeError
        For names that are neither ours (``own``), nor honoured, nor ignored; the message lists them with the
        nearest known names.
    """
    known = set(IGNORED) | set(HONOURED) | set(own)
    unknown = sorted(set(params) - known)
    if unknown:
        hints = {name: difflib.get_close_matches(name, sorted(known), n=3) for name in unknown}
        raise TypeError(
            f"Solver.solve got unknown parameters {unknown} (nearest known names: {hints}); cthyb's QMC parameters "
            "are accepted and ignored, see triqs_nnsolver.solver.parameters.IGNORED"
        )
    honoured = {name: value for name, value in params.items() if name in HONOURED}
    return honoured, sorted(name for name in params if name in IGNORED)
