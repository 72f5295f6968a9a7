"""The frames of the zero-insertion stepper: what to draw at each step, as Figures or PNG bytes.

No widgets here (``tconv_lib.widgets`` adds the controls); every number comes from
``tconv_lib.reference`` and every picture from ``tconv_lib.viz``.

A ``Setting`` is one ConvTranspose2d problem (2-D input, 2-D kernel, layer arguments).
``frames(setting, view)`` lists the steps: for the "zero_insertion" view the five
stages (input, zeros inserted, border, output_padding, flipped kernel), then one frame
per output cell, then the comparison with ``nn.ConvTranspose2d``; for the "scatter"
view one frame per input value, then the comparison.

Introduced in chapters/02_stride.
"""
from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field, replace

import numpy as np
from matplotlib.figure import Figure

from . import viz
from .reference import Stages, conv_transpose2d_stages

VIEWS = ("zero_insertion", "scatter")


@dataclass(frozen=True)
class Setting:
    """One ConvTranspose2d problem for the stepper: x (H, W), kernel (kH, kW), layer arguments."""

    x: tuple
    kernel: tuple
    stride: int = 1
    padding: int = 0
    output_padding: int = 0
    dilation: int = 1
    label: str = field(default="custom", compare=False)

    def stages(self) -> Stages:
        """The intermediate arrays; raises the library's ValueError/TypeError for bad arguments."""
        return conv_transpose2d_stages(np.array(self.x), np.array(self.kernel), self.stride, self.padding,
                                       self.output_padding, self.dilation)

    def layer_call(self) -> str:
        """The equivalent PyTorch layer, as code."""
        extra = "".join(f", {n}={getattr(self, n)}" for n, default in
                        (("stride", 1), ("padding", 0), ("output_padding", 0), ("dilation", 1))
                        if getattr(self, n) != default)
        return f"nn.ConvTranspose2d(1, 1, kernel_size={len(self.kernel)}{extra}, bias=False)"


def _grid(values) -> tuple:
    return tuple(tuple(int(v) if float(v).is_integer() else float(v) for v in row) for row in np.asarray(values))


_X22, _EYE = ((1, 2), (3, 4)), ((1, 0), (0, 1))
PRESETS = {
    "4-1": Setting(_X22, _EYE, stride=2, padding=1, label="4-1: stride 2, padding 1"),
    "4-2": Setting(_X22, _EYE, stride=3, padding=1, label="4-2: stride 3, padding 1"),
    "4-3": Setting(_X22, _EYE, stride=2, padding=0, label="4-3: stride 2, padding 0"),
    "4-4": Setting(_X22, _EYE, stride=2, padding=1, output_padding=1,
                   label="4-4: stride 2, padding 1, output_padding 1"),
    "dcgan": Setting(_X22, _grid(np.arange(16).reshape(4, 4) % 3), stride=2, padding=1,
                     label="DCGAN layer: kernel_size 4, stride 2, padding 1"),
    "checkerboard": Setting(_grid(np.ones((2, 2))), _grid(np.ones((3, 3))), stride=2,
                            label="checkerboard-prone: kernel_size 3, stride 2"),
}


def preset(name: str) -> Setting:
    """The named preset (keys of ``PRESETS``), or a ValueError listing them."""
    if name not in PRESETS:
        raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {name!r}")
    return PRESETS[name]


def default_values(rows: int, cols: int | None = None, start: int = 1) -> tuple:
    """Small distinct integers start, start+1, ... as a (rows, cols) grid, for a fresh input."""
    cols = rows if cols is None else cols
    return _grid(np.arange(start, start + rows * cols).reshape(rows, cols))


def torch_output(setting: Setting) -> np.ndarray:
    """What ``nn.ConvTranspose2d`` gives on the same numbers (float64, CPU), as (H_out, W_out)."""
    import torch  # imported here so that drawing frames never needs torch

    kernel = np.array(setting.kernel, dtype=np.float64)
    layer = torch.nn.ConvTranspose2d(1, 1, kernel.shape, stride=setting.stride, padding=setting.padding,
                                     output_padding=setting.output_padding, dilation=setting.dilation,
                                     bias=False, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(kernel)[None, None])
        out = layer(torch.tensor(setting.x, dtype=torch.float64)[None, None])
    return out[0, 0].numpy()


@dataclass(frozen=True)
class Frame:
    """One step: which picture (stage name or output/input cell index) and its caption."""

    view: str
    caption: str
    reveal: str | None = None   # a stage of viz.STAGE_ORDER (zero_insertion view)
    step: int | None = None     # output cell (zero_insertion) or input value (scatter)


def _show(v) -> str:
    return viz._text(v)


def frames(setting: Setting, view: str = "zero_insertion") -> list[Frame]:
    """Every frame of the stepper for ``setting`` in ``view`` ("zero_insertion" or "scatter")."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
    st = setting.stages()
    k, s, p, op, d = len(setting.kernel), setting.stride, setting.padding, setting.output_padding, setting.dilation
    h, w = st.x.shape
    same = np.allclose(torch_output(setting), st.output)
    final = (f"OUTPUT {st.output.shape[0]}\u00d7{st.output.shape[1]}; the same numbers as "
             f"nn.ConvTranspose2d: {same}")
    out: list[Frame] = []
    if view == "scatter":
        for i in range(st.x.size):
            r, c = divmod(i, w)
            out.append(Frame(view, f"x[{r},{c}] = {_show(st.x[r, c])} stamps {_show(st.x[r, c])} \u00d7 kernel at "
                                   f"row {r}\u00b7{s}, column {c}\u00b7{s}; overlaps add up", step=i))
        out.append(Frame(view, f"Crop padding = {p} per side (output_padding keeps {op} more at the "
                               f"bottom/right). {final}"))
        return out
    b = d * (k - 1) - p
    border = (f"add a border of d(k-1)-p = {d}\u00b7({k}-1)-{p} = {b} zeros on every side" if b >= 0 else
              f"d(k-1)-p = {d}\u00b7({k}-1)-{p} = {b} < 0: crop {-b} from every side")
    extension = (f"output_padding = {op}: {op} extra row(s) at the bottom and column(s) at the right"
                 if op else "output_padding = 0: nothing added at the bottom/right")
    out += [Frame(view, f"INPUT x: {h}\u00d7{w}; kernel_size {k}, stride {s}, padding {p}, "
                        f"output_padding {op}, dilation {d}", reveal="input"),
            Frame(view, f"Insert stride-1 = {s - 1} zero(s) between neighbouring input values", reveal="inserted"),
            Frame(view, "Processing image: " + border, reveal="border"),
            Frame(view, "Processing image: " + extension, reveal="output_padding"),
            Frame(view, "Flip the kernel (rotate by 180\u00b0); it slides over the processing image with stride 1",
                  reveal="kernel")]
    for i in range(st.output.size):
        r, c = divmod(i, st.output.shape[1])
        out.append(Frame(view, f"output[{r},{c}] = sum of the products under the kernel = "
                               f"{_show(st.products(r, c).sum())}", step=i))
    out.append(Frame(view, final))
    return out


def _caption(frame: Frame, number: int | None, total: int | None) -> list[str]:
    text = frame.caption if number is None else f"{number}/{total}  {frame.caption}"
    return textwrap.wrap(text, viz.CAPTION_CHARS)


def caption_lines(frames_: list[Frame]) -> int:
    """The most caption lines any of ``frames_`` needs (every frame reserves as many, so
    the pictures do not jump while stepping)."""
    return max(len(_caption(f, len(frames_), len(frames_))) for f in frames_)


def draw_frame(setting: Setting, frame: Frame, number: int | None = None, total: int | None = None,
               lines: int = 1) -> Figure:
    """The Figure of one frame; ``number``/``total`` prefix the caption with "n/total";
    the caption is wrapped and padded to at least ``lines`` lines."""
    wrapped = _caption(frame, number, total)
    caption = "\n".join(wrapped + [""] * (lines - len(wrapped)))
    if frame.view == "scatter":
        return viz.draw_scatter(np.array(setting.x), np.array(setting.kernel), setting.stride, setting.padding,
                                setting.output_padding, setting.dilation, step=frame.step, caption=caption)
    return viz.draw_stages(setting.stages(), step=frame.step, reveal=frame.reveal, products=True, caption=caption)


def to_png(fig: Figure, dpi: int = 80) -> bytes:
    """A Figure as small PNG bytes (64-colour palette: the figures are flat colours)."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    buf.seek(0)
    img = Image.open(buf).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    img.save(out, format="png", optimize=True)
    return out.getvalue()


def render(setting: Setting, view: str = "zero_insertion", dpi: int = 80) -> list[bytes]:
    """PNG bytes of every frame, in order."""
    steps = frames(setting, view)
    lines = caption_lines(steps)
    return [to_png(draw_frame(setting, f, i + 1, len(steps), lines), dpi) for i, f in enumerate(steps)]


def with_values(setting: Setting, **changes) -> Setting:
    """``setting`` with some fields changed (values converted to nested tuples)."""
    for name in ("x", "kernel"):
        if name in changes:
            changes[name] = _grid(changes[name])
    return replace(setting, **changes)
