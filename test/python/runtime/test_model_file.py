"""Exported model files: metadata round trip, refusal of incompatible files, identical runners."""

import json
import os
import zipfile

import numpy as np
import pytest
import torch

from triqs_nnsolver.model import ImpuritySpectralNet, ModelConfig
from triqs_nnsolver.runtime import (
    ModelLoadError,
    ModelMetadata,
    TrainingDomain,
    cpp_runtime_available,
    load_model,
    read_model_metadata,
    write_model_file,
)

CONFIG = ModelConfig(grid_n_w=32, n_embd=32, n_head=4, n_frequency_features=6)
DOMAIN = TrainingDomain(U=(0.0, 4.0), eps_d=(-3.0, 1.0), hybridization_scale=(0.8, 1.2), alpha=(0.1, 0.8))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    torch.manual_seed(5)
    metadata = ModelMetadata(CONFIG, DOMAIN, "sha256:abc", data_schema_version=2, data_resolution=0.2)
    path = tmp_path_factory.mktemp("export") / "model.pt"
    write_model_file(ImpuritySpectralNet(CONFIG), metadata, path)
    return path, metadata


def test_metadata_round_trip(exported):
    path, metadata = exported
    assert read_model_metadata(path) == metadata
    assert not list(path.parent.glob(".*.tmp"))  # the atomic write left no temporary file
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not the 0600 of the temporary file


@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.8])  # the real axis and two training alphas
def test_python_and_cpp_runners_agree_on_exported_model(exported, alpha):
    path, _ = exported
    rng = np.random.default_rng(2)
    rho = (0.2 * rng.random((4, CONFIG.grid_n_w))).astype(np.float32)
    params = np.array([[2.0, -1.0, alpha]] * 4, dtype=np.float32)
    python_out = load_model(path, backend="python").runner.forward(rho, params)
    assert python_out.shape == (4, CONFIG.grid_n_w) and np.all(python_out > 0)
    if cpp_runtime_available():
        np.testing.assert_array_equal(load_model(path, backend="c++").runner.forward(rho, params), python_out)


def test_domain_violations_are_listed():
    assert DOMAIN.violations(U=2.0, alpha=0.5) == []
    assert DOMAIN.violations(U=5.0) == ["U = 5 outside the training range [0, 4]"]
    with pytest.raises(ValueError, match="training_domain.U must be"):
        TrainingDomain(U=(4.0, 0.0), eps_d=(0, 1), hybridization_scale=(1, 1), alpha=(0.1, 0.2))


def _rewrite_metadata(source, target, change):
    """Copy a model archive with its metadata.json changed by ``change(dict)``."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("/extra/metadata.json"):
                values = json.loads(data)
                change(values)
                data = json.dumps(values).encode()
            dst.writestr(item, data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: v.update(format="something.else"), "is not a triqs_nnsolver.model file"),
        (lambda v: v.update(metadata_version=99), "metadata version 99, newer than this package reads"),
        (lambda v: v["grid"].__setitem__(0, -7.5), "stored grid disagrees"),
        (lambda v: v.pop("training_domain"), "incomplete or invalid metadata"),
        (lambda v: v["model_config"].update(n_embed=3), "unknown ModelConfig keys"),
        (lambda v: v.update(data_resolution=-0.1), "data_resolution must be None or a finite number >= 0"),
    ],
)
def test_incompatible_metadata_is_refused_with_the_path(exported, tmp_path, change, message):
    path, _ = exported
    broken = tmp_path / "broken_model.pt"
    _rewrite_metadata(path, broken, change)
    with pytest.raises(ModelLoadError, match=message) as error:
        load_model(broken)
    assert "broken_model.pt" in str(error.value)


def test_metadata_version_1_reads_without_a_resolution(exported, tmp_path):
    """Files exported before the resolution was recorded (metadata version 1) load; it reads as None."""
    path, metadata = exported
    old = tmp_path / "old_model.pt"
    _rewrite_metadata(path, old, lambda v: (v.pop("data_resolution"), v.update(metadata_version=1)))
    loaded = read_model_metadata(old)
    assert loaded.data_resolution is None and loaded.metadata_version == 1
    assert loaded.training_domain == metadata.training_domain
    assert read_model_metadata(path).data_resolution == 0.2


def test_model_without_metadata_is_refused(tmp_path):
    path = tmp_path / "bare.pt"
    torch.jit.script(ImpuritySpectralNet(CONFIG)).save(str(path))
    with pytest.raises(ModelLoadError, match="bare.pt' carries no metadata.json"):
        read_model_metadata(path)
    corrupt = tmp_path / "corrupt.pt"
    corrupt.write_bytes(b"not a zip")
    with pytest.raises(ModelLoadError, match="corrupt.pt' is not a TorchScript archive"):
        read_model_metadata(corrupt)
