"""block2 is imported when an MPS run starts, not with the package: the rest works where it is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from triqs_nnsolver.bath import semicircle_chain
from triqs_nnsolver.mps import MPSSettings, solve_complex_time
from triqs_nnsolver.mps.engine import BLOCK2_REQUIREMENT

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


def test_package_data_and_cli_import_without_loading_block2():
    code = (
        "import sys, triqs_nnsolver.data, triqs_nnsolver.mps, triqs_nnsolver.cli\n"
        "sys.exit(3 if 'pyblock2' in sys.modules else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_mps_run_without_block2_names_the_package_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyblock2", None)  # what Python does for a package that is not installed
    monkeypatch.setitem(sys.modules, "pyblock2.driver", None)
    monkeypatch.setitem(sys.modules, "pyblock2.driver.core", None)
    with pytest.raises(ImportError, match=r"the MPS solver needs block2 \(pip install block2==0\.5\.4\)"):
        solve_complex_time(semicircle_chain(1.0, 1), 0.0, 0.0, [0.3], MPSSettings(n_bath=1, t_max=0.3, dt=0.1))


def test_the_named_requirement_is_the_pin_of_pyproject():
    assert f'"{BLOCK2_REQUIREMENT}"' in PYPROJECT.read_text()  # the dependency string, quoted as in the list
