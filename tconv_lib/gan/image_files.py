"""A folder of your own images as a torch Dataset, read with care for what real folders hold.

Items are float32 tensors of shape (channels, image_size, image_size) with
values in [-1, 1], like the bundled digits of :mod:`tconv_lib.gan.data`.
16-bit greyscale, transparency, hidden files, corrupt files and images
smaller than the working size each have a stated rule (see :func:`load_image`
and :class:`ImageFolderDataset`).

Introduced in chapters/11_training_a_dcgan.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

from ..i18n import message
from .data import check_image_size

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
SKIPPED_FOLDERS = ("__MACOSX",)  # macOS zip residue; besides, every name starting with "." is skipped
ALPHA_BACKGROUND = 0        # transparent pixels are composited on black (see load_image)
MAX_16_BIT = 65535          # full scale of a 16-bit greyscale image


def _check_channels(channels) -> int:
    if channels not in (1, 3):
        raise ValueError(message("image_files.channels", got=channels))
    return channels


def _skipped(relative: Path) -> bool:
    """True for a hidden file or folder on the way (``.DS_Store``, ``.ipynb_checkpoints``) or ``__MACOSX``."""
    return any(part.startswith(".") or part in SKIPPED_FOLDERS for part in relative.parts)


@contextmanager
def _opened(path: Path, load: bool = True) -> Iterator:
    """PIL's image of ``path``; a truncated or corrupt file raises an OSError that names the file."""
    from PIL import Image

    with open(path, "rb") as fh:
        try:
            img = Image.open(fh)
            if load:
                img.load()
        except (OSError, SyntaxError, EOFError, ValueError, Image.DecompressionBombError) as exc:
            raise OSError(message("image_files.unreadable", path=str(path), error=exc)) from exc
        yield img


def _read(path: Path, image_size: int, channels: int) -> tuple[torch.Tensor, tuple[int, int]]:
    """``load_image``'s tensor, without the warning, and the file's (width, height)."""
    from PIL import Image

    with _opened(path) as img:
        size, sixteen_bit = img.size, img.mode.startswith("I")
        if sixteen_bit:  # 16-bit greyscale: I;16, I;16B, I;16L, or I holding 0..65535
            grey = np.asarray(img, dtype=np.float32)
            if grey.min() < 0 or grey.max() > MAX_16_BIT:
                raise ValueError(message("image_files.sixteen_bit", path=str(path), low=grey.min(), high=grey.max(),
                                         full=MAX_16_BIT))
            if isinstance(img.info.get("transparency"), int):  # a 16-bit PNG's one transparent grey level
                grey[grey == img.info["transparency"]] = ALPHA_BACKGROUND * 257  # 257 maps 0..255 to 0..65535
            img = Image.fromarray(grey * np.float32(255 / MAX_16_BIT))  # mode F, 0..255
        elif img.has_transparency_data:  # RGBA, LA, PA, or P, L, RGB with a transparent colour
            background = Image.new("RGBA", img.size, (ALPHA_BACKGROUND,) * 3 + (255,))
            img = Image.alpha_composite(background, img.convert("RGBA"))
        if not sixteen_bit:
            img = img.convert("L" if channels == 1 else "RGB")
        w, h = img.size
        scale = image_size / min(w, h)
        new_w, new_h = max(image_size, round(w * scale)), max(image_size, round(h * scale))
        img = img.resize((new_w, new_h), Image.Resampling.BICUBIC)
        left, top = (new_w - image_size) // 2, (new_h - image_size) // 2
        img = img.crop((left, top, left + image_size, top + image_size))
        arr = np.clip(np.asarray(img, dtype=np.float32), 0.0, 255.0) / 255.0  # clip: bicubic overshoots in mode F
    if arr.ndim == 2:
        arr = np.repeat(arr[None], channels, axis=0)  # greyscale, or 16-bit grey copied into R, G and B
    else:
        arr = arr.transpose(2, 0, 1)  # H, W, C -> C, H, W
    return torch.from_numpy(np.ascontiguousarray(arr * 2.0 - 1.0)), size


def _too_small(path: Path, size: tuple[int, int], image_size: int) -> str:
    return message("image_files.too_small", path=str(path), width=size[0], height=size[1], image_size=image_size)


def load_image(path: str | Path, image_size: int, channels: int = 1) -> torch.Tensor:
    """One image file as a (channels, image_size, image_size) float32 tensor in [-1, 1].

    The shorter side is resized to ``image_size`` (bicubic), then the centre is
    cropped to a square; ``channels`` 1 converts to greyscale, 3 to RGB. What
    real files hold is read as follows:

    - 16-bit greyscale (PIL modes ``I;16``, ``I;16B``, ``I``) is scaled by its
      range 0..65535 (16-bit RGB PNGs PIL already reads as 8-bit RGB).
    - Transparency (RGBA, LA, or a palette or PNG with one transparent
      colour) is composited on black, so a transparent pixel becomes -1:
      black is what "no colour" means (colour times alpha), and -1 is the
      background of the bundled digits, which are light ink on -1 (shown
      dark on white by ``cmap="gray_r"``). To use another background,
      composite the files yourself before loading them.
    - An image whose shorter side is below ``image_size`` is upscaled with a
      UserWarning naming the file and both sizes. A warning, not an error:
      the digits themselves are 8x8 upscaled to 32x32, and a folder may mix
      thumbnails with photos; but you should know that they look blurred.
    - A truncated or corrupt file raises an OSError naming the file.

    :class:`ImageFolderDataset` reads each file with it.
    """
    image_size, channels, path = check_image_size(image_size), _check_channels(channels), Path(path)
    image, size = _read(path, image_size, channels)
    if min(size) < image_size:
        warnings.warn(_too_small(path, size, image_size), stacklevel=2)
    return image


class ImageFolderDataset(Dataset):
    """Every image file in a folder (searched recursively), for training on your own pictures.

    Items are (channels, image_size, image_size) float32 tensors in [-1, 1];
    images of any size are resized and centre-cropped (see :func:`load_image`).
    Files are listed in sorted order, so the dataset is the same on every run.
    Skipped without a word: files whose extension is not in
    ``IMAGE_EXTENSIONS``, hidden files and folders (a name starting with ".",
    such as ``.DS_Store``, ``._photo.jpg`` or ``.ipynb_checkpoints``) and
    ``__MACOSX`` folders. Images smaller than ``image_size`` give one
    UserWarning for the whole folder; an unreadable file raises an OSError
    naming it (its header is read here, its pixels when it is loaded).
    """

    def __init__(self, root: str | Path, image_size: int = 64, channels: int = 3,
                 preload: bool = True) -> None:
        root = Path(root)
        if not root.is_dir():
            raise FileNotFoundError(message("image_files.root", path=str(root)))
        self.image_size, self.channels = check_image_size(image_size), _check_channels(channels)
        self.files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS
                            and not _skipped(p.relative_to(root)))
        if not self.files:
            raise ValueError(message("image_files.empty", path=str(root), extensions=", ".join(IMAGE_EXTENSIONS)))
        small = []
        for path in self.files:  # reads only each header: fails early on an unreadable file
            with _opened(path, load=False) as img:
                if min(img.size) < image_size:
                    small.append(_too_small(path, img.size, image_size))
        if small:
            warnings.warn(message("image_files.upscaled", n=len(small), total=len(self.files), first=small[0]), stacklevel=2)
        self._cache = [self._load(p) for p in self.files] if preload else None

    def _load(self, path: Path) -> torch.Tensor:
        return _read(path, self.image_size, self.channels)[0]

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: int) -> torch.Tensor:
        if self._cache is not None:
            return self._cache[index]
        return self._load(self.files[index])
