"""tconv_lib.foundations.grids: numbers in cells, colours and patterns by role, the roles' legend."""
from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from figure_helpers import hatched_cells, texts
from matplotlib.figure import Figure

from tconv_lib.foundations import grids

matplotlib.use("Agg")


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


def test_legend_roles_lists_present_roles():
    fig = Figure()
    ax = fig.add_subplot()
    legend = grids.legend_roles(ax, np.array([[1, 0], [2, 2]]))
    assert [t.get_text() for t in legend.get_texts()] == ["inserted zero", "input", "implicit border"]


def test_every_role_but_input_has_its_own_pattern_in_cells_and_legend():
    roles = np.array([[0, 1], [2, 3]])
    fig = grids.draw_grid(np.zeros((2, 2)), roles=roles)
    want = {grids.ROLE_PATTERNS[r]: {(i, j)} for (i, j), r in np.ndenumerate(roles) if r in grids.ROLE_PATTERNS}
    assert hatched_cells(fig.axes[0]) == want and len(want) == 3
    legend = grids.legend_roles(fig.axes[0], roles)
    assert [h.get_hatch() for h in legend.legend_handles] == [grids.ROLE_PATTERNS.get(r) for r in range(4)]
