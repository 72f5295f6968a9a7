"""Image data for the DCGAN chapters: bundled digits and a user's own folder of images.

Both datasets return float32 tensors of shape (channels, image_size,
image_size) with values in [-1, 1], the range of the generator's Tanh output.
Nothing is downloaded: the digits ship inside scikit-learn.

Introduced in chapters/11_training_a_dcgan.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

DIGITS_LEVELS = 16          # the 8x8 digits hold integers 0..16 (17 grey levels)
HELD_OUT_FRACTION = 0.2     # share of each class kept out of training
SPLIT_SEED = 0              # fixes which images are held out, once and for all
SPLITS = ("train", "held_out", "all")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")


def _check_image_size(image_size) -> int:
    if isinstance(image_size, bool) or not isinstance(image_size, int):
        raise TypeError(f"image_size must be an int, got {image_size!r}")
    if image_size < 4:
        raise ValueError(f"image_size must be at least 4, got {image_size}")
    return image_size


def split_indices(labels: Sequence[int], held_out_fraction: float = HELD_OUT_FRACTION,
                  seed: int = SPLIT_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic stratified split: ``(train_idx, held_out_idx)``, both sorted.

    From every class the same fraction goes to the held-out part, chosen by a
    seeded permutation, so the split never changes between runs or machines.

    Introduced in chapters/11_training_a_dcgan.
    """
    if not 0.0 < held_out_fraction < 1.0:
        raise ValueError(f"held_out_fraction must be strictly between 0 and 1, got {held_out_fraction}")
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    held = []
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)
        count = int(round(len(members) * held_out_fraction))
        held.extend(rng.permutation(members)[:count].tolist())
    held_idx = np.sort(np.array(held, dtype=np.int64))
    train_idx = np.setdiff1d(np.arange(len(labels)), held_idx)
    return train_idx, held_idx


@lru_cache(maxsize=1)
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits as read from its bundled file (parsed once per process)."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return bunch.images.astype(np.float32), bunch.target.astype(np.int64)


def digits_tensor(image_size: int = 32) -> tuple[torch.Tensor, torch.Tensor]:
    """All 1,797 bundled digits as ``(images, labels)``.

    images: (1797, 1, image_size, image_size) float32 in [-1, 1] (bilinear
    resize of the 8x8 originals); labels: (1797,) int64 in 0..9.

    Introduced in chapters/11_training_a_dcgan.
    """
    image_size = _check_image_size(image_size)
    images, labels = _digits_arrays()
    x = torch.from_numpy(images.copy()).unsqueeze(1) / DIGITS_LEVELS  # [0, 1]
    if image_size != 8:
        x = F.interpolate(x, size=(image_size, image_size), mode="bilinear", align_corners=False)
    x = (x * 2.0 - 1.0).clamp(-1.0, 1.0)
    return x.contiguous(), torch.from_numpy(labels.copy())


class DigitsDataset(Dataset):
    """scikit-learn's bundled handwritten digits as a torch Dataset of ``(image, label)``.

    image: (1, image_size, image_size) float32 in [-1, 1]; label: int 0..9.
    ``split`` is ``"train"`` (80 % of each class), ``"held_out"`` (the other
    20 %, never shown to the GAN or the classifier during training) or ``"all"``.

    Introduced in chapters/11_training_a_dcgan.
    """

    def __init__(self, split: str = "train", image_size: int = 32) -> None:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
        images, labels = digits_tensor(image_size)
        if split != "all":
            train_idx, held_idx = split_indices(labels.numpy())
            keep = torch.from_numpy(train_idx if split == "train" else held_idx)
            images, labels = images[keep], labels[keep]
        self.split, self.image_size = split, image_size
        self.images, self.labels = images, labels

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        return self.images[index], int(self.labels[index])


def load_image(path: str | Path, image_size: int, channels: int = 1) -> torch.Tensor:
    """One image file as a (channels, image_size, image_size) float32 tensor in [-1, 1].

    The shorter side is resized to ``image_size`` (bicubic), then the centre is
    cropped to a square; ``channels`` 1 converts to greyscale, 3 to RGB.

    Introduced in chapters/11_training_a_dcgan.
    """
    from PIL import Image

    image_size = _check_image_size(image_size)
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 (greyscale) or 3 (RGB), got {channels!r}")
    with Image.open(path) as img:
        img = img.convert("L" if channels == 1 else "RGB")
        w, h = img.size
        scale = image_size / min(w, h)
        new_w, new_h = max(image_size, round(w * scale)), max(image_size, round(h * scale))
        img = img.resize((new_w, new_h), Image.Resampling.BICUBIC)
        left, top = (new_w - image_size) // 2, (new_h - image_size) // 2
        img = img.crop((left, top, left + image_size, top + image_size))
        arr = np.asarray(img, dtype=np.float32) / 255.0
    if arr.ndim == 2:
        arr = arr[None]
    else:
        arr = arr.transpose(2, 0, 1)  # H, W, C -> C, H, W
    return torch.from_numpy(np.ascontiguousarray(arr * 2.0 - 1.0))


class ImageFolderDataset(Dataset):
    """Every image file in a folder (searched recursively), for training on your own pictures.

    Items are (channels, image_size, image_size) float32 tensors in [-1, 1];
    images of any size are resized and centre-cropped (see :func:`load_image`).
    Files are listed in sorted order, so the dataset is the same on every run.

    Introduced in chapters/11_training_a_dcgan.
    """

    def __init__(self, root: str | Path, image_size: int = 64, channels: int = 3,
                 preload: bool = True) -> None:
        root = Path(root)
        if not root.is_dir():
            raise FileNotFoundError(f"root must be an existing folder, got {str(root)!r}")
        self.image_size, self.channels = _check_image_size(image_size), channels
        self.files = sorted(p for p in root.rglob("*")
                            if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS)
        if not self.files:
            raise ValueError(f"root {str(root)!r} holds no image files ({', '.join(IMAGE_EXTENSIONS)})")
        load_image(self.files[0], image_size, channels)  # fail early on a bad channels value
        self._cache = [load_image(p, image_size, channels) for p in self.files] if preload else None

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: int) -> torch.Tensor:
        if self._cache is not None:
            return self._cache[index]
        return load_image(self.files[index], self.image_size, self.channels)


def make_grid(images: torch.Tensor, nrow: int = 8, padding: int = 1, pad_value: float = 1.0) -> torch.Tensor:
    """Tile images (n, C, H, W) into one (C, rows*(H+padding)+padding, nrow*(W+padding)+padding) tensor.

    Missing tiles of the last row and the gaps are filled with ``pad_value``
    (1.0 is white in [-1, 1] with matplotlib's ``gray``, black with ``gray_r``).

    Introduced in chapters/11_training_a_dcgan.
    """
    if images.dim() != 4:
        raise ValueError(f"images must have shape (n, C, H, W), got {tuple(images.shape)}")
    if isinstance(nrow, bool) or not isinstance(nrow, int) or nrow < 1:
        raise ValueError(f"nrow must be a positive int, got {nrow!r}")
    n, c, h, w = images.shape
    rows = -(-n // nrow)
    grid = torch.full((c, rows * (h + padding) + padding, nrow * (w + padding) + padding), float(pad_value),
                      dtype=images.dtype)
    for i, img in enumerate(images.detach().cpu()):
        top, left = padding + (i // nrow) * (h + padding), padding + (i % nrow) * (w + padding)
        grid[:, top:top + h, left:left + w] = img
    return grid
