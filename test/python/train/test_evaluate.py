"""The evaluation report: its fields against statistics recomputed by hand, alpha selection, the files."""

import json

import numpy as np
import pytest
import torch
from scipy.integrate import trapezoid

from triqs_nnsolver.model import ImpuritySpectralNet
from triqs_nnsolver.train import evaluate, predict_with_alpha_derivative, write_report

ALPHAS = (0.2, 0.4)


@pytest.fixture
def model_and_data(tiny_config, make_pole_dataset):
    torch.manual_seed(0)
    model = ImpuritySpectralNet(tiny_config).eval()
    return model, make_pole_dataset(tiny_config, n_samples=5, alphas=ALPHAS, seed=1)


def _stack(dataset, key):
    return torch.stack([dataset[i][key] for i in range(len(dataset))])


def test_report_statistics(model_and_data, tiny_config):
    model, dataset = model_and_data
    report = evaluate(model, dataset, batch_size=3)  # batches that straddle samples
    assert report["n_items"] == 10 and report["n_samples"] == 5
    assert report["model_config"] == tiny_config.to_dict()
    hybridization, params = _stack(dataset, "hybridization"), _stack(dataset, "params")
    with torch.no_grad():
        prediction = model(hybridization, params).double().numpy()  # (10, n_w)
    target = _stack(dataset, "A_tilde").double().numpy()
    assert [entry["alpha"] for entry in report["per_alpha"]] == pytest.approx(ALPHAS, abs=1e-7)  # float32 alphas
    for k, entry in enumerate(report["per_alpha"]):
        rows = slice(k, None, 2)  # items alternate alphas within each sample
        error = np.abs(prediction[rows] - target[rows])
        assert entry["n_items"] == 5
        # same float32 predictions, reduced in float64 either way: a few float64 eps
        assert entry["max_abs_error"]["mean"] == pytest.approx(error.max(axis=1).mean(), rel=1e-12)
        assert entry["max_abs_error"]["max"] == pytest.approx(error.max(), rel=1e-12)
        assert entry["rms_error"]["max"] == pytest.approx(np.sqrt((error**2).mean(axis=1)).max(), rel=1e-12)
        assert entry["derivative_rms_error"]["mean"] > 0

    w = tiny_config.grid
    integrals = trapezoid(prediction, w, axis=1)
    assert report["sum_rule"]["tilted"]["max_abs_deviation"] == pytest.approx(np.abs(integrals - 1).max(), rel=1e-12)
    assert report["positivity"]["tilted"]["min"] == pytest.approx(prediction.min(), rel=1e-12)
    assert report["positivity"]["tilted"]["fraction_negative"] == 0.0  # Softplus output
    assert set(report["sum_rule"]) == set(report["positivity"]) == {"tilted", "tilted_data", "alpha_0", "first_order"}


def test_real_axis_predictions(model_and_data):
    model, dataset = model_and_data
    report = evaluate(model, dataset)
    real_axis = report["real_axis"]
    assert real_axis["n_samples"] == 5 and real_axis["n_with_reference"] == 3  # even sample ids 0, 2, 4
    assert real_axis["first_order_alpha"] == pytest.approx(0.2, abs=1e-7)  # the smallest alpha (float32)
    first = [dataset[2 * s] for s in (0, 2, 4)]  # first item of each sample with a reference
    hybridization = torch.stack([item["hybridization"] for item in first])
    params = torch.stack([item["params"] for item in first])
    params[:, 2] = 0.2
    A_tilde, dA_tilde = predict_with_alpha_derivative(model, hybridization, params, create_graph=False)
    first_order = (A_tilde - 0.2 * dA_tilde).double().numpy()
    reference = torch.stack([item["A_real"] for item in first]).double().numpy()
    expected = np.sqrt(((first_order - reference) ** 2).mean(axis=1)).mean()
    # identical float32 network evaluations; float64 statistics: rounding only
    assert real_axis["first_order"]["rms_error"]["mean"] == pytest.approx(expected, rel=1e-6)
    assert real_axis["alpha_0"]["max_abs_error"]["max"] > 0
    example = report["examples"][0]
    assert example["sample_id"] == 0 and len(example["tilted"]) == 2 and example["A_real"] is not None
    assert report["examples"][1]["A_real"] is None


def test_alpha_selection_and_missing_reference(model_and_data):
    model, dataset = model_and_data
    items = [{k: v for k, v in dataset[i].items() if k != "A_real"} for i in range(len(dataset))]
    report = evaluate(model, items, alphas=[0.4], first_order_alpha=0.1, n_examples=2)
    assert len(report["per_alpha"]) == 1 and report["per_alpha"][0]["n_items"] == 5
    assert report["real_axis"]["n_with_reference"] == 0 and report["real_axis"]["alpha_0"] is None
    assert report["real_axis"]["first_order_alpha"] == 0.1 and len(report["examples"]) == 2
    with pytest.raises(ValueError, match=r"alphas must be alphas of the dataset .*; got alpha = 0.3"):
        evaluate(model, dataset, alphas=[0.3])
    with pytest.raises(ValueError, match="first_order_alpha must lie in"):
        evaluate(model, dataset, first_order_alpha=0.0)
    with pytest.raises(ValueError, match="dataset must hold at least one item"):
        evaluate(model, [])
    with pytest.raises(TypeError, match="model must be an ImpuritySpectralNet"):
        evaluate(torch.nn.Linear(2, 2), dataset)


def test_write_report(model_and_data, tmp_path):
    model, dataset = model_and_data
    report = evaluate(model, dataset, n_examples=3)
    paths = write_report(report, tmp_path / "report")
    text = paths["json"].read_text()
    assert "NaN" not in text and json.loads(text) == json.loads(json.dumps(report))  # strict JSON, whole report
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and paths["png"].stat().st_size > 10_000
    with pytest.raises(ValueError, match="lacks"):
        write_report({"per_alpha": []}, tmp_path)
