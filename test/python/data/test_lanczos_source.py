"""Lanczos samples: the same samples as the dense ED where both solve, provenance, resume (issue 16 item 2).

Provenance: everything is computed here from fixed seeds on the small grid of ``test/python/conftest.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from triqs_nnsolver.data import (
    INPUT_BROADENING,
    SCHEMA_VERSION,
    EDSettings,
    LanczosSettings,
    dataset_hash,
    ed_sample,
    file_fields,
    generate_lanczos_samples,
    lanczos_sample,
    read_dataset,
)

SEED = 4
_EXACT_FIELDS = ("sample_id", "seed", "U", "eps_d", "rho_Delta", "re_Delta", "bath_eps", "bath_V", "max_bond_dim")
# Lanczos (krylov_tol 1e-10, converged on the ray of the smallest alpha and for the Lorentzian of A_real) against
# the dense ED on one problem. A priori the Krylov error of A~ is below krylov_tol / (pi |w|) (1.3e-9 at the
# grid's smallest |w| = 0.025) and that of A_real below krylov_tol / (pi * 0.05) = 6e-10; dA~ is the same
# quadrature's derivative. Measured (seed 4, indices 0 and 1, 5 levels): A~ 2e-13, dA~ 8e-13, A_real 4e-11, E0 2e-15,
# the Krylov spaces of 6 orbitals nearly closing. 1e-10 lies above the measured errors, under the a-priori bound.
LANCZOS_VS_ED = 1e-10


@pytest.mark.parametrize("index", [0, 1])
def test_a_lanczos_sample_is_the_ed_sample_of_the_same_seed_and_index(grid, alphas, index):
    """Two exact solvers on one problem (5 levels: the ED's range, the half-filled sector of 400 states by Lanczos)."""
    expected = ed_sample(SEED, index, grid, alphas, EDSettings(n_bath=5))
    settings = LanczosSettings(n_bath=5, krylov_tol=1e-10, real_axis_width=EDSettings().real_axis_width)
    sample = lanczos_sample(SEED, index, grid, alphas, settings)
    assert set(sample) == set(file_fields(SCHEMA_VERSION, "poles"))
    for name in _EXACT_FIELDS:  # the problem draw and the input are shared code: equal bit for bit
        np.testing.assert_array_equal(sample[name], expected[name], err_msg=name)
    for name in ("A_tilde", "dA_tilde_dalpha", "A_real"):
        np.testing.assert_allclose(sample[name], expected[name], rtol=0, atol=LANCZOS_VS_ED, err_msg=name)
    # |E0| < 10: 1e-12 is 500 float64 eps of it; measured 2e-15
    assert sample["ground_energy"] == pytest.approx(expected["ground_energy"], abs=1e-12)
    assert np.isnan(sample["truncation_error"]) and np.isnan(sample["energy_variance"]) and sample["wall_time"] > 0


def test_default_settings_have_no_real_axis_row_and_state_the_input_broadening(grid, alphas, tmp_path):
    settings = LanczosSettings(n_bath=5)
    assert LanczosSettings().n_bath == 9 and settings.real_axis_width is None
    assert generate_lanczos_samples(tmp_path / "a.h5", 2, SEED, grid, alphas, settings, progress=False) == 2
    data = read_dataset(tmp_path / "a.h5")
    assert np.all(np.isnan(data["A_real"])) and np.all(np.isfinite(data["A_tilde"]))
    provenance = data["provenance"]
    assert provenance["generator"] == "lanczos" and provenance["seed"] == SEED
    assert provenance["settings"]["input_broadening"] == INPUT_BROADENING == "half_bin_width"
    assert provenance["settings"]["krylov_tol"] == 1e-8 and provenance["settings"]["backend"] == "lanczos"


def test_resume_after_a_partial_run_gives_the_straight_run(grid, alphas, tmp_path):
    settings = LanczosSettings(n_bath=5)
    assert generate_lanczos_samples(tmp_path / "resumed.h5", 2, SEED, grid, alphas, settings, progress=False) == 2
    assert generate_lanczos_samples(tmp_path / "resumed.h5", 4, SEED, grid, alphas, settings, progress=False) == 2
    generate_lanczos_samples(tmp_path / "straight.h5", 4, SEED, grid, alphas, settings, progress=False)
    assert dataset_hash([tmp_path / "resumed.h5"]) == dataset_hash([tmp_path / "straight.h5"])
    other = LanczosSettings(n_bath=5, krylov_tol=1e-9)  # another run's settings do not resume this file
    with pytest.raises(ValueError, match="cannot resume .*straight.h5"):
        generate_lanczos_samples(tmp_path / "straight.h5", 5, SEED, grid, alphas, other, progress=False)


def test_settings_are_checked():
    with pytest.raises(ValueError, match=r"n_bath must be an integer in \[1, 11\] \(Lanczos\); got 12"):
        LanczosSettings(n_bath=12)
    with pytest.raises(ValueError, match="krylov_tol must be"):
        LanczosSettings(krylov_tol=0.0)
    with pytest.raises(ValueError, match="real_axis_width must be None or a positive number; got real_axis_width = 0"):
        LanczosSettings(real_axis_width=0)
    with pytest.raises(ValueError, match="families must be a non-empty subset"):
        LanczosSettings(families=())
    with pytest.raises(ValueError, match="sigma_w must be None or a positive number"):
        LanczosSettings(sigma_w=-1.0)
