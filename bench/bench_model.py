"""Cost of the default network on the CPU: forward latency and training throughput.

Prints, for the default :class:`~triqs_nnsolver.model.ModelConfig`:
- the median forward latency of the scripted model at batch 1 and batch 64 (inference mode);
- training throughput in samples per second for one optimizer step of the full loss (spectral term plus
  the alpha-derivative term by double backward), batch 64.
The issue's target is a forward pass for one impurity well under 5 ms on a 2-core CPU. Not a test:
nothing here asserts on time.

Usage: python bench/bench_model.py [--threads 2] [--repeats 100]
"""

import argparse
import statistics
import time

import torch

from triqs_nnsolver.model import ImpuritySpectralNet, ModelConfig
from triqs_nnsolver.train.loss import spectral_loss


def median_seconds(function, repeats: int) -> float:
    for _ in range(3):  # warm-up (TorchScript profiling runs, allocator)
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    parser.add_argument("--repeats", type=int, default=100, help="timed calls per case")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    config = ModelConfig()
    model = ImpuritySpectralNet(config)
    n_parameters = sum(p.numel() for p in model.parameters())
    scripted = torch.jit.script(model.eval())
    print(f"default model: {n_parameters} parameters, {config.grid_n_w} frequency tokens, threads = {args.threads}")

    for batch in (1, 64):
        rho = 0.2 * torch.rand(batch, config.grid_n_w)
        params = torch.tensor([[2.0, -1.0, 0.3]]).expand(batch, 3).contiguous()
        with torch.inference_mode():
            seconds = median_seconds(lambda rho=rho, params=params: scripted(rho, params), args.repeats)
        print(f"forward, batch {batch:>3}: {1e3 * seconds:8.3f} ms/call  {1e3 * seconds / batch:8.4f} ms/sample")

    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    batch = 64
    data = {
        "hybridization": 0.2 * torch.rand(batch, config.grid_n_w, 1),
        "params": torch.cat([4 * torch.rand(batch, 1), -2 * torch.rand(batch, 1), torch.rand(batch, 1)], dim=1),
        "A_tilde": torch.rand(batch, config.grid_n_w),
        "dA_tilde_dalpha": torch.rand(batch, config.grid_n_w),
    }

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss, _ = spectral_loss(model, data, lambda_derivative=1.0)
        loss.backward()
        optimizer.step()

    seconds = median_seconds(step, max(5, args.repeats // 10))
    print(f"training step, batch {batch}: {1e3 * seconds:8.1f} ms  ->  {batch / seconds:8.1f} samples/s")


if __name__ == "__main__":
    main()
