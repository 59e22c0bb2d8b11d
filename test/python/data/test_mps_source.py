"""The MPS data source draws the same problems as the ED source and validates its settings (fast)."""

from __future__ import annotations

import numpy as np
import pytest

from triqs_nnsolver.data import EDSettings, MPSDataSettings, draw_ed_problem, draw_mps_problem
from triqs_nnsolver.mps import MPSSettings


def test_same_seed_and_index_draw_the_same_problem_as_ed():
    mps_settings = MPSDataSettings(mps=MPSSettings(n_bath=5))
    for index in range(4):
        ed = draw_ed_problem(11, index, EDSettings(n_bath=5))
        mps = draw_mps_problem(11, index, mps_settings)
        assert (ed.U, ed.eps_d) == (mps.U, mps.eps_d)
        np.testing.assert_array_equal(ed.bath.eps, mps.bath.eps)
        np.testing.assert_array_equal(ed.bath.V, mps.bath.V)
        np.testing.assert_array_equal(ed.eta, mps.eta)


def test_provenance_holds_the_mps_settings_without_the_scratch_location():
    values = MPSDataSettings(mps=MPSSettings(chi=24)).to_dict()
    assert values["backend"] == "mps" and values["mps"]["chi"] == 24 and "scratch_dir" not in values["mps"]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"families": ("nope",)}, "families must be a non-empty subset"),
        ({"U_range": (-1.0, 2.0)}, "U_range must not go below 0"),
        ({"window": "hann"}, "window must be one of"),
        ({"mps": {"chi": 8}}, "mps must be an MPSSettings; got dict"),
    ],
)
def test_bad_settings_are_named(options, message):
    with pytest.raises((ValueError, TypeError), match=message):
        MPSDataSettings(**options)
