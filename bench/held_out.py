"""Held-out real-axis errors of a model file, per regime, and how its ensemble spread tracks them.

The test split (``data.splits``: by sample id, never trained on, never used for model selection) of the given data
files is run through the model file at alpha = 0, on the model grid, in model units, and compared with the
samples' real-axis targets ``A_real``. Per sample: ``max_w |A - A_real|`` and the RMS over the grid. Regimes:

- ``U < 2``, ``2 <= U < 4``, ``U >= 4`` (model units: the Bethe half-bandwidth D = 1);
- particle-hole symmetric (``|eps_d + U/2| < 0.05`` and a symmetric bath) or not;
- metal or insulator by the target: ``A_real`` at the grid points nearest 0 above or below 0.1.

For an ensemble model file the members' standard deviation (max over w, per sample) is set against the error:
the Spearman rank correlation, and the error's median in the lower and upper half of the spread.

Usage: python bench/held_out.py --model PATH --data FILE [FILE ...] [--split test] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from scipy.stats import spearmanr

from triqs_nnsolver.runtime import load_model
from triqs_nnsolver.train.dataset import load_splits

_SPLITS = ("train", "validation", "test")


def predictions(model_path: str, dataset) -> tuple[np.ndarray, np.ndarray | None]:
    """The network's A at alpha = 0 for every sample of ``dataset`` (S, n_w); the members' std for an ensemble."""
    network = torch.jit.load(model_path, map_location="cpu").eval()
    hybridization = dataset._hybridization  # (S, n_w, channels), float32, model units
    params = torch.cat([dataset._scalars, torch.zeros(len(dataset._scalars), 1)], dim=1)
    outputs = []
    with torch.no_grad():
        for start in range(0, len(params), 256):
            outputs.append(network(hybridization[start : start + 256], params[start : start + 256]).numpy())
    out = np.concatenate(outputs, axis=0)
    if out.ndim == 3:  # an ensemble's members (S, M, n_w)
        return out.mean(axis=1), out.std(axis=1)
    return out, None


def regimes(dataset) -> dict[str, np.ndarray]:
    U, eps_d = dataset._U, dataset._eps_d
    rho = dataset._rho
    symmetric = (np.abs(eps_d + U / 2) < 0.05) & (np.max(np.abs(rho - rho[:, ::-1]), axis=1) < 1e-3 * rho.max(axis=1))
    center = np.argsort(np.abs(dataset.grid))[:2]
    A0 = dataset._A_real.numpy()[:, center].mean(axis=1)
    return {
        "all": np.ones(U.size, bool),
        "U < 2": U < 2,
        "2 <= U < 4": (U >= 2) & (U < 4),
        "U >= 4": U >= 4,
        "particle-hole symmetric": symmetric,
        "not symmetric": ~symmetric,
        "metal (A_real(0) > 0.1)": A0 > 0.1,
        "insulator (A_real(0) <= 0.1)": A0 <= 0.1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", nargs="+", required=True)
    parser.add_argument("--split", choices=_SPLITS, default="test")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    use_re_delta = load_model(args.model).metadata.model_config.use_re_delta
    dataset = dict(zip(_SPLITS, load_splits(args.data, use_re_delta=use_re_delta), strict=True))[args.split]
    A, spread = predictions(args.model, dataset)
    target = dataset._A_real.numpy()
    has = np.all(np.isfinite(target), axis=1)
    max_error = np.max(np.abs(A - target), axis=1)
    rms_error = np.sqrt(np.mean((A - target) ** 2, axis=1))
    report = {"model": args.model, "split": args.split, "n_samples": int(has.sum()), "regimes": {}}
    print(f"{args.split} split: {has.sum()} samples with a real-axis target")
    print(f"{'regime':32s} {'n':>5s} {'mean max|dA|':>13s} {'median':>8s} {'p90':>8s} {'mean RMS':>9s}")
    for name, mask in regimes(dataset).items():
        mask = mask & has
        if not mask.any():
            continue
        row = {
            "n": int(mask.sum()),
            "mean_max_error": float(max_error[mask].mean()),
            "median_max_error": float(np.median(max_error[mask])),
            "p90_max_error": float(np.percentile(max_error[mask], 90)),
            "mean_rms_error": float(rms_error[mask].mean()),
        }
        report["regimes"][name] = row
        print(
            f"{name:32s} {row['n']:5d} {row['mean_max_error']:13.4f} {row['median_max_error']:8.4f} "
            f"{row['p90_max_error']:8.4f} {row['mean_rms_error']:9.4f}"
        )
    if spread is not None:
        spread_max = np.max(spread, axis=1)[has]
        errors = max_error[has]
        rho_s = float(spearmanr(spread_max, errors).statistic)
        low = spread_max <= np.median(spread_max)
        report["spread"] = {
            "spearman_spread_vs_max_error": rho_s,
            "median_error_low_spread": float(np.median(errors[low])),
            "median_error_high_spread": float(np.median(errors[~low])),
            "median_spread": float(np.median(spread_max)),
        }
        print(
            f"ensemble spread (max over w) vs max error: Spearman {rho_s:.3f}; median error "
            f"{report['spread']['median_error_low_spread']:.4f} (lower half of the spread) vs "
            f"{report['spread']['median_error_high_spread']:.4f} (upper half)"
        )
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
