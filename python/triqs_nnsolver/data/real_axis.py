"""The real-axis target ``A_real`` of an exact sample, from its poles: the rules and their evaluation.

An exact sample (ED, Lanczos) has the poles of a *discrete* bath, whose A(w) is a sum of delta peaks; ``A_real``
is a smooth stand-in on the grid. Two rules (``real_axis_rule``, stated in the file's provenance when not the
default; ``doc/targets.md`` has the study behind them):

- ``'lorentzian'`` (the default, and the rule of every file written before the choice existed): each pole a
  Lorentzian of half-width ``real_axis_width``. At the widths that hide the discreteness of 9-11 levels
  (0.1) it lowers the quasiparticle peak; at sharp widths (0.02-0.05) the discrete poles show. Measured at
  U = 0 on the half-filled semicircular bath (D = 1): no constant or energy-dependent width of the poles
  comes within 2 % of the continuum A(0) and within 2 % of its peak for |w| < 0.5 at 9-11 levels.
- ``'self_energy'``: the self-energy of the discrete problem, broadened, put back into the Dyson equation with
  the sample's own network input ``Delta_in(w) = sum_k V_k^2 / (w - eps_k + i eta_k)`` (``bath_eta``, the
  half-widths of the input; :mod:`.synthetic`, step 4):

      Sigma(z) = z - eps_d - Delta_disc(z) - 1 / G_disc(z),       z = w + i eta(w),  eta(w) = eta0 + c |w|,
      A_real(w) = -Im G(w) / pi,   G(w) = 1 / (w - eps_d - Delta_in(w) - Sigma(z))
                                        = 1 / (1 / G_disc(z) + Delta_disc(z) - Delta_in(w) - i eta(w)),

  with ``G_disc(z) = sum_p w_p / (z - e_p)`` the poles and ``Delta_disc(z) = sum_k V_k^2 / (z - eps_k)`` the
  unbroadened levels; eta0 = ``real_axis_width``, c = ``real_axis_slope``. (The NRG "self-energy trick" of
  Bulla, Hewson and Pruschke, J. Phys.: Condens. Matter 10, 8365 (1998), here with the input's hybridization.)
  Properties, exact: at U = 0 the discrete Sigma vanishes and A_real is the U = 0 answer of the network's
  input problem (any eta); A_real >= 0; it needs nothing but the stored poles and bath (no U, no eps_d: they
  cancel), so ``data.retarget`` recomputes it. Normalization: with c = 0, G is analytic in the upper half-plane
  and ``int A_real = 1``; with c > 0, Sigma is taken on the wedge ``w + i c |w|``, which is not the boundary value
  of an analytic function, and the norm is off by about 3 c % (measured on 5 levels, U = 2 and 4: +1.2 % and
  -1.4 % at c = 0.4).
  At particle-hole symmetry a Fermi-liquid discrete Sigma is ``U/2 + (1 - 1/Z) z + O(z^2)`` at small z, so
  ``A_real(0) = 1 / (pi (Gamma_in + eta0 (1/Z - 1)))``: the Friedel value of the input, ``1/(pi Gamma_in)``,
  ``Gamma_in = -Im Delta_in(0)``, up to the relative error ``eta0 (1/Z - 1) / Gamma_in`` (measured: 0.25 % at
  U = 2 and 1.2-1.9 % at U = 4 for eta0 = 1e-3, Gamma = 1/2, 9-11 levels). The slope c smooths the poles of
  the discrete Sigma, whose spacing grows with |w|; what it cannot remove is the discretization of Sigma itself
  (9 and 11 levels give quasiparticle weights that differ by up to 20 % at U = 2; see the study).

What is not here: real-axis targets of MPS series (none), the tilted targets (``spectral.tilt``).
Layer: ``data``; imports ``gf``.
"""

from __future__ import annotations

from numbers import Real

import numpy as np

from ..gf import PoleSum, poles_on_complex, poles_spectral

__all__ = [
    "REAL_AXIS_RULES",
    "DEFAULT_REAL_AXIS_RULE",
    "SELF_ENERGY_ETA0",
    "SELF_ENERGY_SLOPE",
    "check_real_axis_rule",
    "real_axis_target",
]

REAL_AXIS_RULES = ("lorentzian", "self_energy")
"""The rules of ``A_real`` (module docstring)."""

DEFAULT_REAL_AXIS_RULE = "lorentzian"
"""The rule of files whose provenance names none."""

SELF_ENERGY_ETA0 = 1e-3
SELF_ENERGY_SLOPE = 0.4
"""The study's choice for the ``'self_energy'`` rule (``doc/targets.md``): eta0 (energy unit) and the slope c
(dimensionless), what ``retarget --real-axis-rule self_energy`` uses where the file names neither."""


def check_real_axis_rule(rule, slope) -> tuple[str, float | None]:
    """``(rule, slope)`` checked: ``rule`` one of :data:`REAL_AXIS_RULES`; ``slope`` (dimensionless) a finite number
    >= 0 for ``'self_energy'`` (returned as float) and None for ``'lorentzian'`` (it has no slope)."""
    if rule not in REAL_AXIS_RULES:
        raise ValueError(f"real_axis_rule must be one of {REAL_AXIS_RULES}; got real_axis_rule = {rule!r}")
    if rule == "lorentzian":
        if slope is not None:
            raise ValueError(f"real_axis_slope applies to real_axis_rule='self_energy' only; got {slope!r}")
        return rule, None
    if isinstance(slope, bool) or not (isinstance(slope, Real) and 0 <= slope < np.inf):
        raise ValueError(f"real_axis_slope must be a finite number >= 0; got real_axis_slope = {slope!r}")
    return rule, float(slope)


def real_axis_target(
    poles: PoleSum, bath_eps, bath_V, bath_eta, grid, width: float, rule: str = "lorentzian", slope=None
) -> np.ndarray:
    """``A_real`` on the grid by one of the rules of the module docstring; shape of ``grid``.

    Parameters
    ----------
    poles : PoleSum
        The exact poles of A(w) (energies from the Fermi level, weights summing to 1).
    bath_eps, bath_V, bath_eta : array_like, shape (n_levels,)
        The solved bath levels, couplings and the Lorentzian half-widths of the network input (energy unit).
    grid : array_like
        Real frequencies (energy unit).
    width : float
        ``'lorentzian'``: the poles' half-width; ``'self_energy'``: eta0, the broadening of Sigma at w = 0 (> 0).
    rule : {'lorentzian', 'self_energy'}
    slope : float, optional
        ``'self_energy'``: c in ``eta(w) = eta0 + c |w|`` (>= 0); None for ``'lorentzian'``.
    """
    rule, slope = check_real_axis_rule(rule, slope)
    if rule == "lorentzian":
        return poles_spectral(poles, grid, width)
    if not (isinstance(width, Real) and 0 < width < np.inf):
        raise ValueError(f"width (eta0) must be a positive number; got {width!r}")
    w = np.asarray(grid, dtype=np.float64)
    eps, V2, eta = (np.asarray(x, dtype=np.float64)[..., None, :] for x in (bath_eps, np.square(bath_V), bath_eta))
    broadening = width + slope * np.abs(w)
    z = w + 1j * broadening
    delta_disc = (V2 / (z[..., None] - eps)).sum(axis=-1)
    delta_in = (V2 / (w[..., None] - eps + 1j * eta)).sum(axis=-1)
    G = 1.0 / (1.0 / poles_on_complex(poles, z) + delta_disc - delta_in - 1j * broadening)
    return -G.imag / np.pi
