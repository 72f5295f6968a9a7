"""Tests for tconv_lib.gan.image_files: a folder of the user's own images, whatever is in it."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import torch
from PIL import Image

from tconv_lib.gan import image_files


@pytest.fixture
def image_folder(tmp_path):
    """Three small images of different sizes and modes, one in a sub-folder, plus a non-image."""
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)).save(tmp_path / "wide.png")
    Image.fromarray(rng.integers(0, 256, (40, 10), dtype=np.uint8)).save(tmp_path / "tall_grey.jpg")
    (tmp_path / "sub").mkdir()
    Image.fromarray(np.full((8, 8, 3), 255, dtype=np.uint8)).save(tmp_path / "sub" / "white.bmp")
    (tmp_path / "notes.txt").write_text("not an image")
    return tmp_path


@pytest.mark.filterwarnings("ignore:.*upscaled:UserWarning")  # 8x8 and 40x10 images at 16 and 33: tested below
@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("image_size", [8, 16, 33])
def test_image_folder_any_size(image_folder, channels, image_size):
    ds = image_files.ImageFolderDataset(image_folder, image_size=image_size, channels=channels)
    assert len(ds) == 3
    assert [p.name for p in ds.files] == ["white.bmp", "tall_grey.jpg", "wide.png"]  # sorted by path
    for i in range(len(ds)):
        x = ds[i]
        assert x.shape == (channels, image_size, image_size) and x.dtype == torch.float32
        assert x.min() >= -1.0 and x.max() <= 1.0
    torch.testing.assert_close(ds[0], torch.ones(channels, image_size, image_size))  # white -> +1


def test_image_folder_center_crop_and_grey_conversion(tmp_path):
    # 8 x 24 RGB: left third black, middle third red, right third white
    arr = np.zeros((8, 24, 3), dtype=np.uint8)
    arr[:, 8:16, 0] = 255
    arr[:, 16:] = 255
    Image.fromarray(arr).save(tmp_path / "strip.png")
    rgb = image_files.load_image(tmp_path / "strip.png", 8, channels=3)
    torch.testing.assert_close(rgb[0], torch.ones(8, 8))         # the crop keeps only the red centre
    torch.testing.assert_close(rgb[1], -torch.ones(8, 8))
    grey = image_files.load_image(tmp_path / "strip.png", 8, channels=1)
    expected = np.array(Image.fromarray(arr[:, 8:16]).convert("L"), dtype=np.float32) / 255 * 2 - 1
    torch.testing.assert_close(grey[0], torch.from_numpy(expected))


@pytest.mark.filterwarnings("ignore:.*upscaled:UserWarning")
def test_image_folder_lazy_equals_preloaded(image_folder):
    eager = image_files.ImageFolderDataset(image_folder, image_size=12, channels=3)
    lazy = image_files.ImageFolderDataset(image_folder, image_size=12, channels=3, preload=False)
    for i in range(len(eager)):
        assert torch.equal(eager[i], lazy[i])


def test_image_folder_errors(tmp_path, image_folder):
    with pytest.raises(FileNotFoundError, match="root"):
        image_files.ImageFolderDataset(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no image files"):
        image_files.ImageFolderDataset(tmp_path / "empty")
    with pytest.raises(ValueError, match="channels"):
        image_files.ImageFolderDataset(image_folder, channels=2)


def _ramp16(height: int = 64, width: int = 64) -> np.ndarray:
    """A left-to-right 16-bit grey ramp from 0 to 65535 (every column one level)."""
    return np.tile(np.round(np.linspace(0, 65535, width)).astype(np.uint16), (height, 1))


def _save_16_bit(ramp: np.ndarray, path, mode: str) -> None:
    if mode == "I;16":      # what PIL makes of a 16-bit greyscale PNG
        Image.fromarray(ramp).save(path)
    elif mode == "I;16B":   # big-endian, kept as such in a TIFF
        Image.fromarray(ramp.astype(">u2")).save(path)
    else:                   # "I": 32-bit integers holding 16-bit values, as older PIL read 16-bit PNGs
        Image.fromarray(ramp.astype(np.int32)).save(path)
    assert Image.open(path).mode == mode


@pytest.mark.parametrize("mode, name", [("I;16", "ramp.png"), ("I;16B", "ramp.tif"), ("I", "ramp.tif")])
def test_16_bit_grey_is_scaled_by_its_full_range(tmp_path, mode, name):
    ramp = _ramp16()
    _save_16_bit(ramp, tmp_path / name, mode)
    grey = image_files.load_image(tmp_path / name, 64, channels=1)  # 64x64: no resize, every value exact
    expected = torch.from_numpy(ramp.astype(np.float32) / 65535 * 2 - 1)
    torch.testing.assert_close(grey[0], expected, atol=1e-6, rtol=0)
    assert grey.min().item() == -1.0 and grey.max().item() == 1.0 and abs(grey.mean().item()) < 1e-6
    rgb = image_files.load_image(tmp_path / name, 16, channels=3)  # resized: the mean stays mid-grey
    assert rgb.shape == (3, 16, 16) and torch.equal(rgb[0], rgb[1]) and torch.equal(rgb[0], rgb[2])
    assert abs(rgb.mean().item()) < 0.01 and rgb.min().item() < -0.9 and rgb.max().item() > 0.9


def _png_16_bit_rgb(path, pixels: np.ndarray) -> None:
    """Write an (H, W, 3) uint16 array as a 16-bit RGB PNG, chunk by chunk (PIL cannot write one)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    h, w, _ = pixels.shape
    rows = b"".join(b"\x00" + row.astype(">u2").tobytes() for row in pixels)  # filter type 0 per row
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_16_bit_rgb_png_keeps_its_range(tmp_path):
    ramp = _ramp16(8, 8)
    _png_16_bit_rgb(tmp_path / "rgb16.png", np.stack([ramp, 65535 - ramp, np.full_like(ramp, 32768)], axis=-1))
    rgb = image_files.load_image(tmp_path / "rgb16.png", 8, channels=3)
    torch.testing.assert_close(rgb[0], torch.from_numpy((ramp >> 8) / 255 * 2 - 1).float())  # PIL keeps the high byte
    torch.testing.assert_close(rgb[1], -rgb[0])
    torch.testing.assert_close(rgb[2], torch.full((8, 8), 128 / 255 * 2 - 1))


def test_32_bit_integer_image_is_refused_naming_the_file(tmp_path):
    Image.fromarray(np.full((8, 8), 70000, dtype=np.int32)).save(tmp_path / "big.tif")
    with pytest.raises(ValueError, match=r"big\.tif.*70000"):
        image_files.load_image(tmp_path / "big.tif", 8)


def _transparent_image(mode: str) -> Image.Image:
    """8x8, left half transparent (its stored colour white), right half opaque white."""
    if mode == "P":
        img = Image.new("P", (8, 8), 0)
        img.putpalette([255, 255, 255, 250, 250, 250])  # 0: white marked transparent, 1: opaque near-white
        img.info["transparency"] = 0
        img.paste(1, (4, 0, 8, 8))
        return img
    opaque, clear = (255, 255) if mode == "LA" else (255, 255, 255, 255), (255, 0) if mode == "LA" else (255, 255, 255, 0)
    img = Image.new(mode, (8, 8), clear)
    img.paste(opaque, (4, 0, 8, 8))
    return img


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
@pytest.mark.parametrize("channels", [1, 3])
def test_transparent_pixels_are_composited_on_black(tmp_path, mode, channels):
    _transparent_image(mode).save(tmp_path / "sprite.png")
    x = image_files.load_image(tmp_path / "sprite.png", 8, channels=channels)
    torch.testing.assert_close(x[:, :, :4], -torch.ones(channels, 8, 4))  # transparent -> black, not its stored white
    assert (x[:, :, 4:] > 0.9).all()                                      # opaque keeps its colour


def test_partly_transparent_pixel_is_its_colour_times_alpha(tmp_path):
    Image.new("RGBA", (8, 8), (255, 0, 200, 51)).save(tmp_path / "veil.png")  # alpha 51/255 = 0.2
    x = image_files.load_image(tmp_path / "veil.png", 8, channels=3)
    torch.testing.assert_close(x[:, 0, 0], torch.tensor([0.2 * 255, 0.0, 0.2 * 200]).round() / 255 * 2 - 1,
                               atol=1.5 / 255, rtol=0)


def test_16_bit_transparent_grey_level_is_composited_on_black(tmp_path):
    ramp = _ramp16(8, 8)
    Image.fromarray(ramp).save(tmp_path / "keyed.png", transparency=65535)  # the white column is transparent
    grey = image_files.load_image(tmp_path / "keyed.png", 8)
    assert (grey[0, :, 7] == -1.0).all() and (grey[0, :, 6] > 0.6).all()


def test_hidden_files_and_folders_are_skipped(tmp_path):
    Image.new("RGB", (8, 8), (255, 255, 255)).save(tmp_path / "keep.png")
    for hidden in (".ipynb_checkpoints/keep-checkpoint.png", "__MACOSX/keep.png", ".cache/sub/a.png", "sub/.hidden.png"):
        (tmp_path / hidden).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (8, 8)).save(tmp_path / hidden)
    (tmp_path / "._keep.png").write_bytes(b"\x00\x05\x16\x07 AppleDouble metadata, not an image")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / "readme.md").write_text("not an image either")
    ds = image_files.ImageFolderDataset(tmp_path, image_size=8)
    assert [p.relative_to(tmp_path).as_posix() for p in ds.files] == ["keep.png"]
    assert torch.equal(ds[0], torch.ones(3, 8, 8))


def test_hidden_parent_of_the_root_itself_is_not_a_reason_to_skip(tmp_path):
    root = tmp_path / ".my_images"
    root.mkdir()
    Image.new("L", (8, 8)).save(root / "a.png")
    assert len(image_files.ImageFolderDataset(root, image_size=8)) == 1


def _truncated_png(path) -> None:
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # the header survives, half the pixels do not


def test_truncated_file_error_names_the_file(tmp_path):
    _truncated_png(tmp_path / "cut.png")
    Image.new("RGB", (8, 8)).save(tmp_path / "fine.png")
    where = re.escape(str(tmp_path / "cut.png"))
    with pytest.raises(OSError, match=where):
        image_files.load_image(tmp_path / "cut.png", 8)
    with pytest.raises(OSError, match=where):
        image_files.ImageFolderDataset(tmp_path, image_size=8)
    lazy = image_files.ImageFolderDataset(tmp_path, image_size=8, preload=False)  # headers are fine
    with pytest.raises(OSError, match=where):
        lazy[0]
    (tmp_path / "text.png").write_text("a text file with an image's name")
    with pytest.raises(OSError, match=re.escape(str(tmp_path / "text.png"))):
        image_files.ImageFolderDataset(tmp_path, image_size=8, preload=False)  # found when reading the header


def test_image_smaller_than_the_working_size_is_upscaled_with_a_warning(tmp_path):
    Image.new("L", (1, 1), 255).save(tmp_path / "dot.png")
    Image.new("L", (64, 80), 0).save(tmp_path / "photo.png")
    with pytest.warns(UserWarning, match=re.escape(f"{str(tmp_path / 'dot.png')!r} is 1x1 pixels, smaller than image_size=64")):
        x = image_files.load_image(tmp_path / "dot.png", 64)
    assert torch.equal(x, torch.ones(1, 64, 64))
    with pytest.warns(UserWarning, match=r"^1 of 2 images are upscaled; .*dot\.png' is 1x1") as caught:
        ds = image_files.ImageFolderDataset(tmp_path, image_size=64, channels=1)
    assert len(caught) == 1 and len(ds) == 2  # one warning for the folder, and the image is still used
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        image_files.load_image(tmp_path / "photo.png", 64)  # large enough: silent
        (tmp_path / "dot.png").unlink()
        image_files.ImageFolderDataset(tmp_path, image_size=64, channels=1, preload=False)[0]
    Image.new("L", (1, 1), 255).save(tmp_path / "dot.png")
    with pytest.warns(UserWarning, match="^1 of 2 images are upscaled"):
        lazy = image_files.ImageFolderDataset(tmp_path, image_size=64, channels=1, preload=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert torch.equal(lazy[0], x)  # ... once: its items do not warn again
