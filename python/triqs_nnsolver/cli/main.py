"""Entry point of the ``triqs-nnsolver`` command: ``--version`` and the subcommands.

Subcommands (:data:`COMMANDS`): ``info`` (versions and available parts), ``generate``, ``merge``, ``inspect`` and
``retarget`` (training data), ``train``, ``evaluate`` and ``export`` (the network), ``bethe``, ``bethe-scan`` and
``lattice`` (DMFT). Each command's module adds its arguments (``add_arguments(command, parser)``) and calls the
library; no physics lives here. Only the module of the command that runs is imported: ``--version`` and ``info``
load no torch.

Errors reach the user as one line, ``triqs-nnsolver COMMAND: error: MESSAGE`` on standard error, never as a
traceback: the library's messages name the argument, what was expected and what was received. Exit status:
0 success; 1 a run-time error (a missing or unreadable file, a full disk, a missing optional package, a failed
MPI rank, a runtime error of the model); 2 bad arguments or input (``ValueError``, ``TypeError``,
``NotImplementedError``, as argparse's own usage errors); 3 a DMFT run that finished without converging.
Any other exception is a bug and keeps its traceback.

Layer: ``cli``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import mpi
from ..version import __version__

__all__ = ["main", "build_parser", "COMMANDS", "EXIT_RUNTIME_ERROR", "EXIT_BAD_INPUT"]

EXIT_RUNTIME_ERROR = 1
EXIT_BAD_INPUT = 2
_BAD_INPUT = (ValueError, TypeError, NotImplementedError)
_RUNTIME = (OSError, ImportError, RuntimeError)

# command -> (module of this package that adds its arguments, one-line help); the module is imported only
# when its command runs, so `--version`, `info` and the help list import none of the stacks behind the commands
COMMANDS = {
    "info": ("info", "print versions of the package and its dependencies"),
    "generate": ("data_commands", "generate training data (exact diagonalization or MPS)"),
    "merge": ("data_commands", "merge data files (shards) into one, checked"),
    "inspect": ("data_commands", "print what data files hold: counts, ranges, diagnostics (JSON)"),
    "retarget": ("data_commands", "recompute a data file's inputs and targets from its raw data (poles, series)"),
    "train": ("train_commands", "train the network on dataset files"),
    "evaluate": ("train_commands", "score a trained model on held-out data"),
    "export": ("train_commands", "write a checkpoint as a TorchScript model file"),
    "bethe": ("dmft_commands", "real-frequency DMFT on the Bethe lattice (one U)"),
    "bethe-scan": ("dmft_commands", "U scan of the Bethe-lattice DMFT (hysteresis)"),
    "lattice": ("dmft_commands", "real-frequency DMFT on the square or cubic lattice or a DOS file (one U)"),
}


def _chosen_command(argv: list[str]) -> str | None:
    """The command named in ``argv``: its first word that is not an option (the top level has no valued options)."""
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of ``triqs-nnsolver``: every command by name and help, ``command`` with its arguments.

    Parameters
    ----------
    command : str, optional
        The command whose arguments are added (its module is imported); None: names and help only.
    """
    parser = argparse.ArgumentParser(
        prog="triqs-nnsolver",
        description="Neural-network real-frequency impurity solver for TRIQS.",
    )
    parser.add_argument("--version", action="version", version=f"triqs_nnsolver {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    for name, (module_name, summary) in COMMANDS.items():
        subparser = commands.add_parser(name, help=summary)
        if name == command:
            module = importlib.import_module(f"{__package__}.{module_name}")
            module.add_arguments(name, subparser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_chosen_command(argv))
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
    """Print ``err`` as one line on standard error, on rank 0 only (an error of another rank reaches rank 0 as a
    ``mpi.RankFailedError`` that names it, or through ``mpi.compute_on_root``)."""
    mpi.report(f"triqs-nnsolver {command}: error: {err}", file=sys.stderr)
    return status
