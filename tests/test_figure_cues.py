"""Figures tell cell roles apart by a pattern as well as by colour (grey and light grey alike).

A reader who cannot tell the palette's tints apart (colour-vision deficiency, a grey-scale
print, a dim screen) must still see which cells are zeros added around an input, the implicit
border, inserted zeros, output_padding, or cells cropped by padding.
"""
from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.collections import PatchCollection

from tconv_lib.foundations import figures, grids
from tconv_lib.foundations.examples import IDENTITY, X

matplotlib.use("Agg")


def hatched_cells(ax) -> dict[str, set[tuple[int, int]]]:
    """pattern -> the (row, col) cells of ``ax`` that carry it."""
    found: dict[str, set[tuple[int, int]]] = {}
    for coll in ax.collections:
        if isinstance(coll, PatchCollection) and coll.get_hatch():
            for path in coll.get_paths():
                (c0, r0) = path.vertices.min(axis=0)
                found.setdefault(coll.get_hatch(), set()).add((round(r0 + 0.5), round(c0 + 0.5)))
    return found


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


def test_every_role_but_input_has_its_own_pattern_in_cells_and_legend():
    roles = np.array([[0, 1], [2, 3]])
    fig = grids.draw_grid(np.zeros((2, 2)), roles=roles)
    want = {grids.ROLE_PATTERNS[r]: {(i, j)} for (i, j), r in np.ndenumerate(roles) if r in grids.ROLE_PATTERNS}
    assert hatched_cells(fig.axes[0]) == want and len(want) == 3
    legend = grids.legend_roles(fig.axes[0], roles)
    assert [h.get_hatch() for h in legend.legend_handles] == [grids.ROLE_PATTERNS.get(r) for r in range(4)]
