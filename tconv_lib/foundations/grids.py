"""Grids of numbers: the drawing every figure of the foundations chapters is made of.

Every function draws with matplotlib only, takes ``ax=None`` (a new Figure is
made when none is given) and returns the Figure; none calls ``plt.show()``.
One colour-blind-safe palette (tints of Okabe & Ito's colours), ``PALETTE``,
is used book-wide, so a colour means the same thing in every chapter.

Introduced in chapters/01_what_is_transposed_convolution; the stages in chapters/02_stride.
"""
from __future__ import annotations

from collections.abc import Callable

import matplotlib
import matplotlib.pyplot as plt  # noqa: F401  (lets IPython display the returned Figure objects)
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.colors import Normalize, to_rgba, to_rgba_array
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import Patch, Rectangle
from numpy.typing import ArrayLike

from ..i18n import message
from .stages import INPUT_ROLES, Role

PALETTE = {
    "inserted zero": "#F3CD7F",    # orange (E69F00) tint
    "input": "#9FD2F0",            # sky blue (56B4E9) tint
    "implicit border": "#D9D9D9",  # grey
    "output_padding": "#E2A6C8",   # reddish purple (CC79A7) tint
    "kernel": "#8CD3BA",           # bluish green (009E73) tint
    "output": "#F6EE9C",           # yellow (F0E442) tint
    "pending": "#F4F4F4",          # not computed yet
    "highlight": "#D55E00",        # vermillion: kernel window, current cell
    "crop": "#0072B2",             # blue: the padding crop frame
    "edge": "#666666",
}
ROLE_COLORS = {role: PALETTE[name] for role, name in INPUT_ROLES.items()}
# A second cue besides the colour (the explorer's patterns): a reader who cannot tell the tints
# apart still sees which cells are inserted zeros, border, output_padding or cropped.
PATTERNS = {"inserted zero": "///", "implicit border": "..", "output_padding": "xx", "cropped": "---"}
ROLE_PATTERNS = {role: PATTERNS[name] for role, name in INPUT_ROLES.items() if name in PATTERNS}
_HATCH_COLOR = (0, 0, 0, 0.3)   # light enough that the numbers on top stay legible
CELL_INCHES = 0.42     # side of one grid cell in the figures that size themselves from their cells
MARGIN_INCHES = 0.15   # left and right margin of those figures (here and in .figures)


def _text(value, fmt=None) -> str:
    """A cell's label: integers without '.0', other floats with at most 2 decimals."""
    if fmt is not None:
        return fmt(value) if callable(fmt) else format(value, fmt)
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0")


def _mask(highlight, shape) -> np.ndarray:
    """``highlight`` (boolean mask or a (rows, cols) window) as a boolean array of ``shape``."""
    if isinstance(highlight, tuple) and len(highlight) == 2:
        mask = np.zeros(shape, dtype=bool)
        mask[np.ix_(np.atleast_1d(highlight[0]), np.atleast_1d(highlight[1]))] = True
        return mask
    mask = np.asarray(highlight, dtype=bool)
    if mask.shape != shape:
        raise ValueError(message("grids.highlight", shape=shape, got=mask.shape))
    return mask


def _fontsize(ax, shape) -> float:
    """A font size that fits three characters into one cell of ``ax``."""
    pos, (fw, fh) = ax.get_position(), ax.figure.get_size_inches()
    cell_pt = 72 * min(pos.width * fw / shape[1], pos.height * fh / shape[0])
    return float(np.clip(cell_pt * 0.36, 5, 13))


def draw_grid(values: ArrayLike, ax: Axes | None = None, roles: ArrayLike | None = None, title: str | None = None,
              highlight: ArrayLike | tuple | None = None, fmt: str | Callable[[float], str] | None = None,
              cmap_roles: dict[int, str] | None = None, color: str | None = None, cmap: str | None = None,
              hatch: ArrayLike | None = None) -> Figure:
    """Draw a 2-D array as square cells with its numbers written in them.

    values: (H, W); NaN cells are drawn grey and empty (not computed yet).
    roles: (H, W) ints of ``INPUT_ROLES`` colour the cells (``cmap_roles`` overrides colours) and
    hatch them with ``ROLE_PATTERNS`` (roles that ``cmap_roles`` recolours keep a plain fill);
    otherwise ``color`` (one colour) or ``cmap`` (a heat map of the values).
    highlight: boolean mask or (rows, cols) window outlined in vermillion.
    hatch: (H, W) boolean mask of cells cropped by padding, hatched with ``PATTERNS["cropped"]``.
    """
    vals = np.array(values, dtype=float)
    if vals.ndim != 2:
        raise ValueError(message("grids.values", shape=vals.shape))
    h, w = vals.shape
    if ax is None:
        fig = Figure(figsize=(w * CELL_INCHES + 2 * MARGIN_INCHES, h * CELL_INCHES + 0.5))
        ax = fig.add_axes((MARGIN_INCHES / fig.get_figwidth(), 0.1 / fig.get_figheight(),
                           w * CELL_INCHES / fig.get_figwidth(), h * CELL_INCHES / fig.get_figheight()))
    if cmap is not None:
        finite = vals[np.isfinite(vals)]
        norm = Normalize(0, max(finite.max(initial=0), 1))
        face = matplotlib.colormaps[cmap](norm(np.nan_to_num(vals)))
    elif roles is not None:
        roles = np.asarray(roles)
        if roles.shape != vals.shape:
            raise ValueError(message("grids.roles", shape=vals.shape, got=roles.shape))
        colors = {**ROLE_COLORS, **(cmap_roles or {})}
        face = to_rgba_array([colors[int(r)] for r in roles.ravel()]).reshape(h, w, 4)
    else:
        face = np.tile(to_rgba(color or "white"), (h, w, 1))
    face[np.isnan(vals)] = to_rgba(PALETTE["pending"])
    ax.imshow(face, interpolation="nearest", extent=(-0.5, w - 0.5, h - 0.5, -0.5))
    patterns = np.full(vals.shape, "", dtype=object)
    if roles is not None and cmap is None:
        for role, pattern in ROLE_PATTERNS.items():
            if role not in (cmap_roles or {}):
                patterns[roles == role] = pattern
    if hatch is not None:
        patterns[_mask(hatch, vals.shape)] = PATTERNS["cropped"]
    for pattern in sorted(set(patterns.ravel()) - {""}):   # one collection per pattern, no loose patches
        cells = [Rectangle((c - 0.5, r - 0.5), 1, 1) for r, c in zip(*np.nonzero(patterns == pattern))]
        ax.add_collection(PatchCollection(cells, facecolor="none", edgecolor=_HATCH_COLOR, linewidth=0,
                                          hatch=pattern, zorder=1.5))
    ax.hlines(np.arange(h + 1) - 0.5, -0.5, w - 0.5, colors=PALETTE["edge"], linewidth=0.7, clip_on=False)
    ax.vlines(np.arange(w + 1) - 0.5, -0.5, h - 0.5, colors=PALETTE["edge"], linewidth=0.7, clip_on=False)
    ax.set_axis_off()   # the grid lines above are the frame; no ticks (they are slow to make)
    size = _fontsize(ax, vals.shape)
    for (r, c), v in np.ndenumerate(vals):
        if np.isfinite(v):
            dark = cmap is not None and np.dot(face[r, c, :3], (0.3, 0.59, 0.11)) < 0.5
            ax.text(c, r, _text(v, fmt), ha="center", va="center", fontsize=size,
                    color="white" if dark else "black")
    if highlight is not None:
        for r, c in zip(*np.nonzero(_mask(highlight, vals.shape))):
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, edgecolor=PALETTE["highlight"],
                                   linewidth=2.5, zorder=3, clip_on=False))
    if title:
        ax.set_title(title, fontsize=10)
    return ax.figure


def legend_roles(ax: Axes, roles: ArrayLike | None = None, **kwargs) -> Legend:
    """Add a legend of the processing-image roles (those present in ``roles``, or all) below ``ax``.

    roles: (H, W) ints of ``INPUT_ROLES``; ``kwargs`` go to ``ax.legend``.
    """
    present = sorted(INPUT_ROLES) if roles is None else sorted(int(r) for r in np.unique(roles))
    handles = [Patch(facecolor=ROLE_COLORS[r], edgecolor=PALETTE["edge"], hatch=ROLE_PATTERNS.get(r),
                     label=message(f"roles.{Role(r).name.lower()}")) for r in present]
    options = dict(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=2, fontsize=9, frameon=False,
                   handlelength=1.2, columnspacing=0.8)
    return ax.legend(handles=handles, **{**options, **kwargs})
