"""Training data: the versioned HDF5 schema, crash-safe writer, readers, merging, splits, and the ED source.

- :mod:`.schema`: the file layout (``SCHEMA_VERSION``), :class:`DatasetError`, :func:`check_file`;
- :mod:`.store`: :class:`DatasetWriter` (create or resume, append, commit ``n_samples`` last),
  :func:`read_dataset`, :func:`read_datasets`;
- :mod:`.merge`: :func:`merge_shards` (atomic), :func:`dataset_hash`;
- :mod:`.resolution`: :func:`data_resolution`, the common sigma_w of a data set's targets;
- :mod:`.summary`: :func:`summarize`, counts, ranges and run diagnostics of a data set (``inspect``);
- :mod:`.splits`: deterministic train/validation/test split by sample id;
- :mod:`.families`: random hybridization densities (model units, weight 1/4);
- :mod:`.synthetic`: exact-diagonalization samples (:func:`generate_ed_samples`), resumable and shardable;
- :mod:`.real_axis`: the rules of the real-axis target ``A_real`` of exact samples (:func:`real_axis_target`);
- :mod:`.lanczos_source`: the same problems at 7-11 bath levels by Lanczos (:func:`generate_lanczos_samples`);
- :mod:`.mps_source`: complex-time MPS samples (:func:`generate_mps_samples`, block2), same schema and ids.

The torch ``Dataset`` over these files is the training side's, :mod:`triqs_nnsolver.train.dataset`: no
module here imports torch, and ``import triqs_nnsolver.data`` needs numpy, scipy and h5py only (block2 when an
MPS sample is computed), so data generation runs without torch.

Layer: ``data`` (above ``gf``, ``h5``, ``bath``, ``reference``, ``spectral``, ``mps``; below ``model``).
"""

from .families import FAMILIES, FAMILY_RANGES, FamilyDensity, sample_family
from .lanczos_source import (
    INPUT_BROADENING,
    LANCZOS_POLE_SLOTS,
    LanczosSettings,
    generate_lanczos_samples,
    lanczos_sample,
)
from .merge import HASHED_FIELDS, dataset_hash, merge_shards
from .mps_source import MPSDataSettings, generate_mps_samples, mps_sample, series_times
from .real_axis import REAL_AXIS_RULES, real_axis_target
from .resolution import data_resolution, settings_resolution
from .schema import (
    FIELD_VERSION,
    FORMAT,
    GRID_FIELDS,
    MISSING_VALUES,
    POLE_WEIGHT_FLOOR,
    RAW_FIELDS,
    RAW_KINDS,
    SAMPLE_FIELDS,
    SCHEMA_VERSION,
    SUPPORTED_VERSIONS,
    DatasetError,
    check_file,
    fields_of_version,
    file_fields,
    has_raw,
)
from .splits import DEFAULT_FRACTIONS, SPLITS, assign_splits, split_mask, split_point
from .store import DatasetWriter, read_dataset, read_datasets
from .summary import summarize
from .synthetic import (
    EDProblem,
    EDSettings,
    check_problem_settings,
    check_target_settings,
    draw_problem,
    ed_pole_slots,
    ed_sample,
    exact_sample,
    generate_ed_samples,
    sample_id,
    sample_seed,
    stored_poles,
)

__all__ = [
    "FORMAT",
    "SCHEMA_VERSION",
    "SUPPORTED_VERSIONS",
    "SAMPLE_FIELDS",
    "FIELD_VERSION",
    "MISSING_VALUES",
    "RAW_KINDS",
    "RAW_FIELDS",
    "GRID_FIELDS",
    "POLE_WEIGHT_FLOOR",
    "fields_of_version",
    "file_fields",
    "has_raw",
    "DatasetError",
    "check_file",
    "DatasetWriter",
    "read_dataset",
    "read_datasets",
    "merge_shards",
    "dataset_hash",
    "data_resolution",
    "settings_resolution",
    "summarize",
    "HASHED_FIELDS",
    "SPLITS",
    "DEFAULT_FRACTIONS",
    "split_point",
    "assign_splits",
    "split_mask",
    "FAMILIES",
    "FAMILY_RANGES",
    "FamilyDensity",
    "sample_family",
    "EDSettings",
    "EDProblem",
    "check_problem_settings",
    "check_target_settings",
    "REAL_AXIS_RULES",
    "real_axis_target",
    "draw_problem",
    "exact_sample",
    "stored_poles",
    "ed_pole_slots",
    "sample_id",
    "sample_seed",
    "ed_sample",
    "generate_ed_samples",
    "INPUT_BROADENING",
    "LANCZOS_POLE_SLOTS",
    "LanczosSettings",
    "lanczos_sample",
    "generate_lanczos_samples",
    "MPSDataSettings",
    "mps_sample",
    "generate_mps_samples",
    "series_times",
]
