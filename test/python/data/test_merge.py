"""Merging shards (atomic, checked) and the content hash of a data set."""

from __future__ import annotations

import os

import h5py
import numpy as np
import pytest

from triqs_nnsolver.data import (
    SCHEMA_VERSION,
    DatasetError,
    EDSettings,
    dataset_hash,
    file_fields,
    generate_ed_samples,
    merge_shards,
    read_dataset,
)


def test_merge_of_two_shards_is_sorted_and_complete(tmp_path, write_random):
    a = write_random(tmp_path / "a.h5", [4, 0, 2])
    b = write_random(tmp_path / "b.h5", [1, 3], n_bath_max=6)
    assert merge_shards([a, b], tmp_path / "all.h5") == 5
    merged, straight = read_dataset(tmp_path / "all.h5"), read_dataset(write_random(tmp_path / "s.h5", range(5)))
    assert merged["provenance"] == straight["provenance"]  # shards of one run keep its provenance
    assert merged["n_bath_max"] == 3  # cut to the largest bath (3 levels), padding dropped
    for name in file_fields(SCHEMA_VERSION):
        expected = straight[name][:, :3] if name in ("bath_eps", "bath_V", "bath_eta") else straight[name]
        np.testing.assert_array_equal(merged[name], expected, err_msg=name)
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]  # no temporary file left


def test_merge_refuses_mismatched_grids(tmp_path, write_random, grid):
    a = write_random(tmp_path / "a.h5", [0])
    b = write_random(tmp_path / "b.h5", [1], grid_override=grid * 1.5)
    with pytest.raises(DatasetError, match=r"b\.h5 and .*a\.h5 have different grid"):
        merge_shards([a, b], tmp_path / "all.h5")
    assert not (tmp_path / "all.h5").exists()


def test_merge_refuses_duplicate_ids_and_keeps_the_old_output(tmp_path, write_random):
    a = write_random(tmp_path / "a.h5", [0, 1])
    b = write_random(tmp_path / "b.h5", [1, 2])
    out = write_random(tmp_path / "out.h5", [7])
    with pytest.raises(DatasetError, match=r"sample id 10001 occurs in both .*a\.h5 and .*b\.h5"):
        merge_shards([a, b], out)
    assert read_dataset(out)["sample_id"].tolist() == [10_007]


def test_merge_of_different_runs_records_every_source(tmp_path, grid, alphas):
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    generate_ed_samples(a, 1, 1, grid, alphas, EDSettings(n_bath=3), progress=False)
    generate_ed_samples(b, 2, 2, grid, alphas, EDSettings(n_bath=5), progress=False)
    merge_shards([a, b], tmp_path / "all.h5")
    merged = read_dataset(tmp_path / "all.h5")
    provenance = merged["provenance"]
    assert provenance["generator"] == "merged" and provenance["seed"] == -1
    assert [s["seed"] for s in provenance["settings"]["sources"]] == [1, 2]
    # the poles travel along, cut to the most poles of any sample
    assert merged["raw"] == "poles" and merged["n_poles"] == np.isfinite(merged["pole_energy"]).sum(axis=1).max()
    for name in ("pole_energy", "pole_weight"):
        for entry in (read_dataset(a), read_dataset(b)):
            row = int(np.flatnonzero(merged["sample_id"] == entry["sample_id"][0])[0])
            count = int(np.isfinite(entry[name][0]).sum())
            np.testing.assert_array_equal(merged[name][row, :count], entry[name][0, :count])


def test_merge_refuses_files_of_different_raw_kinds(tmp_path, write_random, ed_file):
    a = write_random(tmp_path / "a.h5", [0])  # raw 'none'; ed_file holds poles
    with pytest.raises(DatasetError, match=r"different raw layouts cannot be merged .*raw 'none'.*raw 'poles'"):
        merge_shards([a, ed_file], tmp_path / "all.h5")


def test_sharded_generation_equals_one_run(tmp_path, grid, alphas, ed_file):
    shards = [tmp_path / f"shard{rank}.h5" for rank in range(2)]
    for rank, shard in enumerate(shards):
        generate_ed_samples(shard, 4, 7, grid, alphas, EDSettings(n_bath=3), shard=(rank, 2), progress=False)
    merge_shards(shards, tmp_path / "merged.h5")
    merged, single = read_dataset(tmp_path / "merged.h5"), read_dataset(ed_file)
    assert merged["n_poles"] <= single["n_poles"]  # the merge cuts the pole padding
    for name in file_fields(SCHEMA_VERSION, "poles"):
        if name in ("pole_energy", "pole_weight"):
            np.testing.assert_array_equal(merged[name], single[name][:, : merged["n_poles"]], err_msg=name)
        elif name != "wall_time":
            np.testing.assert_array_equal(merged[name], single[name], err_msg=name)
    assert dataset_hash(shards) == dataset_hash([ed_file]) == dataset_hash(tmp_path / "merged.h5")


def test_hash_ignores_file_split_order_padding_and_wall_time(tmp_path, write_random):
    whole = write_random(tmp_path / "whole.h5", range(4))
    a = write_random(tmp_path / "a.h5", [3, 1], n_bath_max=5)
    b = write_random(tmp_path / "b.h5", [0, 2])
    reference = dataset_hash(whole)
    assert len(reference) == 64
    assert dataset_hash([a, b]) == dataset_hash([b, a]) == reference
    with h5py.File(a, "r+") as file:
        file["samples/wall_time"][0] = 123.0
    assert dataset_hash([a, b]) == reference


def test_hash_changes_with_any_trained_number(tmp_path, write_random):
    path = write_random(tmp_path / "a.h5", range(2))
    before = dataset_hash(path)
    with h5py.File(path, "r+") as file:
        file["samples/A_tilde"][1, 0, 5] += 1e-12
    assert dataset_hash(path) != before
