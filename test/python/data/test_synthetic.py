"""Exact-diagonalization samples: physics of the stored arrays, determinism, resume after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import trapezoid

from triqs_nnsolver.data import (
    SCHEMA_VERSION,
    EDSettings,
    draw_problem,
    ed_sample,
    file_fields,
    generate_ed_samples,
    read_dataset,
    sample_id,
)
from triqs_nnsolver.gf import poles_spectral, retarded_from_spectral, spectral_norm
from triqs_nnsolver.reference import free_impurity_poles, solve_siam
from triqs_nnsolver.spectral import tilt, tilted_window_moments

FINE_STEP = 0.002
FINE_GRID = (np.arange(-4000, 4000) + 0.5) * FINE_STEP  # uniform on [-8, 8], no point at 0
FINE_ALPHAS = (0.2, 0.6)
SEED = 11
# bound on the trapezoid error of one normalised Lorentzian of half-width g on a step h: (h^2/12) int |L''|,
# with int |L''| = 3 sqrt(3) / (2 pi g^2) = 0.83 / g^2; at most its whole weight (it can fall between points)
LORENTZIAN_QUADRATURE = 0.07


def _quadrature_bound(weights, half_widths):
    return float(np.sum(weights * np.minimum(1.0, LORENTZIAN_QUADRATURE * (FINE_STEP / half_widths) ** 2)))


@pytest.fixture(scope="module")
def fine_samples():
    """(sample, problem, poles) of 3 samples with 3 bath levels on the fine grid."""
    settings = EDSettings(n_bath=3)
    result = []
    for index in range(3):
        problem = draw_problem(SEED, index, settings)
        poles = solve_siam(problem.bath, problem.U, problem.eps_d).poles
        result.append((ed_sample(SEED, index, FINE_GRID, FINE_ALPHAS, settings), problem, poles))
    return result


def test_sample_fields_and_identity(fine_samples):
    sample, problem, _ = fine_samples[0]
    assert set(sample) == set(file_fields(SCHEMA_VERSION, "poles"))
    assert sample["sample_id"] == SEED * 2**32 and sample["U"] == problem.U and sample["eps_d"] == problem.eps_d
    assert np.isnan(sample["truncation_error"]) and sample["wall_time"] > 0
    assert sample["max_bond_dim"] == -1 and np.isnan(sample["energy_variance"]) and np.isfinite(sample["ground_energy"])
    repeated = ed_sample(SEED, 0, FINE_GRID, FINE_ALPHAS, EDSettings(n_bath=3))
    for name in sample:
        if name != "wall_time":
            np.testing.assert_array_equal(repeated[name], sample[name], err_msg=name)  # a function of (seed, index)


def test_tilted_spectra_are_positive_with_the_exact_window_weight(fine_samples):
    for sample, _, poles in fine_samples:
        assert np.all(sample["A_tilde"] >= 0) and np.all(sample["A_real"] >= 0)
        for k, alpha in enumerate(FINE_ALPHAS):
            window_weight, _ = tilted_window_moments(poles, FINE_GRID, alpha, FINE_GRID[0], FINE_GRID[-1])
            integral = trapezoid(sample["A_tilde"][k], FINE_GRID)
            half_widths = np.abs(poles.energies) * np.sin(alpha)
            # the samples are exact; only the trapezoid rule errs, by at most the Lorentzian bound (+ rounding);
            # the bound is rigorous but loose (measured error 1e-10, bound >= 4e-6)
            assert abs(integral - window_weight) <= _quadrature_bound(poles.weights, half_widths) + 1e-12
            # and the window misses only the Lorentzian tails beyond |w| = 8, about 2 sin(a) <|w'|> / (8 pi)
            assert 0 < 1 - window_weight < 2 * np.sin(alpha) * (np.abs(poles.energies) @ poles.weights) / (np.pi * 7)


def test_alpha_derivative_equals_central_difference(fine_samples):
    sample, _, poles = fine_samples[1]
    step = 1e-5
    for k, alpha in enumerate(FINE_ALPHAS):
        difference = (tilt(poles, FINE_GRID, alpha + step) - tilt(poles, FINE_GRID, alpha - step)) / (2 * step)
        scale = np.max(np.abs(sample["dA_tilde_dalpha"][k]))
        # truncation step^2 / 6 |d^3 A~/da^3| ~ 1e-10 / sin(a)^2 of the scale; rounding eps max|A~| / step ~ 1e-10
        np.testing.assert_allclose(sample["dA_tilde_dalpha"][k], difference, rtol=0, atol=1e-7 * scale)


def test_zero_U_equals_free_fermions_through_the_tilt():
    settings = EDSettings(n_bath=3, U_range=(0.0, 0.0), eps_d_range=(-0.5, 0.5), eps_d_reference="fermi_level")
    sample = ed_sample(SEED, 5, FINE_GRID, FINE_ALPHAS, settings)
    bath = draw_problem(SEED, 5, settings).bath
    free = free_impurity_poles(bath, sample["eps_d"])
    for k, alpha in enumerate(FINE_ALPHAS):
        expected = tilt(free, FINE_GRID, alpha)
        # ED pole energies come from many-body eigh, exact to ~1e-14 ||H||; A~ moves by |dA~/de| <~ 1/g^2 per
        # unit shift (g = |e| sin(a) >= 0.05 here): 1e-11 of the peak leaves room over the measured 1e-14
        np.testing.assert_allclose(sample["A_tilde"][k], expected, rtol=0, atol=1e-11 * expected.max())


def test_input_density_is_the_broadened_solved_bath(fine_samples):
    for sample, problem, _ in fine_samples:
        V2, eps, eta = problem.bath.V**2, problem.bath.eps, problem.eta
        np.testing.assert_array_equal(sample["bath_eps"], eps)
        assert abs(V2.sum() - 0.25) < 1e-15  # the bath is scaled to int rho_Delta = 1/4 (a few eps of rounding)
        inside = V2 @ (np.arctan((FINE_GRID[-1] - eps) / eta) - np.arctan((FINE_GRID[0] - eps) / eta)) / np.pi
        integral = spectral_norm(FINE_GRID, sample["rho_Delta"])
        assert abs(integral - inside) <= _quadrature_bound(V2, eta) + 1e-12
        # the broadening-tail loss: Lorentzian weight beyond +-8, at most sum V^2 (eta / pi) (1/(8-e) + 1/(8+e))
        loss = 0.25 - integral
        assert 0 < loss <= V2 @ (eta / np.pi * (1 / (8 - eps) + 1 / (8 + eps))) + 1e-12


def test_re_delta_is_the_kramers_kronig_partner(fine_samples):
    sample, problem, _ = fine_samples[2]
    every = slice(None, None, 4)  # step 0.008: the O(n_w^2) transform stays fast, eta >= 0.17 stays resolved
    grid, kk = FINE_GRID[every], retarded_from_spectral(FINE_GRID[every], sample["rho_Delta"][every]).real
    inner = np.abs(grid) < 4
    # KK over [-8, 8] misses the tails beyond: their weight (<= 0.25 * 2 max(eta) / (7 pi)) over a distance >= 4;
    # 1e-4 more for the O(h^2) quadrature of the Lorentzians (measured: 5e-4 in all, of a bound 6e-3)
    tail = 0.25 * 2 * problem.eta.max() / (np.pi * 7) / 4
    np.testing.assert_allclose(sample["re_Delta"][every][inner], kk[inner], rtol=0, atol=tail + 1e-4)


def test_real_axis_reference_is_the_broadened_poles(fine_samples):
    sample, _, poles = fine_samples[0]
    np.testing.assert_allclose(sample["A_real"], poles_spectral(poles, FINE_GRID, 0.05), rtol=1e-14, atol=0)


def test_resolution_option_convolves_the_exact_tilt(fine_samples):
    """``sigma_w`` gives the exact tilt convolved with a Gaussian (Voigt profiles): checked against an explicit
    convolution of the unbroadened sample on the fine grid; the default (None) leaves files as they were."""
    sample, _, poles = fine_samples[0]
    settings = EDSettings(n_bath=3, sigma_w=0.1)
    resolved = ed_sample(SEED, 0, FINE_GRID, FINE_ALPHAS, settings)
    for j, alpha in enumerate(FINE_ALPHAS):
        np.testing.assert_array_equal(resolved["A_tilde"][j], tilt(poles, FINE_GRID, alpha, sigma_w=0.1))
        # explicit convolution of the exact tilt on the fine grid (trapezoid, away from the grid ends)
        inside = np.abs(FINE_GRID) < 4
        x = FINE_GRID[:, None] - FINE_GRID[None, inside]
        gaussian = np.exp(-0.5 * (x / 0.1) ** 2) / (np.sqrt(2 * np.pi) * 0.1)
        convolved = trapezoid(sample["A_tilde"][j][:, None] * gaussian, FINE_GRID, axis=0)
        assert np.abs(convolved - resolved["A_tilde"][j][inside]).max() < 1e-3 * resolved["A_tilde"][j].max()
    for name in ("rho_Delta", "re_Delta", "bath_eps", "bath_V", "A_real"):
        np.testing.assert_array_equal(resolved[name], sample[name])
    assert "sigma_w" not in EDSettings().to_dict() and settings.to_dict()["sigma_w"] == 0.1


def test_settings_are_checked():
    with pytest.raises(ValueError, match="sigma_w must be None or a positive number; got sigma_w = 0"):
        EDSettings(sigma_w=0)
    with pytest.raises(ValueError, match=r"families must be a non-empty subset.*\['cubes'\]"):
        EDSettings(families=("cubes",))
    with pytest.raises(ValueError, match=r"n_bath must be an integer in \[1, 6\]"):
        EDSettings(n_bath=9)
    with pytest.raises(ValueError, match="U_range must not go below 0"):
        EDSettings(U_range=(-1.0, 2.0))
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        generate_ed_samples("unused.h5", 1, 0, FINE_GRID, FINE_ALPHAS, colour=1)
    with pytest.raises(ValueError, match="0 <= seed < 2\\*\\*31"):
        sample_id(-1, 0)


_KILLED_RUN = """
import os, signal, sys
import h5py
import numpy as np
from triqs_nnsolver.data import EDSettings, generate_ed_samples

original = h5py.AttributeManager.modify

def modify(self, name, value):
    if name == "n_samples" and int(value) == 4:  # rows of the 4th sample flushed, its commit not yet done
        os.kill(os.getpid(), signal.SIGKILL)
    return original(self, name, value)

h5py.AttributeManager.modify = modify
grid = np.load(sys.argv[2])
generate_ed_samples(sys.argv[1], 6, 7, grid, (0.2, 0.5), EDSettings(n_bath=3), progress=False)
"""


def _run(script: str, *args, **kwargs):
    # one BLAS thread: the tiny ED matrices only lose from threads on a shared 2-core machine
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3] / "python"), "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *map(str, args)], env=env, **kwargs)


def _assert_same_samples(path, reference):
    resumed, straight = read_dataset(path), read_dataset(reference)
    assert sorted(resumed["sample_id"]) == sorted(straight["sample_id"])  # nothing lost, nothing twice
    order = np.argsort(resumed["sample_id"])
    for name in file_fields(SCHEMA_VERSION, "poles"):
        if name != "wall_time":
            np.testing.assert_array_equal(resumed[name][order], straight[name], err_msg=name)


def test_killed_mid_sample_resumes_to_the_uninterrupted_result(tmp_path, grid):
    np.save(tmp_path / "grid.npy", grid)
    path = tmp_path / "killed.h5"
    process = _run(_KILLED_RUN, path, tmp_path / "grid.npy")
    assert process.wait(timeout=60) == -signal.SIGKILL
    assert read_dataset(path)["n_samples"] == 3  # the half-written 4th sample is not counted
    assert generate_ed_samples(path, 6, 7, grid, (0.2, 0.5), EDSettings(n_bath=3), progress=False) == 3
    reference = tmp_path / "straight.h5"
    generate_ed_samples(reference, 6, 7, grid, (0.2, 0.5), EDSettings(n_bath=3), progress=False)
    _assert_same_samples(path, reference)


_LONG_RUN = """
import sys
import numpy as np
from triqs_nnsolver.data import EDSettings, generate_ed_samples

print("started", flush=True)
generate_ed_samples(sys.argv[1], 10_000, 3, np.load(sys.argv[2]), (0.3,), EDSettings(n_bath=3), progress=False)
"""


def test_sigterm_at_a_random_moment_leaves_a_resumable_file(tmp_path, grid):
    np.save(tmp_path / "grid.npy", grid)
    path = tmp_path / "terminated.h5"
    process = _run(_LONG_RUN, path, tmp_path / "grid.npy", stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == b"started"
    try:
        process.wait(timeout=1.0)  # about 20 samples, then the signal, wherever the run is
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == -signal.SIGTERM
    committed = read_dataset(path)["n_samples"]
    generate_ed_samples(path, committed + 2, 3, grid, (0.3,), EDSettings(n_bath=3), progress=False)
    reference = tmp_path / "straight.h5"
    generate_ed_samples(reference, committed + 2, 3, grid, (0.3,), EDSettings(n_bath=3), progress=False)
    _assert_same_samples(path, reference)


_TERMINATED_IN_WRITE = """
import os, signal, sys
import h5py
import numpy as np
from triqs_nnsolver.data import EDSettings, generate_ed_samples

original = h5py.AttributeManager.modify

def modify(self, name, value):
    if name == "n_samples" and int(value) == 2:  # SIGTERM in the middle of committing the 2nd sample
        os.kill(os.getpid(), signal.SIGTERM)
    return original(self, name, value)

h5py.AttributeManager.modify = modify
generate_ed_samples(sys.argv[1], 6, 7, np.load(sys.argv[2]), (0.2, 0.5), EDSettings(n_bath=3), progress=False)
"""


def test_sigterm_during_a_write_is_delivered_after_the_commit(tmp_path, grid):
    np.save(tmp_path / "grid.npy", grid)
    path = tmp_path / "deferred.h5"
    process = _run(_TERMINATED_IN_WRITE, path, tmp_path / "grid.npy")
    assert process.wait(timeout=60) == -signal.SIGTERM  # the signal still ends the run ...
    assert read_dataset(path)["n_samples"] == 2  # ... but only once the sample it interrupted is committed
