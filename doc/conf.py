"""Sphinx configuration of the triqs_nnsolver documentation site (``make docs``).

The site builds offline from the installed package: the Markdown pages of ``doc/`` through myst-parser, the
tutorials of ``doc/tutorials/`` executed by sphinx-gallery at every build (their figures and numbers come from
the shipped model), and an API reference of every public name, generated here from the ``__all__`` of each
module (one page per module under ``doc/api/``, written at configuration time and not committed). Docstrings
are numpydoc-style. Warnings are errors in ``make docs`` (``sphinx-build -W``).
"""

import importlib
import inspect
import os
import sys
import warnings
from pathlib import Path

from sphinx.pycode import ModuleAnalyzer, PycodeError

import triqs_nnsolver

DOC = Path(__file__).resolve().parent

# The package's public modules, in the layer order of the README; each page lists that module's __all__.
API_MODULES = [
    "triqs_nnsolver",
    "triqs_nnsolver.gf",
    "triqs_nnsolver.h5",
    "triqs_nnsolver.mpi",
    "triqs_nnsolver.checks",
    "triqs_nnsolver.model_contract",
    "triqs_nnsolver.bath",
    "triqs_nnsolver.reference",
    "triqs_nnsolver.spectral",
    "triqs_nnsolver.mps",
    "triqs_nnsolver.data",
    "triqs_nnsolver.model",
    "triqs_nnsolver.train",
    "triqs_nnsolver.runtime",
    "triqs_nnsolver.impurity",
    "triqs_nnsolver.solver",
    "triqs_nnsolver.dmft",
    "triqs_nnsolver.cli",
    "triqs_nnsolver.version",
]

project = "triqs_nnsolver"
author = "The triqs_nnsolver developers"
copyright = "the triqs_nnsolver developers, GPL-3.0-or-later"  # noqa: A001 (Sphinx's name)
release = triqs_nnsolver.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["examples", "tutorials", "**/*.ipynb", "**/*.zip", "**/*.py.md5"]
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # the pages start at h1 and some skip a level on purpose (doc/mps.md)

html_theme = "furo"
html_title = f"triqs_nnsolver {release}"
html_static_path = []
html_show_sourcelink = False

# API reference: one page per module, an autosummary table and then every name in full (one page per name
# would make the build several times slower: each page carries the whole navigation); numpydoc renders them.
autosummary_generate = False
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# Tutorials: executed at every build, one core, no display.
os.environ.setdefault("MPLBACKEND", "Agg")
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")
sphinx_gallery_conf = {
    "examples_dirs": ["tutorials"],
    "gallery_dirs": ["auto_tutorials"],
    "filename_pattern": r"/plot_",  # every plot_*.py runs; the others (show_*.py) are shown without running
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "show_memory": False,
    "plot_gallery": "True",
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "reset_modules": ("matplotlib",),
    "min_reported_time": 1,
    "capture_repr": (),  # only what a tutorial prints, not the value of its last expression
    "run_stale_examples": True,  # every build reruns every tutorial: the shipped model may have changed
}

# TorchScript deprecation notices of torch 2.13 (the runtime is TorchScript by design, as in pyproject.toml).
for message in ("`torch.jit.script` is deprecated", "`torch.jit.load` is deprecated", "`torch.jit.save` is deprecated"):
    warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)


def _canonical_module(obj, module: str) -> str:
    """The module whose page documents ``obj``: the longest listed prefix of its ``__module__``."""
    defined_in = getattr(obj, "__module__", None) or module
    owners = [m for m in API_MODULES if defined_in == m or defined_in.startswith(m + ".")]
    return max(owners, key=len) if owners else module


def _kind(obj) -> str:
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    return "function" if callable(obj) else "data"


SECTIONS = (
    ("class", "Classes"),
    ("exception", "Exceptions and warnings"),
    ("function", "Functions"),
    ("data", "Constants"),
)


def _module_page(module: str) -> str:
    mod = importlib.import_module(module)
    title = f"``{module}``"
    lines = [title, "=" * len(title), "", f".. automodule:: {module}", "   :no-members:", ""]
    lines += [f".. currentmodule:: {module}", ""]
    own: dict[str, list[str]] = {kind: [] for kind, _ in SECTIONS}
    elsewhere: list[str] = []
    for name in mod.__all__:
        obj = getattr(mod, name)
        kind = _kind(obj)
        home = module if kind == "data" else _canonical_module(obj, module)
        if home == module:
            own[kind].append(name)
        else:
            role = {"class": "class", "exception": "exc", "function": "func"}[kind]
            elsewhere.append(f"- :py:{role}:`{module}.{name} <{home}.{name}>`: documented in :py:mod:`{home}`")
    directive = {"class": "autoclass", "exception": "autoexception", "function": "autofunction", "data": "autodata"}
    for kind, heading in SECTIONS:
        if own[kind]:
            lines += [heading, "-" * len(heading), "", ".. autosummary::", "   :nosignatures:", ""]
            lines += [f"   {name}" for name in own[kind]] + [""]
            for name in own[kind]:
                lines += [f".. {directive[kind]}:: {name}", ""]
    if elsewhere:
        heading = "Re-exported names"
        lines += [heading, "-" * len(heading), ""] + elsewhere + [""]
    return "\n".join(lines)


def write_api_pages() -> None:
    """``doc/api/index.rst`` and one page per module; rewritten only when their text changes."""
    folder = DOC / "api"
    folder.mkdir(exist_ok=True)
    pages = {f"{module}.rst": _module_page(module) for module in API_MODULES}
    index = ["API reference", "=============", ""]
    index += ["Every name in the ``__all__`` of the package's public modules, in the package's layer order", ""]
    index += [".. toctree::", "   :maxdepth: 1", ""] + [f"   {module}" for module in API_MODULES] + [""]
    pages["index.rst"] = "\n".join(index)
    for name, text in pages.items():
        path = folder / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


write_api_pages()


def check_model_card() -> None:
    """The model-card page includes the card of the model the package ships by default (``DEFAULT_MODEL``)."""
    from triqs_nnsolver.runtime import DEFAULT_MODEL

    card = f"share/triqs_nnsolver/models/{DEFAULT_MODEL}/MODEL_CARD.md"
    if card not in (DOC / "model_card.md").read_text():
        raise RuntimeError(f"doc/model_card.md must include {card}, the card of runtime.DEFAULT_MODEL")


check_model_card()


def _attribute_comment(name: str, obj) -> list[str] | None:
    """The ``#:`` comment or docstring of constant ``name`` (``package.NAME``) in the submodule defining it."""
    package, _, attribute = name.rpartition(".")
    for module_name, module in sorted(sys.modules.items()):
        if not module_name.startswith(package + ".") or getattr(module, attribute, None) is not obj:
            continue
        try:
            analyzer = ModuleAnalyzer.for_module(module_name)
            analyzer.analyze()
        except PycodeError:
            continue
        comment = analyzer.attr_docs.get(("", attribute))
        if comment:
            return list(comment)
    return None


def _constant_docstrings(app, what, name, obj, options, lines):
    """A re-exported constant: its comment where it is defined, never its type's docstring (``str``, ``dict``)."""
    if what not in ("data", "attribute") or inspect.isroutine(obj) or inspect.isclass(obj):
        return
    own = (inspect.getdoc(type(obj)) or "").strip()
    if lines and own and "\n".join(lines).strip().startswith(own.splitlines()[0].strip()):
        lines[:] = _attribute_comment(name, obj) or []


def setup(app):
    app.connect("autodoc-process-docstring", _constant_docstrings)
