"""What a test reads off a drawn figure: the numbers in its cells and the patterns on them."""
from __future__ import annotations

import numpy as np
from matplotlib.collections import PatchCollection


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def numbers(ax, shape) -> np.ndarray:
    """The numbers written in a grid panel, row-major, as an array of ``shape``."""
    return np.array([float(t) for t in texts(ax)]).reshape(shape)


def hatched_cells(ax) -> dict[str, set[tuple[int, int]]]:
    """pattern -> the (row, col) cells of ``ax`` that carry it."""
    found: dict[str, set[tuple[int, int]]] = {}
    for coll in ax.collections:
        if isinstance(coll, PatchCollection) and coll.get_hatch():
            for path in coll.get_paths():
                (c0, r0) = path.vertices.min(axis=0)
                found.setdefault(coll.get_hatch(), set()).add((round(r0 + 0.5), round(c0 + 0.5)))
    return found
