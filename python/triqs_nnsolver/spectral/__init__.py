"""The tilted (complex-time) spectral transform of ``METHOD.md`` section 2, its alpha-derivative, sum rules.

``tilt`` maps a spectral function A (pole sum or samples) to ``A~_alpha`` exactly; ``window`` computes the
same quantity from ``G>``/``G<`` sampled along the tilted time rays (the route of the MPS data);
``sum_rules`` gives the weight and first moment of ``A~_alpha`` inside a finite window. Layer 1, above ``gf``.
"""

from .sum_rules import kernel_window_moments, tilted_window_moments
from .tilt import (
    broadened_tilt_kernel,
    broadened_tilt_kernel_dalpha,
    dtilt_dalpha,
    first_order_real_axis,
    tilt,
    tilt_kernel,
    tilt_kernel_dalpha,
    tilt_matrix,
)
from .window import (
    dtilted_spectral_from_time,
    gaussian_window_sigma_w,
    gaussian_window_t_max,
    tilted_spectral_from_time,
    time_window,
)

__all__ = [
    "tilt_kernel",
    "tilt_kernel_dalpha",
    "broadened_tilt_kernel",
    "broadened_tilt_kernel_dalpha",
    "tilt_matrix",
    "tilt",
    "dtilt_dalpha",
    "first_order_real_axis",
    "time_window",
    "gaussian_window_t_max",
    "gaussian_window_sigma_w",
    "tilted_spectral_from_time",
    "dtilted_spectral_from_time",
    "kernel_window_moments",
    "tilted_window_moments",
]
