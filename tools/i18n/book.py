"""The Japanese book: a source tree in _build/ja-src (own _config.yml with language ja, own _toc.yml listing
only the translated pages), built with Jupyter Book 1 into _build/html/ja/; then both editions get the
language switch (switch.py).

Jupyter Book 1 has no per-language build (jupyter-book #1791), so the tree is generated: the Japanese
sources from locale/ja/book/, the shared _ext, _templates, _static and references.bib copied. A link to a
page with no Japanese edition yet goes to the English page (marked （英語）): in the sources to the
published site (so a downloaded notebook's links work), in the built pages to this build's English page.

``source_tree(folder, standalone)`` writes the tree in one of two forms. Nested (the default, for
``build``): published under ja/ of the English book, so MathJax and links to English pages reach up
into the English build. Standalone (the Japanese student edition, tools/edition.py): a book of its
own, with the English book's MathJax settings and _offline copy, links to English pages going to the
published English site, and no translation-progress note (its pages are a selection).
"""
from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from . import BOOK_DIR, ROOT, translated_sources
from .build import book_url
from .catalog import COMMON, load, translation
from .glossary import terms
from .switch import add_switches
from .units import Unit

SRC = ROOT / "_build" / "ja-src"
HTML = ROOT / "_build" / "html"
SHARED = ("_ext", "_templates", "_static", "references.bib")
LINK = re.compile(r"\[(?P<text>[^\]\n]+)\]\((?P<target>[^)\s#]+\.(?:ipynb|md))(?P<anchor>#[^)\s]*)?\)")


def common(context: str, english: str) -> str:
    """A book-level string (toc caption, title) from common.po."""
    return translation([load(COMMON)], Unit(context, english))


def _write(path: Path, text: str) -> None:
    """Write only when the content changes, so that Sphinx rebuilds only what changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def english_links(text: str, page: str, translated: set[str], standalone: bool = False) -> str:
    """Links to pages with no Japanese edition rewritten to the English page's HTML (marked （英語）).

    Nested: relative, to this build's English page; standalone: to the published English page (plain
    text when _config.yml names no html.baseurl).
    """
    here = posixpath.dirname(page)
    base = book_url() if standalone else None

    def rewrite(m: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(here, m["target"]))
        if target in translated or target == "references.md":
            return m.group(0)
        html = re.sub(r"\.(ipynb|md)$", ".html", target) + (m["anchor"] or "")
        if standalone:
            return f"[{m['text']}]({base}{html})（英語）" if base else f"{m['text']}（英語）"
        up = "../" * (page.count("/") + 1)            # out of ja/ and the page's folder
        return f'<a href="{up}{html}" hreflang="en">{m["text"]}</a>（英語）'
    return LINK.sub(rewrite, text)


ENGLISH_ONLY = {"api"}   # the library's API reference, generated from its docstrings: English only


def progress_note(intro: str, translated: set[str]) -> str:
    """While pages other than ENGLISH_ONLY are untranslated, the landing page says which are in Japanese."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    done = [f for f in files if any(s.rsplit(".", 1)[0] == f for s in translated)]
    if set(files) - set(done) <= ENGLISH_ONLY:
        return intro
    note = (f"\n\n```{{note}}\n日本語版は翻訳を進めているところです。日本語で読めるページは、全{len(files) + 1}ページのうち"
            f"{len(done) + 1}ページです。まだ翻訳していないページへのリンクは英語版のページを開き、"
            "リンクのあとに（英語）と記しています。\n```\n")
    title_end = intro.index("\n") if "\n" in intro else len(intro)
    return intro[:title_end] + note + intro[title_end:]


def config(standalone: bool = False) -> dict:
    """The English _config.yml with the Japanese title, language, sources path and shared assets.

    Nested (default): published under ja/ of the English book, whose MathJax copy it uses.
    Standalone: the English book's baseurl, MathJax path and html_extra_path, unchanged.
    """
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    cfg["title"] = common("config#title", cfg["title"])
    cfg["repository"]["path_to_book"] = BOOK_DIR.relative_to(ROOT).as_posix()   # launch buttons: ja notebooks
    sphinx = cfg["sphinx"]["config"]
    sphinx["language"] = "ja"                       # <html lang="ja">, Japanese search, theme strings
    if not standalone:
        if cfg.get("html", {}).get("baseurl"):      # published under ja/; links to English pages stay links
            cfg["html"]["baseurl"] = cfg["html"]["baseurl"].rstrip("/") + "/ja/"
        sphinx["html_extra_path"] = []              # the MathJax copy of the English build serves both
        sphinx["mathjax_path"] = "../" + sphinx["mathjax_path"]   # ja/_static -> ../../vendor
    cfg["sphinx"]["local_extensions"]["ja_terms"] = "_ext"     # tools/i18n/sphinx_terms.py
    glossary = {t.en: t.ja for t in terms()}
    sphinx["ja_terms"] = {"Exercise": glossary["exercise"], "Solution to": glossary["solution"]}
    sphinx["numfig_format"] = {"exercise": glossary["exercise"] + " %s"}   # sphinx-exercise's numbered boxes
    return cfg


def toc(translated: set[str]) -> dict:
    """The English _toc.yml with only the translated pages, captions in Japanese; the glossary page last."""
    data = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    parts = []
    for part in data["parts"]:
        chapters = [c for c in part["chapters"] if any(s.rsplit(".", 1)[0] == c["file"] for s in translated)]
        if chapters:
            parts.append({**part, "caption": common("toc#caption", part["caption"]), "chapters": chapters})
    parts[-1]["chapters"].append({"file": GLOSSARY_PAGE})
    return {**data, "parts": parts}


GLOSSARY_PAGE = "glossary"


def glossary_page() -> str:
    """用語集: the glossary's terms as the Japanese book shows them (Japanese only; the page has no English twin)."""
    rows = "\n".join(f"| {t.ja} | {t.en} |" for t in sorted(terms(), key=lambda t: t.en) if t.gloss or t.ja == t.en)
    return ("# 用語集\n\nこの日本語版で使う訳語の一覧です。"
            "各章では、それぞれの用語が最初に出てくるところに英語の原語を添えています。"
            "定まった訳語がない用語は英語のまま使います。\n\n| 日本語 | 英語 |\n| --- | --- |\n" + rows + "\n")


def source_tree(folder: Path = SRC, standalone: bool = False) -> Path:
    """Write the Japanese book's source tree (default _build/ja-src, nested form) into ``folder``; return it.

    Configuration, table of contents, shared assets (standalone: and _offline) and the Japanese sources.
    """
    folder, translated = Path(folder), set(translated_sources())
    folder.mkdir(parents=True, exist_ok=True)
    for name in SHARED + (("_offline",) if standalone else ()):
        src, dst = ROOT / name, folder / name
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dst)
    shutil.copy2(Path(__file__).with_name("sphinx_terms.py"), folder / "_ext" / "ja_terms.py")
    _write(folder / "_config.yml", yaml.safe_dump(config(standalone), allow_unicode=True, sort_keys=False))
    _write(folder / "_toc.yml", yaml.safe_dump(toc(translated), allow_unicode=True, sort_keys=False))
    _write(folder / f"{GLOSSARY_PAGE}.md", glossary_page())
    for source in sorted(translated):
        text = (BOOK_DIR / source).read_text(encoding="utf-8")
        if source.endswith(".ipynb"):
            import nbformat
            nb = nbformat.reads(text, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = english_links(cell.source, source, translated, standalone)
            text = nbformat.writes(nb) + "\n"
        else:
            text = english_links(text, source, translated, standalone)
            if source == "intro.md" and not standalone:
                text = progress_note(text, translated)
        _write(folder / source, text)
    return folder


def build(args: list[str] | None = None, publish_now: bool = True) -> int:
    """Build the Japanese book in _build/ja-src/_build/html, then (publish_now) :func:`publish` it.

    ``make book`` runs this with ``publish_now=False`` beside the English build (each Sphinx run uses
    one core), then ``publish`` once both are done.
    """
    source_tree()
    jb = Path(sys.executable).with_name("jupyter-book")
    done = subprocess.run([str(jb), "build", str(SRC), "-W", "-n", "--keep-going", *(args or ["-q"])])
    if done.returncode:
        return done.returncode
    return publish() if publish_now else 0


def publish() -> int:
    """Copy the built Japanese book to _build/html/ja/ and put the language switch on both editions."""
    out = HTML / "ja"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(SRC / "_build" / "html", out)
    pages = add_switches(HTML, out, book_url())
    print(f"==> Japanese book: {out / 'index.html'} (language switch on {pages} pages)")
    return 0
