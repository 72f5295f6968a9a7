"""Plots of the upsampling chapters: images pixel by pixel, power spectra, training losses.

Every function draws with matplotlib only, takes ``ax=None`` (or ``axes``) and returns the
Figure; the colours are the book's palette, :data:`tconv_lib.foundations.grids.PALETTE`.
Introduced in chapters/06_upscaling_a_real_image.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt  # noqa: F401  (lets IPython display the returned Figure objects)
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from ..foundations.grids import PALETTE
from ..i18n import message
from .artifacts import stride_frequency_mask


def draw_images(images: Sequence[ArrayLike], titles: Sequence[str] | None = None, axes: Sequence[Axes] | None = None,
                width: float = 2.4, cmap: str = "gray", limits: tuple[float, float] | None = None) -> Figure:
    """A row of images shown pixel by pixel (no smoothing), each with its title.

    images: (H, W, 3) arrays in [0, 1] (clipped for display) or (H, W) maps drawn
    with ``cmap``, each scaled to its own range unless ``limits=(vmin, vmax)`` gives
    one shared range.
    """
    images = [np.asarray(img) for img in images]
    if titles is not None and len(titles) != len(images):
        raise ValueError(message("plots.titles", n=len(images), got=len(titles)))
    if axes is None:
        fig = Figure(figsize=(width * len(images), width + 0.4), layout="constrained")
        axes = fig.subplots(1, len(images), squeeze=False)[0]
    for i, (ax, img) in enumerate(zip(axes, images)):
        if img.ndim == 3:
            ax.imshow(np.clip(img, 0, 1), interpolation="nearest")
        else:
            vmin, vmax = limits if limits is not None else (None, None)
            ax.imshow(img, interpolation="nearest", cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_xticks([])
        ax.set_yticks([])
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    return axes[0].figure


def mean_power_spectrum(values: ArrayLike, normalise: bool = False) -> np.ndarray:
    """Power spectrum of each map (mean removed), averaged over the maps: (..., H, W) -> (H, W).

    Averaging over many maps (random inputs, channels) smooths the noise floor, so energy
    that every map puts on the same bins stands out. ``normalise=True`` divides by the total,
    so each bin holds its share of the energy (the bins of
    :func:`tconv_lib.upsampling.artifacts.stride_frequency_mask` then sum to the artifact
    score of the same maps). Zero frequency at index (0, 0), as ``np.fft.fft2`` returns it.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim < 2:
        raise ValueError(message("plots.values_ndim", shape=values.shape))
    maps = values.reshape(-1, *values.shape[-2:])
    power = (np.abs(np.fft.fft2(maps - maps.mean(axis=(-2, -1), keepdims=True))) ** 2).mean(axis=0)
    if normalise:
        total = power.sum()
        power = power / total if total > 0 else power
    return power


def draw_spectrum(values: ArrayLike, stride: int, ax: Axes | None = None, title: str | None = None,
                  normalise: bool = False, limits: tuple[float, float] | None = None) -> Figure:
    """Log power spectrum of a 2-D map (mean removed, zero frequency in the centre).

    The bins at multiples of the stride frequency - where a pattern repeating every
    ``stride`` pixels puts its energy - are circled. values: (H, W), both multiples
    of ``stride``, or (..., H, W): the power averaged over the maps
    (:func:`mean_power_spectrum`). ``normalise``: show each bin's share of the energy;
    ``limits=(lo, hi)``: one colour range in log10 units, to compare several spectra.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim < 2:
        raise ValueError(message("plots.values_ndim", shape=values.shape))
    h, w = values.shape[-2:]
    if h % stride or w % stride:
        raise ValueError(message("plots.values_stride", shape=values.shape, stride=stride))
    power = mean_power_spectrum(values, normalise)
    shown = np.fft.fftshift(np.log10(power + 1e-12 * max(power.max(), 1e-30)))
    if ax is None:
        ax = Figure(figsize=(3, 3.2), layout="constrained").subplots()
    lo, hi = limits if limits is not None else (None, None)
    ax.imshow(shown, cmap="magma", interpolation="nearest", vmin=lo, vmax=hi)
    bins = np.fft.fftshift(stride_frequency_mask(h, w, stride).numpy())
    bins[h // 2, w // 2] = False   # the mean, removed above
    rows, cols = np.nonzero(bins)
    ax.scatter(cols, rows, s=220, facecolors="none",
               edgecolors=PALETTE["highlight"], linewidths=2, clip_on=False)
    ax.set_axis_off()   # no ticks or frame: the circled bins, not their indices, are what to read
    if title:
        ax.set_title(title, fontsize=9)
    return ax.figure


def running_mean(values: ArrayLike, window: int) -> np.ndarray:
    """Mean of each ``window`` consecutive values: (n,) -> (n - window + 1,)."""
    return np.convolve(np.asarray(values, dtype=float), np.ones(window) / window, mode="valid")


def draw_losses(losses: ArrayLike, ax: Axes | None = None, window: int = 25, title: str | None = None) -> Figure:
    """Training loss per step (thin line) and its running mean over ``window`` steps, log scale."""
    losses = np.asarray(losses, dtype=float)
    if ax is None:
        ax = Figure(figsize=(5, 2.8), layout="constrained").subplots()
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, color=PALETTE["input"], linewidth=0.8, label=message("plots.loss_per_step"))
    if len(losses) >= window:
        ax.plot(steps[window - 1:], running_mean(losses, window), color=PALETTE["crop"], linewidth=1.8,
                label=message("plots.running_mean", window=window))
    ax.set_yscale("log")
    ax.set_xlabel(message("plots.training_step"))
    ax.set_ylabel(message("plots.mse"))
    ax.legend(fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=10)
    return ax.figure
