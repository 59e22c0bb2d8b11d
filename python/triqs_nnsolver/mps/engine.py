"""A block2 session for one impurity run: driver, scratch directory, MPOs, DMRG, operator application, overlaps.

:class:`Block2Session` wraps ``pyblock2.driver.core.DMRGDriver`` in ``SymmetryTypes.SZ | SymmetryTypes.CPX``
mode with the custom site spaces of :class:`~.geometry.SpinSplitGeometry`. Why ``SZ`` and not ``SGF``: with
one spinless site per spin orbital, ``SZ`` quantum numbers (N, 2 S_z) conserve N_up and N_dn separately,
so a doublet ground state is a definite S_z state rather than an arbitrary mixture, and the blocks are
smaller than ``SGF``'s (which conserves N only). ``CPX`` because the evolution along
``z = t exp(-i alpha)`` is complex.

block2 writes every MPS and renormalized operator to its scratch directory; each session makes its own
temporary directory under ``MPSSettings.scratch_dir`` (``/dev/shm`` by default: 13 s versus 0.4 s for a tiny
system on disk, issue 4) and removes it on :meth:`Block2Session.close`. block2 keeps one global frame per
process, so only one session may be open at a time.

block2 is imported when a session opens, not with the package: ``triqs_nnsolver.data``, the ``ed`` backend,
training and the command line work where block2 is not installed (e.g. a TRIQS environment), and only an
MPS run needs it (:func:`block2_driver_module`).

What is not here: the physics of the run (``mps.ground_state``, ``mps.evolution``, ``mps.solver``).
Layer: ``mps`` (layer 2); the only module that imports block2.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile

from .geometry import SpinSplitGeometry
from .settings import MPSSettings

__all__ = ["Block2Session", "block2_driver_module"]

BLOCK2_REQUIREMENT = "block2==0.5.4"  # as pinned in pyproject.toml

_FERMIONIC_OPS = "cdCD"
_MULTIPLY_SWEEPS = 10  # fitting sweeps of an MPO application (converges in 2-3 for a one-site operator)
_MULTIPLY_TOL = 1e-12  # stop fitting when the norm changes less than this between sweeps
_FIT_CUTOFF = 1e-24  # SVD cutoff of the untruncated first fit of an MPO application (block2's default)
_FIT_NORM_TOL = 1e-6  # largest relative change of the norm that the truncation to svd_cutoff may cause
_DMRG_NOISE = (1e-4, 1e-4, 1e-5, 1e-5, 1e-6, 1e-6)  # perturbative noise of the first sweeps, then 0
_DAVIDSON_TOL = 1e-12  # squared residual of the Davidson eigensolver


def block2_driver_module():
    """``pyblock2.driver.core``, imported on first use.

    Raises
    ------
    ImportError
        If block2 is not installed, naming the package to install.
    """
    try:
        return importlib.import_module("pyblock2.driver.core")
    except ImportError as err:
        raise ImportError(
            f"the MPS solver needs block2 (pip install {BLOCK2_REQUIREMENT}); importing pyblock2 failed: {err}"
        ) from err


class Block2Session:
    """One block2 driver on a private scratch directory, for the spin-split SIAM of ``geometry``.

    Parameters
    ----------
    geometry : SpinSplitGeometry
        Site layout (number of sites, local spaces).
    settings : MPSSettings
        ``chi``, ``svd_cutoff``, ``dmrg_sweeps``, ``dmrg_tol``, ``scratch_dir``, ``n_threads``, ``stack_mem_mib``.

    Notes
    -----
    Use as a context manager (``with Block2Session(...) as session:``) so the scratch directory is removed
    and block2's global frame released even when the run fails.
    """

    def __init__(self, geometry: SpinSplitGeometry, settings: MPSSettings):
        self.geometry = geometry
        self.settings = settings
        core = block2_driver_module()
        self._fast_bipartite = core.MPOAlgorithmTypes.FastBipartite
        self.scratch = tempfile.mkdtemp(prefix="triqs_nnsolver_mps_", dir=settings.scratch_dir)
        try:
            self.driver = core.DMRGDriver(
                scratch=self.scratch,
                symm_type=core.SymmetryTypes.SZ | core.SymmetryTypes.CPX,
                n_threads=settings.n_threads,
                stack_mem=settings.stack_mem_mib << 20,
            )
            self.driver.initialize_system(n_sites=geometry.n_sites, n_elec=0, spin=0)
            site_basis, site_ops = geometry.site_spaces(self.driver.bw.SX)
            self.driver.ghamil = self.driver.get_custom_hamiltonian(site_basis, site_ops)
            self._identity = self.driver.get_identity_mpo()
        except BaseException:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        """Release block2's frame and remove the scratch directory (idempotent)."""
        if self.driver is not None:
            self.driver.finalize()
            self.driver = None
        shutil.rmtree(self.scratch, ignore_errors=True)

    @property
    def bw(self):
        """block2's binding namespace of this symmetry mode (``bw.bs``, ``bw.b``)."""
        return self.driver.bw

    def quantum_number(self, n: int, twos: int):
        """block2 quantum number of particle number ``n`` and ``2 S_z = twos``."""
        return self.driver.bw.SX(int(n), int(twos), 0)

    def mpo(self, terms, const: float = 0.0):
        """MPO of ``sum coefficient * product of operators + const`` (terms of ``geometry.hamiltonian_terms``)."""
        builder = self.driver.expr_builder()
        for letters, sites, value in terms:
            builder.add_term(letters, list(sites), value)
        builder.add_const(const)
        expr = builder.finalize(adjust_order=True, fermionic_ops=_FERMIONIC_OPS)
        return self.driver.get_mpo(expr, algo_type=self._fast_bipartite, iprint=0)

    def operator_mpo(self, letter: str, site: int):
        """MPO of the single operator ``letter`` (``c``, ``d``, ``C``, ``D``) on MPS site ``site``."""
        builder = self.driver.expr_builder()
        builder.add_term(letter, [site], 1.0)
        expr = builder.finalize(adjust_order=True, fermionic_ops=_FERMIONIC_OPS)
        return self.driver.get_mpo(expr, algo_type=self._fast_bipartite, add_ident=False, iprint=0)

    def ground_state(self, mpo, n: int, twos: int, tag: str):
        """Lowest state of ``mpo`` in the sector (N, 2 S_z) by two-site DMRG.

        Returns
        -------
        energy : float
            Its energy (energy unit).
        mps : block2 MPS
            The state, normalized.
        discarded : float
            Largest discarded weight of the last sweep.
        """
        s = self.settings
        mps = self.driver.get_random_mps(tag, bond_dim=s.chi, target=self.quantum_number(n, twos), nroots=1)
        noises = list(_DMRG_NOISE[: max(s.dmrg_sweeps - 2, 0)]) + [0.0]
        energy = self.driver.dmrg(
            mpo, mps, n_sweeps=s.dmrg_sweeps, tol=s.dmrg_tol, bond_dims=[s.chi], noises=noises,
            thrds=[_DAVIDSON_TOL] * s.dmrg_sweeps, cutoff=s.svd_cutoff, iprint=0,
        )  # fmt: skip
        discarded = float(max(self.driver._dmrg.discarded_weights[-1:], default=0.0))
        return float(complex(energy).real), mps, discarded

    def apply(self, mpo, ket, target, tag: str, guess=None, truncate: bool = True):
        """``mpo |ket>`` fitted into a new MPS of quantum number ``target`` (bond dimension up to ``chi``).

        Two fits by ``driver.multiply``. The first starts from ``guess`` (an MPS of quantum number ``target``,
        e.g. ``ket`` itself when ``mpo`` conserves it; not modified) or else from a random MPS, and keeps every
        state up to ``chi`` (cutoff ``_FIT_CUTOFF``): block2's cutoff is absolute, and while the environments of a
        random start are still random, the projection of ``mpo |ket>`` on them is exponentially small in the
        number of sites, so the SVD cutoff would discard the true state (at 60 sites ``H' d+|0>`` lost 14 % of
        its squared norm; at 80 sites ``d+|0>`` came out 0, doc/mps.md). The second fit starts from the converged first
        one and truncates with ``svd_cutoff``; the two norms must agree. With ``truncate=False`` the first fit is the
        result (for a vector of small norm such as the residual ``H'|0>``, which an absolute cutoff would erase).

        Returns the MPS (holding the full vector, norm included) and its norm ``|| mpo |ket> ||``.

        Raises
        ------
        RuntimeError
            If the truncated fit's norm differs from the untruncated one by more than ``_FIT_NORM_TOL``
            (relative): the state needs more than ``chi`` or the fit did not converge.
        """
        s = self.settings
        if guess is None:
            start = self.driver.get_random_mps(f"{tag}-FIT", bond_dim=s.chi, center=ket.center, target=target)
        else:
            start = guess.deep_copy(f"{tag}-FIT")
        full = self._fit(start, mpo, ket, _FIT_CUTOFF)
        if not truncate:
            return start, full
        bra = start.deep_copy(tag)
        norm = self._fit(bra, mpo, ket, s.svd_cutoff)
        if abs(norm - full) > _FIT_NORM_TOL * max(full, 1e-300):
            raise RuntimeError(
                f"MPO application {tag!r} did not converge: norm {norm!r} after truncation (cutoff "
                f"{s.svd_cutoff!r}) against {full!r} without (chi = {s.chi})"
            )
        return bra, norm

    def _fit(self, bra, mpo, ket, cutoff: float) -> float:
        """Fit ``bra`` to ``mpo |ket>`` in place (two-site sweeps up to ``chi``); its norm."""
        chi = self.settings.chi
        norm = self.driver.multiply(
            bra, mpo, ket, n_sweeps=_MULTIPLY_SWEEPS, tol=_MULTIPLY_TOL, bond_dims=[chi], bra_bond_dims=[chi],
            cutoff=cutoff, iprint=0,
        )  # fmt: skip
        return abs(complex(norm))

    def overlap(self, bra, ket) -> complex:
        """``<bra|ket>`` (bra complex-conjugated)."""
        return complex(self.driver.expectation(bra, self._identity, ket))

    def copy(self, mps, tag: str):
        """Deep copy of an MPS under a new tag."""
        return mps.deep_copy(tag)
