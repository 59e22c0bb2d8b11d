"""Bethe-lattice DMFT on the Matsubara axis, written as a TRIQS script with only the solver import changed.

This is the loop of TRIQS's own tutorials and of CTHYB's ``single_site_bethe`` test: the self-consistency
``G0(iw_n)^-1 = iw_n + mu - t^2 G(iw_n)`` (semicircular DOS of half-bandwidth D = 2t), updated with ``<<``
in every iteration, and ``S.solve(h_int=U n_up n_dn, ...)`` with CTHYB's parameters (accepted and ignored
by the network). The only change from a CTHYB script is the import line; in addition the solver gives the
real-frequency spectral function ``S.A_w``, written with the Matsubara results to ``<out>/bethe_dmft_triqs.h5``.

It needs TRIQS (``triqs.gf``/``triqs.gfs``, ``triqs.operators``, ``h5``). The same loop without TRIQS, on
the package's containers: ``bethe_dmft_arrays.py``. Real-frequency DMFT without any fit:
``triqs-nnsolver bethe --U 2.0``.

Usage: python doc/examples/bethe_dmft_triqs.py [--U 2.0] [--beta 80] [--n-loops 15] [--model PATH] [--out DIR]
"""

import argparse
from pathlib import Path

import triqs.utility.mpi as mpi
from h5 import HDFArchive
from triqs.operators import n

try:
    from triqs.gfs import SemiCircular, inverse, iOmega_n  # TRIQS 4
except ImportError:
    from triqs.gf import SemiCircular, inverse, iOmega_n  # TRIQS 3

from triqs_nnsolver import Solver  # was: from triqs_cthyb import Solver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--U", type=float, default=2.0, help="Hubbard interaction (units of D)")
    parser.add_argument("--D", type=float, default=1.0, help="half-bandwidth")
    parser.add_argument("--beta", type=float, default=80.0, help="inverse temperature of the Matsubara mesh")
    parser.add_argument("--n-loops", type=int, default=15, help="DMFT iterations")
    parser.add_argument("--model", default=None, help="exported model file (default: the shipped model)")
    parser.add_argument("--out", type=Path, default=Path("demo_output"), help="output folder")
    args = parser.parse_args()
    D, U, beta = args.D, args.U, args.beta
    t = D / 2
    mu = U / 2  # half filling

    S = Solver(beta=beta, gf_struct=[("up", 1), ("down", 1)], model=args.model)
    p = {"n_cycles": 10000, "length_cycle": 50, "n_warmup_cycles": 1000}  # CTHYB's, ignored by the network
    S.G_iw << SemiCircular(D)
    for iteration in range(args.n_loops):
        g = 0.5 * (S.G_iw["up"] + S.G_iw["down"])  # paramagnetic
        for _name, g0 in S.G0_iw:
            g0 << inverse(iOmega_n + mu - t**2 * g)
        S.solve(h_int=U * n("up", 0) * n("down", 0), **p)
        mpi.report(f"iteration {iteration}: density {S.G_iw.total_density().real:.4f}")

    if mpi.is_master_node():
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / "bethe_dmft_triqs.h5"
        with HDFArchive(str(path), "w") as ar:
            ar["G_iw"] = S.G_iw
            ar["Sigma_iw"] = S.Sigma_iw
            ar["A_w"] = S.A_w
            ar["G_w"] = S.G_w
            ar["Sigma_w"] = S.Sigma_w
            ar["parameters"] = {"U": U, "D": D, "beta": beta, "mu": mu, "n_loops": args.n_loops}
        mpi.report(f"wrote {path}")


if __name__ == "__main__":
    main()
