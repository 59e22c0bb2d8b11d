"""Random hybridization densities ``rho_Delta(w)`` of the shapes DMFT produces, in the model's energy unit.

Every density has the total weight of the model's reference bath, ``int rho_Delta = 1/4`` (the Bethe bath
of half-bandwidth D = 1, ``REFERENCE_HYBRIDIZATION_WEIGHT`` of :mod:`triqs_nnsolver.model_contract`), exactly:
it is a sum of components, each a semicircle or a Gaussian cut at 5 standard deviations, and each component
is normalised analytically on its support. Families (parameters drawn uniformly from the ranges of
:data:`FAMILY_RANGES`):

- ``semicircle``: one semicircle centred at 0, half-bandwidth ``half_width``.
- ``shifted_semicircle``: one semicircle of half-bandwidth ``half_width`` centred at
  ``shift * half_width`` (an asymmetric, doped-like bath).
- ``gaussians``: ``n_peaks`` Gaussians (integer, both ends included) with centres in ``centre``, standard
  deviations in ``sigma`` and weights from a flat Dirichlet distribution.
- ``metallic``: a DMFT-like metal: a central Gaussian (quasiparticle) peak of weight fraction
  ``peak_weight``, standard deviation ``peak_sigma``, centre ``peak_centre``, plus two Gaussian side
  (Hubbard) bands at ``-band_position`` and ``+band_position``, standard deviation ``band_sigma``; the
  lower band holds the fraction ``lower_fraction`` of the remaining weight.
- ``gapped``: an insulator: two semicircular bands with a gap of half-width ``gap`` around
  ``gap_centre * gap`` (so w = 0 lies inside the gap), band half-widths ``lower_width`` and
  ``upper_width``, the lower band holding the fraction ``lower_fraction`` of the weight.

Every support lies inside ``[-6, 6]``, within the default model grid (``|w| <= 8``).
What is not here: discretization into a bath (``triqs_nnsolver.bath``), solving, storage.
Layer: ``data``; numpy and scipy, and the unit of ``model_contract``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import erf

from ..model_contract import REFERENCE_HYBRIDIZATION_WEIGHT

__all__ = ["FAMILIES", "FAMILY_RANGES", "FamilyDensity", "sample_family"]

_GAUSSIAN_CUT = 5.0  # Gaussians are cut at 5 standard deviations (and renormalised)

FAMILY_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "semicircle": {"half_width": (0.5, 2.0)},
    "shifted_semicircle": {"half_width": (0.5, 2.0), "shift": (-0.5, 0.5)},
    "gaussians": {"n_peaks": (1, 4), "centre": (-2.0, 2.0), "sigma": (0.1, 0.6)},
    "metallic": {
        "peak_weight": (0.1, 0.6),
        "peak_sigma": (0.05, 0.3),
        "peak_centre": (-0.1, 0.1),
        "band_position": (0.5, 2.0),
        "band_sigma": (0.2, 0.8),
        "lower_fraction": (0.35, 0.65),
    },
    "gapped": {
        "gap": (0.1, 1.0),
        "gap_centre": (-0.5, 0.5),
        "lower_width": (0.25, 1.0),
        "upper_width": (0.25, 1.0),
        "lower_fraction": (0.35, 0.65),
    },
}
"""Ranges (model energy unit, or dimensionless for fractions, ``shift``, ``gap_centre`` and ``n_peaks``)."""

FAMILIES = tuple(FAMILY_RANGES)


@dataclass(frozen=True)
class FamilyDensity:
    """A hybridization density: a sum of semicircles and cut Gaussians of total weight 1/4 (the model unit).

    Attributes
    ----------
    family : str
        The family it was drawn from.
    parameters : dict
        The drawn parameters (names of :data:`FAMILY_RANGES`; ``gaussians`` lists per peak).
    components : tuple of (str, float, float, float)
        ``(kind, weight, centre, width)``: kind ``'semicircle'`` (width = half-bandwidth) or ``'gaussian'``
        (width = standard deviation); weights (energy unit) sum to ``REFERENCE_HYBRIDIZATION_WEIGHT``.
    """

    family: str
    parameters: dict
    components: tuple

    @property
    def support(self) -> tuple[float, float]:
        """Smallest interval outside which the density vanishes (energy unit)."""
        extents = [width * (1.0 if kind == "semicircle" else _GAUSSIAN_CUT) for kind, _, _, width in self.components]
        lows = [centre - extent for (_, _, centre, _), extent in zip(self.components, extents, strict=True)]
        highs = [centre + extent for (_, _, centre, _), extent in zip(self.components, extents, strict=True)]
        return min(lows), max(highs)

    def __call__(self, w) -> np.ndarray:
        """``rho_Delta(w) >= 0`` (energy unit) at real frequencies w of any shape."""
        w = np.asarray(w, dtype=np.float64)
        rho = np.zeros(w.shape)
        for kind, weight, centre, width in self.components:
            x = (w - centre) / width
            if kind == "semicircle":
                rho += weight * 2.0 / (np.pi * width) * np.sqrt(np.clip(1.0 - x**2, 0.0, None))
            else:
                norm = erf(_GAUSSIAN_CUT / np.sqrt(2.0)) * np.sqrt(2.0 * np.pi) * width
                rho += np.where(np.abs(x) <= _GAUSSIAN_CUT, weight * np.exp(-0.5 * x**2) / norm, 0.0)
        return rho


def _draw(rng: np.random.Generator, family: str, name: str, size=None):
    low, high = FAMILY_RANGES[family][name]
    return rng.uniform(low, high, size)


def _components(family: str, rng: np.random.Generator) -> tuple[dict, list]:
    W = REFERENCE_HYBRIDIZATION_WEIGHT
    if family in ("semicircle", "shifted_semicircle"):
        D = _draw(rng, family, "half_width")
        shift = _draw(rng, family, "shift") if family == "shifted_semicircle" else 0.0
        return {"half_width": D, "shift": shift}, [("semicircle", W, shift * D, D)]
    if family == "gaussians":
        low, high = FAMILY_RANGES[family]["n_peaks"]
        n = int(rng.integers(low, high, endpoint=True))
        centres, sigmas = _draw(rng, family, "centre", n), _draw(rng, family, "sigma", n)
        weights = W * rng.dirichlet(np.ones(n))
        parameters = {"n_peaks": n, "centre": centres.tolist(), "sigma": sigmas.tolist(), "weight": weights.tolist()}
        return parameters, [("gaussian", w, c, s) for w, c, s in zip(weights, centres, sigmas, strict=True)]
    if family == "metallic":
        p = {name: _draw(rng, family, name) for name in FAMILY_RANGES[family]}
        side = W * (1.0 - p["peak_weight"])
        return p, [
            ("gaussian", W * p["peak_weight"], p["peak_centre"], p["peak_sigma"]),
            ("gaussian", side * p["lower_fraction"], -p["band_position"], p["band_sigma"]),
            ("gaussian", side * (1.0 - p["lower_fraction"]), p["band_position"], p["band_sigma"]),
        ]
    p = {name: _draw(rng, family, name) for name in FAMILY_RANGES["gapped"]}
    centre = p["gap_centre"] * p["gap"]
    lower, upper = p["lower_width"], p["upper_width"]
    return p, [
        ("semicircle", W * p["lower_fraction"], centre - p["gap"] - lower, lower),
        ("semicircle", W * (1.0 - p["lower_fraction"]), centre + p["gap"] + upper, upper),
    ]


def sample_family(name: str, rng: np.random.Generator) -> FamilyDensity:
    """Draw one hybridization density of a family.

    Parameters
    ----------
    name : str
        One of :data:`FAMILIES`.
    rng : numpy.random.Generator
        The random stream; the draw consumes a fixed sequence of numbers per family, so a seeded
        generator gives the same density on every machine.

    Returns
    -------
    FamilyDensity
        Callable ``rho_Delta(w)``, total weight ``REFERENCE_HYBRIDIZATION_WEIGHT``, support inside ``[-6, 6]``.

    Raises
    ------
    ValueError
        If ``name`` is not a known family.
    TypeError
        If ``rng`` is not a ``numpy.random.Generator``.
    """
    if name not in FAMILY_RANGES:
        raise ValueError(f"unknown hybridization family {name!r}; the families are {FAMILIES}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (seeded); got {type(rng).__name__}")
    parameters, components = _components(name, rng)
    components = tuple((kind, float(w), float(c), float(s)) for kind, w, c, s in components)
    parameters = {k: (float(v) if isinstance(v, (float, np.floating)) else v) for k, v in parameters.items()}
    return FamilyDensity(name, parameters, components)
