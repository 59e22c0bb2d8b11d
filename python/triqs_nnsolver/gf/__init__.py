"""Green's-function core: meshes, light containers and transforms (numpy only).

Conventions are those of ``METHOD.md`` section 1: retarded ``G(w) = int A(w') / (w - w' + i0+) dw'``,
``A = -Im G / pi``, Matsubara ``G(iw_n) = int A(w) / (iw_n - w) dw`` with TRIQS mesh conventions.
"""

from .bethe import semicircle_dos, semicircle_gf, semicircle_gf_iw
from .container import Block2Gf, BlockGf, Gf
from .dyson import g_from_g0_sigma, g_from_sigma_real_axis, sigma_from_g0_g, sigma_real_axis
from .kramers_kronig import hilbert_derivative_upper, hilbert_transform, hilbert_transform_upper, retarded_from_spectral
from .matsubara import matsubara_from_spectral, tail_moments, tau_from_matsubara, tau_from_spectral, tau_kernel
from .mesh import (
    MeshImFreq,
    MeshImTime,
    MeshLegendre,
    MeshProduct,
    MeshReFreq,
    MeshReFreqPts,
    MeshReTime,
    make_nonuniform_refreq,
)
from .moments import spectral_moments, spectral_norm
from .operators import HilbertOperator, KramersKronigOperator, hilbert_operator, kramers_kronig_operator
from .poles import (
    PoleSum,
    greater_on_ray,
    lesser_on_ray,
    poles_on_complex,
    poles_retarded,
    poles_spectral,
    poles_tau,
    split_at_fermi_level,
)
from .tau_operator import SpectralTauOperator, spectral_tau_operator

__all__ = [
    "Gf",
    "BlockGf",
    "Block2Gf",
    "MeshReFreq",
    "MeshReFreqPts",
    "MeshReTime",
    "MeshImFreq",
    "MeshImTime",
    "MeshLegendre",
    "MeshProduct",
    "make_nonuniform_refreq",
    "semicircle_dos",
    "semicircle_gf",
    "semicircle_gf_iw",
    "retarded_from_spectral",
    "hilbert_transform",
    "hilbert_transform_upper",
    "hilbert_derivative_upper",
    "KramersKronigOperator",
    "HilbertOperator",
    "kramers_kronig_operator",
    "hilbert_operator",
    "SpectralTauOperator",
    "spectral_tau_operator",
    "matsubara_from_spectral",
    "tau_from_matsubara",
    "tau_from_spectral",
    "tau_kernel",
    "tail_moments",
    "sigma_from_g0_g",
    "g_from_g0_sigma",
    "sigma_real_axis",
    "g_from_sigma_real_axis",
    "spectral_moments",
    "spectral_norm",
    "PoleSum",
    "split_at_fermi_level",
    "poles_on_complex",
    "poles_retarded",
    "poles_spectral",
    "poles_tau",
    "greater_on_ray",
    "lesser_on_ray",
]
