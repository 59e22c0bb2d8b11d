"""Loading and running a model imports no training stack: not ``triqs_nnsolver.train``, tqdm or the data package.

Checked in a fresh interpreter (``sys.modules`` of this one holds whatever other tests imported). ``import
torch`` alone already loads ``torch.distributed`` and, through ``torch.hub``, tqdm where it is installed;
so the test records the modules present after ``import torch`` and requires that loading and running a model
adds no module of ``triqs_nnsolver.train`` or ``triqs_nnsolver.data``, of tqdm (``train.loop`` imports
``tqdm.auto``) or of ``torch.distributed`` (``train.distributed``, DistributedDataParallel).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

CODE = """
import sys
import numpy as np
import torch
before = set(sys.modules)
import triqs_nnsolver.runtime as runtime
model = runtime.load_model(sys.argv[1], backend=sys.argv[2])
n_w = model.metadata.model_config.grid_n_w
out = model.runner.forward(np.full((1, n_w), 0.1, np.float32), np.float32([[1.0, -0.5, 0.0]]))
assert out.shape == (1, n_w)
heavy = ("triqs_nnsolver.train", "triqs_nnsolver.data", "tqdm", "torch.distributed")
added = [m for m in set(sys.modules) - before if any(m == h or m.startswith(h + ".") for h in heavy)]
print(sorted(added), "triqs_nnsolver.train" in sys.modules)
"""


@pytest.mark.parametrize("backend", ["python", "auto"])  # 'auto' is the C++ runner where it is built
def test_loading_and_running_a_model_imports_no_training_stack(small_model_file, backend):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3] / "python")}
    result = subprocess.run(
        [sys.executable, "-c", CODE, str(small_model_file), backend], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "False"]
