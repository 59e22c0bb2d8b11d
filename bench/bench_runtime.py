"""Per-call latency of the C++ and Python TorchScript runners (median of many calls).

Builds a small cross-attention network of roughly the production shape (one token per frequency,
self-attention over frequencies, cross-attention to a parameter embedding), scripts it, and times
``runner.forward`` at batch 1 and batch 64 for each available runner. Prints milliseconds per call
and the C++/Python ratio. Not a test: nothing here asserts on time.

Usage: python bench/bench_runtime.py [--n-w 256] [--threads 1] [--repeats 200]
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from triqs_nnsolver.runtime import cpp_runtime_available, load_runner


class BenchCrossAttention(torch.nn.Module):
    def __init__(self, n_embd: int = 64, n_head: int = 4):
        super().__init__()
        self.token = torch.nn.Linear(2, n_embd)
        self.param = torch.nn.Linear(3, n_embd)
        self.self_attention = torch.nn.TransformerEncoderLayer(n_embd, n_head, 2 * n_embd, batch_first=True)
        self.cross_attention = torch.nn.MultiheadAttention(n_embd, n_head, batch_first=True)
        self.head = torch.nn.Linear(n_embd, 1)

    def forward(self, rho: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
        w = torch.linspace(-1.0, 1.0, rho.shape[1], dtype=rho.dtype).expand_as(rho)
        tokens = self.self_attention(self.token(torch.stack([rho, w], dim=-1)))  # (batch, n_w, n_embd)
        keys = self.param(params).unsqueeze(1)  # (batch, 1, n_embd)
        fused, _ = self.cross_attention(tokens, keys, keys, need_weights=False)
        return torch.nn.functional.softplus(self.head(tokens + fused)).squeeze(-1)  # (batch, n_w)


def median_ms(runner, inputs, repeats: int) -> float:
    for _ in range(5):  # warm-up: the first calls of a TorchScript module optimise the graph
        runner.forward(*inputs)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        runner.forward(*inputs)
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-w", type=int, default=256, help="frequency points (tokens) per sample")
    parser.add_argument("--threads", type=int, default=1, help="libtorch intra-op threads")
    parser.add_argument("--repeats", type=int, default=200, help="timed calls per case")
    args = parser.parse_args()

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    backends = ["python"] + (["c++"] if cpp_runtime_available() else [])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench_model.pt"
        torch.jit.script(BenchCrossAttention().eval()).save(str(path))
        print(f"runtime latency, n_w = {args.n_w}, threads = {args.threads}, median of {args.repeats} calls")
        print(f"{'batch':>6} {'backend':>8} {'ms/call':>10} {'ms/sample':>10}")
        for batch in (1, 64):
            inputs = (rng.random((batch, args.n_w), dtype=np.float32), rng.random((batch, 3), dtype=np.float32))
            results = {}
            for backend in backends:
                runner = load_runner(path, backend=backend, num_threads=args.threads)
                results[backend] = median_ms(runner, inputs, args.repeats if batch == 1 else args.repeats // 10)
                print(f"{batch:>6} {backend:>8} {results[backend]:>10.3f} {results[backend] / batch:>10.4f}")
            if "c++" in results:
                print(f"{batch:>6} {'c++/py':>8} {results['c++'] / results['python']:>10.3f}")
    if "c++" not in backends:
        print("the C++ runtime is not built: only the Python runner was timed")


if __name__ == "__main__":
    main()
