"""BetheDMFTConfig: defaults, derived values, and errors that name the argument and the value."""

import pytest

from triqs_nnsolver.dmft import BetheDMFTConfig


def test_defaults_and_derived_values():
    config = BetheDMFTConfig(U=3.0, D=2.0)
    assert config.t == 1.0
    assert config.initial_eps_d == -1.5  # half filling
    assert config.resolved_w_max == 12.0  # 6 D
    assert config.resolved_z_window == pytest.approx(0.04)  # 0.02 D
    assert config.n_w % 2 == 0


def test_round_trip_and_replace():
    config = BetheDMFTConfig(U=1.0, density=0.8, anderson_depth=3)
    assert BetheDMFTConfig.from_dict(config.to_dict()) == config
    assert config.replace(U=2.0).U == 2.0
    assert "eps_d" not in config.to_archive_dict()  # None is not stored


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"U": -1.0}, ["U", "-1.0"]),
        ({"D": 0.0}, ["D", "0.0"]),
        ({"n_w": 2401}, ["n_w", "even", "2401"]),
        ({"mixing": 1.5}, ["mixing", "1.5"]),
        ({"density": 2.0}, ["density", "2.0"]),
        ({"start": "paramagnet"}, ["start", "paramagnet", "metal"]),
        ({"eps_d": 0.1, "density": 1.0}, ["eps_d", "density", "not both"]),
        ({"w_max": 0.5}, ["w_max", "D", "0.5"]),
        ({"tol": float("nan")}, ["tol", "nan"]),
        ({"max_iter": 0}, ["max_iter", "0"]),
        ({"z_window": 0.001}, ["z_window", "1.5 h", "0.001"]),
    ],
)
def test_bad_values_name_the_argument(changes, words):
    with pytest.raises(ValueError) as info:
        BetheDMFTConfig(**changes)
    for word in words:
        assert word in str(info.value)


def test_unknown_fields_and_wrong_types():
    with pytest.raises(TypeError, match="unknown BetheDMFTConfig fields \\['u'\\]"):
        BetheDMFTConfig.from_dict({"u": 2.0})
    with pytest.raises(ValueError, match="U must be a non-negative real number; got U = '2'"):
        BetheDMFTConfig(U="2")
