"""The C++ and Python TorchScript runners agree and fail clearly on bad model files."""

import numpy as np
import pytest
import torch

from triqs_nnsolver.runtime import (
    CppRunner,
    InferenceError,
    InputSpec,
    ModelLoadError,
    ModelNotFoundError,
    PythonRunner,
    cpp_runtime_available,
    load_runner,
)

needs_cpp = pytest.mark.skipif(
    not cpp_runtime_available(),
    reason="the C++ runtime triqs_nnsolver._runtime is not built (install with `make install`)",
)


class TinyCrossAttention(torch.nn.Module):
    """Frequency tokens attend to a parameter embedding; the shape of the real model in miniature."""

    def __init__(self, n_embd: int = 16, n_head: int = 2):
        super().__init__()
        self.token = torch.nn.Linear(2, n_embd)  # (value, frequency) per token
        self.param = torch.nn.Linear(3, n_embd)  # (U, eps_d, alpha)
        self.attention = torch.nn.MultiheadAttention(n_embd, n_head, batch_first=True)
        self.head = torch.nn.Linear(n_embd, 1)

    def forward(self, rho: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
        n_w = rho.shape[1]
        w = torch.linspace(-1.0, 1.0, n_w, dtype=rho.dtype).expand_as(rho)
        tokens = self.token(torch.stack([rho, w], dim=-1))  # (batch, n_w, n_embd)
        keys = self.param(params).unsqueeze(1)  # (batch, 1, n_embd)
        fused, _ = self.attention(tokens, keys, keys, need_weights=False)
        return torch.nn.functional.softplus(self.head(tokens + fused)).squeeze(-1)  # (batch, n_w)


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    torch.manual_seed(7)
    path = tmp_path_factory.mktemp("model") / "tiny_cross_attention.pt"
    torch.jit.script(TinyCrossAttention().eval()).save(str(path))
    return path


@pytest.fixture(scope="module")
def inputs():
    rng = np.random.default_rng(11)
    return rng.random((8, 32), dtype=np.float32), rng.random((8, 3), dtype=np.float32)


def test_python_runner_matches_module(model_path, inputs):
    module = torch.jit.load(str(model_path))
    with torch.no_grad():
        expected = module(*(torch.from_numpy(a) for a in inputs)).numpy()
    result = PythonRunner(model_path).forward(*inputs)
    assert result.shape == (8, 32)
    np.testing.assert_array_equal(result, expected)  # same kernels, same inputs: identical bits


@needs_cpp
def test_cpp_and_python_runners_are_identical(model_path, inputs):
    python_out = PythonRunner(model_path).forward(*inputs)
    cpp_out = CppRunner(model_path).forward(*inputs)
    assert cpp_out.dtype == np.float32
    np.testing.assert_array_equal(cpp_out, python_out)  # one libtorch in the process: identical bits
    np.testing.assert_array_equal(CppRunner(model_path).forward(*(a[:1] for a in inputs)).shape, (1, 32))


@needs_cpp
def test_cpp_runner_accepts_float64_and_noncontiguous(model_path):
    module = torch.jit.load(str(model_path)).double()
    path = model_path.with_name("tiny_double.pt")
    module.save(str(path))
    rng = np.random.default_rng(3)
    rho = rng.random((32, 4)).T  # Fortran-ordered view: the runner must make it contiguous
    params = rng.random((4, 3))
    np.testing.assert_array_equal(CppRunner(path).forward(rho, params), PythonRunner(path).forward(rho, params))


def test_load_runner_picks_the_cpp_runner_when_built(model_path):
    runner = load_runner(model_path)
    assert runner.backend == ("c++" if cpp_runtime_available() else "python")
    assert load_runner(model_path, backend="python").backend == "python"


@pytest.mark.parametrize("backend", ["python", pytest.param("c++", marks=needs_cpp)])
def test_missing_model_names_the_path(tmp_path, backend):
    missing = tmp_path / "no_such_model.pt"
    with pytest.raises(ModelNotFoundError, match="path = '.*no_such_model.pt'") as error:
        load_runner(missing, backend=backend)
    assert isinstance(error.value, FileNotFoundError)  # what callers caught before ModelNotFoundError existed


@pytest.mark.parametrize("backend", ["python", pytest.param("c++", marks=needs_cpp)])
def test_corrupt_model_names_the_path(tmp_path, backend):
    corrupt = tmp_path / "corrupt_model.pt"
    corrupt.write_bytes(b"this is not a TorchScript archive")
    with pytest.raises(ModelLoadError, match="corrupt_model.pt"):
        load_runner(corrupt, backend=backend)


@pytest.mark.parametrize("backend", ["python", pytest.param("c++", marks=needs_cpp)])
def test_wrong_inputs_raise_inference_error(model_path, inputs, backend):
    with pytest.raises(InferenceError, match="tiny_cross_attention.pt"):
        load_runner(model_path, backend=backend).forward(inputs[0])


@pytest.mark.parametrize("backend", ["python", pytest.param("c++", marks=needs_cpp)])
def test_input_specs_refuse_other_dtypes_and_shapes(model_path, inputs, backend):
    specs = [InputSpec("rho", np.float32, [(32,)]), InputSpec("params", np.float32, [(3,)])]
    runner = load_runner(model_path, backend=backend, inputs=specs)
    np.testing.assert_array_equal(runner.forward(*inputs), load_runner(model_path, backend=backend).forward(*inputs))
    with pytest.raises(TypeError, match=r"input 0 \(rho\) .* float32 array of shape \(batch, 32\); got dtype float64"):
        runner.forward(inputs[0].astype(np.float64), inputs[1])
    with pytest.raises(ValueError, match=r"input 1 \(params\) .* \(batch, 3\); got shape \(8, 3, 1\)"):
        runner.forward(inputs[0], inputs[1][:, :, None])


def test_bad_arguments_are_named(model_path, inputs):
    with pytest.raises(ValueError, match="backend"):
        load_runner(model_path, backend="cuda")
    with pytest.raises(ValueError, match="num_threads"):
        load_runner(model_path, num_threads=0)
    with pytest.raises(TypeError, match="input 1"):
        load_runner(model_path).forward(inputs[0], inputs[1].astype(np.complex64))


def test_thread_count_is_settable(model_path):
    before = torch.get_num_threads()
    try:
        runner = load_runner(model_path, num_threads=1)
        assert runner.num_threads == 1
    finally:
        torch.set_num_threads(before)
