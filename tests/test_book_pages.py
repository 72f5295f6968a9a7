"""Every page of the built book, the theme's own parts included: axe-core finds no critical or
serious violation in light mode, nor a colour one in dark mode (html[data-theme="dark"], on one
page of each kind), and on
a 390 px phone the page does not scroll sideways (code, output and maths boxes may scroll inside
themselves; the page may not); and the pages are light on a first visit: tools/page_weight.py's goals
for the median and the heaviest page, measured on the requests each page made in this pass, with no
Font Awesome anywhere and the search index on the search page only.

One Chromium, one tab per viewport, reused from page to page: each page loads twice in all
(desktop for axe, phone for the width), once for both tests. The built book, its server, the
Chromium command line and the offline routing come from test_browser.py
(TCONV_BOOK_HTML=/path/to/html tests an already built book).
"""
from __future__ import annotations

import json
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import test_browser
from test_browser import AXE, CHROMIUM, CHROMIUM_ARGS, PAGES, ROOT, Visit

sys.path.insert(0, str(ROOT / "tools"))
import page_weight  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.book, pytest.mark.slow]

# test_browser.py's fixtures: the built book and its local server.
book, server = test_browser.book, test_browser.server

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 1000}, "color_scheme": "light"}
# Pages Sphinx writes beyond _toc.yml's; checked when the build has them.
GENERATED = ["genindex", "search"]
# In dark mode only colours change, so only the rules that read colours run again, on one page of
# each kind (the styles are the same on every page of a kind): the landing page, a chapter with an
# explorer, a chapter with figures and asides, exercise pages, the guide, the bibliography.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
DARK_PAGES = {"intro", "chapters/02_stride", "chapters/06_upscaling_a_real_image", "exercises/07_alternatives",
              "exercises/09_misconceptions", "chapters/instructor_guide", "references"}
# The theme fades colours between modes; axe must read the final ones.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"
MODE = "m => { document.documentElement.dataset.mode = m; document.documentElement.dataset.theme = m; }"

# Highlighted code is most of a chapter's elements (4,774 of 7,459 in chapter 11), one <span> per
# token, and the tokens of one kind in one kind of block share their colours. Before axe runs, one
# token of each kind (its classes and its block's) keeps its <span>; the others become plain text of
# their block, whose own colours are checked too. The colour rules run ~3x faster; no other rule has
# anything to check on a token's <span>.
SAMPLE_CODE_TOKENS = """() => {
    const seen = new Set();
    for (const token of Array.from(document.querySelectorAll('div.highlight pre > span'))) {
        const block = token.closest('div[class*="highlight-"]');
        const key = (block ? block.className : '') + '|' + token.className;
        if (seen.has(key)) token.replaceWith(token.textContent);
        else seen.add(key);
    }
}"""

SERIOUS = """async options => {
    const r = await axe.run(document, {...options, resultTypes: ['violations']});
    return r.violations.filter(v => v.impact === 'critical' || v.impact === 'serious').map(v => ({
        id: v.id, impact: v.impact, nodes: v.nodes.length,
        where: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': '
                                            + ((n.any[0] || n.all[0] || n.none[0] || {}).message || ''))}));
}"""

WIDTH = """() => {
    const width = document.documentElement.clientWidth;
    const scroll = document.documentElement.scrollWidth;
    if (scroll <= width) return null;
    // What sticks out, outside any box that scrolls or clips on its own.
    const clipped = el => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        return false;
    };
    const culprits = Array.from(document.querySelectorAll('article *')).filter(el => {
        const r = el.getBoundingClientRect();
        return r.right > width + 1 && !clipped(el);
    }).slice(-4).map(el => `<${el.tagName.toLowerCase()} class="${el.className}"> ` + el.textContent.trim().slice(0, 50));
    return {scroll, width, culprits};
}"""


class Tab(Visit):
    """A Visit that stays open and moves from page to page (one tab per viewport, not one per page)."""

    def __init__(self, browser, base: str, **context):
        self.base, self.errors, self.external, self.failed, self.pending = base, [], [], [], set()
        self.context = browser.new_context(service_workers="block", **context)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.requested = []      # URLs the current page requested (routing is on, so nothing is cached)
        self.page.on("request", lambda req: self.requested.append(req.url))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.page.on("requestfailed", lambda req: self._local(req.url) and self.failed.append(req.url))
        self.page.on("response", lambda res: res.status >= 400 and self.failed.append(f"{res.status} {res.url}"))

    def open(self, name: str):
        self.requested.clear()
        self.page.goto(self.base + f"{name}.html", wait_until="load")
        # What Visit._settle waits for, without its wait for every request to end (axe runs next):
        # maths typeset, web fonts ready, explorers drawn.
        test_browser.settle(self.page)
        return self.page


AXE_URL = "__axe-core__/axe.min.js"   # served from node_modules, not from the book


RENDERED = """() => ({
    images: Array.from(document.querySelectorAll('article img')).filter(img => !(img.complete && img.naturalWidth > 0))
        .map(img => img.currentSrc.slice(0, 80)),
    maths: document.querySelectorAll('.math').length,
    typeset: document.querySelectorAll('mjx-container').length,
    texErrors: document.querySelectorAll('mjx-merror').length,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
})"""


def _offline(tab: Tab, name: str) -> list[str]:
    """What the page failed to show offline: images, maths, its launch and download links."""
    shown, problems = tab.page.evaluate(RENDERED), []
    if shown["images"]:
        problems.append(f"images missing or empty: {shown['images']}")
    if shown["maths"] and (not shown["typeset"] or shown["texErrors"]):
        problems.append(f"MathJax: {shown['typeset']} typeset, {shown['texErrors']} TeX errors")
    source = test_browser.ROOT / f"{name}.ipynb"
    if source.is_file():          # notebook pages: download the .ipynb, launch it on Colab / Binder
        expected = test_browser._expected_links(name)
        problems += [f"no {kind} link {url}" for kind, url in expected.items() if url not in shown["links"]]
        download = [h for h in shown["links"] if h.startswith(tab.base) and h.endswith(f"_sources/{name}.ipynb")]
        if not download:
            problems.append(f"no download link to _sources/{name}.ipynb")
        else:
            served = json.loads(tab.page.request.get(download[0]).text())
            if len(served["cells"]) != len(json.loads(source.read_text())["cells"]):
                problems.append("the downloadable notebook is not the page's notebook")
    return problems


def _desktop_checks(tab: Tab, name: str, found: dict, axe: bool, colour: bool = True) -> dict:
    """Open ``name``: record what it fails to show offline, then (with axe-core) its violations, the colour
    rules only where ``colour``."""
    page = tab.open(name)
    if problems := _offline(tab, name):
        found["offline"][name] = problems
    if not axe:
        return {}
    page.add_script_tag(url=tab.base + AXE_URL)   # a URL, not inline: Chromium compiles it once
    page.add_style_tag(content=NO_TRANSITIONS)
    page.evaluate(MODE, "light")
    page.evaluate(SAMPLE_CODE_TOKENS)
    light = page.evaluate(SERIOUS, {} if colour else {"rules": {rule: {"enabled": False} for rule in COLOUR_RULES}})
    dark = []
    if name in DARK_PAGES:
        page.evaluate(MODE, "dark")
        dark = page.evaluate(SERIOUS, {"runOnly": {"type": "rule", "values": COLOUR_RULES}})
    return {"light": light, "dark": dark} if light or dark else {}


def _visit_every_page(base: str, root: Path, pages: list[str], axe: bool, kinds: set[str] | None = None) -> dict:
    """Every page at desktop width (offline checks, axe-core) and at phone width. With ``kinds``, only
    those pages get the colour rules and the phone (the others share their styles and layout)."""
    from playwright.sync_api import sync_playwright
    found = {"axe": {}, "wide": {}, "offline": {}, "errors": [], "external": [], "failed": [], "requested": {}}
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desktop, phone = Tab(chromium, base, **DESKTOP), Tab(chromium, base, **PHONE)
        desktop.context.route(f"**/{AXE_URL}", lambda route: route.fulfill(
            path=str(AXE), headers={"content-type": "text/javascript", "cache-control": "max-age=3600"}))
        for name in pages:
            every = kinds is None or name in kinds
            if report := _desktop_checks(desktop, name, found, axe, colour=every):
                found["axe"][name] = report
            found["requested"][name] = {path for url in desktop.requested
                                        if (path := page_weight.local_path(url, root / f"{name}.html", root))}
            if every and (wide := phone.open(name).evaluate(WIDTH)):
                found["wide"][name] = wide
        for tab in (desktop, phone):
            found["errors"] += tab.errors
            found["external"] += tab.external
            found["failed"] += tab.failed
        chromium.close()
    return found


@pytest.fixture(scope="module")
def findings(book: Path, server: str) -> dict:
    """axe-core's findings and the pages too wide for a phone, from one pass over the book."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install playwright); browser tests skipped")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser tests skipped")
    pages = PAGES + [name for name in GENERATED if (book / f"{name}.html").is_file()]
    # Playwright's sync API runs one instance per thread, and test_browser.py's session browser
    # may be open on this one: this pass gets a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        found = pool.submit(_visit_every_page, server, book, pages, AXE.is_file()).result()
    found["axe_ran"] = AXE.is_file()
    return found


def test_every_page_has_no_serious_accessibility_violation_in_light_or_dark_mode(findings):
    if not findings["axe_ran"]:
        pytest.skip(f"axe-core not installed ({AXE} missing): run `npm ci` (make test does)")
    report = findings["axe"]
    assert not report, f"axe-core: critical or serious violations on {len(report)} pages: {report}"


def test_no_page_scrolls_sideways_on_a_phone(findings):
    wide = findings["wide"]
    assert not wide, f"{len(wide)} pages scroll sideways at 390 px: {wide}"


def test_every_page_works_offline(findings):
    """No script error, no request to another host or failed local one; images, maths and the
    notebook pages' Colab, Binder and download links all there."""
    assert not findings["errors"], f"JavaScript errors: {findings['errors']}"
    assert not findings["external"], f"requests to other hosts (the book must not need them): {findings['external']}"
    assert not findings["failed"], f"failed local requests: {findings['failed']}"
    assert not findings["offline"], f"pages that do not work offline: {findings['offline']}"


def test_every_page_is_light_on_a_first_visit(findings, book):
    """tools/page_weight.py's goals on the pages' recorded requests plus their figures, and no page
    loads Font Awesome or, apart from the search page, the search index."""
    weights = {name: page_weight.total(page_weight.weigh(book, name, requested))
               for name, requested in findings["requested"].items()}
    median, heaviest, most = page_weight.summary(weights)
    kb = page_weight.KB
    assert median <= page_weight.GOAL_MEDIAN_KB * kb, f"median page {median / kb:.0f} KB: {weights}"
    assert most <= page_weight.GOAL_HEAVIEST_KB * kb, f"{heaviest} weighs {most / kb:.0f} KB"
    loaded = {name: sorted(p.name for p in requested) for name, requested in findings["requested"].items()}
    fonts = {name: [f for f in files if "fontawesome" in f or f.startswith("fa-")] for name, files in loaded.items()}
    assert not any(fonts.values()), f"pages load Font Awesome: {fonts}"
    search = [name for name, files in loaded.items() if "searchindex.js" in files and name != "search"]
    assert not search, f"pages other than search.html load the search index: {search}"
