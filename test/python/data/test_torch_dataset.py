"""The torch Dataset: item contract of triqs_nnsolver.train, splits, domain, refusal of mixed files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
import torch

from triqs_nnsolver.data import DatasetError, read_dataset
from triqs_nnsolver.data.torch_dataset import SpectralDataset, load_splits
from triqs_nnsolver.gf import spectral_norm


def test_items_follow_the_training_contract(ed_file, grid, alphas):
    dataset = SpectralDataset(ed_file)
    data = read_dataset(ed_file)
    assert len(dataset) == data["n_samples"] * alphas.size == 8
    np.testing.assert_array_equal(dataset.grid, grid)
    np.testing.assert_array_equal(dataset.sample_ids, data["sample_id"])
    item = dataset[3]  # sample 1, alpha 1
    n_w = grid.size
    shapes = {"hybridization": (n_w, 1), "params": (3,), "A_tilde": (n_w,), "dA_tilde_dalpha": (n_w,), "A_real": (n_w,)}
    for key, shape in shapes.items():
        assert item[key].shape == shape and item[key].dtype == torch.float32, key
    assert item["sample_id"].dtype == torch.int64 and item["sample_id"].shape == ()
    assert item["sample_id"].item() == data["sample_id"][1] and item["alpha_index"].item() == 1
    expected = np.float32([data["U"][1], data["eps_d"][1], alphas[1]])
    np.testing.assert_array_equal(item["params"].numpy(), expected)
    np.testing.assert_array_equal(item["A_tilde"].numpy(), data["A_tilde"][1, 1].astype(np.float32))
    batch = next(iter(torch.utils.data.DataLoader(dataset, batch_size=4)))
    assert batch["hybridization"].shape == (4, n_w, 1)


def test_re_delta_channel(ed_file):
    item = SpectralDataset(ed_file, use_re_delta=True)[0]
    assert item["hybridization"].shape[1] == 2
    np.testing.assert_array_equal(
        item["hybridization"][:, 1].numpy(), read_dataset(ed_file)["re_Delta"][0].astype(np.float32)
    )


def test_splits_partition_the_samples(ed_file):
    train, validation, test = load_splits([ed_file], fractions=(0.5, 0.25, 0.25))
    ids = [set(d.sample_ids.tolist()) for d in (train, validation, test)]
    assert set().union(*ids) == set(read_dataset(ed_file)["sample_id"].tolist())
    assert sum(len(s) for s in ids) == 4
    assert np.array_equal(
        SpectralDataset(ed_file, split="train", fractions=(0.5, 0.25, 0.25)).sample_ids, train.sample_ids
    )


def test_training_domain(ed_file):
    domain = SpectralDataset(ed_file).training_domain()
    data = read_dataset(ed_file)
    assert domain["U"] == (data["U"].min(), data["U"].max())
    assert domain["alpha"] == (0.2, 0.5)
    scale = np.sqrt(spectral_norm(data["grid"], data["rho_Delta"].T) / 0.25)
    assert domain["hybridization_scale"] == (scale.min(), scale.max())
    # the broadened 3-level bath loses a few percent of its weight beyond the grid: the scale is just below 1
    assert 0.9 < domain["hybridization_scale"][0] <= domain["hybridization_scale"][1] < 1


def test_files_with_other_alphas_are_refused(tmp_path, ed_file, write_random):
    other = write_random(tmp_path / "other.h5", [0])  # same grid as ed_file
    with h5py.File(other, "r+") as file:
        file["alphas"][1] = 0.6  # ed_file has (0.2, 0.5)
    with pytest.raises(DatasetError, match=r"other\.h5 and .*ed\.h5 have different alphas"):
        SpectralDataset([ed_file, other])


def test_the_data_package_imports_without_torch():
    code = "import sys, triqs_nnsolver.data; sys.exit('torch' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3] / "python")}
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0
