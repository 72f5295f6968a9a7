"""The explorer's UI (tconv_lib/static/explorer.mjs) in headless Chromium, on pages this module writes.

Each page holds the bundle (``tconv_lib.explorer.module_source()``) inline and mounts one explorer
with ``mountStatic`` (or ``mount`` on a spied stand-in model when the URL has ``?spy``); the pages
are served from a temporary folder on 127.0.0.1. Controls are found by their accessible names, as
a reader's assistive technology finds them. Expected numbers come from PyTorch (float64) and
``tconv_lib.foundations.arithmetic``; the palette from ``tconv_lib.foundations.grids``.

Playwright runs in a thread of its own, so this module works next to tests/test_browser.py, whose
session-wide sync Playwright would otherwise refuse a second one in the same thread.
"""
from __future__ import annotations

import concurrent.futures
import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
import torch

from tconv_lib.explorer import CONFIG, PRESETS, module_source
from tconv_lib.foundations import arithmetic, grids
from tconv_lib.foundations.stages import Role

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("TCONV_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
MINUS = "\u2212"

# The largest configuration the controls offer: 8x8 input, 5x5 kernel, stride 4, dilation 3, output_padding 3.
BIG = {"x": [[(3 * r + 5 * c) % 7 - 2 for c in range(8)] for r in range(8)],
       "weight": [[(r * 5 + c) % 4 - 1 for c in range(5)] for r in range(5)],
       "stride": [4, 4], "padding": [0, 0], "output_padding": [3, 3], "dilation": [3, 3], "view": "zero_insertion"}


def state_of(config: dict, preset: str = "") -> dict:
    """The page state for ``config`` (a PRESETS entry or the like), with every preset offered."""
    return {**{k: config[k] for k in CONFIG}, "step": 0, "presets": list(PRESETS.values()), "preset": preset,
            "title": config.get("title", "explorer under test")}


PAGES = {"big": state_of(BIG), **{name: state_of(p, name) for name, p in PRESETS.items() if name.startswith("ch")},
         "forward": state_of({**BIG, "x": BIG["x"][:5], "weight": [[1, -2, 0], [3, 1, 2]], "stride": [3, 2], "padding": [1, 2],
                              "output_padding": [2, 1], "dilation": [1, 2]})}


def page_html(state: dict) -> str:
    """A page with the bundle inline; ``?spy`` mounts on a stand-in model that logs its writes."""
    data = json.dumps(state).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>explorer test</title><link rel="icon" href="data:,"></head>
<body><main><h1>Explorer under test</h1><div id="ex"></div></main>
<script type="module">
{module_source()}
window.tconvTest = {{ PALETTE, ROLES, encodeState, decodeState }};
const state = {data};
const el = document.getElementById("ex");
const query = new URLSearchParams(location.search);
if (query.has("detached")) {{            // mount on an element not yet in the page (as Jupyter may), insert it later
  const host = document.createElement("div");
  host.id = "ex-late";
  mount(host, createModel(state));
  await new Promise((done) => setTimeout(done, 50));
  el.append(host);
}} else if (query.has("spy")) {{
  const model = createModel(state), set = model.set;
  window.writes = [];
  model.set = (name, value) => {{ window.writes.push(name); set(name, value); }};
  window.tconvModel = model;
  mount(el, model);
}} else {{
  mountStatic(el, state);
}}
document.body.dataset.ready = "1";
</script></body></html>
"""


# ----------------------------------------------------------------------------- fixtures
class BrowserThread:
    """Chromium driven by Playwright's sync API from one worker thread; ``run(fn, ...)`` calls fn(browser, ...) there."""

    def __init__(self):
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.pool.submit(self._start).result()

    def _start(self):
        from playwright.sync_api import sync_playwright
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def _stop(self):
        self.browser.close()
        self.playwright.stop()

    def run(self, fn, *args):
        return self.pool.submit(fn, self.browser, *args).result()

    def close(self):
        self.pool.submit(self._stop).result()
        self.pool.shutdown()


@pytest.fixture(scope="module")
def chromium():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install playwright); explorer UI tests skipped")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium); explorer UI tests skipped")
    runner = BrowserThread()
    yield runner
    runner.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The test pages on http://127.0.0.1:<free port>/<name>.html."""
    folder = tmp_path_factory.mktemp("explorer-ui")
    for name, state in PAGES.items():
        (folder / f"{name}.html").write_text(page_html(state), encoding="utf-8")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def open_page(browser, url: str, width: int = 1100, height: int = 900, context_options=None, ready: bool = True):
    """A fresh page on ``url`` after the explorer mounted; page.errors collects console errors."""
    context = browser.new_context(viewport={"width": width, "height": height}, **(context_options or {}))
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda exc: page.errors.append(f"uncaught: {exc}"))
    page.goto(url)
    if ready and "/chapters/" not in url:
        page.wait_for_selector("body[data-ready='1'] .tconv-explorer .tc-drawing [data-cell='output']")
    return page


# ----------------------------------------------------------------------------- expected numbers
def output_size(cfg: dict) -> tuple[int, int]:
    return arithmetic.conv_transpose_output_size(
        (len(cfg["x"]), len(cfg["x"][0])), (len(cfg["weight"]), len(cfg["weight"][0])),
        tuple(cfg["stride"]), tuple(cfg["padding"]), tuple(cfg["output_padding"]), tuple(cfg["dilation"]))


def torch_output(cfg: dict) -> torch.Tensor:
    layer = torch.nn.functional.conv_transpose2d
    return layer(torch.tensor(cfg["x"], dtype=torch.float64)[None, None],
                 torch.tensor(cfg["weight"], dtype=torch.float64)[None, None],
                 stride=tuple(cfg["stride"]), padding=tuple(cfg["padding"]),
                 output_padding=tuple(cfg["output_padding"]), dilation=tuple(cfg["dilation"]))[0, 0]


def show(v: float) -> str:
    return (MINUS if v < 0 else "") + str(int(abs(v)))


def terms(cfg: dict, oi: int, oj: int) -> list[tuple[int, int, tuple, tuple]]:
    """(x, w, input index, tap) of every product that lands on output (oi, oj), input-major like the module."""
    (sh, sw), (ph, pw), (dh, dw) = cfg["stride"], cfg["padding"], cfg["dilation"]
    x, w = cfg["x"], cfg["weight"]
    return [(x[i][j], w[ti][tj], (i, j), (ti, tj))
            for i in range(len(x)) for j in range(len(x[0]))
            for ti in range(len(w)) for tj in range(len(w[0]))
            if (i * sh - ph + ti * dh, j * sw - pw + tj * dw) == (oi, oj)]


def sum_text(cfg: dict, oi: int, oj: int) -> str:
    """What tc-sum says for output (oi, oj); its value is PyTorch's."""
    found = terms(cfg, oi, oj)
    value = torch_output(cfg)[oi, oj].item()
    assert value == sum(a * b for a, b, _, _ in found)
    factor = lambda v, first: show(v) if v >= 0 or first else f"({show(v)})"  # noqa: E731  (as formatSum brackets)
    products = " + ".join(f"{factor(a, n == 0)}·{factor(b, False)}" for n, (a, b, _, _) in enumerate(found))
    return f"output[{oi}, {oj}] = {products} = {show(value)}"


def drawing(page) -> str:
    return page.locator(".tc-drawing").inner_html()


def output_cells(page) -> int:
    """The output panel's rows × columns as drawn."""
    panel = page.locator(".tc-drawing [data-panel='output']")
    return int(panel.get_attribute("data-rows")) * int(panel.get_attribute("data-cols"))


def _at(page, kind: str, r: int, c: int) -> dict:
    """The locator of ``kind``'s pointer surface and the position of cell (r, c) on it (CSS px, the SVG is not scaled)."""
    surface = page.locator(f".tc-drawing [data-surface='{kind}']")
    panel = surface.locator("xpath=..")
    side = float(surface.get_attribute("width")) / int(panel.get_attribute("data-cols"))
    return {"surface": surface, "position": {"x": (c + 0.5) * side, "y": (r + 0.5) * side}}


def click_cell(page, kind: str, r: int, c: int) -> None:
    """Tap cell (r, c) of the panel of ``kind``: pins it and puts the panel's focusable cursor there."""
    at = _at(page, kind, r, c)
    at["surface"].click(position=at["position"], force=True)


def hover_cell(page, kind: str, r: int, c: int) -> None:
    at = _at(page, kind, r, c)
    at["surface"].hover(position=at["position"], force=True)


def lit(page, panel: str) -> set[tuple[int, int]]:
    """The cells of ``panel`` ringed as lit."""
    rings = page.evaluate(f"""[...document.querySelectorAll(".tc-marks .tc-ring[data-mark='{panel}']")]
        .map((g) => [g.dataset.row, g.dataset.col])""")
    return {(int(r), int(c)) for r, c in rings}


def row_values(page, panel: str) -> list[list[str]]:
    """The values drawn in ``panel``, row by row ("" for a blank cell)."""
    return [row.split(",") for row in page.evaluate(
        f"[...document.querySelectorAll(\".tc-drawing [data-panel='{panel}'] .tc-v .tc-row\")].map((t) => t.dataset.values)")]


# ----------------------------------------------------------------------------- tests
def _check_palette(browser, site):
    page = open_page(browser, site + "ch02.html")
    assert page.evaluate("({...window.tconvTest.PALETTE})") == grids.PALETTE
    # the processing image's cells, one path per role: the colours (patterns through their tile's colour) are grids.ROLE_COLORS
    fills = page.evaluate("""[...document.querySelectorAll("[data-panel='processing'] path[data-role]")].map((path) => {
        const fill = path.getAttribute("fill"), id = (/^url\\(#(.+)\\)$/.exec(fill) || [])[1];
        return [path.dataset.role, id ? document.getElementById(id).querySelector("rect").getAttribute("fill") : fill,
                Boolean(id)]; })""")
    roles = {name: Role[name.upper()] for name in page.evaluate("[...window.tconvTest.ROLES]")}   # one vocabulary
    assert sorted(role for role, _, _ in fills) == ["border", "input", "inserted"]
    for role, fill, patterned in fills:
        assert fill == grids.ROLE_COLORS[roles[role]], (role, fill)
        assert patterned == (role != "input"), role     # zeros carry a pattern beside the colour
    legend = page.locator(".tc-legend").inner_text()
    for words in ("input value", "inserted zero (diagonal hatching)", "implicit border, zero (dots)"):
        assert words in legend
    assert page.errors == []


def test_palette_equals_viz_and_roles_carry_a_pattern(chromium, site):
    chromium.run(_check_palette, site)


def _check_stride(browser, site):
    page = open_page(browser, site + "ch02.html")
    cfg = dict(PRESETS["ch02"])
    stride = page.get_by_label("stride", exact=True)
    assert stride.input_value() == "2" and output_cells(page) == 16
    for how, expected in (("mouse", 3), ("keyboard", 4), ("keyboard-down", 3)):
        before = drawing(page)
        if how == "mouse":   # the number field's up arrow
            box = stride.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.click(box["x"] + box["width"] - 6, box["y"] + box["height"] * 0.3)
        else:
            stride.focus()
            page.keyboard.press("ArrowUp" if how == "keyboard" else "ArrowDown")
        assert stride.input_value() == str(expected), how
        cfg["stride"] = [expected, expected]
        ho, wo = output_size(cfg)
        assert drawing(page) != before, how
        assert output_cells(page) == ho * wo
        formula = page.locator(".tc-formula").inner_text()
        assert f"H_out = (2 − 1)·{expected} − 2·0 + 1·(2 − 1) + 0 + 1 = {ho}" in formula
        assert f"stride={expected}" in page.locator(".tc-layer").inner_text()
    assert page.errors == []


def test_stride_control_redraws_with_mouse_and_keyboard(chromium, site):
    chromium.run(_check_stride, site)


def _check_sums(browser, site):
    page = open_page(browser, site + "ch02.html")
    cfg = PRESETS["ch02"]
    page.get_by_label("dependencies", exact=True).check()
    click_cell(page, "output", 1, 2)
    assert page.locator(".tc-sum").inner_text() == sum_text(cfg, 1, 2)
    assert lit(page, "input") == {t[2] for t in terms(cfg, 1, 2)} and len(lit(page, "input")) == len(terms(cfg, 1, 2))
    page.keyboard.press("ArrowRight")     # arrow keys move between output cells
    focused = page.evaluate("[document.activeElement.dataset.row, document.activeElement.dataset.col]")
    assert focused == ["1", "3"]
    assert page.locator(".tc-sum").inner_text() == sum_text(cfg, 1, 3)
    # hovering an input cell lights up its footprint
    hover_cell(page, "input", 0, 1)
    ho, wo = output_size(cfg)
    expected = {(oi, oj) for oi in range(ho) for oj in range(wo) if any(t[2] == (0, 1) for t in terms(cfg, oi, oj))}
    assert lit(page, "output") == expected and len(expected) == 4
    assert page.locator(".tc-sum").inner_text().startswith("x[0, 1] = 2 writes to 4 output cells")
    assert page.errors == []


def test_output_cell_sum_and_input_footprint(chromium, site):
    chromium.run(_check_sums, site)


def _check_invalid(browser, site):
    page = open_page(browser, site + "ch02.html?spy")
    error = page.locator(".tc-error")
    assert error.get_attribute("role") == "alert" and error.inner_text() == ""
    before, formula = drawing(page), page.locator(".tc-formula").inner_text()
    page.evaluate("window.writes = []")
    page.get_by_label("output_padding", exact=True).fill("2")       # stride 2, dilation 1: refused
    message = error.inner_text()
    assert "output_padding (2) must be smaller than stride (2) or dilation (1)" in message
    assert "last valid" in message
    assert drawing(page) == before and page.locator(".tc-formula").inner_text() == formula
    assert page.evaluate("window.writes") == [] and page.evaluate("window.tconvModel.get('output_padding')") == [0, 0]
    page.get_by_label("stride", exact=True).fill("3")                # now output_padding 2 < stride 3
    assert error.inner_text() == ""
    assert page.evaluate("[window.tconvModel.get('stride'), window.tconvModel.get('output_padding')]") == [[3, 3], [2, 2]]
    assert drawing(page) != before
    # a change from the other side of the model (Python in Jupyter) redraws and updates the controls
    page.evaluate("window.tconvModel.set('stride', [4, 4]); window.tconvModel.set('padding', [1, 1])")
    page.wait_for_function("document.querySelector('.tc-layer').textContent.includes('stride=4')")
    assert page.get_by_label("stride", exact=True).input_value() == "4"
    assert page.get_by_label("padding", exact=True).input_value() == "1"
    cfg = {**PRESETS["ch02"], "stride": [4, 4], "padding": [1, 1], "output_padding": [2, 2]}
    assert output_cells(page) == output_size(cfg)[0] * output_size(cfg)[1]
    assert page.errors == []


def test_invalid_setting_explains_and_keeps_the_picture(chromium, site):
    chromium.run(_check_invalid, site)


def _check_steps(browser, site):
    page = open_page(browser, site + "ch02.html")
    caption = page.locator(".tc-caption")
    assert caption.get_attribute("aria-live") == "polite"
    first = caption.inner_text()
    assert first.startswith("Step 1 of 23: Overview")
    page.get_by_role("button", name="next step", exact=True).click()
    assert caption.inner_text().startswith("Step 2 of 23: Input x is 2×2")
    page.get_by_role("button", name="next step", exact=True).press("Enter")
    assert caption.inner_text().startswith("Step 3 of 23: Insert stride − 1 = 1 zero")
    page.get_by_role("button", name="previous step", exact=True).click()
    assert caption.inner_text().startswith("Step 2 of 23")
    for _ in range(5):
        page.get_by_role("button", name="next step", exact=True).click()
    assert caption.inner_text() == "Step 7 of 23: " + sum_text(PRESETS["ch02"], 0, 0).replace(
        "output[0, 0]", "output[0, 0]") + (". The flipped kernel covers rows 0–1, columns 0–1 of the processing image; "
                                            "the zeros under it add nothing.")
    page.get_by_role("button", name="play", exact=True).click()
    page.get_by_role("button", name="pause", exact=True).click()
    page.get_by_role("button", name="reset", exact=True).click()
    assert caption.inner_text() == first
    assert page.errors == []


def test_step_buttons_change_the_caption(chromium, site):
    chromium.run(_check_steps, site)


def _check_permalink(browser, site):
    options = {"permissions": ["clipboard-read", "clipboard-write"]}
    page = open_page(browser, site + "ch02.html", context_options=options)
    page.get_by_label("link height and width", exact=True).uncheck()
    page.get_by_label("stride (width)", exact=True).fill("3")
    page.get_by_label("padding (height)", exact=True).fill("1")
    page.get_by_label("x[1, 0]", exact=True).fill("-1.5")
    page.get_by_label("scatter", exact=True).check()
    page.get_by_role("button", name="next step", exact=True).click()
    caption, formula = page.locator(".tc-caption").inner_text(), page.locator(".tc-formula").inner_text()
    page.get_by_role("button", name="copy link", exact=True).click()
    link = page.get_by_label("link", exact=True)
    page.wait_for_function("document.querySelector('.tc-link input').value !== ''")
    url = link.input_value()
    assert url.startswith(site + "ch02.html#tconv-ex=")
    assert page.evaluate("navigator.clipboard.readText()") == url
    again = open_page(browser, url)
    assert again.get_by_label("stride (width)", exact=True).input_value() == "3"
    assert again.get_by_label("stride (height)", exact=True).input_value() == "2"
    assert again.get_by_label("padding (height)", exact=True).input_value() == "1"
    assert again.get_by_label("x[1, 0]", exact=True).input_value() == "-1.5"
    assert again.get_by_label("scatter", exact=True).is_checked()
    assert again.locator(".tc-caption").inner_text() == caption
    assert again.locator(".tc-formula").inner_text() == formula
    state = {"x": [[1, -2.5], [3e-7, 4]], "weight": [[1, 0, 2]], "stride": [2, 3], "padding": [1, 1],
             "output_padding": [0, 2], "dilation": [1, 1], "view": "dependencies", "step": 4}
    assert again.evaluate("(s) => window.tconvTest.decodeState(window.tconvTest.encodeState(s))", state) == state
    assert page.errors == [] and again.errors == []
    refused = open_page(browser, site + "ch02.html#tconv-ex=x=1,2;3,4&weight=1&stride=0")   # invalid: reported
    assert refused.get_by_label("stride", exact=True).input_value() == "2"
    assert refused.locator(".tc-error").inner_text() == ("The link's settings could not be used (stride must be positive, "
                                                          "got 0); this is the page's own example.")
    assert refused.errors == []


def test_permalink_round_trip(chromium, site):
    chromium.run(_check_permalink, site)


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""axe.run(document).then((r) => r.violations.map(
        (v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3)})))""")
    return [v for v in found if v["impact"] in ("critical", "serious")]


def _luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(page) -> float:
    fg, bg = page.evaluate("""(() => { const s = getComputedStyle(document.querySelector('.tconv-explorer'));
        return [s.color, s.backgroundColor]; })()""")
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _check_axe_and_themes(browser, site):
    if not AXE.is_file():
        pytest.skip(f"axe-core not found at {AXE} (npm install axe-core)")
    page = open_page(browser, site + "ch02.html")
    page.locator(".tc-drawing [data-cell='output']").first.focus()
    assert _axe(page) == []
    light = page.evaluate("getComputedStyle(document.querySelector('.tconv-explorer')).backgroundColor")
    assert _contrast(page) >= 4.5
    page.get_by_label("scatter", exact=True).check()
    page.get_by_role("button", name="next step", exact=True).click()
    page.evaluate("document.documentElement.dataset.theme = 'dark'")      # the book's pydata theme
    dark = page.evaluate("getComputedStyle(document.querySelector('.tconv-explorer')).backgroundColor")
    assert dark != light and _contrast(page) >= 4.5
    assert _axe(page) == []
    # JupyterLab's dark theme, and the system preference when the page says nothing
    page.evaluate("delete document.documentElement.dataset.theme; document.body.dataset.jpThemeLight = 'false'")
    assert page.evaluate("getComputedStyle(document.querySelector('.tconv-explorer')).backgroundColor") == dark
    page.evaluate("delete document.body.dataset.jpThemeLight")
    page.emulate_media(color_scheme="dark")
    assert page.evaluate("getComputedStyle(document.querySelector('.tconv-explorer')).backgroundColor") == dark
    page.evaluate("document.documentElement.dataset.theme = 'light'")     # the reader chose light in the book
    assert page.evaluate("getComputedStyle(document.querySelector('.tconv-explorer')).backgroundColor") == light
    assert page.evaluate("document.querySelectorAll('style#tconv-explorer-style').length") == 1
    assert page.errors == []


def test_axe_light_and_dark_and_theme_switches(chromium, site):
    chromium.run(_check_axe_and_themes, site)


def _check_phone(browser, site):
    for name in ("ch02", "big"):
        page = open_page(browser, site + f"{name}.html", width=390, height=844)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        drawing_box = page.locator(".tc-scroll").bounding_box()
        assert drawing_box["x"] >= 0 and drawing_box["x"] + drawing_box["width"] <= 390, name
        page.get_by_label("stride", exact=True).focus()
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        assert page.errors == []


def test_phone_layout_does_not_scroll_sideways(chromium, site):
    chromium.run(_check_phone, site)


# On a phone, what a reader meets from the top, in the DOM (and keyboard) order that must also be the visual order.
PHONE_ORDER = [("label", "stride"), ("label", "padding"), ("label", "output_padding"), ("label", "dilation"),
               ("label", "preset"), ("label", "zero insertion"), ("button", "previous step"), ("css", ".tc-caption"),
               ("css", ".tc-scroll"), ("css", ".tc-formula"), ("css", ".tc-layer"), ("label", "input height"),
               ("label", "x[0, 0]"), ("label", "kernel height"), ("button", "copy link")]


def _check_phone_control_and_drawing(browser, site):
    for name in ("ch02", "big"):
        page = open_page(browser, site + f"{name}.html", width=390, height=844)
        find = {"label": lambda t: page.get_by_label(t, exact=True), "css": page.locator,
                "button": lambda t: page.get_by_role("button", name=t, exact=True)}
        handles = [find[how](what).element_handle() for how, what in PHONE_ORDER]
        # DOM order: each element comes after the one before (so Tab and screen readers meet them in this order)
        assert all(page.evaluate("([a, b]) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)", [a, b])
                   for a, b in zip(handles, handles[1:])), name
        tops = [h.bounding_box()["y"] for h in handles]
        assert all(b >= a - 1 for a, b in zip(tops, tops[1:])), (name, tops)    # ... and the visual order, top to bottom
        # the first screen holds the layer arguments AND the top of the drawing: change padding, see the effect
        padding = page.get_by_label("padding", exact=True).bounding_box()
        drawing_top = page.locator(".tc-drawing").bounding_box()["y"]
        assert padding["y"] + padding["height"] <= 844 - 150, (name, padding)
        assert drawing_top <= 844 - 150, (name, drawing_top)                     # at least 150 px of drawing show
        before = output_cells(page)
        page.get_by_label("padding", exact=True).fill("1")
        assert output_cells(page) < before and page.evaluate("scrollY") == 0, name
        # with the axes unlinked (eight fields) the page still does not scroll sideways
        page.get_by_label("link height and width", exact=True).uncheck()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        assert page.get_by_label("output_padding (width)", exact=True).bounding_box()["y"] < drawing_top + 200, name
        assert page.errors == []


def test_phone_shows_a_control_and_the_drawing_together(chromium, site):
    chromium.run(_check_phone_control_and_drawing, site)


def _check_big(browser, site):
    page = open_page(browser, site + "big.html")
    ho, wo = output_size(BIG)
    assert (ho, wo) == (44, 44) and output_cells(page) == ho * wo
    click_cell(page, "output", 20, 31)
    assert page.locator(".tc-sum").inner_text() == sum_text(BIG, 20, 31)
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label == f"output[20, 31] = {show(torch_output(BIG)[20, 31])}"
    page.evaluate("window.pad = [...document.querySelectorAll('.tconv-explorer label')]"
                  ".find((l) => l.textContent === 'padding').control")
    # to the next paint: a requestAnimationFrame callback runs just before the frame, a task queued from it just after
    change = """async (value) => { const t0 = performance.now(); pad.value = String(value);
        pad.dispatchEvent(new Event('input', {bubbles: true}));
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
        return performance.now() - t0; }"""
    nodes = page.evaluate("document.querySelector('.tc-drawing').querySelectorAll('*').length")
    cdp = page.context.new_cdp_session(page)
    for rate in (1, 4):                                  # 4: a phone's CPU, as DevTools throttles it
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        page.evaluate(change, 1)
        browser.start_tracing(page=page, categories=["devtools.timeline"])
        walls = [page.evaluate(change, value) for value in (0, 1, 0, 1, 0, 1, 0, 1)]
        events = json.loads(browser.stop_tracing())["traceEvents"]
        layout = sum(e.get("dur", 0) for e in events if e.get("name") == "Layout" and e.get("ph") == "X") / 1000 / len(walls)
        wall = sorted(walls)[len(walls) // 2]
        print(f"\nexplorer, control change on the biggest setting (44x44 output, {nodes} SVG nodes), CPU x{rate}: median "
              f"{wall:.1f} ms to the next paint (performance.now), layout {layout:.1f} ms per change (trace); "
              f"load average {os.getloadavg()[0]:.1f}")
        assert layout > 0 and len(walls) == 8          # measured, not a timed test: the figures go to the note
    assert nodes < 400, "the drawing stays a few hundred nodes (pointer surfaces and one cursor per panel, a text per row)"
    assert page.errors == []


def test_largest_configuration_stays_responsive(chromium, site):
    chromium.run(_check_big, site)


# Where each glyph lands, read back from the browser's own text layout (SVGTextContentElement positions), against where
# one position per glyph put it before text.mjs set the numbers as runs: a value's glyphs 0.6 em apart around its cell's
# centre (mostly blank rows, row and column numbers), a full row's slots cell/m apart (as textLength spread them).
GLYPHS = r"""() => {
  const worst = {full: 0, sparse: 0, columns: 0}, seen = {full: 0, sparse: 0, columns: 0}, blank = /[ \u2007]/;
  const note = (kind, got, want) => { seen[kind] += 1; worst[kind] = Math.max(worst[kind], Math.abs(got - want)); };
  const glyphs = (t) => [...t.textContent].map((ch, i) => [ch, t.getStartPositionOfChar(i).x]).filter(([ch]) => !blank.test(ch));
  for (const panel of document.querySelectorAll('.tc-drawing .tc-panel')) {
    const cols = Number(panel.dataset.cols), [gx, gy, w] = /^M([\d.]+) ([\d.]+)h([\d.]+)/.exec(
      panel.querySelector('.tc-grid').getAttribute('d')).slice(1).map(Number), cell = w / cols;
    for (const row of panel.querySelectorAll('.tc-v .tc-row')) {
      const values = row.dataset.values.split(','), size = Number(row.getAttribute('font-size'));
      if (row.hasAttribute('xml:space')) {                      // a full row: slot i at x + i·cell/m
        const m = row.textContent.length / cols, x = Number(row.getAttribute('x'));
        [...row.textContent].forEach((ch, i) => blank.test(ch) ||
          note('full', row.getStartPositionOfChar(i).x, x + i * cell / m));
        continue;
      }
      const parts = [row, ...[...panel.querySelectorAll('.tc-v .tc-part')]
        .filter((t) => t.getAttribute('y') === row.getAttribute('y'))];
      const got = parts.flatMap(glyphs).sort((a, b) => a[1] - b[1]);
      const want = values.flatMap((t, c) => [...t].map((ch, i) =>
        [ch, gx + c * cell + cell / 2 + (i - t.length / 2) * 0.6 * size]));
      if (got.map(([ch]) => ch).join('') !== want.map(([ch]) => ch).join('')) return {error: row.outerHTML};
      got.forEach(([, at], i) => note('sparse', at, want[i][1]));
    }
    const numbers = panel.querySelector('.tc-ix text:not(.tc-run)'), digit = numbers.getExtentOfChar(0).width;
    const fs = parseFloat(numbers.style.fontSize);
    const centres = [...panel.querySelectorAll('.tc-ix .tc-run')].flatMap(glyphs).map(([ch, at]) => at + digit / 2);
    const want = Array.from({length: cols}, (_, c) => [...String(c)].map((ch, i, all) =>
      gx + c * cell + cell / 2 + (i - (all.length - 1) / 2) * 0.6 * fs)).flat();
    if (centres.length !== want.length) return {error: panel.dataset.panel + ': column numbers'};
    centres.forEach((at, i) => note('columns', at, want[i]));
  }
  return {worst, seen};
}"""


def _check_text_runs(browser, site):
    for name in ("big", "ch02", "forward"):
        page = open_page(browser, site + f"{name}.html")
        for view in ("zero insertion", "scatter", "overlap", "forward pair"):
            page.get_by_label(view, exact=True).check()
            for step in ((0, 2) if view != "scatter" else (0, 3)):
                page.get_by_label("step", exact=True).fill(str(step))
                found = page.evaluate(GLYPHS)
                assert "error" not in found, (name, view, step, found)
                assert all(found["seen"][kind] for kind in ("full", "columns")), (name, view, found)
                assert max(found["worst"].values()) < 0.05, (name, view, step, found)     # px
        assert page.errors == []


def test_numbers_set_as_runs_land_where_one_position_per_glyph_put_them(chromium, site):
    chromium.run(_check_text_runs, site)


def _check_partial_redraw(browser, site):
    page = open_page(browser, site + "big.html")
    click_cell(page, "output", 20, 31)
    page.evaluate("window.cursor = document.activeElement")
    pad = page.get_by_label("padding", exact=True)
    # a change of setting redraws only what changed, without laying out in the middle of the script (focusing a new
    # cursor would force it): the focused cursor stays the same element
    browser.start_tracing(page=page, categories=["devtools.timeline"])
    page.evaluate("""() => { const pad = [...document.querySelectorAll('.tconv-explorer label')]
        .find((l) => l.textContent === 'padding').control;
      pad.value = '1'; pad.dispatchEvent(new Event('input', {bubbles: true}));
      return new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))); }""")
    events = [e for e in json.loads(browser.stop_tracing())["traceEvents"] if e.get("ph") == "X"]
    inputs = [e for e in events if e["name"] == "EventDispatch" and e["args"]["data"]["type"] == "input"]
    forced = [e for e in events if e["name"] in ("Layout", "UpdateLayoutTree") and any(
        s["tid"] == e["tid"] and s["ts"] <= e["ts"] <= s["ts"] + s["dur"] for s in inputs)]
    assert len(inputs) == 1 and forced == [], "the redraw forced a layout in the middle of the script"
    assert page.evaluate("document.activeElement === window.cursor && window.cursor.isConnected")
    assert page.locator(".tc-sum").inner_text() == sum_text({**BIG, "padding": [1, 1]}, 20, 31)
    # ... and draws what a fresh page of the same settings draws
    pad.fill("2")
    page.get_by_label("dilation", exact=True).fill("2")
    assert page.locator(".tc-error").inner_text() == ""
    link = page.evaluate("(s) => window.tconvTest.encodeState(s)", {**BIG, "padding": [2, 2], "dilation": [2, 2]})
    fresh = open_page(browser, site + f"big.html#tconv-ex={link}")
    click_cell(fresh, "output", 20, 31)
    assert drawing(fresh) == drawing(page)
    size = lambda p: {k: v for k, v in p.locator(".tc-drawing").bounding_box().items() if k in ("width", "height")}  # noqa: E731
    assert size(page) == size(fresh), "the drawing takes the size of the panels drawn, after a redraw as when fresh"
    assert page.errors == [] and fresh.errors == []


def test_a_redraw_changes_only_what_differs_and_matches_a_fresh_one(chromium, site):
    chromium.run(_check_partial_redraw, site)


# Every mutation a redraw makes under the drawing, by the <svg> it lands in (a panel's key, "tc-over" for the arrows
# and marks, "drawing" for the drawing's own box), with the attribute changed when that <svg> itself changed ("kernel
# style": moved): what a change of setting lays out and paints again.
WATCH = """() => { window.watch?.disconnect(); window.touched = [];
  window.watch = new MutationObserver((records) => records.forEach((r) => { const svg = r.target.closest?.('svg');
    const name = !svg ? 'drawing' : svg.dataset.panel ?? svg.getAttribute('class');
    window.touched.push(r.target === svg && r.type === 'attributes' ? `${name} ${r.attributeName}` : name); }));
  window.watch.observe(document.querySelector('.tc-drawing'),
                       {subtree: true, childList: true, attributes: true, characterData: true});
  window.kept = [...document.querySelectorAll('.tc-drawing > svg')]; }"""


def _check_one_svg_per_panel(browser, site):
    page = open_page(browser, site + "big.html")
    drawing = page.locator(".tc-drawing")
    assert drawing.get_attribute("role") == "group"
    assert drawing.get_attribute("aria-label") == ("zero insertion view: INPUT x, zeros inserted, processing image, "
                                                   "KERNEL (flipped), OUTPUT")
    # each panel is an <svg> of its own, named for assistive technology; the <svg> over them all (arrows, marks) is hidden
    svgs = page.evaluate("""[...document.querySelectorAll('.tc-drawing > svg')].map((s) => [s.getAttribute('class'),
        s.dataset.panel ?? null, s.getAttribute('role'), s.getAttribute('aria-label'), s.getAttribute('aria-hidden')])""")
    assert [row[1] for row in svgs] == ["input", "inserted", "processing", "kernel", "output", None]
    assert svgs[-1][0] == "tc-over" and svgs[-1][4] == "true"
    ho, wo = output_size(BIG)
    assert svgs[4] == ["tc-panel", "output", "group", f"OUTPUT, {ho}×{wo}", None]
    assert svgs[3][2] == "img" and svgs[3][3].startswith("KERNEL (flipped), 5×5")
    assert page.locator(".tc-drawing > svg.tc-panel").count() == 5
    assert page.get_by_role("group", name=f"OUTPUT, {ho}×{wo}", exact=True).count() == 1
    # a change of padding redraws the processing image and the output; the other panels' DOM is not touched
    click_cell(page, "output", 20, 31)
    page.evaluate("window.cursor = document.activeElement; window.notes = [...document.querySelectorAll('.tc-marks .tc-n')]")
    page.evaluate(WATCH)
    page.get_by_label("padding", exact=True).fill("1")
    touched = set(page.evaluate("window.touched"))
    # the kernel, below the processing image, moved up: only its place changed, what it shows was not drawn again
    assert {"processing", "output"} <= touched, touched
    others = {t for t in touched if t.split()[0] not in ("processing", "output", "tc-over", "drawing")}
    assert others == {"kernel style"}, touched
    assert page.evaluate("[...document.querySelectorAll('.tc-drawing > svg')].every((s, i) => s === window.kept[i])")
    # the ×weight notes on the processing image stay where they were: the same elements, not drawn again
    assert page.evaluate("""window.notes.length === 25 && window.notes.every((n, i) => n.isConnected &&
        n === document.querySelectorAll('.tc-marks .tc-n')[i])""")
    assert page.get_by_role("group", name=f"OUTPUT, {ho - 2}×{wo - 2}", exact=True).count() == 1
    # the cursor is the same element, and the keyboard still moves it
    assert page.evaluate("document.querySelector(\"[data-cell='output']\") === window.cursor")
    page.locator(".tc-drawing [data-cell='output']").focus()
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("output[20, 30] = ")
    # a step redraws only the panels whose picture changes at that step
    page.evaluate(WATCH)
    page.get_by_label("step", exact=True).fill("3")        # the border stage: kernel and output blank, input unchanged
    touched = set(page.evaluate("window.touched"))
    assert "input" not in touched and "inserted" not in touched, touched
    assert page.errors == []


def test_each_panel_is_its_own_svg_and_a_redraw_leaves_the_others_alone(chromium, site):
    chromium.run(_check_one_svg_per_panel, site)


# ----------------------------------------------------------------------------- issue 26: never a half answer, laptop, views
def _check_settings_change_returns_to_overview(browser, site):
    page = open_page(browser, site + "ch02.html")
    nxt = page.get_by_role("button", name="next step", exact=True)
    for _ in range(7):
        nxt.click()
    assert page.locator(".tc-caption").inner_text().startswith("Step 8 of 23")
    page.get_by_label("stride", exact=True).fill("3")
    cfg = {**PRESETS["ch02"], "stride": [3, 3]}
    ho, wo = output_size(cfg)
    assert page.locator(".tc-caption").inner_text().startswith(f"Step 1 of {6 + ho * wo + 1}: Overview")
    assert page.locator(".tc-status").get_attribute("role") == "status"
    assert page.locator(".tc-status").inner_text() == "Settings changed: back to the overview (step 1)."
    assert all(all(row) for row in row_values(page, "output")), "the overview shows the whole output"
    # chapter 1's scatter view: a setting changed mid-stamp shows the finished output, not a partial one "so far"
    one = open_page(browser, site + "ch01.html")
    for _ in range(4):
        one.get_by_role("button", name="next step", exact=True).click()
    assert "(so far)" in one.locator(".tc-drawing").text_content()
    one.get_by_label("stride", exact=True).fill("2")
    assert one.locator(".tc-caption").inner_text().startswith("Step 1 of 6: Overview")
    assert "(so far)" not in one.locator(".tc-drawing").text_content()
    want = torch_output({**PRESETS["ch01"], "stride": [2, 2]})
    assert row_values(one, "output") == [[show(v) for v in row] for row in want.tolist()]
    # reset restores the settings the explorer opened with
    one.get_by_role("button", name="reset", exact=True).click()
    assert one.get_by_label("stride", exact=True).input_value() == "1"
    assert one.locator(".tc-layer").inner_text() == "nn.ConvTranspose2d(1, 1, kernel_size=2, bias=False)"
    assert page.errors == [] and one.errors == []


def test_settings_change_returns_to_the_overview_and_says_so(chromium, site):
    chromium.run(_check_settings_change_returns_to_overview, site)


def _check_no_sum_before_its_step(browser, site):
    page = open_page(browser, site + "ch02.html")
    for _ in range(2):                                   # step 3: zeros inserted; no output cell computed yet
        page.get_by_role("button", name="next step", exact=True).click()
    click_cell(page, "output", 0, 0)
    cursor = page.locator(".tc-drawing [data-cell='output']")
    assert cursor.get_attribute("aria-label") == "output[0, 0]: not computed yet"
    assert page.locator(".tc-sum").inner_text() == "output[0, 0] is not computed yet: step 7 computes it."
    assert row_values(page, "output") == [[""] * 4] * 4, "the output is blank until its first cell's step"
    assert page.locator(".tc-marks .tc-n").count() == 0, "no ×weight notes on cells that are still blank"
    page.get_by_label("step", exact=True).fill("7")      # the slider: jump to step 8, output[0, 1]
    assert page.locator(".tc-caption").inner_text().startswith("Step 8 of 23: output[0, 1]")
    click_cell(page, "output", 0, 0)
    assert page.locator(".tc-sum").inner_text() == sum_text(PRESETS["ch02"], 0, 0)
    click_cell(page, "output", 2, 1)
    assert page.locator(".tc-sum").inner_text() == "output[2, 1] is not computed yet: step 16 computes it."
    # every cell's accessible name and the sum use the same numbering, PyTorch's: output[r, c], from 0
    click_cell(page, "output", 0, 1)
    assert page.locator(".tc-drawing [data-cell='output']").get_attribute("aria-label") == "output[0, 1] = 0"
    page.keyboard.press("ArrowDown")
    assert page.locator(".tc-drawing [data-cell='output']").get_attribute("aria-label") == "output[1, 1]: not computed yet"
    assert page.errors == []


def test_no_sum_is_shown_for_a_cell_not_yet_computed(chromium, site):
    chromium.run(_check_no_sum_before_its_step, site)


BOOK_COLUMN, BOOK_HEADER = 700, 64      # px: the book's text column and sticky header at 1280x800


def _check_laptop(browser, site):
    for name in sorted(n for n in PRESETS if n.startswith("ch")):
        page = open_page(browser, site + f"{name}.html", width=1280, height=800)
        page.add_style_tag(content=f"main{{width:{BOOK_COLUMN}px;margin:0 auto}}")
        steps = int(page.get_by_label("step", exact=True).get_attribute("max")) + 1
        for step in sorted({0, 1, steps // 2, steps - 1}):
            page.get_by_label("step", exact=True).fill(str(step))
            page.wait_for_timeout(50)                         # the ResizeObserver's redraw at the column width
            button = page.get_by_role("button", name="next step", exact=True).bounding_box()
            output = page.locator(".tc-drawing [data-panel='output']").bounding_box()
            scroll = page.locator(".tc-scroll").bounding_box()
            assert output["y"] + output["height"] - button["y"] <= 800 - BOOK_HEADER, (name, step, button, output)
            assert output["x"] + output["width"] <= scroll["x"] + scroll["width"] + 1, (name, step, "scroll sideways")
        assert page.errors == []


def test_laptop_shows_step_buttons_and_output_together(chromium, site):
    chromium.run(_check_laptop, site)


def _check_mount_before_insert(browser, site):
    page = open_page(browser, site + "ch02.html?detached")
    assert page.evaluate("document.querySelectorAll('#ex-late .tconv-explorer').length") == 1
    assert page.evaluate("document.querySelectorAll('style#tconv-explorer-style').length") == 1
    assert page.evaluate("document.getElementById('tconv-explorer-style').parentNode === document.head")
    fills = page.evaluate("""[...document.querySelectorAll('.tc-drawing .tc-cell')].slice(0, 3)
        .map((c) => getComputedStyle(c).fill)""")
    assert fills and all(f == "rgba(0, 0, 0, 0)" for f in fills), f"cells must stay transparent over their colours: {fills}"
    assert page.locator("[data-panel='input'] path[data-role='input']").evaluate("p => getComputedStyle(p).fill") == \
        "rgb(159, 210, 240)"
    assert page.errors == []


def test_mount_before_insert_keeps_the_colours(chromium, site):
    chromium.run(_check_mount_before_insert, site)


def _values(page, panel: str) -> list[list[float]]:
    return [[float(v.replace(MINUS, "-")) for v in row] for row in row_values(page, panel)]


def _check_forward_and_overlap(browser, site):
    for name in ("ch02", "ch04", "ch08", "ch10", "big", "forward"):
        cfg = {**state_of(BIG), **PAGES[name]}
        page = open_page(browser, site + f"{name}.html")
        page.get_by_label("forward pair", exact=True).check()
        out = torch_output(cfg)
        want = torch.nn.functional.conv2d(out[None, None], torch.tensor(cfg["weight"], dtype=torch.float64)[None, None],
                                          stride=tuple(cfg["stride"]), padding=tuple(cfg["padding"]),
                                          dilation=tuple(cfg["dilation"]))[0, 0]
        assert torch.equal(torch.tensor(_values(page, "conv"), dtype=torch.float64), want), name
        assert tuple(want.shape) == (len(cfg["x"]), len(cfg["x"][0])), f"{name}: Conv2d maps the output back to the input's size"
        caption = page.locator(".tc-caption").inner_text()
        sizes = [[(n - 1) * s - 2 * p + d * (k - 1) + 1 + extra for extra in range(s)] for n, k, s, p, d in zip(
            (len(cfg["x"]), len(cfg["x"][0])), (len(cfg["weight"]), len(cfg["weight"][0])), cfg["stride"], cfg["padding"],
            cfg["dilation"])]
        assert all(f"{h}×" in caption for h in sizes[0]) and all(f"×{w}" in caption for w in sizes[1]), (name, caption)
        page.get_by_label("overlap", exact=True).check()
        counts = _values(page, "counts")
        if cfg["dilation"] == [1, 1]:                     # the library's overlap_count has no dilation
            want = arithmetic.overlap_count((len(cfg["x"]), len(cfg["x"][0])), (len(cfg["weight"]), len(cfg["weight"][0])),
                                            tuple(cfg["stride"]), tuple(cfg["padding"]), tuple(cfg["output_padding"]))
            assert counts == want.tolist(), name
        assert [[len(terms(cfg, r, c)) for c in range(len(counts[0]))] for r in range(len(counts))] == counts, name
        if len(cfg["weight"][0]) > 1:
            click_cell(page, "kernel", 0, 1)
            reached = {(r, c) for r in range(len(counts)) for c in range(len(counts[0]))
                       if any(t[3] == (0, 1) for t in terms(cfg, r, c))}
            assert lit(page, "counts") == reached and reached, name
        assert page.errors == []


def test_forward_pair_and_overlap_agree_with_pytorch_and_the_library(chromium, site):
    chromium.run(_check_forward_and_overlap, site)


def _book_pages(folder: Path) -> Path:
    """A stand-in for the built book: _static/tconv-explorer.js and a chapter page holding two explorers' text/html."""
    from tconv_lib.explorer import BOOK_SCRIPT, classic_source, element_id, explorer, static_html
    (folder / "_static").mkdir(parents=True, exist_ok=True)
    (folder / BOOK_SCRIPT).write_text(classic_source(), encoding="utf-8")
    (folder / "chapters").mkdir(exist_ok=True)
    body = "".join(static_html(explorer(name), element_id(name)) for name in ("ch02", "ch08"))
    for page, root in (("chapters/page.html", ' data-content_root="../"'), ("outside.html", "")):
        (folder / page).write_text(f'<!doctype html><html lang="en"{root}><head><meta charset="utf-8"><title>book page</title>'
                                   f"</head><body><main><h1>Book page</h1>{body}</main></body></html>", encoding="utf-8")
    return folder


def _check_book_loader(browser, folder: Path):
    for url in ((folder / "chapters" / "page.html").as_uri(),):        # file://, as a reader opens a downloaded book
        page = open_page(browser, url)
        page.wait_for_function("document.querySelectorAll('.tconv-explorer .tc-drawing [data-cell]').length > 0 && "
                               "document.querySelectorAll('.tconv-explorer').length === 2")
        assert page.evaluate("document.querySelectorAll('script[data-tconv-explorer]').length") == 1, "loaded once per page"
        assert page.locator(".tconv-explorer").nth(1).get_by_label("overlap", exact=True).is_checked()
        assert page.locator(".tc-title").first.inner_text().startswith("Chapter 2: stride 2, padding 0")
        assert page.errors == []
    outside = open_page(browser, (folder / "outside.html").as_uri(), ready=False)
    assert "runs in the course book" in outside.locator("main").inner_text()


def test_book_loads_the_bundle_once_from_static(chromium, tmp_path):
    chromium.run(_check_book_loader, _book_pages(tmp_path))


def _japanese_book_pages(folder: Path) -> Path:
    """The Japanese book's stand-in: <html lang="ja">, one explorer made in Japanese, one whose state says English."""
    from tconv_lib.explorer import BOOK_SCRIPT, classic_source, element_id, explorer, static_html
    (folder / "_static").mkdir(parents=True, exist_ok=True)
    (folder / BOOK_SCRIPT).write_text(classic_source(), encoding="utf-8")
    (folder / "chapters").mkdir(exist_ok=True)
    body = static_html(explorer("ch02", lang="ja"), element_id("ch02")) + static_html(explorer("ch08"), element_id("ch08"))
    for page, root in (("chapters/page.html", ' data-content_root="../"'), ("outside.html", "")):
        (folder / page).write_text(f'<!doctype html><html lang="ja"{root}><head><meta charset="utf-8"><title>本のページ</title>'
                                   f"</head><body><main><h1>本のページ</h1>{body}</main></body></html>", encoding="utf-8")
    return folder


def _check_japanese_book(browser, folder: Path):
    page = open_page(browser, (folder / "chapters" / "page.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.tconv-explorer').length === 2")
    first, second = page.locator(".tconv-explorer").nth(0), page.locator(".tconv-explorer").nth(1)
    assert [first.get_attribute("lang"), second.get_attribute("lang")] == ["ja", "ja"], "the page's language wins"
    assert first.locator(".tc-title").inner_text().startswith("第2章：ストライド2、パディング0")
    assert second.locator(".tc-title").inner_text().startswith("第8章：")
    assert first.locator(".tc-caption").inner_text().startswith("ステップ1/23：概要：入力2×2 → ゼロ挿入3×3")
    assert first.get_by_role("button", name="次のステップ").count() == 1
    cell = first.locator(".tc-drawing [data-cell='output']")
    assert cell.get_attribute("aria-label").startswith("output[0, 0]")
    first.get_by_label("output_padding", exact=True).fill("2")       # stride 2, dilation 1: refused, in Japanese
    assert first.locator(".tc-error").inner_text() == (
        "PyTorchはこの設定を受け付けません：output_padding（2）はstride（2）かdilation（1）より小さくなければなりません。"
        "output_paddingは、このストライドのConv2dがこの入力サイズに写す出力サイズのうち、1つを選びます。"
        "その候補はストライド（dilationのほうが大きければdilation）の数しかないので、output_paddingはストライドか"
        "dilationより小さくなければなりません。描画は、最後の有効な設定のままです。")
    assert page.errors == []
    outside = open_page(browser, (folder / "outside.html").as_uri(), ready=False)
    assert "エクスプローラは、コースの本の中と、このセルを実行したあとのJupyterで動きます。" in \
        outside.locator("main").inner_text()


def test_japanese_book_pages_show_japanese_explorers(chromium, tmp_path):
    chromium.run(_check_japanese_book, _japanese_book_pages(tmp_path))
