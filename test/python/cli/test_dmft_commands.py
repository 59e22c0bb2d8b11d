"""The ``bethe`` and ``bethe-scan`` subcommands: outputs, summary, exit statuses, argument errors."""

import argparse

import pytest

from triqs_nnsolver.cli import main
from triqs_nnsolver.cli.dmft_commands import EXIT_NOT_CONVERGED, parse_U_values
from triqs_nnsolver.h5 import HDFArchive


def test_parse_U_values():
    assert parse_U_values("0:1:0.25") == (0.0, 0.25, 0.5, 0.75, 1.0)  # both ends included
    assert parse_U_values("0:4:0.25")[-1] == 4.0 and len(parse_U_values("0:4:0.25")) == 17
    assert parse_U_values("1,2.5") == (1.0, 2.5)
    for bad in ("1:0:0.5", "0:1:0", "a,b", "0:1"):
        with pytest.raises(argparse.ArgumentTypeError, match="start:stop:step"):
            parse_U_values(bad)


def test_bethe_u0_writes_archive_plot_and_summary(tmp_path, capsys):
    out = tmp_path / "run" / "u0.h5"
    status = main(["bethe", "--U", "0", "--solver", "free", "--tol", "3e-3", "--n-iw", "50", "--out", str(out)])
    assert status == 0
    printed = capsys.readouterr().out
    assert "converged in 1 iterations" in printed and "A(0) = 0.63" in printed and "Z = " in printed
    assert str(out) in printed and str(out.with_suffix(".png")) in printed
    assert out.with_suffix(".png").stat().st_size > 10_000
    with HDFArchive(str(out), "r") as ar:
        assert ar["results"]["converged"] and ar["results"]["n_iter"] == 1


def test_bethe_not_converged_has_its_own_exit_status(tmp_path, capsys):
    out = tmp_path / "nc.h5"
    argv = ["bethe", "--U", "0", "--solver", "free", "--density", "0.7", "--max-iter", "1", "--tol", "1e-9"]
    with pytest.warns(UserWarning, match="not converged"):
        status = main([*argv, "--n-w", "800", "--out", str(out), "--no-plot", "--no-progress"])
    assert status == EXIT_NOT_CONVERGED
    assert "NOT converged after 1 iterations" in capsys.readouterr().out
    assert not out.with_suffix(".png").exists()
    with HDFArchive(str(out), "r") as ar:
        assert not ar["results"]["converged"]
        assert len(ar["history"]["change"]) == 1


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--U", "2", "--solver", "free"], ["--solver free", "U = 0", "--U 2"]),
        (["--U", "0", "--n-w", "11"], ["n_w", "even", "11"]),
        (["--U", "-1"], ["U", "-1"]),
        (["--U", "0", "--density", "3"], ["density", "3"]),
    ],
)
def test_bethe_bad_arguments_name_the_argument(argv, words, tmp_path, capsys):
    assert main(["bethe", *argv, "--out", str(tmp_path / "x.h5"), "--no-progress"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("triqs-nnsolver bethe: error:")
    for word in words:
        assert word in error
    assert not (tmp_path / "x.h5").exists()


def test_eps_d_and_density_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as info:
        main(["bethe", "--U", "1", "--eps-d", "-0.5", "--density", "1.0"])
    assert info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_missing_model_file(tmp_path, capsys):
    status = main(["bethe", "--U", "1", "--model", str(tmp_path / "none.pt"), "--out", str(tmp_path / "x.h5")])
    assert status == 1
    assert "none.pt" in capsys.readouterr().err


def test_bethe_scan_with_the_small_network(small_model_file, tmp_path, capsys):
    out = tmp_path / "scan.h5"
    argv = ["bethe-scan", "--U", "0.5:1:0.5", "--direction", "down", "--model", str(small_model_file)]
    with pytest.warns(UserWarning):  # the tiny network is outside its domain / unconverged: warned, not hidden
        status = main([*argv, "--max-iter", "2", "--n-iw", "20", "--out", str(out), "--no-progress"])
    assert status in (0, EXIT_NOT_CONVERGED)
    printed = capsys.readouterr().out
    assert "scan down: 2 points" in printed
    with HDFArchive(str(out), "r") as ar:
        assert list(ar["scan"]["U"]) == [1.0, 0.5]
        assert ar["point_000"]["config"]["start"] == "insulator"
    assert out.with_suffix(".png").stat().st_size > 10_000


def test_bethe_and_scan_with_the_lanczos_solver_record_bath_and_resolution(tmp_path, capsys):
    options = ["--solver", "lanczos", "--n-bath", "5", "--max-iter", "2", "--n-w", "400", "--n-iw", "20"]
    options += ["--no-plot", "--no-progress"]
    out = tmp_path / "lanczos.h5"
    with pytest.warns(UserWarning, match="not converged"):  # two iterations from the semicircle: not converged
        status = main(["bethe", "--U", "2", *options, "--out", str(out)])
    assert status == EXIT_NOT_CONVERGED
    assert "NOT converged after 2 iterations" in capsys.readouterr().out
    with HDFArchive(str(out), "r") as ar:
        solver = ar["solver"]
        assert solver["n_bath"] == 5 and solver["binning"] == "linear" and "broadening" not in solver
        assert solver["resolution"] > 0  # the default width: half the level spacing of the support
        assert ar["results"]["n_iter"] == 2
    out = tmp_path / "lanczos_scan.h5"
    with pytest.warns(UserWarning, match="not converged"):
        status = main(["bethe-scan", "--U", "1,2", *options, "--broadening", "0.2", "--out", str(out)])
    assert status == EXIT_NOT_CONVERGED
    with HDFArchive(str(out), "r") as ar:
        assert list(ar["scan"]["U"]) == [1.0, 2.0]
        for point in ("point_000", "point_001"):
            assert ar[point]["solver"]["broadening"] == ar[point]["solver"]["resolution"] == 0.2


def test_lattice_square_u0_writes_the_bethe_layout_and_the_lattice(tmp_path, capsys):
    out = tmp_path / "sq" / "u0.h5"
    argv = ["lattice", "--lattice", "square", "--U", "0", "--solver", "free", "--tol", "4e-3", "--n-iw", "50"]
    assert main([*argv, "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "converged in 1 iterations" in printed and "square lattice, U = 0 DOS(0)" in printed
    assert out.with_suffix(".png").stat().st_size > 10_000
    with HDFArchive(str(out), "r") as ar:
        assert {"A_w", "G_w", "Sigma_w", "G_iw", "Sigma_iw", "results", "history", "config", "solver"} <= set(ar)
        results = ar["results"]
        assert {"U", "Z", "A0", "density", "start", "converged", "mu", "D"} <= set(results)
        assert results["start"] == "metal" and results["D"] == 1.0 and results["converged"]
        assert ar["lattice"]["name"] == "square" and ar["lattice"]["dos"].shape == (1000,)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--lattice", "hexagonal"], ["--lattice", "invalid choice", "hexagonal"]),
        (["--dos", "{bad}"], ["--dos", "DOS file", "dos must be >= 0", "-0.5"]),
        (["--dos", "{bad}", "--t", "0.3"], ["--t", "--dos"]),
        (["--lattice", "square", "--n-dos", "999"], ["n_e", "even", "999"]),
        ([], ["one of the arguments --lattice --dos is required"]),
    ],
)
def test_lattice_bad_arguments_name_the_argument(argv, words, tmp_path, capsys):
    bad = tmp_path / "negative.dat"
    bad.write_text("-1 0.1\n0 -0.5\n1 0.1\n")
    argv = [word.format(bad=bad) for word in argv]
    command = ["lattice", "--U", "0", "--solver", "free", *argv, "--out", str(tmp_path / "x.h5"), "--no-progress"]
    try:
        status = main(command)
    except SystemExit as exit_:  # argparse's own usage errors
        status = exit_.code
    assert status == 2
    error = capsys.readouterr().err
    assert "triqs-nnsolver lattice: error:" in error
    for word in words:
        assert word in error
