"""Exported model files: metadata round trip, refusal of incompatible files, identical runners."""

import os
import zipfile

import numpy as np
import pytest
import torch

from triqs_nnsolver.model import ImpuritySpectralNet, ModelConfig
from triqs_nnsolver.runtime import (
    ModelLoadError,
    ModelMetadata,
    ModelNotFoundError,
    TrainingDomain,
    cpp_runtime_available,
    load_model,
    model_file,
    read_model_metadata,
)
from triqs_nnsolver.train import write_model_file

CONFIG = ModelConfig(grid_n_w=32, n_embd=32, n_head=4, n_frequency_features=6)
needs_cpp = pytest.mark.skipif(
    not cpp_runtime_available(), reason="the C++ runtime triqs_nnsolver._runtime is not built"
)
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
def test_incompatible_metadata_is_refused_with_the_path(exported, tmp_path, rewrite_metadata, change, message):
    path, _ = exported
    broken = tmp_path / "broken_model.pt"
    rewrite_metadata(path, broken, change)
    with pytest.raises(ModelLoadError, match=message) as error:
        load_model(broken)
    assert "broken_model.pt" in str(error.value)


def test_metadata_version_1_reads_without_a_resolution(exported, tmp_path, rewrite_metadata):
    """Files exported before the resolution was recorded (metadata version 1) load; it reads as None."""
    path, metadata = exported
    old = tmp_path / "old_model.pt"
    rewrite_metadata(path, old, lambda v: (v.pop("data_resolution"), v.update(metadata_version=1)))
    loaded = read_model_metadata(old)
    assert loaded.data_resolution is None and loaded.metadata_version == 1
    assert loaded.training_domain == metadata.training_domain
    assert read_model_metadata(path).data_resolution == 0.2


EXPECTED_ARCHIVE = "expected a TorchScript archive written by write_model_file"


@pytest.fixture
def never_loaded(monkeypatch):
    """Make handing a file to a runner (the step that runs its TorchScript) fail the test."""

    def refuse(*args, **kwargs):
        pytest.fail("a refused model file reached load_runner")

    monkeypatch.setattr(model_file, "load_runner", refuse)


def test_missing_model_file_is_named(tmp_path):
    missing = tmp_path / "no_such_model.pt"
    with pytest.raises(
        ModelNotFoundError, match="path = '.*no_such_model.pt'; expected an existing model file, got no"
    ):
        load_model(missing)
    with pytest.raises(FileNotFoundError, match="got a directory"):  # ModelNotFoundError is a FileNotFoundError
        load_model(tmp_path)


def _text_file(path, exported):
    path.write_text("U = 2.0\n")


def _plain_zip(path, exported):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes/readme.txt", "not a model")


def _torch_save_file(path, exported):
    torch.save({"weight": torch.zeros(3)}, path)  # a zip archive too, but no TorchScript


def _torchscript_without_metadata(path, exported):
    torch.jit.script(ImpuritySpectralNet(CONFIG)).save(str(path))


def _metadata_not_an_object(path, exported):
    with zipfile.ZipFile(exported) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, b"[1, 2]" if item.filename.endswith("/extra/metadata.json") else src.read(item))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_text_file, f"is not a TorchScript archive: {EXPECTED_ARCHIVE} .*; got a file that is not a readable zip"),
        (_plain_zip, f"{EXPECTED_ARCHIVE} .*; got a zip archive that is not a TorchScript archive \\(1 members"),
        (_torch_save_file, f"{EXPECTED_ARCHIVE} .*; got a zip archive that is not a TorchScript archive"),
        (_torchscript_without_metadata, f"carries no metadata.json: {EXPECTED_ARCHIVE} .*; got a TorchScript"),
        (_metadata_not_an_object, "expected a JSON object in its metadata.json; got a JSON list"),
    ],
)
def test_foreign_file_is_refused_before_it_is_loaded(exported, tmp_path, never_loaded, make, message):
    foreign = tmp_path / "foreign_model.pt"
    make(foreign, exported[0])
    with pytest.raises(ModelLoadError, match=message) as error:
        load_model(foreign)
    assert "path = '" in str(error.value) and "foreign_model.pt" in str(error.value)


def _flip_a_member_byte(data: bytearray, archive: zipfile.ZipFile) -> None:
    """Flip one byte in the middle of the largest member's stored data, leaving the zip structure intact."""
    item = max(archive.infolist(), key=lambda info: info.file_size)
    header = data[item.header_offset : item.header_offset + 30]
    start = item.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    data[start + item.compress_size // 2] ^= 0xFF


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("empty", "got a file that is not a readable zip archive"),
        ("half", "got a file that is not a readable zip archive"),
        ("last byte", "got a file that is not a readable zip archive"),
        ("flipped byte", "got a corrupt archive \\(member '.*' fails its CRC check\\)"),
    ],
)
def test_corrupt_file_is_refused_before_it_is_loaded(exported, tmp_path, never_loaded, damage, message):
    data = bytearray(exported[0].read_bytes())
    if damage == "flipped byte":
        with zipfile.ZipFile(exported[0]) as archive:
            _flip_a_member_byte(data, archive)
    else:
        data = data[: {"empty": 0, "half": len(data) // 2, "last byte": len(data) - 1}[damage]]
    corrupt = tmp_path / "corrupt_model.pt"
    corrupt.write_bytes(data)
    with pytest.raises(ModelLoadError, match=f"path = '.*corrupt_model.pt'.*{EXPECTED_ARCHIVE}.*{message}"):
        load_model(corrupt)


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (4, "has metadata version 4, newer than this package reads: expected metadata_version <= 3; got 4"),
        ("2", "expected an integer metadata_version >= 1; got '2'"),
        (None, "expected an integer metadata_version >= 1; got None"),
    ],
)
def test_newer_or_unknown_metadata_version_is_refused_before_loading(
    exported, tmp_path, rewrite_metadata, never_loaded, version, message
):
    newer = tmp_path / "newer_model.pt"
    rewrite_metadata(exported[0], newer, lambda values: values.update(metadata_version=version))
    with pytest.raises(ModelLoadError, match=f"path = '.*newer_model.pt'.* {message}"):
        load_model(newer)


@pytest.mark.parametrize("backend", ["python", pytest.param("c++", marks=needs_cpp)])
def test_runner_of_a_model_checks_dtype_and_shape(exported, backend):
    """float64 or wrongly shaped arrays are refused with the input's name, the expectation and what came."""
    runner = load_model(exported[0], backend=backend).runner
    n_w = CONFIG.grid_n_w
    rho, params = np.full((4, n_w), 0.1, dtype=np.float32), np.array([[2.0, -1.0, 0.3]] * 4, dtype=np.float32)
    assert runner.forward(rho, params).shape == (4, n_w)
    assert runner.forward(rho[:, :, None], params).shape == (4, n_w)  # the explicit channel axis
    expected_rho = f"input 0 \\(hybridization\\) of model '.*' must be a float32 array of shape \\(batch, {n_w}\\)"
    with pytest.raises(TypeError, match=f"{expected_rho} or .*; got dtype float64 .*hybridization.astype"):
        runner.forward(rho.astype(np.float64), params)
    with pytest.raises(TypeError, match="input 1 \\(params\\) .* float32 .*; got dtype float64"):
        runner.forward(rho, params.astype(np.float64))
    with pytest.raises(ValueError, match=f"{expected_rho} or .*; got shape \\(4, {n_w + 1}\\)"):
        runner.forward(np.zeros((4, n_w + 1), dtype=np.float32), params)
    with pytest.raises(ValueError, match=f"{expected_rho} or .*; got shape \\({n_w},\\)"):
        runner.forward(rho[0], params[0])
    with pytest.raises(ValueError, match="input 1 \\(params\\) .* shape \\(batch, 3\\); got shape \\(4, 2\\)"):
        runner.forward(rho, params[:, :2])
    with pytest.raises(ValueError, match="input 1 \\(params\\) .* batch size of input 0 \\(hybridization\\), 4; got"):
        runner.forward(rho, params[:3])
    with pytest.raises(TypeError, match="takes 2 inputs \\(hybridization, params\\); got 1"):
        runner.forward(rho)
