"""Edge and bad inputs through the Solver, the command line and the data tools (issue 17).

Each bad input gets either a clear error that names the argument, what was expected and what was received,
or a documented warning; no raw numpy, h5py or TorchScript traceback reaches the user, and a failed
``solve`` leaves the previous results intact. Cases tested elsewhere, next to their code: the model files
(missing, corrupt, foreign, newer; ``test/python/runtime``), arrays of the wrong dtype or shape given to a
runner (``runtime/test_runners.py``), a failing MPI rank (``data/test_generate_mpi.py``, under mpiexec -n 2),
and the awkward real-axis inputs (``solver/test_awkward_inputs.py``).
"""

from __future__ import annotations

import errno

import h5py
import numpy as np
import pytest

from triqs_nnsolver.cli import main
from triqs_nnsolver.data import DatasetError, EDSettings, dataset_hash, generate_ed_samples, read_dataset
from triqs_nnsolver.gf import MeshImFreq, MeshReFreq, semicircle_gf_iw
from triqs_nnsolver.model import ModelConfig
from triqs_nnsolver.solver import DomainWarning, FreeImpuritySolver, OutsideTrainingDomainError, Solver
from triqs_nnsolver.solver.containers import new_block_gf

GF_STRUCT = [("up", 1), ("down", 1)]
MESHES = {"n_iw": 64, "n_tau": 201, "n_w": 401}  # small meshes: these tests are about errors, not accuracy


def bethe_solver(beta=20.0, **kwargs) -> Solver:
    """A Solver with the U = 0 Bethe bath in G0_iw (D = 1, half filling)."""
    kwargs.setdefault("impurity_solver", FreeImpuritySolver())
    S = Solver(beta=beta, gf_struct=GF_STRUCT, containers="own", **{**MESHES, **kwargs})
    fill_bethe(S)
    return S


def fill_bethe(S: Solver) -> None:
    iw = S.G0_iw.mesh.iw
    g = semicircle_gf_iw(S.G0_iw.mesh, 1.0)
    for _, g0 in S.G0_iw:
        g0.data[:, 0, 0] = 1.0 / (iw - 0.25 * g)


# --- Solver: arguments of the constructor and of solve ---


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"w_min": "a"}, "w_min must be a finite real number (energy unit); got w_min = 'a'"),
        ({"w_max": float("inf")}, "w_max must be a finite real number (energy unit); got w_max = inf"),
        ({"eta": "x"}, "eta must be a positive real number (energy unit); got eta = 'x'"),
        ({"eta": 0.0}, "eta must be a positive real number (energy unit); got eta = 0.0"),
        ({"n_iw": 10.5}, "n_iw must be an integer >= 1; got n_iw = 10.5"),
        ({"n_bath": True}, "n_bath must be an integer >= 1; got n_bath = True"),
        ({"beta": float("nan")}, "beta must be a positive real number (1/energy); got beta = nan"),
        ({"gf_struct": None}, "gf_struct must be a list of"),
        ({"gf_struct": "up"}, "gf_struct must be a list of"),
        ({"containers": "x"}, "containers must be 'auto', 'triqs' or 'own'; got containers = 'x'"),
    ],
)
def test_bad_constructor_argument_is_named(kwargs, message):
    arguments = {"beta": 20.0, "gf_struct": GF_STRUCT, "containers": "own", "impurity_solver": FreeImpuritySolver()}
    with pytest.raises(ValueError, match=_literal(message)):
        Solver(**{**arguments, **kwargs})


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"U": -1.0}, "U must be a non-negative real number (energy unit, repulsive); got U = -1.0"),
        ({"U": float("nan")}, "U must be a non-negative real number (energy unit, repulsive); got U = nan"),
        ({"U": float("inf")}, "U must be a non-negative real number (energy unit, repulsive); got U = inf"),
        ({"U": "two"}, "U must be a non-negative real number (energy unit, repulsive); got U = 'two'"),
        ({"U": 0.0, "eta": "x"}, "eta must be a positive real number (energy unit); got eta = 'x'"),
        ({"U": 0.0, "n_bath": 0}, "n_bath must be an integer >= 1; got n_bath = 0"),
        (
            {"U": 0.0, "spin_tolerance": "x"},
            "spin_tolerance must be a non-negative real number; got spin_tolerance = 'x'",
        ),
        ({"U": 0.0, "eps_d": float("nan")}, "eps_d must be a finite real number (energy unit); got eps_d = nan"),
        ({"U": 0.0, "eps_d": "x"}, "eps_d must be a finite real number (energy unit); got eps_d = 'x'"),
        ({"U": 10**400}, "U must be a non-negative real number (energy unit, repulsive); got U = 1"),
        ({"U": 0.0, "verbosity": "x"}, "verbosity must be an integer; got verbosity = 'x'"),
    ],
)
def test_bad_solve_argument_is_named(kwargs, message):
    S = bethe_solver(impurity_solver=_AnyU())
    with pytest.raises(ValueError, match=_literal(message)):
        S.solve(**kwargs)


@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
def test_non_finite_g0_iw_is_named(value):
    S = bethe_solver()
    S.G0_iw["up"].data[3, 0, 0] = value
    with pytest.raises(ValueError, match=r"S.G0_iw\['up'\] must be finite; got .* at data index 3 \(NaN or inf\)"):
        S.solve(U=0.0)


def test_non_causal_g0_iw_is_named():
    S = bethe_solver()
    for _, g0 in S.G0_iw:  # G0(iw_n) -> conj: Im Delta(iw_n) gets the wrong sign on every frequency
        g0.data[:] = g0.data.conj()
    with pytest.raises(ValueError, match=r"S.G0_iw.*is not causal.*-Im Delta\(iw_n\) sign\(w_n\) must be >= 0"):
        S.solve(U=0.0)


@pytest.mark.parametrize(
    "mesh", [MeshImFreq(10.0, "F", MESHES["n_iw"]), MeshImFreq(20.0, "F", 32)], ids=["other_beta", "other_n_iw"]
)
def test_g0_iw_on_another_mesh_is_named(mesh):
    S = bethe_solver()
    S.G0_iw = new_block_gf(mesh, ["up", "down"], False, name="G0_iw")
    with pytest.raises(ValueError, match=r"S.G0_iw\['up'\] must be on the mesh MeshImFreq\(beta=20.0.*; got "):
        S.solve(U=0.0)


def test_delta_w_on_another_real_mesh_is_named():
    S = bethe_solver()
    S.Delta_w = new_block_gf(MeshReFreq(-5.0, 5.0, 101), ["up", "down"], False, name="Delta_w")
    with pytest.raises(ValueError, match=r"S.Delta_w\['up'\] must be on the mesh MeshReFreq"):
        S.solve(U=0.0, eps_d=0.0)


def test_input_that_is_not_a_block_gf_is_named():
    S = bethe_solver()
    S.G0_iw = np.zeros(5)
    with pytest.raises(TypeError, match="S.G0_iw must be a BlockGf; got ndarray"):
        S.solve(U=0.0)


class _FailingImpuritySolver(FreeImpuritySolver):
    """Fails inside the computation, after the input checks and the bath fit."""

    def solve(self, w, rho_Delta, U, eps_d):
        raise RuntimeError("the impurity solver failed (simulated)")


@pytest.mark.parametrize("failure", ["input", "bath_fit", "impurity_solver"])
def test_failed_solve_leaves_the_previous_results_intact(failure):
    S = bethe_solver()
    S.solve(U=0.0)
    before = {name: getattr(S, name)["up"].data.copy() for name in ("G_iw", "Sigma_iw", "A_w", "G_tau")}
    report, densities = dict(S.solve_report), dict(S.densities)
    eta, error, message = None, ValueError, "must be finite"
    if failure == "input":
        S.G0_iw["down"].data[0, 0, 0] = np.nan
    elif failure == "bath_fit":  # Lorentzians of width 50 put most of the bath off the [-10, 10] mesh
        eta, message = 50.0, "lies outside the real mesh"
    else:  # the impurity solve itself fails, after the checks and the fit
        S._impurity_solver = _FailingImpuritySolver()
        error, message = RuntimeError, "the impurity solver failed"
    with pytest.raises(error, match=message):
        S.solve(U=0.0, eta=eta)
    for name, data in before.items():  # every output is computed before any attribute is written
        np.testing.assert_array_equal(getattr(S, name)["up"].data, data, err_msg=name)
    assert S.solve_report == report and S.densities == densities and S.solve_status == 0


def test_far_outside_the_training_domain_warns_or_raises(shipped_model_file):
    S = bethe_solver(model=shipped_model_file, impurity_solver=None)
    with pytest.warns(DomainWarning, match="outside the training range"):
        S.solve(U=50.0)  # U / bandwidth far above the training range: an extrapolation, said so
    assert S.solve_report["domain_violations"] and np.all(np.isfinite(S.G_iw["up"].data))
    strict = bethe_solver(model=shipped_model_file, impurity_solver=None, strict=True)
    with pytest.raises(OutsideTrainingDomainError, match="outside the training range"):
        strict.solve(U=50.0)


# --- the command line: one line on standard error, the exit status of cli.main ---


@pytest.fixture(scope="module")
def data_files(tmp_path_factory):
    """A small ED data file, its truncated copy, a text file and random bytes, all named ``*.h5``."""
    folder = tmp_path_factory.mktemp("data")
    good = folder / "ed.h5"
    generate_ed_samples(good, 3, 1, ModelConfig(grid_n_w=16).grid, (0.2,), EDSettings(n_bath=2), progress=False)
    (folder / "truncated.h5").write_bytes(good.read_bytes()[:3000])  # what a copy cut short leaves
    (folder / "text.h5").write_text("not an HDF5 file\n")
    (folder / "random.h5").write_bytes(np.random.default_rng(17).bytes(5000))
    return folder


def _run(argv, capsys) -> tuple[int, str]:
    status = main(argv)
    error = capsys.readouterr().err
    assert "Traceback" not in error
    return status, error


@pytest.mark.parametrize("name", ["truncated.h5", "text.h5", "random.h5", "missing.h5"])
@pytest.mark.parametrize("command", ["inspect", "merge", "train"])
def test_unreadable_data_file_is_named_by_every_command(data_files, tmp_path, name, command, capsys):
    path = str(data_files / name)
    argv = {
        "inspect": ["inspect", path],
        "merge": ["merge", str(data_files / "ed.h5"), path, "--out", str(tmp_path / "m.h5")],
        "train": ["train", "--data", path, "--out", str(tmp_path / "run"), "--no-progress"],
    }[command]
    status, error = _run(argv, capsys)
    assert status == 2 and error.startswith(f"triqs-nnsolver {command}: error: ")
    assert f"{name} cannot be opened as an HDF5 file" in error
    assert not (tmp_path / "m.h5").exists()


def test_resuming_onto_a_corrupt_file_is_refused(data_files, capsys):
    argv = ["generate", "--backend", "ed", "--n-samples", "2", "--out", str(data_files / "truncated.h5")]
    status, error = _run([*argv, "--no-progress"], capsys)
    assert status == 2 and "truncated.h5 cannot be opened as an HDF5 file for appending" in error


@pytest.mark.parametrize(
    "argv, status, words",
    [
        (["generate", "--backend", "ed", "--n-samples", "-3"], 2, ["n_samples must be an integer >= 0", "-3"]),
        (["generate", "--backend", "ed", "--n-samples", "2", "--U-range", "4:1"], 2, ["U_range", "(4.0, 1.0)"]),
        (["bethe", "--U", "-1", "--no-progress"], 2, ["U must be", "-1.0"]),
        (["bethe", "--U", "nan", "--no-progress"], 2, ["U must be", "nan"]),
    ],
)
def test_bad_command_line_values_are_named(argv, status, words, tmp_path, capsys):
    got, error = _run([*argv, "--out", str(tmp_path / "x.h5")], capsys)
    assert got == status and error.startswith(f"triqs-nnsolver {argv[0]}: error: ")
    assert all(word in error for word in words), error
    assert not (tmp_path / "x.h5").exists()


def test_output_folder_that_does_not_exist_is_a_runtime_error(tmp_path, capsys):
    out = tmp_path / "no" / "such" / "folder" / "x.h5"
    status, error = _run(
        ["generate", "--backend", "ed", "--n-samples", "1", "--out", str(out), "--no-progress"], capsys
    )
    assert status == 1 and "No such file or directory" in error and "x.h5" in error


def test_a_model_file_that_is_not_a_model_is_a_runtime_error(data_files, tmp_path, capsys):
    argv = ["bethe", "--U", "1", "--model", str(data_files / "text.h5"), "--out", str(tmp_path / "x.h5")]
    status, error = _run([*argv, "--no-progress"], capsys)
    assert status == 1 and "text.h5" in error and error.count("\n") == 1


# --- the data tools ---


def test_truncated_data_file_is_named(data_files):
    with pytest.raises(DatasetError, match="truncated.h5 cannot be opened as an HDF5 file"):
        read_dataset(data_files / "truncated.h5")


def test_full_disk_during_generation_keeps_the_committed_samples_and_resumes(tmp_path, monkeypatch):
    grid, alphas, settings = ModelConfig(grid_n_w=16).grid, (0.2,), EDSettings(n_bath=2)
    path = tmp_path / "full.h5"
    flush = h5py.File.flush
    calls = {"n": 0}

    def flush_until_the_disk_is_full(file):  # two flushes per committed sample: the disk fills in sample 3
        calls["n"] += 1
        if calls["n"] > 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        return flush(file)

    monkeypatch.setattr(h5py.File, "flush", flush_until_the_disk_is_full)
    with pytest.raises(OSError, match=r"writing 1 sample\(s\) to .*full.h5 failed \(No space left on device\); the 2"):
        generate_ed_samples(path, 5, 3, grid, alphas, settings, progress=False)
    monkeypatch.setattr(h5py.File, "flush", flush)  # space freed
    assert read_dataset(path)["n_samples"] == 2  # the samples committed before the failure
    generate_ed_samples(path, 5, 3, grid, alphas, settings, progress=False)  # the same call resumes
    straight = tmp_path / "straight.h5"
    generate_ed_samples(straight, 5, 3, grid, alphas, settings, progress=False)
    assert dataset_hash([path]) == dataset_hash([straight])  # the same five samples, bit for bit


def test_full_disk_through_the_command_line_is_one_line(tmp_path, monkeypatch, capsys):
    def no_space(file):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(h5py.File, "flush", no_space)
    out = tmp_path / "full.h5"
    argv = ["generate", "--backend", "ed", "--n-samples", "2", "--bath-sites", "2", "--out", str(out)]
    status, error = _run([*argv, "--no-progress"], capsys)
    assert status == 1 and "No space left on device" in error and "run the same command again to resume" in error


class _AnyU(FreeImpuritySolver):
    """The exact U = 0 solver that accepts any U (the tests above fail before the impurity solve)."""

    def solve(self, w, rho_Delta, U, eps_d):
        return super().solve(w, rho_Delta, 0.0, eps_d)


def _literal(message: str) -> str:
    import re

    return re.escape(message)
