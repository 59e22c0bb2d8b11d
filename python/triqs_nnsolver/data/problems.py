"""Problem sets: impurity problems given as tabulated hybridization densities, for ``generate --problems FILE``.

A DMFT run visits one bath per iteration; a training set that is to cover the baths DMFT produces can take
them as its problems instead of drawing them from :mod:`.families`. A problem set file holds ``N`` problems on
one real-frequency grid:

    /                 attrs: format = "triqs_nnsolver.problems", version = 1, package_version (str)
    /w                float64 (n_w,)     real frequencies, strictly increasing (energy unit of the runs)
    /rho_Delta        float64 (N, n_w)   hybridization density -Im Delta(w) / pi, >= 0
    /U                float64 (N,)       Hubbard repulsion, >= 0
    /eps_d            float64 (N,)       impurity level
    /origin           str (N,)           where the problem comes from (run, U, start, iteration)

A problem enters a data file in the model's unit (:mod:`triqs_nnsolver.model_contract`): its energies are
scaled by ``s = sqrt(0.25 / int rho_Delta)``, so that the bath has the reference weight 1/4 (``rho'(w) =
s rho(w / s)``, ``U' = s U``, ``eps_d' = s eps_d``; a Bethe bath of half-bandwidth D = 1 has s = 1 up to its
norm). :class:`TabulatedDensity` is the density as the sources use a family density: callable (linear
interpolation, zero outside the grid) with a ``support`` (the grid points where it is positive, with one
neighbour on each side). The sample of index ``i`` is problem ``i``; the problem's own U and eps_d replace the
drawn ones, and everything else (binning into ``n_bath`` levels, the solve, the targets, the input broadening)
is as for a drawn family (:func:`.synthetic.draw_problem`).

Layer: ``data``; numpy and h5py only.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import h5py
import numpy as np

from ..model_contract import REFERENCE_HYBRIDIZATION_WEIGHT
from ..version import __version__
from .schema import DatasetError

__all__ = [
    "PROBLEMS_FORMAT",
    "ProblemSet",
    "TabulatedDensity",
    "read_problem_set",
    "write_problem_set",
    "check_problems",
    "settings_with_problems",
]

PROBLEMS_FORMAT = "triqs_nnsolver.problems"
_VERSION = 1


@dataclass(frozen=True, eq=False)
class TabulatedDensity:
    """A hybridization density sampled on a grid, in the model unit (module docstring).

    ``w`` (n_w,) strictly increasing and ``values`` (n_w,) >= 0; ``origin`` says where it comes from.
    """

    w: np.ndarray
    values: np.ndarray
    origin: str = ""
    family = "problem_set"

    @property
    def support(self) -> tuple[float, float]:
        """The grid interval holding every positive value, widened by one grid point on each side (energy unit)."""
        positive = np.flatnonzero(self.values > 0)
        low, high = max(positive[0] - 1, 0), min(positive[-1] + 1, self.w.size - 1)
        return float(self.w[low]), float(self.w[high])

    def __call__(self, w) -> np.ndarray:
        """``rho_Delta(w)`` by linear interpolation, zero outside the grid."""
        return np.interp(np.asarray(w, dtype=np.float64), self.w, self.values, left=0.0, right=0.0)


@dataclass(frozen=True, eq=False)
class ProblemSet:
    """``N`` impurity problems on one grid (module docstring): ``w`` (n_w,), ``rho_Delta`` (N, n_w), ``U`` and
    ``eps_d`` (N,), ``origin`` (N strings). Checked on construction (ValueError naming the field)."""

    w: np.ndarray
    rho_Delta: np.ndarray
    U: np.ndarray
    eps_d: np.ndarray
    origin: tuple
    name: str = ""  # the file it was read from (basename), for the provenance

    def __post_init__(self):
        w = np.asarray(self.w, dtype=np.float64)
        rho = np.atleast_2d(np.asarray(self.rho_Delta, dtype=np.float64))
        U, eps_d = (np.atleast_1d(np.asarray(value, dtype=np.float64)) for value in (self.U, self.eps_d))
        origin = tuple(str(text) for text in self.origin)
        if w.ndim != 1 or w.size < 3 or not np.all(np.isfinite(w)) or not np.all(np.diff(w) > 0):
            raise ValueError(f"w must be a finite, strictly increasing grid of at least 3 points; got shape {w.shape}")
        n = rho.shape[0]
        if rho.shape != (n, w.size) or not np.all(np.isfinite(rho)) or np.any(rho < 0):
            raise ValueError(
                f"rho_Delta must be finite, >= 0, of shape (N, {w.size}); got shape {rho.shape}, min "
                f"{np.nanmin(rho) if rho.size else 'n/a'}"
            )
        if np.any(rho.max(axis=1, initial=0.0) <= 0):
            raise ValueError(f"every problem needs a bath: rho_Delta rows {np.flatnonzero(rho.max(axis=1) <= 0)} are 0")
        if U.shape != (n,) or eps_d.shape != (n,) or len(origin) != n:
            raise ValueError(
                f"U, eps_d and origin need one entry per problem ({n}); got {U.size}, {eps_d.size}, {len(origin)}"
            )
        if not (np.all(np.isfinite(U)) and np.all(U >= 0) and np.all(np.isfinite(eps_d))):
            raise ValueError("U must be finite and >= 0 and eps_d finite for every problem")
        for name, value in (("w", w), ("rho_Delta", rho), ("U", U), ("eps_d", eps_d), ("origin", origin)):
            object.__setattr__(self, name, value)

    def __len__(self) -> int:
        return self.U.size

    def digest(self) -> str:
        """sha256 of the grid and the problems (the identity a data file records; origins excluded)."""
        digest = hashlib.sha256(b"triqs_nnsolver.problems/1\n")
        for array in (self.w, self.rho_Delta, self.U, self.eps_d):
            digest.update(np.ascontiguousarray(array, dtype="<f8").tobytes())
        return digest.hexdigest()

    def in_model_unit(self, index: int) -> tuple[TabulatedDensity, float, float]:
        """Problem ``index`` scaled to the model unit: (density of weight 1/4, U, eps_d) (module docstring).

        Raises
        ------
        ValueError
            If ``index`` is not in ``[0, N)``.
        """
        if not 0 <= index < len(self):
            raise ValueError(
                f"the problem set has {len(self)} problems; sample index {index} has none "
                f"(use --n-samples <= {len(self)})"
            )
        rho = self.rho_Delta[index]
        weight = float(np.sum(0.5 * (rho[1:] + rho[:-1]) * np.diff(self.w)))
        scale = np.sqrt(REFERENCE_HYBRIDIZATION_WEIGHT / weight)
        density = TabulatedDensity(self.w * scale, rho * scale, self.origin[index])  # rho'(s w) = s rho(w)
        return density, float(self.U[index] * scale), float(self.eps_d[index] * scale)

    def summary(self) -> dict:
        """What a data file's provenance records about the set: file name, sha256, count, U and eps_d ranges."""
        return {
            "file": self.name,
            "sha256": self.digest(),
            "n_problems": len(self),
            "U_range": [float(self.U.min()), float(self.U.max())],
            "eps_d_range": [float(self.eps_d.min()), float(self.eps_d.max())],
        }


def check_problems(problems) -> None:
    """Check the ``problems`` field of a source's settings: None or a :class:`ProblemSet` (else TypeError)."""
    if problems is not None and not isinstance(problems, ProblemSet):
        raise TypeError(f"problems must be None or a data.ProblemSet (read_problem_set); got {type(problems).__name__}")


def settings_with_problems(values: dict, problems: ProblemSet | None) -> dict:
    """A source's JSON settings with its problem set as :meth:`ProblemSet.summary`, or without the key when there is
    none (so files written before problem sets existed resume with unchanged provenance)."""
    values = {key: value for key, value in values.items() if key != "problems"}
    return values if problems is None else {**values, "problems": problems.summary()}


def write_problem_set(path, problems: ProblemSet) -> None:
    """Write a problem set atomically (temporary file, then ``os.replace``), gzip-compressed."""
    path = os.fspath(path)
    temporary = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.new-{os.getpid()}")
    try:
        with h5py.File(temporary, "w") as file:
            file.attrs.update(
                {"format": PROBLEMS_FORMAT, "version": np.int64(_VERSION), "package_version": __version__}
            )
            file["w"] = problems.w
            file.create_dataset("rho_Delta", data=problems.rho_Delta, compression="gzip", shuffle=True)
            file["U"], file["eps_d"] = problems.U, problems.eps_d
            file["origin"] = np.array(problems.origin, dtype=h5py.string_dtype())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def read_problem_set(path) -> ProblemSet:
    """Read a problem set file.

    Raises
    ------
    DatasetError
        If the file cannot be opened, is not a problem set, has an unknown version or invalid contents
        (the message names the file).
    """
    path = os.fspath(path)
    try:
        file = h5py.File(path, "r")
    except OSError as err:
        raise DatasetError(f"{path} cannot be opened as an HDF5 problem set: {err}") from err
    with file:
        found = file.attrs.get("format")
        found = found.decode() if isinstance(found, bytes) else found
        if found != PROBLEMS_FORMAT:
            raise DatasetError(f"{path} is not a problem set: format attribute {found!r}, expected {PROBLEMS_FORMAT!r}")
        if int(file.attrs.get("version", -1)) != _VERSION:
            raise DatasetError(
                f"{path}: problem-set version {file.attrs.get('version')!r}; this package reads {_VERSION}"
            )
        try:
            origin = tuple(text.decode() if isinstance(text, bytes) else str(text) for text in file["origin"][()])
            arrays = (file[name][()] for name in ("w", "rho_Delta", "U", "eps_d"))
            return ProblemSet(*arrays, origin, name=os.path.basename(path))
        except (KeyError, ValueError) as err:
            raise DatasetError(f"{path}: invalid problem set: {err}") from err
