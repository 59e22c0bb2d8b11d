"""Schema 1 and 2 files are still read, merged, hashed and resumed (upgraded to schema 3).

An old file is made exactly as its writer left it: the layout of schema 3 without the raw data (``bath_eta``,
the ``raw`` and ``grid_functions`` attributes) and, for schema 1, without the three diagnostic datasets,
with ``schema_version`` set back.
"""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from triqs_nnsolver.data import (
    FIELD_VERSION,
    MISSING_VALUES,
    RAW_FIELDS,
    SAMPLE_FIELDS,
    SCHEMA_VERSION,
    DatasetError,
    DatasetWriter,
    dataset_hash,
    fields_of_version,
    file_fields,
    has_raw,
    merge_shards,
    read_dataset,
)

DIAGNOSTICS = ("max_bond_dim", "ground_energy", "energy_variance")
SERIES = RAW_FIELDS["series"]


def _downgrade(path, version=2):
    with h5py.File(path, "r+") as file:
        for name in ("bath_eta", *RAW_FIELDS["poles"], *SERIES, *(DIAGNOSTICS if version == 1 else ())):
            if name in file["samples"]:
                del file["samples"][name]
        for name in ("raw", "grid_functions"):
            del file.attrs[name]
        if "times" in file:
            del file["times"]
        file.attrs["schema_version"] = np.int64(version)
    return path


def _downgrade_to_schema_1(path):
    return _downgrade(path, 1)


def test_schema_3_adds_the_raw_data_and_schema_2_the_run_diagnostics():
    assert SCHEMA_VERSION == 3
    assert {name for name, version in FIELD_VERSION.items() if version == 2} == set(DIAGNOSTICS)
    assert set(fields_of_version(2)) - set(fields_of_version(1)) == set(DIAGNOSTICS)
    assert set(fields_of_version(3)) - set(fields_of_version(2)) == {"bath_eta"}
    assert set(file_fields(3, "poles")) | set(SERIES) == set(SAMPLE_FIELDS)
    assert set(file_fields(3, "series", grid_functions=False)).isdisjoint({"rho_Delta", "A_tilde", "pole_energy"})


def test_schema_2_series_file_resumed_by_an_mps_writer_keeps_old_rows_without_series(
    tmp_path, write_random, random_sample, grid, alphas, provenance
):
    path = _downgrade(write_random(tmp_path / "v2.h5", range(2)))
    times = 0.2 * np.arange(5)
    series = {name: np.full((len(alphas), times.size), 1.0 + 2.0j) for name in SERIES}
    with DatasetWriter(path, grid, alphas, 4, provenance, raw="series", times=times) as writer:
        writer.append({**random_sample(2), **series, "bath_eta": [0.1, 0.2, 0.3]})
    data = read_dataset(path)
    assert data["schema_version"] == 3 and data["raw"] == "series"
    np.testing.assert_array_equal(data["times"], times)
    assert has_raw(data).tolist() == [False, False, True]  # the schema-2 rows have no series (NaN)
    assert np.all(np.isnan(data["G_greater"][:2])) and np.all(data["G_lesser"][2] == 1.0 + 2.0j)
    with pytest.raises(DatasetError, match=r"raw layout"):
        DatasetWriter(path, grid, alphas, 4, provenance, raw="series", times=0.1 * np.arange(5))


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
        assert all(file["samples"][name].shape[0] == 5 for name in file_fields(SCHEMA_VERSION))  # trimmed
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


def test_merge_of_schema_1_and_3_shards_is_schema_3(tmp_path, write_random):
    old = _downgrade_to_schema_1(write_random(tmp_path / "old.h5", range(0, 4, 2)))
    new = write_random(tmp_path / "new.h5", range(1, 4, 2))
    assert merge_shards([old, new], tmp_path / "merged.h5") == 4
    merged = read_dataset(tmp_path / "merged.h5")
    assert merged["schema_version"] == SCHEMA_VERSION
    assert merged["max_bond_dim"].tolist() == [-1, 11, -1, 13]  # sorted by id: 0 (old), 1 (new), 2, 3


@pytest.mark.parametrize("version", [1, 2, 3])
def test_missing_dataset_of_the_files_own_version_is_refused(tmp_path, write_random, version):
    path = write_random(tmp_path / "a.h5", range(1))
    if version < 3:
        _downgrade(path, version)
    with h5py.File(path, "r+") as file:
        del file["samples/seed"]
    with pytest.raises(DatasetError, match=r"a\.h5: /samples/seed is missing"):
        read_dataset(path)
