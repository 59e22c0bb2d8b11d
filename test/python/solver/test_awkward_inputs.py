"""Real-axis inputs that the mesh resolves poorly still solve, with finite outputs and a RealMeshWarning.

Issue 17: ``S.Delta_w = t^2 G_semicircle`` (D = 1, t = 1/2) on [-4, 4] (2001 points) with ``eps_d = -0.5``
crashed ``solve``: ``w - eps_d - Delta_w`` vanishes on the mesh point w = -1, where a bound state splits
off the band, and ``G0_w = 1/(w - eps - Delta_w)`` divided by zero. Three awkward cases: a bound state on a
mesh point, a bath a few mesh steps wide, a bath and a spectrum that reach the mesh ends. The exact U = 0
solver gives exact checks; the shipped model covers the network path (finiteness and causality only).
"""

import numpy as np
import pytest

from triqs_nnsolver.gf import semicircle_gf_iw, spectral_norm
from triqs_nnsolver.solver import FreeImpuritySolver, Solver
from triqs_nnsolver.solver.hybridization import RealMeshWarning

OUTPUTS = ("A_w", "G_w", "G0_w", "Sigma_w", "G_iw", "Sigma_iw", "G_tau")


def semicircle_w(w, D):
    """Retarded ``G(w + i0+)`` of the semicircular DOS of half-bandwidth D (1/energy)."""
    x = w / D
    return 2 / D * (x - np.sign(x) * np.sqrt(np.maximum(x**2 - 1, 0)) - 1j * np.sqrt(np.maximum(1 - x**2, 0)))


def solve_delta_w(Delta_of_w, U, eps_d, free, w_min=-4.0, w_max=4.0, n_w=2001, model=None):
    """A Solver on the real mesh ``[w_min, w_max]`` with ``S.Delta_w = Delta_of_w(w)``, solved with U, eps_d."""
    options = {"impurity_solver": FreeImpuritySolver()} if free else {"model": model}
    S = Solver(80.0, [("up", 1), ("down", 1)], n_iw=200, n_tau=401, w_min=w_min, w_max=w_max, n_w=n_w,
               containers="own", **options)  # fmt: skip
    for _, g in S.Delta_w:
        g.data[:, 0, 0] = Delta_of_w(S.mesh_w.points)
    S.solve(U=U, eps_d=eps_d, verbosity=0)
    return S


def assert_finite_and_causal(S):
    for name in OUTPUTS:
        assert np.all(np.isfinite(S.__dict__[name]["up"].data)), name
    A = S.A_w["up"].data[:, 0, 0].real
    assert A.min() >= 0 and spectral_norm(S.mesh_w.points, A) == pytest.approx(1.0, abs=1e-12)  # normalised
    assert np.all(S.G_iw["up"].data[S.n_iw :, 0, 0].imag < 0)  # causal on w_n > 0
    assert np.all(S.G0_w["up"].data[:, 0, 0].imag <= 0)  # retarded


@pytest.fixture
def shipped_model(shipped_model_file):
    pytest.importorskip("torch", reason="the network path needs torch")
    return shipped_model_file


def test_issue17_bound_state_on_a_mesh_point_solves_with_the_shipped_model(shipped_model):
    # the issue's input: the bound state sits at the band edge w = -1, where w + 1/2 - Delta_w = 0 exactly
    with pytest.warns(RealMeshWarning, match=r"1 bound state\(s\) outside the bath's support, w = -1 \(weight"):
        S = solve_delta_w(lambda w: 0.25 * semicircle_w(w, 1.0), U=1.0, eps_d=-0.5, free=False, model=shipped_model)
    assert_finite_and_causal(S)
    # -Im Sigma_w / pi >= 0 up to the interim model's error: measured min 0.026 (positive), nothing clipped;
    # bound: dips down to 2 % of the maximum 0.16, as in the Bethe loop test
    rho_Sigma = -S.Sigma_w["up"].data[:, 0, 0].imag / np.pi
    assert rho_Sigma.min() > -0.02 * rho_Sigma.max()
    assert S.solve_report["real_mesh_warnings"]


def test_bound_state_on_a_mesh_point_carries_its_weight_in_g0_w():
    # eps_d = -1.5 below the band: the bound state of t^2 G_semicircle lies at w_b = -5/3 with weight
    # Z = 1/(1 - dDelta/dw) = 8/9, on a mesh point of [-5, 5] with 3001 points (step 1/300)
    with pytest.warns(RealMeshWarning, match=r"w = -1.667 \(weight ~0.89\)"):
        S = solve_delta_w(lambda w: 0.25 * semicircle_w(w, 1.0), 0.0, -1.5, True, w_min=-5, w_max=5, n_w=3001)
    assert_finite_and_causal(S)
    w, G0 = S.mesh_w.points, S.G0_w["up"].data[:, 0, 0]
    # G0_w = G0(w + i h) there: a Lorentzian Z/(w - w_b + i h) on the mesh, whose trapezoid weight is
    # Z coth(pi) = Z (1 + 3.7e-3), plus the band's 1 - Z; measured int -Im G0_w / pi = 1 + 2.3e-3, bound 2x
    assert spectral_norm(w, -G0.imag / np.pi) == pytest.approx(1.0, abs=5e-3)
    peak = int(np.argmax(np.abs(G0)))
    assert w[peak] == pytest.approx(-5 / 3, abs=1e-12)
    # the peak value: Z / (i h) = -i (8/9) 300 = -266.7i; measured to 1e-6 (the slope of d from the mesh)
    assert G0[peak] == pytest.approx(-1j * 8 / 9 * 300, rel=1e-4)
    # the exact U = 0 solver misses the delta peak of A (the warning says so): the raw int A is the band's
    # 1 - Z = 1/9, measured 0.1111 (1e-4 off: the band edges on the mesh); bound 10 % of it
    assert S.solve_report["spectral_norm_raw"][0] == pytest.approx(1 / 9, rel=0.1)


def test_narrow_bath_is_solved_and_warned_about():
    D = 0.05  # a semicircular bath of half-width 0.05 (t = D/2) on a mesh of step 0.004: rms width 6.3 steps
    with pytest.warns(RealMeshWarning, match=r"rms width 0.0251 spans only 6.28 steps of the real mesh"):
        S = solve_delta_w(lambda w: (D / 2) ** 2 * semicircle_w(w, D), U=0.0, eps_d=0.0, free=True)
    assert_finite_and_causal(S)
    # U = 0 at eps_d = 0 in the Bethe bath of half-width D: G is the semicircle of half-width D. On the
    # mesh its A is off by the square-root band edges resolved with 12 points per half band: measured 1.9 %
    # of max A (0.9 % at 25 steps per rms width); bound 2x. On the Matsubara axis (beta = 80, w_0 = 0.04
    # ~ D): measured 4.7e-3 of max |G| = 40; bound 2x
    A, A_exact = S.A_w["up"].data[:, 0, 0].real, -semicircle_w(S.mesh_w.points, D).imag / np.pi
    assert np.abs(A - A_exact).max() < 0.04 * A_exact.max()
    G_exact = semicircle_gf_iw(S.mesh_iw, D)
    assert np.abs(S.G_iw["up"].data[:, 0, 0] - G_exact).max() < 1e-2 * np.abs(G_exact).max()


def test_narrow_bath_with_the_shipped_model(shipped_model):
    D, U = 0.05, 0.05  # U/D = 1 at half filling: inside the training domain once rescaled
    with pytest.warns(RealMeshWarning, match="spans only 6.28 steps"):
        S = solve_delta_w(lambda w: (D / 2) ** 2 * semicircle_w(w, D), U, -U / 2, free=False, model=shipped_model)
    assert_finite_and_causal(S)


def test_bath_and_spectrum_reaching_the_mesh_ends_are_warned_about():
    # a semicircular bath of half-width 5 on [-4, 4]: rho_Delta at the ends is sqrt(1 - 0.8^2) = 0.6 of its
    # maximum. The U = 0 A at the ends is 0.3 of its maximum (0.6 for the uncut bath): the Kramers-Kronig
    # Re Delta of the cut bath diverges logarithmically at the ends, which pushes A down there
    with pytest.warns(RealMeshWarning, match=r"rho_Delta = -Im Delta_w / pi at the ends .* is 0.6 of its maximum"):
        with pytest.warns(RealMeshWarning, match=r"A\(w\) at the ends of the real mesh \[-4, 4\] is 0.3 of"):
            S = solve_delta_w(lambda w: 6.25 * semicircle_w(w, 5.0), U=0.0, eps_d=0.0, free=True)
    assert_finite_and_causal(S)  # Re Delta_w and Re G_w diverge logarithmically at the ends: finite parts
    assert S.solve_report["edge_weight"][0] == pytest.approx(0.3, abs=0.01)  # measured 0.297


def test_bath_reaching_the_mesh_ends_with_the_shipped_model(shipped_model):
    with pytest.warns(RealMeshWarning, match=r"rho_Delta = -Im Delta_w / pi at the ends .* is 0.3 of"):
        S = solve_delta_w(lambda w: 0.25 * semicircle_w(w, 4.2), U=1.0, eps_d=-0.5, free=False, model=shipped_model)
    assert_finite_and_causal(S)
