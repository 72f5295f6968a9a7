"""tconv_lib.foundations.grids: figures return Figures whose panels hold the right numbers (checked against PyTorch)."""
from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from tconv_lib.foundations import figures, grids
from tconv_lib.foundations.examples import IDENTITY, X
from tconv_lib.foundations.stages import conv_transpose2d_stages

matplotlib.use("Agg")
X22, EYE = X.astype(int), IDENTITY.astype(int)


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def numbers(ax, shape) -> np.ndarray:
    """The numbers written in a grid panel, row-major, as an array of ``shape``."""
    return np.array([float(t) for t in texts(ax)]).reshape(shape)


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


# ----------------------------------------------------------------------------- draw_grid
def test_draw_grid_writes_one_number_per_cell_integers_without_decimals():
    fig = grids.draw_grid(np.array([[1.0, -2.0], [0.5, 3.25]]), title="input")
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    assert texts(fig.axes[0]) == ["1", "-2", "0.5", "3.25"]
    assert fig.axes[0].get_title() == "input"


def test_draw_grid_leaves_nan_cells_empty_and_uses_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert grids.draw_grid(np.array([[1, np.nan, 3]]), ax=ax) is fig
    assert texts(ax) == ["1", "3"]


def test_draw_grid_outlines_highlighted_cells_mask_or_window():
    grid = np.arange(12).reshape(3, 4)
    by_window = grids.draw_grid(grid, highlight=(np.array([0, 1]), np.array([1, 3]))).axes[0]
    by_mask = grids.draw_grid(grid, highlight=grid % 5 == 0).axes[0]
    assert len(by_window.patches) == 4      # rows {0,1} x cols {1,3}
    assert len(by_mask.patches) == 3        # 0, 5, 10


def test_draw_grid_colours_cells_by_role():
    fig = grids.draw_grid(np.zeros((1, 4)), roles=np.array([[0, 1, 2, 3]]))
    face = fig.axes[0].images[0].get_array()
    expected = [matplotlib.colors.to_rgba(grids.ROLE_COLORS[r]) for r in range(4)]
    np.testing.assert_allclose(face[0], expected)


def test_draw_grid_custom_format():
    assert texts(grids.draw_grid(np.array([[0.123]]), fmt=".1f").axes[0]) == ["0.1"]


@pytest.mark.parametrize("bad, message", [
    (dict(values=np.zeros(3)), "values must be 2-D"),
    (dict(values=np.zeros((2, 2)), roles=np.zeros((3, 3))), "roles must have the shape"),
    (dict(values=np.zeros((2, 2)), highlight=np.zeros((3, 3), bool)), "highlight must be"),
])
def test_draw_grid_rejects_bad_shapes_naming_the_parameter(bad, message):
    with pytest.raises(ValueError, match=message):
        grids.draw_grid(**bad)


# ----------------------------------------------------------------------------- draw_stages
def test_draw_stages_shows_input_kernel_and_output_of_example_4_3():
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


# ----------------------------------------------------------------------------- draw_scatter
@pytest.mark.parametrize("seed", range(5))
def test_draw_scatter_output_equals_torch(seed):
    x, kernel, s, p, op, d = random_case(np.random.default_rng(seed))
    fig = figures.draw_scatter(x, kernel, s, p, op, d)
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    expected = torch_convt(x, kernel, s, p, op, d)
    np.testing.assert_allclose(numbers(fig.axes[3], expected.shape), expected)
    crop = fig.axes[2].patches[-1]                       # the dashed "kept" frame
    assert (crop.get_width(), crop.get_height()) == (expected.shape[1], expected.shape[0])


def test_draw_scatter_step_shows_partial_sums_of_example_4_3():
    fig = figures.draw_scatter(X22, EYE, stride=2, step=1)   # values 1 and 2 stamped
    canvas = numbers(fig.axes[2], (4, 4))
    np.testing.assert_array_equal(canvas, [[1, 0, 2, 0], [0, 1, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0]])
    assert texts(fig.axes[0]) == ["1", "2"]             # later inputs not shown yet
    with pytest.raises(ValueError, match="step must be an input index"):
        figures.draw_scatter(X22, EYE, stride=2, step=4)


# ----------------------------------------------------------------------------- draw_overlap, legend
@pytest.mark.parametrize("k, s", [(3, 2), (4, 2), (3, 1)])
def test_draw_overlap_counts_equal_torch(k, s):
    fig = figures.draw_overlap(k, s, size=3)
    expected = torch_convt(np.ones((3, 3)), np.ones((k, k)), stride=s)
    np.testing.assert_array_equal(numbers(fig.axes[0], expected.shape), expected)
    assert f"kernel_size={k}, stride={s}" in fig.axes[0].get_title()


def test_legend_roles_lists_present_roles():
    fig = Figure()
    ax = fig.add_subplot()
    legend = grids.legend_roles(ax, np.array([[1, 0], [2, 2]]))
    assert [t.get_text() for t in legend.get_texts()] == ["inserted zero", "input", "implicit border"]


# ----------------------------------------------------------------------------- stage captions
@pytest.mark.parametrize("x, stride", [([[1, 2, 3]], 2), ([[1], [2]], (3, 1)), ([[5]], 4)])
def test_stage_caption_states_the_layer_stride(x, stride):
    # a 1-row or 1-column input cannot reveal the stride through its shape: the caption must not guess
    stages = conv_transpose2d_stages(np.array(x), np.ones((2, 2)), stride=stride)
    sh = stride if isinstance(stride, int) else stride[0]
    titles = [ax.get_title() for ax in figures.draw_stages(stages).axes]
    assert any(f"stride {sh}: {sh - 1} between" in t for t in titles), titles
