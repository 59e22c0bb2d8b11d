"""What a Solver holds, declared once: its Green's functions with their meshes, and what its archives store.

Used by the constructor (allocation), by ``compute.store_results`` (filling) and by the HDF5 hooks.
Layer: ``solver``.
"""

__all__ = ["GF_ATTRIBUTES", "RAW_COPIES", "SETTINGS", "STATE"]

# every Green's function of a Solver -> its mesh; G0_iw is the input (Delta_w too, for a real-axis solve)
GF_ATTRIBUTES = {
    "G0_iw": "iw", "G_iw": "iw", "G_iw_raw": "iw", "Sigma_iw": "iw", "Sigma_iw_raw": "iw",
    "G_tau": "tau", "Delta_tau": "tau", "G_l": "l",
    "A_w": "w", "G_w": "w", "G0_w": "w", "Sigma_w": "w", "Delta_w": "w",
}  # fmt: skip
RAW_COPIES = {"G_iw_raw": "G_iw", "Sigma_iw_raw": "Sigma_iw"}  # cthyb's names of the outputs before any fit
SETTINGS = ("beta", "n_iw", "n_tau", "n_l", "n_w", "w_min", "w_max", "n_bath", "eta", "model")  # stored in h5
STATE = ("h_loc0", "Delta_infty", "densities", "last_solve_parameters", "solve_status", "solve_report")  # of a solve
