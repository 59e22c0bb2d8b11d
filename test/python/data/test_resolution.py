"""The resolution sigma_w of a data set, read from the provenance of its files; a mixture is refused."""

from __future__ import annotations

import pytest

from triqs_nnsolver.data import (
    DatasetError,
    EDSettings,
    data_resolution,
    generate_ed_samples,
    merge_shards,
    settings_resolution,
)

ALPHAS = (0.2, 0.5)


def _ed_file(path, grid, seed, sigma_w):
    generate_ed_samples(path, 2, seed, grid, ALPHAS, EDSettings(n_bath=3, sigma_w=sigma_w), progress=False)
    return path


def test_resolution_of_ed_files_broadened_or_not(tmp_path, grid):
    assert data_resolution([_ed_file(tmp_path / "exact.h5", grid, 1, None)]) == 0.0  # unbroadened targets
    broadened = [_ed_file(tmp_path / "a.h5", grid, 2, 0.2), _ed_file(tmp_path / "b.h5", grid, 3, 0.2)]
    assert data_resolution(broadened) == 0.2


def test_mixed_resolutions_are_refused_naming_the_files(tmp_path, grid):
    files = [_ed_file(tmp_path / "coarse.h5", grid, 1, 0.2), _ed_file(tmp_path / "fine.h5", grid, 2, 0.1)]
    with pytest.raises(DatasetError, match=r"different resolutions sigma_w .*coarse\.h5: \[0\.2\].*fine\.h5: \[0\.1\]"):
        data_resolution(files)
    merge_shards(files, tmp_path / "merged.h5")  # a merge of two runs keeps both settings under "sources"
    with pytest.raises(DatasetError, match=r"merged\.h5: \[0\.1, 0\.2\]"):
        data_resolution([tmp_path / "merged.h5"])


def test_settings_resolution_of_both_sources():
    assert settings_resolution({"backend": "mps", "window": "gaussian", "sigma_w": 0.2}) == {0.2}
    assert settings_resolution({"backend": "mps", "window": "tukey", "sigma_w": None}) == {0.0}
    nested = {"sources": [{"settings": {"sigma_w": 0.1}}, {"settings": {"backend": "ed"}}]}
    assert settings_resolution(nested) == {0.0, 0.1}
