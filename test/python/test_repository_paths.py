"""Nothing in the repository reads outside it: a clone with nothing beside it runs every test and example.

Two checks over the package, the tests, the benchmarks, the examples and the build and CI files:

- no text names a place outside the clone: the developers' folder beside the repository (dot-dot then
  ``shared``), two levels up from a relative path, or an absolute path into a machine's home or work folders;
- no Python file climbs above the repository root from its own ``__file__`` (``.parent`` chains and
  ``.parents[k]`` on an expression built from ``__file__``, directly or through a module-level name).

Each check is shown to fail on a deliberate violation (the ``test_*_catches_*`` tests).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCANNED = [
    "python",
    "test",
    "bench",
    "doc/examples",
    "doc/tutorials",
    "doc/conf.py",
    "Makefile",
    ".ci",
    "pyproject.toml",
    "CMakeLists.txt",
]
TEXT_SUFFIXES = {".py", ".txt", ".toml", ".cfg", ".sh", ".cmake", ".json", ".cpp", ".hpp", ""}
# the written patterns do not match their own source text (the dots are escaped, the folder names grouped)
OUTSIDE = re.compile(r"\.\./(?:\.\./|shared\b)|(?<![\w.])/(?:work|home|root|mnt|Users)/")


def _scanned_files() -> list[Path]:
    files = []
    for entry in SCANNED:
        path = REPO / entry
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        files += [p for p in candidates if p.is_file() and p.suffix in TEXT_SUFFIXES and "__pycache__" not in p.parts]
    return files


def _outside_mentions(text: str) -> list[tuple[int, str]]:
    """(line number, line) of each line that names a place outside the repository."""
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if OUTSIDE.search(line)]


def _climb(node: ast.AST, from_file: dict[str, int]) -> int | None:
    """Folders above the file that ``node`` reaches, if it is built from ``__file__`` (None otherwise).

    ``Path(__file__)`` (resolved or not) is 0; each ``.parent`` adds one; ``.parents[k]`` adds k + 1;
    ``from_file`` gives the climb of module-level names assigned from such an expression.
    """
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = _climb(node.value, from_file)
        return None if inner is None else inner + 1
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
        inner = _climb(node.value.value, from_file)
        index = node.slice
        if inner is None or not (isinstance(index, ast.Constant) and isinstance(index.value, int)):
            return None
        return inner + index.value + 1
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        return 0 if node.id == "__file__" else from_file.get(node.id)
    if isinstance(node, ast.Call):  # Path(__file__), x.resolve(), x.absolute()
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("resolve", "absolute"):
            return _climb(func.value, from_file)
        if node.args:
            return _climb(node.args[0], from_file)
    return None


def _climbs_above(source: str, depth: int) -> list[tuple[int, int]]:
    """(line, climb) of each ``__file__``-based path that leaves a file ``depth`` folders below the root."""
    tree = ast.parse(source)
    from_file: dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            climb = _climb(statement.value, from_file)
            if isinstance(target, ast.Name) and climb is not None:
                from_file[target.id] = climb
    found = []
    for node in ast.walk(tree):
        climb = _climb(node, from_file)
        if climb is not None and climb > depth:
            found.append((node.lineno, climb))
    return found


def test_no_file_names_a_place_outside_the_repository():
    offenders = []
    for path in _scanned_files():
        text = path.read_text(errors="replace")
        offenders += [f"{path.relative_to(REPO)}:{n}: {line}" for n, line in _outside_mentions(text)]
    assert not offenders, "files that point outside the repository:\n" + "\n".join(offenders)


DOTS = ".."  # the violations below are assembled at run time, so this file does not contain them
VIOLATIONS = ["p = '" + "/".join([DOTS, "shared", "fixtures", "triqs"]) + "'", f"x = '{DOTS}/{DOTS}/data.h5'"]
VIOLATIONS += ["cd " + "/".join([DOTS, "shared"]) + " && ls"]
VIOLATIONS += [f"os.environ['D'] = '/{'work'}/main/x'", f"open('/{'home'}/user/model.pt')"]


@pytest.mark.parametrize("line", VIOLATIONS)
def test_text_check_catches_outside_paths(line):
    assert _outside_mentions(line)


def test_text_check_keeps_ordinary_paths():
    for line in ["Path(__file__).parents[2] / 'doc'", "tmp_path / 'out.h5'", "'/tmp/x'", "'../x'", "a/work/b"]:
        assert not _outside_mentions(line), line


def test_no_python_file_climbs_above_the_repository():
    offenders = []
    for path in _scanned_files():
        if path.suffix != ".py":
            continue
        depth = len(path.relative_to(REPO).parts)  # folders between the file and the root, the file included
        offenders += [
            f"{path.relative_to(REPO)}:{n} climbs {c} > {depth}" for n, c in _climbs_above(path.read_text(), depth)
        ]
    assert not offenders, "paths built from __file__ that leave the repository:\n" + "\n".join(offenders)


def test_climb_check_catches_paths_above_the_root():
    # a file test/python/x.py (depth 3): parents[2] is the root, parents[3] and a 4th .parent leave it
    assert _climbs_above("ROOT = Path(__file__).resolve().parents[2]\n", depth=3) == []
    assert _climbs_above("OUT = Path(__file__).resolve().parents[3] / 'shared'\n", depth=3) == [(1, 4)]
    assert _climbs_above("HERE = Path(__file__)\nOUT = HERE.parent.parent.parent.parent\n", depth=3) == [(2, 4)]
    assert _climbs_above("HERE = Path(__file__).resolve()\nX = HERE.parents[1].parent.parent\n", depth=3) == [(2, 4)]
