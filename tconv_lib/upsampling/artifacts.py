"""Checkerboard artifacts, measured: a number for what an upsampler actually outputs.

Where they come from is counted by :func:`tconv_lib.foundations.arithmetic.overlap_count`: how
many kernel taps land on each output cell of a ConvTranspose2d. Uneven counts, which appear when
``kernel_size`` is not a multiple of ``stride``, are the geometric source of checkerboard patterns
(Odena, Dumoulin & Olah, "Deconvolution and Checkerboard Artifacts", Distill 2016). This module
measures the pattern itself, with :func:`checkerboard_score`.

The score, precisely. For an upsampler with factor ``stride`` and output maps
``y`` of size H x W (both multiples of ``stride``): subtract each map's mean,
take its 2-D discrete Fourier transform ``Y``, and compare the energy at the
stride frequency and its harmonics - the bins ``(u, v)`` with ``u`` a multiple of
``H / stride`` and ``v`` a multiple of ``W / stride`` - with the energy at all
bins. By Parseval's theorem this share equals the fraction of the output's
variance explained by the pixel's position modulo ``stride`` (its "phase"), so

* 0 means every phase has the same mean: no pattern repeats with period ``stride``;
* 1 means the output *is* such a pattern (a tile repeated over the image).

:func:`periodic_energy_share` computes the share for given outputs, pooled over
all images and channels. :func:`checkerboard_score` feeds an upsampler random
inputs (i.i.d. uniform in [0, 1), shape (batch, in_channels, size, size), one
``torch.Generator`` seed per draw) and averages the share over the seeds.

:func:`input_gradient_score` applies the same score to the gradient that a
strided downsampling layer (a discriminator's convolution) hands back to its input.

Introduced in chapters/07_alternatives (the score in a table), explained in
chapters/08_checkerboard_artifacts and, for stacked layers and gradients, used in
chapters/13_other_dimensions_and_compounding.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import torch

from ..foundations.arithmetic import check_int
from ..i18n import message

DEFAULT_SEEDS = (0, 1, 2, 3, 4)


def stride_frequency_mask(height: int, width: int, stride: int) -> torch.Tensor:
    """Boolean (height, width) mask of the FFT bins at multiples of the stride frequency."""
    check_int(stride, "stride", minimum=1)
    if height % stride or width % stride:
        raise ValueError(message("artifacts.multiple", height=height, width=width, stride=stride))
    rows = torch.arange(height) % (height // stride) == 0
    cols = torch.arange(width) % (width // stride) == 0
    return rows[:, None] & cols[None, :]


def periodic_energy_share(y: torch.Tensor, stride: int) -> float:
    """Share of the (mean-removed) spectral energy of ``y`` at the stride frequency and its harmonics.

    y: (..., H, W), every leading index one map; energies are summed over all maps
    before dividing. Returns a float in [0, 1]; 0.0 for constant maps.
    """
    if y.ndim < 2:
        raise ValueError(message("artifacts.ndim", shape=tuple(y.shape)))
    mask = stride_frequency_mask(y.shape[-2], y.shape[-1], stride).to(y.device)
    centred = y.detach().double()
    centred = centred - centred.mean(dim=(-2, -1), keepdim=True)
    energy = torch.fft.fft2(centred).abs() ** 2
    total = energy.sum().item()
    if total <= 1e-20 * max(centred.numel(), 1):
        return 0.0
    return energy[..., mask].sum().item() / total


def random_inputs(seed: int, shape: tuple[int, ...], device: torch.device | str | None = None) -> torch.Tensor:
    """I.i.d. uniform [0, 1) float32 tensor of ``shape`` from a generator seeded with ``seed``.

    Drawn on the CPU, then moved to ``device``, so every device sees the same numbers.
    """
    gen = torch.Generator().manual_seed(int(seed))
    return torch.rand(shape, generator=gen).to(device if device is not None else "cpu")


def checkerboard_score(upsampler: Callable[[torch.Tensor], torch.Tensor], in_channels: int = 3,
                       stride: int = 2, size: int = 32, batch: int = 4,
                       seeds: Iterable[int] = DEFAULT_SEEDS, device: torch.device | str | None = None) -> float:
    """Mean over ``seeds`` of :func:`periodic_energy_share` of ``upsampler(random_inputs(...))``.

    Inputs are (batch, in_channels, size, size); ``stride`` is the upsampling factor.
    The upsampler runs without gradients; modules are evaluated as they are (no .eval()).
    """
    seeds = list(seeds)
    if not seeds:
        raise ValueError(message("artifacts.seeds"))
    shares = []
    with torch.no_grad():
        for seed in seeds:
            y = upsampler(random_inputs(seed, (batch, in_channels, size, size), device))
            shares.append(periodic_energy_share(y, stride))
    return float(np.mean(shares))


def input_gradient_score(layer: Callable[[torch.Tensor], torch.Tensor], in_channels: int = 3,
                         stride: int = 2, size: int = 32, batch: int = 4,
                         seeds: Iterable[int] = DEFAULT_SEEDS, device: torch.device | str | None = None) -> float:
    """Mean over ``seeds`` of :func:`periodic_energy_share` of the gradient ``layer`` sends to its input.

    For each seed: x = ``random_inputs(seed, (batch, in_channels, size, size))``, y = layer(x),
    and an upstream gradient g = ``random_inputs(seed + 1000, y.shape)`` (uniform in [0, 1),
    like the gradient of a loss that rewards every output a little); the score is taken
    on x.grad = (dy/dx)^T g, shape (batch, in_channels, size, size), with period ``stride``
    (``size`` must be a multiple of it). Parameters are not changed; their gradients are not
    kept.
    """
    seeds = list(seeds)
    if not seeds:
        raise ValueError(message("artifacts.seeds"))
    shares = []
    for seed in seeds:
        x = random_inputs(seed, (batch, in_channels, size, size), device).requires_grad_(True)
        y = layer(x)
        (grad,) = torch.autograd.grad(y, x, random_inputs(seed + 1000, tuple(y.shape), device))
        shares.append(periodic_energy_share(grad, stride))
    return float(np.mean(shares))


def format_score(score: float) -> str:
    """A score as printed in the book's tables: 4 decimals, 2 significant digits below 0.001.

    Exactly 0 prints as ``"0"``; anything below 1e-6 is floating-point rounding
    noise and prints as ``"< 1e-6"``.
    """
    if score == 0:
        return "0"
    if score >= 1e-3:
        return f"{score:.4f}"
    return f"{score:.1e}" if score >= 1e-6 else "< 1e-6"
