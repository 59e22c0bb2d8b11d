"""MPSSettings validation and the spin-split geometry (no block2 run, fast)."""

from __future__ import annotations

import numpy as np
import pytest

from triqs_nnsolver.bath import semicircle_chain
from triqs_nnsolver.mps import MPSSettings, SpinSplitGeometry
from triqs_nnsolver.reference import single_particle_hamiltonian


def test_defaults_are_valid_and_steps_count():
    settings = MPSSettings()
    assert settings.n_steps == round(settings.t_max / settings.dt)
    assert "scratch_dir" not in settings.to_dict() and settings.to_dict()["chi"] == settings.chi


@pytest.mark.parametrize(
    "options, names",
    [
        ({"chi": 2}, "chi must be an integer >= 4; got chi = 2"),
        ({"chi": 16.0}, "chi must be an integer"),
        ({"svd_cutoff": -1e-3}, "svd_cutoff must be a non-negative real number"),
        ({"dt": 0.0}, "dt must be a positive real number; got dt = 0.0"),
        ({"dt": 0.3, "t_max": 1.0}, "t_max must be a multiple of dt"),
        ({"algorithm": "tebd"}, "algorithm must be one of ('tdvp2',); got algorithm = 'tebd'"),
        ({"n_bath": 0}, "n_bath must be an integer >= 1; got n_bath = 0"),
        (
            {"scratch_dir": "/no/such/dir"},
            "scratch_dir must be an existing directory; got scratch_dir = '/no/such",
        ),
        ({"initial_substeps": 0}, "initial_substeps must be an integer >= 1"),
        ({"check_sectors": 1}, "check_sectors must be a bool"),
    ],
)
def test_bad_settings_name_argument_and_value(options, names):
    with pytest.raises(ValueError, match=names.replace("(", r"\(").replace(")", r"\)")):
        MPSSettings(**options)


def test_unknown_setting_is_a_type_error():
    with pytest.raises(TypeError, match="chii"):
        MPSSettings(chii=3)


def test_geometry_layout():
    geometry = SpinSplitGeometry(3)
    assert geometry.n_sites == 8
    assert [geometry.bath("up", i) for i in range(3)] == [2, 1, 0]
    assert (geometry.impurity("up"), geometry.impurity("down")) == (3, 4)
    assert [geometry.bath("down", i) for i in range(3)] == [5, 6, 7]
    with pytest.raises(ValueError, match="spin must be one of"):
        geometry.impurity("sideways")


def test_geometry_one_body_terms_are_the_reference_hamiltonian():
    """The quadratic terms of each spin, mapped back to chain order, give ``single_particle_hamiltonian``."""
    chain = semicircle_chain(1.0, 3)
    geometry = SpinSplitGeometry(3)
    terms = geometry.hamiltonian_terms(chain, U=2.0, eps_d=-0.7)
    for spin, letters in (("up", "cd"), ("down", "CD")):
        order = [geometry.impurity(spin)] + [geometry.bath(spin, i) for i in range(3)]
        h = np.zeros((4, 4))
        for name, sites, value in terms:
            if name == letters:
                h[order.index(sites[0]), order.index(sites[1])] += value
        np.testing.assert_array_equal(h, single_particle_hamiltonian(chain, -0.7))
    assert ("cdCD", (3, 3, 4, 4), 2.0) in terms
