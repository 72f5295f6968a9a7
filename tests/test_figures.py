"""tconv_lib.foundations.figures: the stages, the scatter view, overlaps and the padding contrast hold
PyTorch's numbers, mark every role with a colour and a pattern, and fit the column."""
from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from figure_helpers import hatched_cells, numbers, texts
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from tconv_lib.foundations import figures, grids
from tconv_lib.foundations.examples import IDENTITY, X
from tconv_lib.foundations.stages import conv_transpose2d_stages

matplotlib.use("Agg")


X22, EYE = X.astype(int), IDENTITY.astype(int)


def torch_convt(x, kernel, stride=1, padding=0, output_padding=0, dilation=1) -> np.ndarray:
    out = torch.nn.functional.conv_transpose2d(
        torch.tensor(np.asarray(x, float))[None, None], torch.tensor(np.asarray(kernel, float))[None, None],
        stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    return out[0, 0].numpy()


def random_case(rng):
    """A random valid ConvTranspose2d setting with small integer values."""
    while True:
        k, s, d = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 3))
        p, op = int(rng.integers(0, 3)), int(rng.integers(0, max(s, d)))
        x = rng.integers(-3, 4, size=tuple(rng.integers(1, 4, size=2)))
        kernel = rng.integers(-2, 3, size=(k, k))
        if min((n - 1) * s - 2 * p + d * (k - 1) + op + 1 for n in x.shape) > 0:
            return x, kernel, s, p, op, d


def _numbers(ax) -> list[float]:
    """The numbers written in the cells of one grid axes, row-major."""
    return [float(t.get_text()) for t in ax.texts]


def _torch(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64)[None, None]


def cell_inches(ax, shape) -> tuple[float, float]:
    """Width and height of one grid cell of ``ax`` in inches."""
    pos, (fw, fh) = ax.get_position(), ax.figure.get_size_inches()
    return round(pos.width * fw / shape[1], 6), round(pos.height * fh / shape[0], 6)


def test_draw_stages_shows_input_kernel_and_output_of_stride_2_padding_0():
    stages = conv_transpose2d_stages(X22, EYE, stride=2)
    fig = figures.draw_stages(stages)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(fig.axes) == 5
    assert titles[0] == "INPUT x" and titles[3] == "KERNEL (flipped)" and titles[-1] == "OUTPUT"
    np.testing.assert_array_equal(numbers(fig.axes[1], (3, 3)), [[1, 0, 2], [0, 0, 0], [3, 0, 4]])
    np.testing.assert_array_equal(numbers(fig.axes[-1], (4, 4)), torch_convt(X22, EYE, stride=2))


def test_draw_stages_panels_hold_pytorchs_numbers():
    rng = np.random.default_rng(0)
    for _ in range(10):
        x, kernel, s, p, op, d = random_case(rng)
        stages = conv_transpose2d_stages(x, kernel, s, p, op, d)
        expected = torch_convt(x, kernel, s, p, op, d)
        fig = figures.draw_stages(stages)
        assert len(fig.axes) == 5
        np.testing.assert_allclose(numbers(fig.axes[-1], expected.shape), expected)
        np.testing.assert_allclose(numbers(fig.axes[3], kernel.shape), np.asarray(kernel)[::-1, ::-1])


def test_draw_stages_frames_the_cropped_region_when_padding_exceeds_the_border():
    stages = conv_transpose2d_stages(np.ones((3, 3)), EYE, stride=3, padding=2)   # border 1 - 2 = -1
    inserted = figures.draw_stages(stages).axes[1]
    crop = inserted.patches[-1]
    assert (crop.get_x(), crop.get_y(), crop.get_width(), crop.get_height()) == (0.5, 0.5, 5, 5)
    assert stages.processing.shape == (5, 5)
    assert not figures.draw_stages(conv_transpose2d_stages(X22, EYE, stride=2)).axes[1].patches


def test_draw_stages_rejects_wrong_axes():
    stages = conv_transpose2d_stages(X22, EYE, stride=2, padding=1)
    fig = Figure()
    with pytest.raises(ValueError, match="ax must hold 5 axes"):
        figures.draw_stages(stages, ax=[fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)])


@pytest.mark.parametrize("seed", range(5))
def test_draw_scatter_output_equals_torch(seed):
    x, kernel, s, p, op, d = random_case(np.random.default_rng(seed))
    fig = figures.draw_scatter(x, kernel, s, p, op, d)
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    expected = torch_convt(x, kernel, s, p, op, d)
    np.testing.assert_allclose(numbers(fig.axes[3], expected.shape), expected)
    crop = fig.axes[2].patches[-1]                       # the dashed "kept" frame
    assert (crop.get_width(), crop.get_height()) == (expected.shape[1], expected.shape[0])


def test_draw_scatter_step_shows_partial_sums_of_stride_2_padding_0():
    fig = figures.draw_scatter(X22, EYE, stride=2, step=1)   # values 1 and 2 stamped
    canvas = numbers(fig.axes[2], (4, 4))
    np.testing.assert_array_equal(canvas, [[1, 0, 2, 0], [0, 1, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0]])
    assert texts(fig.axes[0]) == ["1", "2"]             # later inputs not shown yet
    with pytest.raises(ValueError, match="step must be an input index"):
        figures.draw_scatter(X22, EYE, stride=2, step=4)


@pytest.mark.parametrize("k, s", [(3, 2), (4, 2), (3, 1)])
def test_draw_overlap_counts_equal_torch(k, s):
    fig = figures.draw_overlap(k, s, size=3)
    expected = torch_convt(np.ones((3, 3)), np.ones((k, k)), stride=s)
    np.testing.assert_array_equal(numbers(fig.axes[0], expected.shape), expected)
    assert f"kernel_size={k}, stride={s}" in fig.axes[0].get_title()


@pytest.mark.parametrize("x, stride", [([[1, 2, 3]], 2), ([[1], [2]], (3, 1)), ([[5]], 4)])
def test_stage_caption_states_the_layer_stride(x, stride):
    # a 1-row or 1-column input cannot reveal the stride through its shape: the caption must not guess
    stages = conv_transpose2d_stages(np.array(x), np.ones((2, 2)), stride=stride)
    sh = stride if isinstance(stride, int) else stride[0]
    titles = [ax.get_title() for ax in figures.draw_stages(stages).axes]
    assert any(f"stride {sh}: {sh - 1} between" in t for t in titles), titles


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


@pytest.mark.parametrize("padding, error", [(-1, ValueError), (1.5, TypeError), (True, TypeError),
                                            ("1", TypeError)])
def test_padding_contrast_rejects_bad_padding(padding, error):
    with pytest.raises(error, match="padding"):
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


@pytest.mark.parametrize("dilation", [2, 3, (1, 2), (3, 2)])
def test_dilated_kernel_panel_has_the_taps_dilation_apart_and_hatched_holes(dilation):
    kernel = np.arange(1.0, 7.0).reshape(2, 3)
    stages = conv_transpose2d_stages(X, kernel, dilation=dilation)
    ax = figures.draw_stages(stages, dilated_kernel=True).axes[3]
    dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
    spread = (dh + 1, 2 * dw + 1)
    # the taps, read row-major from the dilated grid, are the flipped kernel
    assert [float(t.get_text()) for t in ax.texts] == kernel[::-1, ::-1].ravel().tolist()
    taps = {(round(t.get_position()[1]), round(t.get_position()[0])) for t in ax.texts}
    assert taps == {(r * dh, c * dw) for r in range(2) for c in range(3)}
    holes = {(round(p.get_y() + 0.5), round(p.get_x() + 0.5)) for p in ax.patches if p.get_hatch()}
    assert holes == {(r, c) for r in range(spread[0]) for c in range(spread[1])} - taps
    assert "dilation" in ax.get_title() and "holes" in ax.get_title()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["hole (skipped)"]


def test_dilated_kernel_is_what_the_processing_image_is_correlated_with():
    # sliding the drawn kernel (holes = 0) over the processing image gives PyTorch's output
    stages = conv_transpose2d_stages(X, IDENTITY, stride=2, padding=1, dilation=2)
    ax = figures.draw_stages(stages, dilated_kernel=True).axes[3]
    drawn = np.zeros((3, 3))
    for t in ax.texts:
        col, row = t.get_position()
        drawn[round(row), round(col)] = float(t.get_text())
    windows = np.lib.stride_tricks.sliding_window_view(stages.processing, drawn.shape)
    expected = torch.nn.functional.conv_transpose2d(torch.tensor(X)[None, None], torch.tensor(IDENTITY)[None, None],
                                                    stride=2, padding=1, dilation=2)[0, 0].numpy()
    np.testing.assert_allclose((windows * drawn).sum(axis=(-2, -1)), expected)


def test_max_width_wraps_panels_into_rows_with_equal_cells():
    args = dict(stride=(2, 1), padding=(1, 0), output_padding=(1, 0), dilation=(1, 2))
    stages = conv_transpose2d_stages(np.arange(12.0).reshape(3, 4), np.ones((2, 3)), **args)
    wide = figures.draw_stages(stages)
    narrow = figures.draw_stages(stages, max_width=6.72)
    assert wide.get_figwidth() > 10 and narrow.get_figwidth() <= 6.72
    shapes = [stages.x.shape, stages.inserted.shape, stages.processing.shape, stages.flipped.shape,
              stages.output.shape]
    assert {cell_inches(ax, s) for ax, s in zip(narrow.axes, shapes)} == {cell_inches(wide.axes[0], shapes[0])}
    def rows(fig) -> int:   # panels of one row share their vertical middle
        return len({round((ax.get_position().y0 + ax.get_position().y1) / 2, 3) for ax in fig.axes})
    assert rows(wide) == 1 and rows(narrow) == 3
    for ax in narrow.axes:   # every panel inside the figure, none overlapping the next
        assert 0 <= ax.get_position().x0 and ax.get_position().x1 <= 1
    arrows = [t for t in narrow.texts if t.get_text() == "\u2192"]
    assert len(arrows) == 4   # one before every panel but the first, including each row's first


def test_border_title_names_rows_and_columns_when_they_differ():
    stages = conv_transpose2d_stages(np.ones((3, 4)), np.ones((2, 3)), dilation=(1, 2))
    title = figures.draw_stages(stages).axes[2].get_title()
    assert "rows 1" in title and "columns 4" in title
    square = conv_transpose2d_stages(X, IDENTITY, dilation=2)
    assert figures.draw_stages(square).axes[2].get_title().endswith("border b = d(k-1)-p = 2")


def test_padding_contrast_marks_added_zeros_and_cropped_cells_with_different_patterns():
    fig = figures.draw_padding_contrast(np.arange(1.0, 10.0).reshape(3, 3), IDENTITY, padding=1)
    padded, _, full, _ = fig.axes
    ring = {(r, c) for r in range(5) for c in range(5)} - {(r, c) for r in range(1, 4) for c in range(1, 4)}
    cropped = {(r, c) for r in range(4) for c in range(4)} - {(r, c) for r in (1, 2) for c in (1, 2)}
    assert hatched_cells(padded) == {grids.PATTERNS["implicit border"]: ring}
    assert hatched_cells(full) == {grids.PATTERNS["cropped"]: cropped}
    assert grids.PATTERNS["implicit border"] != grids.PATTERNS["cropped"]
    legend = {t.get_text(): h.get_hatch() for t, h in zip(fig.legends[0].get_texts(), fig.legends[0].legend_handles)}
    assert legend["zeros added (Conv2d)"] == grids.PATTERNS["implicit border"]
    assert legend["cropped (ConvTranspose2d)"] == grids.PATTERNS["cropped"]


def test_scatter_hatches_the_cropped_ring_and_shows_a_legend_only_for_what_is_drawn():
    canvas = figures.draw_scatter(X, IDENTITY, stride=2, padding=1).axes[2]
    ring = {(r, c) for r in range(4) for c in range(4)} - {(r, c) for r in (1, 2) for c in (1, 2)}
    assert hatched_cells(canvas) == {grids.PATTERNS["cropped"]: ring}
    labels = [t.get_text() for t in canvas.get_legend().get_texts()]
    assert labels == ["cropped by padding", "kept"]
    plain = figures.draw_scatter(X, IDENTITY, stride=1).axes[2]   # nothing cropped, no output_padding
    assert plain.get_legend() is None and not hatched_cells(plain)
