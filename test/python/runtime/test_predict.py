"""``LoadedModel.predict``: the caller's problem in, every declared channel fed, the answer in the caller's unit."""

import numpy as np
import pytest

from triqs_nnsolver.gf import semicircle_dos
from triqs_nnsolver.model_contract import model_inputs, spectral_from_model_units
from triqs_nnsolver.runtime import load_model

W = np.linspace(-6, 6, 1201) + 0.0025  # a Bethe bath of half-bandwidth 2 (scale 2) and its tails; no point at 0
RHO = 1.0 * semicircle_dos(W, 2.0)  # t^2 rho_0 with t = D/2 = 1


@pytest.mark.parametrize("fixture", ["small_model_file", "small_re_delta_model_file"])
def test_predict_runs_the_network_on_the_contract_inputs(request, fixture):
    model = load_model(request.getfixturevalue(fixture), backend="python")
    config = model.metadata.model_config
    prediction = model.predict(W, RHO, 4.0, -2.0, alpha=[0.0, 0.2])
    inputs = model_inputs(model.grid, W, RHO, 4.0, -2.0, [0.0, 0.2], use_re_delta=config.use_re_delta)
    assert prediction.inputs.hybridization.shape == (2, config.grid_n_w, config.n_input_channels)
    np.testing.assert_array_equal(prediction.inputs.hybridization, inputs.hybridization)
    np.testing.assert_array_equal(prediction.inputs.params, inputs.params)
    A_model = model.runner.forward(inputs.hybridization, inputs.params)
    np.testing.assert_array_equal(prediction.A, spectral_from_model_units(inputs.scale, model.grid, A_model, W))
    assert prediction.A.shape == (2, W.size) and prediction.scale == inputs.scale
    # the piecewise-linear weight of the square-root edges is short by ~h^1.5 (h = 0.01): 1e-4 relative here
    assert prediction.scale == pytest.approx(2.0, rel=1e-4)
    single = model.predict(W, RHO, 4.0, -2.0)  # alpha = 0 given as a number: one spectrum, shape (n_w,)
    np.testing.assert_array_equal(single.A, prediction.A[0])


def test_the_re_delta_channel_reaches_the_network(small_re_delta_model_file):
    model = load_model(small_re_delta_model_file, backend="python")
    inputs = model.predict(W, RHO, 4.0, -2.0).inputs
    assert inputs.hybridization.shape[-1] == 2 and np.abs(inputs.hybridization[0, :, 1]).max() > 0.1
    without = inputs.hybridization.copy()
    without[..., 1] = 0.0
    # the second channel changes the answer: it is fed, not dropped (a zero channel is a different input)
    assert not np.array_equal(
        model.runner.forward(inputs.hybridization, inputs.params), model.runner.forward(without, inputs.params)
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"alpha": -0.1}, r"alpha must be one or more angles in \[0, pi/2\) radians; got alpha = -0.1"),
        ({"U": float("nan")}, r"U must be a finite real number \(energy unit\); got U = nan"),
        ({"rho_Delta": np.zeros(W.size)}, "rho_Delta must be >= 0 with positive weight"),
        ({"rho_Delta": -np.ones(W.size)}, "rho_Delta must be >= 0 with positive weight"),
        ({"rho_Delta": np.full(W.size, np.nan)}, "rho_Delta must be finite"),
        ({"rho_Delta": np.ones(3)}, "rho_Delta must have the shape of w"),
    ],
)
def test_predict_names_a_bad_argument(small_model_file, kwargs, message):
    model = load_model(small_model_file, backend="python")
    arguments = {"w": W, "rho_Delta": RHO, "U": 4.0, "eps_d": -2.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        model.predict(**arguments)
