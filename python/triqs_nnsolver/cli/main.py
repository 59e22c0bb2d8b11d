"""Entry point of the ``triqs-nnsolver`` command: ``--version`` and the subcommands.

Subcommands so far: ``info`` (versions and available parts), ``generate``, ``merge`` and ``inspect`` (training data),
``train``, ``evaluate`` and ``export`` (the network), ``bethe`` and ``bethe-scan`` (DMFT).
Each subcommand parses its arguments and calls the library; no physics lives here.
"""

from __future__ import annotations

import argparse
import sys

from ..version import __version__
from .data_commands import add_data_commands
from .dmft_commands import add_dmft_commands
from .info import collect_info, format_info
from .train_commands import add_train_commands

__all__ = ["main", "build_parser"]


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
    return arguments.run(arguments)
