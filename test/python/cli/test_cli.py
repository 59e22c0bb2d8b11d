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


@pytest.mark.parametrize("argv", [["--version"], ["info"], ["--help"], []], ids=["version", "info", "help", "none"])
def test_light_commands_import_no_stack(argv):
    """Issue 12: `--version`, `info` and the command list load no torch, no training or data stack."""
    code = (
        "import sys\nfrom triqs_nnsolver.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "heavy = ['torch', 'scipy', 'h5py', 'tqdm'] + [m for m in sys.modules if m.startswith('triqs_nnsolver.')"
        " and m.split('.')[1] not in ('cli', 'mpi', 'version')]\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


def test_a_command_imports_its_own_stack_only():
    code = (
        "import sys\nfrom triqs_nnsolver.cli.main import build_parser\nbuild_parser('inspect')\n"
        "print('torch' in sys.modules, 'triqs_nnsolver.data' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]  # inspect reads data files: h5py, no torch
