"""Damaged archives: every error names the path inside the file and what was found versus expected."""

import re

import h5py
import numpy as np
import pytest

from triqs_nnsolver.h5 import HDFArchive, TriqsArchiveError, UnknownFormatWarning, UnsupportedFormatError, h5_read


def write_block_gf(f, names=("up", "dn"), blocks=("up", "dn"), size=4, n_data=4):
    """A small TRIQS 3.3-layout BlockGf '/G_iw' written with raw h5py, so that it can be damaged."""
    g = f.create_group("G_iw")
    g.attrs["Format"] = "BlockGf"
    block_names = g.create_group("block_names")
    block_names.attrs["Format"] = "List"
    for i, name in enumerate(names):
        block_names[str(i)] = name
    for name in blocks:
        gf = g.create_group(name)
        gf.attrs["Format"] = "Gf"
        gf["data"] = np.zeros((n_data, 1, 1, 2))
        gf["data"].attrs["__complex__"] = "1"
        mesh = gf.create_group("mesh")
        mesh.attrs["Format"] = "MeshImFreq"
        mesh["beta"] = 10.0
        mesh["statistic"] = "F"
        mesh["size"] = np.int64(size)
        mesh["positive_freq_only"] = np.int32(0)
    return g


@pytest.fixture
def damaged(tmp_path):
    """Factory: ``damaged(edit)`` writes a valid BlockGf, applies ``edit(h5py.File)``, returns the file path."""

    def make(edit, **block_gf_options):
        path = tmp_path / "damaged.h5"
        with h5py.File(path, "w") as f:
            write_block_gf(f, **block_gf_options)
            edit(f)
        return path

    return make


def read_error(path, error=TriqsArchiveError):
    with HDFArchive(path, "r") as ar, pytest.raises(error) as info:
        ar["G_iw"]
    return str(info.value)


def test_valid_file_reads(damaged):
    with HDFArchive(damaged(lambda f: None), "r") as ar:
        assert ar["G_iw"].block_names == ["up", "dn"]


def test_gf_without_data(damaged):
    message = read_error(damaged(lambda f: f["G_iw/dn"].__delitem__("data")))
    assert "'/G_iw/dn'" in message and "'data' is missing" in message and "['mesh']" in message


def test_gf_without_mesh(damaged):
    message = read_error(damaged(lambda f: f["G_iw/up"].__delitem__("mesh")))
    assert "'/G_iw/up'" in message and "'mesh' is missing" in message


def test_unknown_mesh_format(damaged):
    def to_dlr(f):
        f["G_iw/up/mesh"].attrs["Format"] = "MeshDLR"

    message = read_error(damaged(to_dlr), UnsupportedFormatError)
    assert "'/G_iw/up/mesh'" in message and "'MeshDLR'" in message and "MeshImFreq" in message


def test_mesh_field_missing(damaged):
    message = read_error(damaged(lambda f: f["G_iw/dn/mesh"].__delitem__("size")))
    assert "'/G_iw/dn/mesh'" in message and "'size'" in message
    assert "found fields ['beta', 'positive_freq_only', 'statistic']" in message


def test_fermionic_mesh_with_odd_size(damaged):
    message = read_error(damaged(lambda f: None, size=5, n_data=5))
    assert "'/G_iw/up/mesh'" in message and "size = 5" in message and "'F'" in message


def test_data_shape_does_not_match_mesh(damaged):
    message = read_error(damaged(lambda f: None, n_data=3))
    assert "'/G_iw/up/data'" in message and "expected (4,)" in message and "(3, 1, 1)" in message


def test_block_names_name_a_missing_block(damaged):
    message = read_error(damaged(lambda f: None, names=("up", "down"), blocks=("up", "dn")))
    assert "'/G_iw'" in message and "block 'down' (listed in block_names) is missing" in message
    assert "children ['block_names', 'dn', 'up']" in message


def test_block_names_list_with_bad_child_name(damaged):
    def rename(f):
        f["G_iw/block_names"].move("1", "one")

    message = read_error(damaged(rename))
    assert "'/G_iw/block_names'" in message and "'one'" in message


def test_complex_attribute_without_pair_axis(damaged):
    def three_columns(f):
        del f["G_iw/up/data"]
        f["G_iw/up/data"] = np.zeros((4, 1, 3))
        f["G_iw/up/data"].attrs["__complex__"] = "1"

    message = read_error(damaged(three_columns))
    assert "'/G_iw/up/data'" in message and "(4, 1, 3)" in message


def test_missing_key_names_key_and_group(tmp_path):
    with HDFArchive(tmp_path / "a.h5", "w") as ar:
        ar.create_group("results")["mu"] = 0.5
        with pytest.raises(KeyError, match=re.escape("no key 'G_iw' in group '/results'")):
            ar["results"]["G_iw"]
    with h5py.File(tmp_path / "a.h5", "r") as f, pytest.raises(KeyError, match="'Sigma'.*'/'"):
        h5_read(f, "Sigma")


def test_unknown_format_group_is_a_dict_with_a_warning(tmp_path):
    with h5py.File(tmp_path / "a.h5", "w") as f:
        solver = f.create_group("solver")
        solver.attrs["Format"] = "CTHYB_SolverCore"
        solver["beta"] = 10.0
    with HDFArchive(tmp_path / "a.h5", "r") as ar:
        with pytest.warns(UnknownFormatWarning, match="'/solver'.*'CTHYB_SolverCore'"):
            assert ar["solver"] == {"beta": 10.0}
