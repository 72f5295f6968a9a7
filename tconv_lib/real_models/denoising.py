"""Denoising, the task chapter 12 trains its U-Nets on.

A network sees random crops of a photograph with Gaussian noise added and learns to return the
clean crops. The training loop is the usual one (Adam on the mean squared error); it lives here so
that the chapter's code is about decoders, and so that every network it compares sees exactly the
same batches.

Introduced in chapters/12_unet_decoders.
"""
from __future__ import annotations

import torch
from torch import nn

from ..foundations.arithmetic import check_int
from ..i18n import message
from ..upsampling.imaging import random_patches
from ..upsampling.upsamplers import fit_mse


def train_denoiser(net: nn.Module, image: torch.Tensor, crop: int | tuple[int, int], sigma: float,
                   steps: int = 250, batch_size: int = 16, lr: float = 2e-3, seed: int = 0,
                   progress: bool = True) -> list[float]:
    """Train ``net`` to remove Gaussian noise of standard deviation ``sigma`` from crops of ``image``.

    Each of ``steps`` steps draws ``batch_size`` random ``crop`` crops of image 0 of ``image``
    (N, C, H, W) and their noise from one generator seeded with ``seed`` (so networks trained with
    the same seed see the same batches), then takes an Adam step (learning rate ``lr``) on the mean
    squared error between ``net(noisy)`` and the clean crops, on the device of ``net``'s
    parameters (:func:`tconv_lib.upsampling.upsamplers.fit_mse`). Leaves ``net`` in eval mode and
    returns every step's loss. ``progress`` shows a tqdm bar on stdout.
    """
    check_int(steps, "steps", minimum=1)
    if not sigma > 0:
        raise ValueError(message("arithmetic.positive", name="sigma", value=sigma))
    generator = torch.Generator().manual_seed(seed)

    def batch():
        clean = random_patches(image, crop, batch_size, generator)
        return clean + sigma * torch.randn(clean.shape, generator=generator), clean

    return fit_mse(net, batch, steps, lr, progress)
