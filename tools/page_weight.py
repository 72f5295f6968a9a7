#!/usr/bin/env python3
"""What a reader downloads on a first visit to each page of the built book (a benchmark, not a test).

    python tools/page_weight.py                      # every page, the median, the heaviest, one page's files
    python tools/page_weight.py --page chapters/11_training_a_dcgan --static

A page weighs its HTML, every file it requests while it renders (scripts, stylesheets, fonts and
the MathJax extensions and fonts it loads on demand), recorded in headless Chromium with an empty
cache and no network beyond the book, plus every figure it shows (``<img>``), counted whether the
browser has fetched it yet or not: lazy loading is no saving here. Each file counts as a web server
sends it: text (HTML, CSS, JavaScript, JSON, SVG) compressed with gzip at level 6, images and fonts
as they are. KB are 1,024 bytes. Without Chromium, or with ``--static``, only the files the HTML
names are counted (what scripts and stylesheets load later is missed: a lower bound).
The goals (``GOAL_MEDIAN_KB``, ``GOAL_HEAVIEST_KB``) come from issue 25; the exit status is 1 when
one is missed. tests/test_book_pages.py checks the same goals on every page in the browser pass.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import statistics
import sys
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
KB = 1024
GOAL_MEDIAN_KB = 450
GOAL_HEAVIEST_KB = 1200
TEXT_SUFFIXES = {".html", ".htm", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml", ".map", ".ipynb"}
LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon"}
CHROMIUM = os.environ.get("TCONV_CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class File:
    """One downloaded file: its path under the HTML root, size on disk and size as sent."""

    name: str
    raw: int
    sent: int


class _References(HTMLParser):
    """The files an HTML page names for the browser to fetch, and its figures."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.resources: list[str] = []
        self.figures: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "script" and a.get("src"):
            self.resources.append(a["src"])
        elif tag == "link" and LINK_RELS & set(a.get("rel", "").lower().split()) and a.get("href"):
            self.resources.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.figures.append(a["src"])
        elif tag == "object" and a.get("data"):
            self.figures.append(a["data"])


def references(html: str) -> tuple[list[str], list[str]]:
    """The (resources, figures) that an HTML text names, as written (relative URLs, queries kept)."""
    parser = _References()
    parser.feed(html)
    return parser.resources, parser.figures


def local_path(url: str, page: Path, root: Path) -> Path | None:
    """The file under ``root`` that ``url`` (relative to ``page``, or absolute on the book's host) names."""
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "javascript", "about") or (parsed.scheme and parsed.netloc == ""):
        return None
    if parsed.netloc:                         # absolute URL: only the book's own server counts
        path = unquote(parsed.path).lstrip("/")
        target = root / path
    else:
        target = page.parent / unquote(parsed.path)
    target = Path(os.path.normpath(target))
    return target if target.is_file() and target.is_relative_to(root) else None


@functools.cache
def sent_bytes(path: Path) -> int:
    """What a server sends for ``path``: gzip -6 for text, the bytes as they are for the rest."""
    data = path.read_bytes()
    return len(gzip.compress(data, compresslevel=6)) if path.suffix.lower() in TEXT_SUFFIXES else len(data)


def page_names(root: Path) -> list[str]:
    """Every page of the built book (no suffix), skipping folders Sphinx fills with assets and redirects."""
    names = []
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root)
        if any(part.startswith("_") or part == "vendor" for part in rel.parts[:-1]):
            continue
        if 'http-equiv="Refresh"' in path.read_text(encoding="utf-8")[:300]:
            continue                          # index.html: a one-line redirect to the root page
        names.append(rel.with_suffix("").as_posix())
    return names


def weigh(root: Path, name: str, requested: set[Path] = frozenset()) -> list[File]:
    """The files of one first visit: the page, what it names, what it requested, every figure."""
    page = root / f"{name}.html"
    resources, figures = references(page.read_text(encoding="utf-8"))
    paths = {page} | set(requested)
    paths |= {p for url in resources + figures if (p := local_path(url, page, root))}
    files = [File(p.relative_to(root).as_posix(), p.stat().st_size, sent_bytes(p)) for p in paths]
    return sorted(files, key=lambda f: (-f.sent, f.name))


def total(files: list[File]) -> int:
    """The bytes sent for a page's files."""
    return sum(f.sent for f in files)


def summary(weights: dict[str, int]) -> tuple[float, str, int]:
    """The median weight and the heaviest page with its weight (bytes)."""
    heaviest = max(weights, key=weights.get)
    return statistics.median(weights.values()), heaviest, weights[heaviest]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def browser_requests(root: Path, names: list[str]) -> dict[str, set[Path]]:
    """Each page's requested local files, each page in a fresh Chromium context (empty cache, offline)."""
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    found = {}
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            for name in names:
                found[name] = _visit(chromium, base, root, name)
            chromium.close()
    finally:
        httpd.shutdown()
    return found


def _visit(chromium, base: str, root: Path, name: str) -> set[Path]:
    context = chromium.new_context(viewport={"width": 1280, "height": 1000}, service_workers="block")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    page, urls, pending = context.new_page(), [], set()
    page.on("request", lambda req: (urls.append(req.url), pending.add(req)))
    page.on("requestfinished", lambda req: pending.discard(req))
    page.on("requestfailed", lambda req: pending.discard(req))
    page.goto(base + f"{name}.html", wait_until="load")
    page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
        await document.fonts.ready;
    }""")
    for _ in range(200):                      # then until no request is in flight (at most 10 s)
        if not pending:
            break
        page.wait_for_timeout(50)
    context.close()
    return {p for url in urls if (p := local_path(url, root / f"{name}.html", root))}


def kb(n: float) -> str:
    """Bytes as whole KB with thousands separators."""
    return f"{n / KB:,.0f}"


def report(root: Path, detail: str, top: int, static: bool) -> int:
    """Print every page's weight, the median and heaviest against the goals, and one page's files."""
    names = page_names(root)
    requested = {} if static else browser_requests(root, names)
    pages = {name: weigh(root, name, requested.get(name, set())) for name in names}
    weights = {name: total(files) for name, files in pages.items()}
    how = "files the HTML names only (--static)" if static else "requests recorded in Chromium"
    print(f"First-visit weight of {len(names)} pages in {root} ({how}; KB = 1,024 bytes, text gzip -6)")
    print(f"{'page':<46}{'files':>6}{'raw KB':>10}{'sent KB':>10}")
    for name in sorted(names, key=weights.get, reverse=True):
        print(f"{name:<46}{len(pages[name]):>6}{kb(sum(f.raw for f in pages[name])):>10}{kb(weights[name]):>10}")
    median, heaviest, most = summary(weights)
    ok = median <= GOAL_MEDIAN_KB * KB and most <= GOAL_HEAVIEST_KB * KB
    print(f"\nmedian {kb(median)} KB (goal <= {GOAL_MEDIAN_KB}); heaviest {heaviest} {kb(most)} KB "
          f"(goal <= {GOAL_HEAVIEST_KB:,}): {'goals met' if ok else 'GOAL MISSED'}")
    ranked = sorted(weights, key=weights.get, reverse=True)[:top]
    print(f"heaviest {top}: " + ", ".join(f"{n} {kb(weights[n])}" for n in ranked))
    if detail in pages:
        files = pages[detail]
        print(f"\n{detail}: {len(files)} files, {kb(total(files))} KB sent")
        print(f"{'file':<70}{'raw KB':>9}{'sent KB':>9}")
        for f in files:
            print(f"{f.name[:69]:<70}{kb(f.raw):>9}{kb(f.sent):>9}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built book")
    parser.add_argument("--page", default="chapters/02_stride", help="the page whose files are listed")
    parser.add_argument("--top", type=int, default=5, help="how many heaviest pages to name")
    parser.add_argument("--static", action="store_true", help="count only what the HTML names (no browser)")
    args = parser.parse_args(argv)
    root = args.html.resolve()
    if not (root / "index.html").is_file():
        parser.error(f"--html {root}: no built book there (run `make book`)")
    static = args.static
    if not static:
        try:
            import playwright.sync_api  # noqa: F401
            chromium_found = Path(CHROMIUM).is_file()
        except ImportError:
            chromium_found = False
        if not chromium_found:
            print(f"page_weight: Playwright or {CHROMIUM} missing; counting only what the HTML names", file=sys.stderr)
            static = True
    return report(root, args.page, args.top, static)


if __name__ == "__main__":
    sys.exit(main())
