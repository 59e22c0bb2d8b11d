"""Tests of triqs_nnsolver.gf.mesh and .container: TRIQS index conventions, the non-uniform grid, containers."""

import numpy as np
import pytest

import triqs_nnsolver.gf as gf
from triqs_nnsolver.gf import (
    Block2Gf,
    BlockGf,
    Gf,
    MeshImFreq,
    MeshImTime,
    MeshLegendre,
    MeshProduct,
    MeshReFreq,
    MeshReFreqPts,
    make_nonuniform_refreq,
)


def test_matsubara_fermionic_convention():
    mesh = MeshImFreq(beta=10.0, statistic="Fermion", n_iw=4)
    assert mesh.statistic == "F" and len(mesh) == 8 and mesh.shape == (8,)
    np.testing.assert_array_equal(mesh.indices, [-4, -3, -2, -1, 0, 1, 2, 3])
    # w_n = (2n+1) pi / beta: computed by one product and one division, exact to rounding
    np.testing.assert_allclose(mesh.points, (2 * np.arange(-4, 4) + 1) * np.pi / 10.0, rtol=1e-15)
    np.testing.assert_array_equal(mesh.iw, 1j * mesh.points)
    np.testing.assert_array_equal(mesh.points[:4], -mesh.points[:3:-1])  # symmetric: w_{-n-1} = -w_n
    assert mesh == MeshImFreq(10.0, "F", 4)


def test_matsubara_bosonic_convention():
    mesh = MeshImFreq(beta=2.0, statistic="B", n_iw=3)
    assert len(mesh) == 5
    np.testing.assert_array_equal(mesh.indices, [-2, -1, 0, 1, 2])
    np.testing.assert_allclose(mesh.points, np.arange(-2, 3) * np.pi, rtol=1e-15)


def test_real_frequency_time_and_legendre_meshes():
    mesh = MeshReFreq(-2.0, 2.0, 5)
    np.testing.assert_array_equal(mesh.points, [-2, -1, 0, 1, 2])  # both ends included, as TRIQS
    tau = MeshImTime(beta=5.0, statistic="F", n_tau=6)
    np.testing.assert_array_equal(tau.points[[0, -1]], [0.0, 5.0])  # 0 and beta included
    assert len(MeshLegendre(5.0, "F", 30)) == 30
    assert MeshProduct((mesh, tau)).shape == (5, 6)


def test_nonuniform_grid_is_symmetric_without_zero():
    mesh = make_nonuniform_refreq(w_max=10.0, n_w=400, w_scale=0.3)
    w = mesh.points
    assert w.size == 400 and np.all(np.diff(w) > 0)
    np.testing.assert_array_equal(w, -w[::-1])  # exactly antisymmetric by construction
    assert w[0] == -10.0 and w[-1] == 10.0
    assert not np.any(w == 0)  # METHOD.md section 2: no grid point at w = 0
    steps = np.diff(w)
    assert steps[199] < steps[0] / 10  # dense near 0, sparse at the ends


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"w_max": 5.0, "n_w": 401, "w_scale": 0.5}, "n_w must be even"),
        ({"w_max": 5.0, "n_w": 1, "w_scale": 0.5}, "n_w must be an integer >= 2"),
        ({"w_max": -5.0, "n_w": 400, "w_scale": 0.5}, "w_max must be a positive real number"),
        ({"w_max": 5.0, "n_w": 400, "w_scale": 0.0}, "w_scale must be a positive real number"),
    ],
)
def test_nonuniform_grid_errors_name_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_nonuniform_refreq(**kwargs)


def test_mesh_errors_name_the_argument():
    with pytest.raises(ValueError, match="beta must be a positive real number; got beta = -1.0"):
        MeshImFreq(-1.0, "F", 10)
    with pytest.raises(ValueError, match="statistic must be one of"):
        MeshImFreq(1.0, "X", 10)
    with pytest.raises(ValueError, match="n_iw must be an integer >= 1"):
        MeshImFreq(1.0, "F", 0)
    with pytest.raises(ValueError, match="w_max must be larger than w_min"):
        MeshReFreq(1.0, -1.0, 10)
    with pytest.raises(ValueError, match=r"strictly increasing; got points\[1\] = 1.0 >= points\[2\] = 1.0"):
        MeshReFreqPts([0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"points must be finite; got non-finite values at indices \[1\]"):
        MeshReFreqPts([0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="n_w must be an integer >= 2; got n_w = 10.5"):
        MeshReFreq(-1.0, 1.0, 10.5)
    with pytest.raises(ValueError, match="name_list must name at least one block"):
        BlockGf([], [])


def test_refreqpts_equality_and_read_only_points():
    a = MeshReFreqPts([-1.0, 0.5, 2.0])
    assert a == MeshReFreqPts(np.array([-1.0, 0.5, 2.0])) and hash(a) == hash(MeshReFreqPts([-1.0, 0.5, 2.0]))
    assert a != MeshReFreqPts([-1.0, 0.6, 2.0])
    with pytest.raises(ValueError):
        a.points[0] = 3.0


def test_gf_shape_check():
    mesh = MeshImFreq(1.0, "F", 3)
    g = Gf.zeros(mesh, (2, 2))
    assert g.data.shape == (6, 2, 2) and g.target_shape == (2, 2) and g.data.dtype == complex
    with pytest.raises(ValueError, match=r"data must have shape \(\*mesh.shape, \*target_shape\)"):
        Gf(mesh, np.zeros((5, 2, 2)))


def test_blockgf_order_iteration_and_gf_struct():
    mesh = MeshImFreq(1.0, "F", 3)
    G = BlockGf.from_gf_struct(mesh, [("up", 2), ("down", 1)])
    assert G.block_names == ["up", "down"] == G.indices  # order of gf_struct kept
    assert [name for name, _ in G] == ["up", "down"]  # iteration yields (name, gf) in order, as TRIQS
    assert G["up"].data.shape == (6, 2, 2) and G["down"].data.shape == (6, 1, 1)
    assert len(G) == 2 and "up" in G and G.mesh == mesh
    copy = G.copy()
    copy["up"].data[0, 0, 0] = 1.0
    assert G["up"].data[0, 0, 0] == 0  # deep copy
    with pytest.raises(KeyError, match="no block 'dn'"):
        G["dn"]
    with pytest.raises(ValueError, match="name_list must be unique"):
        BlockGf(["up", "up"], [Gf.zeros(mesh), Gf.zeros(mesh)])
    with pytest.raises(ValueError, match="'block_names' is reserved"):
        BlockGf(["block_names"], [Gf.zeros(mesh)])
    with pytest.raises(TypeError, match="block 'up' must be a Gf"):
        BlockGf(["up"], [np.zeros((6, 1, 1))])


def test_block2gf_indexing():
    mesh = MeshImFreq(1.0, "B", 2)
    blocks = [[Gf.zeros(mesh, (1, 1), name=f"{a}{b}") for b in ("u", "d")] for a in ("u", "d")]
    G2 = Block2Gf(["u", "d"], ["u", "d"], blocks)
    assert G2["d", "u"].name == "du" and len(G2) == 4
    with pytest.raises(ValueError, match="block_list must be a 2 x 2 nested list"):
        Block2Gf(["u", "d"], ["u", "d"], blocks[:1])


def test_package_exports():
    for name in gf.__all__:
        assert hasattr(gf, name), name
    for module in (gf.bethe, gf.dyson, gf.kramers_kronig, gf.matsubara, gf.moments):
        assert set(module.__all__) <= set(gf.__all__), module.__name__
