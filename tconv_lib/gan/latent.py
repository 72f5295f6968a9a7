"""Latent cells with a gap between them, so that a generator need not draw blends of two digits.

A generator that is a continuous function of a Gaussian z maps the straight line between a z
that draws a 3 and a z that draws an 8 to a continuous path of images, so some latent vectors
must draw in-between shapes; Tanielian et al. (2020) bound the share of such samples from
below. :func:`add_gaps` puts a discontinuity before the first layer: the first ``cells``
coordinates of z split the latent space into ``cells`` equally likely cells (the largest of
those coordinates names the cell), and that coordinate grows by ``gap``. The cells move apart,
no input falls in the band between them, and nothing forces the generator to draw between two
cells (whether a cell becomes one digit is another matter: chapter 11 measures it).
``Generator(cells=..., gap=...)`` applies it to every input, so sampling stays
``netG(torch.randn(n, latent_dim, 1, 1))``. :func:`truncated_normal` is the
truncation trick of Brock et al. (2019), which buys realism with variety without retraining.

Introduced in chapters/11_training_a_dcgan (its optional section "Beyond DCGAN").
"""
from __future__ import annotations

import math

import torch

from ..foundations.arithmetic import check_int
from ..i18n import message


def check_gaps(cells: int, gap: float, latent_dim: int) -> None:
    """Raise unless ``cells`` is 0 (no gaps) or 2..latent_dim and ``gap`` is finite and >= 0.

    A ``cells`` that is not an int is a TypeError; every other fault a ValueError.

    Used by :class:`tconv_lib.gan.dcgan.Generator`.
    """
    if not (check_int(cells, "cells") == 0 or 2 <= cells <= latent_dim):
        raise ValueError(message("latent.cells", latent_dim=latent_dim, got=cells))
    if isinstance(gap, bool) or not isinstance(gap, (int, float)) or not math.isfinite(gap) or gap < 0:
        raise ValueError(message("latent.gap", got=gap))


def latent_cell(z: torch.Tensor, cells: int) -> torch.Tensor:
    """The cell of each latent vector: the index of the largest of its first ``cells`` coordinates.

    z: (n, latent_dim) or (n, latent_dim, 1, 1) -> (n,) integers in ``0 .. cells-1``. For
    Gaussian z every cell is equally likely.
    """
    return z.flatten(1)[:, :cells].argmax(dim=1)


def add_gaps(z: torch.Tensor, cells: int, gap: float) -> torch.Tensor:
    """z with ``gap`` added to the largest of its first ``cells`` coordinates (``cells`` = 0 or gap 0: z).

    z: (n, latent_dim) or (n, latent_dim, 1, 1) -> same shape. Within a cell the map is a
    shift (distances unchanged). Afterwards a vector of cell i has ``z[i] - z[j] >= gap`` for
    every other cell j, so vectors of two different cells lie at least ``sqrt(2) * gap`` apart.
    """
    if not cells or not gap:
        return z
    winner = latent_cell(z, cells).view(-1, 1, *([1] * (z.dim() - 2)))
    return z + gap * torch.zeros_like(z).scatter_(1, winner, 1.0)


def truncated_normal(n: int, dim: int, psi: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` latent vectors (n, dim) for the truncation trick (Brock et al., 2019): Gaussian coordinates,
    every one whose magnitude exceeds ``psi`` drawn again until it does not.

    Each coordinate then follows a standard normal truncated to ``[-psi, psi]``: the samples stay
    near the centre of the latent space, which trades variety (recall) for realism (precision).
    ``psi = math.inf`` gives exactly ``torch.randn(n, dim, generator=generator)``; so does any
    ``psi`` that no coordinate exceeds. Deterministic for a seeded ``generator``. Reshape to
    ``(n, dim, 1, 1)`` for a DCGAN generator.
    """
    n, dim = check_int(n, "n", minimum=1), check_int(dim, "dim", minimum=1)
    if isinstance(psi, bool) or not isinstance(psi, (int, float)) or not psi > 0:
        raise ValueError(message("arithmetic.positive", name="psi", value=psi))
    z = torch.randn(n, dim, generator=generator)
    outside = z.abs() > psi
    while outside.any():
        z[outside] = torch.randn(int(outside.sum()), generator=generator)
        outside = z.abs() > psi
    return z
