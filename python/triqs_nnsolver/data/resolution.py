"""The frequency resolution of a data set: the ``sigma_w`` its targets ``A~`` and ``dA~`` are broadened with.

Both sources state it in their provenance settings (``EDSettings.sigma_w``, only when set;
``MPSDataSettings.sigma_w``, None for windows other than the Gaussian): the targets are the tilted spectra
convolved with a normalized Gaussian of standard deviation ``sigma_w`` (energy unit), or unbroadened where it
is absent or None. A merged file of several runs lists each run's settings under ``"sources"``.

A model learns the quantity at the resolution of its data, so a data set must hold one resolution:
:func:`data_resolution` refuses a mixture. Layer: ``data``.
"""

from __future__ import annotations

from .schema import DatasetError
from .store import read_datasets

__all__ = ["settings_resolution", "data_resolution"]


def settings_resolution(settings: dict) -> set[float]:
    """The resolutions ``sigma_w`` named by one file's provenance settings (several for a merge); 0.0 where the
    targets are unbroadened."""
    if "sources" in settings:
        return set().union(*(settings_resolution(source["settings"]) for source in settings["sources"]))
    value = settings.get("sigma_w")
    return {0.0 if value is None else float(value)}


def data_resolution(paths) -> float:
    """The common ``sigma_w`` of the targets of these data files (energy unit); 0.0 for unbroadened targets.

    Raises
    ------
    DatasetError
        If the files (or the runs merged into one) hold targets at different resolutions, naming them.
    """
    data = read_datasets(paths, fields=())
    found = {entry["path"]: settings_resolution(entry["provenance"]["settings"]) for entry in data}
    values = set().union(*found.values())
    if len(values) != 1:
        listing = ", ".join(f"{path}: {sorted(v)}" for path, v in found.items())
        raise DatasetError(
            f"the data files hold targets at different resolutions sigma_w (0: unbroadened): {listing}; "
            "a model is trained on one resolution (generate all files with the same --sigma-w)"
        )
    return values.pop()
