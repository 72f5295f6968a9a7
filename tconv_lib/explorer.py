"""The explorer: any single-channel ConvTranspose2d, computed and stepped in the browser.

One widget class, :class:`Explorer`, on one JavaScript bundle of ``static/`` (``explorer.mjs``'s header names its parts),
runs in two places and hands its layer to PyTorch (:meth:`Explorer.to_torch`):
* Jupyter (JupyterLab, Notebook 7, VS Code, Colab): an anywidget synced both ways; the notebook stores the bundle once;
* the static book: the display data's small ``text/html`` loader (``static/loader.js``) mounts it from the book's
  ``_static/tconv-explorer.js``, a classic script (works over file://) that :func:`setup`, a Sphinx extension, writes.
``PRESETS`` holds every chapter's example (``explorer("ch02")``). Introduced in chapters/01_what_is_transposed_convolution.
"""
from __future__ import annotations

import itertools
import json
import math
import re
from importlib import resources
from numbers import Real
from pathlib import Path
from typing import TYPE_CHECKING

import anywidget
import traitlets as t

from .foundations import arithmetic
from .foundations.examples import IDENTITY, WORKED, X
from .i18n import get_language, message, message_in

if TYPE_CHECKING:  # annotations only: torch and Sphinx load when used
    import torch
    from sphinx.application import Sphinx
PARTS = ("tconv", "strings_ja", "strings", "state", "steps", "panels", "text", "draw", "controls", "pointer", "actions",
         "explorer")
IMPORT_LINE = re.compile(r'^import \{[^}]*\} from "\./(\w+)\.mjs";[ \t]*\r?\n', re.MULTILINE)
CSS_LINE = "const EXPLORER_CSS = null; // @css"
BOOK_SCRIPT = "_static/tconv-explorer.js"   # where the book serves the classic-script bundle (static/loader.js loads it)
VIEWS = ("zero_insertion", "scatter", "dependencies", "overlap", "forward")
INPUT_LIMIT, KERNEL_LIMIT = 8, 5          # the largest input / kernel side the UI offers
CONFIG = ("x", "weight", "stride", "padding", "output_padding", "dilation", "view")
LAYER = CONFIG[:-1]                       # what makes the numbers; a preset survives a change of view
PAIRS = LAYER[2:]                         # stride, padding, output_padding, dilation


def module_source(static: Path | None = None) -> str:
    """The explorer's ES module: the ``PARTS`` of ``static`` (the package's by default) in order, imports dropped, CSS inlined."""
    static = resources.files("tconv_lib") / "static" if static is None else static
    parts = []
    for name in PARTS:
        text = (static / f"{name}.mjs").read_text(encoding="utf-8")
        unknown = [m for m in IMPORT_LINE.findall(text) if m not in PARTS[:PARTS.index(name)]]
        if unknown or re.search(r"^import ", IMPORT_LINE.sub("", text), re.MULTILINE):
            raise ValueError(f"{name}.mjs may import only earlier parts {PARTS[:PARTS.index(name)]}, one "
                             f'`import {{ ... }} from "./part.mjs";` line each; found {unknown or "another import"}')
        parts.append(IMPORT_LINE.sub("", text).strip())
    bundle = "\n\n".join(parts) + "\n"
    if bundle.count(CSS_LINE) != 1:
        raise ValueError(f"explorer.mjs must hold the line `{CSS_LINE}` once (the bundle puts explorer.css there)")
    css = (static / "explorer.css").read_text(encoding="utf-8")
    return bundle.replace(CSS_LINE, f"const EXPLORER_CSS = {json.dumps(css)};")


def classic_source(static: Path | None = None) -> str:
    """The bundle as a classic script defining ``window.tconvExplorer`` (its exports): the book's ``_static`` copy."""
    source = module_source(static)
    names = re.findall(r"^export (?:async )?(?:function|const|let|class) (\w+)", source, re.MULTILINE)
    source = re.sub(r"^export default ", "const defaultExport = ", source, flags=re.MULTILINE)
    source = re.sub(r"^export (?=(?:async )?(?:function|const|let|class) )", "", source, flags=re.MULTILINE)
    return (f'(function () {{\n"use strict";\n{source}\nglobalThis.tconvExplorer = {{ {", ".join(names)} }};\n}})();\n')


class _Pair(t.TraitType):
    """An ``[h, w]`` pair of ints; an int means the same value for both axes."""

    def validate(self, obj, value):
        try:
            return list(arithmetic.pair(value, self.name))
        except (TypeError, ValueError) as exc:
            raise t.TraitError(str(exc)) from None


class _Grid(t.TraitType):
    """A non-empty rectangular list of rows of finite numbers, at most ``limit`` rows and columns."""

    def __init__(self, default_value=t.Undefined, limit: int = INPUT_LIMIT, **kwargs):
        super().__init__(default_value, **kwargs)
        self.limit = limit

    def validate(self, obj, value):
        name, rows = self.name, value.tolist() if hasattr(value, "tolist") else value
        if not isinstance(rows, (list, tuple)) or not rows or not all(isinstance(r, (list, tuple)) for r in rows):
            raise t.TraitError(message("explorer.grid_rows", name=name, value=value))
        if len({len(r) for r in rows}) != 1 or not rows[0]:
            raise t.TraitError(message("explorer.grid_rectangular", name=name, lengths=[len(r) for r in rows]))
        if len(rows) > self.limit or len(rows[0]) > self.limit:
            raise t.TraitError(message("explorer.grid_limit", name=name, limit=self.limit, rows=len(rows), cols=len(rows[0])))
        for v in (v for row in rows for v in row):
            if isinstance(v, bool) or not isinstance(v, Real) or not math.isfinite(v):
                raise t.TraitError(message("explorer.grid_finite", name=name, value=v))
        return [[int(v) if float(v).is_integer() else float(v) for v in row] for row in rows]


def _shape(grid) -> tuple[int, int]:
    return len(grid), len(grid[0])


def check(config: dict) -> None:
    """Raise ``ValueError``/``TypeError`` (naming the parameter) unless PyTorch accepts ``config``; not called in the book."""
    arithmetic.conv_transpose_output_size(_shape(config["x"]), _shape(config["weight"]), *(config[n] for n in PAIRS))


class Explorer(anywidget.AnyWidget):
    """The explorer widget (made by :func:`explorer`): x, weight (rows; the kernel unflipped), stride, padding,
    output_padding, dilation (``[h, w]``; an int is accepted), view, step, presets, preset, title, lang, all synced."""

    _esm = property(lambda self: module_source())   # read when a widget is made, not at import
    x = _Grid([[1, 2], [3, 4]]).tag(sync=True)
    weight = _Grid([[1, 0], [2, 1]], limit=KERNEL_LIMIT).tag(sync=True)
    stride = _Pair([1, 1]).tag(sync=True)
    padding = _Pair([0, 0]).tag(sync=True)
    output_padding = _Pair([0, 0]).tag(sync=True)
    dilation = _Pair([1, 1]).tag(sync=True)
    view = t.Enum(VIEWS, default_value="zero_insertion").tag(sync=True)
    step = t.Int(0, min=0).tag(sync=True)
    presets = t.List(t.Dict()).tag(sync=True)
    preset = t.Unicode("").tag(sync=True)
    title = t.Unicode("").tag(sync=True)
    lang = t.Unicode("en").tag(sync=True)

    @t.default("presets")
    def _all_presets(self) -> list:
        return [dict(p) for p in PRESETS.values()]

    @t.validate("x", "weight", "stride", "padding", "output_padding", "dilation")
    def _check_configuration(self, proposal):
        try:
            check({**self.config(), proposal["trait"].name: proposal["value"]})
        except (TypeError, ValueError) as exc:
            raise t.TraitError(str(exc)) from None
        return proposal["value"]

    def _differs_from(self, name: str) -> dict | None:
        """The preset called ``name`` if the current layer differs from it, else None."""
        chosen = next((p for p in self.presets if p.get("name") == name), None)
        return chosen if chosen and any(getattr(self, k) != chosen[k] for k in LAYER) else None

    @t.observe("preset")
    def _load_preset(self, change) -> None:
        chosen = self._differs_from(change["new"])
        if chosen:
            with self.hold_trait_notifications():
                for name in CONFIG:
                    setattr(self, name, chosen[name])
                self.step = 0

    @t.observe(*LAYER)
    def _forget_preset(self, change) -> None:
        if self._differs_from(self.preset):
            self.preset = ""

    def config(self) -> dict:
        """The configuration as plain data (what ``PRESETS`` entries hold, without names)."""
        return {name: getattr(self, name) for name in CONFIG}

    def to_torch(self, dtype: torch.dtype | None = None) -> torch.nn.ConvTranspose2d:
        """``nn.ConvTranspose2d(1, 1, ...)`` like the explorer, its weight, no bias, ``dtype`` (float64); (N, 1, H, W)."""
        import torch
        dtype = torch.float64 if dtype is None else dtype
        layer = torch.nn.ConvTranspose2d(1, 1, kernel_size=_shape(self.weight), stride=tuple(self.stride),
                                   padding=tuple(self.padding), output_padding=tuple(self.output_padding),
                                   dilation=tuple(self.dilation), bias=False, dtype=dtype)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor(self.weight, dtype=dtype)[None, None])
        return layer

    def output_size(self) -> tuple[int, int]:
        """(H_out, W_out) of the configured layer, from ``arithmetic.conv_transpose_output_size``."""
        pairs = (tuple(getattr(self, name)) for name in PAIRS)
        return arithmetic.conv_transpose_output_size(_shape(self.x), _shape(self.weight), *pairs)

    def __repr__(self) -> str:
        """Short and deterministic (nbval compares ``text/plain``)."""
        (h, w), (kh, kw) = _shape(self.x), _shape(self.weight)
        args = ", ".join(f"{name}={tuple(getattr(self, name))}" for name in PAIRS)
        name = f"preset={self.preset!r}, " if self.preset else ""
        return (f"Explorer({name}input {h}x{w}, kernel {kh}x{kw}, {args}, view={self.view!r}, "
                f"output {'x'.join(map(str, self.output_size()))})")

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["text/html"] = static_html(self, element_id(self.preset or "custom"))
        return data, metadata


_DISPLAYS: dict[str, itertools.count] = {}   # displays so far, per name


def element_id(name: str) -> str:
    """``explorer-<name>-<n>`` (n counts displays of that name, so a re-run repeats ids); not called in the book."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "custom"
    return f"explorer-{slug}-{next(_DISPLAYS.setdefault(slug, itertools.count(1)))}"


def static_html(widget: Explorer, element: str) -> str:
    """The kernel-free copy: a host div and a loader that mounts the book's explorer script on it; not called in the book."""
    state = {name: getattr(widget, name) for name in (*CONFIG, "step", "presets", "preset", "title", "lang")}
    state_json = json.dumps(state, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    loader = (resources.files("tconv_lib") / "static" / "loader.js").read_text(encoding="utf-8").strip()
    loader = loader.replace(message_in("en", "explorer.unavailable"), message_in(widget.lang, "explorer.unavailable"))
    return (f'<div id="{element}" class="tconv-explorer-host"></div>\n'
            f"<noscript>{message_in(widget.lang, 'explorer.noscript')}</noscript>\n"
            f'<script>{loader}("{element}",{state_json});</script>\n')


def setup(app: Sphinx) -> dict:
    """Sphinx extension (``_config.yml``): write the explorer's classic-script bundle to the HTML build's ``_static``."""
    def write(app: Sphinx, exception: Exception | None) -> None:
        if exception is None and app.builder.format == "html":
            (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
            (Path(app.outdir) / BOOK_SCRIPT).write_text(classic_source(), encoding="utf-8")
    app.connect("build-finished", write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _preset(name: str, x, weight, stride=1, padding=0, output_padding=0, dilation=1, view="zero_insertion") -> dict:
    given = dict(zip(PAIRS, (stride, padding, output_padding, dilation)))
    entry = {"name": name, "x": x, "weight": weight, "view": view, **{n: list(arithmetic.pair(v, n)) for n, v in given.items()}}
    check(entry)
    return entry


# Their menu labels and titles are strings a reader reads: static/strings.mjs holds them (``presets``), per language.
_X22, _X33 = X.astype(int).tolist(), [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
_K2, _K3 = [[1, 0], [2, 1]], [[1, 0, 0], [2, 1, 0], [0, 3, 0]]   # chapter 1's kernel and a 3x3: the flip shows
_EYE = IDENTITY.astype(int).tolist()          # the worked examples' kernel
PRESETS: dict[str, dict] = {p["name"]: p for p in (
    _preset("ch01", _X22, _K2, view="scatter"), _preset("ch02", _X22, _K2, 2), _preset("ch03", _X33, _K2, 2),
    _preset("ch04", _X33, _K3, 2, 1, 1), _preset("ch05", _X22, _K2, dilation=2),
    _preset("ch08", [[1] * 4] * 4, [[1] * 3] * 3, 2, 1, 1, view="overlap"),    # uneven overlap: a checkerboard
    _preset("ch10", _X22, [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]], 2, 1),
    *(_preset(name, _X22, _EYE, *setting) for name, (setting, _) in WORKED.items()),
)}


def explorer(preset: str = "ch02", lang: str | None = None, **changes) -> Explorer:
    """The explorer opened on ``PRESETS[preset]``; ``changes`` override single traits (e.g. ``stride=3``).

    lang: its strings table (strings.mjs), the library's by default. Introduced in chapters/01_what_is_transposed_convolution.
    """
    if preset not in PRESETS:
        raise ValueError(message("errors.one_of", name="preset", allowed=sorted(PRESETS), got=preset))
    config = {**{name: PRESETS[preset][name] for name in CONFIG}, **changes}
    return Explorer(**config, preset="" if changes else preset, lang=lang or get_language())
