"""The built HTML book in a real browser, offline: every page loads without JavaScript errors or
requests to other hosts, figures and maths render, launch/download links point at the right
notebooks, and the stepper on the stride chapter moves with no kernel behind it.

Uses Debian's Chromium (/usr/bin/chromium) driven by Playwright for Python; never downloads a
browser. Builds the book once per session unless _build/html is newer than every source.
Screenshots of the stepper go to test-artifacts/ (gitignored).
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("TCONV_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SOURCE_DIRS = ("chapters", "exercises", "_offline", "_ext")
STRIDE_PAGE = "chapters/02_stride"
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


class Visit:
    """One page opened offline: console errors, requests to other hosts and failed local requests."""

    def __init__(self, browser, base: str, name: str):
        self.base, self.errors, self.external, self.failed = base, [], [], []
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000}, service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
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
        """Wait for widgets and maths to render, and for the network to go quiet."""
        page = self.page
        views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
        if views:
            page.wait_for_function(f"document.querySelectorAll('.widget-subarea').length >= {views}",
                                   timeout=30_000)
        if page.locator(".math").count():
            page.wait_for_function("document.querySelectorAll('mjx-container').length > 0", timeout=30_000)
        page.wait_for_load_state("networkidle")

    def close(self):
        self.context.close()


@pytest.fixture()
def visit(browser, server):
    opened = []

    def _open(name: str) -> Visit:
        opened.append(Visit(browser, server, name))
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


@pytest.mark.parametrize("name", PAGES)
def test_page_works_offline(visit, name):
    v = visit(name)
    page = v.page
    assert not v.errors, f"{name}: JavaScript console errors: {v.errors}"
    assert not v.external, f"{name}: requests to other hosts (blocked, the page must not need them): {v.external}"
    assert not v.failed, f"{name}: failed local requests: {v.failed}"

    images = page.evaluate("""() => Array.from(document.querySelectorAll('article img')).map(
        img => ({src: img.currentSrc.slice(0, 80), complete: img.complete, width: img.naturalWidth}))""")
    empty = [img for img in images if not (img["complete"] and img["width"] > 0)]
    assert not empty, f"{name}: images missing or empty: {empty}"
    if page.locator(".math").count():
        assert page.locator("mjx-container").count() > 0, f"{name}: MathJax did not render"
        assert page.locator("mjx-merror").count() == 0, f"{name}: MathJax reports TeX errors"

    source = ROOT / f"{name}.ipynb"
    if source.is_file():          # notebook pages: download the .ipynb, launch it on Colab / Binder
        hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        expected = _expected_links(name)
        assert expected["colab"] in hrefs, f"{name}: no Colab link {expected['colab']} in {hrefs}"
        assert expected["binder"] in hrefs, f"{name}: no Binder link {expected['binder']}"
        download = [h for h in hrefs if h.startswith(v.base) and h.endswith(f"_sources/{name}.ipynb")]
        assert download, f"{name}: no download link to _sources/{name}.ipynb"
        response = page.request.get(download[0])
        assert response.ok
        served = json.loads(response.text())
        assert len(served["cells"]) == len(json.loads(source.read_text())["cells"])


# ----------------------------------------------------------------------------- the stepper
def _visible_frame(box) -> dict:
    """The stepper's overview and current frame: the images of the box that are displayed."""
    return box.evaluate("""el => Array.from(el.querySelectorAll('img'))
        .filter(img => img.offsetParent !== null && img.naturalWidth > 0).map(img => img.src)""")


def test_stride_stepper_steps_without_a_kernel(visit):
    if STRIDE_PAGE not in PAGES:
        pytest.skip(f"{STRIDE_PAGE} is not in _toc.yml yet")
    v = visit(STRIDE_PAGE)
    page = v.page
    box = page.locator(".widget-vbox").filter(has=page.locator(".widget-slider")).first
    assert box.count() == 1, "no stepper (a widget box with a slider) on the stride chapter"
    box.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    handle = box.locator(".noUi-handle").first
    shots, frames = [], []
    handle.focus()
    for presses in (0, 3, 3, None):            # steps 0, 3, 6, then the last step
        if presses is None:
            page.keyboard.press("End")
        for _ in range(presses or 0):
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        step = int(float(handle.get_attribute("aria-valuenow")))
        shots.append(box.screenshot(path=str(ARTIFACTS / f"stepper-{STRIDE_PAGE.split('/')[-1]}-step{step:02d}.png")))
        frames.append((step, _visible_frame(box)))
    steps = [s for s, _ in frames]
    assert steps[0] == 0 and steps[1] > 0 and steps[-1] > steps[1], f"slider did not move: {steps}"
    assert len({tuple(f) for _, f in frames}) == len(frames), "the frame shown did not change with the slider"
    assert len(set(shots)) == len(shots), "screenshots at different steps are identical"

    page.keyboard.press("Home")
    box.locator(".widget-play button").first.click()          # play: the slider advances by itself
    page.wait_for_function("el => Number(el.getAttribute('aria-valuenow')) >= 2", arg=handle.element_handle(),
                           timeout=15_000)
    assert not v.errors, f"errors while stepping: {v.errors}"
