"""Evaluation report of a trained network on held-out data: errors, real-axis accuracy, sum rule, positivity.

:func:`evaluate` runs the network over a dataset (items as in :func:`triqs_nnsolver.train.train`) and
returns a JSON-ready dict:

- ``per_alpha``: for each alpha of the data, the max and the RMS over the grid of
  ``|A~_pred - A~_data|`` per item, each averaged and maximised over the items (plus the RMS error of
  ``dA~/dalpha``);
- ``real_axis``: the real-axis prediction of ``METHOD.md`` section 3 for every sample (one per
  ``sample_id``), at alpha = 0 and by the first-order formula ``A ~ A~_alpha - alpha dA~/dalpha`` at a small
  trained alpha, scored against each sample whose ``"A_real"`` is finite on the whole grid;
- ``sum_rule``: ``int A dw - 1``, trapezoid rule on the (non-uniform) model grid, for the tilted predictions
  (``tilted``), the tilted data (``tilted_data``) and both real-axis predictions (``alpha_0``,
  ``first_order``); the grid ends at +-grid_w_max, so even exact tilted data lose the Lorentzian tails
  beyond it: compare ``tilted`` with ``tilted_data``;
- ``positivity``: smallest value and fraction of negative grid values for the same four families
  (the Softplus output is positive by construction; the first-order formula need not be);
- ``examples``: the curves of a few samples for :func:`write_report`'s plot.

:func:`write_report` writes ``evaluation.json`` and ``evaluation.png`` (matplotlib, Agg canvas; no
pyplot state is touched). Not here: the training loss (:mod:`.loss`), renormalisation of ``int A = 1``.

Layer: ``train``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from scipy.integrate import trapezoid
from torch.utils.data import DataLoader

from ..model import ImpuritySpectralNet
from .loss import ALPHA_INDEX, predict_with_alpha_derivative

__all__ = ["evaluate", "write_report"]

_ALPHA_MATCH = 1e-6  # rad: alphas closer than this are the same trained alpha (float32 storage of the alpha list)


def _mean_max(values: np.ndarray) -> dict:
    return {"mean": float(np.mean(values)), "max": float(np.max(values))}


def _errors(prediction: np.ndarray, reference: np.ndarray) -> dict:
    """Per-item max and RMS over the grid of |prediction - reference|, averaged and maximised over items."""
    error = np.abs(prediction - reference)  # (n_items, n_w)
    return {"max_abs_error": _mean_max(error.max(axis=1)), "rms_error": _mean_max(np.sqrt(np.mean(error**2, axis=1)))}


def _sum_rule(w: np.ndarray, A: np.ndarray) -> dict:
    deviation = trapezoid(A, w, axis=1) - 1.0  # (n_items,)
    return {"mean_deviation": float(np.mean(deviation)), "max_abs_deviation": float(np.max(np.abs(deviation)))}


def _positivity(A: np.ndarray) -> dict:
    return {"min": float(np.min(A)), "fraction_negative": float(np.mean(A < 0))}


def _collect(model, dataset, batch_size: int, device) -> dict:
    """Inputs, targets and predictions of every item as numpy arrays (float64 for the statistics)."""
    parts = {key: [] for key in ("hybridization", "params", "A_tilde", "dA_tilde_dalpha", "sample_id", "A_real")}
    parts.update(A_tilde_pred=[], dA_tilde_dalpha_pred=[])
    for batch in DataLoader(dataset, batch_size=batch_size, shuffle=False):
        A_pred, dA_pred = predict_with_alpha_derivative(
            model, batch["hybridization"].to(device), batch["params"].to(device), create_graph=False
        )  # (B, n_w) each
        parts["A_tilde_pred"].append(A_pred.cpu().double().numpy())
        parts["dA_tilde_dalpha_pred"].append(dA_pred.cpu().double().numpy())
        n, n_w = A_pred.shape
        batch.setdefault("A_real", torch.full((n, n_w), float("nan")))
        for key in ("hybridization", "params", "A_tilde", "dA_tilde_dalpha", "sample_id", "A_real"):
            parts[key].append(batch[key].numpy())
    return {key: np.concatenate(values) for key, values in parts.items()}


def _real_axis_predictions(model, data: dict, first_indices: np.ndarray, alpha_1: float | None, device) -> dict:
    """A at alpha = 0 and by the first-order formula at ``alpha_1`` for the items ``first_indices``."""
    hybridization = torch.as_tensor(data["hybridization"][first_indices], device=device)
    params = torch.as_tensor(data["params"][first_indices], device=device).clone()  # (S, 3)
    params[:, ALPHA_INDEX] = 0.0
    with torch.no_grad():
        result = {"alpha_0": model(hybridization, params).cpu().double().numpy()}  # (S, n_w)
    if alpha_1 is not None:
        params[:, ALPHA_INDEX] = alpha_1
        A_tilde, dA_tilde = predict_with_alpha_derivative(model, hybridization, params, create_graph=False)
        result["first_order"] = (A_tilde - alpha_1 * dA_tilde).cpu().double().numpy()  # (S, n_w)
    return result


def _example(data: dict, real: dict, has_reference: np.ndarray, sample_ids: np.ndarray, position: int) -> dict:
    """Curves of the sample ``sample_ids[position]`` for the plot: every alpha, and the real axis."""
    sample_id = sample_ids[position]
    rows = np.flatnonzero(data["sample_id"] == sample_id)  # its items, one per alpha
    tilted = [
        {
            "alpha": float(data["params"][r, ALPHA_INDEX]),
            "A_tilde_data": data["A_tilde"][r].tolist(),
            "A_tilde_pred": data["A_tilde_pred"][r].tolist(),
        }
        for r in rows
    ]
    example = {"sample_id": int(sample_id), "tilted": tilted}
    example["A_real"] = data["A_real"][rows[0]].tolist() if has_reference[position] else None
    example.update({f"A_real_pred_{name}": predicted[position].tolist() for name, predicted in real.items()})
    return example


def evaluate(
    model: ImpuritySpectralNet,
    dataset,
    alphas=None,
    first_order_alpha: float | None = None,
    batch_size: int = 64,
    n_examples: int = 4,
) -> dict:
    """Accuracy report of ``model`` on ``dataset`` (see the module docstring for the fields).

    Parameters
    ----------
    model : ImpuritySpectralNet
        The trained network (its ``config.grid`` is the frequency grid of the data); evaluated on its device.
    dataset : torch.utils.data.Dataset
        Items with ``"hybridization"``, ``"params"`` = (U, eps_d, alpha), ``"A_tilde"``, ``"dA_tilde_dalpha"``,
        ``"sample_id"`` and optionally ``"A_real"`` (NaN where there is no real-axis reference).
    alphas : sequence of float, optional
        Only report these alphas (radians; matched to the data within 1e-6). Default: every alpha present.
    first_order_alpha : float, optional
        The alpha of the first-order real-axis formula. Default: the smallest positive alpha in the data
        (the formula is then skipped if there is none).
    batch_size : int, optional
        Items per forward pass.
    n_examples : int, optional
        Samples whose curves go into ``report["examples"]`` (the first ones by ``sample_id``).

    Returns
    -------
    dict
        JSON-serialisable report; values are floats, lists and None.

    Raises
    ------
    TypeError
        If ``model`` has no ModelConfig ``config``.
    ValueError
        If ``dataset`` is empty, a requested alpha is not in it, or ``first_order_alpha`` is not in (0, pi/2).
    """
    if not hasattr(model, "config") or not hasattr(model.config, "grid"):
        raise TypeError(f"model must be an ImpuritySpectralNet with a ModelConfig; got {type(model).__name__}")
    if len(dataset) == 0:
        raise ValueError("dataset must hold at least one item; got an empty dataset")
    if first_order_alpha is not None and not 0 < first_order_alpha < np.pi / 2:
        raise ValueError(f"first_order_alpha must lie in (0, pi/2) radians; got {first_order_alpha = }")
    model.eval()
    device = next(model.parameters()).device
    w = model.config.grid  # (n_w,)
    data = _collect(model, dataset, batch_size, device)
    item_alphas = data["params"][:, ALPHA_INDEX].astype(np.float64)  # (N,)
    present = np.unique(item_alphas)
    requested = present if alphas is None else np.asarray(alphas, dtype=np.float64).reshape(-1)
    per_alpha = []
    for alpha in requested:
        selected = np.abs(item_alphas - alpha) < _ALPHA_MATCH
        if not selected.any():
            raise ValueError(f"alphas must be alphas of the dataset {present.tolist()}; got alpha = {alpha}")
        entry = {"alpha": float(alpha), "n_items": int(selected.sum())}
        entry.update(_errors(data["A_tilde_pred"][selected], data["A_tilde"][selected].astype(np.float64)))
        entry["derivative_rms_error"] = _errors(
            data["dA_tilde_dalpha_pred"][selected], data["dA_tilde_dalpha"][selected].astype(np.float64)
        )["rms_error"]
        per_alpha.append(entry)

    sample_ids, first_indices = np.unique(data["sample_id"], return_index=True)  # one item per sample
    if first_order_alpha is None and np.any(present > 0):
        first_order_alpha = float(present[present > 0].min())
    real = _real_axis_predictions(model, data, first_indices, first_order_alpha, device)
    A_real = data["A_real"][first_indices].astype(np.float64)  # (S, n_w)
    has_reference = np.all(np.isfinite(A_real), axis=1)  # (S,)
    real_axis = {
        "n_samples": int(sample_ids.size),
        "n_with_reference": int(has_reference.sum()),
        "first_order_alpha": first_order_alpha,
    }
    families = {"tilted": data["A_tilde_pred"], "tilted_data": data["A_tilde"].astype(np.float64), **real}
    for name, predicted in real.items():
        real_axis[name] = _errors(predicted[has_reference], A_real[has_reference]) if has_reference.any() else None

    examples = [_example(data, real, has_reference, sample_ids, s) for s in range(min(n_examples, sample_ids.size))]
    return {
        "n_items": int(item_alphas.size),
        "n_samples": int(sample_ids.size),
        "grid": w.tolist(),
        "model_config": model.config.to_dict(),
        "per_alpha": per_alpha,
        "real_axis": real_axis,
        "sum_rule": {name: _sum_rule(w, A) for name, A in families.items()},
        "positivity": {name: _positivity(A) for name, A in families.items()},
        "examples": examples,
    }


def write_report(report: dict, out_dir) -> dict:
    """Write ``evaluation.json`` and ``evaluation.png`` (tilted and real-axis curves of the examples).

    Parameters
    ----------
    report : dict
        The output of :func:`evaluate`.
    out_dir : str or os.PathLike
        Folder (created if missing).

    Returns
    -------
    dict
        ``{"json": Path, "png": Path}``.

    Raises
    ------
    ValueError
        If ``report`` lacks the ``"grid"`` or ``"examples"`` of an :func:`evaluate` report.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    missing = [key for key in ("grid", "examples") if key not in report]
    if missing:
        raise ValueError(f"report must be the dict returned by evaluate(); it lacks {missing}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "evaluation.json", "png": out_dir / "evaluation.png"}
    paths["json"].write_text(json.dumps(report, indent=2, allow_nan=False))

    w = np.asarray(report["grid"])
    examples = report["examples"]
    n_columns = max(len(examples), 1)
    figure = Figure(figsize=(3.2 * n_columns, 5.5), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(2, n_columns, squeeze=False, sharex=True)
    for column, example in enumerate(examples):
        tilted, real = axes[0, column], axes[1, column]
        for k, curve in enumerate(example["tilted"]):
            color = f"C{k}"
            tilted.plot(w, curve["A_tilde_data"], color=color, label=f"data, alpha = {curve['alpha']:.2f}")
            tilted.plot(w, curve["A_tilde_pred"], color=color, linestyle="--", label="network")
        if example["A_real"] is not None:
            real.plot(w, example["A_real"], color="k", label="reference")
        real.plot(w, example["A_real_pred_alpha_0"], linestyle="--", label="network, alpha = 0")
        if "A_real_pred_first_order" in example:
            real.plot(w, example["A_real_pred_first_order"], linestyle=":", label="first order")
        tilted.set_title(f"sample {example['sample_id']}")
        tilted.set_ylabel("A~_alpha(w)")
        real.set_ylabel("A(w)")
        real.set_xlabel("w (model unit)")
        tilted.legend(fontsize="x-small")
        real.legend(fontsize="x-small")
    figure.savefig(paths["png"], dpi=100)
    return paths
