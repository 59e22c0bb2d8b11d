"""Fixtures shared by all test folders: the six TRIQS-written archives, and small and shipped models.

The archives lie in the repository, ``test/fixtures/triqs`` (provenance in that folder's ``README.md``),
so a clone with nothing beside it runs every test. A missing file is an error that names it, never a skip.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

FIXTURE_FILES = {
    "cthyb": "cthyb__single_site_bethe.ref.h5",
    "ctint": "ctint__anderson.ref.h5",
    "ctseg": "ctseg__anderson.ref.h5",
    "hubbardI": "hubbardI__aim_w.ref.h5",
    "nrg": "nrgljubljana_interface__1_SIAM_QS.ref.h5",
    "solid_dmft": "solid_dmft__svo_hubbardI_basic__ref.h5",
}

FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "triqs"  # <repo root>/test/fixtures/triqs
SMALL_ALPHAS = (0.2, 0.5)  # tilt angles (rad) of the small data files


@pytest.fixture(scope="session")
def fixture_dir() -> Path:
    """Folder holding the six TRIQS archives; fails (not skips) if one is missing."""
    missing = [name for name in FIXTURE_FILES.values() if not (FIXTURE_DIR / name).is_file()]
    if missing:
        pytest.fail(f"TRIQS fixture archives missing from {FIXTURE_DIR} (tracked in git): {missing}")
    return FIXTURE_DIR


@pytest.fixture(scope="session")
def fixture_paths(fixture_dir) -> dict:
    """Short name (``'cthyb'``, ``'ctint'``, ...) -> path of the archive."""
    return {short_name: fixture_dir / file_name for short_name, file_name in FIXTURE_FILES.items()}


def _train_small_model(folder: Path, **config_changes) -> Path:
    """Generate 24 ED samples, train a 16-point network on them for two epochs, export it; the model path."""
    import json

    from triqs_nnsolver.cli import main
    from triqs_nnsolver.model import ModelConfig

    config = ModelConfig(
        grid_n_w=16,
        n_embd=16,
        n_head=2,
        n_frequency_features=4,
        n_encoder_layers=1,
        n_decoder_layers=1,
        **config_changes,
    )
    (folder / "model.json").write_text(config.to_json())
    train_options = {"max_epochs": 2, "batch_size": 8, "device": "cpu"}
    (folder / "config.json").write_text(json.dumps({"model": config.to_dict(), "train": train_options}))
    data, run, model = str(folder / "ed.h5"), str(folder / "run"), str(folder / "model.pt")
    generate = ["generate", "--backend", "ed", "--n-samples", "24", "--out", data, "--seed", "5"]
    generate += ["--bath-sites", "3", "--alphas", "0.2,0.4", "--model-config", str(folder / "model.json")]
    assert main([*generate, "--no-progress"]) == 0
    assert main(["train", "--data", data, "--out", run, "--config", str(folder / "config.json"), "--no-progress"]) == 0
    assert main(["export", str(Path(run) / "best.pt"), "--out", model]) == 0
    return Path(model)


@pytest.fixture(scope="session")
def grid():
    """A small model grid: ``make_nonuniform_refreq(8, 48, 0.3)``, the model grid's shape at 48 points."""
    from triqs_nnsolver.gf import make_nonuniform_refreq

    return make_nonuniform_refreq(8.0, 48, 0.3).points


@pytest.fixture(scope="session")
def alphas():
    return np.array(SMALL_ALPHAS)


@pytest.fixture(scope="session")
def ed_file(tmp_path_factory, grid):
    """4 exact-diagonalization samples (seed 7, 3 bath levels: 0.03 s each, alphas 0.2 and 0.5) on ``grid``."""
    from triqs_nnsolver.data import EDSettings, generate_ed_samples

    path = tmp_path_factory.mktemp("ed") / "ed.h5"
    generate_ed_samples(path, 4, 7, grid, SMALL_ALPHAS, EDSettings(n_bath=3), progress=False)
    return path


@pytest.fixture(scope="session")
def small_model_file(tmp_path_factory) -> Path:
    """A tiny exported model, trained during the test run on 24 exact-diagonalization samples.

    Physically meaningless (two epochs of a 16-point network): it stands in for a trained model in
    tests of the machinery above the runtime (shapes, units, errors, archives), never for physics.
    Its training domain: U in [0, 4], alpha in {0.2, 0.4} (model units).
    """
    return _train_small_model(tmp_path_factory.mktemp("small_model"))


@pytest.fixture(scope="session")
def small_re_delta_model_file(tmp_path_factory) -> Path:
    """As ``small_model_file``, but with ``ModelConfig(use_re_delta=True)``: it takes (rho_Delta, Re Delta)."""
    return _train_small_model(tmp_path_factory.mktemp("small_re_delta_model"), use_re_delta=True)


@pytest.fixture(scope="session")
def shipped_model_file() -> Path:
    """The model shipped in ``share/`` (``runtime.default_model_path``); tracked in git, so a missing one fails."""
    from triqs_nnsolver.runtime import default_model_path

    try:
        return default_model_path()
    except FileNotFoundError as err:
        pytest.fail(f"the shipped model is part of the repository and the install: {err}")
