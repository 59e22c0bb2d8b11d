"""Deterministic train/validation/test split by sample id."""

from __future__ import annotations

import numpy as np
import pytest

from triqs_nnsolver.data import SPLITS, assign_splits, sample_id, split_mask, split_point

IDS = np.array([sample_id(seed, index) for seed in (0, 1, 12345) for index in range(4000)])


def test_split_points_are_fixed_numbers():
    # splitmix64 (Vigna's reference generator) seeded with 0 and 1 first outputs 0xE220A8397B1DCDAF and
    # 0x910A2DEC89025CC1; their top 53 bits over 2^53 are exact in float64. A change here moves samples.
    expected = [0xE220A8397B1DCDAF >> 11, 0x910A2DEC89025CC1 >> 11]
    np.testing.assert_array_equal(split_point([0, 1]), np.array(expected, dtype=np.float64) * 2.0**-53)
    u = split_point(IDS)
    assert np.all((0 <= u) & (u < 1))
    assert np.unique(u).size == IDS.size


def test_fractions_are_met_and_splits_are_disjoint():
    codes = assign_splits(IDS, (0.8, 0.1, 0.1))
    counts = np.bincount(codes, minlength=3) / IDS.size
    # 12000 ids: binomial scatter sqrt(0.1 * 0.9 / 12000) = 0.003; 0.015 is five standard deviations
    np.testing.assert_allclose(counts, (0.8, 0.1, 0.1), atol=0.015)
    masks = [split_mask(IDS, split) for split in SPLITS]
    assert np.array_equal(sum(m.astype(int) for m in masks), np.ones(IDS.size, int))


def test_split_of_a_sample_does_not_depend_on_the_others():
    alone = [assign_splits([i])[0] for i in IDS[:50]]
    assert np.array_equal(assign_splits(IDS)[:50], alone)
    more = np.concatenate([IDS, [sample_id(99, i) for i in range(100)]])  # another file's samples
    assert np.array_equal(assign_splits(more)[: IDS.size], assign_splits(IDS))


def test_invalid_arguments_are_named():
    with pytest.raises(ValueError, match=r"fractions must be three non-negative numbers.*\(0.5, 0.5\)"):
        assign_splits(IDS, (0.5, 0.5))
    with pytest.raises(ValueError, match="split must be one of"):
        split_mask(IDS, "holdout")
