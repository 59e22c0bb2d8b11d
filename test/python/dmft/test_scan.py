"""U scans: order, starts, continuation from the previous point, the scan archive and plot."""

import numpy as np
import pytest

from triqs_nnsolver.dmft import BetheDMFTConfig, plot_scan, run_u_scan, scan_values, write_scan_archive
from triqs_nnsolver.h5 import HDFArchive


def test_scan_values_order_and_errors():
    np.testing.assert_array_equal(scan_values([2.0, 1.0, 2.0, 3.0], "up"), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(scan_values([2.0, 1.0, 3.0], "down"), [3.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="direction must be one of \\('up', 'down'\\); got direction = 'left'"):
        scan_values([1.0], "left")
    with pytest.raises(ValueError, match="U_values must be finite and >= 0; got \\[-1.0"):
        scan_values([-1.0, 1.0], "up")


def test_scan_continues_from_the_previous_point(hartree_solver, tmp_path):
    config = BetheDMFTConfig(tol=3e-3, n_iw=20)
    results = run_u_scan(hartree_solver, [0.0, 1.0, 2.0], config, direction="up")
    assert [r.config.U for r in results] == [0.0, 1.0, 2.0]
    assert all(r.converged for r in results)
    # Hartree at half filling: the same semicircle for every U, so each point after the first starts at its
    # own fixed point and converges at once; its first change is below the first point's one-step KK error.
    assert results[1].history["change"][0] < results[0].history["change"][0]
    assert [r.config.start for r in results] == ["metal"] * 3

    path = write_scan_archive(tmp_path / "scan.h5", results, "up")
    with HDFArchive(str(path), "r") as ar:
        assert ar["scan"]["direction"] == "up"
        np.testing.assert_array_equal(ar["scan"]["U"], [0.0, 1.0, 2.0])
        assert set(ar["scan"]) >= {"U", "Z", "A0", "density", "converged", "n_iter", "eps_d"}
        assert {"point_000", "point_001", "point_002"} <= set(ar)
        assert ar["point_002"]["results"]["U"] == 2.0
        assert ar["point_001"]["A_w"].block_names == ["up", "down"]
    assert plot_scan(results, tmp_path / "scan.png", "up").stat().st_size > 10_000


def test_scan_down_starts_insulating(hartree_solver):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = run_u_scan(hartree_solver, [1.0, 2.0], BetheDMFTConfig(max_iter=1), direction="down")
    assert [r.config.U for r in results] == [2.0, 1.0]
    assert results[0].config.start == "insulator"
