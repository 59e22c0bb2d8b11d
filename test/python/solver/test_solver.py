"""The TRIQS-style Solver with the package's own containers: U = 0, a Bethe loop, the CTHYB fixture, errors, h5.

These tests run without TRIQS (``containers='own'``); ``test_solver_triqs.py`` repeats the TRIQS-object
paths when TRIQS is importable. The exact U = 0 impurity solver makes the U = 0 checks tight; the tiny
model of the ``tiny_model`` fixture (physically meaningless) exercises the network path.
"""

import numpy as np
import pytest

import triqs_nnsolver
from triqs_nnsolver.gf import BlockGf, Gf, MeshImFreq, MeshReFreq, semicircle_gf_iw
from triqs_nnsolver.h5 import HDFArchive, Operator
from triqs_nnsolver.solver import FreeImpuritySolver, Solver, read_solver, write_solver

GF_STRUCT = [("up", 1), ("down", 1)]
SMALL = {"n_iw": 200, "n_tau": 401, "n_w": 1001, "w_min": -5.0, "w_max": 5.0}  # meshes of the quick tests


def n_up_n_dn(U, names=("up", "down")):
    """``U n_up n_dn`` as the package's Operator, in TRIQS's normal order c+_dn c+_up c_up c_dn."""
    up, dn = (names[0], 0), (names[1], 0)
    return Operator([(U, [(True, dn), (True, up), (False, up), (False, dn)])])


@pytest.fixture
def tiny_model(request):
    """The ``small_model_file`` of conftest.py; skips where torch is missing (e.g. a TRIQS-only environment)."""
    pytest.importorskip("torch", reason="the network path needs torch")
    return request.getfixturevalue("small_model_file")


def free_solver(beta=20.0, **kwargs):
    return Solver(beta, GF_STRUCT, impurity_solver=FreeImpuritySolver(), containers="own", **{**SMALL, **kwargs})


def fill_semicircle(S, D=1.0, eps=0.0):
    """G0 of an impurity at level eps in a Bethe bath of half-bandwidth D: 1/(iw - eps - t^2 G_sc)."""
    iw = S.mesh_iw.iw
    for _, g in S.G0_iw:
        g.data[:, 0, 0] = 1 / (iw - eps - (D / 2) ** 2 * semicircle_gf_iw(S.mesh_iw.points, D))


def test_package_exports_solver_lazily():
    assert triqs_nnsolver.Solver is Solver and "Solver" in triqs_nnsolver.__all__


def test_u0_gives_g0_on_both_axes():
    S = free_solver()
    fill_semicircle(S, eps=0.1)
    assert S.solve(U=0.0, n_cycles=10_000, length_cycle=50) == 0
    for name in ("up", "down"):
        # Matsubara: G_iw = 1/(1/G0_iw - Sigma_iw), with Sigma_iw the transform of the real-axis
        # Sigma = 1/G0_w - 1/G_w, which at U = 0 is only the Kramers-Kronig discretisation error of
        # the piecewise-linear A (Lorentzians of width eta ~ 0.13 on a 0.01 mesh): measured 3.5e-5
        # (max |G0_iw| = 1.7); the bound allows 5x.
        G_iw, G0_iw = S.G_iw[name].data[:, 0, 0], S.G0_iw[name].data[:, 0, 0]
        assert np.abs(G_iw - G0_iw).max() < 2e-4
        # Real axis, for the broadened bath Delta_w the solve used: the same discretisation error,
        # (h / eta)^2 ~ 6e-3 relative at the sharpest Lorentzian; measured 5.3e-4 of max |G0_w|, bound 10x.
        G_w, G0_w = S.G_w[name].data[:, 0, 0], S.G0_w[name].data[:, 0, 0]
        assert np.abs(G_w - G0_w).max() < 5e-3 * np.abs(G0_w).max()
        # Sigma_iw = inverse(G0_iw) - inverse(G_iw) exactly (cthyb convention), hence ~0 at U = 0
        np.testing.assert_allclose(S.Sigma_iw[name].data[:, 0, 0], 1 / G0_iw - 1 / G_iw, rtol=0, atol=1e-12)
        assert np.abs(S.Sigma_iw[name].data).max() < 2e-4  # measured 1.4e-5: Sigma = 0 up to the KK error
    # G(0+) + G(beta-) = -1 (the exact 1/iw tail); tail handled analytically, rounding only
    G_tau = S.G_tau["up"].data[:, 0, 0].real
    assert G_tau[0] + G_tau[-1] == pytest.approx(-1.0, abs=1e-9)
    assert S.solve_report["input"] == "G0_iw" and S.solve_report["bath_fit"][0]["max_abs_error"] < 1e-6
    assert S.h_loc0 is not None and S.Delta_infty[0][0, 0] == pytest.approx(0.1, abs=1e-10)


def test_u0_density_and_legendre_agree_with_g_tau():
    S = free_solver()
    fill_semicircle(S, eps=0.0)
    S.solve(U=0.0, measure_G_l=True)
    # particle-hole symmetric: n = 1/2 up to the discretisation error of the mesh (measured 1e-6)
    assert S.densities["up"] == pytest.approx(0.5, abs=1e-5)
    G_l = S.G_l["up"].data[:, 0, 0].real
    # Legendre coefficients of G(tau): G_0 = int G(tau) dtau, here the trapezoid rule on the tau mesh
    # (step 0.05; G(tau) varies on the scale 1/D = 1: trapezoid error ~ step^2 / 12 * beta ~ 1e-4 relative)
    tau = S.mesh_tau.points
    G_tau = S.G_tau["up"].data[:, 0, 0].real
    integral = np.sum((G_tau[1:] + G_tau[:-1]) / 2 * np.diff(tau))
    assert G_l[0] == pytest.approx(integral, rel=1e-3)
    # odd l vanish at particle-hole symmetry, here up to the asymmetry of the fitted bath (levels symmetric
    # to ~1e-6, the density 1/2 to 1e-6): measured 2e-6 of G_0
    assert np.all(np.abs(G_l[1::2]) < 1e-5 * np.abs(G_l[0]))


def test_measure_g_tau_false_leaves_g_tau_unwritten():
    # cthyb's flag: G_tau is not computed, and the attribute (scripts hold references to it) keeps what it held
    S = free_solver()
    fill_semicircle(S, eps=0.0)
    G_tau = S.G_tau
    S.solve(U=0.0, measure_G_tau=False, verbosity=0)
    assert S.G_tau is G_tau and not np.any(G_tau["up"].data)
    assert np.any(S.G_iw["up"].data) and np.any(S.Delta_tau["up"].data)  # the rest is there
    S.solve(U=0.0, verbosity=0)
    computed = G_tau["up"].data.copy()
    assert np.any(computed)
    fill_semicircle(S, eps=0.1)
    S.solve(U=0.0, measure_G_tau=False, verbosity=0)
    np.testing.assert_array_equal(G_tau["up"].data, computed)


def test_real_axis_input_delta_w():
    S = free_solver()
    w = S.mesh_w.points
    Delta_w = 0.25 * (2 * (w - np.sign(w) * np.sqrt(np.maximum(w**2 - 1, 0)) - 1j * np.sqrt(np.maximum(1 - w**2, 0))))
    for _, g in S.Delta_w:
        g.data[:, 0, 0] = Delta_w
    S.solve(U=0.0, eps_d=0.0)
    assert S.solve_report["input"] == "Delta_w"
    # G0_iw built from rho_Delta and G_iw from the same Sigma ~ 0: equal to the KK discretisation level
    assert np.abs(S.G_iw["up"].data - S.G0_iw["up"].data).max() < 1e-3
    expected = semicircle_gf_iw(S.mesh_iw.points, 1.0)  # U = 0 Bethe impurity: the semicircle itself
    assert np.abs(S.G_iw["up"].data[:, 0, 0] - expected).max() < 1e-3  # square-root band edges on a 0.01 mesh


def bethe_loop(S, U, mu, n_loops, D=1.0):
    """cthyb's single_site_bethe script (TRIQS fixture README) on the package's containers: they have no
    ``<<``, so G0^-1 = iw_n + mu - t^2 (G_up + G_dn)/2 is written on the data arrays."""
    t, iw = D / 2, S.mesh_iw.iw[:, None, None]
    for _, g in S.G_iw:
        g.data[:, 0, 0] = semicircle_gf_iw(S.mesh_iw.points, D)
    for _ in range(n_loops):
        G_avg = 0.5 * (S.G_iw["up"].data + S.G_iw["down"].data)
        for _, g0 in S.G0_iw:
            g0.data[:] = 1 / (iw + mu - t**2 * G_avg)
        with _no_check():
            S.solve(h_int=n_up_n_dn(U), n_cycles=5000, length_cycle=500, random_seed=567, measure_G_l=True)


def test_bethe_dmft_loop_at_u0_keeps_the_semicircle():
    # U = 0, mu = 0: the semicircle is the fixed point; each solve reproduces G0 to the U = 0 accuracy
    # (test_u0_gives_g0_on_both_axes), so two loops stay within twice that of the exact G
    S = free_solver()
    bethe_loop(S, U=0.0, mu=0.0, n_loops=2)
    assert np.abs(S.G_iw["up"].data[:, 0, 0] - semicircle_gf_iw(S.mesh_iw.points, 1.0)).max() < 4e-4


def test_bethe_dmft_loop_with_the_network(tiny_model):
    # U = 2.5, mu = U/2 + 0.2 as in cthyb's test; the tiny model is meaningless, so this checks that the
    # loop runs and the outputs are those of a causal, paramagnetic solution, not their values
    S = Solver(20.0, [("down", 1), ("up", 1)], n_iw=200, n_tau=401, model=tiny_model, containers="own")
    bethe_loop(S, U=2.5, mu=1.45, n_loops=1)
    assert S.last_solve_parameters["U"] == pytest.approx(2.5)
    assert "n_cycles" in S.ignored_parameters and "random_seed" in S.ignored_parameters
    for name in ("up", "down"):
        G = S.G_iw[name].data[:, 0, 0]
        assert np.all(np.isfinite(G)) and np.all(G[S.n_iw :].imag < 0)  # causal on w_n > 0
        np.testing.assert_array_equal(S.G_iw[name].data, S.G_iw["up"].data)  # paramagnetic
    assert S.G_l["up"].data.shape == (30, 1, 1) and np.all(np.isfinite(S.G_l["up"].data))


class _no_check:
    """Context manager that lets DomainWarnings of the tiny model pass (its training domain is tiny)."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", triqs_nnsolver.solver.DomainWarning)

    def __exit__(self, *exc):
        return self._catch.__exit__(*exc)


def test_cthyb_fixture_end_to_end(fixture_paths, tiny_model, tmp_path):
    with HDFArchive(str(fixture_paths["cthyb"]), "r") as ar:
        G0_iw = ar["G0_iw"]
    mesh = G0_iw.mesh
    S = Solver(mesh.beta, [("down", 1), ("up", 1)], n_iw=mesh.n_iw, n_tau=2001, model=tiny_model, containers="own")
    S.G0_iw = G0_iw  # replace the input object, as scripts may
    with _no_check():
        S.solve(h_int=n_up_n_dn(2.5, ("up", "down")), n_cycles=5000, move_double=False, perform_tail_fit=True)
    # the Delta_infty of the fixture is -mu = -1.45; the fit of the QMC-noisy G0 keeps it to rounding
    assert S.Delta_infty[0][0, 0].real == pytest.approx(-1.45, abs=1e-9)
    with HDFArchive(str(tmp_path / "results.h5"), "w") as ar:
        ar["G_iw"], ar["Sigma_w"], ar["G_tau"] = S.G_iw, S.Sigma_w, S.G_tau
        write_solver(ar, "solver", S)
    with HDFArchive(str(tmp_path / "results.h5"), "r") as ar:
        G_iw = ar["G_iw"]
        assert isinstance(G_iw, BlockGf) and G_iw.block_names == ["down", "up"] and G_iw.mesh == mesh
        np.testing.assert_array_equal(G_iw["up"].data, S.G_iw["up"].data)
        assert ar["Sigma_w"].mesh == MeshReFreq(-10.0, 10.0, 2001)
        assert ar.group["solver"].attrs["Format"] == "TriqsNNSolver"
        S2 = read_solver(ar, "solver")
    assert S2.beta == S.beta and S2.gf_struct == S.gf_struct and S2.model == S.model
    np.testing.assert_array_equal(S2.Sigma_iw["down"].data, S.Sigma_iw["down"].data)
    assert S2.last_solve_parameters["n_cycles"] == 5000


def _G0_on(mesh):
    return BlockGf(["up", "down"], [Gf.zeros(mesh) for _ in range(2)])


@pytest.mark.parametrize(
    ("gf_struct", "error", "message"),
    [
        ([("up", 2), ("down", 2)], NotImplementedError, "multi-orbital is not supported yet"),
        ([("up_0", 1), ("up_1", 1), ("dn_0", 1), ("dn_1", 1)], NotImplementedError, "exactly two blocks of size 1"),
        ([("up", 1), ("up", 1)], ValueError, "block names must be unique"),
        ([("up", 0), ("down", 1)], ValueError, "block 'up' must have size >= 1; got size 0"),
        ("up", ValueError, r"gf_struct must be a list of \(block_name: str, block_size: int\) pairs"),
    ],
)
def test_wrong_gf_struct_is_named(gf_struct, error, message):
    with pytest.raises(error, match=message):
        Solver(10.0, gf_struct, impurity_solver=FreeImpuritySolver(), containers="own")


def test_old_gf_struct_forms_are_accepted():
    for old in ([("up", [0]), ("down", [0])], {"up": [0], "down": [0]}):
        assert Solver(10.0, old, impurity_solver=FreeImpuritySolver(), containers="own").gf_struct == GF_STRUCT


@pytest.mark.parametrize("beta", [-1.0, 0.0, float("nan"), "ten"])
def test_bad_beta_is_named(beta):
    with pytest.raises(ValueError, match="beta must be a positive"):
        Solver(beta, GF_STRUCT, impurity_solver=FreeImpuritySolver(), containers="own")


def test_missing_model_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.pt"):
        Solver(10.0, GF_STRUCT, model=tmp_path / "missing.pt", containers="own")


def test_mismatched_mesh_is_named():
    S = free_solver()
    S.G0_iw = _G0_on(MeshImFreq(30.0, "F", 200))
    with pytest.raises(ValueError, match=r"S.G0_iw\['up'\] must be on the mesh MeshImFreq\(beta=20.0"):
        S.solve(U=0.0)


def test_nan_in_g0_iw_is_named():
    S = free_solver()
    fill_semicircle(S)
    S.G0_iw["down"].data[7, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r"S.G0_iw\['down'\] must be finite; got \(nan\+0j\) at data index 7"):
        S.solve(U=0.0)


def test_non_causal_hybridization_is_named():
    S = free_solver()
    fill_semicircle(S)
    for _, g in S.G0_iw:
        g.data[:] = g.data.conj()  # Im Delta(iw_n) > 0 for w_n > 0: a negative rho_Delta
    with pytest.raises(ValueError, match="is not causal"):
        S.solve(U=0.0)
    S = free_solver()
    for _, g in S.Delta_w:
        w = S.mesh_w.points  # a causal Gaussian bath with a negative dip at w = 3
        g.data[:, 0, 0] = -0.1j * np.exp(-(w**2)) + 0.05j * np.exp(-((w - 3) ** 2) / 0.01)
    with pytest.raises(ValueError, match=r"S.Delta_w is not causal: -Im Delta\(w\) / pi must be >= 0"):
        S.solve(U=0.0, eps_d=0.0)


def test_zero_input_and_missing_interaction_are_named():
    S = free_solver()
    with pytest.raises(ValueError, match="S.G0_iw is zero: set S.G0_iw before solve"):
        S.solve(U=0.0)
    fill_semicircle(S)
    with pytest.raises(ValueError, match="solve needs the interaction"):
        S.solve()


def test_unknown_parameter_is_reported():
    S = free_solver()
    fill_semicircle(S)
    with pytest.raises(TypeError, match=r"unknown parameters \['n_cycle'\].*'n_cycles'"):
        S.solve(U=0.0, n_cycle=100)


def test_unsupported_interaction_is_named():
    S = free_solver()
    fill_semicircle(S)
    spin_flip = Operator([(1.0, [(True, ("up", 0)), (False, ("down", 0))])])
    with pytest.raises(NotImplementedError, match="the model cannot represent .* supported: U n_up n_dn"):
        S.solve(h_int=spin_flip)


def test_spin_asymmetric_input_raises_unless_blocks_are_solved_separately():
    S = free_solver()
    fill_semicircle(S, eps=0.0)
    S.G0_iw["down"].data[:, 0, 0] = 1 / (S.mesh_iw.iw - 0.2 - 0.25 * semicircle_gf_iw(S.mesh_iw.points, 1.0))
    with pytest.raises(ValueError, match="the model is paramagnetic.*paramagnetic=False"):
        S.solve(U=0.0)
    S.solve(U=0.0, paramagnetic=False)
    assert S.Delta_infty[0][0, 0].real == pytest.approx(0.0, abs=1e-10)
    assert S.Delta_infty[1][0, 0].real == pytest.approx(0.2, abs=1e-10)
    assert S.densities["up"] > S.densities["down"]  # the down level lies higher


def test_h_int_one_body_terms_shift_the_level():
    # h_int = 0 * n_up n_dn + 0.3 (n_up + n_dn) is the U = 0 impurity at eps = 0.3: Sigma = 0.3 exactly
    S = free_solver()
    fill_semicircle(S)
    shift = Operator([(0.3, [(True, (b, 0)), (False, (b, 0))]) for b in ("up", "down")])
    S.solve(h_int=shift)
    # the constant shift of Sigma_iw, up to the KK discretisation error as in the U = 0 test
    assert np.abs(S.Sigma_iw["up"].data - 0.3).max() < 1e-3


def test_shipped_model_solves_the_bethe_impurity():
    pytest.importorskip("torch", reason="the network path needs torch")
    from triqs_nnsolver.runtime import default_model_path

    try:
        default_model_path()
    except FileNotFoundError as err:
        pytest.skip(f"no shipped model yet: {err}")
    S = Solver(20.0, GF_STRUCT, n_iw=200, n_tau=401)  # the default model
    bethe_loop(S, U=2.0, mu=1.0, n_loops=1)  # half filling, inside any sensible training domain
    # particle-hole symmetry: n = 1/2 up to the model's accuracy (a few percent for a trained model)
    assert S.densities["up"] == pytest.approx(0.5, abs=0.05)


def test_solve_report_carries_the_domain_distance(tiny_model):
    S = Solver(20.0, GF_STRUCT, model=tiny_model, containers="own", **SMALL)
    fill_semicircle(S)
    S.solve(U=1.0)
    distances = S.solve_report["domain_distance"]  # one per distinct block solve (spin-symmetric: one)
    assert distances and all(d is not None and d >= 0 for d in distances)
    free = free_solver()
    fill_semicircle(free)
    free.solve(U=0.0)
    assert set(free.solve_report["domain_distance"]) == {None}  # no model, no domain
