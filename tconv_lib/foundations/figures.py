"""The foundations chapters' figures: the stages of ConvTranspose2d, the scatter view, overlaps, padding.

Built from :func:`tconv_lib.foundations.grids.draw_grid`; each function takes ``ax=None`` (a new
Figure is made when none is given) and returns the Figure.
Introduced in chapters/01_what_is_transposed_convolution.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt  # noqa: F401  (lets IPython display the returned Figure objects)
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from numpy.typing import ArrayLike

from ..i18n import message
from .arithmetic import IntOrPair, check_int, overlap_count, pair
from .grids import CELL_INCHES, MARGIN_INCHES, PALETTE, PATTERNS, draw_grid, legend_roles
from .reference import conv_transpose2d
from .stages import Stages

_HOLE_HATCH = "oo"   # a dilated kernel's holes (grids.PATTERNS holds the processing image's patterns)
_GAP, _TOP, _BOTTOM = 0.45, 0.62, 0.62   # inches: between panels, above a row (titles), below it (legends)


def _row_of_axes(shapes, legend=True, max_width: float | None = None) -> list:
    """A Figure with one axes per (H, W) shape, left to right, every cell the same size.

    max_width (inches): a panel that would make its row wider starts a new row, led by an arrow.
    """
    rows, widths = [[]], [2 * MARGIN_INCHES]
    for shape in shapes:
        extra = shape[1] * CELL_INCHES + (_GAP if rows[-1] else 0)
        if rows[-1] and max_width is not None and widths[-1] + extra > max_width:
            rows.append([])
            widths.append(2 * MARGIN_INCHES + _GAP)
            extra = shape[1] * CELL_INCHES
        rows[-1].append(shape)
        widths[-1] += extra
    top, bottom = _TOP, _BOTTOM if legend else 0.15
    talls = [max(h for h, _ in row) * CELL_INCHES for row in rows]
    width, height = max(widths), sum(talls) + len(rows) * (top + bottom)
    fig = Figure(figsize=(width, height))
    axes, y0 = [], height
    for r, (row, tall) in enumerate(zip(rows, talls)):
        y0 -= top + tall
        left, middle = MARGIN_INCHES + (_GAP if r else 0), (y0 + tall / 2) / height
        for i, (h, w) in enumerate(row):
            if i or r:
                fig.text((left - _GAP / 2) / width, middle, "\u2192",
                         ha="center", va="center", fontsize=16, color=PALETTE["edge"])
            y = y0 + (tall - h * CELL_INCHES) / 2
            axes.append(fig.add_axes((left / width, y / height, w * CELL_INCHES / width, h * CELL_INCHES / height)))
            left += w * CELL_INCHES + _GAP
        y0 -= bottom
    return axes


def draw_stages(stages: Stages, ax: Sequence[Axes] | None = None, dilated_kernel: bool = False,
                max_width: float | None = None) -> Figure:
    """One row of panels: INPUT -> zeros inserted -> processing image -> KERNEL (flipped) -> OUTPUT.

    stages: from ``stages.conv_transpose2d_stages``. ax: a sequence of 5 axes, or None.
    When padding exceeds the border, a dashed frame on the zero-inserted image marks what the crop keeps.
    dilated_kernel: draw the flipped kernel spread out by the dilation, its holes hatched and empty.
    max_width (inches, ax=None only): wrap the panels into rows no wider than this.
    """
    (sh, sw) = stages.stride
    top, bottom, left, right = stages.border
    def amount(b: int) -> str:
        return f"{b}" if b >= 0 else message("stages.crop", b=b, crop=-b)
    base = (message("stages.border", amount=amount(top)) if top == left   # rows and columns differ: name both
            else message("stages.border_axes", rows=amount(top), columns=amount(left)))
    panels = [(message("stages.input"), stages.x), (message("stages.inserted", stride=sh, between=sh - 1), stages.inserted),
              (message("stages.processing", border=base), stages.processing), (message("stages.kernel"), stages.flipped),
              (message("stages.output"), stages.output)]
    if dilated_kernel:
        (dh, dw), (kh, kw) = stages.dilation, stages.flipped.shape
        spread = np.full((dh * (kh - 1) + 1, dw * (kw - 1) + 1), np.nan)
        spread[::dh, ::dw] = stages.flipped
        d = dh if dh == dw else (dh, dw)
        panels[3] = (message("stages.kernel_dilated", d=d), spread)
    axes = list(ax) if ax is not None else _row_of_axes([v.shape for _, v in panels], max_width=max_width)
    if len(axes) != len(panels):
        raise ValueError(message("figures.ax_count_panels", n=len(panels), got=len(axes)))
    inserted_roles = np.zeros(stages.inserted.shape, dtype=int)
    inserted_roles[::sh, ::sw] = 1
    draw_grid(stages.x, axes[0], roles=np.ones(stages.x.shape, int), title=panels[0][0])
    draw_grid(stages.inserted, axes[1], roles=inserted_roles, title=panels[1][0])
    if min(stages.border) < 0:   # padding > d(k-1): frame what the crop keeps
        (h, w), (r0, c0) = stages.inserted.shape, (max(-top, 0), max(-left, 0))
        kept = (h - max(-bottom, 0) - r0, w - max(-right, 0) - c0)
        axes[1].add_patch(Rectangle((c0 - 0.5, r0 - 0.5), kept[1], kept[0], fill=False, linewidth=2.5,
                                    edgecolor=PALETTE["crop"], linestyle="--", zorder=4, clip_on=False))
    draw_grid(stages.processing, axes[2], roles=stages.roles, title=panels[2][0])
    legend_roles(axes[2], stages.roles)
    draw_grid(panels[3][1], axes[3], color=PALETTE["kernel"], title=panels[3][0])
    if dilated_kernel:
        for r, c in zip(*np.nonzero(np.isnan(panels[3][1]))):
            axes[3].add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, hatch=_HOLE_HATCH,
                                        edgecolor=PALETTE["edge"], linewidth=0))
        axes[3].legend(handles=[Patch(facecolor=PALETTE["pending"], edgecolor=PALETTE["edge"], hatch=_HOLE_HATCH,
                                      label=message("stages.hole"))], loc="upper center", bbox_to_anchor=(0.5, -0.02),
                       fontsize=9, frameon=False, handlelength=1.2)
    draw_grid(stages.output, axes[4], color=PALETTE["output"], title=panels[4][0])
    return axes[0].figure


def draw_scatter(x: ArrayLike, kernel: ArrayLike, stride: IntOrPair = 1, padding: IntOrPair = 0,
                 output_padding: IntOrPair = 0, dilation: IntOrPair = 1, step: int | None = None,
                 ax: Sequence[Axes] | None = None) -> Figure:
    """The scatter view: input value ``step`` (row-major) stamps value*kernel into the output canvas.

    x: (H, W); kernel: (kH, kW). The canvas is the uncropped (padding 0) output; overlaps add up;
    the blue frame is what remains after cropping ``padding`` (output_padding cells in purple).
    step=None shows every stamp. ax: a sequence of 4 axes, or None.
    """
    x, kernel = np.asarray(x, dtype=float), np.asarray(kernel, dtype=float)
    if x.ndim != 2 or kernel.ndim != 2:
        raise ValueError(message("figures.not_2d", x=x.shape, kernel=kernel.shape))
    if step is not None and not 0 <= step < x.size:
        raise ValueError(message("figures.step", size=x.size, step=step))
    output = conv_transpose2d(x[None], kernel[None, None], None, stride, padding, output_padding, 1, dilation)[0]
    upto = x.size if step is None else step + 1
    partial = np.where(np.arange(x.size).reshape(x.shape) < upto, x, 0)
    canvas = conv_transpose2d(partial[None], kernel[None, None], None, stride, 0, output_padding, 1, dilation,
                              method="scatter")[0]
    (ph, pw), (oph, opw), (oh, ow) = pair(padding, "padding"), pair(output_padding, "output_padding"), output.shape
    roles = np.full(canvas.shape, 2)
    roles[ph:ph + oh, pw:pw + ow] = 1   # kept; its last output_padding rows/columns are the extension
    roles[ph + oh - oph:ph + oh, pw:pw + ow] = roles[ph:ph + oh, pw + ow - opw:pw + ow] = 3
    stamp = None
    if step is not None:
        (i, j), (sh, sw), (dh, dw) = divmod(step, x.shape[1]), pair(stride, "stride"), pair(dilation, "dilation")
        stamp = (i * sh + dh * np.arange(kernel.shape[0]), j * sw + dw * np.arange(kernel.shape[1]))
    shapes = [x.shape, kernel.shape, canvas.shape, output.shape]
    axes = list(ax) if ax is not None else _row_of_axes(shapes, legend=True)
    shown_x = np.where(np.arange(x.size).reshape(x.shape) < upto, x, np.nan) if step is not None else x
    draw_grid(shown_x, axes[0], roles=np.ones(x.shape, int), title=message("scatter.input"),
              highlight=None if step is None else np.arange(x.size).reshape(x.shape) == step)
    draw_grid(kernel, axes[1], color=PALETTE["kernel"], title=message("scatter.kernel"))
    cmap = {1: PALETTE["output"], 2: PALETTE["pending"]}
    draw_grid(canvas, axes[2], roles=roles, cmap_roles=cmap, title=message("scatter.canvas"),
              highlight=stamp, hatch=roles == 2)
    axes[2].add_patch(Rectangle((pw - 0.5, ph - 0.5), ow, oh, fill=False, edgecolor=PALETTE["crop"],
                                linewidth=2.5, linestyle="--", zorder=4))
    handles = [Patch(facecolor=PALETTE["pending"], edgecolor=PALETTE["edge"], hatch=PATTERNS["cropped"],
                     label=message("scatter.cropped")),
               Patch(facecolor=PALETTE["output_padding"], edgecolor=PALETTE["edge"], hatch=PATTERNS["output_padding"],
                     label=message("scatter.output_padding")),
               Patch(fill=False, edgecolor=PALETTE["crop"], linestyle="--", label=message("scatter.kept"))]
    present = [(roles == 2).any(), (roles == 3).any(), (roles != 1).any()]   # a legend only for what is drawn
    if any(present):
        axes[2].legend(handles=[h for h, shown in zip(handles, present) if shown], loc="upper center",
                       bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=9, frameon=False, handlelength=1.2,
                       columnspacing=0.6)
    shown_out = canvas[ph:ph + oh, pw:pw + ow]
    draw_grid(shown_out, axes[3], color=PALETTE["output"],
              title=message("scatter.output" if step is None else "scatter.output_so_far"))
    return axes[0].figure


def draw_overlap(kernel_size: int, stride: int, size: int = 4, ax: Axes | None = None) -> Figure:
    """Heat grid of how many kernel stamps cover each output cell (ConvT of ones with ones).

    Uneven counts (kernel_size not divisible by stride) are the checkerboard pattern.
    size: input height and width.
    """
    counts = overlap_count(size, kernel_size, stride)
    return draw_grid(counts, ax, cmap="YlOrBr", title=message("overlap.title", kernel_size=kernel_size, stride=stride))


# ----------------------------------------------------------------------------- chapter figures (core chapters)
def draw_padding_contrast(x: ArrayLike, kernel: ArrayLike, padding: int = 1, ax: Sequence[Axes] | None = None) -> Figure:
    """``padding`` in Conv2d (zeros added around the input) next to ConvTranspose2d (cells cropped).

    x: (H, W); kernel: (kH, kW); stride 1. Top row: the Conv2d input with its ring of ``padding``
    zeros, then the Conv2d output. Bottom row: the full (padding 0) ConvTranspose2d output with the
    kept part framed, then the output after cropping ``padding`` from every side.
    ax: a sequence of 4 axes, or None.
    """
    from .reference import conv2d

    x, kernel = np.asarray(x, dtype=float), np.asarray(kernel, dtype=float)
    if x.ndim != 2 or kernel.ndim != 2:
        raise ValueError(message("figures.not_2d", x=x.shape, kernel=kernel.shape))
    p = check_int(padding, "padding", minimum=0)
    padded = np.pad(x, p)
    conv_out = conv2d(x[None], kernel[None, None], padding=p)[0]
    full = conv_transpose2d(x[None], kernel[None, None])[0]
    t_out = conv_transpose2d(x[None], kernel[None, None], padding=p)[0]
    shape = "{0}\u00d7{1}".format
    rows = [[(message("padding_figure.conv_input", p=p, shape=shape(*padded.shape)), padded),
             (message("padding_figure.conv_output", shape=shape(*conv_out.shape)), conv_out)],
            [(message("padding_figure.full", shape=shape(*full.shape)), full),
             (message("padding_figure.cropped_output", p=p, shape=shape(*t_out.shape)), t_out)]]
    if ax is None:
        spans = [sum(v.shape[1] for _, v in row) * CELL_INCHES + 2 * _GAP for row in rows]
        width = max(max(spans) + 2 * MARGIN_INCHES, 6.0)   # room for the titles, rows centred
        tall = [max(v.shape[0] for _, v in row) * CELL_INCHES for row in rows]
        height = sum(tall) + 2 * _TOP + _BOTTOM
        fig = Figure(figsize=(width, height))
        axes, top = [], height
        for row, t, span in zip(rows, tall, spans):
            left, middle = (width - span) / 2, top - _TOP - t / 2
            for i, (_, v) in enumerate(row):
                h, w = v.shape[0] * CELL_INCHES, v.shape[1] * CELL_INCHES
                axes.append(fig.add_axes((left / width, (middle - h / 2) / height, w / width, h / height)))
                left += w + 2 * _GAP
                if i == 0:
                    fig.text((left - _GAP) / width, middle / height, "\u2192", ha="center", va="center",
                             fontsize=16, color=PALETTE["edge"])
            top -= t + _TOP
    else:
        axes = list(ax)
        if len(axes) != 4:
            raise ValueError(message("figures.ax_count", n=4, got=len(axes)))
    ring = np.full(padded.shape, 2)
    ring[p:p + x.shape[0], p:p + x.shape[1]] = 1
    draw_grid(padded, axes[0], roles=ring, title=rows[0][0][0])
    draw_grid(conv_out, axes[1], color=PALETTE["output"], title=rows[0][1][0])
    kept = np.full(full.shape, 2)
    kept[p:p + t_out.shape[0], p:p + t_out.shape[1]] = 1
    draw_grid(full, axes[2], roles=kept, cmap_roles={1: PALETTE["output"], 2: PALETTE["pending"]},
              title=rows[1][0][0], hatch=kept == 2)
    axes[2].add_patch(Rectangle((p - 0.5, p - 0.5), t_out.shape[1], t_out.shape[0], fill=False,
                                edgecolor=PALETTE["crop"], linewidth=2.5, linestyle="--", zorder=4))
    draw_grid(t_out, axes[3], color=PALETTE["output"], title=rows[1][1][0])
    axes[0].figure.legend(
        handles=[Patch(facecolor=PALETTE["input"], edgecolor=PALETTE["edge"], label=message("padding_figure.input")),
                 Patch(facecolor=PALETTE["implicit border"], edgecolor=PALETTE["edge"], hatch=PATTERNS["implicit border"],
                       label=message("padding_figure.zeros_added")),
                 Patch(facecolor=PALETTE["pending"], edgecolor=PALETTE["edge"], hatch=PATTERNS["cropped"],
                       label=message("padding_figure.cropped")),
                 Patch(fill=False, edgecolor=PALETTE["crop"], linestyle="--", label=message("padding_figure.kept"))],
        loc="lower center", ncol=2, fontsize=9, frameon=False, handlelength=1.2, columnspacing=0.8)
    return axes[0].figure
