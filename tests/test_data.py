"""Tests for tconv_lib.gan.data: the bundled digits, their split, and make_grid."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from tconv_lib.gan import data


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
    """tconv_lib.gan.quality relies on this: its classifier sees 32x32 images through 2x2 averages."""
    big, _ = data.digits_tensor(32)
    small, _ = data.digits_tensor(16)
    torch.testing.assert_close(torch.nn.functional.avg_pool2d(big, 2), small)
