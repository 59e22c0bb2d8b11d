"""Fixtures of the training tests: a tiny network configuration and analytic pole-sum datasets.

Provenance of the synthetic data (no files; everything is computed here from a seed): a sample is a pole
sum ``A(w) = sum_p w_p delta(w - e_p)`` with ``n_poles`` energies ``|e_p|`` uniform in [0.3, 1.5] and a
random sign, weights from a flat Dirichlet distribution (they sum to 1), drawn by
``numpy.random.default_rng(seed)``. Its tilted spectral function is exact (``METHOD.md`` section 2,
``triqs_nnsolver.spectral.tilt``):

    A~_alpha(w) = sum_p w_p (1/pi) |e_p| sin(a) / D_p,   D_p = (w - e_p cos a)^2 + (e_p sin a)^2,

and, with ``dD_p/da = 2 w e_p sin a``, its alpha-derivative is

    dA~/dalpha = sum_p w_p (|e_p| / pi) [cos(a) / D_p - 2 w e_p sin(a)^2 / D_p^2].

The network input is the hybridization ``rho_Delta(w) = 0.25 sum_p w_p G(w - e_p)`` with G a normalised
Gaussian of width 0.3 (total weight 1/4, the model's reference bath), so the targets are a function of
the input and learning is possible; ``params = (U, eps_d, alpha)`` with U uniform in [0, 4] and
``eps_d = sum_p w_p e_p``. Optional real-axis stand-in ``A_real`` (even sample ids only, NaN otherwise):
the poles broadened into Lorentzians of half-width 0.05; it only exercises the evaluation code.
"""

import numpy as np
import pytest
import torch

from triqs_nnsolver.model import ModelConfig

TINY = dict(grid_n_w=16, n_embd=16, n_head=2, n_frequency_features=4, n_encoder_layers=1, n_decoder_layers=1)


def tilted_pole_sum(w, energies, weights, alpha):
    """Exact A~_alpha(w) of a pole sum; float64 array of the shape of ``w``."""
    w = np.asarray(w, dtype=np.float64)[..., None]  # (..., 1) against the poles
    denominator = (w - energies * np.cos(alpha)) ** 2 + (energies * np.sin(alpha)) ** 2
    return np.sum(weights * np.abs(energies) * np.sin(alpha) / (np.pi * denominator), axis=-1)


def tilted_pole_sum_dalpha(w, energies, weights, alpha):
    """Exact dA~_alpha(w)/dalpha of a pole sum (differentiated by hand; checked by finite difference)."""
    w = np.asarray(w, dtype=np.float64)[..., None]
    denominator = (w - energies * np.cos(alpha)) ** 2 + (energies * np.sin(alpha)) ** 2
    d_denominator = 2 * w * energies * np.sin(alpha)
    terms = np.cos(alpha) / denominator - np.sin(alpha) * d_denominator / denominator**2
    return np.sum(weights * np.abs(energies) / np.pi * terms, axis=-1)


class PoleSumDataset(torch.utils.data.Dataset):
    """``n_samples`` pole sums times ``alphas`` items, in the data contract of ``triqs_nnsolver.train``."""

    def __init__(self, grid, n_samples: int, alphas, seed: int, n_poles: int = 2, first_sample_id: int = 0):
        rng = np.random.default_rng(seed)
        grid = np.asarray(grid, dtype=np.float64)
        self.grid = grid  # as triqs_nnsolver.train.dataset.SpectralDataset: the frequencies of every item
        self.items = []
        for s in range(n_samples):
            energies = rng.uniform(0.3, 1.5, n_poles) * rng.choice([-1.0, 1.0], n_poles)
            weights = rng.dirichlet(np.ones(n_poles))
            gaussians = np.exp(-0.5 * ((grid[:, None] - energies) / 0.3) ** 2) / (0.3 * np.sqrt(2 * np.pi))
            rho = 0.25 * gaussians @ weights  # (n_w,)
            lorentzians = 0.05 / np.pi / ((grid[:, None] - energies) ** 2 + 0.05**2)
            sample_id = first_sample_id + s
            A_real = lorentzians @ weights if sample_id % 2 == 0 else np.full(grid.size, np.nan)
            U = rng.uniform(0.0, 4.0)
            for k, alpha in enumerate(alphas):
                self.items.append(
                    {
                        "hybridization": torch.tensor(rho[:, None], dtype=torch.float32),  # (n_w, 1)
                        "params": torch.tensor([U, weights @ energies, alpha], dtype=torch.float32),
                        "A_tilde": torch.tensor(tilted_pole_sum(grid, energies, weights, alpha), dtype=torch.float32),
                        "dA_tilde_dalpha": torch.tensor(
                            tilted_pole_sum_dalpha(grid, energies, weights, alpha), dtype=torch.float32
                        ),
                        "sample_id": torch.tensor(sample_id, dtype=torch.int64),
                        "alpha_index": torch.tensor(k, dtype=torch.int64),
                        "A_real": torch.tensor(A_real, dtype=torch.float32),
                    }
                )

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]


@pytest.fixture(autouse=True)
def one_thread():
    """One intra-op thread: same float summation order on every machine, no oversubscription of 2 cores."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture
def tiny_config():
    return ModelConfig(**TINY)


@pytest.fixture
def make_pole_dataset():
    """``make(config, n_samples, alphas, seed, first_sample_id=0)`` -> PoleSumDataset on the model grid."""

    def make(config, n_samples, alphas, seed, first_sample_id=0):
        return PoleSumDataset(config.grid, n_samples, alphas, seed, first_sample_id=first_sample_id)

    return make


@pytest.fixture
def pole_formulas():
    """The two closed forms above, for the test that checks the derivative by finite differences."""
    return tilted_pole_sum, tilted_pole_sum_dalpha
