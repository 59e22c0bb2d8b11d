"""Data-parallel training under torchrun: two CPU processes (gloo) stay in step; rank 0 alone writes files."""

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import torch

import triqs_nnsolver
from triqs_nnsolver.train import TrainConfig, load_checkpoint

WORKER = textwrap.dedent(
    """
    import os, sys
    import torch
    from triqs_nnsolver.model import ModelConfig
    from triqs_nnsolver.train import TrainConfig, train

    torch.set_num_threads(1)
    out_dir, data_file = sys.argv[1], sys.argv[2]
    data = torch.load(data_file, weights_only=True)
    result = train(ModelConfig.from_dict(data["model_config"]), TrainConfig.from_dict(data["train_config"]),
                   data["train"], data["val"], out_dir, progress=False)
    torch.save({"model": result.model.state_dict(), "history": result.history},
               os.path.join(data_file + ".rank" + os.environ["RANK"]))
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_processes_train_in_step(tiny_config, make_pole_dataset, tmp_path):
    train_set = make_pole_dataset(tiny_config, n_samples=4, alphas=(0.2, 0.4), seed=0)  # 8 items: 4 per rank
    val_set = make_pole_dataset(tiny_config, n_samples=1, alphas=(0.2, 0.4), seed=1)
    config = TrainConfig(learning_rate=1e-2, warmup_steps=1, batch_size=2, max_epochs=3, device="cpu", seed=2)
    data_file = tmp_path / "data.pt"
    torch.save(
        {
            "model_config": tiny_config.to_dict(),
            "train_config": config.to_dict(),
            "train": train_set.items,
            "val": val_set.items,
        },
        data_file,
    )
    (tmp_path / "worker.py").write_text(WORKER)
    environment = {**os.environ, "PYTHONPATH": str(Path(triqs_nnsolver.__file__).parents[1]), "OMP_NUM_THREADS": "1"}
    launcher = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_addr=127.0.0.1"]
    command = [*launcher, f"--master_port={_free_port()}", str(tmp_path / "worker.py"), str(tmp_path / "out")]
    completed = subprocess.run([*command, str(data_file)], env=environment, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[:6000]

    rank0, rank1 = (torch.load(f"{data_file}.rank{r}", weights_only=True) for r in (0, 1))
    for key, value in rank0["model"].items():
        assert torch.equal(value, rank1["model"][key]), key  # DDP averages gradients: replicas stay identical
    history = [{k: v for k, v in record.items() if k != "seconds"} for record in rank0["history"]]
    assert [{k: v for k, v in record.items() if k != "seconds"} for record in rank1["history"]] == history
    assert len(history) == 3
    assert all(record["step"] == 2 * record["epoch"] for record in history)  # 4 items per rank, batch 2
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["best.pt", "history.json", "last.pt"]
    best = load_checkpoint(tmp_path / "out" / "best.pt")
    assert TrainConfig.from_dict(best["train_config"]) == config
    for key, value in rank0["model"].items():
        assert torch.equal(value, best["model"][key]), key  # the unwrapped module was saved
