"""The Solver with real TRIQS objects: attribute types, cthyb's Bethe script with `<<`, TRIQS archives.

Needs TRIQS; skipped without it. Run it in a TRIQS environment with this package on the path, e.g.
``PYTHONPATH=python python -m pytest test/python/solver`` (see ``doc/solver.md``).
"""

import numpy as np
import pytest

triqs_gf = pytest.importorskip("triqs.gf", reason="needs TRIQS (not installable from PyPI); checks TRIQS objects")
triqs_h5 = pytest.importorskip("h5", reason="needs TRIQS's h5 package")
triqs_operators = pytest.importorskip("triqs.operators", reason="needs TRIQS operators")

from triqs_nnsolver.gf import BlockGf  # noqa: E402
from triqs_nnsolver.h5 import HDFArchive  # noqa: E402
from triqs_nnsolver.solver import FreeImpuritySolver, Solver  # noqa: E402

n = triqs_operators.n


def _bethe_script(S, U, mu, n_loops, D=1.0):
    """cthyb's single_site_bethe.py loop, with TRIQS's `<<` (TRIQS fixture README)."""
    t = D / 2
    S.G_iw << triqs_gf.SemiCircular(D)
    for _ in range(n_loops):
        g = 0.5 * (S.G_iw["up"] + S.G_iw["down"])
        for _, g0 in S.G0_iw:
            g0 << triqs_gf.inverse(triqs_gf.iOmega_n + mu - t**2 * g)
        S.solve(h_int=U * n("up", 0) * n("down", 0), n_cycles=5000, length_cycle=500, measure_G_l=True)


def test_attributes_are_triqs_block_gfs_and_u0_gives_g0():
    S = Solver(20.0, [("down", 1), ("up", 1)], n_iw=200, n_tau=401, n_w=1001, w_min=-5.0, w_max=5.0,
               impurity_solver=FreeImpuritySolver())  # fmt: skip
    assert all(isinstance(getattr(S, k), triqs_gf.BlockGf) for k in ("G0_iw", "G_iw", "Sigma_w", "G_tau", "G_l"))
    _bethe_script(S, U=0.0, mu=0.0, n_loops=2)
    # U = 0 fixed point: the semicircle, to the U = 0 accuracy of test_solver.py (twice, for two loops)
    expected = triqs_gf.Gf(mesh=S.G_iw.mesh, target_shape=[1, 1])
    expected << triqs_gf.SemiCircular(1.0)
    assert np.abs(S.G_iw["up"].data - expected.data).max() < 4e-4
    # cthyb convention, checked with TRIQS's own algebra: Sigma_iw = inverse(G0_iw) - inverse(G_iw)
    sigma = triqs_gf.inverse(S.G0_iw["up"]) - triqs_gf.inverse(S.G_iw["up"])
    assert np.abs(sigma.data - S.Sigma_iw["up"].data).max() < 1e-10
    # densities as TRIQS computes them from G_iw (its own tail fit) agree with ours from G(beta)
    assert S.G_iw.total_density().real == pytest.approx(S.total_density(), abs=1e-4)
    # G_l against TRIQS's Legendre transform of our G_tau: TRIQS integrates on the 401-point tau mesh (step
    # 0.05), accurate for the low orders only (P_l oscillates on beta / l); measured 3e-5 relative for l < 10,
    # while at l ~ 25 TRIQS's coarse-mesh value is 0.05 where ours (Gauss quadrature) is 1e-10
    G_l = triqs_gf.Gf(mesh=S.G_l.mesh, target_shape=[1, 1])
    G_l.set_from_imtime(S.G_tau["up"])
    assert np.abs(G_l.data[:10] - S.G_l["up"].data[:10]).max() < 1e-3 * np.abs(G_l.data).max()


def test_solver_round_trip_in_a_triqs_archive(tmp_path):
    S = Solver(20.0, [("up", 1), ("down", 1)], n_iw=100, n_tau=201, n_w=801, w_min=-4.0, w_max=4.0,
               impurity_solver=FreeImpuritySolver())  # fmt: skip
    _bethe_script(S, U=0.0, mu=0.0, n_loops=1)
    with triqs_h5.HDFArchive(str(tmp_path / "triqs.h5"), "w") as ar:
        ar["S"] = S
        ar["G_iw"] = S.G_iw
    with triqs_h5.HDFArchive(str(tmp_path / "triqs.h5"), "r") as ar:
        S2 = ar["S"]
    assert isinstance(S2, Solver) and isinstance(S2.G_iw, triqs_gf.BlockGf)
    np.testing.assert_array_equal(S2.Sigma_w["up"].data, S.Sigma_w["up"].data)
    with HDFArchive(str(tmp_path / "triqs.h5"), "r") as ar:  # the package's reader, TRIQS's layout
        G_iw = ar["G_iw"]
        assert isinstance(G_iw, BlockGf) and G_iw.block_names == ["up", "down"]
        np.testing.assert_array_equal(G_iw["up"].data, S.G_iw["up"].data)
