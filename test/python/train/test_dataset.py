"""The torch Dataset of the data files: item contract of the training loop, splits, domain, mixed files refused.

Provenance (no stored files): ``ed_file`` holds 4 exact-diagonalization samples (seed 7, 3 bath levels,
alphas 0.2 and 0.5) on ``make_nonuniform_refreq(8, 48, 0.3)``, written by ``generate_ed_samples`` once per
module, as the ``data`` tests' fixture of the same name; ``other_alphas_file`` 1 sample (seed 8) at alphas
0.2 and 0.6 on the same grid.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from triqs_nnsolver.data import DatasetError, EDSettings, generate_ed_samples, read_dataset
from triqs_nnsolver.gf import spectral_norm
from triqs_nnsolver.train.dataset import SpectralDataset, load_splits

ED_SETTINGS = EDSettings(n_bath=3)  # 3 levels: about 0.03 s per sample, enough for every data path


@pytest.fixture(scope="module")
def other_alphas_file(tmp_path_factory, grid):
    path = tmp_path_factory.mktemp("other") / "other.h5"
    generate_ed_samples(path, 1, 8, grid, (0.2, 0.6), ED_SETTINGS, progress=False)
    return path


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


def test_files_with_other_alphas_are_refused(ed_file, other_alphas_file):
    with pytest.raises(DatasetError, match=r"other\.h5 and .*ed\.h5 have different alphas"):
        SpectralDataset([ed_file, other_alphas_file])
