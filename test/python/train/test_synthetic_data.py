"""The analytic test data of conftest.py: closed-form dA~/dalpha against finite differences, the data contract."""

import numpy as np
import torch
from scipy.integrate import trapezoid


def test_closed_form_derivative_matches_finite_difference(pole_formulas):
    tilted, tilted_dalpha = pole_formulas
    rng = np.random.default_rng(11)
    energies = rng.uniform(0.3, 1.5, 3) * np.array([-1.0, 1.0, 1.0])
    weights = rng.dirichlet(np.ones(3))
    w = np.linspace(-3, 3, 301)
    for alpha in (0.1, 0.4, 1.0):
        h = 1e-5
        upper, lower = tilted(w, energies, weights, alpha + h), tilted(w, energies, weights, alpha - h)
        finite_difference = (upper - lower) / (2 * h)
        exact = tilted_dalpha(w, energies, weights, alpha)
        scale = np.max(np.abs(exact))
        # central difference: truncation h^2 |f'''| / 6 <~ 1e-10 scale for Lorentzians this wide, rounding
        # eps |f| / h ~ 1e-10 scale; 1e-7 relative to the largest value leaves a wide margin
        np.testing.assert_allclose(finite_difference, exact, rtol=0, atol=1e-7 * scale)


def test_tilted_pole_sum_is_normalised(pole_formulas):
    tilted, _ = pole_formulas
    w = np.linspace(-2000, 2000, 2_000_001)  # step 2e-3, far beyond the Lorentzian half-widths |e| sin(a)
    A = tilted(w, np.array([-0.7, 1.2]), np.array([0.4, 0.6]), 0.3)
    # Lorentzian tails beyond |w| = 2000 carry ~ (2 / pi) |e| sin(a) / 2000 ~ 1e-4 of the weight
    assert abs(trapezoid(A, w) - 1.0) < 3e-4


def test_items_follow_the_data_contract(tiny_config, make_pole_dataset):
    dataset = make_pole_dataset(tiny_config, n_samples=3, alphas=(0.2, 0.4), seed=0)
    assert len(dataset) == 6
    item = dataset[3]
    n_w = tiny_config.grid_n_w
    expected = {"hybridization": (n_w, 1), "params": (3,), "A_tilde": (n_w,), "dA_tilde_dalpha": (n_w,)}
    for key, shape in {**expected, "A_real": (n_w,)}.items():
        assert item[key].shape == shape and item[key].dtype == torch.float32, key
    assert item["sample_id"].dtype == torch.int64 and item["sample_id"].item() == 1
    assert item["alpha_index"].item() == 1 and item["params"][2].item() == np.float32(0.4)
    assert torch.all(torch.isnan(item["A_real"]))  # odd sample ids carry no real-axis reference
    assert torch.all(torch.isfinite(dataset[0]["A_real"]))
