"""Training a DCGAN: Adam with the paper's settings, one update step, the loop, BatchNorm helpers.

Works with any ``netG`` that has a ``latent_dim`` attribute (``tconv_lib.gan.dcgan.Generator``
does) and any ``netD`` that returns one logit per image. Every random number (data
order, z, augmentation) comes from seeded CPU generators, so a run is repeatable and
the same numbers reach CPU and GPU.

Introduced in chapters/11_training_a_dcgan.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import torch
from torch import nn

from ..i18n import message
from .train_config import TrainConfig


def make_optimizers(netG: nn.Module, netD: nn.Module, lr: float = 2e-4,
                    betas: tuple[float, float] = (0.5, 0.999)) -> tuple[torch.optim.Adam, torch.optim.Adam]:
    """``(optimizerG, optimizerD)``: Adam with the DCGAN settings."""
    return (torch.optim.Adam(netG.parameters(), lr=lr, betas=betas),
            torch.optim.Adam(netD.parameters(), lr=lr, betas=betas))


def shift_images(x: torch.Tensor, dy: torch.Tensor, dx: torch.Tensor, margin: tuple[int, int],
                 fill: float = -1.0) -> torch.Tensor:
    """Move each image by its own whole number of pixels; uncovered pixels become ``fill``.

    x: (n, C, H, W). Image i becomes the (H, W) window at offset ``(dy[i], dx[i])`` of ``x``
    padded by ``margin = (my, mx)`` on each side, so ``dy`` in ``0 .. 2*my`` (``my`` keeps the
    image in place) and likewise ``dx``. Differentiable. Used by :func:`diff_augment` and by
    :func:`tconv_lib.gan.quality.train_classifier`.
    """
    n, c, h, w = x.shape
    (my, mx), dev = margin, x.device
    padded = nn.functional.pad(x, (mx, mx, my, my), value=fill)
    rows = (dy[:, None] + torch.arange(h)).to(dev).view(n, 1, h, 1).expand(n, c, h, w + 2 * mx)
    cols = (dx[:, None] + torch.arange(w)).to(dev).view(n, 1, 1, w).expand(n, c, h, w)
    return padded.gather(2, rows).gather(3, cols)


def diff_augment(x: torch.Tensor, generator: torch.Generator | None = None, cutout: float = 0.5) -> torch.Tensor:
    """DiffAugment "translation + cutout" (Zhao et al., 2020): random, differentiable, per image.

    x: (n, C, H, W) in [-1, 1] -> same shape. Each image moves by up to H/8
    pixels in each direction (the uncovered border becomes background, -1),
    then a square of side ``cutout`` * H (the paper's 0.5 by default; 0: none)
    at a random place is set to 0. The random numbers come from ``generator``
    on the CPU, so CPU and GPU draw the same (the same numbers for every ``cutout``).
    """
    if isinstance(cutout, bool) or not 0.0 <= cutout <= 1.0:   # True would blank the whole image
        raise ValueError(message("training.cutout", got=cutout))
    n, c, h, w = x.shape
    sy, sx, dev = max(1, h // 8), max(1, w // 8), x.device
    side_y, side_x = int(h * cutout), int(w * cutout)
    dy = torch.randint(0, 2 * sy + 1, (n,), generator=generator)
    dx = torch.randint(0, 2 * sx + 1, (n,), generator=generator)
    cy = torch.randint(0, h, (n,), generator=generator) - side_y // 2   # the square's centre is uniform
    cx = torch.randint(0, w, (n,), generator=generator) - side_x // 2
    x = shift_images(x, dy, dx, (sy, sx))
    if not side_y or not side_x:
        return x
    ys, xs = torch.arange(h)[None, :] - cy[:, None], torch.arange(w)[None, :] - cx[:, None]
    inside = ((ys >= 0) & (ys < side_y))[:, :, None] & ((xs >= 0) & (xs < side_x))[:, None, :]
    return x * (~inside).to(device=dev, dtype=x.dtype)[:, None]


def train_step(netG: nn.Module, netD: nn.Module, optimizerG: torch.optim.Optimizer,
               optimizerD: torch.optim.Optimizer, real: torch.Tensor, z: torch.Tensor,
               augment: Callable[[torch.Tensor], torch.Tensor] | None = None) -> dict[str, float]:
    """One DCGAN update: netD on real (label 1) and fake (label 0), then netG (non-saturating loss).

    real: (n, C, H, W) in [-1, 1]; z: (n, latent_dim, 1, 1). ``augment``, if
    given, is applied to every batch netD sees, real and fake alike (e.g.
    :func:`diff_augment`). Returns the losses and netD's mean probabilities
    ``D_x`` (real) and ``D_G_z`` (fake).
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


@torch.no_grad()
def ema_update(ema: nn.Module, model: nn.Module, decay: float = 0.999) -> nn.Module:
    """Move ``ema``'s weights towards ``model``'s: ``w_ema = decay * w_ema + (1 - decay) * w``.

    ``ema`` is a copy of ``model`` (same architecture). Buffers (BatchNorm's
    running statistics) are copied as they are; recompute them for the averaged
    weights with :func:`recalibrate_batchnorm` before sampling in eval mode.
    An exponential moving average of the generator's weights gives smoother,
    more realistic samples than the last weights alone.
    """
    if not 0.0 <= decay < 1.0:
        raise ValueError(message("training.decay", got=decay))
    for p_ema, p in zip(ema.parameters(), model.parameters(), strict=True):
        p_ema.lerp_(p.to(p_ema.device), 1.0 - decay)
    for b_ema, b in zip(ema.buffers(), model.buffers(), strict=True):
        b_ema.copy_(b)
    return ema


BATCHNORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.SyncBatchNorm)


def _batchnorms(net: nn.Module) -> list[nn.Module]:
    return [m for m in net.modules() if isinstance(m, BATCHNORMS)]


@contextmanager
def _momentum(bns: list[nn.Module], momentum: float | None) -> Iterator[None]:
    """Set every BatchNorm's momentum (0: running averages frozen; None: plain average) and restore it."""
    saved = [m.momentum for m in bns]
    try:
        for m in bns:
            m.momentum = momentum
        yield
    finally:
        for m, old in zip(bns, saved):
            m.momentum = old


@contextmanager
def batch_statistics(netG: nn.Module) -> Iterator[nn.Module]:
    """Sample with BatchNorm using the batch's own statistics, leaving the running averages untouched."""
    bns = _batchnorms(netG)
    tracked = [m.num_batches_tracked.clone() for m in bns]
    was_training = netG.training
    try:
        with _momentum(bns, 0.0):
            netG.train()
            yield netG
    finally:
        for m, count in zip(bns, tracked):
            m.num_batches_tracked.copy_(count)
        netG.train(was_training)


def train_dcgan(netG: nn.Module, netD: nn.Module, dataset: torch.utils.data.Dataset, config: TrainConfig | None = None,
                *, device: torch.device | None = None, fixed_noise: torch.Tensor | None = None,
                optimizers: tuple | None = None, ema: nn.Module | None = None, progress: bool = True) -> dict:
    """Train netG and netD in place; return the history of losses, D outputs and sample snapshots.

    ``config``: the hyper-parameters (default ``TrainConfig()``). dataset items are images
    (C, H, W) or ``(image, label)`` pairs. The data order and every z come from CPU generators
    seeded with ``config.seed``, so a run is repeatable and the same z reach CPU and GPU.
    ``optimizers`` ``(optimizerG, optimizerD)`` carry on (default: :func:`make_optimizers` with
    ``config.lr, config.betas``). Every ``config.snapshot_every`` steps (and at the end)
    netG(fixed_noise) is stored, with batch statistics. ``ema``, a copy of netG, follows netG's
    weights by :func:`ema_update` after every step. ``progress``: a tqdm bar.
    History keys: loss_D, loss_G, D_x, D_G_z (one float per step), steps,
    snapshots (list of ``(step, images)``), optimizers.
    """
    from torch.utils.data import DataLoader
    from tqdm import tqdm

    config = config if config is not None else TrainConfig()
    device = device if device is not None else next(netG.parameters()).device
    netG.to(device).train()
    netD.to(device).train()
    optimizerG, optimizerD = (optimizers if optimizers is not None
                              else make_optimizers(netG, netD, config.lr, config.betas))
    order = torch.Generator().manual_seed(config.seed)
    noise = torch.Generator().manual_seed(config.seed + 1)
    aug_gen = torch.Generator().manual_seed(config.seed + 2)
    augment_fn = (lambda images: diff_augment(images, aug_gen, config.cutout)) if config.augment else None
    loader = DataLoader(dataset, batch_size=config.batch_size, shuffle=True, drop_last=True, generator=order)
    total = config.num_epochs * len(loader)
    total = total if config.max_steps is None else min(config.max_steps, total)
    history = dict(loss_D=[], loss_G=[], D_x=[], D_G_z=[], snapshots=[], steps=0,
                   optimizers=(optimizerG, optimizerD))

    def snapshot(step: int) -> None:
        with torch.no_grad(), batch_statistics(netG):
            history["snapshots"].append((step, netG(fixed_noise.to(device)).cpu()))

    bar = tqdm(total=total, disable=not progress, file=sys.stdout, ascii=True, mininterval=2.0,
               desc=message("progress.training"), unit=message("progress.step"))
    step = 0
    while step < total:
        for batch in loader:
            real = (batch[0] if isinstance(batch, (list, tuple)) else batch).to(device)
            z = torch.randn(real.shape[0], netG.latent_dim, 1, 1, generator=noise).to(device)
            stats = train_step(netG, netD, optimizerG, optimizerD, real, z, augment_fn)
            if ema is not None:
                ema_update(ema, netG, config.ema_decay)
            for key, value in stats.items():
                history[key].append(value)
            step += 1
            bar.update(1)
            if step % 10 == 0:
                bar.set_postfix(loss_D=f"{stats['loss_D']:.2f}", loss_G=f"{stats['loss_G']:.2f}", refresh=False)
            if fixed_noise is not None and config.snapshot_every and step % config.snapshot_every == 0:
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
    """
    device = next(netG.parameters()).device
    noise = torch.Generator().manual_seed(seed)
    bns = _batchnorms(netG)
    netG.train()
    for m in bns:
        m.reset_running_stats()
    with _momentum(bns, None):
        for _ in range(num_batches):
            netG(torch.randn(batch_size, netG.latent_dim, 1, 1, generator=noise).to(device))
    return netG.eval()
