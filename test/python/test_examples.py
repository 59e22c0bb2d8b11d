"""The example scripts in doc/examples run and produce what they promise."""

import subprocess
import sys
from pathlib import Path

import numpy as np

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
