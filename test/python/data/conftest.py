"""Shared fixtures of the ``data`` tests: random schema-valid samples and files of them.

Provenance (no stored files; everything is computed here from fixed seeds): ``random_sample`` gives
schema-valid arrays from ``numpy.random.default_rng(1000 + index)``, no physics, for the storage tests (fast),
on the small grid of ``test/python/conftest.py`` (which also gives the small ED file ``ed_file``).
"""

from __future__ import annotations

import numpy as np
import pytest

from triqs_nnsolver.data import DatasetWriter


@pytest.fixture
def random_sample(grid, alphas):
    """``make(index, n_bath=3, n_alpha=2)`` -> a dict of random, schema-valid sample fields."""

    def make(index: int, n_bath: int = 3, n_alpha: int = len(alphas)) -> dict:
        rng = np.random.default_rng(1000 + index)
        n_w = grid.size
        return {
            "sample_id": 10_000 + index,
            "U": rng.uniform(0, 4),
            "eps_d": rng.uniform(-3, 1),
            "rho_Delta": rng.random(n_w),
            "re_Delta": rng.normal(size=n_w),
            "bath_eps": np.sort(rng.uniform(-2, 2, n_bath)),
            "bath_V": rng.uniform(0.1, 0.4, n_bath),
            "A_tilde": rng.random((n_alpha, n_w)),
            "dA_tilde_dalpha": rng.normal(size=(n_alpha, n_w)),
            "A_real": rng.random(n_w) if index % 2 == 0 else np.full(n_w, np.nan),
            "wall_time": rng.random(),
            "truncation_error": np.nan,
            "seed": index,
            "max_bond_dim": 10 + index,
            "ground_energy": rng.normal(),
            "energy_variance": 1e-10 * rng.random(),
        }

    return make


@pytest.fixture
def provenance():
    return {"generator": "test", "settings": {"purpose": "unit test"}, "seed": 0}


@pytest.fixture
def write_random(grid, alphas, random_sample, provenance):
    """``write(path, indices, n_bath_max=4)``: a file holding the random samples of these indices."""

    def write(path, indices, n_bath_max: int = 4, grid_override=None):
        with DatasetWriter(path, grid if grid_override is None else grid_override, alphas, n_bath_max, provenance) as w:
            for index in indices:
                w.append(random_sample(index))
        return path

    return write
