"""The shipped model's physics gates (issue 19, item 5; METHOD.md section 5, rung 5) as ordinary tests.

Single solves: U = 0 through ``Solver.solve`` and the Friedel value at particle-hole symmetry. Half-filled Bethe DMFT
(D = 1): convergence, Luttinger pinning at U = 1, 2, 2.5 from a metallic start, the norm and the particle-hole
symmetry, Z decreasing with U, the Mott insulator at U = 3.5 and 4 from an insulating start. Each tolerance is the
gate of the issue, a named constant with its reason. A gate the shipped model does not meet yet is a strict
expected failure with its measured number (``MODEL_CARD.md``); it fails the run as soon as a model meets it.
``bench/gates.py`` prints every number measured here, and the gates against the reference archives.
"""

import warnings

import numpy as np
import pytest

from triqs_nnsolver.dmft import BetheDMFTConfig, run_bethe_dmft
from triqs_nnsolver.gf import semicircle_dos, semicircle_gf_iw
from triqs_nnsolver.runtime.default_model import default_model_path

try:
    SHIPPED_MODEL = default_model_path()
except FileNotFoundError as err:
    SHIPPED_MODEL = None
    REASON = f"needs the shipped model: {err}"
else:
    REASON = ""

pytestmark = pytest.mark.skipif(SHIPPED_MODEL is None, reason=REASON)

# The gates (issue 19, item 5):
LUTTINGER_RTOL = 0.05  # A(0) = 2/(pi D) in the half-filled metal, relative
PARTICLE_HOLE_ATOL = 0.02  # max_w |A(w) - A(-w)| * D at half filling
NORM_ATOL = 0.01  # |int A - 1| of the raw network output (normalize=False), and |n - 1|
GAP_A0_ATOL = 0.02  # A(0) * D in the Mott insulator from an insulating start (exact: 0)
U0_G_IW_ATOL = 2e-2  # max |G_iw - G0_iw| at U = 0 through Solver.solve
FRIEDEL_RTOL = 0.03  # A(0) pi Gamma = 1 at particle-hole symmetry, semicircular baths, Gamma = 0.2 ... 0.8


@pytest.fixture(scope="module")
def solver():
    from triqs_nnsolver.impurity import NeuralImpuritySolver

    return NeuralImpuritySolver()


def _dmft(solver, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-convergence and domain warnings are asserted on below
        return run_bethe_dmft(solver, BetheDMFTConfig(**kwargs))


@pytest.fixture(scope="module")
def metals(solver):
    return {U: _dmft(solver, U=U) for U in (1.0, 2.0, 2.5)}


@pytest.fixture(scope="module")
def insulators(solver):
    return {U: _dmft(solver, U=U, start="insulator") for U in (3.5, 4.0)}


def test_u0_through_solver_solve_gives_g0():
    pytest.importorskip("torch", reason="the network path needs torch")
    from triqs_nnsolver.solver import Solver

    S = Solver(100.0, [("up", 1), ("down", 1)], containers="own", n_iw=1025, n_w=2001, w_min=-6.0, w_max=6.0)
    iw = S.mesh_iw.iw
    for _, g in S.G0_iw:
        g.data[:, 0, 0] = 1 / (iw - 0.1 - 0.25 * semicircle_gf_iw(S.mesh_iw.points, 1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        S.solve(U=0.0)
    for name in ("up", "down"):
        assert np.abs(S.G_iw[name].data - S.G0_iw[name].data).max() <= U0_G_IW_ATOL


# Gates the shipped model `lanczos9-sigma` misses, with the numbers measured on 2026-12-03 (MODEL_CARD.md, "Gates").
# Friedel at strong coupling, U / Gamma >= 3: the Kondo scale of the 9-level training baths lies below their level
# spacing, so their targets are not pinned at w = 0.
FRIEDEL_MISSED = {
    (0.2, 1.0): "measured A(0) pi Gamma - 1 = -0.095 (U / Gamma = 5)",
    (0.2, 2.0): "measured -0.291 (U / Gamma = 10)",
    (0.35, 2.0): "measured -0.103 (U / Gamma = 5.7)",
    (0.5, 2.0): "measured -0.049 (U / Gamma = 4)",
    (0.65, 2.0): "measured -0.0300 (U / Gamma = 3.1)",
}
NORM_MISSED = pytest.mark.xfail(
    strict=True, reason="measured int A - 1 = -0.0130, n - 1 = -0.013 at U = 2.5 D (grid tails)"
)
MOTT_MISSED = pytest.mark.xfail(strict=True, reason="measured A(0) = 0.039 (U = 3.5 D), 0.026 (U = 4 D)")

FRIEDEL_CASES = [(gamma, U) for gamma in (0.2, 0.35, 0.5, 0.65, 0.8) for U in (1.0, 2.0)]


@pytest.mark.parametrize(("gamma", "U"), FRIEDEL_CASES)
def test_friedel_value_at_particle_hole_symmetry(solver, gamma, U, request):
    if (gamma, U) in FRIEDEL_MISSED:
        request.applymarker(pytest.mark.xfail(strict=True, reason=FRIEDEL_MISSED[(gamma, U)]))
    w = np.linspace(-4.0, 4.0, 4000)  # even: no point at w = 0
    rho = (gamma / 2) * semicircle_dos(w, 1.0)  # Gamma = pi rho_Delta(0) = pi t^2 2/(pi D), D = 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        A = solver.spectral_function(w, rho, U, -U / 2)
    assert np.interp(0.0, w, A) * np.pi * gamma == pytest.approx(1.0, rel=FRIEDEL_RTOL)


@pytest.mark.parametrize("U", [1.0, 2.0, 2.5])
def test_luttinger_pinning(metals, U):
    result = metals[U]
    assert result.converged
    assert result.observables.A0 == pytest.approx(2 / np.pi, rel=LUTTINGER_RTOL)


@pytest.mark.parametrize("U", [1.0, 2.0, 2.5])
def test_half_filled_solution_is_particle_hole_symmetric(metals, U):
    result = metals[U]
    assert np.max(np.abs(result.A - result.A[::-1])) <= PARTICLE_HOLE_ATOL  # the grid is symmetric


@pytest.mark.parametrize("U", [1.0, 2.0, pytest.param(2.5, marks=NORM_MISSED)])
def test_half_filled_solution_is_normalized(metals, U):
    # n = 2 int_{w<0} A of the raw A: at particle-hole symmetry it misses 1 by the norm's error
    assert metals[U].observables.norm == pytest.approx(1.0, abs=NORM_ATOL)
    assert metals[U].observables.density == pytest.approx(1.0, abs=NORM_ATOL)


def test_z_decreases_with_U(metals):
    assert 0 < metals[2.5].observables.Z < metals[2.0].observables.Z < metals[1.0].observables.Z < 1


@pytest.mark.parametrize("U", [pytest.param(3.5, marks=MOTT_MISSED), pytest.param(4.0, marks=MOTT_MISSED)])
def test_mott_insulator_at_large_U(insulators, U):
    assert insulators[U].observables.A0 <= GAP_A0_ATOL


@pytest.mark.parametrize("U", [3.5, 4.0])
def test_insulating_start_converges(insulators, U):
    assert insulators[U].converged
