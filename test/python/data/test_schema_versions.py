"""Schema 1 files (no run diagnostics) are still read, merged, hashed and resumed (upgraded to schema 2).

A schema-1 file is made exactly as a schema-1 writer left it: the layout of schema 2 without the three
diagnostic datasets and with ``schema_version = 1``.
"""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from triqs_nnsolver.data import (
    FIELD_VERSION,
    MISSING_VALUES,
    SAMPLE_FIELDS,
    SCHEMA_VERSION,
    DatasetError,
    dataset_hash,
    fields_of_version,
    merge_shards,
    read_dataset,
)

DIAGNOSTICS = ("max_bond_dim", "ground_energy", "energy_variance")


def _downgrade_to_schema_1(path):
    with h5py.File(path, "r+") as file:
        for name in DIAGNOSTICS:
            del file["samples"][name]
        file.attrs["schema_version"] = np.int64(1)
    return path


def test_schema_2_adds_exactly_the_run_diagnostics():
    assert SCHEMA_VERSION == 2 and set(FIELD_VERSION) == set(DIAGNOSTICS)
    assert fields_of_version(2) == tuple(SAMPLE_FIELDS)
    assert set(fields_of_version(2)) - set(fields_of_version(1)) == set(DIAGNOSTICS)


def test_schema_1_file_reads_with_missing_diagnostics(tmp_path, write_random, random_sample):
    path = _downgrade_to_schema_1(write_random(tmp_path / "v1.h5", range(3)))
    data = read_dataset(path)
    assert data["schema_version"] == 1 and data["n_samples"] == 3
    assert data["max_bond_dim"].dtype == np.int64 and np.all(data["max_bond_dim"] == MISSING_VALUES["max_bond_dim"])
    assert np.all(np.isnan(data["ground_energy"])) and np.all(np.isnan(data["energy_variance"]))
    np.testing.assert_array_equal(data["A_tilde"][1], random_sample(1)["A_tilde"])  # the schema-1 fields as stored


def test_resuming_a_schema_1_file_upgrades_it_and_keeps_its_samples(tmp_path, write_random, random_sample):
    path = _downgrade_to_schema_1(write_random(tmp_path / "v1.h5", range(3)))
    write_random(path, range(3, 5))  # the writer reopens the schema-1 file to resume
    with h5py.File(path, "r") as file:
        assert int(file.attrs["schema_version"]) == SCHEMA_VERSION
        assert all(file["samples"][name].shape[0] == 5 for name in SAMPLE_FIELDS)  # trimmed to n_samples
    data = read_dataset(path)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["max_bond_dim"].tolist() == [-1, -1, -1, 13, 14]  # old rows: not available; new rows: stored
    assert np.all(np.isnan(data["ground_energy"][:3])) and data["ground_energy"][4] == random_sample(4)["ground_energy"]
    reference = read_dataset(write_random(tmp_path / "v2.h5", range(5)))
    for name in fields_of_version(1):
        np.testing.assert_array_equal(data[name], reference[name], err_msg=name)


def test_hash_ignores_the_schema_version_and_the_diagnostics(tmp_path, write_random):
    v2 = write_random(tmp_path / "v2.h5", range(4))
    v1 = _downgrade_to_schema_1(write_random(tmp_path / "v1.h5", range(4)))
    assert dataset_hash(v1) == dataset_hash(v2)
    with h5py.File(v2, "r+") as file:
        file["samples/A_tilde"][0, 0, 0] += 1e-12  # a trained-on number: the hash must see it
    assert dataset_hash(v1) != dataset_hash(v2)


def test_merge_of_schema_1_and_2_shards_is_schema_2(tmp_path, write_random):
    old = _downgrade_to_schema_1(write_random(tmp_path / "old.h5", range(0, 4, 2)))
    new = write_random(tmp_path / "new.h5", range(1, 4, 2))
    assert merge_shards([old, new], tmp_path / "merged.h5") == 4
    merged = read_dataset(tmp_path / "merged.h5")
    assert merged["schema_version"] == SCHEMA_VERSION
    assert merged["max_bond_dim"].tolist() == [-1, 11, -1, 13]  # sorted by id: 0 (old), 1 (new), 2, 3


@pytest.mark.parametrize("version", [1, 2])
def test_missing_dataset_of_the_files_own_version_is_refused(tmp_path, write_random, version):
    path = write_random(tmp_path / "a.h5", range(1))
    if version == 1:
        _downgrade_to_schema_1(path)
    with h5py.File(path, "r+") as file:
        del file["samples/seed"]
    with pytest.raises(DatasetError, match=r"a\.h5: /samples/seed is missing"):
        read_dataset(path)
