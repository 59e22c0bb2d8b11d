"""Schema and storage: round trip, refusal of foreign or newer files, input checks, crash-safe resume."""

from __future__ import annotations

import json

import h5py
import numpy as np
import pytest

from triqs_nnsolver.data import SCHEMA_VERSION, DatasetError, DatasetWriter, file_fields, read_dataset


def test_round_trip_keeps_every_field(tmp_path, write_random, random_sample, grid, alphas):
    path = write_random(tmp_path / "a.h5", range(3))
    data = read_dataset(path)
    assert data["n_samples"] == 3 and data["schema_version"] == SCHEMA_VERSION
    np.testing.assert_array_equal(data["grid"], grid)
    np.testing.assert_array_equal(data["alphas"], alphas)
    assert data["provenance"] == {"generator": "test", "settings": {"purpose": "unit test"}, "seed": 0}
    for index in range(3):
        sample = random_sample(index)
        for name in file_fields(SCHEMA_VERSION):
            stored = data[name][index]
            if name == "bath_eta":  # not given: NaN
                assert np.all(np.isnan(stored))
                continue
            if name in ("bath_eps", "bath_V"):  # NaN-padded from 3 levels to n_bath_max = 4
                assert np.isnan(stored[3])
                stored = stored[:3]
            np.testing.assert_array_equal(stored, sample[name], err_msg=name)  # bit-exact: float64 in, out


def test_close_trims_reserved_rows(tmp_path, write_random):
    path = write_random(tmp_path / "a.h5", range(3))
    with h5py.File(path, "r") as file:
        assert all(dataset.shape[0] == 3 for dataset in file["samples"].values())


def _rewrite_attr(path, name, value):
    with h5py.File(path, "r+") as file:
        file.attrs[name] = value


def test_newer_schema_is_refused_with_file_and_versions(tmp_path, write_random):
    path = write_random(tmp_path / "new.h5", range(1))
    _rewrite_attr(path, "schema_version", np.int64(SCHEMA_VERSION + 1))
    with pytest.raises(
        DatasetError, match=rf"new\.h5 has schema_version {SCHEMA_VERSION + 1}, newer than.*{SCHEMA_VERSION}"
    ):
        read_dataset(path)


def test_unknown_older_schema_is_refused(tmp_path, write_random):
    path = write_random(tmp_path / "old.h5", range(1))
    _rewrite_attr(path, "schema_version", np.int64(0))
    with pytest.raises(DatasetError, match=r"old\.h5 has schema_version 0.*supported: 1, 2"):
        read_dataset(path)


def test_wrong_format_is_refused(tmp_path, write_random):
    path = write_random(tmp_path / "other.h5", range(1))
    _rewrite_attr(path, "format", "someone.else")
    with pytest.raises(DatasetError, match=r"other\.h5 is not a triqs_nnsolver dataset.*'someone.else'"):
        read_dataset(path)


def test_plain_hdf5_file_is_refused(tmp_path):
    path = tmp_path / "plain.h5"
    with h5py.File(path, "w") as file:
        file["x"] = np.arange(3)
    with pytest.raises(DatasetError, match="plain.h5 is not a triqs_nnsolver dataset"):
        read_dataset(path)


def test_inconsistent_shape_is_refused(tmp_path, write_random):
    path = write_random(tmp_path / "bad.h5", range(2))
    with h5py.File(path, "r+") as file:
        del file["samples/A_tilde"]
        file["samples/A_tilde"] = np.zeros((2, 3, 48))  # 3 alphas where the file has 2
    with pytest.raises(DatasetError, match=r"bad\.h5: /samples/A_tilde must have shape \(N, 2, 48\)"):
        read_dataset(path)


def test_append_checks_its_input(tmp_path, grid, alphas, provenance, random_sample):
    with DatasetWriter(tmp_path / "a.h5", grid, alphas, 4, provenance) as writer:
        with pytest.raises(TypeError, match=r"unknown \['colour'\]"):
            writer.append({**random_sample(0), "colour": 1})
        with pytest.raises(ValueError, match="'rho_Delta' must have shape"):
            writer.append({**random_sample(0), "rho_Delta": np.zeros(5)})
        with pytest.raises(ValueError, match="'A_tilde' must be finite"):
            writer.append({**random_sample(0), "A_tilde": np.full((2, grid.size), np.inf)})
        partial = random_sample(0)["A_real"].copy()
        partial[3] = np.nan
        with pytest.raises(ValueError, match="'A_real' must be finite, or all NaN"):
            writer.append({**random_sample(0), "A_real": partial})
        with pytest.raises(ValueError, match="'max_bond_dim' must be >= 1, or -1 for an exact method"):
            writer.append({**random_sample(0), "max_bond_dim": 0})
        with pytest.raises(ValueError, match="'energy_variance' must be >= 0 or NaN"):
            writer.append({**random_sample(0), "energy_variance": -1e-3})
        writer.append(random_sample(0))
        with pytest.raises(ValueError, match=r"already present.*\[10000\]"):
            writer.append(random_sample(0))
        assert writer.n_samples == 1


def test_writer_checks_grid_alphas(tmp_path, grid, provenance):
    with pytest.raises(ValueError, match="grid must not contain w = 0"):
        DatasetWriter(tmp_path / "a.h5", np.linspace(-1, 1, 5), [0.1], 3, provenance)
    with pytest.raises(ValueError, match=r"alphas must lie in \(0, 1.5708\)"):
        DatasetWriter(tmp_path / "a.h5", grid, [0.1, 2.0], 3, provenance)
    with pytest.raises(TypeError, match="provenance must be a dict with keys generator, settings, seed"):
        DatasetWriter(tmp_path / "a.h5", grid, [0.1], 3, {"generator": "x"})


def test_resume_with_other_settings_is_refused(tmp_path, write_random, grid, alphas):
    path = write_random(tmp_path / "a.h5", range(1))
    other = {"generator": "test", "settings": {"purpose": "something else"}, "seed": 0}
    with pytest.raises(DatasetError, match=r"cannot resume .*a\.h5: its provenance differs"):
        DatasetWriter(path, grid, alphas, 4, other)
    with pytest.raises(DatasetError, match="its grid differs"):
        DatasetWriter(path, grid * 2, alphas, 4, {"generator": "test", "settings": {"purpose": "unit test"}, "seed": 0})


def test_crash_mid_append_leaves_committed_samples_and_is_overwritten(tmp_path, write_random, random_sample):
    """A crash after the rows of sample 3 are written but before n_samples is raised (the commit)."""
    path = write_random(tmp_path / "crash.h5", range(3))
    with h5py.File(path, "r+") as file:  # what a killed append leaves: rows beyond n_samples, not counted
        for dataset in file["samples"].values():
            dataset.resize(5, axis=0)
            dataset[3:] = -7 if dataset.dtype.kind == "i" else np.inf
    data = read_dataset(path)
    assert data["n_samples"] == 3 and data["sample_id"].tolist() == [10_000, 10_001, 10_002]
    write_random(path, range(3, 6))  # resume: the same writer code reopens and appends
    reference = write_random(tmp_path / "straight.h5", range(6))
    resumed, straight = read_dataset(path), read_dataset(reference)
    assert resumed["sample_id"].tolist() == [10_000 + i for i in range(6)]
    for name in file_fields(SCHEMA_VERSION):
        np.testing.assert_array_equal(resumed[name], straight[name], err_msg=name)


def test_settings_are_stored_as_json(tmp_path, write_random):
    path = write_random(tmp_path / "a.h5", range(1))
    with h5py.File(path, "r") as file:
        assert json.loads(file["provenance"].attrs["settings"]) == {"purpose": "unit test"}
