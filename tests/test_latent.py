"""tconv_lib.gan.latent: equally likely cells, a band between them that no input reaches, the generator's use,
and the truncation trick."""
from __future__ import annotations

import math

import pytest
import torch

from tconv_lib.gan import dcgan
from tconv_lib.gan.latent import add_gaps, check_gaps, latent_cell, truncated_normal


def _gaussian(n: int, dim: int = 16, seed: int = 0) -> torch.Tensor:
    return torch.randn(n, dim, generator=torch.Generator().manual_seed(seed))


def test_cells_are_equally_likely_for_gaussian_z():
    cells = latent_cell(_gaussian(200_000), 10)
    shares = torch.bincount(cells, minlength=10).double() / len(cells)
    assert cells.min() >= 0 and cells.max() <= 9
    assert torch.allclose(shares, torch.full((10,), 0.1, dtype=torch.float64), atol=0.004)


def test_the_cell_is_the_largest_of_the_first_coordinates():
    z = torch.tensor([[0.1, 2.0, -1.0, 9.0], [3.0, 2.0, 1.0, 0.0], [-2.0, -3.0, -0.5, 5.0]])
    assert latent_cell(z, 3).tolist() == [1, 0, 2]   # the fourth coordinate is not a cell
    assert latent_cell(z[:, :, None, None], 3).tolist() == [1, 0, 2]


def test_different_cells_end_up_at_least_sqrt2_gap_apart_and_a_cell_moves_rigidly():
    z, gap = _gaussian(800, dim=4, seed=1), 1.5
    moved = add_gaps(z, 3, gap)
    cell = latent_cell(z, 3)
    assert torch.equal(latent_cell(moved, 3), cell)   # the gap keeps every vector in its cell
    before, after = torch.cdist(z.double(), z.double()), torch.cdist(moved.double(), moved.double())
    same = cell[:, None] == cell[None, :]
    assert torch.allclose(after[same], before[same], atol=1e-5)
    assert after[~same].min() >= math.sqrt(2) * gap - 1e-5
    assert before[~same].min() < 0.2 * gap   # without the gap, neighbours across a boundary are close


def test_only_the_winning_coordinate_moves_and_shapes_are_kept():
    z = _gaussian(50, seed=2)[:, :, None, None]
    moved = add_gaps(z, 10, 2.0)
    assert moved.shape == z.shape
    diff = (moved - z).flatten(1)
    assert torch.equal((diff != 0).sum(dim=1), torch.ones(50, dtype=torch.long))
    assert torch.allclose(diff.gather(1, latent_cell(z, 10)[:, None]), torch.full((50, 1), 2.0))


@pytest.mark.parametrize("cells, gap", [(0, 2.0), (10, 0.0)])
def test_no_cells_or_no_gap_leaves_z_alone(cells, gap):
    z = _gaussian(8)
    assert add_gaps(z, cells, gap) is z


@pytest.mark.parametrize("cells, gap, message, error", [
    (1, 1.0, "cells must be 0", ValueError), (17, 1.0, "latent_dim \\(16\\)", ValueError),
    (True, 1.0, "cells must be", TypeError), (2.0, 1.0, "cells must be", TypeError),
    (10, -1.0, "gap must be", ValueError), (10, float("nan"), "gap must be", ValueError),
    (10, "2", "gap must be", ValueError),
])
def test_bad_cells_or_gap_raise(cells, gap, message, error):
    with pytest.raises(error, match=message):
        check_gaps(cells, gap, 16)
    with pytest.raises(error, match=message):
        dcgan.Generator(cells=cells, gap=gap)


def test_the_generator_applies_the_gaps_and_records_them():
    torch.manual_seed(0)
    netG = dcgan.Generator(cells=10, gap=2.0).eval()
    z = _gaussian(6, seed=3)[:, :, None, None]
    with torch.no_grad():
        assert torch.equal(netG(z), netG.main(add_gaps(z, 10, 2.0)))
        assert not torch.equal(netG(z), netG.main(z))
    assert netG.config["cells"] == 10 and netG.config["gap"] == 2.0
    assert dcgan.Generator(**netG.config).config == netG.config


def test_a_generator_without_gaps_is_the_plain_dcgan():
    torch.manual_seed(0)
    netG = dcgan.Generator().eval()
    z = _gaussian(4, seed=4)[:, :, None, None]
    with torch.no_grad():
        assert torch.equal(netG(z), netG.main(z))
    assert (netG.config["cells"], netG.config["gap"]) == (0, 0.0)


def test_truncated_normal_stays_inside_psi_with_the_truncated_normal_spread():
    psi = 0.5
    z = truncated_normal(100_000, 4, psi, torch.Generator().manual_seed(0))
    assert z.shape == (100_000, 4) and z.abs().max() <= psi
    # variance of a standard normal truncated to [-a, a]: 1 - 2 a phi(a) / (2 Phi(a) - 1)
    phi, inside = math.exp(-psi ** 2 / 2) / math.sqrt(2 * math.pi), math.erf(psi / math.sqrt(2))
    assert abs(z.var().item() - (1 - 2 * psi * phi / inside)) < 0.002
    assert abs(z.mean().item()) < 0.003


def test_truncated_normal_without_truncation_is_randn_and_is_repeatable():
    def gen():
        return torch.Generator().manual_seed(5)

    assert torch.equal(truncated_normal(300, 16, math.inf, gen()), torch.randn(300, 16, generator=gen()))
    assert torch.equal(truncated_normal(300, 16, 1.0, gen()), truncated_normal(300, 16, 1.0, gen()))
    kept = torch.randn(300, 16, generator=gen()).abs() <= 1.0     # coordinates inside psi are kept as drawn
    assert torch.equal(truncated_normal(300, 16, 1.0, gen())[kept], torch.randn(300, 16, generator=gen())[kept])


@pytest.mark.parametrize("psi", [0, -1.0, float("nan"), True, "1"])
def test_truncated_normal_needs_a_positive_psi(psi):
    with pytest.raises(ValueError, match="psi must be positive"):
        truncated_normal(4, 16, psi)
