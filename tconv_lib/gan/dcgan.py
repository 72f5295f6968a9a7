"""DCGAN built from transposed convolutions, for any power-of-two image size: the models and their presets.

``Generator`` maps z of shape (n, latent_dim, 1, 1) to images (n, channels,
image_size, image_size) in [-1, 1]; ``Discriminator`` maps images to one logit
each, shape (n,). Both follow the DCGAN guidelines (Radford, Metz & Chintala
2015): a k=4 s=1 p=0 projection from 1x1 to 4x4, stride-2 ConvTranspose2d
blocks with BatchNorm + ReLU, Tanh output; strided Conv2d + LeakyReLU(0.2) in
netD with no BatchNorm on its input layer; weights from N(0, 0.02). Their layer
shapes are tabulated by :mod:`tconv_lib.gan.shapes`; the shipped generator is
saved and loaded by :mod:`tconv_lib.gan.checkpoint`.

Introduced in chapters/10_dcgan_generator (trained in chapters/11_training_a_dcgan).
"""
from __future__ import annotations

import math
from collections import OrderedDict

import torch
from torch import nn

from ..foundations import arithmetic
from ..i18n import message
from .latent import add_gaps, check_gaps

# Hyper-parameters of the shipped digits model and of two 64x64 presets for GPU users.
PRESETS: dict[str, dict] = {
    # 32x32 digits on a laptop CPU: 1x1 -> 4 -> 8 -> 16 -> 32, a plain DCGAN (chapters 10-11).
    "digits32": dict(image_size=32, latent_dim=16, ngf=32, ndf=32, channels=1,
                     kernel_size=4, padding=1, output_padding=0, cells=0, gap=0.0),
    # Beyond DCGAN (chapter 11's optional section): the same networks, z split into 10 latent
    # cells with a gap between them (tconv_lib.gan.latent).
    "digits32_cells": dict(image_size=32, latent_dim=16, ngf=32, ndf=32, channels=1,
                           kernel_size=4, padding=1, output_padding=0, cells=10, gap=1.0),
    # The PyTorch DCGAN tutorial: nz=100, ngf=ndf=64, k=4 s=2 p=1, 3 x 64 x 64.
    "tutorial64": dict(image_size=64, latent_dim=100, ngf=64, ndf=64, channels=3,
                       kernel_size=4, padding=1, output_padding=0, cells=0, gap=0.0),
    # The paper's generator: 1024 channels at 4x4, 5x5 kernels, stride 2. In PyTorch
    # padding=2 alone gives 4->7->13->25->49; output_padding=1 makes it 4->8->16->32->64.
    "paper64": dict(image_size=64, latent_dim=100, ngf=128, ndf=128, channels=3,
                    kernel_size=5, padding=2, output_padding=1, cells=0, gap=0.0),
}
_G_KEYS = ("image_size", "latent_dim", "ngf", "channels", "kernel_size", "padding", "output_padding", "cells", "gap")
_D_KEYS = ("image_size", "ndf", "channels", "kernel_size", "padding")


def _num_blocks(image_size) -> int:
    """Number of stride-2 layers between 4x4 and image_size (image_size = 4 * 2**blocks)."""
    arithmetic.check_int(image_size, "image_size")
    if image_size < 8 or image_size & (image_size - 1):
        raise ValueError(message("dcgan.image_size", got=image_size))
    return int(math.log2(image_size)) - 2


def weights_init(module: nn.Module) -> None:
    """DCGAN initialisation: conv weights N(0, 0.02); BatchNorm weight N(1, 0.02), bias 0.

    Applied by :class:`Generator` and :class:`Discriminator` when they are made.
    """
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


class Generator(nn.Module):
    """netG: z (n, latent_dim, 1, 1) or (n, latent_dim) -> images (n, channels, image_size, image_size).

    One projection ``ConvTranspose2d(latent_dim, ngf * 2**(blocks-1), 4, 1, 0)``
    turns 1x1 into 4x4; then ``blocks = log2(image_size) - 2`` layers with
    stride 2 double the size, halving the channels, the last one to
    ``channels`` with Tanh. ``kernel_size, padding, output_padding`` of the
    stride-2 layers must double exactly: ``kernel_size + output_padding - 2*padding == 2``.
    ``cells``, ``gap``: z first passes through :func:`tconv_lib.gan.latent.add_gaps` (0: not at all).
    """

    def __init__(self, image_size: int = 32, latent_dim: int = 16, ngf: int = 32, channels: int = 1,
                 kernel_size: int = 4, padding: int = 1, output_padding: int = 0, cells: int = 0,
                 gap: float = 0.0) -> None:
        super().__init__()
        blocks = _num_blocks(image_size)
        arithmetic.check_params(kernel_size, 2, padding, output_padding, 1)
        check_gaps(cells, gap, latent_dim)
        if kernel_size + output_padding - 2 * padding != 2:
            raise ValueError(message("dcgan.doubles", kernel_size=kernel_size, padding=padding, output_padding=output_padding))
        self.image_size, self.latent_dim, self.channels = image_size, latent_dim, channels
        self.cells, self.gap = cells, gap
        self.config = dict(zip(_G_KEYS, (image_size, latent_dim, ngf, channels, kernel_size, padding,
                                         output_padding, cells, gap)))
        width = ngf * 2 ** (blocks - 1)
        layers = [("project", nn.ConvTranspose2d(latent_dim, width, 4, 1, 0, bias=False)),
                  ("bn0", nn.BatchNorm2d(width)), ("relu0", nn.ReLU(inplace=True))]
        for i in range(1, blocks + 1):
            out = channels if i == blocks else width // 2
            layers.append((f"up{i}", nn.ConvTranspose2d(width, out, kernel_size, 2, padding, output_padding,
                                                        bias=i == blocks)))  # no BatchNorm after the last
            if i < blocks:
                layers += [(f"bn{i}", nn.BatchNorm2d(out)), (f"relu{i}", nn.ReLU(inplace=True))]
            width = out
        layers.append(("tanh", nn.Tanh()))
        self.main = nn.Sequential(OrderedDict(layers))
        self.apply(weights_init)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.dim() == 2:
            z = z[:, :, None, None]
        return self.main(add_gaps(z, self.cells, self.gap))


class Discriminator(nn.Module):
    """netD: images (n, channels, image_size, image_size) -> logits (n,) (real > 0 > fake).

    Stride-2 Conv2d layers halve the size down to 4x4 (LeakyReLU 0.2, BatchNorm
    on all but the first), then ``Conv2d(., 1, 4, 1, 0)`` gives one logit. The
    sigmoid lives in the loss (``BCEWithLogitsLoss``), which is the same maths
    as the paper's sigmoid + BCE, computed more stably.
    """

    def __init__(self, image_size: int = 32, ndf: int = 32, channels: int = 1,
                 kernel_size: int = 4, padding: int = 1) -> None:
        super().__init__()
        blocks = _num_blocks(image_size)
        if arithmetic.conv_output_size(image_size, kernel_size, 2, padding) * 2 != image_size:
            raise ValueError(message("dcgan.halves", kernel_size=kernel_size, padding=padding, image_size=image_size))
        self.image_size, self.channels = image_size, channels
        self.config = dict(zip(_D_KEYS, (image_size, ndf, channels, kernel_size, padding)))
        layers, width = [], channels
        for i in range(1, blocks + 1):
            out = ndf * 2 ** (i - 1)
            layers.append((f"down{i}", nn.Conv2d(width, out, kernel_size, 2, padding, bias=i == 1)))
            if i > 1:
                layers.append((f"bn{i}", nn.BatchNorm2d(out)))
            layers.append((f"lrelu{i}", nn.LeakyReLU(0.2, inplace=True)))
            width = out
        layers.append(("logit", nn.Conv2d(width, 1, 4, 1, 0, bias=False)))
        self.main = nn.Sequential(OrderedDict(layers))
        self.apply(weights_init)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.main(x).view(-1)


def build_dcgan(preset: str = "digits32", **overrides) -> tuple[Generator, Discriminator]:
    """``(netG, netD)`` for a named preset (``PRESETS``), any key overridable."""
    if preset not in PRESETS:
        raise ValueError(message("errors.one_of", name="preset", allowed=sorted(PRESETS), got=preset))
    unknown = set(overrides) - set(PRESETS[preset])
    if unknown:
        raise TypeError(message("dcgan.unknown", unknown=sorted(unknown), allowed=sorted(PRESETS[preset])))
    cfg = {**PRESETS[preset], **overrides}
    netG = Generator(**{k: cfg[k] for k in _G_KEYS})
    netD = Discriminator(**{k: cfg[k] for k in _D_KEYS})
    return netG, netD
