"""The shipped models: found by name, and refused when they differ from their shipped SHA-256 checksum."""

import shutil
import types

import pytest
import torch

from triqs_nnsolver.runtime import (
    ModelChecksumError,
    default_model,
    default_model_path,
    load_model,
    load_runner,
    runners,
    shipped_models_dir,
    verify_shipped_model,
)


def test_every_shipped_model_matches_its_checksum():
    models = sorted(shipped_models_dir().glob("*/model.pt"))
    if not models:
        pytest.skip(f"no shipped model in '{shipped_models_dir()}'")
    for path in models:
        assert verify_shipped_model(path), f"'{path}' lies outside the shipped folder"


@pytest.fixture
def shipped_copy(shipped_model_file, tmp_path, monkeypatch):
    """A copy of the shipped folder of the default model (model.pt and its checksum) made the shipped folder."""
    folder = tmp_path / "models" / shipped_model_file.parent.name
    folder.mkdir(parents=True)
    for name in ("model.pt", "model.pt.sha256"):
        shutil.copy(shipped_model_file.parent / name, folder / name)
    monkeypatch.setattr(default_model, "shipped_models_dir", lambda: tmp_path / "models")
    return folder / "model.pt"


@pytest.fixture
def never_run(monkeypatch):
    """Make running the TorchScript of a file (torch.jit.load; the C++ loader) fail the test."""

    def refuse(*args, **kwargs):
        pytest.fail("the TorchScript of a refused model file was loaded")

    monkeypatch.setattr(torch.jit, "load", refuse)
    stub = types.SimpleNamespace(TorchScriptRunner=refuse, ModelLoadError=RuntimeError)
    monkeypatch.setattr(runners, "_import_cpp_module", lambda: stub)


def test_intact_shipped_copy_is_verified(shipped_copy):
    assert default_model_path() == shipped_copy
    assert load_model(default_model_path(), backend="python").runner.checksum_verified


@pytest.mark.parametrize("backend", ["python", "c++"])
def test_tampered_shipped_model_is_refused_before_it_runs(shipped_copy, tmp_path, rewrite_metadata, never_run, backend):
    """Valid metadata (a widened training domain), so only the checksum catches it; also through a link."""
    original = tmp_path / "original.pt"
    shutil.move(shipped_copy, original)
    rewrite_metadata(original, shipped_copy, lambda values: values["training_domain"].update(U=[0.0, 12.0]))
    link = tmp_path / "link_to_shipped.pt"
    link.symlink_to(shipped_copy)
    expected = shipped_copy.with_name("model.pt.sha256").read_text().split()[0]
    message = f"model file path = '.*model.pt' is not the model shipped with the package: expected SHA-256 {expected}"
    for path in (default_model_path(), link):
        with pytest.raises(ModelChecksumError, match=message):
            load_model(path, backend=backend)


@pytest.fixture
def tampered_outside(shipped_copy, tmp_path, rewrite_metadata):
    """The shipped model with a widened training domain, outside the shipped folder (a user's file)."""
    path = tmp_path / "user_model.pt"
    rewrite_metadata(shipped_copy, path, lambda values: values["training_domain"].update(U=[0.0, 12.0]))
    return path


def test_user_model_outside_the_shipped_folder_is_loaded_on_its_metadata(tampered_outside):
    loaded = load_model(tampered_outside, backend="python")
    assert not loaded.runner.checksum_verified and loaded.metadata.training_domain.U == (0.0, 12.0)


@pytest.mark.parametrize(
    ("checksum", "message"),
    [
        (None, "its checksum must be known: expected a readable checksum file '.*model.pt.sha256'; got FileNotFound"),
        ("", "expected its checksum file '.*model.pt.sha256' to start with a SHA-256 digest .*; got ''"),
        ("md5:0123  model.pt\n", "to start with a SHA-256 digest .*; got 'md5:0123'"),
    ],
)
def test_shipped_model_without_a_valid_checksum_is_refused(shipped_copy, never_run, checksum, message):
    checksum_path = shipped_copy.with_name("model.pt.sha256")
    if checksum is None:
        checksum_path.unlink()
    else:
        checksum_path.write_text(checksum)
    for backend in ("python", "c++"):
        with pytest.raises(ModelChecksumError, match=message):
            load_runner(shipped_copy, backend=backend)
