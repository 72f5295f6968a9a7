"""Image data for the DCGAN chapters: the bundled digits, and a grid to show a batch of images.

The digits are float32 tensors of shape (1, image_size, image_size) with
values in [-1, 1], the range of the generator's Tanh output, like the user's
own images of :mod:`tconv_lib.gan.image_files`. Nothing is downloaded: the
digits ship inside scikit-learn.

Introduced in chapters/11_training_a_dcgan.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

from ..foundations.arithmetic import check_int
from ..i18n import message

DIGITS_LEVELS = 16          # the 8x8 digits hold integers 0..16 (17 grey levels)
HELD_OUT_FRACTION = 0.2     # share of each class kept out of training
SPLIT_SEED = 0              # fixes which images are held out, once and for all
SPLITS = ("train", "held_out", "all")


def check_image_size(image_size: object) -> int:
    """``image_size`` as an int >= 4 (TypeError for a non-integer, ValueError below 4); shared with image_files."""
    return check_int(image_size, "image_size", minimum=4)


def split_indices(labels: Sequence[int], held_out_fraction: float = HELD_OUT_FRACTION,
                  seed: int = SPLIT_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic stratified split: ``(train_idx, held_out_idx)``, both sorted.

    From every class the same fraction goes to the held-out part, chosen by a
    seeded permutation, so the split never changes between runs or machines.
    :class:`DigitsDataset` splits with it.
    """
    if not 0.0 < held_out_fraction < 1.0:
        raise ValueError(message("data.held_out_fraction", got=held_out_fraction))
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
    :class:`DigitsDataset` is built on it.
    """
    image_size = check_image_size(image_size)
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
    """

    def __init__(self, split: str = "train", image_size: int = 32) -> None:
        if split not in SPLITS:
            raise ValueError(message("errors.one_of", name="split", allowed=SPLITS, got=split))
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


def make_grid(images: torch.Tensor, nrow: int = 8, padding: int = 1, pad_value: float = 1.0) -> torch.Tensor:
    """Tile images (n, C, H, W) into one (C, rows*(H+padding)+padding, nrow*(W+padding)+padding) tensor.

    Missing tiles of the last row and the gaps are filled with ``pad_value``
    (1.0 is white in [-1, 1] with matplotlib's ``gray``, black with ``gray_r``).
    """
    if images.dim() != 4:
        raise ValueError(message("data.grid_images", shape=tuple(images.shape)))
    check_int(nrow, "nrow", minimum=1)
    n, c, h, w = images.shape
    rows = -(-n // nrow)
    grid = torch.full((c, rows * (h + padding) + padding, nrow * (w + padding) + padding), float(pad_value),
                      dtype=images.dtype)
    for i, img in enumerate(images.detach().cpu()):
        top, left = padding + (i // nrow) * (h + padding), padding + (i % nrow) * (w + padding)
        grid[:, top:top + h, left:left + w] = img
    return grid
