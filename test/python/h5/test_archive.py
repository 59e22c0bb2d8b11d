"""``HDFArchive``: the TRIQS-style dict interface, sub-archives, modes; and the ``h5`` package structure."""

import ast
import importlib
import pkgutil

import numpy as np
import pytest

import triqs_nnsolver.h5 as h5_package
from triqs_nnsolver.gf import BlockGf, MeshReFreq
from triqs_nnsolver.h5 import HDFArchive, HDFArchiveGroup


def test_dict_interface_and_nested_groups(tmp_path):
    path = tmp_path / "a.h5"
    G_w = BlockGf.from_gf_struct(MeshReFreq(-1, 1, 5), [("up", 1), ("down", 2)])
    with HDFArchive(path, "w") as ar:
        ar["G_w"] = G_w
        results = ar.create_group("results")
        results.create_group("iteration_0")["mu"] = 0.25
        assert isinstance(ar["results"], HDFArchiveGroup) and ar["results"].name == "/results"
        assert ar.is_group("G_w") and not ar.is_data("G_w")
    with HDFArchive(path, "a") as ar:
        assert "G_w" in ar and "missing" not in ar and 3 not in ar
        assert list(ar.keys()) == ["G_w", "results"] and len(ar) == 2
        assert ar["results"]["iteration_0"]["mu"] == 0.25
        assert ar["G_w"].block_names == ["up", "down"]
        ar["results"]["iteration_0"]["mu"] = 0.5  # writes through a sub-archive
        del ar["G_w"]
        assert list(ar) == ["results"]
        ar.create_group("results")  # replaces, as TRIQS's create_group does
        assert len(ar["results"]) == 0
    with HDFArchive(path, "r") as ar:
        assert dict(ar.items()).keys() == {"results"}


def test_read_only_archive_refuses_writes(tmp_path):
    with HDFArchive(tmp_path / "a.h5", "w") as ar:
        ar["x"] = np.arange(3)
    with HDFArchive(tmp_path / "a.h5", "r") as ar:
        with pytest.raises(PermissionError, match="read-only.*'y'"):
            ar["y"] = 1
        with pytest.raises(PermissionError):
            del ar["x"]
        np.testing.assert_array_equal(ar["x"], [0, 1, 2])


def test_bad_open_flag_and_missing_file(tmp_path):
    with pytest.raises(ValueError, match="open_flag.*'rw'"):
        HDFArchive(tmp_path / "a.h5", "rw")
    with pytest.raises(OSError):
        HDFArchive(tmp_path / "absent.h5", "r")


def test_all_names_exist_and_imports_stay_in_the_bottom_layer():
    for name in h5_package.__all__:
        assert hasattr(h5_package, name), name
    allowed = {"h5py", "numpy", "__future__", "collections", "numbers", "warnings"}
    for module_info in pkgutil.iter_modules(h5_package.__path__):
        module = importlib.import_module(f"triqs_nnsolver.h5.{module_info.name}")
        assert module.__doc__ and hasattr(module, "__all__"), module.__name__
        tree = ast.parse(open(module.__file__).read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
                assert roots <= allowed, (module.__name__, roots)
            elif isinstance(node, ast.ImportFrom):
                target = "." * node.level + (node.module or "")
                assert target.split(".")[0] in allowed or target.startswith((".", "..gf")), (module.__name__, target)
                if node.level == 2:
                    assert (node.module or "").startswith("gf"), (module.__name__, target)
