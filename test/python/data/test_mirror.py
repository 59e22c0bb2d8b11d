"""Particle-hole mirrors: the reversed fields of a sample are the exact solution of the reflected problem.

Provenance: ED samples of seed 7 and 11 (3 levels, the shared small grid, which is symmetric about 0), built here.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from triqs_nnsolver.bath import StarBath
from triqs_nnsolver.data import EDSettings, read_dataset, synthetic
from triqs_nnsolver.data.mirror import particle_hole_mirrors
from triqs_nnsolver.data.synthetic import EDProblem, draw_problem, exact_sample
from triqs_nnsolver.reference import solve_siam

GRID_FIELDS = ("rho_Delta", "re_Delta", "A_tilde", "dA_tilde_dalpha", "A_real")


def _reflected(problem: EDProblem) -> EDProblem:
    order = np.argsort(-problem.bath.eps)
    bath = StarBath(-problem.bath.eps[order], problem.bath.V[order])
    return dataclasses.replace(problem, bath=bath, eps_d=-problem.U - problem.eps_d, eta=problem.eta[order])


def test_a_mirror_is_the_exact_solution_of_the_reflected_problem(grid, alphas, monkeypatch):
    settings = EDSettings(n_bath=3, eps_d_range=(0.3, 0.8))  # away from half filling: no sample is its own mirror
    samples = [
        exact_sample(11, i, grid, alphas, settings, lambda p: solve_siam(p.bath, p.U, p.eps_d)) for i in range(3)
    ]
    data = {name: np.stack([s[name] for s in samples]) for name in ("sample_id", "U", "eps_d", *GRID_FIELDS)}
    mirrors = particle_hole_mirrors({**data, "grid": grid})
    assert mirrors["mirror_of"].tolist() == [0, 1, 2]
    for i in range(3):
        reflected = _reflected(draw_problem(11, i, settings))
        monkeypatch.setattr(synthetic, "draw_problem", lambda *args, reflected=reflected: reflected)  # solve it
        expected = exact_sample(11, i, grid, alphas, settings, lambda p: solve_siam(p.bath, p.U, p.eps_d))
        assert mirrors["eps_d"][i] == pytest.approx(expected["eps_d"], abs=1e-14)
        # the same poles through the same formulas at mirrored frequencies: rounding of values up to ~60
        for name in GRID_FIELDS:
            np.testing.assert_allclose(mirrors[name][i], expected[name], rtol=0, atol=1e-11, err_msg=name)


def test_particle_hole_symmetric_samples_are_their_own_mirror(ed_file):
    data = read_dataset(ed_file)
    symmetric = {**data, "eps_d": -data["U"] / 2, "A_tilde": 0.5 * (data["A_tilde"] + data["A_tilde"][..., ::-1])}
    assert particle_hole_mirrors(symmetric)["sample_id"].size == 0


def test_mirrors_need_a_symmetric_grid(ed_file):
    data = read_dataset(ed_file)
    with pytest.raises(ValueError, match=r"grid symmetric about 0"):
        particle_hole_mirrors({**data, "grid": data["grid"] + 0.1})


def test_mirrors_stay_in_their_originals_split(ed_file):
    from triqs_nnsolver.train.dataset import SpectralDataset, load_splits

    train, validation, test = load_splits(ed_file, fractions=(0.5, 0.25, 0.25), mirror=True)
    plain = SpectralDataset(ed_file, split="train", fractions=(0.5, 0.25, 0.25))
    assert train.n_mirrors > 0 and validation.n_mirrors == test.n_mirrors == 0
    assert set(train.sample_ids) == set(plain.sample_ids)  # mirrors carry their originals' ids
    assert len(train) == len(plain) + train.n_mirrors * train.alphas.size
