"""PNG plots of DMFT results: one run (spectral function, self-energy, convergence) and a U scan (Z, A(0)).

matplotlib is imported inside the functions with the non-interactive Agg backend, so importing the
package opens no display. What is not here: interactive plots, Matsubara-axis plots. Layer: ``dmft``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .lattice import BetheLattice
from .loop import DMFTResult
from .results import scan_table

__all__ = ["plot_result", "plot_scan"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(plt, figure, path) -> Path:
    """Lay out ``figure``, write it as PNG to ``path`` (creating its folder), close it; returns the path."""
    figure.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_result(result: DMFTResult, path) -> Path:
    """Three panels: A(w) with the lattice's U = 0 DOS, Re/Im Sigma(w), and the change per iteration.

    Returns the path of the PNG (parent folders created).
    """
    plt = _pyplot()
    config, obs, w = result.config, result.observables, result.w
    D, lattice = config.D, result.lattice_used
    window = np.abs(w) <= max(3 * D, abs(config.U) / 2 + 2 * D)
    figure, axes = plt.subplots(1, 3, figsize=(14, 4))
    axes[0].plot(w[window] / D, D * result.A[window], label="A(w)")
    axes[0].plot(w[window] / D, D * lattice.density_of_states(w[window]), "k:", lw=1, label="U = 0 DOS")
    if isinstance(lattice, BetheLattice):
        axes[0].axhline(2 / np.pi, color="gray", lw=0.5, ls="--", label="2/(pi D)")
    else:  # a van Hove log (square lattice) would set the scale: cap at twice the interacting A
        axes[0].set_ylim(
            0, 2 * D * max(float(result.A[window].max()), float(np.median(lattice.density_of_states(w[window]))))
        )
    axes[0].set(xlabel="w / D", ylabel="D A(w)", title="spectral function")
    axes[1].plot(w[window] / D, obs.Sigma_w.real[window] / D, label="Re Sigma(w)")
    axes[1].plot(w[window] / D, obs.Sigma_w.imag[window] / D, label="Im Sigma(w)")
    axes[1].set(xlabel="w / D", ylabel="Sigma / D", title=f"self-energy, Z = {obs.Z:.3f}")
    sigma_scale = max(4.0, 2 * config.U / D)  # Re Sigma ~ U^2/(4w) diverges at w = 0 in the insulator
    axes[1].set_ylim(-sigma_scale, sigma_scale)
    iterations = np.arange(1, result.n_iter + 1)
    changed = "A" if isinstance(lattice, BetheLattice) else "bath"  # the loop's variable, rho_Delta / int rho_Delta
    axes[2].semilogy(iterations, result.history["change"], "o-", ms=3, label=f"D max|{changed}_new - {changed}_old|")
    axes[2].axhline(config.tol, color="gray", ls="--", label=f"tol = {config.tol:g}")
    status = "converged" if result.converged else "NOT converged"
    axes[2].set(xlabel="iteration", title=f"convergence: {status}")
    for ax in axes:
        ax.legend(fontsize=8)
    figure.suptitle(
        f"{lattice.name} lattice DMFT, U = {config.U:g} D, eps_d = {result.eps_d:.3g}, n = {obs.density:.3f}"
    )
    return _save(plt, figure, path)


def plot_scan(results: list[DMFTResult], path, direction: str) -> Path:
    """Z(U) and pi D A(0) / 2 (U) of a scan; not-converged points drawn hollow. Returns the PNG path."""
    plt = _pyplot()
    table = scan_table(results)
    D = results[0].config.D
    U = table["U"] / D
    converged = table["converged"].astype(bool)
    marker = "^" if direction == "up" else "v"
    figure, axes = plt.subplots(1, 2, figsize=(10, 4))
    quantities = [(table["Z"], "Z"), (np.pi * D * table["A0"] / 2, "pi D A(0) / 2")]
    for ax, (values, label) in zip(axes, quantities, strict=True):
        ax.plot(U, values, "-", color="C0", lw=1)
        ax.plot(U[converged], values[converged], marker, color="C0", label=f"{direction}, converged")
        if not converged.all():
            ax.plot(U[~converged], values[~converged], marker, mfc="none", color="C3", label="not converged")
        ax.set(xlabel="U / D", ylabel=label, ylim=(-0.05, 1.1))
        ax.legend(fontsize=8)
    axes[1].axhline(1.0, color="gray", lw=0.5, ls="--")
    name = results[0].lattice_used.name
    figure.suptitle(f"{name} lattice, U scan {direction} (each point started from the previous one)")
    return _save(plt, figure, path)
