"""Entry point of the ``triqs-nnsolver`` command: ``--version`` and the subcommands.

Subcommands so far: ``info`` (versions and available parts), ``generate``, ``merge`` and ``inspect`` (training data),
``train``, ``evaluate`` and ``export`` (the network), ``bethe`` and ``bethe-scan`` (DMFT).
Each subcommand parses its arguments and calls the library; no physics lives here.

Errors reach the user as one line, ``triqs-nnsolver COMMAND: error: MESSAGE`` on standard error, never as a
traceback: the library's messages name the argument, what was expected and what was received. Exit status:
0 success; 1 a run-time error (a missing or unreadable file, a full disk, a missing optional package, a failed
MPI rank, a runtime error of the model); 2 bad arguments or input (``ValueError``, ``TypeError``,
``NotImplementedError``, as argparse's own usage errors); 3 a DMFT run that finished without converging.
Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys

from .. import mpi
from ..version import __version__
from .data_commands import add_data_commands
from .dmft_commands import add_dmft_commands
from .info import collect_info, format_info
from .train_commands import add_train_commands

__all__ = ["main", "build_parser", "EXIT_RUNTIME_ERROR", "EXIT_BAD_INPUT"]

EXIT_RUNTIME_ERROR = 1
EXIT_BAD_INPUT = 2
_BAD_INPUT = (ValueError, TypeError, NotImplementedError)
_RUNTIME = (OSError, ImportError, RuntimeError)


def _run_info(_arguments: argparse.Namespace) -> int:
    print(format_info(collect_info()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``triqs-nnsolver`` with all its subcommands."""
    parser = argparse.ArgumentParser(
        prog="triqs-nnsolver",
        description="Neural-network real-frequency impurity solver for TRIQS.",
    )
    parser.add_argument("--version", action="version", version=f"triqs_nnsolver {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    info = commands.add_parser("info", help="print versions of the package and its dependencies")
    info.set_defaults(run=_run_info)
    add_data_commands(commands)
    add_train_commands(commands)
    add_dmft_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return arguments.run(arguments)
    except _BAD_INPUT as err:
        return _report_error(arguments.command, err, EXIT_BAD_INPUT)
    except _RUNTIME as err:
        return _report_error(arguments.command, err, EXIT_RUNTIME_ERROR)


def _report_error(command: str, err: Exception, status: int) -> int:
    """Print ``err`` as one line on standard error (rank 0, and any other rank that failed itself)."""
    try:
        rank = mpi.rank()
    except ImportError:  # no mpi4py: one process
        rank = 0
    if rank == 0 or not isinstance(err, mpi.RankFailedError):
        prefix = "" if rank == 0 else f"rank {rank}: "
        print(f"{prefix}triqs-nnsolver {command}: error: {err}", file=sys.stderr, flush=True)
    return status
