"""Particle-hole mirrors of training samples: the same problem reflected at the Fermi level, for free.

The reflection ``w -> -w`` maps one impurity problem onto another: bath levels ``eps_k -> -eps_k`` (couplings and
input half-widths unchanged), ``eps_d -> -U - eps_d``, U unchanged. Its Green's function is
``G'(w) = -conj(G(-w))``: ``A'(w) = A(-w)``, ``rho_Delta'(w) = rho_Delta(-w)`` and ``Re Delta'(w) = -Re Delta(-w)``,
and, since the tilted kernel treats the particle (G>) and hole (G<) rays alike, ``A~'_alpha(w) = A~_alpha(-w)``
and the same for ``dA~/dalpha`` (tested against the exact solve of the reflected problem). On a grid symmetric
about 0 a mirror is therefore a reversal of the fields on the grid, and needs neither raw data nor a solver.

A sample that is its own mirror (particle-hole symmetric: ``eps_d = -U/2`` and a symmetric bath, to rounding)
adds nothing and is left out. What is not here: which split a mirror belongs to (its original's:
``train.dataset``). Layer: ``data``; numpy only.
"""

from __future__ import annotations

import numpy as np

from .schema import SAMPLE_FIELDS

__all__ = ["SYMMETRY_TOLERANCE", "particle_hole_mirrors"]

SYMMETRY_TOLERANCE = 1e-10
"""Relative size below which a sample counts as its own mirror (``|eps_d + U/2|`` and the largest change of
``A~`` under reflection, each relative to its scale): far above float64 rounding of the exact sources (1e-14),
far below any physical asymmetry a model should learn."""


def particle_hole_mirrors(data: dict) -> dict:
    """The mirrors of the samples of ``data`` that are not their own mirror (module docstring).

    Parameters
    ----------
    data : dict
        ``grid`` (n_w,), and per sample (leading axis N) ``U``, ``eps_d``, ``rho_Delta``, ``re_Delta`` (n_w,),
        ``A_tilde``, ``dA_tilde_dalpha`` (n_alpha, n_w), ``A_real`` (n_w,), ``sample_id``; other sample fields
        of :data:`~.schema.SAMPLE_FIELDS` pass unchanged (bath and poles are not reflected: grid fields only),
        keys that are not sample fields are dropped.

    Returns
    -------
    dict
        The same keys, for the M <= N mirrored samples (``sample_id``: the original's), plus ``mirror_of``
        (M,) int64, the row of each original in ``data``.

    Raises
    ------
    ValueError
        If the grid is not symmetric about 0 (``grid == -grid[::-1]`` to 1e-12 of its range).
    """
    grid = np.asarray(data["grid"], dtype=np.float64)
    if not np.allclose(grid, -grid[::-1], rtol=0, atol=1e-12 * np.abs(grid).max()):
        raise ValueError(
            f"particle-hole mirrors need a frequency grid symmetric about 0; got grid from {grid[0]:g} to {grid[-1]:g} "
            "that is not (train without --mirror, or retarget onto a symmetric grid)"
        )
    A = data["A_tilde"]
    scale = np.max(np.abs(A), axis=(1, 2))
    asymmetry = np.max(np.abs(A - A[..., ::-1]), axis=(1, 2)) / np.where(scale > 0, scale, 1.0)
    level = np.abs(data["eps_d"] + data["U"] / 2) / np.maximum(1.0, data["U"])
    rows = np.flatnonzero((asymmetry > SYMMETRY_TOLERANCE) | (level > SYMMETRY_TOLERANCE))
    reversed_fields = {"rho_Delta", "A_tilde", "dA_tilde_dalpha", "A_real"}
    mirrored = {}
    for name, value in data.items():
        if name not in SAMPLE_FIELDS:
            continue
        value = value[rows]
        if name in reversed_fields:
            value = value[..., ::-1]
        elif name == "re_Delta":
            value = -value[..., ::-1]
        elif name == "eps_d":
            value = -data["U"][rows] - value
        mirrored[name] = np.ascontiguousarray(value)
    mirrored["mirror_of"] = rows.astype(np.int64)
    return mirrored
