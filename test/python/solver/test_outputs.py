"""Tests of triqs_nnsolver.solver.outputs: the fast ``Delta_tau`` of a star bath against its dense closed form.

On a uniform mesh :func:`delta_tau_from_bath` builds each exponential as a product of two tabulated ones; the
reference is the same closed form with one exponential per (tau, level), which the function uses on any other
mesh. They differ by a few roundings: the bound 1e-13 of max |Delta| (issue 13 asks 1e-10).
"""

import numpy as np
import pytest

from triqs_nnsolver.bath import StarBath
from triqs_nnsolver.gf import MeshImTime
from triqs_nnsolver.solver.outputs import delta_tau_from_bath


def _dense(bath, beta, tau):
    t, e = np.asarray(tau)[:, None], bath.eps[None, :]
    kernel = np.where(
        e >= 0,
        np.exp(-np.maximum(e, 0) * t) / (1 + np.exp(-beta * np.maximum(e, 0))),
        np.exp(np.minimum(e, 0) * (beta - t)) / (1 + np.exp(beta * np.minimum(e, 0))),
    )
    return -(kernel @ bath.V**2)


BATHS = {
    "16 levels both signs": StarBath(np.linspace(-3, 2.5, 16), np.linspace(0.1, 0.3, 16)),
    "a level at 0": StarBath(np.array([-1.0, 0.0, 0.7]), np.array([0.3, 0.2, 0.4])),
    "levels above 0 only": StarBath(np.array([0.2, 5.0]), np.array([0.5, 0.1])),
}


@pytest.mark.parametrize("name", BATHS)
@pytest.mark.parametrize("beta, n_tau", [(100.0, 10001), (1000.0, 10001), (10.0, 2), (40.0, 7)])
def test_uniform_mesh_matches_dense_closed_form(name, beta, n_tau):
    bath, tau = BATHS[name], MeshImTime(beta, "F", n_tau).points
    fast, reference = delta_tau_from_bath(bath, beta, tau), _dense(bath, beta, tau)
    assert fast.shape == reference.shape
    assert np.abs(fast - reference).max() <= 1e-13 * np.abs(reference).max()


def test_any_mesh_uses_the_closed_form():
    bath, tau = BATHS["16 levels both signs"], np.array([0.0, 0.3, 17.0, 50.0])
    np.testing.assert_array_equal(delta_tau_from_bath(bath, 50.0, tau), _dense(bath, 50.0, tau))
