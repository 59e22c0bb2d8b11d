"""
Generating data, training and exporting a (tiny) model
======================================================

The whole pipeline of :doc:`/model` at toy size, so that it runs at every build in seconds: 48
exact-diagonalization samples on 3-level baths, a network of width 16 with one encoder and one decoder layer on
a 32-point grid, three epochs, export to a TorchScript model file, and a solve with the exported file. Each step
is the command line's (``triqs-nnsolver generate``, ``train``, ``export``), called here in-process through
:func:`triqs_nnsolver.cli.main.main` with the same arguments a shell would pass. A toy model learns nothing
useful; the commands of the shipped model are in its card (:doc:`/model_card`).

The same steps from a shell, with two MPI ranks for the data::

    mpiexec -n 2 triqs-nnsolver generate --backend ed --n-samples 48 --out tiny.h5 --seed 3 --bath-sites 3 \\
        --alphas 0.2,0.4 --sigma-w 0.1 --model-config model.json
    triqs-nnsolver inspect tiny.h5
    triqs-nnsolver train --data tiny.h5 --out run --config config.json
    triqs-nnsolver export run/best.pt --out tiny.pt
"""

import json
import shutil
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from triqs_nnsolver.cli.main import main as triqs_nnsolver
from triqs_nnsolver.gf import semicircle_dos
from triqs_nnsolver.impurity import NeuralImpuritySolver

work = Path(tempfile.mkdtemp(prefix="tiny_model_"))

# %%
# Configuration: ``{"model": ModelConfig overrides, "train": TrainConfig overrides}``; the data generator takes
# the model part for its grid.

config = {
    "model": {
        "grid_n_w": 32,
        "grid_w_max": 6.0,
        "n_embd": 16,
        "n_head": 2,
        "n_encoder_layers": 1,
        "n_decoder_layers": 1,
        "n_frequency_features": 4,
        "n_param_harmonics": 2,
    },
    "train": {"max_epochs": 3, "batch_size": 16, "warmup_steps": 0, "learning_rate": 3e-3, "seed": 1, "device": "cpu"},
}
(work / "config.json").write_text(json.dumps(config, indent=2))
(work / "model.json").write_text(json.dumps(config["model"]))

# %%
# Data, training, export.

data, run, model = work / "tiny.h5", work / "run", work / "tiny.pt"
generate = ["generate", "--backend", "ed", "--n-samples", "48", "--out", str(data), "--seed", "3"]
generate += ["--bath-sites", "3", "--alphas", "0.2,0.4", "--sigma-w", "0.1", "--model-config", str(work / "model.json")]
assert triqs_nnsolver([*generate, "--no-progress"]) == 0
train = ["train", "--data", str(data), "--out", str(run), "--config", str(work / "config.json")]
assert triqs_nnsolver([*train, "--no-progress"]) == 0
assert triqs_nnsolver(["export", str(run / "best.pt"), "--out", str(model)]) == 0

history = json.loads((run / "history.json").read_text())
for epoch in history:
    print(f"epoch {epoch['epoch']}: train loss {epoch['train_loss']:.3e}, validation loss {epoch['val_loss']:.3e}")

# %%
# The exported file is a model like the shipped one: any solver takes it by path (``Solver(model=...)``,
# ``triqs-nnsolver bethe --model``). Here one impurity solve on the Bethe bath at U = 2 D, half filling, against
# the shipped model.

w = np.linspace(-4.0, 4.0, 800)
rho_Delta = 0.25 * semicircle_dos(w, 1.0)  # Delta = t^2 G of the semicircle, t = D/2
figure, axis = plt.subplots(figsize=(6.4, 3.6))
for label, path in (("tiny model (3 epochs)", model), ("shipped model", None)):
    solver = NeuralImpuritySolver(path)
    axis.plot(w, solver.spectral_function(w, rho_Delta, 2.0, -1.0), label=label)
axis.set(xlabel="w / D", ylabel="D A(w)", title="one impurity solve, Bethe bath, U = 2 D")
axis.legend()
shutil.rmtree(work)
