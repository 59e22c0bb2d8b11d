"""``triqs-nnsolver generate --backend mps``: two tiny MPS samples end to end, and a resume."""

from __future__ import annotations

import numpy as np

from triqs_nnsolver.cli.main import main
from triqs_nnsolver.data import read_dataset, summarize


def test_generate_two_mps_samples(tmp_path):
    """3 bath levels, chi 16, t_max 2 (20 steps), one alpha: about 1-2 s per sample on one core."""
    out = tmp_path / "mps.h5"
    argv = [
        "generate", "--backend", "mps", "--n-samples", "2", "--out", str(out), "--seed", "3",
        "--bath-sites", "3", "--chi", "16", "--dt", "0.1", "--t-max", "2", "--alphas", "0.4",
        "--families", "semicircle", "--U-range", "0:2", "--no-progress",
    ]  # fmt: skip
    assert main(argv) == 0
    assert main(argv) == 0  # a complete file: the rerun writes nothing
    data = read_dataset(out)
    assert data["sample_id"].tolist() == [3 * 2**32, 3 * 2**32 + 1]
    assert data["provenance"]["generator"] == "mps"
    settings = data["provenance"]["settings"]
    assert settings["mps"]["chi"] == 16 and settings["mps"]["n_bath"] == 3 and settings["mps"]["t_max"] == 2.0
    assert data["A_tilde"].shape == (2, 1, data["grid"].size) and np.all(np.isfinite(data["A_tilde"]))
    assert np.all(np.isfinite(data["dA_tilde_dalpha"])) and np.all(np.isnan(data["A_real"]))
    assert np.all(np.isfinite(data["bath_eps"][:, :3])) and np.all(data["truncation_error"] < 1e-6)
    assert np.all(data["wall_time"] > 0)
    assert np.all((data["max_bond_dim"] >= 1) & (data["max_bond_dim"] <= 16))  # diagnostics of the run, stored
    # the variance of a DMRG state at svd_cutoff 1e-10 is a few 1e-10 here (energy scale of order 1)
    assert np.all(np.isfinite(data["ground_energy"])) and np.all(data["energy_variance"] < 1e-8)
    summary = summarize([out])  # what `triqs-nnsolver inspect` prints
    assert summary["max_bond_dim"] == data["max_bond_dim"].max() and summary["files"][0]["generator"] == "mps"
    assert summary["files"][0]["resolution"] == [settings["sigma_w"]]  # derived from --t-max 2


def test_mps_options_with_the_ed_backend_are_refused(tmp_path, capsys):
    argv = ["generate", "--backend", "ed", "--n-samples", "1", "--out", str(tmp_path / "x.h5"), "--chi", "8"]
    assert main(argv) == 2  # bad arguments
    assert "triqs-nnsolver generate: error: --chi apply to --backend mps only" in capsys.readouterr().err
