"""The Japanese book in _build/html/ja/: lang="ja", the language switch on every page of both editions,
launch and download links to the Japanese notebooks, Japanese search, and (in Chromium) axe-core on every
Japanese page, with tests/test_book_pages.py's pass (colour rules and 390 px phones on a page of each kind).

`make book` builds both editions; here the Japanese one is rebuilt (tools/i18n book) when a Japanese
source or the machinery is newer than it.
"""
from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlparse

import nbformat
import pytest
import test_book_pages
import test_browser
from test_browser import AXE, CHROMIUM, CHROMIUM_ARGS, ROOT

sys.path.insert(0, str(ROOT / "tools"))
from i18n import BOOK_DIR, LOCALE, translated_sources  # noqa: E402
from i18n.build import book_url  # noqa: E402
from i18n.glossary import terms  # noqa: E402
from i18n.switch import MARK, add_switches, pages  # noqa: E402

pytestmark = [pytest.mark.book, pytest.mark.slow]
book, server = test_browser.book, test_browser.server
JA_PAGES = [s.rsplit(".", 1)[0] for s in translated_sources()]
NOTEBOOK_PAGES = [s.rsplit(".", 1)[0] for s in translated_sources() if s.endswith(".ipynb")]
SWITCH = re.compile(r'<p class="' + MARK + r'"[^>]*><a href="(?P<href>[^"]+)" hreflang="(?P<lang>\w+)"[^>]*>'
                    r'(?P<text>[^<]+)</a></p>')


def _newest(paths) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


@pytest.fixture(scope="session")
def ja_book(book: Path) -> Path:
    """_build/html/ja, rebuilt when locale/ or tools/i18n/ is newer (the English book first, by test_browser)."""
    out = book / "ja"
    sources = list(LOCALE.rglob("*")) + list((ROOT / "tools" / "i18n").rglob("*.py"))
    if not (out / "intro.html").is_file() or _newest(sources) > _newest(out.rglob("*.html")):
        done = subprocess.run([sys.executable, str(ROOT / "tools" / "i18n"), "book"], cwd=ROOT,
                              capture_output=True, text=True, timeout=900)
        if done.returncode:
            pytest.fail(f"tools/i18n book failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    add_switches(book, out, book_url())   # again: test_browser's fixture may have rebuilt English pages
    return out


def test_japanese_pages_say_they_are_japanese(ja_book):
    for name in JA_PAGES:
        html = (ja_book / f"{name}.html").read_text(encoding="utf-8")
        assert '<html lang="ja"' in html, name


def test_japanese_pages_use_the_glossary_forms(ja_book):
    """No avoided form in what the reader sees, the theme's and sphinx-exercise's words included."""
    avoided = {a: t.ja for t in terms() for a in t.avoid}
    for name in JA_PAGES:
        html = (ja_book / f"{name}.html").read_text(encoding="utf-8")
        assert not re.search(r'admonition-title">(<span class="caption-number">)?練習', html), name   # sphinx-exercise
        text = re.sub(r"<script.*?</script>|<[^>]+>", "", html, flags=re.S)
        found = {a: ja for a, ja in avoided.items() if a in text}
        assert not found, f"{name}: {found}"


def test_every_page_of_both_editions_has_a_switch_to_the_other_language(ja_book):
    en_root = ja_book.parent
    checked = 0
    for root, other, lang in ((en_root, ja_book, "ja"), (ja_book, en_root, "en")):
        for page in pages(root, skip=("_static", "_sources", "_images", "vendor", "_downloads")
                          + (("ja",) if root == en_root else ())):
            html = (root / page).read_text(encoding="utf-8")
            if 'http-equiv="Refresh"' in html:
                continue   # index.html, a redirect to the landing page
            found = SWITCH.findall(html)
            assert len(found) == 1, f"{root.name}/{page}: {len(found)} language switches"
            href, to, text = found[0]
            target = (root / page).parent / href
            assert to == lang and target.resolve().is_file(), f"{page}: switch to {href}"
            same = (other / page).is_file()
            assert target.resolve() == ((other / page) if same else other / "index.html").resolve(), page
            assert ("まだありません" in text or "no English edition" in text) == (not same), page
            checked += 1
    assert checked >= 2 * len(JA_PAGES)


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_japanese_notebook_pages_launch_and_download_the_japanese_notebook(ja_book, name):
    html = (ja_book / f"{name}.html").read_text(encoding="utf-8")
    repo = test_browser.CONFIG["repository"]
    path = f"{BOOK_DIR.relative_to(ROOT).as_posix()}/{name}.ipynb"
    slug = urlparse(repo["url"]).path.strip("/")
    assert f"colab.research.google.com/github/{slug}/blob/{repo['branch']}/{path}" in html
    assert f"?urlpath=tree/{path}" in html     # Binder
    assert (ROOT / path).is_file()
    download = re.search(r'href="([^"]*_sources/' + re.escape(name) + r'\.ipynb)"', html)
    assert download, "no download link"
    served = nbformat.read(urljoin(str(ja_book / f"{name}.html"), download.group(1)), as_version=4)
    assert [c.source for c in served.cells] == [c.source for c in nbformat.read(ROOT / path, as_version=4).cells]


def _search(base: str, word: str) -> list[str]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = chromium.new_page()
        page.goto(f"{base}ja/search.html?q={word}")
        page.wait_for_selector("#search-results ul.search li", timeout=30_000)
        found = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
        chromium.close()
    return found


@pytest.mark.browser
@pytest.mark.parametrize("word", ["転置", "畳み込み", "スタンプ"])
def test_japanese_search_finds_the_chapter(ja_book, server, word):
    _browser_ready()
    with ThreadPoolExecutor(max_workers=1) as pool:   # Playwright's sync API: one instance per thread
        found = pool.submit(_search, server, word).result()
    assert any("chapters/01_what_is_transposed_convolution.html" in href for href in found), found


def _browser_ready() -> None:
    """Skip, as test_book_pages.py does, where Playwright or Chromium is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright for Python is not installed; browser tests skipped")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM}; browser tests skipped")


@pytest.mark.browser
def test_japanese_pages_pass_axe_and_fit_a_phone(ja_book, server):
    """The English pages' pass (tests/test_book_pages.py) over every Japanese page: no critical or serious
    axe-core violation, maths typeset, images shown, nothing external. A Japanese page has its English
    twin's styles and layout, which that pass checks in colour and at 390 px on every page; here the
    colour rules and the phone width run on one page of each kind (test_book_pages.DARK_PAGES), the
    glossary and the search page, and every other rule (alternative texts, link names, headings,
    labels, lang) on every page."""
    _browser_ready()
    names = [f"ja/{name}" for name in JA_PAGES + ["search", "glossary"]]   # the glossary: only in this book
    kinds = {f"ja/{name}" for name in test_book_pages.DARK_PAGES | {"search", "glossary"}}
    with ThreadPoolExecutor(max_workers=1) as pool:   # Playwright's sync API: one instance per thread
        found = pool.submit(test_book_pages._visit_every_page, server, ja_book.parent, names, AXE.is_file(),
                            kinds).result()
    assert not found["axe"], f"axe-core violations on Japanese pages: {found['axe']}"
    assert not found["wide"], f"Japanese pages wider than a 390 px phone: {found['wide']}"
    problems = found["errors"] + found["external"] + found["failed"] + [f"{n}: {p}" for n, p in found["offline"].items()]
    assert not problems, f"console errors, external or failed requests, or pages broken offline: {problems}"
