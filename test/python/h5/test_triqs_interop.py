"""Archives written by this package read back in real TRIQS, and TRIQS-written archives read here.

Needs TRIQS (``import triqs.gf`` and TRIQS's ``h5`` package); skipped without it. Run it in a TRIQS
environment with this package on the path, e.g. ``PYTHONPATH=python python -m pytest test/python/h5``.
"""

import numpy as np
import pytest

triqs_gf = pytest.importorskip("triqs.gf", reason="needs TRIQS (not installable from PyPI); checks TRIQS interop")
triqs_h5 = pytest.importorskip("h5", reason="needs TRIQS's h5 package")

from triqs_nnsolver.gf import BlockGf, Gf, MeshImFreq, MeshImTime, MeshReFreq  # noqa: E402
from triqs_nnsolver.h5 import HDFArchive  # noqa: E402

MESHES = {
    "G_iw": (MeshImFreq(10.0, "F", 20), lambda: triqs_gf.MeshImFreq(beta=10.0, S="Fermion", n_iw=20)),
    "G_tau": (MeshImTime(10.0, "F", 51), lambda: triqs_gf.MeshImTime(beta=10.0, S="Fermion", n_tau=51)),
    "G_w": (MeshReFreq(-5.0, 5.0, 11), lambda: triqs_gf.MeshReFreq(-5.0, 5.0, 11)),
}


def _ours(mesh, seed):
    rng = np.random.default_rng(seed)
    blocks = [Gf(mesh, rng.normal(size=(len(mesh), 1, 1)) + 1j * rng.normal(size=(len(mesh), 1, 1))) for _ in "ud"]
    return BlockGf(["up", "down"], blocks)


@pytest.mark.parametrize("key", sorted(MESHES))
def test_triqs_reads_what_we_write(tmp_path, key):
    ours_mesh, _ = MESHES[key]
    written = _ours(ours_mesh, seed=1)
    with HDFArchive(str(tmp_path / "ours.h5"), "w") as ar:
        ar[key] = written
    theirs = triqs_h5.HDFArchive(str(tmp_path / "ours.h5"), "r")[key]
    assert isinstance(theirs, triqs_gf.BlockGf) and list(theirs.indices) == ["up", "down"]
    for name, block in written:
        np.testing.assert_array_equal(theirs[name].data, block.data)  # stored bits, read back: identical
    points = np.array([complex(x) for x in theirs.mesh]).imag if key == "G_iw" else np.array(list(theirs.mesh.values()))
    np.testing.assert_allclose(points.real, ours_mesh.points, rtol=0, atol=1e-13)  # mesh formulas, rounding only


@pytest.mark.parametrize("key", sorted(MESHES))
def test_we_read_what_triqs_writes(tmp_path, key):
    ours_mesh, triqs_mesh = MESHES[key]
    blocks = [triqs_gf.Gf(mesh=triqs_mesh(), target_shape=[1, 1]) for _ in range(2)]
    G = triqs_gf.BlockGf(name_list=["up", "down"], block_list=blocks)
    rng = np.random.default_rng(2)
    for _, block in G:
        block.data[:] = rng.normal(size=block.data.shape) + 1j * rng.normal(size=block.data.shape)
    with triqs_h5.HDFArchive(str(tmp_path / "theirs.h5"), "w") as ar:
        ar[key] = G
    with HDFArchive(str(tmp_path / "theirs.h5"), "r") as ar:
        read = ar[key]
    assert read.block_names == ["up", "down"] and read.mesh == ours_mesh
    for name, block in G:
        np.testing.assert_array_equal(read[name].data, block.data)
