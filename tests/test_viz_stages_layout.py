"""draw_stages options of chapter 5: the dilated kernel with its holes, panels wrapped to a column width."""
from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import torch

from tconv_lib.foundations import figures
from tconv_lib.foundations.examples import IDENTITY, X
from tconv_lib.foundations.stages import conv_transpose2d_stages

matplotlib.use("Agg")


def cell_inches(ax, shape) -> tuple[float, float]:
    """Width and height of one grid cell of ``ax`` in inches."""
    pos, (fw, fh) = ax.get_position(), ax.figure.get_size_inches()
    return round(pos.width * fw / shape[1], 6), round(pos.height * fh / shape[0], 6)


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
