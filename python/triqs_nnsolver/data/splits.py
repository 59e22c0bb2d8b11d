"""Deterministic train / validation / test split by sample id.

Each sample id is hashed to a number ``u`` in [0, 1) (the splitmix64 finalizer of the id, top 53 bits);
with fractions ``(f_train, f_validation, f_test)`` a sample is in ``train`` if ``u < f_train``, in
``validation`` if ``u < f_train + f_validation``, else in ``test``. The split of a sample depends on
its id and the fractions only: all alphas of a sample share its split, adding or removing files never
moves a sample, and every machine agrees. The hash mixes all 64 bits, so the consecutive ids of one run
(``seed * 2**32 + index``) spread evenly.

What is not here: reading files (:mod:`.store`), torch datasets (:mod:`triqs_nnsolver.train.dataset`).
Layer: ``data``; numpy only.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SPLITS", "DEFAULT_FRACTIONS", "split_point", "assign_splits", "split_mask"]

SPLITS = ("train", "validation", "test")
DEFAULT_FRACTIONS = (0.8, 0.1, 0.1)
_FRACTION_SUM_TOL = 1e-9  # fractions must sum to 1 up to rounding of decimal inputs such as 0.7 + 0.2 + 0.1


def split_point(sample_ids) -> np.ndarray:
    """The number ``u`` in [0, 1) that decides the split of each sample id.

    Parameters
    ----------
    sample_ids : array_like of int, shape (N,)
        Sample ids (int64).

    Returns
    -------
    numpy.ndarray of float64, shape (N,)
        ``(splitmix64(id) >> 11) * 2**-53``, with splitmix64's finalizer
        ``z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB; z ^ (z >> 31)``
        applied to ``id + 0x9E3779B97F4A7C15`` (arithmetic modulo 2**64).
    """
    z = np.asarray(sample_ids, dtype=np.int64).astype(np.uint64)
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def _check_fractions(fractions) -> tuple[float, float, float]:
    values = tuple(float(f) for f in fractions)
    if len(values) != 3 or min(values) < 0 or abs(sum(values) - 1.0) > _FRACTION_SUM_TOL:
        raise ValueError(
            f"fractions must be three non-negative numbers (train, validation, test) summing to 1; got {fractions!r}"
        )
    return values


def assign_splits(sample_ids, fractions=DEFAULT_FRACTIONS) -> np.ndarray:
    """Split of every sample id as an index into :data:`SPLITS` (0 train, 1 validation, 2 test).

    Parameters
    ----------
    sample_ids : array_like of int, shape (N,)
    fractions : (float, float, float)
        Target fractions of train, validation and test (non-negative, sum 1); the realised fractions
        scatter around them binomially.

    Returns
    -------
    numpy.ndarray of int8, shape (N,)

    Raises
    ------
    ValueError
        If ``fractions`` are not three non-negative numbers summing to 1.
    """
    f_train, f_validation, _ = _check_fractions(fractions)
    u = split_point(sample_ids)
    return np.where(u < f_train, 0, np.where(u < f_train + f_validation, 1, 2)).astype(np.int8)


def split_mask(sample_ids, split: str, fractions=DEFAULT_FRACTIONS) -> np.ndarray:
    """Boolean mask, shape (N,), of the sample ids in ``split`` (one of :data:`SPLITS`).

    Raises
    ------
    ValueError
        If ``split`` is unknown or ``fractions`` are invalid.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}; got split = {split!r}")
    return assign_splits(sample_ids, fractions) == SPLITS.index(split)
