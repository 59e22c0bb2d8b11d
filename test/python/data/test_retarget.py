"""Schema 3's raw data: targets recomputed from poles or series equal what a generator computes (retarget).

Provenance: every file is generated here from fixed seeds (ED: seed 7 of the shared ``ed_file``, 3 levels; MPS:
seed 5, 3 levels, bond dimension 32, the settings of ``test_mps_source``'s comparison test); nothing is stored.
"""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from triqs_nnsolver.cli.main import main
from triqs_nnsolver.data import (
    DatasetError,
    DatasetWriter,
    EDSettings,
    MPSDataSettings,
    ed_sample,
    generate_ed_samples,
    generate_mps_samples,
    has_raw,
    read_dataset,
)
from triqs_nnsolver.data.retarget import retarget_file, retarget_samples
from triqs_nnsolver.mps import MPSSettings
from triqs_nnsolver.spectral import gaussian_window_t_max

GRID_FIELDS = ("rho_Delta", "re_Delta", "A_tilde", "dA_tilde_dalpha", "A_real")
# the same formulas on the same numbers, summed in another order (a Lorentzian sum per row instead of per
# sample): float64 rounding of values up to ~60 (dA~ at the smallest alpha); measured 1.1e-14
SAME_FORMULA = 1e-12


@pytest.fixture(scope="module")
def mps_file(tmp_path_factory, grid):
    """One MPS sample of 3 levels at sigma_w = 0.5 (t_max = 8.6, dt 0.1), with its series."""
    path = tmp_path_factory.mktemp("mps") / "mps.h5"
    common = {"families": ("semicircle",), "U_range": (1.5, 2.5), "eps_d_range": (0.0, 0.0)}
    mps = MPSSettings(n_bath=3, chi=32, svd_cutoff=1e-14, dt=0.1, t_max=gaussian_window_t_max(0.5, dt=0.1))
    generate_mps_samples(path, 1, 5, grid, (0.2, 0.5), MPSDataSettings(**common, sigma_w=0.5, mps=mps), progress=False)
    return path


def test_exact_file_stores_the_poles_its_targets_come_from(ed_file):
    data = read_dataset(ed_file)
    assert data["raw"] == "poles" and has_raw(data).all()
    weights = data["pole_weight"]
    np.testing.assert_allclose(np.nansum(weights, axis=1), 1.0, rtol=0, atol=1e-13)  # {d, d+} = 1
    fields, used = retarget_samples(data)
    assert used["n_dropped"] == 0 and used["sigma_w"] is None
    for name in GRID_FIELDS:
        np.testing.assert_allclose(fields[name], data[name], rtol=0, atol=SAME_FORMULA, err_msg=name)


def test_retarget_on_another_grid_resolution_and_alphas_is_the_generator_on_them(ed_file, tmp_path):
    grid = np.linspace(-5, 5, 64)  # even: no point at 0
    alphas = (0.05, 0.3)
    report = retarget_file(ed_file, tmp_path / "r.h5", grid, alphas, sigma_w=0.1, real_axis_width=0.02)
    assert report["n_samples"] == 4 and report["sigma_w"] == 0.1
    data = read_dataset(tmp_path / "r.h5")
    settings = EDSettings(n_bath=3, sigma_w=0.1, real_axis_width=0.02)
    for row in range(4):
        expected = ed_sample(7, row, grid, alphas, settings)
        for name in GRID_FIELDS:
            np.testing.assert_allclose(data[name][row], expected[name], rtol=0, atol=SAME_FORMULA, err_msg=name)
    assert data["provenance"]["settings"]["retargeted"]["n_w"] == 64
    assert data["provenance"]["settings"]["sigma_w"] == 0.1  # the resolution reads as the new one


def test_compact_file_holds_the_raw_data_only_and_expands_back(ed_file, tmp_path):
    compact = tmp_path / "compact.h5"
    retarget_file(ed_file, compact, grid_functions=False)
    with h5py.File(compact, "r") as file:
        assert not set(GRID_FIELDS) & set(file["samples"]) and file["samples/pole_energy"].compression == "gzip"
    with pytest.raises(DatasetError, match=r"compact file without the fields on the grid .*retarget"):
        read_dataset(compact, ["A_tilde"])
    retarget_file(compact, tmp_path / "full.h5")
    original, expanded = read_dataset(ed_file), read_dataset(tmp_path / "full.h5")
    for name in GRID_FIELDS:
        np.testing.assert_allclose(expanded[name], original[name], rtol=0, atol=SAME_FORMULA, err_msg=name)
    count = np.isfinite(original["pole_energy"]).sum(axis=1).max()
    assert expanded["n_poles"] == count  # the padding cut to the most poles of any sample


def test_a_retargeted_file_is_not_resumed(ed_file, tmp_path, grid, alphas):
    out = tmp_path / "r.h5"
    retarget_file(ed_file, out)
    with pytest.raises(DatasetError, match=r"compressed .*generate into a new file"):
        generate_ed_samples(out, 5, 7, grid, alphas, EDSettings(n_bath=3), progress=False)


def test_mps_series_reproduce_their_targets_and_give_a_coarser_resolution(mps_file, tmp_path):
    data = read_dataset(mps_file)
    assert data["raw"] == "series" and data["G_greater"].shape == (1, 2, data["times"].size)
    fields, _ = retarget_samples(data)
    for name in GRID_FIELDS:
        np.testing.assert_allclose(fields[name], data[name], rtol=0, atol=SAME_FORMULA, err_msg=name)
    coarse, used = retarget_samples(data, sigma_w=0.8)
    assert used["sigma_w"] == 0.8
    # the broader window: the peak of A~ at the smallest alpha goes down (more smoothing of the same spectrum)
    assert coarse["A_tilde"][0, 0].max() < fields["A_tilde"][0, 0].max()
    with pytest.raises(DatasetError, match=r"sigma_w = 0.2 needs series up to t = 21.\d+; .* t_max = 8.6"):
        retarget_samples(data, sigma_w=0.2)
    with pytest.raises(DatasetError, match=r"its own alphas"):
        retarget_samples(data, alphas=(0.1, 0.2))
    with pytest.raises(DatasetError, match=r"no real-axis target"):
        retarget_samples(data, real_axis_width=0.05)


def test_samples_without_raw_data_are_left_out_and_counted(ed_file, tmp_path, grid, alphas):
    path = tmp_path / "mixed.h5"
    data = read_dataset(ed_file)
    with DatasetWriter(path, grid, alphas, 3, data["provenance"], raw="poles", n_poles=data["n_poles"]) as writer:
        writer.append(ed_sample(7, 0, grid, alphas, EDSettings(n_bath=3)))
        writer.append({**ed_sample(7, 1, grid, alphas, EDSettings(n_bath=3)), "pole_energy": [], "pole_weight": []})
    report = retarget_file(path, tmp_path / "r.h5")
    assert report["n_samples"] == 1 and report["n_dropped"] == 1


def test_file_without_raw_data_is_refused(tmp_path, grid, alphas):
    path = tmp_path / "none.h5"
    provenance = {"generator": "test", "settings": {}, "seed": 0}
    DatasetWriter(path, grid, alphas, 3, provenance).close()
    with pytest.raises(DatasetError, match=r"holds no raw data \(raw = 'none'\)"):
        retarget_file(path, tmp_path / "r.h5")


def test_retarget_command(ed_file, tmp_path, capsys):
    out = tmp_path / "r.h5"
    assert main(["retarget", str(ed_file), "--out", str(out), "--n-w", "32", "--w-max", "6", "--sigma-w", "0.1"]) == 0
    assert '"n_samples": 4' in capsys.readouterr().out
    assert read_dataset(out)["grid"].size == 32
    assert main(["retarget", str(ed_file), "--out", str(out), "--n-w", "32"]) == 2
    assert "--n-w and --w-max go together" in capsys.readouterr().err


def test_training_and_the_hash_read_a_compact_file_as_its_expansion(ed_file, tmp_path):
    from triqs_nnsolver.data import dataset_hash
    from triqs_nnsolver.train.dataset import SpectralDataset

    compact, full = tmp_path / "compact.h5", tmp_path / "full.h5"
    retarget_file(ed_file, compact, grid_functions=False)
    retarget_file(compact, full)
    assert dataset_hash(compact) == dataset_hash(full)
    from_compact, from_full = SpectralDataset(compact), SpectralDataset(full)
    assert len(from_compact) == len(from_full) == 8
    for index in (0, 7):
        for key, value in from_compact[index].items():
            assert (value == from_full[index][key]).all(), key


def test_the_self_energy_rule_takes_the_studys_values_where_none_are_named(ed_file, tmp_path):
    from triqs_nnsolver.data.real_axis import SELF_ENERGY_ETA0, SELF_ENERGY_SLOPE

    # the ED file has a Lorentzian width 0.05 (EDSettings default) but no slope: the slope is the study's
    _, used = retarget_samples(read_dataset(ed_file), real_axis_rule="self_energy")
    assert used["real_axis_slope"] == SELF_ENERGY_SLOPE and used["real_axis_width"] == 0.05
    _, used = retarget_samples(read_dataset(ed_file), real_axis_width=None, real_axis_rule="self_energy")
    assert used["real_axis_width"] == SELF_ENERGY_ETA0


def test_the_input_broadening_can_be_changed_and_is_recorded(ed_file, tmp_path):
    from triqs_nnsolver.bath import StarBath
    from triqs_nnsolver.data.synthetic import EDProblem

    out = tmp_path / "wide.h5"
    retarget_file(ed_file, out, input_broadening_scale=2.0)
    original, wide = read_dataset(ed_file), read_dataset(out)
    np.testing.assert_array_equal(wide["bath_eta"], 2.0 * original["bath_eta"])  # the file describes its input
    assert wide["provenance"]["settings"]["input_broadening_scale"] == 2.0
    levels = ~np.isnan(original["bath_eps"][0])
    bath = StarBath(original["bath_eps"][0][levels], original["bath_V"][0][levels])
    problem = EDProblem(None, 0.0, 0.0, bath, wide["bath_eta"][0][levels])
    Delta = problem.hybridization(wide["grid"])  # the input formula of the generator, at the doubled widths
    np.testing.assert_allclose(wide["rho_Delta"][0], -Delta.imag / np.pi, rtol=0, atol=1e-14)
    retarget_file(out, tmp_path / "back.h5", input_broadening_scale=1.0)  # relative to the generator's rule
    np.testing.assert_array_equal(read_dataset(tmp_path / "back.h5")["bath_eta"], original["bath_eta"])
    with pytest.raises(ValueError, match="input_broadening_scale must be a positive number"):
        retarget_file(ed_file, out, input_broadening_scale=0.0)
