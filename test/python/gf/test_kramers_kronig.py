"""Tests of triqs_nnsolver.gf.kramers_kronig against closed forms and independent quadratures."""

import numpy as np
import pytest
from scipy import integrate

from triqs_nnsolver.gf import (
    hilbert_transform,
    make_nonuniform_refreq,
    retarded_from_spectral,
    semicircle_dos,
    semicircle_gf,
)

EPS = np.finfo(float).eps

# a small piecewise-linear spectral function on a non-uniform grid, non-zero at one end on purpose
W_PL = np.array([-2.0, -0.7, -0.05, 0.3, 1.0, 2.5])
A_PL = np.array([0.0, 0.5, 0.2, 0.4, 0.3, 0.1])


def _pl(x):
    return np.interp(x, W_PL, A_PL, left=0.0, right=0.0)


def test_principal_value_exact_for_piecewise_linear():
    G = retarded_from_spectral(W_PL, A_PL)
    # independent reference:
    #   PV int A/(w_i - w') = int (A(w') - A(w_i))/(w_i - w') + A(w_i) log((w_i - w_0)/(w_N - w_i));
    # the first integrand is bounded, quad resolves it to ~1e-14. The end points are excluded: A_N != 0 makes
    # Re G diverge logarithmically at w_N (the function returns the finite part there).
    for i in range(1, W_PL.size - 1):
        wi, Ai = W_PL[i], A_PL[i]
        smooth, _ = integrate.quad(
            lambda x, wi=wi, Ai=Ai: (_pl(x) - Ai) / (wi - x), W_PL[0], W_PL[-1], points=W_PL[1:-1], epsabs=1e-14
        )
        expected = smooth + Ai * np.log((wi - W_PL[0]) / (W_PL[-1] - wi))
        assert G[i].real == pytest.approx(expected, abs=1e-12)
    # Im G = -pi A is exact by construction
    np.testing.assert_array_equal(G.imag, -np.pi * A_PL)
    # at w_N, where A_N != 0 makes the true value diverge, the finite part is returned
    assert np.all(np.isfinite(G))


@pytest.mark.parametrize(
    "n_w, tol_edge, tol_inner",
    # semicircle: A_lin misses sqrt(h)-size weight in the last bins, so the error is O(h^0.5) at w = +-D
    # and O(h^1.5) inside; measured 6.5e-2 / 6.3e-4 (400) and 2.9e-2 / 4.9e-5 (2000); bounds 1.3x that
    [(400, 0.085, 8.5e-4), (2000, 0.038, 7e-5)],
)
def test_semicircle_uniform_grid(n_w, tol_edge, tol_inner):
    w = np.linspace(-1.0, 1.0, n_w)
    error = np.abs(retarded_from_spectral(w, semicircle_dos(w, 1.0)) - semicircle_gf(w, 1.0))
    assert error.max() < tol_edge
    assert error[np.abs(w) < 0.9].max() < tol_inner


def test_semicircle_nonuniform_grid():
    w = make_nonuniform_refreq(w_max=4.0, n_w=800, w_scale=0.5).points
    error = np.abs(retarded_from_spectral(w, semicircle_dos(w, 1.0)) - semicircle_gf(w, 1.0))
    # same O(h^0.5) edge / O(h^1.5) interior errors as on a uniform grid; measured 5.5e-2 and 4.6e-4
    assert error.max() < 0.07
    assert error[np.abs(w) < 0.9].max() < 6e-4
    # outside the band A = 0 and G is real: agreement limited by the same edge error, decaying with distance
    assert error[np.abs(w) > 2].max() < 2e-4


def test_lorentzian_on_wide_nonuniform_grid():
    eta, e = 0.1, 0.3
    errors = {}
    for n_w in (1000, 2000):
        w = make_nonuniform_refreq(w_max=50.0, n_w=n_w, w_scale=0.5).points
        A = eta / np.pi / ((w - e) ** 2 + eta**2)
        G = retarded_from_spectral(w, A)
        np.testing.assert_array_equal(G.imag, -np.pi * A)  # exact, as for the Lorentzian's own G
        inner = np.abs(w) < 5
        error = np.abs(G - 1 / (w - e + 1j * eta))
        errors[n_w] = (error[inner].max(), error[inner & (np.abs(w - e) > 1)].max())
    # discretisation: O((h / eta)^2 / eta) at the peak, h = 3.1e-3 there on 2000 points; measured 1.28e-3
    assert errors[2000][0] < 1.6e-3
    # ... and it is the O(h^2) interpolation error: halving h divides it by 4 (measured 4.0 and 3.6)
    assert 3.3 < errors[1000][0] / errors[2000][0] < 4.5
    # away from the peak: discretisation (measured 8.8e-6) plus the truncated tails beyond |w| = 50,
    # whose contributions int_{|w'|>50} A/(w - w') nearly cancel: <= 1e-6 for |w| < 5 (scipy quad)
    assert errors[2000][1] < 1.2e-5


def test_matrix_valued_and_trailing_axes():
    rng = np.random.default_rng(7)
    w = np.linspace(-3, 3, 60) + rng.uniform(-0.02, 0.02, 60)  # non-uniform, spacings 0.06 to 0.14
    A = rng.uniform(0, 1, (60, 2, 2)) + 1j * rng.uniform(-0.1, 0.1, (60, 2, 2))
    G = retarded_from_spectral(w, A)
    assert G.shape == (60, 2, 2)
    # linear map: per-entry and batched transforms differ by rounding only, bounded by
    # eps * sum_j |s_j - s_{j-1}| * max |x log|x||: random data have slope jumps ~10 on 60 points -> 1.5e-12
    slopes = np.diff(A, axis=0) / np.diff(w)[:, None, None]
    bound = EPS * np.abs(np.diff(slopes, axis=0)).sum(axis=0).max() * 6 * np.log(6)
    for i, j in np.ndindex(2, 2):
        np.testing.assert_allclose(G[:, i, j], retarded_from_spectral(w, A[:, i, j]), rtol=0, atol=bound)
    z = np.array([0.2 + 0.3j, 5 - 2j])
    F = hilbert_transform(w, A, z)
    assert F.shape == (2, 2, 2)
    np.testing.assert_allclose(F[:, 1, 0], hilbert_transform(w, A[:, 1, 0], z), rtol=1e-13)


def _per_bin_reference(mp, w, A, z):
    """Per-bin closed form int (a + b w')/(z - w') dw' summed in 40-digit arithmetic (mpmath)."""
    mp.mp.dps = 40
    out = []
    for zz in z:
        zz, total = mp.mpc(zz), mp.mpc(0)
        for j in range(len(w) - 1):
            a, b = mp.mpf(w[j]), mp.mpf(w[j + 1])
            slope = (mp.mpf(A[j + 1]) - mp.mpf(A[j])) / (b - a)
            total += (A[j] + slope * (zz - a)) * (mp.log(zz - a) - mp.log(zz - b)) - slope * (b - a)
        out.append(complex(total))
    return np.array(out)


@pytest.mark.parametrize("case", ["semicircle", "narrow_lorentzian"])
def test_hilbert_transform_rounding_error(case):
    mp = pytest.importorskip("mpmath")
    if case == "semicircle":
        w = np.linspace(-1.0, 1.0, 200)
        A = semicircle_dos(w, 1.0)
    else:  # sharp peak on a wide grid: large slope jumps, the hardest case for cancellation
        w = make_nonuniform_refreq(w_max=10.0, n_w=300, w_scale=0.5).points
        A = 0.02 / np.pi / ((w - 0.3) ** 2 + 0.02**2)
    W = 0.5 * (w[-1] - w[0])
    # near the axis, around the switch to the moment expansion at |z| = 4 W, and far away
    z = np.array([0.3 + 0.01j, -0.2 - 0.1j, 0.1j, 2j, 3.9j * W, 4.1j * W, 1 + 10j * W, 300j, 3000j])
    F = hilbert_transform(w, A, z)
    reference = _per_bin_reference(mp, w, A, z)
    # exact for piecewise-linear data: only float64 rounding, measured <= 3.5e-14 relative (largest just inside 4 W)
    np.testing.assert_allclose(F, reference, rtol=1e-12)


def test_hilbert_transform_limits():
    w = make_nonuniform_refreq(w_max=3.0, n_w=400, w_scale=0.5).points
    A = semicircle_dos(w, 1.0)
    z = np.array([0.3, -0.8, 2.0]) + 0.4j
    F = hilbert_transform(w, A, z)
    np.testing.assert_allclose(hilbert_transform(w, A, z.conj()), F.conj(), rtol=1e-14)
    assert np.all(F.imag < 0)
    # approach to the real axis: G(w + i eta) - G(w + i0) = O(eta log eta) for piecewise-linear A
    eta = 1e-9
    G_axis = retarded_from_spectral(w, A)
    idx = np.arange(20, 380, 40)
    F_axis = hilbert_transform(w, A, w[idx] + 1j * eta)
    np.testing.assert_allclose(F_axis, G_axis[idx], rtol=0, atol=1e-6)


def test_kk_of_semicircle_matches_its_hilbert_transform_off_axis():
    w = np.linspace(-1.0, 1.0, 2000)
    z = np.array([0.5 + 0.2j, -0.9 + 0.5j, 3j])
    # off the axis the error is dominated by the weight A_lin misses at the sqrt edges, O(h^1.5):
    # int A_lin - 1 = -1.2e-5 on 2000 points, seen as ~1.2e-5 / |z - (+-1)|; measured 1.2e-5
    F = hilbert_transform(w, semicircle_dos(w, 1.0), z)
    np.testing.assert_allclose(F, semicircle_gf(z, 1.0), rtol=0, atol=2e-5)


def test_invalid_input_names_the_argument():
    w = np.linspace(-1, 1, 5)
    with pytest.raises(ValueError, match="w must be strictly increasing"):
        retarded_from_spectral(w[::-1], np.ones(5))
    with pytest.raises(ValueError, match=r"A must have shape \(n_w, ...\)"):
        retarded_from_spectral(w, np.ones(4))
    with pytest.raises(ValueError, match="A must be a finite"):
        retarded_from_spectral(w, np.array([0, 1, np.nan, 1, 0]))
    with pytest.raises(ValueError, match="w must be a 1-D"):
        retarded_from_spectral(np.ones((2, 2)), np.ones(2))
    with pytest.raises(ValueError, match="z must be off the real axis"):
        hilbert_transform(w, np.ones(5), np.array([0.1j, 0.5]))
    with pytest.raises(ValueError, match="rho must have shape"):
        hilbert_transform(w, np.ones(6), 1j)


def test_hilbert_transform_upper_on_and_off_the_axis():
    """Issue 14: one transform for the closed upper half-plane, real z as z + i0+ (a lattice's G(w + mu - Sigma))."""
    from triqs_nnsolver.gf import hilbert_transform_upper

    # off the axis it is hilbert_transform (the same piecewise-linear integral, rounding only: measured 5e-15)
    z = np.array([0.1 + 0.5j, -3 + 0.01j, 0.3 + 1j, 7 + 2j, 30 + 1j])
    np.testing.assert_allclose(hilbert_transform_upper(W_PL, A_PL, z), hilbert_transform(W_PL, A_PL, z), atol=1e-13)
    # on the grid it is retarded_from_spectral (measured 1.4e-13 for 2001 points)
    w = np.linspace(-1.0, 1.0, 2001)
    rho = semicircle_dos(w, 1.0)
    np.testing.assert_allclose(hilbert_transform_upper(w, rho, w), retarded_from_spectral(w, rho), atol=1e-12)
    # between grid points, at the grid's centre (where hilbert_transform's series overflows as Im z -> 0+), with
    # Im z = -0.0, outside the band and far outside: the semicircle within the grid's interpolation error (measured
    # 3.6e-5 at 0.85, 1.1e-5 at 1.7; the bound of test_semicircle_uniform_grid inside |w| < 0.9, 7e-5)
    x = np.array([0.0, 0.00025, -0.5003, 0.85, 1.7, -3.0, 50.0]) + 0j
    x[2] = complex(x[2].real, -0.0)
    F = hilbert_transform_upper(w, rho, x)
    np.testing.assert_allclose(F, semicircle_gf(x.real, 1.0), atol=7e-5)
    assert np.all(F.imag <= 0) and F[0].imag == pytest.approx(-2.0, abs=1e-6)
    # continuity from above at the centre: Im z = 1e-12 changes G by O(1e-12)
    assert abs(hilbert_transform_upper(w, rho, 1e-12j)[()] - F[0]) < 1e-9


def test_hilbert_transform_upper_rejects_the_lower_half_plane():
    from triqs_nnsolver.gf import hilbert_transform_upper

    with pytest.raises(ValueError, match=r"closed upper half-plane \(Im z >= 0\); got z\[1\]"):
        hilbert_transform_upper(W_PL, A_PL, np.array([0.1j, 0.2 - 1e-3j]))
