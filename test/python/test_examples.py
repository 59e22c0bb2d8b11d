"""The example scripts in doc/examples run and produce what they promise."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from triqs_nnsolver.gf import MeshImFreq, semicircle_gf_iw
from triqs_nnsolver.h5 import HDFArchive

EXAMPLES = Path(__file__).resolve().parents[2] / "doc" / "examples"


def test_bethe_u0_gf_core_demo(tmp_path):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "bethe_u0_gf_core.py"), "--out", str(tmp_path), "--beta", "20"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr  # the script checks its own error bounds
    assert "FAILED" not in result.stdout
    assert (tmp_path / "bethe_u0.png").stat().st_size > 0
    with HDFArchive(str(tmp_path / "bethe_u0.h5"), "r") as ar:
        G_iw = ar["G_iw"]
        assert G_iw.block_names == ["up", "down"]
        assert G_iw.mesh == MeshImFreq(20.0, "F", 1025)
        # The semicircle on the Matsubara axis, within the piecewise-linear error of the demo's A (doc/gf.md).
        np.testing.assert_allclose(G_iw["down"].data[:, 0, 0], semicircle_gf_iw(G_iw.mesh, 1.0), atol=1e-4)
        assert set(ar.keys()) >= {"A_w", "G_w", "Sigma_w", "G_iw", "Sigma_iw", "G_tau", "parameters"}


def _triqs_importable() -> bool:
    try:
        import triqs  # noqa: F401
    except ImportError:
        return False
    return True


def _run_example(name: str, model, out, *options) -> subprocess.CompletedProcess:
    command = [sys.executable, str(EXAMPLES / name), "--model", str(model), "--out", str(out), *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_bethe_dmft_arrays_example(shipped_model_file, tmp_path):
    # the Matsubara loop feeds the model's own output back as its bath: it needs a trained model
    result = _run_example("bethe_dmft_arrays.py", shipped_model_file, tmp_path, "--n-loops", "2", "--beta", "20")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "A(0) = " in result.stdout
    with HDFArchive(str(tmp_path / "bethe_dmft_arrays.h5"), "r") as ar:
        assert ar["G_iw"].block_names == ["up", "down"]
        assert ar["G_iw"].mesh == MeshImFreq(20.0, "F", 1025)
        assert set(ar.keys()) >= {"G_iw", "Sigma_iw", "A_w", "parameters"}


@pytest.mark.skipif(not _triqs_importable(), reason="needs TRIQS (triqs, h5): the TRIQS-script example")
def test_bethe_dmft_triqs_example(shipped_model_file, tmp_path):
    result = _run_example("bethe_dmft_triqs.py", shipped_model_file, tmp_path, "--n-loops", "2", "--beta", "20")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "bethe_dmft_triqs.h5").stat().st_size > 0


def test_shipped_model_bethe_example(shipped_model_file, tmp_path):
    result = _run_example("shipped_model_bethe.py", shipped_model_file, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2/(pi D)" in result.stdout and (tmp_path / "shipped_model_bethe.png").stat().st_size > 0


def test_hybridization_families_example(tmp_path):
    command = [sys.executable, str(EXAMPLES / "hybridization_families.py"), "--out", str(tmp_path), "--per-family", "2"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr  # it raises if a density misses int = 1/4
    assert (tmp_path / "hybridization_families.png").stat().st_size > 0


def test_lanczos_references_table_and_plot(tmp_path):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "lanczos_references.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "halffilling_up_metal.h5: U_c2 = " in result.stdout
        and "halffilling_down_insulator.h5: U_c1 = " in result.stdout
    )
    assert (tmp_path / "lanczos_references.png").stat().st_size > 10_000


def test_square_lattice_dmft_example(tmp_path):
    command = [sys.executable, str(EXAMPLES / "square_lattice_dmft.py"), "--out", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr  # 1: a run did not converge
    assert "U0_half" in result.stdout and "U2_n0.85" in result.stdout and "mu_0 = -0.0743" in result.stdout
    assert (tmp_path / "square_lattice_dmft.png").stat().st_size > 10_000
    with HDFArchive(str(tmp_path / "square_U2_n0.85.h5"), "r") as ar:
        assert ar["lattice"]["name"] == "square"
        assert abs(ar["results"]["density"] - 0.85) < 1e-4  # the mu search's target (brentq to 1e-6 D in eps_d)
