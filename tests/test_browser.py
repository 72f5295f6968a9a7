"""The built HTML book in a real browser, offline: the explorer (tconv_lib.explorer) works with no
kernel behind it: its controls change the drawing and the output size as the formula says, with
the mouse and the keyboard; a focused output cell shows its sum; a permalink restores a
configuration; axe-core finds no critical or serious violation inside it, in every view. What
every page must do (load offline, render figures and maths, carry its launch and download links,
pass axe-core, fit a phone) is checked in one pass by test_book_pages.py, with this file's fixtures.

Uses Debian's Chromium (/usr/bin/chromium) driven by Playwright for Python; never downloads a
browser. Builds the book once per session unless _build/html is newer than every source;
TCONV_BOOK_HTML=/path/to/html tests an already built book instead (no build). axe-core comes
from npm (package.json; `make test` runs `npm ci`). Screenshots go to test-artifacts/ (gitignored).
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

pytestmark = [pytest.mark.browser, pytest.mark.book, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("TCONV_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SOURCE_DIRS = ("chapters", "exercises", "_offline", "_ext", "_static", "_templates")
STRIDE_PAGE = "chapters/02_stride"
# The chapters that open the explorer on their own preset (tconv_lib.explorer.PRESETS).
EXPLORER_PAGES = ["chapters/01_what_is_transposed_convolution", "chapters/02_stride", "chapters/03_padding",
                  "chapters/04_output_padding", "chapters/05_complete_formula", "chapters/08_checkerboard_artifacts",
                  "chapters/10_dcgan_generator"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PREBUILT = os.environ.get("TCONV_BOOK_HTML")
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def toc_pages() -> list[str]:
    """Every document of _toc.yml (root first), without suffix, in book order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("chapters"))
            walk(entry.get("sections"))
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return pages


PAGES = toc_pages()


# ----------------------------------------------------------------------------- the built book
def _newest(paths) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def _sources() -> list[Path]:
    files = [p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*") if ".ipynb_checkpoints" not in p.parts]
    return files + [p for p in ROOT.iterdir() if p.suffix in (".md", ".yml", ".ipynb")]


@pytest.fixture(scope="session")
def book() -> Path:
    """_build/html, rebuilt (once per session) when a source is newer than the last build."""
    if PREBUILT:
        if not (Path(PREBUILT) / "index.html").is_file():
            pytest.fail(f"TCONV_BOOK_HTML={PREBUILT} holds no index.html")
        return Path(PREBUILT)
    if not (HTML / "index.html").is_file() or _newest(_sources()) > _newest(HTML.rglob("*")):
        jb = Path(sys.executable).with_name("jupyter-book")
        result = subprocess.run([str(jb), "build", ".", "--keep-going"], cwd=ROOT, capture_output=True,
                                text=True, timeout=1800)
        if result.returncode != 0 or not (HTML / "index.html").is_file():
            pytest.fail(f"jupyter-book build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return HTML


def test_built_pages_load_no_script_or_stylesheet_from_other_hosts(book):
    """The HTML itself names no CDN for what it needs (scripts, stylesheets, fonts)."""
    needed = re.compile(r'<(script|link)\b[^>]*\b(src|href)="((?:https?:)?//[^"]+)"[^>]*>', re.I)
    offenders = {}
    for name in PAGES:
        html = (book / f"{name}.html").read_text(encoding="utf-8")
        found = [m.group(3) for m in needed.finditer(html)
                 if m.group(1).lower() == "script" or re.search(r'rel="(stylesheet|preload|icon)"', m.group(0))]
        if found:
            offenders[name] = found
    assert not offenders, f"pages load files from other hosts: {offenders}"


# ----------------------------------------------------------------------------- browser and server
class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):   # keep pytest output clean
        pass

    def do_GET(self):
        # Browsers ask every host for /favicon.ico on their own; the book links no favicon,
        # so answer "no content" instead of logging a 404 the book did not cause.
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture(scope="session")
def server(book):
    """The built book on http://127.0.0.1:<free port>/."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(book)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install playwright); browser tests skipped")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser tests skipped")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


SETTLED = """() => {
    const typeset = window.MathJax && MathJax.startup && MathJax.startup.promise;
    window.tconvSettled = false;
    Promise.all([typeset || true, document.fonts.ready]).then(() => { window.tconvSettled = true; });
}"""


def settle(page) -> None:
    """Wait for what a page draws after it loads: maths typeset (MathJax's startup promise), web
    fonts loaded, and each explorer drawn in its host (30 s at most for each)."""
    page.evaluate(SETTLED)
    page.wait_for_function("() => window.tconvSettled === true", timeout=30_000)
    hosts = page.locator(".tconv-explorer-host").count()
    if hosts:
        page.wait_for_function("n => document.querySelectorAll('.tconv-explorer-host .tconv-explorer').length >= n",
                               arg=hosts, timeout=30_000)


class Visit:
    """One page opened offline: console errors, requests to other hosts and failed local requests."""

    def __init__(self, browser, base: str, name: str, **context):
        self.base, self.errors, self.external, self.failed = base, [], [], []
        context = {"viewport": {"width": 1280, "height": 1000}, **context}
        self.context = browser.new_context(service_workers="block", **context)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.pending = set()     # requests started and not yet finished or failed
        self.page.on("request", lambda req: self.pending.add(req))
        self.page.on("requestfinished", lambda req: self.pending.discard(req))
        self.page.on("requestfailed", lambda req: self.pending.discard(req))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.page.on("requestfailed", lambda req: self._local(req.url) and self.failed.append(req.url))
        self.page.on("response", lambda res: res.status >= 400 and self.failed.append(f"{res.status} {res.url}"))
        self.page.goto(base + f"{name}.html", wait_until="load")
        self._settle()

    def _local(self, url: str) -> bool:
        return url.startswith(self.base)

    def _route(self, route):
        url = route.request.url
        if urlparse(url).scheme in ("http", "https") and not self._local(url):
            self.external.append(url)
            route.abort()     # offline: the page must not need it
        else:
            route.continue_()

    def _settle(self):
        """Wait until the page has rendered (see ``settle``) and every request it made has ended."""
        settle(self.page)
        deadline = time.monotonic() + 30
        while self.pending:      # request events arrive while Playwright waits, so wait in short steps
            if time.monotonic() > deadline:
                pytest.fail(f"requests of the page still open after 30 s: {sorted(r.url for r in self.pending)}")
            self.page.wait_for_timeout(20)

    def close(self):
        self.context.close()


@pytest.fixture()
def visit(browser, server):
    opened = []

    def _open(name: str, **context) -> Visit:
        opened.append(Visit(browser, server, name, **context))
        return opened[-1]
    yield _open
    for v in opened:
        v.close()


# ----------------------------------------------------------------------------- every page
def _expected_links(name: str) -> dict:
    repo = CONFIG["repository"]
    slug = urlparse(repo["url"]).path.strip("/")
    path = "/".join(p for p in (repo.get("path_to_book", "").strip("/"), f"{name}.ipynb") if p)
    launch = CONFIG.get("launch_buttons", {})
    return {
        "colab": f"{launch['colab_url'].rstrip('/')}/github/{slug}/blob/{repo['branch']}/{path}",
        "binder": f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{slug}/{repo['branch']}?urlpath=tree/{path}",
    }


# ----------------------------------------------------------------------------- the explorer
def _explorer_pages() -> list[str]:
    return [name for name in EXPLORER_PAGES if name in PAGES]


def test_explorer_pages_have_an_explorer_and_no_widget_manager(book):
    """Each chapter with a preset shows an explorer; no page loads require.js or html-manager."""
    for name in _explorer_pages():
        html = (book / f"{name}.html").read_text(encoding="utf-8")
        assert html.count('class="tconv-explorer-host"') == 1, f"{name}: expected one explorer"
    for name in PAGES:
        html = (book / f"{name}.html").read_text(encoding="utf-8")
        loaded = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', html)
        widgetry = [src for src in loaded if re.search(r"require(\.min)?\.js|embed-amd|html-manager", src)]
        assert not widgetry, f"{name} loads the ipywidgets renderer: {widgetry}"


def _explorer_state(root) -> dict:
    """The output panel's size (its one surface carries data-rows and data-cols), formula, drawing and error."""
    return root.evaluate("""el => { const out = el.querySelector('[data-panel="output"]');
        return {outputs: out.dataset.rows * out.dataset.cols, rows: Number(out.dataset.rows),
                formula: el.querySelector('.tc-formula').textContent,
                drawing: el.querySelector('.tc-drawing').innerHTML,
                error: el.querySelector('.tc-error').textContent}; }""")


def _wait_for_outputs(page, root, count: int):
    page.wait_for_function("([el, n]) => { const o = el.querySelector('[data-panel=\"output\"]');"
                           " return Boolean(o) && o.dataset.rows * o.dataset.cols === n; }",
                           arg=[root.element_handle(), count], timeout=10_000)


def _expected_side(stride: int) -> int:
    """Chapter 2's preset (2x2 input, 2x2 kernel, padding 0) with another stride, by the size formula."""
    from tconv_lib.foundations.arithmetic import conv_transpose_output_size
    return conv_transpose_output_size(2, 2, stride=stride)


def _stride_page(visit) -> tuple:
    """Chapter 2's page opened: (the Visit, its page, the first explorer, its stride control)."""
    if STRIDE_PAGE not in PAGES:
        pytest.skip(f"{STRIDE_PAGE} is not in _toc.yml")
    v = visit(STRIDE_PAGE)
    root = v.page.locator(".tconv-explorer").first
    return v, v.page, root, root.get_by_label("stride", exact=True)


def test_explorer_stride_control_mouse_and_keyboard(visit):
    v, page, root, stride = _stride_page(visit)
    assert stride.count() == 1, "no control with the accessible name 'stride'"
    stride.scroll_into_view_if_needed()
    before = _explorer_state(root)
    assert before["outputs"] == _expected_side(2) ** 2

    stride.focus()                                      # keyboard: arrow up, 2 -> 3
    page.keyboard.press("ArrowUp")
    _wait_for_outputs(page, root, _expected_side(3) ** 2)
    after_keys = _explorer_state(root)
    assert stride.input_value() == "3"
    assert after_keys["rows"] == _expected_side(3)
    assert after_keys["drawing"] != before["drawing"], "the drawing did not change with the stride"
    assert all(line.strip().endswith(f"= {_expected_side(3)}") for line in after_keys["formula"].split("\n")
               if "_out" in line), after_keys["formula"]

    box = stride.bounding_box()                         # mouse: the field's step-up arrow, 3 -> 4
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] - 7, box["y"] + box["height"] * 0.28)
    _wait_for_outputs(page, root, _expected_side(4) ** 2)
    assert stride.input_value() == "4"
    assert _explorer_state(root)["drawing"] != after_keys["drawing"]
    ARTIFACTS.mkdir(exist_ok=True)
    root.screenshot(path=str(ARTIFACTS / "explorer-02_stride-stride4.png"))
    assert not v.errors and not v.external, (v.errors, v.external)


def test_explorer_focused_output_cell_shows_its_sum(visit):
    import torch
    import torch.nn.functional as F

    from tconv_lib.explorer import PRESETS
    v, page, root, stride = _stride_page(visit)
    stride.focus()
    page.keyboard.press("ArrowDown")                    # stride 1: four stamps overlap in the centre
    _wait_for_outputs(page, root, _expected_side(1) ** 2)
    preset = PRESETS["ch02"]
    want = F.conv_transpose2d(torch.tensor(preset["x"], dtype=torch.float64)[None, None],
                              torch.tensor(preset["weight"], dtype=torch.float64)[None, None])[0, 0]
    for r, c in ((1, 1), (0, 2)):
        cursor = root.locator('[data-cell="output"]')    # the output panel's one focusable cell; arrow keys move it
        cursor.focus()
        for key in ["ArrowUp"] * 8 + ["Home"] + ["ArrowDown"] * r + ["ArrowRight"] * c:
            page.keyboard.press(key)
        assert cursor.evaluate("el => el === document.activeElement")
        assert (cursor.get_attribute("data-row"), cursor.get_attribute("data-col")) == (str(r), str(c))
        page.wait_for_function("el => el.textContent.includes('=')", arg=root.locator(".tc-sum").element_handle())
        text = root.locator(".tc-sum").text_content()
        value = text.rsplit("=", 1)[1].strip().replace("\u2212", "-")
        assert float(value) == want[r, c].item(), f"output[{r}, {c}]: {text!r}, PyTorch {want[r, c].item()}"
    assert root.locator(".tc-sum").text_content().count("·") >= 1
    assert not v.errors and not v.external, (v.errors, v.external)


def test_explorer_permalink_restores_the_configuration(visit, server):
    v, page, root, stride = _stride_page(visit)
    stride.fill("3")
    root.get_by_label("padding", exact=True).fill("1")
    expected = conv_size = _expected_side(3) - 2   # padding 1 crops a row and a column on each side
    _wait_for_outputs(page, root, conv_size ** 2)
    root.get_by_role("button", name="copy link").click()
    link = root.get_by_label("link", exact=True)
    page.wait_for_function("el => el.value.includes('#tconv-')", arg=link.element_handle())
    url = link.input_value()
    assert url.startswith(server) and "#tconv-explorer-ch02-1=" in url, url

    again = visit(STRIDE_PAGE)                          # a fresh browser context, the page opened at the link
    again.page.goto(url)
    again.page.reload()
    root2 = again.page.locator(".tconv-explorer").first
    _wait_for_outputs(again.page, root2, expected ** 2)
    assert root2.get_by_label("stride", exact=True).input_value() == "3"
    assert root2.get_by_label("padding", exact=True).input_value() == "1"
    assert not again.errors and not again.external, (again.errors, again.external)


def _axe(page) -> list[dict]:
    """Critical and serious axe-core violations inside the explorers of the page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run({include: [['.tconv-explorer']]}, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                       where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in ("critical", "serious")]


@pytest.mark.parametrize("name", EXPLORER_PAGES)
def test_explorer_has_no_serious_accessibility_violations(visit, name):
    if name not in PAGES:
        pytest.skip(f"{name} is not in _toc.yml")
    if not AXE.is_file():
        pytest.skip(f"axe-core not installed ({AXE} missing): run `npm ci` (make test does)")
    v = visit(name)
    found = {"opened": _axe(v.page)}
    if name == STRIDE_PAGE:                             # every view, and a focused output cell
        root = v.page.locator(".tconv-explorer").first
        for view in ("scatter", "dependencies"):
            root.get_by_label(view, exact=True).check()
            root.locator('[data-cell="output"]').first.focus()
            found[view] = _axe(v.page)
    assert not any(found.values()), f"{name}: axe-core violations inside the explorer: {found}"
    assert not v.errors and not v.external, (v.errors, v.external)


