"""The ``triqs-nnsolver`` command: version and info."""

import subprocess
import sys

import pytest

from triqs_nnsolver import __version__
from triqs_nnsolver.cli import main
from triqs_nnsolver.cli.info import collect_info


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"triqs_nnsolver {__version__}"


def test_info_lists_every_part(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    for name in ("triqs_nnsolver", "torch", "numpy", "h5py", "MPI", "C++ runtime", "TRIQS"):
        assert any(line.startswith(name) for line in out.splitlines()), name
    info = collect_info()
    assert info["torch"].startswith("2.13.0")  # the exact pin of pyproject.toml


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "usage: triqs-nnsolver" in capsys.readouterr().err


def test_console_entry_point_runs_as_module():
    result = subprocess.run([sys.executable, "-m", "triqs_nnsolver", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.strip() == f"triqs_nnsolver {__version__}"
