"""Jupyter widgets for the course: the zero-insertion stepper, live and static.

The only module that imports ipywidgets; a thin layer over ``tconv_lib.stepper``
(which frames to show) and ``tconv_lib.viz`` (how they look).

* ``show_stepper(preset)`` - what the chapters call. Displays ``static_stepper(preset)``:
  an overview (all stages at once) above the stepper, as one output. The frames are
  PNGs rendered when the cell runs; the slider and the Play button are linked in the
  browser (``jslink``), so it works in the HTML book with no kernel, and in Jupyter as
  well. Its numbers cannot be changed.
* ``stepper(preset)`` - the live version for a running kernel: every layer argument,
  the input and kernel values, the view (zero insertion or scatter) can be changed;
  frames are drawn on demand. Bad combinations show the library's error message and
  keep the last valid picture.

Introduced in chapters/02_stride.
"""
from __future__ import annotations

import base64
import html

import ipywidgets as W
import numpy as np
from IPython.display import display

from . import stepper as S
from . import viz

_VIEW_OPTIONS = [("zero insertion", "zero_insertion"), ("scatter", "scatter")]
_ERROR_STYLE = "color:#D55E00;font-weight:bold"
_IMAGE_LAYOUT = dict(max_width="100%", height="auto")


class StepperBox(W.VBox):
    """A VBox with a short, stable text representation (nbval compares ``text/plain``).

    ``fallback_png`` (bytes), if set, goes into the display data as ``image/png`` next to the
    widget view: frontends that cannot render widgets (nbviewer, GitHub, PDF) show that image.
    """

    def __init__(self, children, description: str, fallback_png: bytes | None = None, **kwargs):
        # images keep their own size (not stretched), but shrink to fit a narrow page
        kwargs.setdefault("layout", W.Layout(align_items="flex-start", width="100%"))
        super().__init__(children, **kwargs)
        self._description, self.fallback_png = description, fallback_png

    def __repr__(self) -> str:
        return self._description

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        if self.fallback_png is not None:
            data["image/png"] = base64.b64encode(self.fallback_png).decode("ascii")
        return data


def _player(count: int, interval: int = 1200) -> tuple:
    """A Play button and a step slider over ``range(count)``, linked in the browser."""
    # No descriptions: the HTML book's widget renderer typesets them with the MathJax 2 API,
    # which fails on pages that load MathJax 3.
    play = W.Play(value=0, min=0, max=max(count - 1, 0), step=1, interval=interval)
    slider = W.IntSlider(value=0, min=0, max=max(count - 1, 0), readout=False, continuous_update=True,
                         layout=W.Layout(width="420px"))
    W.jslink((play, "value"), (slider, "value"))
    return play, slider


def static_stepper(preset: str = "4-1", view: str = "zero_insertion", setting: S.Setting | None = None,
                   dpi: int = 80, overview: bool = True) -> StepperBox:
    """The stepper as precomputed frames (a Stack of PNG images) navigated client-side.

    preset: a key of ``stepper.PRESETS`` (ignored when ``setting`` is given). overview: show
    all stages at once above the stepper (also the ``image/png`` fallback of the display data).
    Introduced in chapters/02_stride.
    """
    setting = setting or S.preset(preset)
    pngs = S.render(setting, view, dpi)
    stack = W.Stack([W.Image(value=png, format="png", layout=W.Layout(**_IMAGE_LAYOUT)) for png in pngs],
                    selected_index=0, layout=W.Layout(max_width="100%"))
    play, slider = _player(len(pngs))
    W.jslink((slider, "value"), (stack, "selected_index"))
    name = preset if setting is S.PRESETS.get(preset) else "custom"
    hint = W.HTML(f'<div style="text-align:left;font-size:0.9em">{html.escape(setting.label)}: '
                  f"<code>{html.escape(setting.layer_call())}</code> on x = {format_grid(setting.x)}, kernel = "
                  f"{format_grid(setting.kernel)}, "
                  f"{view.replace('_', ' ')} view, {len(pngs)} steps. Drag the slider or press play; "
                  f"to change the numbers, run <code>widgets.stepper({name!r})</code> in Jupyter.</div>")
    children = [hint, W.HBox([play, slider]), stack]
    still = S.to_png(overview_figure(setting, view), dpi) if overview else None
    if overview:
        children.insert(0, W.Image(value=still, format="png", layout=W.Layout(**_IMAGE_LAYOUT)))
    return StepperBox(children, f"Stepper(preset={name!r}, view={view!r}, frames={len(pngs)}, static)", still)


def overview_figure(setting: S.Setting, view: str = "zero_insertion"):
    """All stages in one Figure (the stepper's last frame without the step number)."""
    if view == "scatter":
        return viz.draw_scatter(np.array(setting.x), np.array(setting.kernel), setting.stride, setting.padding,
                                setting.output_padding, setting.dilation)
    return viz.draw_stages(setting.stages())


def show_stepper(preset: str = "4-1", view: str = "zero_insertion", fallback: bool = True) -> None:
    """Display the static stepper for a preset as ONE output (so one figure caption/name fits it).

    fallback=True puts the overview (all stages at once) above the stepper and into the display
    data as ``image/png``, which frontends without widget support show instead. Readers of the
    HTML book with JavaScript switched off see neither: chapters keep their own static figures.
    Returns None, so a cell ending with this call displays it once.
    Introduced in chapters/02_stride.
    """
    display(static_stepper(preset, view, overview=fallback))


def parse_grid(text: str, name: str = "x") -> np.ndarray:
    """'1,2;3,4' (rows split by ';' or newlines, values by ',' or spaces) -> 2-D float array."""
    rows = [r.replace(",", " ").split() for r in text.replace("\n", ";").split(";") if r.strip()]
    if not rows:
        raise ValueError(f"{name} is empty: write rows separated by ';', values by ',' (e.g. 1,2;3,4)")
    if len({len(r) for r in rows}) != 1:
        raise ValueError(f"{name}: every row needs the same number of values, got {[len(r) for r in rows]}")
    try:
        return np.array([[float(v) for v in r] for r in rows])
    except ValueError as exc:
        raise ValueError(f"{name} must hold numbers: {exc}") from None


def format_grid(values) -> str:
    """The inverse of ``parse_grid``: '1,2;3,4'."""
    return ";".join(",".join(viz._text(v) for v in row) for row in np.asarray(values))


class LiveStepper:
    """State and controls of the live stepper; ``.widget`` is what gets displayed."""

    _SLIDERS = (("input size", 1, 5), ("kernel_size", 1, 5), ("stride", 1, 4), ("padding", 0, 4),
                ("output_padding", 0, 3), ("dilation", 1, 3))

    def __init__(self, preset: str = "4-1", view: str = "zero_insertion", dpi: int = 80):
        self.dpi, self._syncing, self._cache = dpi, False, {}
        self.setting, self.view, self.frames = None, view, []
        c = self.controls = {
            "preset": W.Dropdown(options=[(s.label, k) for k, s in S.PRESETS.items()] + [("custom", "custom")],
                                 value=preset, description="preset", layout=W.Layout(width="420px")),
            "view": W.ToggleButtons(options=_VIEW_OPTIONS, value=view, description="view"),
            "x": W.Text(description="x", continuous_update=False),
            "kernel": W.Text(description="kernel", continuous_update=False),
            "message": W.HTML(),
            "image": W.Image(format="png", layout=W.Layout(**_IMAGE_LAYOUT)),
        }
        for name, lo, hi in self._SLIDERS:
            c[name] = W.IntSlider(min=lo, max=hi, description=name, style={"description_width": "initial"})
        c["play"], c["step"] = _player(1)
        self._load_preset(S.preset(preset))
        for name in ("x", "kernel") + tuple(n for n, _, _ in self._SLIDERS):
            c[name].observe(lambda change, name=name: self._on_edit(name), names="value")
        c["preset"].observe(lambda change: self._on_preset(), names="value")
        c["view"].observe(lambda change: self._apply(self.setting, change["new"]), names="value")
        c["step"].observe(lambda change: self._show(change["new"]), names="value")
        sliders = [c[n] for n, _, _ in self._SLIDERS]
        self.widget = StepperBox(
            [c["preset"], c["view"], W.HBox(sliders[:3]), W.HBox(sliders[3:]), W.HBox([c["x"], c["kernel"]]),
             W.HBox([c["play"], c["step"]]), c["message"], c["image"]],
            f"Stepper(preset={preset!r}, view={view!r}, live)")

    # -- reading and writing the controls
    def _load_preset(self, setting: S.Setting) -> None:
        c, self._syncing = self.controls, True
        try:
            c["input size"].value, c["kernel_size"].value = len(setting.x), len(setting.kernel)
            for name in ("stride", "padding", "output_padding", "dilation"):
                c[name].value = getattr(setting, name)
            c["x"].value, c["kernel"].value = format_grid(setting.x), format_grid(setting.kernel)
        finally:
            self._syncing = False
        self._apply(setting, self.view)

    def _on_preset(self) -> None:
        if not self._syncing and self.controls["preset"].value != "custom":
            self._load_preset(S.preset(self.controls["preset"].value))

    def _on_edit(self, name: str) -> None:
        if self._syncing:
            return
        c, self._syncing = self.controls, True
        try:
            c["preset"].value = "custom"
            if name == "input size":
                c["x"].value = format_grid(S.default_values(c["input size"].value))
            elif name == "kernel_size":
                k = c["kernel_size"].value
                c["kernel"].value = format_grid(np.arange(k * k).reshape(k, k) % 3)
            x, kernel = parse_grid(c["x"].value, "x"), parse_grid(c["kernel"].value, "kernel")
            if x.shape[0] == x.shape[1] and c["input size"].min <= x.shape[0] <= c["input size"].max:
                c["input size"].value = x.shape[0]
            if kernel.shape[0] == kernel.shape[1] and kernel.shape[0] <= c["kernel_size"].max:
                c["kernel_size"].value = kernel.shape[0]
            setting = S.Setting(S._grid(x), S._grid(kernel), c["stride"].value, c["padding"].value,
                                c["output_padding"].value, c["dilation"].value)
        except ValueError as exc:
            return self._error(exc)
        finally:
            self._syncing = False
        self._apply(setting, self.view)

    # -- state changes
    def _error(self, exc: Exception) -> None:
        """Show the library's message; the last valid frames stay on screen."""
        self.controls["message"].value = f'<span style="{_ERROR_STYLE}">{html.escape(str(exc))}</span>'

    def _apply(self, setting: S.Setting, view: str) -> None:
        try:
            frames = S.frames(setting, view)
        except (ValueError, TypeError) as exc:
            return self._error(exc)
        self.setting, self.view, self.frames, self._cache = setting, view, frames, {}
        c = self.controls
        c["message"].value = html.escape(f"{setting.layer_call()}: {frames[-1].caption}")
        for name in ("play", "step"):
            c[name].max = len(frames) - 1
        if c["step"].value > len(frames) - 1:
            c["step"].value = len(frames) - 1   # the observer draws it
        else:
            self._show(c["step"].value)

    def _show(self, index: int) -> None:
        if index not in self._cache:
            fig = S.draw_frame(self.setting, self.frames[index], index + 1, len(self.frames),
                               S.caption_lines(self.frames))
            self._cache[index] = S.to_png(fig, self.dpi)
        self.controls["image"].value = self._cache[index]


def stepper(preset: str = "4-1", view: str = "zero_insertion") -> StepperBox:
    """The live stepper (needs a running kernel): every number and argument can be changed.

    preset: a key of ``stepper.PRESETS``; view: "zero_insertion" or "scatter".
    The returned widget has ``.stepper`` (the ``LiveStepper`` with its ``controls``).
    Introduced in chapters/02_stride.
    """
    live = LiveStepper(preset, view)
    live.widget.stepper = live
    return live.widget
