"""Reader paths that the six fixtures do not exercise: positive-frequency-only Matsubara data, legacy
``singularity`` subgroups, compound complex numbers, ``PythonTupleWrap`` and fixed-length ``block_names``."""

import h5py
import numpy as np
import pytest

from triqs_nnsolver.gf import MeshImFreq
from triqs_nnsolver.h5 import h5_read

H = np.array([[0.3, 0.1 - 0.2j], [0.1 + 0.2j, -0.5]])  # Hermitian and invertible, so G(iw) = (iw - H)^-1 exists


def matrix_gf(iw):
    """G(iw_n) = (iw_n - H)^-1, which satisfies G(-iw_n) = G(iw_n)^dagger; shape (len(iw), 2, 2)."""
    return np.linalg.inv(iw[:, None, None] * np.eye(2) - H)


def write_gf(group, key, data, mesh_fields, mesh_format="MeshImFreq"):
    gf = group.create_group(key)
    gf.attrs["Format"] = "Gf"
    gf["data"] = np.stack([data.real, data.imag], axis=-1)
    gf["data"].attrs["__complex__"] = "1"
    mesh = gf.create_group("mesh")
    mesh.attrs["Format"] = mesh_format
    for field, value in mesh_fields.items():
        mesh[field] = value
    return gf


@pytest.mark.parametrize("statistic", ["F", "B"])
@pytest.mark.parametrize("target", ["matrix", "scalar"])
def test_positive_freq_only_is_unfolded_with_hermitian_conjugate(tmp_path, statistic, target):
    full_mesh = MeshImFreq(5.0, statistic, 6)
    n_iw = full_mesh.n_iw
    expected = matrix_gf(full_mesh.iw)
    if target == "scalar":
        expected = expected[:, 0, 0]  # a diagonal element of a Hermitian-symmetric G is itself symmetric
    stored = expected[-n_iw:]  # n = 0 .. n_iw-1 are the last n_iw points of the full mesh, for F and B
    fields = {"beta": 5.0, "statistic": statistic, "size": np.int64(n_iw), "positive_freq_only": np.int32(1)}
    with h5py.File(tmp_path / "pos.h5", "w") as f:
        write_gf(f, "G", stored, fields)
        gf = h5_read(f, "G")
    assert gf.mesh == full_mesh
    # the negative half is conj/transpose of stored numbers: exact; the comparison with the independently
    # inverted matrices at -iw_n is float64 rounding of a 2x2 inverse with |G| < 3
    np.testing.assert_allclose(gf.data, expected, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(gf.data[-n_iw:], stored)


def test_legacy_singularity_and_indices_are_ignored(tmp_path):
    iw = MeshImFreq(5.0, "F", 3)
    with h5py.File(tmp_path / "legacy.h5", "w") as f:
        gf = write_gf(f, "G", matrix_gf(iw.iw), {"size": np.int64(6), "positive_freq_only": np.int32(0)})
        domain = gf["mesh"].create_group("domain")
        domain["beta"], domain["statistic"] = 5.0, "F"
        gf.create_group("singularity")["data"] = np.zeros((3, 2, 2, 2))
        indices = gf.create_group("indices")
        indices.attrs["Format"] = "GfIndices"
        indices["left"] = np.array([b"0", b"1"])
        result = h5_read(f, "G")
    assert result.mesh == iw and result.data.shape == (6, 2, 2)


def test_compound_complex_tuple_wrap_and_ascii_block_names(tmp_path):
    with h5py.File(tmp_path / "old.h5", "w") as f:
        f["z"] = np.array([(1.0, -2.0), (0.5, 0.0)], dtype=[("r", "<f8"), ("i", "<f8")])
        pair = f.create_group("pair")
        pair.attrs["TRIQS_HDF5_data_scheme"] = np.bytes_(b"PythonTupleWrap")
        pair["0"], pair["1"] = "up", np.int64(2)
        assert h5_read(f, "z").tolist() == [1 - 2j, 0.5 + 0j]
        assert h5_read(f, "pair") == ("up", 2)
        block_gf = f.create_group("G")
        block_gf.attrs["TRIQS_HDF5_data_scheme"] = np.bytes_(b"BlockGf")
        block_gf["block_names"] = np.array([b"up", b"down"], dtype="S5")
        for name in ("up", "down"):
            write_gf(block_gf, name, np.zeros(4, complex), {"min": -1.0, "max": 1.0, "size": np.int64(4)}, "MeshReFreq")
        assert h5_read(f, "G").block_names == ["up", "down"]
