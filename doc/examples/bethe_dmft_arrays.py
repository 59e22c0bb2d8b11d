"""Bethe-lattice DMFT on the Matsubara axis with the Solver, without TRIQS: the twin of ``bethe_dmft_triqs.py``.

The same loop, ``G0(iw_n)^-1 = iw_n + mu - t^2 G(iw_n)`` (semicircular DOS, half-bandwidth D = 2t), on the
package's own containers. The defaults are those with which issue 17 ran cthyb's ``single_site_bethe`` loop
(U = 2 D at half filling, beta = 80, 15 iterations); ``test/python/solver/test_bethe_loop.py`` runs them.
The containers have no operator overloading, so the assignments are explicit numpy
expressions on ``.data`` (shape ``(2 n_iw, 1, 1)``). After the loop the script prints the change of the
last iteration, A(0) against the Luttinger value ``2/(pi D)`` (a metal at half filling), and writes
``G_iw``, ``Sigma_iw``, ``A_w`` to ``<out>/bethe_dmft_arrays.h5`` (TRIQS layout).

Usage: python doc/examples/bethe_dmft_arrays.py [--U 2.0] [--beta 80] [--n-loops 15] [--model PATH] [--out DIR]
"""

import argparse
from pathlib import Path

import numpy as np

from triqs_nnsolver import Solver
from triqs_nnsolver.gf import semicircle_gf_iw
from triqs_nnsolver.h5 import HDFArchive


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

    S = Solver(beta=beta, gf_struct=[("up", 1), ("down", 1)], model=args.model, containers="own")  # own: no TRIQS
    iw = S.G0_iw.mesh.iw  # complex Matsubara frequencies, shape (2 n_iw,)
    g = semicircle_gf_iw(S.G0_iw.mesh, D)  # start: the U = 0 local Green's function
    change = np.inf
    for iteration in range(args.n_loops):
        for _name, g0 in S.G0_iw:
            g0.data[:, 0, 0] = 1.0 / (iw + mu - t**2 * g)
        S.solve(U=U)
        g_new = 0.5 * (S.G_iw["up"].data[:, 0, 0] + S.G_iw["down"].data[:, 0, 0])  # paramagnetic
        change = float(np.max(np.abs(g_new - g)))
        g = g_new
        print(f"iteration {iteration}: max |G_new(iw_n) - G_old(iw_n)| = {change:.3e}")

    w = S.A_w.mesh.points
    A0 = float(np.interp(0.0, w, S.A_w["up"].data[:, 0, 0].real))
    print(f"U = {U:g} D: last change {change:.3e}; A(0) = {A0:.4f}, Luttinger 2/(pi D) = {2 / (np.pi * D):.4f}")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "bethe_dmft_arrays.h5"
    with HDFArchive(str(path), "w") as ar:
        ar["G_iw"] = S.G_iw
        ar["Sigma_iw"] = S.Sigma_iw
        ar["A_w"] = S.A_w
        ar["parameters"] = {"U": U, "D": D, "beta": beta, "mu": mu, "n_loops": args.n_loops}
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
