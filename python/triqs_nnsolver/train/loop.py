"""The training loop: AdamW, warm-up + cosine schedule, clipping, early stopping, exact resume, DDP.

:func:`train` builds :class:`~triqs_nnsolver.model.ImpuritySpectralNet` from a
:class:`~triqs_nnsolver.model.ModelConfig`, fits it with the loss of :mod:`.loss` (spectral and
alpha-derivative terms) under a :class:`~.config.TrainConfig`, validates after every epoch, keeps
the weights of the lowest validation loss, and writes ``last.pt``, ``best.pt`` and ``history.json``
into its output folder (formats: :mod:`.checkpoint`). Like nanoGPT's ``train.py``, but configured by
dataclasses, logged through :mod:`logging`, with validated inputs and tests.

Reproducibility: torch, numpy and Python are seeded with ``seed``; epoch ``e`` shuffles with a
generator seeded by ``SeedSequence([seed, e])`` (or ``DistributedSampler(seed=seed).set_epoch(e)``),
so the order of batches does not depend on what ran before. Checkpoints at epoch ends hold the
weights, the optimizer moments, the step count (which fixes the learning rate) and the random states,
so that a run stopped after any checkpointed epoch and resumed ends with bit-identical weights on CPU.
On CUDA, bit-identity also needs ``torch.use_deterministic_algorithms(True)``, left to the caller.

Data parallel: under ``torchrun`` (environment ``WORLD_SIZE`` > 1) the process group is initialised
here unless the caller did it (NCCL with CUDA, gloo otherwise), the network is wrapped in
DistributedDataParallel, each process reads its share of every epoch through ``DistributedSampler``
and ``batch_size`` is per process. Every process validates on the whole validation set (identical
numbers, so all agree on early stopping); rank 0 alone writes files, logs epochs and shows the
progress bar. Running under ``mpiexec`` without ``torchrun`` is refused. Not here: data loading from
files (``triqs_nnsolver.data``), the evaluation report (:mod:`.evaluate`).

Layer: ``train``.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, RandomSampler
from tqdm.auto import tqdm

from ..model import ImpuritySpectralNet, ModelConfig
from .checkpoint import capture_rng_state, load_checkpoint, restore_rng_state, save_checkpoint, write_json_atomic
from .config import TrainConfig
from .distributed import DistributedContext, setup_distributed
from .loss import (
    SpectralWithAlphaDerivative,
    loss_from_predictions,
    predict_with_alpha_derivative,
    real_axis_prediction,
)

__all__ = ["TrainResult", "train", "learning_rate_at", "validation_loss"]

logger = logging.getLogger(__name__)

_TARGET_KEYS = ("hybridization", "params", "A_tilde", "dA_tilde_dalpha", "A_real")  # what the loss reads
_TERMS = ("loss", "spectral", "derivative", "real_axis")
_EPOCH_LINE = (
    "epoch %d: train %.4e (spectral %.4e, derivative %.4e, real axis %.4e), "
    "val %.4e (spectral %.4e, derivative %.4e, real axis %.4e), lr %.2e"
)
_EPOCH_LINE_KEYS = ("epoch", *(f"{split}_{term}" for split in ("train", "val") for term in _TERMS), "lr")


@dataclass
class TrainResult:
    """What :func:`train` returns. Epochs are counted from 1."""

    model: ImpuritySpectralNet  # the best weights (lowest validation loss), eval mode, on the training device
    best_val_loss: float  # validation loss of those weights
    best_epoch: int  # the epoch after which they were saved
    epochs: int  # epochs done in total, over all resumed runs
    steps: int  # optimizer steps done in total
    stop_reason: str  # 'max_epochs', 'early_stopping' or 'callback' (resumable)
    history: list  # one dict per epoch: losses of each term, learning rate, step, seconds
    out_dir: Path  # folder holding last.pt, best.pt and history.json


def learning_rate_at(step: int, config: TrainConfig, total_steps: int) -> float:
    """Learning rate for optimizer step ``step`` (0-based) of ``total_steps``: linear warm-up, then half cosine.

    ``lr = learning_rate (step + 1) / (warmup_steps + 1)`` for ``step < warmup_steps``, then
    ``min_lr + (learning_rate - min_lr) (1 + cos(pi x)) / 2`` with ``x`` going from 0 to 1 at ``total_steps``.
    """
    if step < config.warmup_steps:
        return config.learning_rate * (step + 1) / (config.warmup_steps + 1)
    x = min((step - config.warmup_steps) / max(total_steps - config.warmup_steps, 1), 1.0)
    return config.min_lr + 0.5 * (1.0 + math.cos(math.pi * x)) * (config.learning_rate - config.min_lr)


def validation_loss(
    model: torch.nn.Module,
    loader: DataLoader,
    lambda_derivative: float,
    device,
    lambda_real: float = 0.0,
    lambda_tilted: float = 1.0,
) -> dict:
    """Loss terms averaged over all items of ``loader``: ``{"loss", "spectral", "derivative", "real_axis"}`` as
    floats (``real_axis`` 0 unless ``lambda_real > 0``; ``spectral`` and ``derivative`` 0 when both their
    weights are 0, as then they are not computed)."""
    model.eval()
    sums = torch.zeros(len(_TERMS), dtype=torch.float64, device=device)  # the terms * items
    count = 0
    for batch in loader:
        batch = {key: batch[key].to(device) for key in _TARGET_KEYS}
        predictions = (None, None)
        if lambda_tilted > 0 or lambda_derivative > 0:
            predictions = predict_with_alpha_derivative(
                model, batch["hybridization"], batch["params"], create_graph=False
            )
        real = None
        if lambda_real > 0:
            with torch.no_grad():
                real = real_axis_prediction(model, batch["hybridization"], batch["params"])
        total, terms = loss_from_predictions(*predictions, batch, lambda_derivative, real, lambda_real, lambda_tilted)
        n = batch["params"].shape[0]
        sums += n * torch.stack([total.detach(), *(terms[key] for key in _TERMS[1:])]).double()
        count += n
    return dict(zip(_TERMS, (sums / count).tolist(), strict=True))


def _check_dataset(name: str, dataset, config: ModelConfig) -> None:
    """Raise ValueError naming ``name`` unless items carry the loss's tensors on the model's grid."""
    if len(dataset) == 0:
        raise ValueError(f"{name} must hold at least one item; got an empty dataset")
    grid = getattr(dataset, "grid", None)  # data files carry their grid (.dataset.SpectralDataset)
    # both grids come from make_nonuniform_refreq in float64: equal up to the platform's sinh rounding
    if grid is not None and not (np.shape(grid) == config.grid.shape and np.allclose(grid, config.grid, rtol=1e-12)):
        raise ValueError(
            f"{name}.grid must be the model grid (grid_w_max = {config.grid_w_max}, grid_n_w = {config.grid_n_w}, "
            f"grid_w_scale = {config.grid_w_scale}); got a grid of {np.size(grid)} points from "
            f"{np.min(grid):.6g} to {np.max(grid):.6g}"
        )
    item = dataset[0]
    n_w = config.grid_n_w
    expected = {
        "hybridization": ((n_w, config.n_input_channels), (n_w,) if config.n_input_channels == 1 else None),
        "params": ((3,), None),
        "A_tilde": ((n_w,), None),
        "dA_tilde_dalpha": ((n_w,), None),
    }
    for key, shapes in expected.items():
        if key not in item:
            raise ValueError(f"{name} items must hold {key!r}; got keys {sorted(item)}")
        if tuple(item[key].shape) not in shapes:
            raise ValueError(
                f"{name}[0][{key!r}] must have shape {shapes[0]} for the model grid (grid_n_w = {n_w}); "
                f"got {tuple(item[key].shape)}"
            )


def _make_optimizer(model: torch.nn.Module, config: TrainConfig) -> torch.optim.AdamW:
    """AdamW with weight decay on weight matrices only (nanoGPT): biases and norms are not shrunk."""
    matrices = [p for p in model.parameters() if p.dim() >= 2]
    vectors = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": matrices, "weight_decay": config.weight_decay}, {"params": vectors, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=config.learning_rate, betas=config.betas)


def _epoch_loader(dataset, config: TrainConfig, epoch: int, context: DistributedContext) -> DataLoader:
    """Shuffled loader of epoch ``epoch`` (0-based); its order depends only on (seed, epoch, rank)."""
    if context.world_size > 1:
        sampler = torch.utils.data.DistributedSampler(
            dataset, num_replicas=context.world_size, rank=context.rank, shuffle=True, seed=config.seed
        )
        sampler.set_epoch(epoch)
    else:
        epoch_seed = int(np.random.SeedSequence([config.seed, epoch]).generate_state(1)[0])
        sampler = RandomSampler(dataset, generator=torch.Generator().manual_seed(epoch_seed))
    return DataLoader(dataset, batch_size=config.batch_size, sampler=sampler, num_workers=config.num_workers)


def _seed_everything(seed: int) -> None:
    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def _cpu_copy(model: torch.nn.Module) -> dict:
    return {key: value.detach().cpu().clone() for key, value in model.state_dict().items()}


class _Run:
    """One call of :func:`train`: model, optimizer, configs, and the loop state that ``last.pt`` records."""

    def __init__(self, model_config: ModelConfig, config: TrainConfig, out_dir: Path, context: DistributedContext):
        self.model_config, self.config, self.out_dir, self.context = model_config, config, out_dir, context
        _seed_everything(config.seed)
        self.model = ImpuritySpectralNet(model_config).to(context.device)
        self.optimizer = _make_optimizer(self.model, config)
        self.state = {
            "step": 0,  # optimizer steps done
            "epoch": 0,  # epochs done
            "best_val_loss": math.inf,
            "best_epoch": 0,
            "epochs_without_improvement": 0,
            "best_model": _cpu_copy(self.model),
            "history": [],
            "stop_reason": None,  # 'max_epochs' or 'early_stopping' once finished
        }
        self.best_written = 0  # epoch whose weights best.pt holds (0: not written by this run)

    def resume(self, path: Path) -> None:
        """Load ``last.pt`` into the model, the optimizer, the random generators and the loop state."""
        checkpoint = load_checkpoint(path)
        if checkpoint["model_config"] != self.model_config.to_dict():
            raise ValueError(
                f"model_config differs from the one in {str(path)!r}; resume with the same model or another out_dir"
            )
        changed = sorted(k for k, v in self.config.to_dict().items() if checkpoint["train_config"].get(k) != v)
        if changed:
            logger.warning("resuming %s with changed train_config fields %s: the run is no longer exact", path, changed)
        self.model.load_state_dict(checkpoint["model"])
        self.optimizer.load_state_dict(checkpoint["optimizer"])
        restore_rng_state(checkpoint["rng"])
        self.state = {key: checkpoint[key] for key in self.state}
        self.best_written = self.state["best_epoch"]
        logger.info("resumed from %s after epoch %d (step %d)", path, self.state["epoch"], self.state["step"])

    def run(self, train_set, val_set, progress: bool, on_epoch_end) -> None:
        """Epochs ``state['epoch'] + 1 ... max_epochs``, or until early stopping or ``on_epoch_end``."""
        config, context = self.config, self.context
        network = SpectralWithAlphaDerivative(
            self.model, real_axis=config.lambda_real > 0, tilted=config.supervises_tilt
        )
        if context.world_size > 1:
            device_ids = [context.device] if context.device.type == "cuda" else None
            # static_graph: the same parameters are used every step, and some never (the readout block of
            # query_stream='frequency'); DDP then needs no per-step search for unused parameters
            network = torch.nn.parallel.DistributedDataParallel(network, device_ids=device_ids, static_graph=True)
        val_loader = DataLoader(val_set, batch_size=config.batch_size, num_workers=config.num_workers)
        total_steps = config.max_epochs * len(_epoch_loader(train_set, config, 0, context))
        show = progress and context.is_main
        with tqdm(total=total_steps, initial=self.state["step"], desc="train", disable=not show) as bar:
            for epoch in range(self.state["epoch"], config.max_epochs):
                start = time.perf_counter()
                loader = _epoch_loader(train_set, config, epoch, context)
                record = self._train_epoch(network, loader, total_steps, bar)
                validation = validation_loss(
                    self.model,
                    val_loader,
                    config.lambda_derivative,
                    context.device,
                    config.lambda_real,
                    config.lambda_tilted,
                )
                record.update({f"val_{key}": value for key, value in validation.items()})
                record["seconds"] = time.perf_counter() - start
                self._finish_epoch(record)
                if self.state["stop_reason"] is not None:
                    return
                if on_epoch_end is not None and on_epoch_end(record):
                    if record["epoch"] % config.checkpoint_every:  # not written yet by _finish_epoch
                        self._write_checkpoints()
                    logger.info("stopped by on_epoch_end after epoch %d; resume with resume=True", record["epoch"])
                    return

    def _train_epoch(self, network, loader: DataLoader, total_steps: int, bar) -> dict:
        """One pass over ``loader``; returns the epoch's history record with the mean training losses."""
        config, device = self.config, self.context.device
        self.model.train()
        sums = torch.zeros(len(_TERMS), dtype=torch.float64, device=device)  # the terms * items
        count = torch.zeros((), dtype=torch.float64, device=device)
        for batch in loader:
            batch = {key: batch[key].to(device) for key in _TARGET_KEYS}
            lr = learning_rate_at(self.state["step"], config, total_steps)
            for group in self.optimizer.param_groups:
                group["lr"] = lr
            predictions = network(batch["hybridization"], batch["params"])  # (A~, dA~/dalpha[, A(0)]), (B, n_w)
            real = predictions[2] if len(predictions) > 2 else None
            total, terms = loss_from_predictions(
                predictions[0],
                predictions[1],
                batch,
                config.lambda_derivative,
                real,
                config.lambda_real,
                config.lambda_tilted,
            )
            self.optimizer.zero_grad(set_to_none=True)
            total.backward()
            if config.grad_clip > 0:
                torch.nn.utils.clip_grad_norm_(self.model.parameters(), config.grad_clip)
            self.optimizer.step()
            self.state["step"] += 1
            n = batch["params"].shape[0]
            sums += n * torch.stack([total.detach(), *(terms[key] for key in _TERMS[1:])]).double()
            count += n
            bar.update(1)
            if self.state["step"] % config.log_every == 0:
                live = dict(zip(_TERMS, (sums / count).tolist(), strict=True))
                bar.set_postfix({key: f"{value:.3e}" for key, value in live.items()}, refresh=False)
                logger.debug("step %d: lr %.3e, running means %s", self.state["step"], lr, live)
        means = self.context.all_reduce_sum(sums) / self.context.all_reduce_sum(count)  # over all processes
        record = {"epoch": self.state["epoch"] + 1, "step": self.state["step"], "lr": lr}
        record.update({f"train_{key}": value for key, value in zip(_TERMS, means.tolist(), strict=True)})
        return record

    def _finish_epoch(self, record: dict) -> None:
        """Divergence check, best weights, stopping decision, log line and checkpoints of one epoch."""
        state, config, epoch = self.state, self.config, record["epoch"]
        if not (math.isfinite(record["train_loss"]) and math.isfinite(record["val_loss"])):
            raise FloatingPointError(
                f"training diverged in epoch {epoch}: train_loss = {record['train_loss']}, "
                f"val_loss = {record['val_loss']}; lower learning_rate or grad_clip"
            )
        state["epoch"] = epoch
        state["history"].append(record)
        if record["val_loss"] < state["best_val_loss"]:
            state.update(best_val_loss=record["val_loss"], best_epoch=epoch, epochs_without_improvement=0)
            state["best_model"] = _cpu_copy(self.model)
        else:
            state["epochs_without_improvement"] += 1
        patience = config.early_stopping_patience
        if patience is not None and state["epochs_without_improvement"] >= patience:
            state["stop_reason"] = "early_stopping"
        elif epoch == config.max_epochs:
            state["stop_reason"] = "max_epochs"
        if self.context.is_main:
            logger.info(_EPOCH_LINE, *(record[key] for key in _EPOCH_LINE_KEYS))
        if epoch % config.checkpoint_every == 0 or state["stop_reason"] is not None:
            self._write_checkpoints()
        if state["stop_reason"] == "early_stopping":
            logger.info("early stopping after epoch %d: no improvement for %d epochs", epoch, patience)

    def _write_checkpoints(self) -> None:
        """``best.pt`` (if the best changed since it was written), ``last.pt``, ``history.json``; rank 0 only."""
        if not self.context.is_main:
            return
        configs = {"model_config": self.model_config.to_dict(), "train_config": self.config.to_dict()}
        if self.state["best_epoch"] != self.best_written:
            best = {
                **configs,
                "model": self.state["best_model"],
                "epoch": self.state["best_epoch"],
                "val_loss": self.state["best_val_loss"],
            }
            save_checkpoint(best, self.out_dir / "best.pt")
            self.best_written = self.state["best_epoch"]
        last = {
            **configs,
            "model": _cpu_copy(self.model),
            "optimizer": self.optimizer.state_dict(),
            "rng": capture_rng_state(),
            **self.state,
        }
        save_checkpoint(last, self.out_dir / "last.pt")
        write_json_atomic(self.state["history"], self.out_dir / "history.json")


def train(
    model_config: ModelConfig,
    train_config: TrainConfig,
    train_set,
    val_set,
    out_dir,
    resume: bool = False,
    progress: bool = True,
    on_epoch_end: Callable[[dict], bool] | None = None,
) -> TrainResult:
    """Train the network on ``train_set``, early-stopping on ``val_set``; write checkpoints to ``out_dir``.

    Parameters
    ----------
    model_config : ModelConfig
        The network to build (its grid must be the data's grid).
    train_config : TrainConfig
        Optimizer, schedule, loss weight, stopping, seed, device, cadence.
    train_set, val_set : torch.utils.data.Dataset
        Items are dicts of tensors: ``"hybridization"`` (n_w, n_channels), ``"params"`` (3,) = (U, eps_d,
        alpha), ``"A_tilde"`` and ``"dA_tilde_dalpha"`` (n_w,), float32, model units; other keys are ignored.
    out_dir : str or os.PathLike
        Folder for ``last.pt``, ``best.pt`` and ``history.json``; created if missing.
    resume : bool, optional
        Continue from ``out_dir/last.pt`` (a fresh start, with a warning, if there is none). A run that
        had finished returns at once.
    progress : bool, optional
        Show a tqdm bar with live losses (rank 0 only).
    on_epoch_end : callable, optional
        Called on every process after each epoch with that epoch's history record; returning True ends
        the run after writing ``last.pt`` (resumable), e.g. at a batch job's time limit. Under DDP it
        must return the same on every process.

    Returns
    -------
    TrainResult

    Raises
    ------
    TypeError
        If a config has the wrong type.
    ValueError
        If a dataset is empty, its items lack a key or have shapes that do not fit ``model_config``, its
        ``grid`` attribute (if any) is not the model grid, ``device='cuda'`` is asked for without CUDA, or
        ``last.pt`` holds another model configuration.
    FloatingPointError
        If a loss becomes non-finite (lower ``learning_rate`` or ``grad_clip``).
    NotImplementedError
        Under ``mpiexec`` with several ranks but no torch.distributed process group.
    """
    if not isinstance(model_config, ModelConfig):
        raise TypeError(f"model_config must be a ModelConfig; got {type(model_config).__name__}")
    if not isinstance(train_config, TrainConfig):
        raise TypeError(f"train_config must be a TrainConfig; got {type(train_config).__name__}")
    _check_dataset("train_set", train_set, model_config)
    _check_dataset("val_set", val_set, model_config)
    out_dir = Path(out_dir)
    context = setup_distributed(train_config.device)
    try:
        if context.is_main:
            out_dir.mkdir(parents=True, exist_ok=True)
        run = _Run(model_config, train_config, out_dir, context)
        last = out_dir / "last.pt"
        if resume and last.is_file():
            run.resume(last)
        elif resume:
            logger.warning("resume=True but there is no %s: starting afresh", last)
        if run.state["stop_reason"] is None:
            run.run(train_set, val_set, progress, on_epoch_end)
        run.model.load_state_dict(run.state["best_model"])
        context.barrier()
    finally:
        context.close()
    state = run.state
    return TrainResult(
        model=run.model.eval(),
        best_val_loss=state["best_val_loss"],
        best_epoch=state["best_epoch"],
        epochs=state["epoch"],
        steps=state["step"],
        stop_reason=state["stop_reason"] or "callback",
        history=state["history"],
        out_dir=out_dir,
    )
