"""Recompute the fields on the grid of a data file from its raw data: another grid, resolution or set of alphas.

A schema-3 sample keeps what its targets were computed from (:mod:`.schema`): the bath (``bath_eps``,
``bath_V``, ``bath_eta``) and the exact poles (raw = 'poles') or the MPS complex-time series (raw =
'series'). From them, without rerunning a solver:

- the network input: ``Delta(w) = sum_k V_k^2 / (w - eps_k + i eta_k)``, ``rho_Delta = -Im Delta / pi`` and
  ``re_Delta = Re Delta`` on the grid (the formula of :meth:`.synthetic.EDProblem.hybridization`);
- poles: ``A~_alpha`` and ``dA~_alpha/dalpha`` by the exact tilt of the poles (``spectral.tilt``,
  ``spectral.dtilt_dalpha``), convolved with a Gaussian of deviation ``sigma_w`` when one is set, at any
  alphas; ``A_real`` by the file's rule (:mod:`.real_axis`: the poles as Lorentzians of half-width
  ``real_axis_width``, or the ``'self_energy'`` rule with its ``real_axis_slope``; NaN without a width);
- series: ``A~_alpha`` and ``dA~_alpha/dalpha`` by the Filon transform of the stored series with the file's
  time window (``spectral.tilted_spectral_from_time``); the Gaussian window's ``sigma_w`` may be changed as long
  as the window has decayed by the series' last time (``spectral.gaussian_window_t_max``); the alphas are the
  series' own; ``A_real`` NaN.

On the generation grid and settings this reproduces what the generator stored (to rounding; tested). A sample
without raw data (a row of an upgraded schema-1/2 file, :func:`~.schema.has_raw`) cannot be retargeted and is
left out, with the count reported. :func:`retarget_file` writes the result atomically as a compressed file
(temporary file, then ``os.replace``); with ``grid_functions=False`` it writes the compact form (raw data only,
pole padding cut to the most poles of any sample) that the repository keeps, and from which training computes
its targets on the model grid (:func:`retarget_samples`).

The provenance of the output is the input's, with the changed target settings (``sigma_w``,
``real_axis_width``, and ``real_axis_rule``/``real_axis_slope`` when the rule is not the default ``'lorentzian'``)
and a ``retargeted`` record (source file, grid size and range, alphas); its resolution
reads as before (:mod:`.resolution`). Merged inputs are retargeted when all their sources agree on backend,
window and resolution. Layer: ``data``; imports ``gf``, ``spectral``.
"""

from __future__ import annotations

import logging
import os

import numpy as np

from ..gf import PoleSum
from ..spectral import dtilt_dalpha, dtilted_spectral_from_time, gaussian_window_t_max, tilt, tilted_spectral_from_time
from .real_axis import (
    DEFAULT_REAL_AXIS_RULE,
    SELF_ENERGY_ETA0,
    SELF_ENERGY_SLOPE,
    check_real_axis_rule,
    real_axis_target,
)
from .schema import GRID_FIELDS, SCHEMA_VERSION, DatasetError, file_fields, has_raw
from .store import check_alphas, check_grid, read_dataset, write_dataset

__all__ = ["KEEP", "target_settings", "raw_fields", "retarget_samples", "retarget_file", "with_grid_functions"]

logger = logging.getLogger(__name__)

KEEP = "keep"
"""Default of the target options: the input file's own value."""

_TARGET_KEYS = (
    "backend",
    "window",
    "sigma_w",
    "real_axis_width",
    "real_axis_rule",
    "real_axis_slope",
    "input_broadening_scale",
)


def target_settings(settings: dict) -> dict:
    """The settings that fix a file's targets: ``backend`` ('ed', 'lanczos', 'mps'), ``window`` (MPS; else None),
    ``sigma_w`` (None: unbroadened), ``real_axis_width`` (None: no ``A_real``), ``real_axis_rule`` (default
    ``'lorentzian'``) and ``real_axis_slope`` (None for ``'lorentzian'``), from its provenance settings.

    Raises
    ------
    DatasetError
        For a merged file whose sources disagree on them.
    """
    if "sources" in settings:
        found = [target_settings(source["settings"]) for source in settings["sources"]]
        if any(entry != found[0] for entry in found[1:]):
            raise DatasetError(
                f"the merged sources disagree on their target settings: {found}; retarget them one by one"
            )
        return found[0]
    backend = settings.get("backend")
    return {
        "backend": backend,
        "window": settings.get("window") if backend == "mps" else None,
        "sigma_w": settings.get("sigma_w"),
        "real_axis_width": settings.get("real_axis_width"),
        "real_axis_rule": settings.get("real_axis_rule", DEFAULT_REAL_AXIS_RULE),
        "real_axis_slope": settings.get("real_axis_slope"),
        "input_broadening_scale": float(settings.get("input_broadening_scale", 1.0)),
    }


def _hybridization(data: dict, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """rho_Delta and re_Delta (N, n_w) of every sample from its levels, couplings and half-widths."""
    eps, V, eta = (np.nan_to_num(data[name], nan=0.0) for name in ("bath_eps", "bath_V", "bath_eta"))
    eta = np.where(np.isnan(data["bath_V"]), 1.0, eta)  # padding: V = 0 contributes nothing
    Delta = (V[:, None, :] ** 2 / (grid[None, :, None] - eps[:, None, :] + 1j * eta[:, None, :])).sum(axis=-1)
    return -Delta.imag / np.pi, Delta.real


def _pole_targets(data, grid, alphas, sigma_w, real_axis_width, rule, slope) -> dict:
    n = data["sample_id"].size
    A_tilde = np.empty((n, alphas.size, grid.size))
    dA_tilde = np.empty_like(A_tilde)
    A_real = np.full((n, grid.size), np.nan)
    for row in range(n):
        present = ~np.isnan(data["pole_energy"][row])
        poles = PoleSum(data["pole_energy"][row][present], data["pole_weight"][row][present])
        for k, alpha in enumerate(alphas):
            A_tilde[row, k] = tilt(poles, grid, alpha, sigma_w=sigma_w)
            dA_tilde[row, k] = dtilt_dalpha(poles, grid, alpha, sigma_w=sigma_w)
        if real_axis_width is not None:
            levels = ~np.isnan(data["bath_V"][row])
            A_real[row] = real_axis_target(
                poles, *(data[name][row][levels] for name in ("bath_eps", "bath_V", "bath_eta")), grid,
                real_axis_width, rule, slope,
            )  # fmt: skip
    return {"A_tilde": A_tilde, "dA_tilde_dalpha": dA_tilde, "A_real": A_real}


def _series_targets(data, grid, window, sigma_w) -> dict:
    options = {"sigma_w": sigma_w} if window == "gaussian" else {}
    times = data["times"]
    # stored (N, n_alpha, n_t); the transform takes (n_t, ...) and returns (n_w, ...)
    A_tilde = tilted_spectral_from_time(
        times, data["G_greater"].transpose(2, 0, 1), data["G_lesser"].transpose(2, 0, 1), grid, window, **options
    )  # (n_w, N, n_alpha)
    dA_tilde = dtilted_spectral_from_time(
        times,
        data["dG_greater_dalpha"].transpose(2, 0, 1),
        data["dG_lesser_dalpha"].transpose(2, 0, 1),
        grid,
        window,
        **options,
    )
    return {
        "A_tilde": A_tilde.transpose(1, 2, 0),
        "dA_tilde_dalpha": dA_tilde.transpose(1, 2, 0),
        "A_real": np.full((data["sample_id"].size, grid.size), np.nan),
    }


def retarget_samples(
    data: dict,
    grid=None,
    alphas=None,
    sigma_w=KEEP,
    real_axis_width=KEEP,
    real_axis_rule=KEEP,
    real_axis_slope=KEEP,
    input_broadening_scale=KEEP,
) -> tuple[dict, dict]:
    """The fields on the grid of the samples of a read file (:func:`~.store.read_dataset`), from their raw data.

    Parameters
    ----------
    data : dict
        A file read whole (every field of its layout; ``raw`` 'poles' or 'series').
    grid : array_like, shape (n_w,), optional
        Real frequencies (energy unit, strictly increasing, no point at 0); default the file's.
    alphas : array_like, optional
        Complex-time angles (radians, in (0, pi/2)); default the file's. A series file has no others.
    sigma_w : float, None or KEEP
        Resolution of ``A~`` and ``dA~`` (Gaussian deviation, energy unit; None: unbroadened, poles only).
    real_axis_width : float, None or KEEP
        Half-width of the Lorentzians of ``A_real``, or eta0 of the ``'self_energy'`` rule (poles only; None: NaN rows).
    real_axis_rule, real_axis_slope : str, float or KEEP
        The rule of ``A_real`` and its slope c (:mod:`.real_axis`; poles only). Choosing ``'lorentzian'`` drops the
        slope.
    input_broadening_scale : float or KEEP
        The input's Lorentzian half-widths as a multiple of the generator's (``bath_eta`` of a fresh file; > 0):
        2 broadens each level over its whole bin instead of half of it (``doc/targets.md``: a ripple of 0.4 %
        instead of 9 % on a linear star). The real-axis target of the ``'self_energy'`` rule follows the input.

    Returns
    -------
    (dict, dict)
        The fields ``sample_id`` and :data:`~.schema.GRID_FIELDS` of the samples that have raw data (N_kept
        rows), and the target settings used (:func:`target_settings` with the changes), plus ``grid``,
        ``alphas``, ``n_dropped`` and ``eta_factor`` (what the stored ``bath_eta`` were multiplied by).

    Raises
    ------
    DatasetError
        For a file without raw data, a merged file whose sources disagree, other alphas for a series, a
        ``sigma_w`` the series' window cannot give, or an unbroadened series target.
    ValueError
        For an invalid grid or alphas.
    """
    if data["raw"] not in ("poles", "series"):
        raise DatasetError(
            f"{data['path']} holds no raw data (raw = {data['raw']!r}): its targets cannot be recomputed"
        )
    grid = data["grid"] if grid is None else check_grid(grid)
    alphas = data["alphas"] if alphas is None else check_alphas(alphas)
    settings = dict(target_settings(data["provenance"]["settings"]))
    if sigma_w != KEEP:
        settings["sigma_w"] = None if sigma_w is None else float(sigma_w)
    if real_axis_width != KEEP:
        settings["real_axis_width"] = None if real_axis_width is None else float(real_axis_width)
    if real_axis_rule != KEEP:
        settings["real_axis_rule"] = real_axis_rule
        if real_axis_rule == DEFAULT_REAL_AXIS_RULE:
            settings["real_axis_slope"] = None
    if real_axis_slope != KEEP:
        settings["real_axis_slope"] = real_axis_slope
    if settings["real_axis_rule"] == "self_energy":  # the study's values where neither the file nor the call names one
        if settings["real_axis_slope"] is None:
            settings["real_axis_slope"] = SELF_ENERGY_SLOPE
        if settings["real_axis_width"] is None:
            settings["real_axis_width"] = SELF_ENERGY_ETA0
    try:
        settings["real_axis_rule"], settings["real_axis_slope"] = check_real_axis_rule(
            settings["real_axis_rule"], settings["real_axis_slope"]
        )
    except ValueError as err:
        raise DatasetError(f"{data['path']}: {err}") from err
    if settings["real_axis_rule"] != DEFAULT_REAL_AXIS_RULE and settings["real_axis_width"] is None:
        raise DatasetError(f"real_axis_rule = {settings['real_axis_rule']!r} needs a real_axis_width (eta0)")
    factor = 1.0
    if input_broadening_scale != KEEP:
        scale = float(input_broadening_scale)
        if not 0 < scale < np.inf:
            raise ValueError(f"input_broadening_scale must be a positive number; got {input_broadening_scale!r}")
        factor = scale / settings["input_broadening_scale"]
        settings["input_broadening_scale"] = scale
    keep = has_raw(data)
    rows = {name: data[name][keep] for name in raw_fields(data)}
    rows["bath_eta"] = rows["bath_eta"] * factor
    rows["times"] = data["times"]
    if data["raw"] == "series":
        if not np.array_equal(alphas, data["alphas"]):
            raise DatasetError(f"{data['path']}: a series file has its targets at its own alphas {data['alphas']} only")
        if settings["window"] == "gaussian":
            if settings["sigma_w"] is None:
                raise DatasetError("an MPS series with the Gaussian window needs a sigma_w > 0 (the window's width)")
            needed = gaussian_window_t_max(settings["sigma_w"])
            if needed > data["times"][-1] * (1 + 1e-9):
                raise DatasetError(
                    f"sigma_w = {settings['sigma_w']} needs series up to t = {needed:.4g}; {data['path']} stops at "
                    f"t_max = {data['times'][-1]:.4g} (spectral.gaussian_window_t_max)"
                )
        elif sigma_w != KEEP:
            raise DatasetError(
                f"sigma_w applies to the Gaussian window only; {data['path']} has {settings['window']!r}"
            )
        if real_axis_width not in (KEEP, None) or real_axis_rule != KEEP or real_axis_slope != KEEP:
            raise DatasetError(
                "an MPS series has no real-axis target (A_real): real_axis_width, real_axis_rule and real_axis_slope "
                "apply to poles only"
            )
        targets = _series_targets(rows, grid, settings["window"], settings["sigma_w"])
    else:
        targets = _pole_targets(
            rows, grid, alphas, settings["sigma_w"], settings["real_axis_width"], settings["real_axis_rule"],
            settings["real_axis_slope"],
        )  # fmt: skip
    rho, re = _hybridization(rows, grid)
    fields = {"sample_id": rows["sample_id"], "rho_Delta": rho, "re_Delta": re, **targets}
    assert set(fields) == {"sample_id", *GRID_FIELDS}
    return fields, {**settings, "grid": grid, "alphas": alphas, "n_dropped": int((~keep).sum()), "eta_factor": factor}


def with_grid_functions(data: dict) -> dict:
    """A read file (:func:`~.store.read_dataset`, every field) with its fields on the grid: as read for a file that
    stores them, else computed from the raw data on the file's own grid, alphas and settings (a compact file holds
    raw samples only). This is how training and the content hash read a compact file: as its expansion."""
    if data["grid_functions"]:
        return data
    fields, _ = retarget_samples(data)
    return {**data, **{name: fields[name] for name in GRID_FIELDS}}


def retarget_file(
    path,
    out,
    grid=None,
    alphas=None,
    sigma_w=KEEP,
    real_axis_width=KEEP,
    grid_functions=True,
    real_axis_rule=KEEP,
    real_axis_slope=KEEP,
    input_broadening_scale=KEEP,
) -> dict:
    """Write ``out``: the samples of ``path`` with their fields on the grid recomputed (module docstring).

    ``grid``, ``alphas``, ``sigma_w``, ``real_axis_width``, ``real_axis_rule``, ``real_axis_slope`` and
    ``input_broadening_scale`` as :func:`retarget_samples` (the written ``bath_eta`` are the scaled ones);
    ``grid_functions=False`` writes the compact form (raw data only; ``grid`` and ``alphas`` then only label the
    file). The output is gzip-compressed and written atomically; an existing file at ``out`` is replaced.

    Returns
    -------
    dict
        ``path``, ``out``, ``n_samples`` (written), ``n_dropped`` (without raw data), ``raw``, ``grid_functions``
        and the target settings.

    Raises
    ------
    DatasetError, ValueError
        As :func:`retarget_samples`, and for an unreadable input.
    """
    data = read_dataset(path)
    path, out = os.fspath(path), os.fspath(out)
    fields, used = retarget_samples(
        data, grid, alphas, sigma_w, real_axis_width, real_axis_rule, real_axis_slope, input_broadening_scale
    )
    keep = has_raw(data)
    rows = {name: data[name][keep] for name in raw_fields(data)}
    rows["bath_eta"] = rows["bath_eta"] * used["eta_factor"]
    if grid_functions:
        rows.update({name: fields[name] for name in GRID_FIELDS})
    n_poles = int(np.isfinite(rows["pole_energy"]).sum(axis=1).max(initial=1)) if data["raw"] == "poles" else 0
    if data["raw"] == "poles":
        rows = {name: (value[:, :n_poles] if name.startswith("pole_") else value) for name, value in rows.items()}
    settings = {key: value for key, value in data["provenance"]["settings"].items()}
    for key in ("sigma_w", "real_axis_width"):
        if key in settings or used[key] is not None:
            settings[key] = used[key]
    if used["input_broadening_scale"] != 1.0:
        settings["input_broadening_scale"] = used["input_broadening_scale"]
    for key in ("real_axis_rule", "real_axis_slope"):  # as the sources write them: only for another rule
        settings.pop(key, None)
        if used["real_axis_rule"] != DEFAULT_REAL_AXIS_RULE:
            settings[key] = used[key]
    settings["retargeted"] = {
        "source": os.path.basename(path),
        "n_w": int(used["grid"].size),
        "w_range": [float(used["grid"][0]), float(used["grid"][-1])],
        "alphas": [float(a) for a in used["alphas"]],
        "grid_functions": "stored" if grid_functions else "omitted",
    }
    provenance = {**data["provenance"], "settings": settings}
    write_dataset(
        out, rows, used["grid"], used["alphas"], data["n_bath_max"], provenance, raw=data["raw"],
        n_poles=max(n_poles, 1), times=data["times"], grid_functions=grid_functions, compress=True,
    )  # fmt: skip
    if used["n_dropped"]:
        logger.warning("%s: %d sample(s) without raw data left out", path, used["n_dropped"])
    return {
        "path": path,
        "out": out,
        "n_samples": int(rows["sample_id"].size),
        "n_dropped": used["n_dropped"],
        "raw": data["raw"],
        "grid_functions": "stored" if grid_functions else "omitted",
        **{key: used[key] for key in _TARGET_KEYS},
    }


def raw_fields(data: dict) -> list[str]:
    """The sample fields of a read file that are not on the grid: what a retargeted file copies as it is."""
    return list(file_fields(SCHEMA_VERSION, data["raw"], grid_functions=False))
