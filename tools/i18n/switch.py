"""The language switch on every page of both editions: a link to the same page in the other language.

English pages live at the root of _build/html, Japanese ones under ja/. Where a page has no edition
in the other language, the switch leads to that edition's landing page and says so. Each page also
gets ``<link rel="alternate" hreflang=...>`` to its counterpart. A later run replaces an earlier switch.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

MARK = "tconv-lang-switch"
_OLD = re.compile(r'\n<p class="tconv-lang-switch".*?</p>|\n<link rel="alternate" hreflang="[a-z]+" href="[^"]*" />')
SKIP = ("_static", "_sources", "_images", "vendor", "ja", "_downloads")
ARTICLE = '<article class="bd-article">'
SEARCH = '<div class="bd-search-container">'     # the search page has no article
STYLE = "margin:0 0 1rem;text-align:right;font-size:0.9rem"
TEXT = {
    "ja": ("日本語で読む", "このページの日本語版はまだありません。日本語版の表紙へ"),
    "en": ("Read in English", "This page has no English edition; go to the English landing page"),
}


def pages(root: Path, skip: tuple[str, ...] = SKIP) -> list[Path]:
    """The HTML pages under ``root``, relative to it, leaving out assets (and the ja/ edition for the root)."""
    return sorted(p.relative_to(root) for p in root.rglob("*.html")
                  if p.relative_to(root).parts[0] not in skip)


def switch_html(page: Path, here: Path, there: Path, language: str) -> tuple[str, str]:
    """(link element for the head, switch paragraph) on ``here/page`` pointing into the ``there`` edition."""
    same = (there / page).exists()
    target = there / page if same else there / "index.html"
    href = os.path.relpath(target, (here / page).parent).replace(os.sep, "/")
    text = TEXT[language][0 if same else 1]
    head = f'\n<link rel="alternate" hreflang="{language}" href="{href}" />' if same else ""
    body = (f'<p class="{MARK}" style="{STYLE}"><a href="{href}" hreflang="{language}" lang="{language}">'
            f"{text}</a></p>")
    return head, body


def _insert(path: Path, head: str, body: str) -> bool:
    html = _OLD.sub("", path.read_text(encoding="utf-8"))   # a switch from an earlier run is replaced
    anchor = next((a for a in (ARTICLE, SEARCH) if a in html), None)
    if anchor is None:        # a redirect (index.html) or a theme fragment
        return False
    html = html.replace(anchor, anchor + "\n" + body, 1)
    if head:
        html = html.replace("</head>", head + "</head>", 1)
    path.write_text(html, encoding="utf-8")
    return True


def local_links(ja_root: Path, base: str | None) -> None:
    """Links of the Japanese pages to the published English book lead to this build's English pages."""
    if not base:
        return
    published = re.compile(r'href="' + re.escape(base) + r'(?!ja/)')
    for page in pages(ja_root, skip=tuple(s for s in SKIP if s != "ja")):
        html = (ja_root / page).read_text(encoding="utf-8")
        up = "../" * (len(page.parts) - 1) + "../"          # out of the page's folder and out of ja/
        if published.search(html):
            (ja_root / page).write_text(published.sub(f'href="{up}', html), encoding="utf-8")


def add_switches(en_root: Path, ja_root: Path, base: str | None = None) -> int:
    """Put the switch on every page of both editions (and make the Japanese pages' links to the published
    English book local); returns how many pages carry the switch now."""
    local_links(ja_root, base)
    count = 0
    for page in pages(en_root):
        _insert(en_root / page, *switch_html(page, en_root, ja_root, "ja"))
        count += MARK in (en_root / page).read_text(encoding="utf-8")
    for page in pages(ja_root, skip=tuple(s for s in SKIP if s != "ja")):
        _insert(ja_root / page, *switch_html(page, ja_root, en_root, "en"))
        count += MARK in (ja_root / page).read_text(encoding="utf-8")
    return count
