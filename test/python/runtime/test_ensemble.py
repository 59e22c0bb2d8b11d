"""An ensemble in one model file: members' mean as the answer, their spread as the uncertainty of every solve.

Provenance: two tiny networks (16 points, two epochs, seeds 0 and 1) trained here on the 24 ED samples of
``conftest._train_small_model``'s recipe; physically meaningless, they test the machinery only.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from triqs_nnsolver.cli.main import main
from triqs_nnsolver.impurity import NeuralImpuritySolver
from triqs_nnsolver.model import ModelConfig
from triqs_nnsolver.runtime import load_model, read_model_metadata

SMALL = {"grid_n_w": 16, "n_embd": 16, "n_head": 2, "n_frequency_features": 4, "n_encoder_layers": 1}


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    """(checkpoints, exported single models) of two seeds on one data file."""
    folder = tmp_path_factory.mktemp("ensemble")
    config = ModelConfig(**SMALL, n_decoder_layers=1)
    (folder / "model.json").write_text(config.to_json())
    data = str(folder / "ed.h5")
    generate = ["generate", "--backend", "ed", "--n-samples", "24", "--out", data, "--seed", "5", "--bath-sites", "3"]
    assert main([*generate, "--alphas", "0.2,0.4", "--model-config", str(folder / "model.json"), "--no-progress"]) == 0
    checkpoints, singles = [], []
    for seed in (0, 1):
        train = {"max_epochs": 2, "batch_size": 8, "device": "cpu", "seed": seed}
        (folder / f"c{seed}.json").write_text(json.dumps({"model": config.to_dict(), "train": train}))
        run = folder / f"run{seed}"
        assert (
            main(
                ["train", "--data", data, "--out", str(run), "--config", str(folder / f"c{seed}.json"), "--no-progress"]
            )
            == 0
        )
        checkpoints.append(str(run / "best.pt"))
        assert main(["export", checkpoints[-1], "--out", str(folder / f"m{seed}.pt")]) == 0
        singles.append(folder / f"m{seed}.pt")
    assert main(["export", *checkpoints, "--out", str(folder / "ensemble.pt")]) == 0
    return folder / "ensemble.pt", singles


def _problem():
    w = np.linspace(-3, 3, 301)
    rho = 0.25 * 2 * np.sqrt(np.clip(1 - w**2, 0, None)) / np.pi
    return w, rho, 1.0, -0.5


def test_the_ensemble_answers_with_its_members_mean_and_spread(members):
    ensemble_path, singles = members
    assert read_model_metadata(ensemble_path).ensemble_size == 2
    w, rho, U, eps_d = _problem()
    answers = np.stack([NeuralImpuritySolver(path, backend="python").solve(w, rho, U, eps_d).A for path in singles])
    solution = NeuralImpuritySolver(ensemble_path, backend="python").solve(w, rho, U, eps_d)
    # the same float32 networks, scripted once alone and once inside the ensemble: float32 rounding of A ~ 1
    np.testing.assert_allclose(solution.A, answers.mean(axis=0), rtol=0, atol=1e-5)
    np.testing.assert_allclose(solution.uncertainty, answers.std(axis=0), rtol=0, atol=1e-5)
    assert solution.uncertainty.max() > 0  # two seeds do differ
    first_order = NeuralImpuritySolver(ensemble_path, backend="python", real_axis="first_order").solve(w, rho, U, eps_d)
    assert first_order.uncertainty.shape == w.shape and np.all(first_order.uncertainty >= 0)


def test_a_single_network_has_no_uncertainty(members):
    _, singles = members
    assert read_model_metadata(singles[0]).ensemble_size == 1
    assert NeuralImpuritySolver(singles[0], backend="python").solve(*_problem()).uncertainty is None


def test_the_cpp_runner_returns_the_members_too(members):
    from triqs_nnsolver.runtime import cpp_runtime_available

    if not cpp_runtime_available():
        pytest.skip("the C++ runtime triqs_nnsolver._runtime is not built (install with `make install`)")
    ensemble_path, _ = members
    python, cpp = (load_model(ensemble_path, backend=b).predict(*_problem()) for b in ("python", "c++"))
    np.testing.assert_allclose(cpp.members, python.members, rtol=0, atol=1e-6)  # one TorchScript, two runners


def test_an_ensemble_needs_one_configuration():
    from triqs_nnsolver.model import ImpuritySpectralNet, SpectralEnsemble

    with pytest.raises(ValueError, match="at least 2 members"):
        SpectralEnsemble([ImpuritySpectralNet(ModelConfig(**SMALL))])
    with pytest.raises(ValueError, match="share one ModelConfig"):
        SpectralEnsemble(
            [ImpuritySpectralNet(ModelConfig(**SMALL)), ImpuritySpectralNet(ModelConfig(**SMALL, n_decoder_layers=1))]
        )


def test_the_solve_report_carries_the_spread_and_survives_the_archive(members, tmp_path):
    from triqs_nnsolver import Solver
    from triqs_nnsolver.gf import semicircle_gf_iw
    from triqs_nnsolver.h5 import HDFArchive
    from triqs_nnsolver.solver.archive import read_solver, write_solver

    ensemble_path, _ = members
    solver = NeuralImpuritySolver(ensemble_path, backend="python")
    S = Solver(beta=20.0, gf_struct=[("up", 1), ("down", 1)], containers="own", impurity_solver=solver)
    iw = S.G0_iw.mesh.iw
    for _, g in S.G0_iw:
        g.data[:, 0, 0] = 1 / (iw + 0.5 - 0.25 * semicircle_gf_iw(S.G0_iw.mesh, 1.0))
    S.solve(U=1.0, verbosity=0)
    spread = S.solve_report["A_spread_max"]
    assert len(spread) == 1 and spread[0] > 0 and S.solve_report["A_spread_mean"][0] <= spread[0]
    with HDFArchive(str(tmp_path / "s.h5"), "w") as archive:
        write_solver(archive, "solver", S)
    with HDFArchive(str(tmp_path / "s.h5"), "r") as archive:
        assert read_solver(archive, "solver").solve_report["A_spread_max"] == pytest.approx(spread)
