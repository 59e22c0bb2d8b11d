"""A torch ``Dataset`` over one or many data files: one item per (sample, alpha), split by sample id.

The training side's view of the data files of ``triqs_nnsolver.data`` (which stays torch-free, so the
generators run without torch). Items follow the data contract of the training loop and the input contract
of the network (:mod:`triqs_nnsolver.model_contract`), float32 tensors:

    "hybridization"    (n_w, 1): rho_Delta, or (n_w, 2): (rho_Delta, Re Delta) with use_re_delta
    "params"           (3,): (U, eps_d, alpha)
    "A_tilde"          (n_w,): A~_alpha on the grid
    "dA_tilde_dalpha"  (n_w,): its alpha-derivative (per radian)
    "A_real"           (n_w,): real-axis reference, NaN where the sample has none
    "sample_id"        int64 scalar;  "alpha_index" int64 scalar (index into ``alphas``)

Item ``i`` is sample ``i // n_alpha`` (in order of files, then rows) at alpha ``i % n_alpha``. All arrays
are held in memory as float32 (about ``8 * n_alpha * n_w`` bytes per sample). A compact file (raw data only, the
form the repository keeps) is expanded when it is read: its inputs and targets are computed from its poles or
series on its grid (``data.retarget``), about 1.6 ms per 9-level Lanczos sample.
What is not here: file reading and checks (:mod:`triqs_nnsolver.data.store`), the split rule
(:mod:`triqs_nnsolver.data.splits`).
Layer: ``train`` (above ``data``, whose readers it uses; torch enters at ``model``).
"""

from __future__ import annotations

import os

import numpy as np
import torch

from ..data.merge import dataset_hash
from ..data.mirror import particle_hole_mirrors
from ..data.resolution import data_resolution
from ..data.retarget import with_grid_functions
from ..data.schema import SCHEMA_VERSION
from ..data.splits import DEFAULT_FRACTIONS, SPLITS, split_mask
from ..data.store import read_dataset, read_datasets
from ..gf import spectral_norm
from ..model_contract import REFERENCE_HYBRIDIZATION_WEIGHT, input_channels

__all__ = ["SpectralDataset", "load_splits", "describe_training_data"]

_FIELDS = ("sample_id", "U", "eps_d", "rho_Delta", "re_Delta", "A_tilde", "dA_tilde_dalpha", "A_real")


def _combine(paths) -> dict:
    """Fields needed for items, concatenated over files (same grid and alphas, unique ids checked)."""
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    checked = read_datasets(paths, fields=())  # ids unique over the files, one grid and one set of alphas
    # a file with its fields on the grid is read for those alone; a compact one whole, and expanded here
    data = [
        with_grid_functions(read_dataset(entry["path"], _FIELDS if entry["grid_functions"] else None))
        for entry in checked
    ]
    combined = {name: np.concatenate([entry[name] for entry in data]) for name in _FIELDS}
    combined["grid"], combined["alphas"] = data[0]["grid"], data[0]["alphas"]
    return combined


class SpectralDataset(torch.utils.data.Dataset):
    """Items ``(sample, alpha)`` of data files for training (module docstring).

    Parameters
    ----------
    paths : str, os.PathLike or sequence of them
        Data files of one grid and one set of alphas; sample ids unique over all of them.
    split : {None, 'train', 'validation', 'test'}
        Keep only the samples of this split (:mod:`triqs_nnsolver.data.splits`); None keeps all.
    fractions : (float, float, float)
        Train, validation and test fractions of the split rule.
    use_re_delta : bool
        Give ``Re Delta`` as a second hybridization channel.
    mirror : bool
        Add the particle-hole mirror of every sample of the split that is not its own mirror
        (:func:`triqs_nnsolver.data.mirror.particle_hole_mirrors`; needs a grid symmetric about 0). A mirror keeps
        its original's sample id and split; ``n_mirrors`` counts them.

    Attributes
    ----------
    grid : numpy.ndarray, float64 (n_w,)
        Frequencies of every item (model energy unit).
    alphas : numpy.ndarray, float64 (n_alpha,)
        The alphas (radians); item ``params[2]`` is ``alphas[alpha_index]``.
    sample_ids : numpy.ndarray, int64 (n_samples,)
        Ids of the samples kept, in item order (mirrors last, with their originals' ids).
    n_mirrors : int
        How many of them are particle-hole mirrors (0 without ``mirror``).

    Raises
    ------
    DatasetError
        If a file is invalid, grids or alphas differ between files, or an id occurs twice.
    ValueError
        For an unknown split or invalid fractions.
    """

    def __init__(
        self,
        paths,
        split: str | None = None,
        fractions=DEFAULT_FRACTIONS,
        use_re_delta: bool = False,
        mirror: bool = False,
    ):
        self._setup(_combine(paths), split, fractions, use_re_delta, mirror)

    def _setup(self, combined: dict, split, fractions, use_re_delta: bool, mirror: bool = False) -> None:
        if split is not None and split not in SPLITS:
            raise ValueError(f"split must be None or one of {SPLITS}; got split = {split!r}")
        keep = np.ones(combined["sample_id"].size, bool)
        if split is not None:
            keep = split_mask(combined["sample_id"], split, fractions)
        self.n_mirrors = 0
        if mirror:  # the mirrors of this split's samples join it: a mirror never crosses into another split
            mirrors = particle_hole_mirrors(
                {**{name: combined[name][keep] for name in _FIELDS}, "grid": combined["grid"]}
            )
            self.n_mirrors = mirrors["sample_id"].size
            combined = {
                **combined,
                **{name: np.concatenate([combined[name][keep], mirrors[name]]) for name in _FIELDS},
            }
            keep = np.ones(combined["sample_id"].size, bool)
        self.grid, self.alphas = combined["grid"], combined["alphas"]
        self.sample_ids = combined["sample_id"][keep]
        channels = input_channels(use_re_delta)  # data-file fields, in the network's channel order
        hybridization = np.stack([combined[name][keep] for name in channels], axis=-1)  # (S, n_w, channels)
        self._rho = combined["rho_Delta"][keep]  # float64, for training_domain
        self._U, self._eps_d = combined["U"][keep], combined["eps_d"][keep]
        self._hybridization = torch.as_tensor(hybridization, dtype=torch.float32)
        self._scalars = torch.as_tensor(np.stack([self._U, self._eps_d], axis=1), dtype=torch.float32)  # (S, 2)
        self._alphas = torch.as_tensor(self.alphas, dtype=torch.float32)
        self._A_tilde = torch.as_tensor(combined["A_tilde"][keep], dtype=torch.float32)  # (S, n_alpha, n_w)
        self._dA_tilde = torch.as_tensor(combined["dA_tilde_dalpha"][keep], dtype=torch.float32)
        self._A_real = torch.as_tensor(combined["A_real"][keep], dtype=torch.float32)  # (S, n_w)
        self._ids = torch.as_tensor(self.sample_ids, dtype=torch.int64)

    def __len__(self) -> int:
        return self.sample_ids.size * self.alphas.size

    def __getitem__(self, index: int) -> dict:
        if not -len(self) <= index < len(self):
            raise IndexError(f"item index {index} out of range for {len(self)} items")
        sample, k = divmod(index % len(self), self.alphas.size)
        return {
            "hybridization": self._hybridization[sample],
            "params": torch.cat([self._scalars[sample], self._alphas[k : k + 1]]),
            "A_tilde": self._A_tilde[sample, k],
            "dA_tilde_dalpha": self._dA_tilde[sample, k],
            "A_real": self._A_real[sample],
            "sample_id": self._ids[sample],
            "alpha_index": torch.tensor(k, dtype=torch.int64),
        }

    def training_domain(self) -> dict:
        """Ranges covered by the samples: ``{"U", "eps_d", "alpha", "hybridization_scale"}`` -> (min, max).

        ``hybridization_scale`` is ``sqrt(int rho_Delta / 0.25)`` per sample (the energy scale of
        ``triqs_nnsolver.model_contract.energy_scale``), the integral taken over the grid (piecewise linear). Floats;
        all NaN for an empty dataset.
        """
        if self.sample_ids.size == 0:
            return {key: (float("nan"), float("nan")) for key in ("U", "eps_d", "alpha", "hybridization_scale")}
        scale = np.sqrt(spectral_norm(self.grid, self._rho.T) / REFERENCE_HYBRIDIZATION_WEIGHT)  # (S,)
        ranges = {"U": self._U, "eps_d": self._eps_d, "alpha": self.alphas, "hybridization_scale": scale}
        return {key: (float(np.min(value)), float(np.max(value))) for key, value in ranges.items()}


def load_splits(paths, fractions=DEFAULT_FRACTIONS, use_re_delta: bool = False, mirror: bool = False):
    """``(train, validation, test)`` :class:`SpectralDataset` of the same files, which are read once.

    Arguments and Raises as :class:`SpectralDataset`; ``mirror`` adds the particle-hole mirrors to the training
    split only (validation and test stay the samples as generated).
    """
    combined = _combine(paths)
    datasets = []
    for split in SPLITS:
        dataset = SpectralDataset.__new__(SpectralDataset)
        dataset._setup(combined, split, fractions, use_re_delta, mirror and split == "train")
        datasets.append(dataset)
    return tuple(datasets)


def describe_training_data(paths, train_set: SpectralDataset) -> dict:
    """What an exported model records about its training data (JSON-serialisable).

    Returns ``{"files": [...], "hash": dataset_hash(paths), "schema_version": SCHEMA_VERSION,
    "resolution": data_resolution(paths), "training_domain": train_set.training_domain()}``; the hash covers
    every file (all splits), the domain only the training split. Raises ``DatasetError`` for files of
    different resolutions (:func:`~triqs_nnsolver.data.data_resolution`).
    """
    return {
        "files": [str(p) for p in paths],
        "hash": dataset_hash(paths),
        "schema_version": SCHEMA_VERSION,
        "resolution": data_resolution(paths),
        "training_domain": train_set.training_domain(),
    }
