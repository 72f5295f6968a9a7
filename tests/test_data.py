"""Tests for tconv_lib.data: the bundled digits and a folder of the user's own images."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from tconv_lib import data


@pytest.fixture(scope="module")
def digits16():
    return data.digits_tensor(16)


def test_digits_shape_range_and_labels(digits16):
    images, labels = digits16
    assert images.shape == (1797, 1, 16, 16) and images.dtype == torch.float32
    assert images.min().item() == -1.0 and images.max().item() == 1.0
    assert labels.shape == (1797,) and set(labels.tolist()) == set(range(10))


def test_digits_at_8_are_the_original_17_levels():
    from sklearn.datasets import load_digits

    images, _ = data.digits_tensor(8)
    original = torch.from_numpy(load_digits().images).float()
    torch.testing.assert_close(images[:, 0], original / 8 - 1)  # 0..16 -> -1..1
    assert len(torch.unique(images)) == 17


def test_resize_matches_torch_bilinear(digits16):
    images, _ = digits16
    small, _ = data.digits_tensor(8)
    expected = torch.nn.functional.interpolate((small + 1) / 2, size=16, mode="bilinear", align_corners=False)
    torch.testing.assert_close(images, expected * 2 - 1)


def test_split_is_deterministic_disjoint_complete_and_stratified():
    labels = data.digits_tensor(8)[1].numpy()
    train, held = data.split_indices(labels)
    train2, held2 = data.split_indices(labels)
    assert np.array_equal(train, train2) and np.array_equal(held, held2)
    assert len(np.intersect1d(train, held)) == 0 and len(train) + len(held) == len(labels)
    for cls in range(10):
        share = np.mean(labels[held] == cls) / np.mean(labels == cls)
        assert 0.9 < share < 1.1
    assert len(held) == 359  # round(20 % of each class), summed


def test_split_changes_with_seed():
    labels = data.digits_tensor(8)[1].numpy()
    assert not np.array_equal(data.split_indices(labels, seed=0)[1], data.split_indices(labels, seed=1)[1])


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_split_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError, match="held_out_fraction"):
        data.split_indices([0, 1, 0, 1], held_out_fraction=fraction)


def test_dataset_splits():
    train, held, every = (data.DigitsDataset(s) for s in ("train", "held_out", "all"))
    assert (len(train), len(held), len(every)) == (1438, 359, 1797)
    image, label = train[0]
    assert image.shape == (1, 32, 32) and isinstance(label, int)  # 32x32 by default
    # the two splits together are exactly the full set (as multisets of images)
    both = torch.cat([train.images, held.images]).flatten(1)
    assert torch.equal(both.sum(0), every.images.flatten(1).sum(0))


def test_dataset_rejects_bad_split_and_size():
    with pytest.raises(ValueError, match="split"):
        data.DigitsDataset("test")
    with pytest.raises(ValueError, match="image_size"):
        data.DigitsDataset("train", image_size=2)
    with pytest.raises(TypeError, match="image_size"):
        data.DigitsDataset("train", image_size=16.0)


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


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("image_size", [8, 16, 33])
def test_image_folder_any_size(image_folder, channels, image_size):
    ds = data.ImageFolderDataset(image_folder, image_size=image_size, channels=channels)
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
    rgb = data.load_image(tmp_path / "strip.png", 8, channels=3)
    torch.testing.assert_close(rgb[0], torch.ones(8, 8))         # the crop keeps only the red centre
    torch.testing.assert_close(rgb[1], -torch.ones(8, 8))
    grey = data.load_image(tmp_path / "strip.png", 8, channels=1)
    expected = np.array(Image.fromarray(arr[:, 8:16]).convert("L"), dtype=np.float32) / 255 * 2 - 1
    torch.testing.assert_close(grey[0], torch.from_numpy(expected))


def test_image_folder_lazy_equals_preloaded(image_folder):
    eager = data.ImageFolderDataset(image_folder, image_size=12, channels=3)
    lazy = data.ImageFolderDataset(image_folder, image_size=12, channels=3, preload=False)
    for i in range(len(eager)):
        assert torch.equal(eager[i], lazy[i])


def test_image_folder_errors(tmp_path, image_folder):
    with pytest.raises(FileNotFoundError, match="root"):
        data.ImageFolderDataset(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no image files"):
        data.ImageFolderDataset(tmp_path / "empty")
    with pytest.raises(ValueError, match="channels"):
        data.ImageFolderDataset(image_folder, channels=2)


def test_make_grid_places_every_image():
    images = torch.arange(5 * 2 * 3 * 4, dtype=torch.float32).view(5, 2, 3, 4)
    grid = data.make_grid(images, nrow=2, padding=1, pad_value=-7.0)
    assert grid.shape == (2, 3 * 4 + 1, 2 * 5 + 1)
    for i in range(5):
        top, left = 1 + (i // 2) * 4, 1 + (i % 2) * 5
        assert torch.equal(grid[:, top:top + 3, left:left + 4], images[i])
    assert (grid == -7.0).sum() == grid.numel() - images.numel()  # gaps and the missing 6th tile
    with pytest.raises(ValueError, match="nrow"):
        data.make_grid(images, nrow=0)
    with pytest.raises(ValueError, match="images"):
        data.make_grid(images[0])


def test_averaging_the_32_pixel_digits_gives_the_16_pixel_digits():
    """tconv_lib.quality relies on this: its classifier sees 32x32 images through 2x2 averages."""
    big, _ = data.digits_tensor(32)
    small, _ = data.digits_tensor(16)
    torch.testing.assert_close(torch.nn.functional.avg_pool2d(big, 2), small)
