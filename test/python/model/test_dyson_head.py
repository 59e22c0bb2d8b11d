"""The self-energy head (``ModelConfig(output_head='self_energy')``, ``model.dyson_head``) against exact results.

U = 0 (the input's own non-interacting A, whatever the weights), the exact tilt matrices at and between the
tabulated alphas, the alpha-derivative by autograd against the analytic one, the Hartree fixed point, the
Friedel value at particle-hole symmetry, positivity and TorchScript.
"""

import math

import numpy as np
import pytest
import torch

from triqs_nnsolver.gf import retarded_from_spectral
from triqs_nnsolver.model import ImpuritySpectralNet, ModelConfig
from triqs_nnsolver.model.dyson_head import DysonHead, occupation_weights
from triqs_nnsolver.model_contract import model_inputs
from triqs_nnsolver.spectral import tilt_matrix

CONFIG = ModelConfig(grid_n_w=64, grid_w_max=6.0, n_embd=16, n_head=2, use_re_delta=True, output_head="self_energy")


def semicircle_inputs(config: ModelConfig, shift: float = 0.0) -> torch.Tensor:
    """The Bethe bath (D = 1, weight 1/4), optionally shifted, as network input (1, n_w, 2)."""
    w = np.linspace(-2.5, 2.5, 4001)
    x = w - shift
    rho = np.where(np.abs(x) < 1, (2 / np.pi) * np.sqrt(np.clip(1 - x**2, 0, None)) / 4, 0.0)
    inputs = model_inputs(config.grid, w, rho, 0.0, 0.0, 0.0, use_re_delta=True)
    return torch.tensor(inputs.hybridization, dtype=torch.float32)


@pytest.fixture(scope="module")
def network():
    torch.manual_seed(3)
    net = ImpuritySpectralNet(CONFIG).eval()
    with torch.no_grad():  # weights far from the initial ones, so that nothing holds by accident of a small s
        for parameter in net.parameters():
            parameter.add_(0.3 * torch.randn_like(parameter))
    return net


def test_self_energy_head_needs_the_whole_hybridization():
    with pytest.raises(ValueError, match="use_re_delta = True"):
        ModelConfig(output_head="self_energy")
    with pytest.raises(ValueError, match="output_head must be one of"):
        ModelConfig(output_head="sigma")


def test_u_zero_is_the_inputs_own_answer_whatever_the_weights(network):
    # At U = 0 the head multiplies -Im Sigma by U^2: A = -Im 1/(w - eps_d - Delta(w)) / pi exactly (float32).
    hybridization = semicircle_inputs(CONFIG, shift=0.2)
    w = CONFIG.grid
    for eps_d in (-0.5, 0.0, 0.7):
        A = network(hybridization, torch.tensor([[0.0, eps_d, 0.0]]))[0].detach().double().numpy()
        delta = hybridization[0, :, 1].double().numpy() - 1j * np.pi * hybridization[0, :, 0].double().numpy()
        exact = -np.imag(1 / (w - eps_d - delta)) / np.pi
        assert np.max(np.abs(A - exact)) < 1e-5 * np.max(exact)  # float32 rounding of a 1/x


def test_particle_hole_symmetry_gives_half_filling_and_the_friedel_value():
    # A network whose s is symmetric in w and vanishes at w = 0 (here s = c U^2 w^2 / (1 + w^4), set by hand)
    # must give n = 1/2 and A(0) = 1/(pi Gamma), Gamma = pi rho_Delta(0), at eps_d = -U/2 for any U. The grid has
    # no point at 0: at its nearest, |w| = 0.018, A is within (w (1 - dRe Sigma/dw) / Gamma)^2 = 5e-3 of the value
    # at U = 4 for c = 0.02 (dRe Sigma/dw = -c U^2 int dv / (1 + v^4) = -0.7).
    head = DysonHead(CONFIG.grid)
    w = torch.tensor(CONFIG.grid, dtype=torch.float32)
    hybridization = semicircle_inputs(CONFIG)
    for U in (1.0, 2.0, 4.0):
        s = (0.02 * U**2 * w**2 / (1 + w**4))[None]  # symmetric, s(0) = 0
        A = head.spectral(s, hybridization, torch.tensor([U]), torch.tensor([-U / 2]))[0].double().numpy()
        total, below = occupation_weights(CONFIG.grid)
        assert abs((below @ A) / (total @ A) - 0.5) < 1e-6
        i0 = int(np.argmin(np.abs(CONFIG.grid)))
        friedel = 1 / (np.pi * np.pi * hybridization[0, i0, 0].item())  # rho_Delta(w_i0) for Gamma
        assert abs(A[i0] / friedel - 1) < 1e-2
        assert np.max(np.abs(A - A[::-1])) < 1e-5 * A.max()  # symmetric


def test_hartree_fixed_point_is_the_occupation_of_the_answer():
    head = DysonHead(CONFIG.grid)
    w = torch.tensor(CONFIG.grid, dtype=torch.float32)
    hybridization = semicircle_inputs(CONFIG, shift=-0.3)
    total, below = occupation_weights(CONFIG.grid)
    for U, eps_d in ((2.0, -0.4), (3.0, -2.5), (1.0, 0.8)):
        s = (0.2 * U**2 / (1 + (w - 0.1) ** 2))[None]
        A = head.spectral(s, hybridization, torch.tensor([U]), torch.tensor([eps_d]))[0].double().numpy()
        n = (below @ A) / (total @ A)
        # the Hartree shift U n the head used reproduces this A: solve the same Dyson equation with U n by hand
        delta = hybridization[0, :, 1].double().numpy() - 1j * np.pi * hybridization[0, :, 0].double().numpy()
        re_sigma = retarded_from_spectral(CONFIG.grid, s[0].double().numpy()).real
        sigma = U * n + re_sigma - 1j * np.pi * s[0].double().numpy()
        exact = -np.imag(1 / (CONFIG.grid - eps_d - delta - sigma)) / np.pi
        assert np.max(np.abs(A - exact)) < 1e-4 * A.max()  # n to 2^-30, float32 Dyson and Kramers-Kronig


def test_occupation_weights_integrate_the_interpolant():
    w = CONFIG.grid
    total, below = occupation_weights(w)
    A = np.exp(-((w - 0.3) ** 2))
    fine = np.linspace(w[0], w[-1], 400001)
    A_fine = np.interp(fine, w, A)
    assert abs(total @ A - np.trapezoid(A_fine, fine)) < 1e-8
    negative = fine < 0
    assert (
        abs(below @ A - np.trapezoid(A_fine[negative], fine[negative]) - A_fine[negative][-1] * abs(fine[negative][-1]))
        < 1e-4
    )


@pytest.mark.parametrize("alpha", [0.1, 0.2, 0.4, 0.13, 0.57])
def test_tilt_and_its_alpha_derivative_match_the_exact_kernel(network, alpha):
    hybridization = semicircle_inputs(CONFIG)
    U, eps_d = 2.0, -0.8
    A = network(hybridization, torch.tensor([[U, eps_d, 0.0]]))[0].detach().double().numpy()
    params = torch.tensor([[U, eps_d, alpha]], requires_grad=True)
    A_tilde = network(hybridization, params)[0]
    jacobian = torch.stack([torch.autograd.grad(A_tilde[i], params, retain_graph=True)[0][0, 2] for i in range(64)])
    exact = tilt_matrix(CONFIG.grid, alpha) @ A
    exact_derivative = tilt_matrix(CONFIG.grid, alpha, derivative=True) @ A
    on_node = abs(alpha / 0.05 - round(alpha / 0.05)) < 1e-9
    # at the nodes: float32 rounding; between them, cubic Hermite interpolation of step 0.05 rad
    tolerance, derivative_tolerance = (1e-5, 1e-4) if on_node else (2e-3, 3e-2)
    assert np.max(np.abs(A_tilde.detach().double().numpy() - exact)) < tolerance * exact.max()
    assert (
        np.max(np.abs(jacobian.double().numpy() - exact_derivative))
        < derivative_tolerance * np.abs(exact_derivative).max()
    )


def test_alpha_zero_is_the_real_axis_and_outputs_are_positive(network):
    hybridization = semicircle_inputs(CONFIG).expand(4, -1, -1)
    params = torch.tensor([[0.5, -0.25, 0.0], [3.0, -1.5, 0.0], [5.0, 0.5, 0.2], [2.0, -1.0, 0.8]])
    A = network(hybridization, params).detach()
    assert torch.all(A > 0)
    assert torch.all(torch.isfinite(A))
    norms = torch.tensor(occupation_weights(CONFIG.grid)[0], dtype=torch.float32) @ A[:2].T
    assert torch.all(torch.abs(norms - 1) < 0.1)  # the weight the grid misses: Lorentzian tails of rho_Delta + s


def test_the_head_scripts_and_scripted_outputs_agree(network):
    scripted = torch.jit.script(network)
    hybridization = semicircle_inputs(CONFIG)
    params = torch.tensor([[2.0, -1.0, 0.3]])
    assert torch.allclose(scripted(hybridization, params), network(hybridization, params), rtol=0, atol=1e-6)
    assert math.isfinite(float(scripted(hybridization, params).detach().sum()))


def test_the_head_is_exactly_particle_hole_equivariant(network):
    # The mirror w -> -w of a problem (rho(-w), -Re Delta(-w), eps_d -> -U - eps_d) has the reflected A, whatever
    # the weights: the head averages the network's Sigma for both; a particle-hole symmetric problem then has a
    # symmetric A and n = 1/2.
    hybridization = semicircle_inputs(CONFIG, shift=0.3)
    mirrored = torch.stack([hybridization[:, :, 0].flip(1), -hybridization[:, :, 1].flip(1)], dim=2)
    U, eps_d = 2.5, -0.4
    A = network(hybridization, torch.tensor([[U, eps_d, 0.0]]))[0].detach()
    A_mirror = network(mirrored, torch.tensor([[U, -U - eps_d, 0.0]]))[0].detach()
    assert torch.max(torch.abs(A_mirror.flip(0) - A)) < 1e-5 * A.max()
    symmetric = network(semicircle_inputs(CONFIG), torch.tensor([[3.0, -1.5, 0.0]]))[0].detach()
    assert torch.max(torch.abs(symmetric - symmetric.flip(0))) < 1e-5 * symmetric.max()
