"""Reading the six TRIQS-written archives: every object reads, with the meshes, sizes and block orders of
``test/fixtures/triqs/README.md``."""

import warnings

import numpy as np
import pytest

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
)
from triqs_nnsolver.h5 import HDFArchiveGroup, Operator, UnknownFormatWarning


def read_all(archive):
    """Read every key of an archive, descending into sub-archives; returns nested dicts."""
    content = {}
    for key in archive.keys():
        value = archive[key]
        content[key] = read_all(value) if isinstance(value, HDFArchiveGroup) else value
    return content


@pytest.mark.parametrize("name", ["cthyb", "ctint", "ctseg", "hubbardI", "nrg"])
def test_every_object_reads_without_warning(open_fixture, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        content = read_all(open_fixture(name))
    assert content


def test_solid_dmft_whole_archive_reads_with_one_warning_for_block_structure(open_fixture):
    with pytest.warns(UnknownFormatWarning) as record:
        content = read_all(open_fixture("solid_dmft"))
    assert len(record) == 1
    message = str(record[0].message)
    assert "'BlockStructure'" in message and "'/DMFT_input/block_structure'" in message
    block_structure = content["DMFT_input"]["block_structure"]
    assert block_structure["gf_struct_solver"][0] == {f"{s}_{i}": 1 for s in ("up", "down") for i in range(3)}
    assert block_structure["gf_struct_sumk"][0] == [("up", 3), ("down", 3)]


def assert_block_gf(value, names, mesh, target_shape=(1, 1), dtype=complex):
    assert isinstance(value, BlockGf)
    assert value.block_names == names
    for _, gf in value:
        assert gf.mesh == mesh
        assert gf.data.shape == tuple(mesh.shape) + target_shape
        assert gf.data.dtype == dtype


def test_cthyb_meshes_and_blocks(open_fixture):
    ar = open_fixture("cthyb")
    blocks = ["down", "up"]
    iw = MeshImFreq(80, "F", 1025)
    assert len(iw) == 2050
    for key in ("G0_iw", "G_iw", "G_iw_raw", "Sigma_iw", "Sigma_iw_raw"):
        assert_block_gf(ar[key], blocks, iw)
    for key in ("G_tau", "Delta_tau"):
        assert_block_gf(ar[key], blocks, MeshImTime(80, "F", 8001))
    assert_block_gf(ar["G_l"], blocks, MeshLegendre(80, "F", 30))
    delta_infty = ar["Delta_infty"]
    assert isinstance(delta_infty, list) and len(delta_infty) == 2
    # the stored value is -1.45000000000109: -mu up to the tail-fit error 1.1e-12
    np.testing.assert_allclose(delta_infty, -1.45, atol=2e-12)


def test_ctint_block_gf_block2_gf_and_product_meshes(open_fixture):
    ar = open_fixture("ctint")
    assert_block_gf(ar["G0_iw"], ["dn", "up"], MeshImFreq(10, "F", 200))
    assert len(ar["G_iw"]["up"].mesh) == 400
    bosonic_iw = MeshImFreq(10, "B", 10)
    assert len(bosonic_iw) == 19
    chi_ab = ar["chiAB_iw"]
    assert isinstance(chi_ab, Gf) and chi_ab.mesh == bosonic_iw and chi_ab.data.shape == (19, 1, 1)
    expected = {
        "G2_iw": MeshProduct([MeshImFreq(10, "F", 5)] * 3),
        "chi2pp_iw": bosonic_iw,
        "chi2ph_iw": bosonic_iw,
        "chi3pp_iw": MeshProduct([bosonic_iw, MeshImFreq(10, "F", 10)]),
        "chi3ph_iw": MeshProduct([bosonic_iw, MeshImFreq(10, "F", 10)]),
        "chi3xph_iw": MeshProduct([bosonic_iw, MeshImFreq(10, "F", 10)]),
        "chi2pp_tau_from_M3": MeshImTime(10, "B", 81),
        "chi2ph_tau_from_M3": MeshImTime(10, "B", 81),
        "chi2xph_tau_from_M3": MeshImTime(10, "B", 81),
    }
    for key, mesh in expected.items():
        value = ar[key]
        assert isinstance(value, Block2Gf), key
        assert value.block_names1 == value.block_names2 == ["dn", "up"]
        assert [pair for pair, _ in value] == [("dn", "dn"), ("dn", "up"), ("up", "dn"), ("up", "up")]
        for _, gf in value:
            assert gf.mesh == mesh, key
            assert gf.data.shape == tuple(mesh.shape) + (1, 1, 1, 1), key


def test_ctseg_block2_gf_and_dicts(open_fixture):
    ar = open_fixture("ctseg")
    tau = MeshImTime(10, "F", 2051)
    assert_block_gf(ar["G_tau"], ["down", "up"], tau)
    assert_block_gf(ar["F_tau"], ["down", "up"], tau)
    nn_tau = ar["nn_tau"]
    assert isinstance(nn_tau, Block2Gf) and nn_tau["up", "down"].mesh == MeshImTime(10, "B", 2001)
    densities = ar["densities"]
    assert sorted(densities) == ["down", "up"]
    # README quotes 4 decimals: up ~ 0.5147, down ~ 0.5214 (rounding bound 5e-5)
    np.testing.assert_allclose(densities["up"], [0.5147], atol=5e-5)
    np.testing.assert_allclose(densities["down"], [0.5214], atol=5e-5)
    nn = ar["nn"]
    assert sorted(nn) == ["('down', 'down')", "('down', 'up')", "('up', 'down')", "('up', 'up')"]
    assert nn["('down', 'up')"].shape == (1, 1)
    # n_down n_down = n_down for fermions; both numbers come from the same QMC run, so only summation
    # order differs: float64 rounding, a few eps of 0.52
    np.testing.assert_allclose(nn["('down', 'down')"][0, 0], densities["down"][0], rtol=1e-13)


def test_hubbard_i_legacy_2x_layout(open_fixture):
    g_w = open_fixture("hubbardI")["G_w"]
    assert_block_gf(g_w, ["up", "down"], MeshReFreq(-15, 15, 20))
    np.testing.assert_array_equal(g_w.mesh.points, np.linspace(-15, 15, 20))


def test_nrg_point_mesh(open_fixture):
    ar = open_fixture("nrg")
    for key in ("A_w", "G_w", "F_w", "Sigma_w"):
        value = ar[key]
        assert value.block_names == ["imp"]
        mesh = value["imp"].mesh
        assert isinstance(mesh, MeshReFreqPts) and len(mesh) == 146
        assert mesh.points[0] == -1.0 and mesh.points[-1] == 1.0
        np.testing.assert_array_equal(mesh.points, -mesh.points[::-1])
        # README: |w| goes down to 1.05e-3 (quoted to 3 digits)
        assert abs(np.abs(mesh.points).min() - 1.05e-3) < 5e-6


def test_solid_dmft_last_iter(open_fixture):
    last_iter = open_fixture("solid_dmft")["DMFT_results"]["last_iter"]
    blocks = [f"{s}_{i}" for s in ("up", "down") for i in range(3)]
    meshes = {"Refreq": MeshReFreq(-10, 10, 501), "freq": MeshImFreq(40, "F", 501), "time": MeshImTime(40, "F", 10001)}
    for key in (
        "G0_Refreq_0",
        "Gimp_Refreq_0",
        "Sigma_Refreq_0",
        "G0_freq_0",
        "Gimp_freq_0",
        "Sigma_freq_0",
        "Gimp_time_0",
        "Delta_time_0",
    ):
        assert_block_gf(last_iter[key], blocks, meshes[key.split("_")[1]])
    assert not np.any(last_iter["G0_Refreq_0"]["up_0"].data)  # hubbardI never fills G0_w (README gotcha)
    assert last_iter["chemical_potential_pre"] == 0.00612
    assert isinstance(last_iter["chemical_potential_post"], float)
    dens_mat = last_iter["dens_mat_post"]
    assert isinstance(dens_mat, list) and sorted(dens_mat[0]) == sorted(blocks)
    assert dens_mat[0]["up_0"].shape == (1, 1) and dens_mat[0]["up_0"].dtype == complex


def test_solid_dmft_inputs_operator_and_legacy_part(open_fixture):
    ar = open_fixture("solid_dmft")
    dmft_input = ar["DMFT_input"]
    general = dmft_input["general_params"]
    assert general["calc_energies"] is True and general["csc"] is False
    assert general["n_iw"] == 501 and general["w_range"] == (-10.0, 10.0) and general["solver_type"] == "hubbardI"
    assert dmft_input["version"]["triqs_version"] == "3.2.0"
    assert isinstance(dmft_input["solver"], HDFArchiveGroup) and len(dmft_input["solver"]) == 0
    (h_int,) = dmft_input["h_int"]
    assert isinstance(h_int, Operator) and len(h_int.terms) == 27
    stored_order = ["down_0", "down_1", "down_2", "up_0", "up_2", "up_1"]  # note up_2 before up_1, as stored
    assert h_int.fundamental_operator_set == tuple((name, 0) for name in stored_order)
    # first record: op_indices [1, 2, -2, -1], re = 6.05 = U - 3J, the same-spin inter-orbital Kanamori
    # term for U = 8, J = 0.65; rel 1e-15 bounds the rounding of 8 - 3 * 0.65 in float64
    coefficient, monomial = h_int.terms[0]
    assert coefficient == pytest.approx(6.05, rel=1e-15)
    assert monomial == ((True, ("down_0", 0)), (True, ("down_1", 0)), (False, ("down_1", 0)), (False, ("down_0", 0)))
    dft_input = ar["dft_input"]  # TRIQS 2.x layout: PythonListWrap / PythonDictWrap, int64 __complex__
    assert dft_input["hopping"].shape == (729, 1, 5, 5) and dft_input["hopping"].dtype == complex
    assert dft_input["proj_mat"].shape == (729, 1, 1, 3, 5)
    assert dft_input["corr_shells"][0] == {"SO": 0, "atom": 2, "dim": 3, "irep": 0, "l": 2, "sort": 1}
    assert dft_input["dft_code"] == "vasp"
