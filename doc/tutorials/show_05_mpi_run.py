"""
Running under MPI
=================

*Shown, not executed at build time* (the site builds in one process). Three parts of the package run under
``mpiexec`` with ``mpi4py`` and the ``mpich`` wheel it installs with:

- **Data generation** splits the samples over the ranks, each rank writes a shard, and rank 0 merges them into the
  file named by ``--out`` (:doc:`/model`)::

      OPENBLAS_NUM_THREADS=1 mpiexec -n 2 triqs-nnsolver generate --backend ed --n-samples 200 --out ed.h5 --seed 1

- **The TRIQS-style Solver**: rank 0 computes, every other rank receives the arrays, so every rank ends with
  identical attributes, and only rank 0 prints (:doc:`/solver`); a TRIQS script runs unchanged::

      mpiexec -n 2 python doc/examples/bethe_dmft_triqs.py --n-loops 2 --beta 20   # needs TRIQS
      mpiexec -n 2 python doc/examples/bethe_dmft_arrays.py --n-loops 2 --beta 20  # without TRIQS

- **Real-frequency DMFT** (``triqs-nnsolver bethe``, ``bethe-scan``): every rank runs the same deterministic loop;
  rank 0 shows the progress bar and writes the archive::

      mpiexec -n 2 triqs-nnsolver bethe --U 2.0 --out bethe_U2.h5

Training is data-parallel under ``torchrun`` (torch.distributed), not MPI: ``mpiexec -n 2 triqs-nnsolver train``
is refused (two copies would overwrite each other's files).

The script below is the Solver part on its own, run with ``mpiexec -n 2 python doc/tutorials/show_05_mpi_run.py``
(``make test-mpi`` runs it too): each rank checks that it holds the same ``G_iw`` as rank 0.
"""

import numpy as np

from triqs_nnsolver import Solver, mpi
from triqs_nnsolver.gf import semicircle_gf_iw

S = Solver(beta=20.0, gf_struct=[("up", 1), ("down", 1)], containers="own")
iw = S.G0_iw.mesh.iw
for _name, g0 in S.G0_iw:  # the Bethe bath of half-bandwidth 1 at half filling: G0^-1 = iw + U/2 - G / 4
    g0.data[:, 0, 0] = 1.0 / (iw + 1.0 - 0.25 * semicircle_gf_iw(S.G0_iw.mesh, 1.0))
S.solve(U=2.0)

G_root = mpi.bcast(S.G_iw["up"].data)
same = bool(np.array_equal(G_root, S.G_iw["up"].data))
print(f"rank {mpi.rank()} of {mpi.size()}: G_iw identical to rank 0's: {same}", flush=True)
if not same:
    raise SystemExit(1)
