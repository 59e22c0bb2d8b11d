"""Bath representations: star {eps_k, V_k}, discretization of rho_Delta, star <-> chain, fit of Delta(iw_n)."""

from .chain import ChainBath, chain_to_star, hybridization_chain, semicircle_chain, star_to_chain
from .discretize import bin_edges, discretize, discretize_function
from .fit import FitReport, fit_star_bath, hybridization_from_g0
from .star import StarBath, hybridization, hybridization_real_axis

__all__ = [
    "StarBath",
    "hybridization",
    "hybridization_real_axis",
    "bin_edges",
    "discretize",
    "discretize_function",
    "ChainBath",
    "star_to_chain",
    "chain_to_star",
    "hybridization_chain",
    "semicircle_chain",
    "FitReport",
    "hybridization_from_g0",
    "fit_star_bath",
]
