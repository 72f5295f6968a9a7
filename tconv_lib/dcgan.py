"""DCGAN built from transposed convolutions, for any power-of-two image size.

``Generator`` maps z of shape (n, latent_dim, 1, 1) to images (n, channels,
image_size, image_size) in [-1, 1]; ``Discriminator`` maps images to one logit
each, shape (n,). Both follow the DCGAN guidelines (Radford, Metz & Chintala
2015): a k=4 s=1 p=0 projection from 1x1 to 4x4, stride-2 ConvTranspose2d
blocks with BatchNorm + ReLU, Tanh output; strided Conv2d + LeakyReLU(0.2) in
netD with no BatchNorm on its input layer; weights from N(0, 0.02).

Introduced in chapters/10_dcgan_generator (models, shapes) and
chapters/11_training_a_dcgan (training, checkpoint).
"""
from __future__ import annotations

import json
import math
import sys
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

import torch
from torch import nn

from . import arithmetic
from .weights import CheckpointError, load_verified_state_dict, read_manifest, sha256_file, weights_dir

# Hyper-parameters of the shipped digits model and of two 64x64 presets for GPU users.
PRESETS: dict[str, dict] = {
    # 32x32 digits on a laptop CPU: 1x1 -> 4 -> 8 -> 16 -> 32.
    "digits32": dict(image_size=32, latent_dim=16, ngf=32, ndf=32, channels=1,
                     kernel_size=4, padding=1, output_padding=0),
    # The PyTorch DCGAN tutorial: nz=100, ngf=ndf=64, k=4 s=2 p=1, 3 x 64 x 64.
    "tutorial64": dict(image_size=64, latent_dim=100, ngf=64, ndf=64, channels=3,
                       kernel_size=4, padding=1, output_padding=0),
    # The paper's generator: 1024 channels at 4x4, 5x5 kernels, stride 2. In PyTorch
    # padding=2 alone gives 4->7->13->25->49; output_padding=1 makes it 4->8->16->32->64.
    "paper64": dict(image_size=64, latent_dim=100, ngf=128, ndf=128, channels=3,
                    kernel_size=5, padding=2, output_padding=1),
}
_G_KEYS = ("image_size", "latent_dim", "ngf", "channels", "kernel_size", "padding", "output_padding")
_D_KEYS = ("image_size", "ndf", "channels", "kernel_size", "padding")
GENERATOR_FILE = "dcgan_digits32_generator.safetensors"


def _num_blocks(image_size) -> int:
    """Number of stride-2 layers between 4x4 and image_size (image_size = 4 * 2**blocks)."""
    if isinstance(image_size, bool) or not isinstance(image_size, int):
        raise TypeError(f"image_size must be an int, got {image_size!r}")
    if image_size < 8 or image_size & (image_size - 1):
        raise ValueError(f"image_size must be a power of two >= 8, got {image_size}")
    return int(math.log2(image_size)) - 2


def weights_init(module: nn.Module) -> None:
    """DCGAN initialisation: conv weights N(0, 0.02); BatchNorm weight N(1, 0.02), bias 0.

    Introduced in chapters/10_dcgan_generator.
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

    Introduced in chapters/10_dcgan_generator.
    """

    def __init__(self, image_size: int = 32, latent_dim: int = 16, ngf: int = 32, channels: int = 1,
                 kernel_size: int = 4, padding: int = 1, output_padding: int = 0) -> None:
        super().__init__()
        blocks = _num_blocks(image_size)
        arithmetic.check_params(kernel_size, 2, padding, output_padding, 1)
        if kernel_size + output_padding - 2 * padding != 2:
            raise ValueError(
                f"kernel_size ({kernel_size}), padding ({padding}) and output_padding ({output_padding}) "
                "must satisfy kernel_size + output_padding - 2*padding == 2 so that stride 2 doubles the size")
        self.image_size, self.latent_dim, self.channels = image_size, latent_dim, channels
        self.config = dict(zip(_G_KEYS, (image_size, latent_dim, ngf, channels, kernel_size, padding,
                                         output_padding)))
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
        return self.main(z)


class Discriminator(nn.Module):
    """netD: images (n, channels, image_size, image_size) -> logits (n,) (real > 0 > fake).

    Stride-2 Conv2d layers halve the size down to 4x4 (LeakyReLU 0.2, BatchNorm
    on all but the first), then ``Conv2d(., 1, 4, 1, 0)`` gives one logit. The
    sigmoid lives in the loss (``BCEWithLogitsLoss``), which is the same maths
    as the paper's sigmoid + BCE, computed more stably.

    Introduced in chapters/10_dcgan_generator.
    """

    def __init__(self, image_size: int = 32, ndf: int = 32, channels: int = 1,
                 kernel_size: int = 4, padding: int = 1) -> None:
        super().__init__()
        blocks = _num_blocks(image_size)
        if arithmetic.conv_output_size(image_size, kernel_size, 2, padding) * 2 != image_size:
            raise ValueError(f"kernel_size ({kernel_size}) and padding ({padding}) must halve the size with "
                             f"stride 2 (image_size {image_size})")
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
    """``(netG, netD)`` for a named preset (``PRESETS``), any key overridable.

    Introduced in chapters/10_dcgan_generator.
    """
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {preset!r}")
    unknown = set(overrides) - set(PRESETS[preset])
    if unknown:
        raise TypeError(f"unknown hyper-parameter(s) {sorted(unknown)}; allowed: {sorted(PRESETS[preset])}")
    cfg = {**PRESETS[preset], **overrides}
    netG = Generator(**{k: cfg[k] for k in _G_KEYS})
    netD = Discriminator(**{k: cfg[k] for k in _D_KEYS})
    return netG, netD


# ----------------------------------------------------------------------------- shapes
def shape_table(model: nn.Module, input_size: int | None = None) -> list[dict]:
    """Predicted size of every (transposed) convolution, from ``tconv_lib.arithmetic`` alone.

    One dict per layer: name, kind, in/out channels, kernel_size, stride,
    padding, output_padding, ``zeros_between`` (stride - 1, transposed only),
    ``border`` (implicit padding k-1-p, transposed only), in_size, out_size.
    ``input_size`` defaults to 1 for a Generator and image_size for a Discriminator.

    Introduced in chapters/10_dcgan_generator.
    """
    size = input_size if input_size is not None else (1 if isinstance(model, Generator) else model.image_size)
    rows = []
    for name, layer in model.named_modules():
        if not isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)):
            continue
        k, s, p = layer.kernel_size[0], layer.stride[0], layer.padding[0]
        transposed = isinstance(layer, nn.ConvTranspose2d)
        op = layer.output_padding[0] if transposed else 0
        out = (arithmetic.conv_transpose_output_size(size, k, s, p, op) if transposed
               else arithmetic.conv_output_size(size, k, s, p))
        rows.append(dict(name=name.split(".")[-1], kind=type(layer).__name__,
                         in_channels=layer.in_channels, out_channels=layer.out_channels,
                         kernel_size=k, stride=s, padding=p, output_padding=op,
                         zeros_between=s - 1 if transposed else None,
                         border=arithmetic.implicit_padding(k, p) if transposed else None,
                         in_size=size, out_size=out))
        size = out
    return rows


def traced_shapes(model: nn.Module, x: torch.Tensor) -> list[tuple[str, tuple, tuple]]:
    """Run ``model(x)`` and record ``(name, input shape, output shape)`` of every conv layer (forward hooks).

    Introduced in chapters/10_dcgan_generator.
    """
    seen, handles = [], []
    for name, layer in model.named_modules():
        if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)):
            def hook(mod, inputs, output, name=name.split(".")[-1]):
                seen.append((name, tuple(inputs[0].shape), tuple(output.shape)))
            handles.append(layer.register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return seen


def format_shape_table(rows: list[dict]) -> str:
    """The rows of :func:`shape_table` as aligned text (channels x size x size).

    Introduced in chapters/10_dcgan_generator.
    """
    head = f"{'layer':8} {'kind':16} {'k':>2} {'s':>2} {'p':>2} {'op':>2} {'zeros':>5} {'border':>6}  in -> out"
    lines = [head, "-" * len(head)]
    for r in rows:
        zeros = "" if r["zeros_between"] is None else r["zeros_between"]
        border = "" if r["border"] is None else r["border"]
        lines.append(f"{r['name']:8} {r['kind']:16} {r['kernel_size']:>2} {r['stride']:>2} {r['padding']:>2} "
                     f"{r['output_padding']:>2} {zeros!s:>5} {border!s:>6}  "
                     f"{r['in_channels']}x{r['in_size']}x{r['in_size']} -> "
                     f"{r['out_channels']}x{r['out_size']}x{r['out_size']}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- training
def make_optimizers(netG: nn.Module, netD: nn.Module, lr: float = 2e-4,
                    betas: tuple[float, float] = (0.5, 0.999)) -> tuple[torch.optim.Adam, torch.optim.Adam]:
    """``(optimizerG, optimizerD)``: Adam with the DCGAN settings.

    Introduced in chapters/11_training_a_dcgan.
    """
    return (torch.optim.Adam(netG.parameters(), lr=lr, betas=betas),
            torch.optim.Adam(netD.parameters(), lr=lr, betas=betas))


def diff_augment(x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """DiffAugment "translation + cutout" (Zhao et al., 2020): random, differentiable, per image.

    x: (n, C, H, W) in [-1, 1] -> same shape. Each image moves by up to H/8
    pixels in each direction (the uncovered border becomes background, -1),
    then a square of side H/2 at a random place is set to 0. The random
    numbers come from ``generator`` on the CPU, so CPU and GPU draw the same.

    Introduced in chapters/11_training_a_dcgan.
    """
    n, c, h, w = x.shape
    sy, sx, dev = max(1, h // 8), max(1, w // 8), x.device
    dy = torch.randint(0, 2 * sy + 1, (n,), generator=generator)
    dx = torch.randint(0, 2 * sx + 1, (n,), generator=generator)
    cy = torch.randint(0, h, (n,), generator=generator) - h // 4
    cx = torch.randint(0, w, (n,), generator=generator) - w // 4
    padded = nn.functional.pad(x, (sx, sx, sy, sy), value=-1.0)
    rows = (dy[:, None] + torch.arange(h)).to(dev).view(n, 1, h, 1).expand(n, c, h, w + 2 * sx)
    cols = (dx[:, None] + torch.arange(w)).to(dev).view(n, 1, 1, w).expand(n, c, h, w)
    x = padded.gather(2, rows).gather(3, cols)
    ys, xs = torch.arange(h)[None, :] - cy[:, None], torch.arange(w)[None, :] - cx[:, None]
    inside = ((ys >= 0) & (ys < h // 2))[:, :, None] & ((xs >= 0) & (xs < w // 2))[:, None, :]
    return x * (~inside).to(device=dev, dtype=x.dtype)[:, None]


def train_step(netG: nn.Module, netD: nn.Module, optimizerG, optimizerD, real: torch.Tensor,
               z: torch.Tensor, augment=None) -> dict[str, float]:
    """One DCGAN update: netD on real (label 1) and fake (label 0), then netG (non-saturating loss).

    real: (n, C, H, W) in [-1, 1]; z: (n, latent_dim, 1, 1). ``augment``, if
    given, is applied to every batch netD sees, real and fake alike (e.g.
    :func:`diff_augment`). Returns the losses and netD's mean probabilities
    ``D_x`` (real) and ``D_G_z`` (fake).

    Introduced in chapters/11_training_a_dcgan.
    """
    aug = augment if augment is not None else (lambda images: images)
    bce = nn.BCEWithLogitsLoss()
    ones = torch.ones(real.shape[0], device=real.device)
    zeros = torch.zeros_like(ones)
    fake = netG(z)
    optimizerD.zero_grad(set_to_none=True)
    out_real = netD(aug(real))
    out_fake = netD(aug(fake.detach()))
    loss_D = bce(out_real, ones) + bce(out_fake, zeros)
    loss_D.backward()
    optimizerD.step()
    optimizerG.zero_grad(set_to_none=True)
    out_fake = netD(aug(fake))
    loss_G = bce(out_fake, ones)
    loss_G.backward()
    optimizerG.step()
    return dict(loss_D=loss_D.item(), loss_G=loss_G.item(),
                D_x=torch.sigmoid(out_real).mean().item(), D_G_z=torch.sigmoid(out_fake).mean().item())


@contextmanager
def batch_statistics(netG: nn.Module):
    """Sample with BatchNorm using the batch's own statistics, leaving the running averages untouched.

    Introduced in chapters/11_training_a_dcgan (the BatchNorm train/eval pitfall).
    """
    bns = [m for m in netG.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    saved = [(m.momentum, m.num_batches_tracked.clone()) for m in bns]
    was_training = netG.training
    try:
        for m in bns:
            m.momentum = 0.0
        netG.train()
        yield netG
    finally:
        for m, (momentum, tracked) in zip(bns, saved):
            m.momentum = momentum
            m.num_batches_tracked.copy_(tracked)
        netG.train(was_training)


def train_dcgan(netG: nn.Module, netD: nn.Module, dataset, num_epochs: int = 1, batch_size: int = 64,
                lr: float = 2e-4, betas: tuple[float, float] = (0.5, 0.999), seed: int = 0,
                device: torch.device | None = None, max_steps: int | None = None,
                fixed_noise: torch.Tensor | None = None, snapshot_every: int | None = None,
                optimizers: tuple | None = None, augment: bool = False, progress: bool = True) -> dict:
    """Train netG and netD in place; return the history of losses, D outputs and sample snapshots.

    dataset items are images (C, H, W) or ``(image, label)`` pairs. The data
    order and every z come from CPU generators seeded with ``seed``, so a run
    is repeatable and the same z reach CPU and GPU. ``augment=True`` shows
    netD every batch through :func:`diff_augment`. ``snapshot_every`` steps
    (and at the end) netG(fixed_noise) is stored, with batch statistics.
    History keys: loss_D, loss_G, D_x, D_G_z (one float per step), steps,
    snapshots (list of ``(step, images)``), optimizers.

    Introduced in chapters/11_training_a_dcgan.
    """
    from torch.utils.data import DataLoader
    from tqdm import tqdm

    device = device if device is not None else next(netG.parameters()).device
    netG.to(device).train()
    netD.to(device).train()
    optimizerG, optimizerD = optimizers if optimizers is not None else make_optimizers(netG, netD, lr, betas)
    order = torch.Generator().manual_seed(seed)
    noise = torch.Generator().manual_seed(seed + 1)
    aug_gen = torch.Generator().manual_seed(seed + 2)
    augment_fn = (lambda images: diff_augment(images, aug_gen)) if augment else None
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=True, drop_last=True, generator=order)
    total = num_epochs * len(loader) if max_steps is None else min(max_steps, num_epochs * len(loader))
    history = dict(loss_D=[], loss_G=[], D_x=[], D_G_z=[], snapshots=[], steps=0,
                   optimizers=(optimizerG, optimizerD))

    def snapshot(step: int) -> None:
        with torch.no_grad(), batch_statistics(netG):
            history["snapshots"].append((step, netG(fixed_noise.to(device)).cpu()))

    bar = tqdm(total=total, disable=not progress, file=sys.stdout, ascii=True, mininterval=2.0,
               desc="training", unit="step")
    step = 0
    while step < total:
        for batch in loader:
            real = (batch[0] if isinstance(batch, (list, tuple)) else batch).to(device)
            z = torch.randn(real.shape[0], netG.latent_dim, 1, 1, generator=noise).to(device)
            stats = train_step(netG, netD, optimizerG, optimizerD, real, z, augment_fn)
            for key, value in stats.items():
                history[key].append(value)
            step += 1
            bar.update(1)
            if step % 10 == 0:
                bar.set_postfix(loss_D=f"{stats['loss_D']:.2f}", loss_G=f"{stats['loss_G']:.2f}", refresh=False)
            if fixed_noise is not None and snapshot_every and step % snapshot_every == 0:
                snapshot(step)
            if step >= total:
                break
    bar.close()
    history["steps"] = step
    if fixed_noise is not None and (not history["snapshots"] or history["snapshots"][-1][0] != step):
        snapshot(step)
    return history


@torch.no_grad()
def recalibrate_batchnorm(netG: nn.Module, num_batches: int = 50, batch_size: int = 256, seed: int = 0) -> nn.Module:
    """Replace BatchNorm's running averages by exact statistics of the final netG, then eval mode.

    During training the running averages trail the moving weights; feeding
    ``num_batches`` batches of fresh z with ``momentum=None`` (a plain average)
    makes eval-mode samples look like train-mode samples.

    Introduced in chapters/11_training_a_dcgan.
    """
    device = next(netG.parameters()).device
    noise = torch.Generator().manual_seed(seed)
    bns = [m for m in netG.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    saved = [m.momentum for m in bns]
    netG.train()
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    for _ in range(num_batches):
        netG(torch.randn(batch_size, netG.latent_dim, 1, 1, generator=noise).to(device))
    for m, momentum in zip(bns, saved):
        m.momentum = momentum
    return netG.eval()


# ----------------------------------------------------------------------------- checkpoint
def save_generator(netG: Generator, path: str | Path) -> str:
    """Write netG's tensors (weights and BatchNorm statistics) to ``path`` as safetensors; return the SHA-256.

    Introduced in chapters/11_training_a_dcgan.
    """
    from safetensors.torch import save_file

    tensors = {k: v.detach().cpu().contiguous() for k, v in netG.state_dict().items()}
    save_file(tensors, str(path), metadata={"config": json.dumps(netG.config, sort_keys=True)})
    return sha256_file(path)


def load_pretrained_generator(path: str | Path | None = None, expected_sha256: str | None = None,
                              device: torch.device | str | None = None) -> Generator:
    """The shipped 32x32 digits netG, checksum-verified, in eval mode (ready for sampling).

    ``netG(torch.randn(n, netG.latent_dim, 1, 1))`` gives (n, 1, 32, 32) in
    [-1, 1]. ``path``/``expected_sha256`` load another copy; any mismatch
    raises :class:`CheckpointError`.

    Introduced in chapters/11_training_a_dcgan.
    """
    manifest = read_manifest()
    path = Path(path) if path is not None else weights_dir() / manifest["generator"]["file"]
    state = load_verified_state_dict(path, expected_sha256)
    netG = Generator(**manifest["generator"]["config"])
    try:
        netG.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise CheckpointError(f"{path} does not hold a generator with config "
                              f"{manifest['generator']['config']}: {exc}") from exc
    return netG.to(device if device is not None else "cpu").eval()
