"""The ``generate``, ``merge`` and ``inspect`` subcommands of ``triqs-nnsolver``: training data files.

``triqs-nnsolver generate --backend {ed,lanczos,mps} --n-samples N --out FILE [--seed S] [--families a,b]
[--U-range a:b] [--eps-d-range=a:b] [--eps-d-absolute] [--alphas a,b,c] [--bath-sites N] [--sigma-w S] [--chi N]
[--dt DT] [--t-max T] [--model-config FILE] [--no-progress]`` writes samples ``0 .. N-1`` of the run with seed S on
the model's grid; running the same command again resumes (ids already in the file are skipped). ``--problems FILE``
takes sample i's bath, U and eps_d from problem i of a problem set (``bethe --problems-out FILE``, ``data.problems``)
instead of drawing them (``--n-samples`` at most the number of problems). A range that starts
with a minus sign needs the ``=`` form (``--eps-d-range=-1:1``), or argparse takes it for an option. Under ``mpiexec
-n K`` every rank writes its own shard ``FILE.shard<r>of<K>.h5`` (samples ``i`` with ``i % K == r``; shards are kept,
so a rerun resumes each of them) and rank 0 then merges the shards into FILE; the progress bar is rank 0's.
``triqs-nnsolver merge SHARD... --out FILE`` merges and checks files and prints the count and the content hash.
``triqs-nnsolver inspect FILE...`` prints what a data set holds (JSON: counts, ranges, resolution, the largest run
diagnostics; ``data.summarize``).
``triqs-nnsolver retarget IN --out OUT [--n-w N --w-max W | --model-config FILE] [--alphas a,b] [--sigma-w S]
[--real-axis-width W] [--real-axis-rule lorentzian|self_energy] [--real-axis-slope C] [--input-broadening-scale F]
[--compact]`` recomputes the
inputs and targets of a schema-3 file from its poles or series
(``data.retarget_file``) on another grid, at other alphas (poles only) or another resolution (``--sigma-w 0``:
unbroadened, poles only), and writes a compressed file; ``--compact`` writes the raw data only (the form the
repository keeps). Prints the report as JSON.

``--backend ed`` solves each sample by dense ED (``data.EDSettings``), ``--backend lanczos`` the same problems by
Lanczos (``data.LanczosSettings``: up to 11 levels, about 1 s a sample at 9 on one core, no ``A_real``),
``--backend mps`` by DMRG + TDVP (``triqs_nnsolver.mps``, block2, one thread per rank); ``--chi``, ``--dt``,
``--t-max`` set the MPS bond dimension and time grid and are refused with the other backends. ``--bath-sites`` sets
the bath levels per spin (default 5 for ``ed``, 9 for ``lanczos``, ``MPSSettings().n_bath`` for ``mps``).
``--sigma-w S`` sets the frequency resolution of the targets (``A~`` and ``dA~/dalpha`` convolved with a Gaussian
of deviation S; 0: none): ``ed`` and ``lanczos`` default none (exact tilt), ``mps`` default
``MPSDataSettings().sigma_w`` with the Gaussian time window; for ``mps`` the window and t_max go together
(``t_max >= 4.29 / S``, ``spectral.gaussian_window_t_max``): S alone sets t_max, ``--t-max`` alone sets
S = 4.29 / t_max, both are checked. Parsing and calling only (``triqs_nnsolver.data``). All backends run best with
``OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1`` and MPI ranks for parallelism.
Layer: ``cli``. Its arguments are added by :func:`add_arguments` when ``cli.main`` runs one of its commands.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .. import mpi
from ..data import (
    FAMILIES,
    EDSettings,
    LanczosSettings,
    MPSDataSettings,
    dataset_hash,
    generate_ed_samples,
    generate_lanczos_samples,
    generate_mps_samples,
    merge_shards,
    summarize,
)
from ..data.problems import read_problem_set
from ..data.real_axis import REAL_AXIS_RULES
from ..data.retarget import KEEP, retarget_file
from ..model import ModelConfig
from ..mps import MPSSettings
from ..spectral import gaussian_window_sigma_w, gaussian_window_t_max

__all__ = ["DEFAULT_ALPHAS", "add_arguments", "run_generate", "run_merge", "run_inspect", "run_retarget"]

DEFAULT_ALPHAS = (0.1, 0.2, 0.4)  # radians; our choice, between the nearly real-axis and the cheap MPS runs


def _range(text: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in text.split(":"))
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"expected a range a:b of two numbers; got {text!r}") from err
    return low, high


def _floats(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(part) for part in text.split(","))
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers; got {text!r}") from err


def _families(text: str) -> tuple[str, ...]:
    names = tuple(part.strip() for part in text.split(","))
    unknown = sorted(set(names) - set(FAMILIES))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown families {unknown}; known: {', '.join(FAMILIES)}")
    return names


def shard_path(out, rank: int, n_ranks: int) -> Path:
    """``FILE.shard<rank>of<n_ranks>.h5`` next to ``out``, with zero-padded numbers."""
    out = Path(out)
    return out.with_name(f"{out.name}.shard{rank:04d}of{n_ranks:04d}.h5")


def run_generate(arguments: argparse.Namespace) -> int:
    """The ``generate`` command (module docstring). Returns 0."""
    model_config = ModelConfig()
    if arguments.model_config is not None:
        model_config = ModelConfig.from_json(Path(arguments.model_config).read_text())
    common = {
        "problems": None if arguments.problems is None else read_problem_set(arguments.problems),
        "families": arguments.families,
        "U_range": arguments.U_range,
        "eps_d_range": arguments.eps_d_range,
        "eps_d_reference": "fermi_level" if arguments.eps_d_absolute else "half_filling",
    }
    if arguments.backend in ("ed", "lanczos"):
        mps_only = [
            f"--{name.replace('_', '-')}" for name in ("chi", "dt", "t_max") if getattr(arguments, name) is not None
        ]
        if mps_only:
            raise ValueError(
                f"{', '.join(mps_only)} apply to --backend mps only; got them with --backend {arguments.backend}"
            )
        settings_class, generate = {
            "ed": (EDSettings, generate_ed_samples),
            "lanczos": (LanczosSettings, generate_lanczos_samples),
        }[arguments.backend]
        n_bath = settings_class().n_bath if arguments.bath_sites is None else arguments.bath_sites
        sigma_w = arguments.sigma_w or None  # 0 or absent: the exact tilt
        settings = settings_class(**common, n_bath=n_bath, sigma_w=sigma_w)
    else:
        window = {}
        t_max = arguments.t_max
        if arguments.sigma_w == 0:
            window = {"window": "none", "sigma_w": None}
        elif arguments.sigma_w is not None:
            window = {"sigma_w": arguments.sigma_w}
            if t_max is None:
                t_max = gaussian_window_t_max(arguments.sigma_w, dt=arguments.dt or MPSSettings().dt)
        elif t_max is not None:
            window = {"sigma_w": gaussian_window_sigma_w(t_max)}  # the finest resolution t_max supports
        mps_options = {"chi": arguments.chi, "dt": arguments.dt, "t_max": t_max, "n_bath": arguments.bath_sites}
        mps_settings = MPSSettings(**{key: value for key, value in mps_options.items() if value is not None})
        settings, generate = MPSDataSettings(**common, **window, mps=mps_settings), generate_mps_samples
    rank, n_ranks = mpi.rank(), mpi.size()
    target = Path(arguments.out) if n_ranks == 1 else shard_path(arguments.out, rank, n_ranks)
    written = mpi.on_every_rank(  # a rank that fails (disk full, bad file) stops the others before the merge
        lambda: generate(
            target, arguments.n_samples, arguments.seed, model_config.grid, arguments.alphas, settings,
            shard=(rank, n_ranks), progress=arguments.progress and mpi.is_master_node(),
        )
    )  # fmt: skip
    if n_ranks > 1 and mpi.is_master_node():
        total = merge_shards([shard_path(arguments.out, r, n_ranks) for r in range(n_ranks)], arguments.out)
        mpi.report(f"merged {n_ranks} shards into {arguments.out}: {total} samples")
    mpi.report(f"{arguments.out}: rank 0 wrote {written} new samples")
    return 0


def run_merge(arguments: argparse.Namespace) -> int:
    """The ``merge`` command: merge, then print the sample count and the content hash. Returns 0."""
    total = merge_shards(arguments.shards, arguments.out)
    print(json.dumps({"out": str(arguments.out), "n_samples": total, "dataset_hash": dataset_hash(arguments.out)}))
    return 0


def run_inspect(arguments: argparse.Namespace) -> int:
    """The ``inspect`` command: print the summary of a data set as JSON. Returns 0."""
    print(json.dumps(summarize(arguments.files), indent=1))
    return 0


def run_retarget(arguments: argparse.Namespace) -> int:
    """The ``retarget`` command (module docstring): write OUT, print the report as JSON. Returns 0."""
    grid = None
    if arguments.model_config is not None:
        if arguments.n_w is not None or arguments.w_max is not None:
            raise ValueError("give the grid either by --model-config or by --n-w and --w-max, not both")
        grid = ModelConfig.from_json(Path(arguments.model_config).read_text()).grid
    elif (arguments.n_w is None) != (arguments.w_max is None):
        raise ValueError(f"--n-w and --w-max go together; got --n-w {arguments.n_w}, --w-max {arguments.w_max}")
    elif arguments.n_w is not None:
        grid = ModelConfig(grid_n_w=arguments.n_w, grid_w_max=arguments.w_max).grid
    sigma_w = KEEP if arguments.sigma_w is None else (arguments.sigma_w or None)
    width = KEEP if arguments.real_axis_width is None else (arguments.real_axis_width or None)
    report = retarget_file(
        arguments.input, arguments.out, grid, arguments.alphas, sigma_w, width, grid_functions=not arguments.compact,
        real_axis_rule=KEEP if arguments.real_axis_rule is None else arguments.real_axis_rule,
        real_axis_slope=KEEP if arguments.real_axis_slope is None else arguments.real_axis_slope,
        input_broadening_scale=KEEP if arguments.input_broadening_scale is None else arguments.input_broadening_scale,
    )  # fmt: skip
    print(json.dumps(report))
    return 0


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``command`` (``generate``, ``merge``, ``inspect`` or ``retarget``) to its parser."""
    {
        "generate": _add_generate_arguments,
        "merge": _add_merge_arguments,
        "inspect": _add_inspect_arguments,
        "retarget": _add_retarget_arguments,
    }[command](parser)


def _add_retarget_arguments(retarget: argparse.ArgumentParser) -> None:
    retarget.add_argument("input", help="a schema-3 data file with raw data (poles or series)")
    retarget.add_argument("--out", required=True, help="output file (compressed; replaced atomically)")
    retarget.add_argument("--n-w", type=int, default=None, help="grid points of ModelConfig's grid (with --w-max)")
    retarget.add_argument(
        "--w-max", type=float, default=None, help="grid half-width of ModelConfig's grid (with --n-w)"
    )
    retarget.add_argument("--model-config", default=None, help="ModelConfig JSON file giving the grid")
    retarget.add_argument("--alphas", type=_floats, default=None, help="radians, comma-separated (poles only)")
    retarget.add_argument("--sigma-w", type=float, default=None, help="target resolution (0: none; default: keep)")
    retarget.add_argument(
        "--real-axis-width",
        type=float,
        default=None,
        help="A_real's Lorentzian half-width, or the self_energy rule's eta0 (0: none; default: keep)",
    )
    retarget.add_argument(
        "--real-axis-rule",
        choices=REAL_AXIS_RULES,
        default=None,
        help="A_real's rule (data.real_axis; doc/targets.md); default: keep",
    )
    retarget.add_argument(
        "--real-axis-slope", type=float, default=None, help="self_energy rule: c of eta0 + c |w| (default: keep)"
    )
    retarget.add_argument(
        "--input-broadening-scale",
        type=float,
        default=None,
        help="input half-widths as a multiple of the generator's (2: each level over its whole bin; default: keep)",
    )
    retarget.add_argument("--compact", action="store_true", help="write the raw data only (no fields on the grid)")
    retarget.set_defaults(run=run_retarget)


def _add_generate_arguments(generate: argparse.ArgumentParser) -> None:
    generate.add_argument(
        "--backend", choices=("ed", "lanczos", "mps"), required=True, help="solver that produces the samples"
    )
    generate.add_argument("--n-samples", type=int, required=True, help="samples 0 .. N-1 of the run")
    generate.add_argument("--out", required=True, help="data file (resumed if it exists)")
    generate.add_argument("--seed", type=int, default=0, help="run seed, 0 <= S < 2**31 (default 0)")
    generate.add_argument("--families", type=_families, default=FAMILIES, help="comma-separated families")
    generate.add_argument("--U-range", dest="U_range", type=_range, default=(0.0, 4.0), help="a:b (default 0:4)")
    generate.add_argument(
        "--eps-d-range", type=_range, default=(-1.0, 1.0), help="a:b, offset from -U/2; write --eps-d-range=-1:1"
    )
    generate.add_argument("--eps-d-absolute", action="store_true", help="--eps-d-range gives eps_d itself")
    generate.add_argument("--alphas", type=_floats, default=DEFAULT_ALPHAS, help="radians, comma-separated")
    generate.add_argument(
        "--bath-sites",
        type=int,
        default=None,
        help="bath levels per spin (default: ed 5, lanczos 9, mps MPSSettings().n_bath)",
    )
    generate.add_argument(
        "--sigma-w",
        type=float,
        default=None,
        help="frequency resolution of the targets, Gaussian deviation (0: none; default: ed, lanczos none; mps 0.2)",
    )
    generate.add_argument("--chi", type=int, default=None, help="mps: bond dimension (default MPSSettings().chi)")
    generate.add_argument("--dt", type=float, default=None, help="mps: time step (default MPSSettings().dt)")
    generate.add_argument("--t-max", type=float, default=None, help="mps: last contour time (default MPSSettings)")
    generate.add_argument("--model-config", default=None, help="ModelConfig JSON file giving the grid")
    generate.add_argument(
        "--problems",
        default=None,
        metavar="FILE",
        help="take sample i's bath, U and eps_d from problem i of this set (bethe --problems-out) instead of drawing",
    )
    generate.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    generate.set_defaults(run=run_generate)


def _add_merge_arguments(merge: argparse.ArgumentParser) -> None:
    merge.add_argument("shards", nargs="+", help="input data files")
    merge.add_argument("--out", required=True, help="merged file (replaced atomically)")
    merge.set_defaults(run=run_merge)


def _add_inspect_arguments(inspect: argparse.ArgumentParser) -> None:
    inspect.add_argument("files", nargs="+", help="data files of one data set")
    inspect.set_defaults(run=run_inspect)
