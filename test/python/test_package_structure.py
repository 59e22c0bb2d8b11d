"""Package structure: dependencies point one way, heavy imports stay in their layer, ``__all__`` is honest.

The layer order is that of the developers' guide and STYLE.md section 3:
gf, h5, mpi, checks, model_contract -> bath, reference, spectral -> mps -> data -> model -> train -> runtime
-> impurity -> solver, dmft -> cli.
Also: no import cycles (at any depth of the code), no private (single-underscore) name imported from another module,
and a module docstring's ``Layer:`` line names the module's own layer; each of these checks is shown to fail on a
deliberate violation.
A module may import from its own layer or layers to its left only. torch enters at ``model`` (the torch
``Dataset`` over the data files is ``train/dataset.py``). ``triqs`` only at ``solver`` and above.
"""

import ast
import importlib
import re
from pathlib import Path

import pytest

import triqs_nnsolver

PACKAGE_DIR = Path(triqs_nnsolver.__file__).parent

LAYERS = {
    "version": 0, "checks": 0, "model_contract": 0, "gf": 0, "h5": 0, "mpi": 0,
    "bath": 1, "reference": 1, "spectral": 1,
    "mps": 2, "data": 3, "model": 4, "train": 5, "runtime": 6,
    "impurity": 7, "solver": 8, "dmft": 8, "cli": 9,
}  # fmt: skip
TOP_LEVEL = {"__init__", "__main__"}  # may import anything of the package
TORCH_FROM = LAYERS["model"]
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
        if parts[0] == "torch":
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


# --- no import cycles, no private names across modules, docstrings that name their own layer (issue 12) ---

EXTENSION_MODULES = {"_runtime"}  # compiled (C++ runtime): not a Python file of the package


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph(paths) -> dict[str, set[str]]:
    """Module -> package modules it imports (at any depth of its code), ``from P import m`` resolved to P.m."""
    names = {_module_name(p) for p in paths}
    graph = {}
    for path in paths:
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module
                for alias in node.names:
                    if alias.name not in EXTENSION_MODULES:
                        submodule = f"{source}.{alias.name}"
                        targets.add(submodule if submodule in names else source)
        graph[name] = {t for t in targets if t in names and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    cycles = _cycles(_import_graph(_modules()))
    assert not cycles, f"modules that import each other (directly or through others): {cycles}"


def test_cycle_check_catches_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _private_imports(source: str) -> list[str]:
    """``from X import _name`` of a single-underscore name (dunders such as ``__version__`` are public)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            for alias in node.names:
                name = alias.name
                if name.startswith("_") and not name.endswith("__") and name not in EXTENSION_MODULES:
                    found.append(f"{node.lineno}: from {'.' * node.level}{node.module or ''} import {name}")
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_no_private_name_is_imported_from_another_module(path):
    found = _private_imports(path.read_text())
    assert not found, f"{path.relative_to(PACKAGE_DIR)} imports private names (make them public or move them): {found}"


def test_private_import_check_catches_one():
    assert _private_imports("from .moments import _check_grid, spectral_norm\n") == [
        "1: from .moments import _check_grid"
    ]
    assert _private_imports("from ..version import __version__\nfrom .. import _runtime\n") == []


def _named_layer(docstring: str) -> str | None:
    """The layer a ``Layer: ...`` line of a docstring names: ``'bottom'`` or the first ````name````."""
    match = re.search(r"Layer:\s*(bottom|``(\w+)``)", docstring or "")
    if match is None:
        return None
    return "bottom" if match.group(1) == "bottom" else match.group(2)


def _layer_mismatch(owner: str, docstring: str, required: bool = True) -> str | None:
    """Why a docstring's ``Layer:`` line does not name the layer ``owner`` of its module (None: it does).

    ``required``: a module (not a package ``__init__``) must have the line.
    """
    named = _named_layer(docstring)
    if owner in TOP_LEVEL:
        return None
    if named is None:
        return "the module docstring has no 'Layer: ...' line" if required else None
    if named == "bottom":
        return None if LAYERS[owner] == 0 else f"docstring says layer 'bottom', the module is in {owner!r}"
    return None if named == owner else f"docstring names layer {named!r}, the module is in {owner!r}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_docstring_names_the_layer_of_its_module(path):
    docstring = ast.get_docstring(ast.parse(path.read_text()))
    mismatch = _layer_mismatch(_subpackage(path), docstring, required=path.name != "__init__.py")
    assert mismatch is None, f"{path.relative_to(PACKAGE_DIR)}: {mismatch}"


def test_layer_check_catches_a_wrong_layer():
    assert _named_layer("What it does.\n\nLayer: ``solver`` (above ``runtime``).") == "solver"
    assert _layer_mismatch("solver", "Layer: ``runtime`` (moved from there).") == (
        "docstring names layer 'runtime', the module is in 'solver'"
    )
    assert (
        _layer_mismatch("dmft", "Layer: bottom, beside ``gf``.")
        == "docstring says layer 'bottom', the module is in 'dmft'"
    )
    assert _layer_mismatch("gf", "Layer: bottom, beside ``h5``.") is None
    assert _layer_mismatch("gf", "No layer line.") == "the module docstring has no 'Layer: ...' line"
    assert _layer_mismatch("gf", "No layer line.", required=False) is None
