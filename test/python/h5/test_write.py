"""Writing: round trips through our reader, and the exact TRIQS >= 3.2 layout (compared with archives written
by TRIQS 3.2.0 and 3.3 for the same objects)."""

import h5py
import numpy as np
import pytest

from triqs_nnsolver.gf import (
    Block2Gf,
    BlockGf,
    Gf,
    MeshImFreq,
    MeshImTime,
    MeshLegendre,
    MeshProduct,
    MeshReFreq,
    MeshReFreqPts,
    MeshReTime,
)
from triqs_nnsolver.h5 import HDFArchive, Operator, h5_read, h5_write

MESHES = {
    "MeshImFreq_F": MeshImFreq(10.0, "F", 4),
    "MeshImFreq_B": MeshImFreq(10.0, "B", 4),
    "MeshImTime": MeshImTime(10.0, "F", 7),
    "MeshReFreq": MeshReFreq(-2.0, 3.0, 6),
    "MeshReTime": MeshReTime(0.0, 5.0, 6),
    "MeshLegendre": MeshLegendre(10.0, "F", 5),
    "MeshReFreqPts": MeshReFreqPts([-1.0, -0.1, 0.2, 1.5]),
    "MeshProduct": MeshProduct([MeshImFreq(10.0, "B", 2), MeshImFreq(10.0, "F", 2)]),
}


def random_block_gf(mesh, dtype, seed=4711):
    rng = np.random.default_rng(seed)
    blocks = []
    for n in (1, 2):
        shape = tuple(mesh.shape) + (n, n)
        data = rng.normal(size=shape) + (1j * rng.normal(size=shape) if dtype is complex else 0)
        blocks.append(Gf(mesh, data))
    return BlockGf(["up", "down"], blocks)


def write_then_read(tmp_path, obj, key="x"):
    with HDFArchive(tmp_path / "out.h5", "w") as ar:
        ar[key] = obj
    with HDFArchive(tmp_path / "out.h5", "r") as ar:
        return ar[key]


@pytest.mark.parametrize("dtype", [complex, float])
@pytest.mark.parametrize("mesh_name", list(MESHES))
def test_block_gf_round_trip_on_every_mesh(tmp_path, mesh_name, dtype):
    original = random_block_gf(MESHES[mesh_name], dtype)
    read_back = write_then_read(tmp_path, original)
    assert read_back.block_names == ["up", "down"]
    for (name, gf), (name_back, gf_back) in zip(original, read_back, strict=True):
        assert name == name_back and gf_back.mesh == gf.mesh
        assert gf_back.data.dtype == gf.data.dtype
        np.testing.assert_array_equal(gf_back.data, gf.data)  # storage is exact: no tolerance


def test_block2_gf_round_trip(tmp_path):
    mesh = MeshImTime(5.0, "B", 9)
    rng = np.random.default_rng(17)
    rows = [[Gf(mesh, rng.normal(size=(9, 1, 1)) + 1j * rng.normal(size=(9, 1, 1))) for _ in "ab"] for _ in "xyz"]
    original = Block2Gf(["x", "y", "z"], ["a", "b"], rows)
    read_back = write_then_read(tmp_path, original)
    assert read_back.block_names1 == ["x", "y", "z"] and read_back.block_names2 == ["a", "b"]
    for (pair, gf), (pair_back, gf_back) in zip(original, read_back, strict=True):
        assert pair == pair_back and gf_back.mesh == mesh
        np.testing.assert_array_equal(gf_back.data, gf.data)


def test_python_containers_scalars_and_arrays_round_trip(tmp_path):
    original = {
        "params": {"beta": 10.0, "n_iw": 1025, "solver": "nn", "measure": True, "off": False, "z": 1.5 - 2j},
        "list": [1, "two", 3.0, [4, (5, "six")]],
        "tuple": ("up", 3),
        ("down", "up"): np.array([[0.25]]),
        "complex_matrix": np.array([[1 + 2j, 3], [4, 5 - 6j]]),
        "ints": np.arange(5, dtype=np.int32),
        "bools": np.array([True, False]),
        "labels": np.array(["up_0", "down_10"]),
        "numpy_scalar": np.float32(0.5),
        "empty_list": [],
        "mesh": MESHES["MeshImFreq_B"],
        "operator": Operator([(2.5, [(True, ("up", 0)), (False, ("up", 0))]), (-1j, [])]),
    }
    read_back = write_then_read(tmp_path, original)
    assert set(read_back) == {str(k) for k in original}
    assert read_back["params"] == original["params"]
    assert type(read_back["params"]["measure"]) is bool and type(read_back["params"]["n_iw"]) is int
    assert read_back["list"] == [1, "two", 3.0, [4, (5, "six")]]
    assert read_back["tuple"] == ("up", 3)
    np.testing.assert_array_equal(read_back["('down', 'up')"], [[0.25]])  # TRIQS stores str(key)
    for key in ("complex_matrix", "ints", "bools", "labels"):
        assert read_back[key].dtype == original[key].dtype
        np.testing.assert_array_equal(read_back[key], original[key])
    assert read_back["numpy_scalar"] == 0.5 and read_back["empty_list"] == []
    assert read_back["mesh"] == original["mesh"] and read_back["operator"] == original["operator"]


def test_writing_an_existing_key_replaces_it(tmp_path):
    with HDFArchive(tmp_path / "out.h5", "w") as ar:
        ar["G"] = random_block_gf(MESHES["MeshReFreq"], complex)
        ar["G"] = [1, 2]
        ar["G"] = "replaced"
        assert ar["G"] == "replaced"


def test_unsupported_value_names_key_and_type(tmp_path):
    with HDFArchive(tmp_path / "out.h5", "w") as ar:
        with pytest.raises(TypeError, match=r"NoneType.*'nothing'"):
            ar["d"] = {"ok": 1, "nothing": None}
        assert "d" not in ar  # nothing half-written is left behind
        with pytest.raises(ValueError, match=r"'a/b'"):
            ar["a/b"] = 1


def signature(node):
    """Every path below ``node`` with its kind, shape, HDF5 type class, dtype and attributes (type + value)."""

    def type_signature(type_id, dtype):
        string = h5py.check_string_dtype(dtype)
        string = None if string is None else (string.encoding, string.length)
        described = dtype.descr if dtype.names else dtype.str
        return type_id.get_class(), string, described

    def attributes(obj):
        result = {}
        for name in obj.attrs:
            attr_id = obj.attrs.get_id(name)
            value = obj.attrs[name]
            value = value.tolist() if isinstance(value, np.ndarray) else value
            result[name] = (type_signature(attr_id.get_type(), attr_id.dtype), attr_id.shape, value)
        return result

    def describe(obj):
        if isinstance(obj, h5py.Group):
            return "group", attributes(obj)
        value = obj[()] if obj.size <= 6 and obj.dtype.names is None else None  # small values only
        value = value.tolist() if isinstance(value, np.ndarray) else value
        return "dataset", obj.shape, type_signature(obj.id.get_type(), obj.dtype), attributes(obj), value

    layout = {".": describe(node)}
    if isinstance(node, h5py.Group):
        node.visititems(lambda name, obj: layout.__setitem__(name, describe(obj)))
    return layout


def datasets(node):
    """Relative path -> dataset, for every dataset below ``node`` (``{'.': node}`` for a dataset)."""
    if isinstance(node, h5py.Dataset):
        return {".": node}
    found = {}
    node.visititems(lambda name, obj: found.__setitem__(name, obj) if isinstance(obj, h5py.Dataset) else None)
    return found


MIRRORED = {
    "ctint": ["G0_iw", "chiAB_iw", "chi2ph_iw", "chi3pp_iw", "G2_iw", "chi2ph_tau_from_M3"],  # TRIQS 3.3
    "ctseg": ["G_tau", "nn_tau", "densities", "nn"],  # TRIQS 3.3
    "solid_dmft": [  # TRIQS 3.2.0
        "DMFT_results/last_iter/Gimp_Refreq_0",
        "DMFT_results/last_iter/Gimp_freq_0",
        "DMFT_results/last_iter/Gimp_time_0",
        "DMFT_results/last_iter/dens_mat_pre",
        "DMFT_input/general_params",
        "DMFT_input/h_int",
    ],
}


@pytest.mark.parametrize("name", list(MIRRORED))
def test_written_layout_mirrors_triqs_3_2_and_3_3(tmp_path, fixture_paths, name):
    """Read an object written by TRIQS >= 3.2, write it back: same tree, dtypes, attributes and values."""
    with h5py.File(fixture_paths[name], "r") as triqs_file, h5py.File(tmp_path / "ours.h5", "w") as ours:
        for path in MIRRORED[name]:
            key = path.replace("/", "_")
            h5_write(ours, key, h5_read(triqs_file, path))
            assert signature(ours[key]) == signature(triqs_file[path]), path
            for sub_path, theirs in datasets(triqs_file[path]).items():
                if theirs.dtype.names is None:  # Operator records differ in is_real (see read_operator)
                    np.testing.assert_array_equal(ours[key][sub_path][()], theirs[()])  # bit-exact copy


def test_written_layout_follows_triqs_3_2_rules(tmp_path):
    """The rules of TRIQS.md 3.7, checked field by field, including the meshes no >= 3.2 fixture holds."""
    with h5py.File(tmp_path / "ours.h5", "w") as f:
        for name, mesh in MESHES.items():
            h5_write(f, name, random_block_gf(mesh, complex))
        h5_write(f, "real", random_block_gf(MESHES["MeshReFreq"], float))
        h5_write(f, "flag", True)

        def is_utf8_vlen(type_id):
            return type_id.is_variable_str() and type_id.get_cset() == h5py.h5t.CSET_UTF8

        def field_type(group, field):
            return group[field].dtype, group[field].shape

        block_gf = f["MeshImFreq_F"]
        assert is_utf8_vlen(block_gf.attrs.get_id("Format").get_type()) and block_gf.attrs["Format"] == "BlockGf"
        names = block_gf["block_names"]
        assert isinstance(names, h5py.Group) and names.attrs["Format"] == "List" and sorted(names) == ["0", "1"]
        assert [names[k][()] for k in ("0", "1")] == [b"up", b"down"] and is_utf8_vlen(names["0"].id.get_type())
        gf = block_gf["up"]
        assert gf.attrs["Format"] == "Gf" and sorted(gf) == ["data", "mesh"]  # no indices
        assert gf["data"].dtype == np.float64 and gf["data"].shape == (8, 1, 1, 2)
        assert gf["data"].attrs["__complex__"] == "1"
        assert "__complex__" not in f["real/up/data"].attrs and f["real/up/data"].shape == (6, 1, 1)
        expected_fields = {
            "MeshImFreq_F": {"beta": "float64", "statistic": "string", "size": "int64", "positive_freq_only": "int32"},
            "MeshImTime": {"beta": "float64", "statistic": "string", "n_tau": "int64"},
            "MeshReFreq": {"min": "float64", "max": "float64", "size": "int64"},
            "MeshReTime": {"min": "float64", "max": "float64", "size": "int64"},
            "MeshLegendre": {"beta": "float64", "statistic": "string", "max_n": "int64"},
            "MeshReFreqPts": {"points": "float64"},
        }
        for name, fields in expected_fields.items():
            mesh_group = f[name]["down/mesh"]
            assert mesh_group.attrs["Format"] == name.split("_")[0] and sorted(mesh_group) == sorted(fields)
            for field, dtype in fields.items():
                if dtype == "string":
                    assert is_utf8_vlen(mesh_group[field].id.get_type()) and mesh_group[field].shape == ()
                else:
                    assert field_type(mesh_group, field) == (np.dtype(dtype), (4,) if field == "points" else ())
        assert f["MeshImFreq_F/up/mesh/positive_freq_only"][()] == 0
        product = f["MeshProduct/up/mesh"]
        assert sorted(product) == ["MeshComponent0", "MeshComponent1"]
        assert product["MeshComponent0/statistic"][()] == b"B" and product["MeshComponent0/size"][()] == 3
        assert f["flag"].id.get_type().get_class() == h5py.h5t.ENUM


def test_bool_enum_is_the_triqs_one(tmp_path, fixture_paths):
    with h5py.File(tmp_path / "ours.h5", "w") as ours, h5py.File(fixture_paths["solid_dmft"]) as theirs:
        h5_write(ours, "csc", False)
        assert ours["csc"].id.get_type() == theirs["DMFT_input/general_params/csc"].id.get_type()  # H5Tequal


def test_operator_is_immutable_and_respects_the_triqs_monomial_limit(tmp_path):
    n_up_n_down = Operator([(4.0, [(True, ("up", 0)), (True, ("down", 0)), (False, ("down", 0)), (False, ("up", 0))])])
    assert repr(n_up_n_down) == "4*c_dag('up', 0)*c_dag('down', 0)*c('down', 0)*c('up', 0)"
    with pytest.raises(AttributeError, match="read-only"):
        n_up_n_down.terms = ()
    five_operators = Operator([(1.0, [(True, ("up", i)) for i in range(5)])])
    with h5py.File(tmp_path / "op.h5", "w") as f, pytest.raises(ValueError, match="at most 4 operators.*has 5"):
        h5_write(f, "op", five_operators)
