"""Bath representations: star {eps_k, V_k}, discretization of rho_Delta, star <-> chain (Lanczos)."""

from .chain import ChainBath, chain_to_star, hybridization_chain, semicircle_chain, star_to_chain
from .discretize import bin_edges, discretize, discretize_function
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
]
