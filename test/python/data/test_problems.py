"""Problem sets: the baths a DMFT run visits, written, read, scaled to the model unit and solved by the generator.

Provenance: every problem is built here (semicircles of given half-bandwidth on fine grids, and a 3-iteration
free-solver Bethe loop); nothing is stored.
"""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from triqs_nnsolver.bath import discretize_function
from triqs_nnsolver.cli.main import main
from triqs_nnsolver.data import EDSettings, LanczosSettings, MPSDataSettings, read_dataset
from triqs_nnsolver.data.problems import ProblemSet, read_problem_set, write_problem_set
from triqs_nnsolver.data.schema import DatasetError
from triqs_nnsolver.data.synthetic import draw_problem, ed_sample
from triqs_nnsolver.dmft import BetheDMFTConfig, bethe_hybridization, run_bethe_dmft, visited_problems
from triqs_nnsolver.impurity import FreeImpuritySolver

FINE = np.linspace(-3, 3, 6001)


def _semicircle(w, D):
    """Bethe bath of half-bandwidth D: rho_Delta = (D/2)^2 * 2 sqrt(D^2 - w^2) / (pi D^2), weight D^2 / 4."""
    return (D / 2) ** 2 * 2 * np.sqrt(np.clip(D**2 - w**2, 0, None)) / (np.pi * D**2)


@pytest.fixture
def problems():
    rho = np.stack([_semicircle(FINE, 1.0), _semicircle(FINE, 2.0)])
    return ProblemSet(FINE, rho, [2.0, 4.0], [-1.0, -2.0], ("D=1", "D=2"), name="two.h5")


def test_round_trip_and_identity(problems, tmp_path):
    write_problem_set(tmp_path / "p.h5", problems)
    back = read_problem_set(tmp_path / "p.h5")
    assert back.origin == problems.origin and back.name == "p.h5" and back.digest() == problems.digest()
    np.testing.assert_array_equal(back.rho_Delta, problems.rho_Delta)
    summary = back.summary()
    assert summary["n_problems"] == 2 and summary["U_range"] == [2.0, 4.0] and len(summary["sha256"]) == 64


def test_a_problem_enters_in_the_model_unit(problems):
    """D = 2 has weight 1, so s = 1/2: the problem becomes the D = 1 bath with U and eps_d halved."""
    density, U, eps_d = problems.in_model_unit(1)
    # the trapezoid weight of the sampled semicircle is short by ~ (h/D)^1.5 (square-root edges), and the scale s
    # goes with its square root: measured 2e-6 relative for D = 2 and 6e-6 for D = 1 at h = 1e-3
    assert U == pytest.approx(2.0, rel=5e-5) and eps_d == pytest.approx(-1.0, rel=5e-5)
    w = np.linspace(-0.99, 0.99, 199)
    np.testing.assert_allclose(density(w), _semicircle(w, 1.0), rtol=0, atol=2e-5)
    assert density.support[0] == pytest.approx(-1.0, abs=1e-3) and density.support[1] == pytest.approx(1.0, abs=1e-3)
    with pytest.raises(ValueError, match=r"has 2 problems; sample index 2 has none"):
        problems.in_model_unit(2)


def test_the_generator_solves_problem_i_as_sample_i(problems, grid, alphas):
    settings = EDSettings(n_bath=5, problems=problems)
    drawn = draw_problem(3, 0, settings)
    assert drawn.U == pytest.approx(2.0, rel=5e-5) and drawn.eps_d == pytest.approx(-1.0, rel=5e-5)  # as above
    exact = discretize_function(lambda w: _semicircle(w, 1.0), -1.0, 1.0, 5, n_samples=256)
    # the tabulated density (step 1e-3) against the analytic one: the bin integrals agree to ~1e-5
    np.testing.assert_allclose(drawn.bath.eps, exact.eps, rtol=0, atol=1e-3)
    np.testing.assert_allclose(drawn.bath.V**2, exact.V**2, rtol=0, atol=1e-4)
    sample = ed_sample(3, 1, grid, alphas, settings)
    assert sample["U"] == pytest.approx(2.0, rel=5e-5)  # problem 1 (D = 2, U = 4) in the model unit (as above)
    assert settings.to_dict()["problems"]["file"] == "two.h5"


def test_settings_without_a_problem_set_keep_their_provenance():
    """Files written before problem sets existed resume: their settings have no 'problems' key."""
    for settings in (EDSettings(), LanczosSettings(), MPSDataSettings()):
        assert "problems" not in settings.to_dict()


def test_bad_problem_sets_are_named(tmp_path, problems):
    with pytest.raises(ValueError, match=r"rho_Delta must be finite, >= 0"):
        ProblemSet(FINE, -problems.rho_Delta, [1.0, 1.0], [0.0, 0.0], ("a", "b"))
    with pytest.raises(ValueError, match=r"one entry per problem \(2\)"):
        ProblemSet(FINE, problems.rho_Delta, [1.0], [0.0, 0.0], ("a", "b"))
    with pytest.raises(TypeError, match=r"problems must be None or a data.ProblemSet"):
        EDSettings(problems="file.h5")
    with h5py.File(tmp_path / "other.h5", "w") as file:
        file.attrs["format"] = "something else"
    with pytest.raises(DatasetError, match=r"other\.h5 is not a problem set"):
        read_problem_set(tmp_path / "other.h5")


def test_dmft_visits_one_problem_per_iteration(tmp_path):
    config = BetheDMFTConfig(U=0.0, n_w=400, max_iter=3, tol=1e-12)
    with pytest.warns(UserWarning):  # not converged in 3 iterations: on purpose
        result = run_bethe_dmft(FreeImpuritySolver(), config, progress=False)
    problems = visited_problems(result, label="free")
    assert len(problems) == result.n_iter == 3
    np.testing.assert_array_equal(problems.rho_Delta[-1], bethe_hybridization(result.A_bath, config.t))
    np.testing.assert_array_equal(problems.eps_d, result.history["eps_d"])
    assert problems.origin[0] == "free U=0 start=metal iteration 1"


def test_bethe_problems_out_feeds_generate(tmp_path):
    problems = tmp_path / "visited.h5"
    out = ["--out", str(tmp_path / "b.h5"), "--no-plot", "--no-progress", "--n-w", "400", "--max-iter", "2"]
    status = main(["bethe", "--U", "1", "--solver", "lanczos", "--n-bath", "5", *out, "--problems-out", str(problems)])
    assert status == 3  # 2 iterations do not converge; the problems are written anyway
    assert len(read_problem_set(problems)) == 2
    data_file = tmp_path / "d.h5"
    assert (
        main(["generate", "--backend", "ed", "--problems", str(problems), "--n-samples", "2", "--out", str(data_file)])
        == 0
    )
    data = read_dataset(data_file)
    assert data["n_samples"] == 2 and np.allclose(data["U"], 1.0, rtol=1e-2)
    assert data["provenance"]["settings"]["problems"]["n_problems"] == 2
