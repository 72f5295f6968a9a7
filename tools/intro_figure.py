"""The landing page's figure: a stride-2 transposed convolution as four overlapping kernel stamps.

    python tools/intro_figure.py            # write _static/intro-stamps.svg
    python tools/intro_figure.py --check    # exit 1 if the committed file differs from a fresh one

The numbers come from ``tconv_lib``'s reference implementation (which the tests compare with
PyTorch) and the grids from its ``draw_grid``, so the figure looks like the chapters' figures.
Text stays text in the SVG (searchable, and its smallest size can be checked: at least 9 CSS
pixels in the book's 672-pixel column and in the 342-pixel column of a 390-pixel phone;
tests/test_front_matter.py). intro.md shows the file and describes it in words.
Introduced in intro.
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from tconv_lib.foundations.grids import CELL_INCHES as CELL
from tconv_lib.foundations.grids import PALETTE, draw_grid
from tconv_lib.foundations.reference import conv_transpose2d

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_static" / "intro-stamps.svg"
X = np.array([[1.0, 2.0], [3.0, 4.0]])
KERNEL = np.ones((3, 3))
STRIDE = 2
# one colour and one line style per input value, so a stamp is found by either (Okabe & Ito colours)
STAMPS = [("#D55E00", "-"), ("#0072B2", "--"), ("#009E73", ":"), ("#CC79A7", "-.")]


def figure() -> Figure:
    """Input, kernel and output side by side; each input cell and its stamp share an outline."""
    output = conv_transpose2d(X[None], KERNEL[None, None], None, STRIDE)[0]
    shapes = [X.shape, KERNEL.shape, output.shape]
    gap, side, top, bottom = 0.55, 0.1, 0.4, 0.1
    width = sum(w for _, w in shapes) * CELL + gap * 2 + 2 * side
    height = max(h for h, _ in shapes) * CELL + top + bottom
    fig = Figure(figsize=(width, height))
    left, axes = side, []
    for h, w in shapes:
        y = bottom + (max(s[0] for s in shapes) - h) * CELL / 2
        axes.append(fig.add_axes((left / width, y / height, w * CELL / width, h * CELL / height)))
        left += w * CELL + gap
    draw_grid(X, axes[0], roles=np.ones(X.shape, int), title="input x")
    draw_grid(KERNEL, axes[1], color=PALETTE["kernel"], title="kernel")
    draw_grid(output, axes[2], color=PALETTE["output"], title=f"output, stride {STRIDE}")
    for k, ((i, j), (color, style)) in enumerate(zip(np.ndindex(X.shape), STAMPS)):
        inset = 0.04 + 0.05 * k
        axes[0].add_patch(Rectangle((j - 0.5 + 0.08, i - 0.5 + 0.08), 0.84, 0.84, fill=False, edgecolor=color,
                                    linewidth=2.2, linestyle=style, zorder=4))
        axes[2].add_patch(Rectangle((j * STRIDE - 0.5 + inset, i * STRIDE - 0.5 + inset), 3 - 2 * inset,
                                    3 - 2 * inset, fill=False, edgecolor=color, linewidth=2.2, linestyle=style,
                                    zorder=4))
    for ax in axes:  # larger than draw_grid's default, so that a phone shows them at >= 9 CSS px
        ax.title.set_fontsize(12)
        for text in ax.texts:
            text.set_fontsize(12)
    for k, symbol in enumerate(("\u00d7", "\u2192")):  # input times kernel gives output
        x0 = side + sum(s[1] for s in shapes[:k + 1]) * CELL + gap * k + gap / 2
        fig.text(x0 / width, (bottom + 1.5 * CELL + (max(s[0] for s in shapes) - 3) * CELL / 2) / height, symbol,
                 ha="center", va="center", fontsize=18, color=PALETTE["edge"])
    return fig


def svg_text() -> str:
    """The figure as deterministic SVG text (fixed ids, no date, text kept as text)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "intro-stamps",
                                "font.family": ["DejaVu Sans", "sans-serif"]}):
        figure().savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    args = parser.parse_args(argv)
    text = svg_text()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.relative_to(ROOT)}: {'up to date' if same else 'stale: run python tools/intro_figure.py'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
