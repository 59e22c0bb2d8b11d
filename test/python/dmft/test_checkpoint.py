"""A DMFT run continued from its checkpoint ends exactly as an uninterrupted run.

Provenance: the Bethe lattice at U = 2 D with the Lanczos solver on 5 levels and a 400-point grid (0.1 s per
iteration), linear mixing 0.5; nothing stored.
"""

from __future__ import annotations

import numpy as np
import pytest

from triqs_nnsolver.cli.main import main
from triqs_nnsolver.dmft import BetheDMFTConfig, DMFTNotConvergedWarning, run_bethe_dmft
from triqs_nnsolver.impurity import LanczosImpuritySolver

CONFIG = {"U": 2.0, "n_w": 400, "tol": 1e-4, "mixing": 0.5}


def _run(max_iter, checkpoint=None):
    return run_bethe_dmft(
        LanczosImpuritySolver(n_bath=5), BetheDMFTConfig(**CONFIG, max_iter=max_iter), checkpoint=checkpoint
    )


def _assert_same(a, b):
    assert a.n_iter == b.n_iter and a.converged == b.converged
    np.testing.assert_array_equal(a.A, b.A)  # bit for bit: the same solves of the same baths
    np.testing.assert_array_equal(a.A_bath, b.A_bath)
    np.testing.assert_array_equal(a.baths, b.baths)
    for key in a.history:
        np.testing.assert_array_equal(a.history[key], b.history[key], err_msg=key)


def test_an_interrupted_run_continues_to_the_uninterrupted_result(tmp_path):
    straight = _run(40)
    assert straight.converged and straight.n_iter > 4
    state = tmp_path / "state.h5"
    with pytest.warns(DMFTNotConvergedWarning):
        _run(3, state)  # stopped after 3 iterations (as a killed run would, after its last write)
    _assert_same(_run(40, state), straight)
    _assert_same(_run(40, state), straight)  # a converged state redoes its last iteration: the same result again


def test_a_state_of_another_run_is_refused(tmp_path):
    state = tmp_path / "state.h5"
    with pytest.warns(DMFTNotConvergedWarning):
        _run(2, state)
    other = BetheDMFTConfig(**{**CONFIG, "U": 2.5}, max_iter=10)
    with pytest.raises(ValueError, match=r"belongs to another run: its config"):
        run_bethe_dmft(LanczosImpuritySolver(n_bath=5), other, checkpoint=state)
    with pytest.raises(ValueError, match=r"has done 2 iterations, as many as max_iter = 2"):
        _run(2, state)
    with pytest.raises(ValueError, match=r"belongs to another run: its solver"):
        run_bethe_dmft(LanczosImpuritySolver(n_bath=7), BetheDMFTConfig(**CONFIG, max_iter=10), checkpoint=state)


def test_bethe_command_resumes_from_its_checkpoint(tmp_path):
    common = ["bethe", "--U", "2", "--solver", "lanczos", "--n-bath", "5", "--n-w", "400", "--tol", "1e-4"]
    common += ["--no-plot", "--no-progress", "--checkpoint", str(tmp_path / "state.h5")]
    assert main([*common, "--max-iter", "2", "--out", str(tmp_path / "a.h5")]) == 3  # not converged yet
    assert main([*common, "--max-iter", "40", "--out", str(tmp_path / "b.h5")]) == 0
