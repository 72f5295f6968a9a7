"""Real images for the upsampling chapters: loading, layout, patches and PSNR.

The images are the samples that ship inside matplotlib (nothing is downloaded).
Pixel values are converted to floats in [0, 1] exactly once, in
:func:`to_unit_float`; every other function here expects that range.

Layouts: NumPy images are (H, W, C) as matplotlib reads and shows them; torch
tensors are (N, C, H, W) as ``nn.Conv2d`` and ``nn.ConvTranspose2d`` expect.

Introduced in chapters/06_upscaling_a_real_image.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import ArrayLike

from ..foundations.arithmetic import check_int
from ..i18n import message

SAMPLE_IMAGES = ("grace_hopper.jpg", "Minduka_Present_Blue_Pack.png")


def to_unit_float(image: np.ndarray) -> np.ndarray:
    """Pixel values as float32 in [0, 1], whatever the file format gave.

    Integer images (``plt.imread`` of a JPEG gives uint8 in 0..255) are divided by
    their type's maximum; float images (``plt.imread`` of a PNG already gives
    floats in [0, 1]) are returned unchanged, because dividing them by 255 again
    would darken them to near black. A float image outside [0, 1] raises.
    Shape is unchanged.
    """
    arr = np.asarray(image)
    if np.issubdtype(arr.dtype, np.integer):
        info = np.iinfo(arr.dtype)
        if info.min < 0 and arr.size and arr.min() < 0:
            raise ValueError(message("imaging.negative", low=arr.min()))
        return arr.astype(np.float32) / np.float32(info.max)
    if np.issubdtype(arr.dtype, np.floating):
        if arr.size and (np.nanmin(arr) < 0 or np.nanmax(arr) > 1):
            raise ValueError(message("imaging.float_range", low=np.nanmin(arr), high=np.nanmax(arr)))
        return arr.astype(np.float32, copy=False)
    raise TypeError(message("imaging.dtype", dtype=arr.dtype))


def load_sample_image(name: str = "grace_hopper.jpg") -> np.ndarray:
    """One of matplotlib's bundled sample images as an (H, W, 3) float32 array in [0, 1].

    ``name`` is one of :data:`SAMPLE_IMAGES`; an alpha channel, if any, is dropped.
    """
    import matplotlib.pyplot as plt
    from matplotlib.cbook import get_sample_data

    if name not in SAMPLE_IMAGES:
        raise ValueError(message("errors.one_of", name="name", allowed=SAMPLE_IMAGES, got=name))
    with get_sample_data(name) as fh:
        raw = plt.imread(fh)
    image = to_unit_float(raw)
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    return np.ascontiguousarray(image[:, :, :3])


def hwc_to_nchw(image: ArrayLike | torch.Tensor) -> torch.Tensor:
    """(H, W, C) image -> (1, C, H, W) float tensor: one permute, then one unsqueeze."""
    x = torch.as_tensor(np.asarray(image) if not isinstance(image, torch.Tensor) else image)
    if x.ndim != 3:
        raise ValueError(message("imaging.hwc", ndim=x.ndim, shape=tuple(x.shape)))
    return x.permute(2, 0, 1).unsqueeze(0).float().contiguous()


def nchw_to_hwc(x: torch.Tensor) -> np.ndarray:
    """(1, C, H, W) or (C, H, W) tensor -> (H, W, C) NumPy array clamped to [0, 1] for display.

    Works for tensors on any device and with gradients.
    """
    if x.ndim == 4:
        if x.shape[0] != 1:
            raise ValueError(message("imaging.batch", n=x.shape[0]))
        x = x[0]
    if x.ndim != 3:
        raise ValueError(message("imaging.nchw", shape=tuple(x.shape)))
    return x.detach().clamp(0, 1).permute(1, 2, 0).cpu().numpy()


def split_rows(x: torch.Tensor, held_out_fraction: float = 0.25) -> tuple[torch.Tensor, torch.Tensor]:
    """Split (N, C, H, W) into a top part for training and a bottom part held out for testing.

    Returns (train, held_out); held_out has ``round(H * held_out_fraction)`` rows.
    """
    if not 0 < held_out_fraction < 1:
        raise ValueError(message("imaging.fraction", got=held_out_fraction))
    rows = x.shape[-2]
    cut = rows - round(rows * held_out_fraction)
    if cut < 1 or cut >= rows:
        raise ValueError(message("imaging.empty_part", fraction=held_out_fraction, rows=rows))
    return x[..., :cut, :], x[..., cut:, :]


def _check_patch(x: torch.Tensor, size: int | tuple[int, int]) -> tuple[int, int]:
    """The (height, width) of a patch of ``size`` (an int: a square), after checking x and size."""
    if x.ndim != 4:
        raise ValueError(message("imaging.patch_x", shape=tuple(x.shape)))
    h, w = size if isinstance(size, (tuple, list)) else (size, size)
    check_int(h, "size", minimum=1)
    check_int(w, "size", minimum=1)
    if h > x.shape[-2] or w > x.shape[-1]:
        raise ValueError(message("imaging.patch_size", size=size, hw=tuple(x.shape[-2:])))
    return h, w


def random_patches(x: torch.Tensor, size: int | tuple[int, int], count: int,
                   generator: torch.Generator) -> torch.Tensor:
    """``count`` random crops of ``size`` (an int for a square, or (h, w)) from image 0 of x: (count, C, h, w).

    Positions are drawn with ``generator`` (all rows, then all columns), so a seeded generator
    gives the same patches. Used by :func:`tconv_lib.upsampling.upsamplers.train_upscaler` and
    :func:`tconv_lib.real_models.denoising.train_denoiser`.
    """
    h, w = _check_patch(x, size)
    check_int(count, "count", minimum=1)
    rows = torch.randint(0, x.shape[-2] - h + 1, (count,), generator=generator).tolist()
    cols = torch.randint(0, x.shape[-1] - w + 1, (count,), generator=generator).tolist()
    return torch.stack([x[0, :, r:r + h, c:c + w] for r, c in zip(rows, cols)])


def grid_patches(x: torch.Tensor, size: int) -> torch.Tensor:
    """All non-overlapping ``size`` x ``size`` tiles of image 0 of x, row by row: (n, C, size, size).

    Leftover rows and columns at the bottom and right are dropped.
    """
    check_int(size, "size", minimum=1)
    _check_patch(x, size)
    h, w = x.shape[-2:]
    return torch.stack([x[0, :, r:r + size, c:c + size]
                        for r in range(0, h - size + 1, size) for c in range(0, w - size + 1, size)])


def downscale(x: torch.Tensor, factor: int = 2) -> torch.Tensor:
    """Box-filter downscaling: the mean of each ``factor`` x ``factor`` block.

    (N, C, H, W) -> (N, C, H // factor, W // factor). This makes the low-resolution
    inputs whose high-resolution originals the upscalers must recover.
    """
    check_int(factor, "factor", minimum=1)
    return F.avg_pool2d(x, factor)


def psnr(pred: torch.Tensor, target: torch.Tensor, data_range: float = 1.0) -> float:
    """Peak signal-to-noise ratio in dB: ``10 * log10(data_range**2 / MSE)`` over all elements.

    Higher is better; +inf when the two are identical. Shapes must match.
    """
    if pred.shape != target.shape:
        raise ValueError(message("imaging.psnr_shape", pred=tuple(pred.shape), target=tuple(target.shape)))
    if data_range <= 0:
        raise ValueError(message("arithmetic.positive", name="data_range", value=data_range))
    mse = torch.mean((pred.detach().double() - target.detach().double()) ** 2).item()
    return math.inf if mse == 0 else 10 * math.log10(data_range ** 2 / mse)
