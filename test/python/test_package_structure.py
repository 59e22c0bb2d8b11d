"""Package structure: dependencies point one way, heavy imports stay in their layer, ``__all__`` is honest.

The layer order is that of the developers' guide and STYLE.md section 3:
gf, h5, mpi, checks -> bath, reference, spectral -> mps -> data -> model -> train -> runtime -> solver -> dmft -> cli.
A module may import from its own layer or layers to its left only. torch enters at ``model``, with one
exception: ``data/torch_dataset.py``, the torch ``Dataset`` over the data files, which only the training
side imports (``import triqs_nnsolver.data`` stays torch-free). ``triqs`` only at ``solver`` and above.
"""

import ast
import importlib
from pathlib import Path

import pytest

import triqs_nnsolver

PACKAGE_DIR = Path(triqs_nnsolver.__file__).parent

LAYERS = {
    "version": 0, "checks": 0, "gf": 0, "h5": 0, "mpi": 0,
    "bath": 1, "reference": 1, "spectral": 1,
    "mps": 2, "data": 3, "model": 4, "train": 5, "runtime": 6,
    "solver": 7, "dmft": 8, "cli": 9,
}  # fmt: skip
TOP_LEVEL = {"__init__", "__main__"}  # may import anything of the package
TORCH_FROM = LAYERS["model"]
TORCH_ALLOWED_BELOW_MODEL = {"data/torch_dataset.py"}
TRIQS_FROM = LAYERS["solver"]


def _modules():
    return sorted(p for p in PACKAGE_DIR.rglob("*.py"))


def _subpackage(path: Path) -> str:
    return path.relative_to(PACKAGE_DIR).parts[0].removesuffix(".py")


def _imports(path: Path):
    """(absolute module name, line) of every import in the file, relative imports resolved."""
    package = ".".join(("triqs_nnsolver",) + path.relative_to(PACKAGE_DIR).parent.parts)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:
                    yield from ((f"{target}.{alias.name}", node.lineno) for alias in node.names)
                    continue
                yield target, node.lineno
            else:
                yield node.module, node.lineno


def test_every_module_belongs_to_a_layer():
    unknown = {_subpackage(p) for p in _modules()} - set(LAYERS) - TOP_LEVEL - {"_runtime_module"}
    assert not unknown, f"add these subpackages to LAYERS (and to STYLE.md's order): {unknown}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_imports_point_one_way(path):
    owner = _subpackage(path)
    if owner in TOP_LEVEL:
        return
    layer = LAYERS[owner]
    for name, line in _imports(path):
        parts = name.split(".")
        if parts[0] == "triqs_nnsolver" and len(parts) > 1:
            target = parts[1]
            if target == "_runtime":
                target = "runtime"
            assert target in LAYERS, f"{path.name}:{line} imports {name}, which belongs to no layer"
            assert LAYERS[target] <= layer, f"{path.name}:{line} imports {name}: {owner} may not depend on {target}"
        if parts[0] == "torch" and str(path.relative_to(PACKAGE_DIR)) not in TORCH_ALLOWED_BELOW_MODEL:
            assert layer >= TORCH_FROM, f"{path.name}:{line} imports torch below the model layer"
        if parts[0] == "triqs":
            assert layer >= TRIQS_FROM, f"{path.name}:{line} imports triqs below the solver layer"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_all_lists_existing_public_names(path):
    if path.name == "__main__.py":
        return
    relative = path.relative_to(PACKAGE_DIR).with_suffix("")
    parts = [p for p in relative.parts if p != "__init__"]
    module = importlib.import_module(".".join(["triqs_nnsolver", *parts]))
    assert hasattr(module, "__all__"), f"{path} has no __all__"
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"{path}: __all__ names {missing}, which the module does not define"
    assert module.__doc__, f"{path} has no module docstring"
