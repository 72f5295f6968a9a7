"""Ways to double an image's height and width, and a small learned x2 upscaler.

* :func:`make_upsampler` builds one x2 upsampling layer by name (see
  :data:`UPSAMPLERS`): fixed interpolation, resize-convolution, sub-pixel
  convolution (PixelShuffle) or ConvTranspose2d.
* :class:`Upscaler` is a tiny super-resolution network: two 3x3 convolutions
  extract features at low resolution, a learnable x2 layer (the *head*) maps them
  to RGB at twice the size, and, with ``residual=True``, the bicubic enlargement
  of the input is added so the network only learns what bicubic misses.
* :func:`train_upscaler` fits it on random patches of an image.
* :class:`BedOfNails` and :class:`MaxUnpool` (:data:`UNPOOLINGS`) *unpool*: each value goes to
  one position of its 2x2 block, the other three stay zero.

Every tensor is (N, C, H, W); every upsampler maps (N, C_in, H, W) to
(N, C_out, 2H, 2W).

Introduced in chapters/06_upscaling_a_real_image; compared in
chapters/07_alternatives and chapters/08_checkerboard_artifacts.
"""
from __future__ import annotations

import sys
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from ..i18n import message
from ..tracing import recording
from .imaging import downscale, random_patches

SCALE = 2
INTERPOLATIONS = ("nearest", "bilinear", "bicubic")
LEARNABLE = ("resize_conv", "pixel_shuffle", "conv_transpose", "conv_transpose_k3")
UPSAMPLERS = INTERPOLATIONS + LEARNABLE
UNPOOLINGS = ("bed_of_nails", "max_unpool")


class Interpolate(nn.Module):
    """``F.interpolate`` by a fixed factor as a module (no parameters).

    Made by :func:`make_upsampler` for the interpolation names.
    """

    def __init__(self, mode: str, scale_factor: int = SCALE) -> None:
        super().__init__()
        if mode not in INTERPOLATIONS:
            raise ValueError(message("errors.one_of", name="mode", allowed=INTERPOLATIONS, got=mode))
        self.mode, self.scale_factor = mode, scale_factor

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        corners = None if self.mode == "nearest" else False
        return F.interpolate(x, scale_factor=self.scale_factor, mode=self.mode, align_corners=corners)

    def extra_repr(self) -> str:
        return f"mode={self.mode!r}, scale_factor={self.scale_factor}"


class BedOfNails(nn.Module):
    """Unpooling to the top-left of each 2x2 block, zeros elsewhere: (N, C, H, W) -> (N, C, 2H, 2W).

    A grouped ConvTranspose2d with a 1x1 kernel of one, stride 2, output_padding 1.
    Made by ``make_upsampler("bed_of_nails")``.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = x.new_zeros(x.shape[:-2] + (SCALE * x.shape[-2], SCALE * x.shape[-1]))
        out[..., ::SCALE, ::SCALE] = x
        return out


class MaxUnpool(nn.Module):
    """``nn.MaxUnpool2d(2)`` with the switches (indices) of ``nn.MaxPool2d(2, return_indices=True)``.

    (N, C, H, W) -> (N, C, 2H, 2W): each value goes where the maximum of its block was. In a
    network (SegNet) the switches come from the encoder (:meth:`remember`); without switches of
    the right shape the layer pools a stand-in map, uniform from a generator seeded with ``seed``,
    and keeps them. Made by ``make_upsampler("max_unpool")``.
    """

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        self.seed, self.indices = seed, None
        self.pool, self.unpool = nn.MaxPool2d(SCALE, return_indices=True), nn.MaxUnpool2d(SCALE)

    def remember(self, encoder_map: torch.Tensor) -> torch.Tensor:
        """Max-pool ``encoder_map`` (N, C, 2H, 2W), keep its switches, return the pooled (N, C, H, W)."""
        pooled, self.indices = self.pool(encoder_map)
        return pooled

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.indices is None or self.indices.shape != x.shape:  # pool a seeded stand-in encoder map
            size = x.shape[:-2] + (SCALE * x.shape[-2], SCALE * x.shape[-1])
            self.remember(torch.rand(size, generator=torch.Generator().manual_seed(self.seed)).to(x.device))
        return self.unpool(x, self.indices.to(x.device))


def make_upsampler(name: str, in_channels: int = 3, out_channels: int | None = None) -> nn.Module:
    """One x2 upsampling layer: (N, in_channels, H, W) -> (N, out_channels, 2H, 2W).

    ``name`` is one of :data:`UPSAMPLERS` or :data:`UNPOOLINGS`: ``"nearest"``, ``"bilinear"``,
    ``"bicubic"`` (``F.interpolate``), ``"bed_of_nails"``, ``"max_unpool"`` (these five need
    out_channels == in_channels); ``"resize_conv"`` (nearest x2, then a 3x3 Conv2d);
    ``"pixel_shuffle"`` (3x3 Conv2d to out_channels * 2**2 channels, then ``nn.PixelShuffle(2)``);
    ``"conv_transpose"`` (ConvTranspose2d k=4, s=2, p=1); ``"conv_transpose_k3"`` (k=3, s=2, p=1,
    output_padding=1). Learnable layers use PyTorch's default initialisation (seed torch first
    for repeatable weights).
    """
    out_channels = in_channels if out_channels is None else out_channels
    if name in INTERPOLATIONS + UNPOOLINGS:
        if out_channels != in_channels:
            raise ValueError(message("upsamplers.channels", out_channels=out_channels, in_channels=in_channels, name=name))
        return {"bed_of_nails": BedOfNails, "max_unpool": MaxUnpool}.get(name, lambda: Interpolate(name))()
    if name == "resize_conv":
        return nn.Sequential(Interpolate("nearest"), nn.Conv2d(in_channels, out_channels, 3, padding=1))
    if name == "pixel_shuffle":
        return nn.Sequential(nn.Conv2d(in_channels, out_channels * SCALE ** 2, 3, padding=1),
                             nn.PixelShuffle(SCALE))
    if name == "conv_transpose":
        return nn.ConvTranspose2d(in_channels, out_channels, 4, stride=SCALE, padding=1)
    if name == "conv_transpose_k3":
        return nn.ConvTranspose2d(in_channels, out_channels, 3, stride=SCALE, padding=1, output_padding=1)
    raise ValueError(message("errors.one_of", name="name", allowed=UPSAMPLERS + UNPOOLINGS, got=name))


def count_parameters(module: nn.Module) -> int:
    """Number of trainable values in ``module``. Introduced in chapters/06_upscaling_a_real_image."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def count_multiply_adds(module: nn.Module, x: torch.Tensor) -> int:
    """Multiply-adds that the Conv2d and ConvTranspose2d layers of ``module`` spend on input ``x``.

    A Conv2d makes ``kH*kW*C_in/groups`` products per *output* value; a
    ConvTranspose2d makes ``kH*kW*C_out/groups`` per *input* value. Interpolation,
    pixel shuffling, activations and biases are not counted. Runs one forward pass.
    """
    total = 0
    with recording(module, (nn.Conv2d, nn.ConvTranspose2d)) as calls, torch.no_grad():
        module(x)
    for call in calls:
        layer, (kh, kw) = call.module, call.module.kernel_size
        if isinstance(layer, nn.ConvTranspose2d):
            total += call.inputs[0].numel() * kh * kw * layer.out_channels // layer.groups
        else:
            total += call.output.numel() * kh * kw * layer.in_channels // layer.groups
    return total


class Upscaler(nn.Module):
    """Learned x2 upscaler: (N, 3, H, W) in [0, 1] -> (N, 3, 2H, 2W).

    features: width of the two 3x3 feature convolutions; head: a name from
    :data:`LEARNABLE`; residual: add ``F.interpolate(x, mode="bicubic")``.
    """

    def __init__(self, head: str = "conv_transpose", features: int = 32, residual: bool = True,
                 channels: int = 3) -> None:
        super().__init__()
        if head not in LEARNABLE:
            raise ValueError(message("upsamplers.head", allowed=LEARNABLE, got=head))
        self.residual = residual
        self.body = nn.Sequential(
            nn.Conv2d(channels, features, 3, padding=1), nn.ReLU(),
            nn.Conv2d(features, features, 3, padding=1), nn.ReLU(),
        )
        self.head = make_upsampler(head, features, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.head(self.body(x))
        if self.residual:
            out = out + F.interpolate(x, scale_factor=SCALE, mode="bicubic", align_corners=False)
        return out


def make_upscaler(head: str = "conv_transpose", features: int = 32, residual: bool = True,
                  seed: int = 0) -> Upscaler:
    """An :class:`Upscaler` whose initial weights depend only on ``seed`` (global RNG untouched)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return Upscaler(head, features, residual)


def train_upscaler(model: nn.Module, image: torch.Tensor, steps: int = 600, batch_size: int = 16,
                   patch_size: int = 32, lr: float = 1e-3, seed: int = 0,
                   progress: bool = True, scale: int = SCALE) -> list[float]:
    """Fit ``model`` to map downscaled patches of ``image`` (1, C, H, W) back to the originals.

    Each step draws ``batch_size`` random ``patch_size`` crops (generator seeded with ``seed``),
    box-downscales them by ``scale`` (the model's factor) and minimises the mean squared error with
    Adam on the model's device (:func:`fit_mse`); returns every step's loss. ``progress`` shows a
    tqdm bar on stdout.
    """
    if patch_size % scale:
        raise ValueError(message("upsamplers.patch_size", patch_size=patch_size, scale=scale))
    gen = torch.Generator().manual_seed(seed)

    def batch():
        target = random_patches(image, patch_size, batch_size, gen)
        return downscale(target, scale), target

    return fit_mse(model, batch, steps, lr, progress)


def fit_mse(model: nn.Module, batch: Callable[[], tuple[torch.Tensor, torch.Tensor]], steps: int, lr: float,
            progress: bool = True) -> list[float]:
    """``steps`` Adam steps (learning rate ``lr``) on the mean squared error between ``model(x)`` and ``y``.

    ``batch()`` gives each step's ``(x, y)``; both move to the device of ``model``'s parameters.
    Leaves ``model`` in eval mode and returns every step's loss; ``progress`` shows a tqdm bar on
    stdout. The loop of :func:`train_upscaler` and :func:`tconv_lib.real_models.denoising.train_denoiser`.
    """
    from tqdm import tqdm

    device = next(model.parameters()).device
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in tqdm(range(steps), disable=not progress, file=sys.stdout, mininterval=1.0,
                  desc=message("progress.training"), ncols=80):
        x, y = batch()
        loss = F.mse_loss(model(x.to(device)), y.to(device))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    model.eval()
    return losses
