"""Exported model files, read side: the metadata checked, then the TorchScript loaded and run.

An exported model is one file, ``model.pt``: the scripted :class:`~triqs_nnsolver.model.ImpuritySpectralNet`
with an extra file ``metadata.json`` inside the archive (:class:`~triqs_nnsolver.model.metadata.ModelMetadata`,
written by :func:`triqs_nnsolver.train.write_model_file`) holding

- ``format`` (``"triqs_nnsolver.model"``) and ``metadata_version``;
- ``package_version`` and ``data_schema_version`` of what trained it;
- ``model_config`` (the :class:`~triqs_nnsolver.model.ModelConfig`, which defines the grid) and ``grid``;
- ``energy_unit``: a sentence saying what 1.0 means (see :mod:`triqs_nnsolver.model_contract`);
- ``training_domain``: ranges of U, eps_d, the hybridization scale and alpha seen in training;
- ``training_data_hash``: a digest of the training files;
- ``data_resolution`` (metadata version 2): the frequency resolution sigma_w of the training targets (energy
  unit; 0.0: unbroadened). The network predicts ``A~`` convolved with a Gaussian of this standard deviation.
  Files of metadata version 1 do not record it (read as None).

A model file is code: a TorchScript archive runs the code it carries when it is loaded, so a model
file must come from a trusted source. :func:`read_model_metadata` reads the metadata with
:mod:`zipfile` (the archive is a zip file) without loading or running anything, and :func:`load_model`
hands the file to a runner only once they pass: it refuses missing files, foreign files (not a zip
archive, or a zip archive that is not a TorchScript archive with metadata), corrupt ones (truncated, or a
member failing its CRC check), files of a newer metadata version, and files whose metadata are
incomplete or whose grid disagrees with their configuration — each with a :class:`ModelLoadError`
naming the path, what was expected and what was found. A shipped model is moreover compared with its
shipped SHA-256 checksum (:func:`~triqs_nnsolver.runtime.default_model.verify_shipped_model`); a
user's file outside the shipped folder has no known checksum and passes on its metadata alone.

What is not here: writing a model file (``train``, which exports checkpoints), the metadata's definition
(``model.metadata``) and the model's unit and inputs (``model_contract``).
Layer: ``runtime``; it imports neither the training stack nor the data package.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..model import ModelConfig
from ..model.metadata import METADATA_FILE, METADATA_VERSION, MODEL_FORMAT, ModelMetadata, TrainingDomain
from ..model_contract import ENERGY_UNIT, INPUT_DTYPE, PARAMS, ModelInputs, model_inputs, spectral_from_model_units
from ..version import __version__
from .errors import ModelLoadError
from .runners import InputSpec, checked_model_path, load_runner

__all__ = [
    "MODEL_FORMAT",
    "METADATA_VERSION",
    "ENERGY_UNIT",
    "TrainingDomain",
    "ModelMetadata",
    "LoadedModel",
    "ModelPrediction",
    "parse_metadata",
    "read_model_metadata",
    "input_specs",
    "load_model",
]


def parse_metadata(text: str, path: str = "<memory>") -> ModelMetadata:
    """Parse and check the text of ``metadata.json``; raises ModelLoadError naming ``path``, what was expected
    and what was found."""
    where = f"model file path = '{path}'"
    try:
        values = json.loads(text)
    except json.JSONDecodeError as err:
        raise ModelLoadError(f"{where}: expected JSON in its {METADATA_FILE}; got invalid JSON ({err})") from err
    if not isinstance(values, dict):
        raise ModelLoadError(
            f"{where}: expected a JSON object in its {METADATA_FILE}; got a JSON {type(values).__name__}"
        )
    if values.get("format") != MODEL_FORMAT:
        raise ModelLoadError(
            f"{where} is not a {MODEL_FORMAT} file: expected format {MODEL_FORMAT!r} in its {METADATA_FILE}; "
            f"got {values.get('format')!r}"
        )
    version = values.get("metadata_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ModelLoadError(f"{where}: expected an integer metadata_version >= 1; got {version!r}")
    if version > METADATA_VERSION:
        raise ModelLoadError(
            f"{where} has metadata version {version}, newer than this package reads: expected "
            f"metadata_version <= {METADATA_VERSION}; got {version}. Upgrade triqs_nnsolver (this is "
            f"{__version__})"
        )
    try:
        config = ModelConfig.from_dict(values["model_config"])
        metadata = ModelMetadata(
            model_config=config,
            training_domain=TrainingDomain(**values["training_domain"]),
            training_data_hash=str(values["training_data_hash"]),
            data_schema_version=int(values["data_schema_version"]),
            data_resolution=_resolution(values.get("data_resolution")),
            ensemble_size=_ensemble_size(values.get("ensemble_size", 1)),
            package_version=str(values["package_version"]),
            energy_unit=str(values["energy_unit"]),
            metadata_version=version,
        )
        grid = np.asarray(values["grid"], dtype=float)
    except (KeyError, TypeError, ValueError) as err:
        raise ModelLoadError(
            f"{where}: expected complete and valid metadata; got incomplete or invalid metadata "
            f"({type(err).__name__}: {err})"
        ) from err
    # both grids come from make_nonuniform_refreq in float64; JSON keeps every digit of a float
    if grid.shape != config.grid.shape or not np.allclose(grid, config.grid, rtol=0, atol=1e-12):
        raise ModelLoadError(
            f"{where}: expected the stored grid to be that of its model_config ({config.grid.size} points); "
            f"the stored grid disagrees ({grid.size} points)"
        )
    return metadata


def _ensemble_size(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"ensemble_size must be an integer >= 1; got {value!r}")
    return value


def _resolution(value) -> float | None:
    if value is None:
        return None
    resolution = float(value)
    if not 0.0 <= resolution < float("inf"):
        raise ValueError(f"data_resolution must be None or a finite number >= 0; got {value!r}")
    return resolution


def read_model_metadata(path) -> ModelMetadata:
    """The checked metadata of an exported model, read from the archive without loading or running it.

    Parameters
    ----------
    path : str or os.PathLike
        An exported model file (:func:`triqs_nnsolver.train.write_model_file`).

    Returns
    -------
    ModelMetadata

    Raises
    ------
    ModelNotFoundError
        ``path`` is not a file (also a FileNotFoundError).
    ModelLoadError
        The file is foreign (not a zip archive; a zip archive that is not a TorchScript archive or carries no
        metadata), corrupt (truncated; a member fails its CRC check), of a newer metadata version, or its
        metadata are incomplete or inconsistent. The message names the path, what was expected and what
        was found.
    """
    path = checked_model_path(path)
    return parse_metadata(_metadata_text(path), str(path))


def _metadata_text(path: Path) -> str:
    """The text of ``<archive>/extra/metadata.json``, after checking the archive's structure and CRCs."""
    where = f"model file path = '{path}'"
    expected = f"a TorchScript archive written by write_model_file (a zip file with <archive>/extra/{METADATA_FILE})"
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            prefixes = sorted({name.split("/", 1)[0] for name in names})
            prefix = prefixes[0] if len(prefixes) == 1 else None
            if prefix is None or not {f"{prefix}/data.pkl", f"{prefix}/constants.pkl"} <= set(names):
                shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
                raise ModelLoadError(
                    f"{where}: expected {expected}; got a zip archive that is not a TorchScript archive "
                    f"({len(names)} members: {shown})"
                )
            if f"{prefix}/extra/{METADATA_FILE}" not in names:
                raise ModelLoadError(
                    f"{where} carries no {METADATA_FILE}: expected {expected}; got a TorchScript archive without "
                    "it, not written by write_model_file"
                )
            damaged = archive.testzip()  # reads every member: a corrupt file is refused before torch reads it
            if damaged is not None:
                raise ModelLoadError(
                    f"{where}: expected {expected}; got a corrupt archive (member {damaged!r} fails its CRC check)"
                )
            return archive.read(f"{prefix}/extra/{METADATA_FILE}").decode("utf-8")
    except zipfile.BadZipFile as err:
        raise ModelLoadError(
            f"{where} is not a TorchScript archive: expected {expected}; got a file that is not a readable zip "
            f"archive (truncated, corrupt or of another kind: {err})"
        ) from err
    except (EOFError, zlib.error, NotImplementedError) as err:  # damaged deflate data, size or method
        raise ModelLoadError(
            f"{where}: expected {expected}; got a corrupt archive ({type(err).__name__}: {err})"
        ) from err
    except UnicodeDecodeError as err:
        raise ModelLoadError(f"{where}: expected UTF-8 text in its {METADATA_FILE}; got {err}") from err


@dataclass(frozen=True, eq=False)
class ModelPrediction:
    """The network's answer to a caller's real-axis problem (:meth:`LoadedModel.predict`), in the caller's unit.

    Attributes
    ----------
    w : ndarray, shape (n_w,)
        The caller's frequencies (caller's energy unit).
    A : ndarray, float64, shape (n_w,) or (n_alpha, n_w)
        ``A~_alpha(w) = A~'_alpha(w / s) / s`` on ``w`` (1/energy, caller's unit; zero outside the model grid),
        one row per alpha when several were given; at alpha = 0 the real-axis ``A(w)``. For an ensemble, the
        members' mean.
    scale : float
        ``s``, caller's energy units per model unit (:func:`~triqs_nnsolver.model_contract.energy_scale`).
    inputs : ModelInputs
        The problem as the network saw it (model units): every input channel, the params, ``U / s``,
        ``eps_d / s`` and the weight of the hybridization beyond the model grid.
    members : ndarray, shape (M, ...) of A, or None
        Every member's answer, for an ensemble file (``ensemble_size`` M >= 2); None for a single network.
    """

    w: np.ndarray
    A: np.ndarray
    scale: float
    inputs: ModelInputs
    members: np.ndarray | None = None


@dataclass(frozen=True)
class LoadedModel:
    """A runner (C++ or Python) together with the metadata of the file it runs."""

    runner: object
    metadata: ModelMetadata

    @property
    def grid(self) -> np.ndarray:
        """The model's real-frequency grid (model energy unit), float64 array of shape (grid_n_w,)."""
        return self.metadata.model_config.grid

    def prepare(self, w, rho_Delta, U: float, eps_d: float, alpha=0.0) -> ModelInputs:
        """The network's inputs for a caller's problem (``model_contract.model_inputs`` on this model's grid and
        channels), without running it: what the training-domain check reads before :meth:`predict` runs."""
        config = self.metadata.model_config
        return model_inputs(config.grid, w, rho_Delta, U, eps_d, alpha, use_re_delta=config.use_re_delta)

    def predict(
        self, w, rho_Delta, U: float, eps_d: float, alpha=0.0, inputs: ModelInputs | None = None
    ) -> ModelPrediction:
        """Run the network on a caller's real-axis problem, given and answered in the caller's energy unit.

        The problem is rescaled into model units and turned into every input channel the model's config
        declares (``rho_Delta``, and ``Re Delta`` by Kramers-Kronig when ``use_re_delta``;
        :func:`~triqs_nnsolver.model_contract.model_inputs`), one batch row per alpha; the network's
        ``A~'_alpha`` on the model grid is scaled back onto ``w``
        (:func:`~triqs_nnsolver.model_contract.spectral_from_model_units`). No check of the training domain
        (the inputs in model units are returned for it) and no real-axis formula beyond alpha = 0.

        Parameters
        ----------
        w : array_like, shape (n_w,)
            Strictly increasing real frequencies (caller's energy unit), measured from the Fermi level.
        rho_Delta : array_like, shape (n_w,)
            ``-Im Delta(w) / pi >= 0`` on ``w`` (caller's energy unit), piecewise linear, zero outside ``w``.
        U, eps_d : float
            Interaction and impurity level (caller's energy unit).
        alpha : float or sequence of float
            Tilt angle(s) in radians, ``0 <= alpha < pi/2``; 0 (default) is the real axis.
        inputs : ModelInputs, optional
            The inputs :meth:`prepare` made of the same arguments (not made again).

        Returns
        -------
        ModelPrediction
            ``A`` of shape (n_w,) for one alpha given as a number, (n_alpha, n_w) for a sequence.

        Raises
        ------
        ValueError
            For an invalid grid, density, U, eps_d or alpha (:func:`~triqs_nnsolver.model_contract.model_inputs`).
        InferenceError
            If the network fails on its inputs.
        """
        grid = self.metadata.model_config.grid
        inputs = self.prepare(w, rho_Delta, U, eps_d, alpha) if inputs is None else inputs
        A_model = np.asarray(self.runner.forward(inputs.hybridization, inputs.params), dtype=float)
        w = np.asarray(w, dtype=float)
        if self.metadata.ensemble_size == 1:  # (n_alpha, n_w')
            A = spectral_from_model_units(inputs.scale, grid, A_model, w)
            return ModelPrediction(w, A[0] if np.ndim(alpha) == 0 else A, inputs.scale, inputs)
        members = np.stack(  # (n_alpha, M, n_w') -> (M, n_alpha, n_w)
            [spectral_from_model_units(inputs.scale, grid, A_model[:, m], w) for m in range(A_model.shape[1])]
        )
        if np.ndim(alpha) == 0:
            members = members[:, 0]
        return ModelPrediction(w, members.mean(axis=0), inputs.scale, inputs, members)


def input_specs(config: ModelConfig) -> tuple[InputSpec, InputSpec]:
    """The inputs of an exported network's ``forward(hybridization, params)``, for the runner to check.

    ``hybridization``: float32, (batch, n_w) or (batch, n_w, 1), or (batch, n_w, 2) with ``use_re_delta``;
    ``params``: float32, (batch, 3), i.e. (U, eps_d, alpha). See :class:`~triqs_nnsolver.model.ImpuritySpectralNet`.
    """
    n_w, channels = config.grid_n_w, config.n_input_channels
    hybridization_shapes = ((n_w,), (n_w, 1)) if channels == 1 else ((n_w, channels),)
    return InputSpec("hybridization", INPUT_DTYPE, hybridization_shapes), InputSpec(
        "params", INPUT_DTYPE, ((len(PARAMS),),)
    )


def load_model(path, backend: str = "auto", num_threads: int | None = None) -> LoadedModel:
    """Check the metadata of an exported model, then load it with :func:`~triqs_nnsolver.runtime.load_runner`.

    A model file is code: a TorchScript archive runs the code it carries when it is loaded. Load model
    files from trusted sources only. The checks below are made before anything of the file is loaded or
    run; they refuse files that are not intact triqs_nnsolver models, but they cannot tell a well-meant
    file from a malicious one.

    1. The metadata are read with :mod:`zipfile` and checked (:func:`read_model_metadata`).
    2. A file inside the shipped models folder (:func:`~triqs_nnsolver.runtime.shipped_models_dir`, where
       :func:`~triqs_nnsolver.runtime.default_model_path` points) is compared with its shipped SHA-256
       checksum ``model.pt.sha256``. A file anywhere else has no known checksum and is loaded on its
       metadata alone.
    3. The runner loads the TorchScript and runs it twice on a dummy input (TorchScript's profiling runs, so
       that the first real call is as fast as the later ones). It checks every ``forward(hybridization,
       params)`` against the metadata: float32 arrays of shapes (batch, n_w) and (batch, 3); float64 arrays
       are refused in one line that names the fix (the network computes in float32; ``astype(np.float32)``).

    Parameters
    ----------
    path : str or os.PathLike
        An exported model file (``triqs-nnsolver export``).
    backend : {'auto', 'c++', 'python'}
        The runner (:func:`~triqs_nnsolver.runtime.load_runner`).
    num_threads : int, optional
        Intra-op threads for libtorch in this process; unchanged when None.

    Returns
    -------
    LoadedModel

    Raises
    ------
    ModelNotFoundError
        ``path`` is not a file (also a FileNotFoundError).
    ModelLoadError
        The file is foreign, corrupt, of a newer metadata version or has invalid metadata (see
        :func:`read_model_metadata`), or torch cannot load it.
    ModelChecksumError
        A shipped model file differs from its shipped checksum.
    """
    metadata = read_model_metadata(path)
    runner = load_runner(path, backend=backend, num_threads=num_threads, inputs=input_specs(metadata.model_config))
    _warm_up(runner, metadata.model_config)
    return LoadedModel(runner, metadata)


def _warm_up(runner, config: ModelConfig) -> None:
    """Run the network twice on a dummy input: TorchScript profiles and optimizes the graph in its first two
    calls (40-95 ms each, measured for the interim model; 1.2 ms afterwards), so the first solve does not pay."""
    hybridization_spec, params_spec = input_specs(config)
    hybridization = np.full((1, *hybridization_spec.shapes[0]), 0.1, dtype=INPUT_DTYPE)
    params = np.array([[1.0, -0.5, 0.0]], dtype=INPUT_DTYPE)  # U, eps_d, alpha in model units, inside any domain
    for _ in range(2):
        runner.forward(hybridization, params)
