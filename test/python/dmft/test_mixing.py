"""Mixers: the linear formula, and Anderson acceleration on a linear fixed-point problem (exact answer known)."""

import numpy as np
import pytest

from triqs_nnsolver.dmft import AndersonMixer, LinearMixer, make_mixer


def _iterate(mixer, F, x, n_steps):
    for _ in range(n_steps):
        x = mixer.update(x, F(x))
    return x


def test_linear_mixing_formula():
    mixer = LinearMixer(0.25)
    np.testing.assert_allclose(mixer.update([0.0, 4.0], [4.0, 0.0]), [1.0, 3.0])


def test_anderson_beats_linear_on_a_linear_map():
    rng = np.random.default_rng(11)
    n = 6
    M = 0.9 * np.linalg.qr(rng.standard_normal((n, n)))[0]  # contraction with |eigenvalues| = 0.9: slow
    b = rng.standard_normal(n)
    x_exact = np.linalg.solve(np.eye(n) - M, b)

    def F(x):
        return M @ x + b

    linear = _iterate(LinearMixer(0.5), F, np.zeros(n), 12)
    anderson = _iterate(AndersonMixer(0.5, depth=n), F, np.zeros(n), 12)
    # Anderson with depth >= n is exact on an n-dimensional linear problem after n + 1 steps (up to rounding,
    # 1e-8 leaves room for the conditioning of the least-squares problem).
    assert np.max(np.abs(anderson - x_exact)) < 1e-8
    assert np.max(np.abs(linear - x_exact)) > 1e-2


def test_anderson_reset_and_first_step_is_linear():
    mixer = AndersonMixer(0.5, depth=2)
    np.testing.assert_allclose(mixer.update([0.0], [2.0]), [1.0])
    mixer.reset()
    np.testing.assert_allclose(mixer.update([0.0], [4.0]), [2.0])


def test_make_mixer_and_errors():
    assert isinstance(make_mixer(0.5, 0), LinearMixer)
    assert isinstance(make_mixer(0.5, 3), AndersonMixer)
    with pytest.raises(ValueError, match="mixing must be a real number in \\(0, 1\\]; got mixing = 0"):
        LinearMixer(0)
    with pytest.raises(ValueError, match="depth must be an integer >= 1; got depth = 0"):
        AndersonMixer(0.5, depth=0)
