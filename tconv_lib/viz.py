"""Figures for the course: grids of numbers, the stages of ConvTranspose2d, the scatter view.

Every function draws with matplotlib only, takes ``ax=None`` (a new Figure is
made when none is given) and returns the Figure; none calls ``plt.show()``.
One colour-blind-safe palette (tints of Okabe & Ito's colours), ``PALETTE``,
is used book-wide, so a colour means the same thing in every chapter.

Introduced in chapters/01_what_is_transposed_convolution; the stages in chapters/02_stride.
"""
from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt  # noqa: F401  (lets IPython display the returned Figure objects)
import numpy as np
from matplotlib.colors import Normalize, to_rgba, to_rgba_array
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .arithmetic import _pair
from .reference import INPUT_ROLES, Stages, conv_transpose2d

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
CELL_INCHES = 0.42   # side of one grid cell in figures this module sizes itself
_GAP, _TOP, _BOTTOM, _SIDE = 0.45, 0.62, 0.62, 0.15   # inches


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
        raise ValueError(f"highlight must be a boolean mask of shape {shape} or a (rows, cols) window, "
                         f"got shape {mask.shape}")
    return mask


def _fontsize(ax, shape) -> float:
    """A font size that fits three characters into one cell of ``ax``."""
    pos, (fw, fh) = ax.get_position(), ax.figure.get_size_inches()
    cell_pt = 72 * min(pos.width * fw / shape[1], pos.height * fh / shape[0])
    return float(np.clip(cell_pt * 0.36, 5, 13))


def draw_grid(values, ax=None, roles=None, title=None, highlight=None, fmt=None, cmap_roles=None,
              color=None, cmap=None) -> Figure:
    """Draw a 2-D array as square cells with its numbers written in them.

    values: (H, W); NaN cells are drawn grey and empty (not computed yet).
    roles: (H, W) ints of ``INPUT_ROLES`` colour the cells (``cmap_roles`` overrides colours);
    otherwise ``color`` (one colour) or ``cmap`` (a heat map of the values).
    highlight: boolean mask or (rows, cols) window outlined in vermillion.
    Introduced in chapters/01_what_is_transposed_convolution.
    """
    vals = np.array(values, dtype=float)
    if vals.ndim != 2:
        raise ValueError(f"values must be 2-D (H, W), got shape {vals.shape}")
    h, w = vals.shape
    if ax is None:
        fig = Figure(figsize=(w * CELL_INCHES + 2 * _SIDE, h * CELL_INCHES + 0.5))
        ax = fig.add_axes((_SIDE / fig.get_figwidth(), 0.1 / fig.get_figheight(),
                           w * CELL_INCHES / fig.get_figwidth(), h * CELL_INCHES / fig.get_figheight()))
    if cmap is not None:
        finite = vals[np.isfinite(vals)]
        norm = Normalize(0, max(finite.max(initial=0), 1))
        face = matplotlib.colormaps[cmap](norm(np.nan_to_num(vals)))
    elif roles is not None:
        roles = np.asarray(roles)
        if roles.shape != vals.shape:
            raise ValueError(f"roles must have the shape of values {vals.shape}, got {roles.shape}")
        colors = {**ROLE_COLORS, **(cmap_roles or {})}
        face = to_rgba_array([colors[int(r)] for r in roles.ravel()]).reshape(h, w, 4)
    else:
        face = np.tile(to_rgba(color or "white"), (h, w, 1))
    face[np.isnan(vals)] = to_rgba(PALETTE["pending"])
    ax.imshow(face, interpolation="nearest", extent=(-0.5, w - 0.5, h - 0.5, -0.5))
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


def legend_roles(ax, roles=None, **kwargs):
    """Add a legend of the processing-image roles (those present in ``roles``, or all) below ``ax``."""
    present = sorted(INPUT_ROLES) if roles is None else sorted(int(r) for r in np.unique(roles))
    handles = [Patch(facecolor=ROLE_COLORS[r], edgecolor=PALETTE["edge"], label=INPUT_ROLES[r]) for r in present]
    options = dict(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=2, fontsize=8, frameon=False,
                   handlelength=1.2, columnspacing=0.8)
    return ax.legend(handles=handles, **{**options, **kwargs})


def _row_of_axes(shapes, legend=True) -> list:
    """A Figure with one axes per (H, W) shape, side by side, every cell the same size."""
    tall = max(h for h, _ in shapes)
    top, bottom = _TOP, _BOTTOM if legend else 0.15
    width = sum(w for _, w in shapes) * CELL_INCHES + _GAP * (len(shapes) - 1) + 2 * _SIDE
    height = tall * CELL_INCHES + top + bottom
    fig = Figure(figsize=(width, height))
    axes, left = [], _SIDE
    for i, (h, w) in enumerate(shapes):
        y = bottom + (tall - h) * CELL_INCHES / 2
        axes.append(fig.add_axes((left / width, y / height, w * CELL_INCHES / width, h * CELL_INCHES / height)))
        left += w * CELL_INCHES + _GAP
        if i < len(shapes) - 1:
            fig.text((left - _GAP / 2) / width, (bottom + tall * CELL_INCHES / 2) / height, "\u2192",
                     ha="center", va="center", fontsize=16, color=PALETTE["edge"])
    return axes


def draw_stages(stages: Stages, ax=None) -> Figure:
    """One row of panels: INPUT -> zeros inserted -> processing image -> KERNEL (flipped) -> OUTPUT.

    stages: from ``reference.conv_transpose2d_stages``. ax: a sequence of 5 axes, or None.
    When padding exceeds the border, a dashed frame on the zero-inserted image marks what the crop keeps.
    Introduced in chapters/02_stride.
    """
    (sh, sw) = stages.stride
    top, bottom, left, right = stages.border
    base = ("border b = d(k-1)-p = " + (f"{top}" if top >= 0 else f"{top}: crop {-top}"))
    panels = [("INPUT x", stages.x), (f"zeros inserted\n(stride {sh}: {sh - 1} between)", stages.inserted),
              (f"processing image\n{base}", stages.processing), ("KERNEL (flipped)", stages.flipped),
              ("OUTPUT", stages.output)]
    axes = list(ax) if ax is not None else _row_of_axes([v.shape for _, v in panels])
    if len(axes) != len(panels):
        raise ValueError(f"ax must hold {len(panels)} axes for these panels, got {len(axes)}")
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
    draw_grid(stages.flipped, axes[3], color=PALETTE["kernel"], title=panels[3][0])
    draw_grid(stages.output, axes[4], color=PALETTE["output"], title="OUTPUT")
    return axes[0].figure


def draw_scatter(x, kernel, stride=1, padding=0, output_padding=0, dilation=1, step=None, ax=None) -> Figure:
    """The scatter view: input value ``step`` (row-major) stamps value*kernel into the output canvas.

    x: (H, W); kernel: (kH, kW). The canvas is the uncropped (padding 0) output; overlaps add up;
    the blue frame is what remains after cropping ``padding`` (output_padding cells in purple).
    step=None shows every stamp. ax: a sequence of 4 axes, or None.
    Introduced in chapters/01_what_is_transposed_convolution.
    """
    x, kernel = np.asarray(x, dtype=float), np.asarray(kernel, dtype=float)
    if x.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"x and kernel must be 2-D, got shapes {x.shape} and {kernel.shape}")
    if step is not None and not 0 <= step < x.size:
        raise ValueError(f"step must be an input index in [0, {x.size}), got {step}")
    output = conv_transpose2d(x[None], kernel[None, None], None, stride, padding, output_padding, 1, dilation)[0]
    upto = x.size if step is None else step + 1
    partial = np.where(np.arange(x.size).reshape(x.shape) < upto, x, 0)
    canvas = conv_transpose2d(partial[None], kernel[None, None], None, stride, 0, output_padding, 1, dilation,
                              method="scatter")[0]
    (ph, pw), (oph, opw), (oh, ow) = _pair(padding, "padding"), _pair(output_padding, "output_padding"), output.shape
    roles = np.full(canvas.shape, 2)
    roles[ph:ph + oh, pw:pw + ow] = 1   # kept; its last output_padding rows/columns are the extension
    roles[ph + oh - oph:ph + oh, pw:pw + ow] = roles[ph:ph + oh, pw + ow - opw:pw + ow] = 3
    stamp = None
    if step is not None:
        (i, j), (sh, sw), (dh, dw) = divmod(step, x.shape[1]), _pair(stride, "stride"), _pair(dilation, "dilation")
        stamp = (i * sh + dh * np.arange(kernel.shape[0]), j * sw + dw * np.arange(kernel.shape[1]))
    shapes = [x.shape, kernel.shape, canvas.shape, output.shape]
    axes = list(ax) if ax is not None else _row_of_axes(shapes, legend=True)
    shown_x = np.where(np.arange(x.size).reshape(x.shape) < upto, x, np.nan) if step is not None else x
    draw_grid(shown_x, axes[0], roles=np.ones(x.shape, int), title="INPUT x",
              highlight=None if step is None else np.arange(x.size).reshape(x.shape) == step)
    draw_grid(kernel, axes[1], color=PALETTE["kernel"], title="KERNEL\n(not flipped)")
    cmap = {1: PALETTE["output"], 2: PALETTE["pending"]}
    draw_grid(canvas, axes[2], roles=roles, cmap_roles=cmap, title="canvas (padding 0)\noverlaps add up",
              highlight=stamp)
    axes[2].add_patch(Rectangle((pw - 0.5, ph - 0.5), ow, oh, fill=False, edgecolor=PALETTE["crop"],
                                linewidth=2.5, linestyle="--", zorder=4))
    axes[2].legend(handles=[Patch(facecolor=PALETTE["pending"], edgecolor=PALETTE["edge"], label="cropped by padding"),
                            Patch(facecolor=PALETTE["output_padding"], edgecolor=PALETTE["edge"], label="output_padding"),
                            Patch(fill=False, edgecolor=PALETTE["crop"], linestyle="--", label="kept")],
                   loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=7, frameon=False,
                   handlelength=1.2, columnspacing=0.6)
    shown_out = canvas[ph:ph + oh, pw:pw + ow]
    draw_grid(shown_out, axes[3], color=PALETTE["output"], title="OUTPUT" if step is None else "OUTPUT\n(so far)")
    return axes[0].figure


def draw_overlap(kernel_size: int, stride: int, size: int = 4, ax=None) -> Figure:
    """Heat grid of how many kernel stamps cover each output cell (ConvT of ones with ones).

    Uneven counts (kernel_size not divisible by stride) are the checkerboard pattern.
    size: input height and width. Introduced in chapters/08_checkerboard_artifacts.
    """
    counts = conv_transpose2d(np.ones((1, size, size)), np.ones((1, 1, kernel_size, kernel_size)), stride=stride)[0]
    return draw_grid(counts, ax, cmap="YlOrBr", title=f"overlap count, kernel_size={kernel_size}, stride={stride}")


# ----------------------------------------------------------------------------- chapter figures (core chapters)
def draw_padding_contrast(x, kernel, padding: int = 1, ax=None) -> Figure:
    """``padding`` in Conv2d (zeros added around the input) next to ConvTranspose2d (cells cropped).

    x: (H, W); kernel: (kH, kW); stride 1. Top row: the Conv2d input with its ring of ``padding``
    zeros, then the Conv2d output. Bottom row: the full (padding 0) ConvTranspose2d output with the
    kept part framed, then the output after cropping ``padding`` from every side.
    ax: a sequence of 4 axes, or None. Introduced in chapters/03_padding.
    """
    from numbers import Integral

    from .reference import conv2d

    x, kernel = np.asarray(x, dtype=float), np.asarray(kernel, dtype=float)
    if x.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"x and kernel must be 2-D, got shapes {x.shape} and {kernel.shape}")
    if isinstance(padding, bool) or not isinstance(padding, Integral) or padding < 0:
        raise ValueError(f"padding must be a non-negative int, got {padding!r}")
    p = int(padding)
    padded = np.pad(x, p)
    conv_out = conv2d(x[None], kernel[None, None], padding=p)[0]
    full = conv_transpose2d(x[None], kernel[None, None])[0]
    t_out = conv_transpose2d(x[None], kernel[None, None], padding=p)[0]
    shape = "{0}\u00d7{1}".format
    rows = [[(f"Conv2d input + padding {p}\n(zeros added: {shape(*padded.shape)})", padded),
             (f"Conv2d output\n{shape(*conv_out.shape)}", conv_out)],
            [(f"ConvTranspose2d full output\n(padding 0: {shape(*full.shape)})", full),
             (f"ConvTranspose2d output\n(crop {p} per side: {shape(*t_out.shape)})", t_out)]]
    if ax is None:
        spans = [sum(v.shape[1] for _, v in row) * CELL_INCHES + 2 * _GAP for row in rows]
        width = max(max(spans) + 2 * _SIDE, 6.0)   # room for the titles, rows centred
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
            raise ValueError(f"ax must hold 4 axes, got {len(axes)}")
    ring = np.full(padded.shape, 2)
    ring[p:p + x.shape[0], p:p + x.shape[1]] = 1
    draw_grid(padded, axes[0], roles=ring, title=rows[0][0][0])
    draw_grid(conv_out, axes[1], color=PALETTE["output"], title=rows[0][1][0])
    kept = np.full(full.shape, 2)
    kept[p:p + t_out.shape[0], p:p + t_out.shape[1]] = 1
    draw_grid(full, axes[2], roles=kept, cmap_roles={1: PALETTE["output"], 2: PALETTE["pending"]},
              title=rows[1][0][0])
    axes[2].add_patch(Rectangle((p - 0.5, p - 0.5), t_out.shape[1], t_out.shape[0], fill=False,
                                edgecolor=PALETTE["crop"], linewidth=2.5, linestyle="--", zorder=4))
    draw_grid(t_out, axes[3], color=PALETTE["output"], title=rows[1][1][0])
    axes[0].figure.legend(
        handles=[Patch(facecolor=PALETTE["input"], edgecolor=PALETTE["edge"], label="input"),
                 Patch(facecolor=PALETTE["implicit border"], edgecolor=PALETTE["edge"], label="zeros added (Conv2d)"),
                 Patch(facecolor=PALETTE["pending"], edgecolor=PALETTE["edge"], label="cropped (ConvTranspose2d)"),
                 Patch(fill=False, edgecolor=PALETTE["crop"], linestyle="--", label="kept")],
        loc="lower center", ncol=4, fontsize=8, frameon=False, handlelength=1.2, columnspacing=0.8)
    return axes[0].figure


# ----------------------------------------------------------------------------- upsampling in practice (chapters 06-09)
def draw_images(images, titles=None, axes=None, width: float = 2.4, cmap: str = "gray",
                limits=None) -> Figure:
    """A row of images shown pixel by pixel (no smoothing), each with its title.

    images: (H, W, 3) arrays in [0, 1] (clipped for display) or (H, W) maps drawn
    with ``cmap``, each scaled to its own range unless ``limits=(vmin, vmax)`` gives
    one shared range. Introduced in chapters/06_upscaling_a_real_image.
    """
    images = [np.asarray(img) for img in images]
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles must hold one title per image ({len(images)}), got {len(titles)}")
    if axes is None:
        fig = Figure(figsize=(width * len(images), width + 0.4), layout="constrained")
        axes = fig.subplots(1, len(images), squeeze=False)[0]
    for i, (ax, img) in enumerate(zip(axes, images)):
        if img.ndim == 3:
            ax.imshow(np.clip(img, 0, 1), interpolation="nearest")
        else:
            vmin, vmax = limits if limits is not None else (None, None)
            ax.imshow(img, interpolation="nearest", cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_xticks([])
        ax.set_yticks([])
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    return axes[0].figure


def draw_spectrum(values, stride: int, ax=None, title=None) -> Figure:
    """Log power spectrum of a 2-D map (mean removed, zero frequency in the centre).

    The bins at multiples of the stride frequency - where a pattern repeating every
    ``stride`` pixels puts its energy - are circled. values: (H, W), both multiples
    of ``stride``. Introduced in chapters/08_checkerboard_artifacts.
    """
    values = np.asarray(values, dtype=float)
    h, w = values.shape
    if h % stride or w % stride:
        raise ValueError(f"values shape {values.shape} must be a multiple of stride ({stride})")
    power = np.abs(np.fft.fft2(values - values.mean())) ** 2
    shown = np.fft.fftshift(np.log10(power + 1e-12 * max(power.max(), 1e-30)))
    if ax is None:
        ax = Figure(figsize=(3, 3.2), layout="constrained").subplots()
    ax.imshow(shown, cmap="magma", interpolation="nearest")
    rows = [(u + h // 2) % h for u in range(0, h, h // stride)]
    cols = [(v + w // 2) % w for v in range(0, w, w // stride)]
    centre = (h // 2, w // 2)
    points = [(r, c) for r in rows for c in cols if (r, c) != centre]
    ax.scatter([c for _, c in points], [r for r, _ in points], s=220, facecolors="none",
               edgecolors=PALETTE["highlight"], linewidths=2, clip_on=False)
    ax.set_axis_off()   # the grid lines above are the frame; no ticks (they are slow to make)
    if title:
        ax.set_title(title, fontsize=9)
    return ax.figure


def draw_losses(losses, ax=None, window: int = 25, title=None) -> Figure:
    """Training loss per step (thin line) and its running mean over ``window`` steps, log scale.

    Introduced in chapters/06_upscaling_a_real_image.
    """
    losses = np.asarray(losses, dtype=float)
    if ax is None:
        ax = Figure(figsize=(5, 2.8), layout="constrained").subplots()
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, color=PALETTE["input"], linewidth=0.8, label="loss per step")
    if len(losses) >= window:
        mean = np.convolve(losses, np.ones(window) / window, mode="valid")
        ax.plot(steps[window - 1:], mean, color=PALETTE["crop"], linewidth=1.8,
                label=f"mean of last {window} steps")
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("mean squared error")
    ax.legend(fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=10)
    return ax.figure
