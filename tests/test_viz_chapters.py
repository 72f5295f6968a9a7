"""Tests for the figure functions the core chapters added to tconv_lib.foundations.grids."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from tconv_lib.foundations import figures


def _numbers(ax) -> list[float]:
    """The numbers written in the cells of one grid axes, row-major."""
    return [float(t.get_text()) for t in ax.texts]


def _torch(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64)[None, None]


@pytest.mark.parametrize("padding", [0, 1, 2])
def test_padding_contrast_numbers_match_pytorch(padding):
    rng = np.random.default_rng(padding)
    x = rng.integers(-3, 4, (4, 5)).astype(float)
    kernel = rng.integers(-3, 4, (3, 2)).astype(float)
    fig = figures.draw_padding_contrast(x, kernel, padding=padding)
    assert isinstance(fig, Figure)
    padded_ax, conv_ax, full_ax, tconv_ax = fig.axes
    conv = F.conv2d(_torch(x), _torch(kernel), padding=padding)[0, 0].numpy()
    full = F.conv_transpose2d(_torch(x), _torch(kernel))[0, 0].numpy()
    tconv = F.conv_transpose2d(_torch(x), _torch(kernel), padding=padding)[0, 0].numpy()
    np.testing.assert_allclose(_numbers(padded_ax), np.pad(x, padding).ravel())
    np.testing.assert_allclose(_numbers(conv_ax), conv.ravel())
    np.testing.assert_allclose(_numbers(full_ax), full.ravel())
    np.testing.assert_allclose(_numbers(tconv_ax), tconv.ravel())


def test_padding_contrast_frames_the_kept_part():
    fig = figures.draw_padding_contrast(np.arange(9.0).reshape(3, 3), np.ones((2, 2)), padding=1)
    frames = [p for p in fig.axes[2].patches if isinstance(p, Rectangle) and not p.get_fill()
              and p.get_linestyle() == "--"]
    assert len(frames) == 1
    frame = frames[0]
    assert (frame.get_x(), frame.get_y(), frame.get_width(), frame.get_height()) == (0.5, 0.5, 2, 2)
    assert "4×4" in fig.axes[1].get_title() and "2×2" in fig.axes[3].get_title()


def test_padding_contrast_draws_into_given_axes():
    fig = Figure()
    axes = fig.subplots(2, 2).ravel()
    assert figures.draw_padding_contrast(np.ones((3, 3)), np.ones((2, 2)), 1, ax=axes) is fig


@pytest.mark.parametrize("padding", [-1, 1.5, True, "1"])
def test_padding_contrast_rejects_bad_padding(padding):
    with pytest.raises(ValueError, match="padding"):
        figures.draw_padding_contrast(np.ones((3, 3)), np.ones((2, 2)), padding)


def test_padding_contrast_rejects_padding_that_leaves_nothing():
    with pytest.raises(ValueError, match="padding"):
        figures.draw_padding_contrast(np.ones((2, 2)), np.ones((2, 2)), 2)


def test_padding_contrast_rejects_bad_shapes_and_axes():
    with pytest.raises(ValueError, match="2-D"):
        figures.draw_padding_contrast(np.ones((1, 3, 3)), np.ones((2, 2)), 1)
    fig = Figure()
    with pytest.raises(ValueError, match="4 axes"):
        figures.draw_padding_contrast(np.ones((3, 3)), np.ones((2, 2)), 1, ax=fig.subplots(1, 3))
