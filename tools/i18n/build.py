"""The Japanese sources, generated: English notebook or page + its PO catalogs -> locale/ja/book/.

A Japanese notebook is the English one with every unit translated and one setup cell added after
the install cell (``set_language("ja")``: library strings and figure fonts in Japanese); links to the
published book lead to its Japanese pages where they exist (japanese_links). Code cells
whose source is unchanged keep the outputs of the previous Japanese notebook; the others are left
without outputs until ``make execute`` runs them.
"""
from __future__ import annotations

import copy
import functools
import re
from pathlib import Path

import nbformat
import yaml

from . import BOOK_DIR, LANGUAGE, ROOT, translated_sources
from .catalog import catalogs_for, translation
from .units import cell_context, translate_notebook, translate_page

SETUP_ID = "ja-setup"
SETUP_SOURCE = ("# 日本語版：ライブラリが表示する文字列と図の文字を日本語にします。\n"
                "from tconv_lib.i18n import set_language\n\n"
                f'set_language("{LANGUAGE}")')


@functools.lru_cache(maxsize=1)
def book_url() -> str | None:
    """The published English book's address (_config.yml html.baseurl), ending in /, or None (read once)."""
    base = (yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")).get("html") or {}).get("baseurl")
    return base.rstrip("/") + "/" if base else None


def japanese_links(text: str, base: str | None = None, translated: set[str] | None = None) -> str:
    """Links to the published book lead to its Japanese page where there is one; otherwise (英語) follows them."""
    base = book_url() if base is None else base
    if not base:
        return text
    pages = {s.rsplit(".", 1)[0] for s in (translated_sources() if translated is None else translated)}
    link = re.compile(r"\[(?P<text>[^\]\n]+)\]\(" + re.escape(base) + r"(?P<page>[^)\s#]+)\.html(?P<anchor>#[^)\s]*)?\)")

    def rewrite(m: re.Match) -> str:
        if m["page"] in pages:
            return f"[{m['text']}]({base}{LANGUAGE}/{m['page']}.html{m['anchor'] or ''})"
        return m.group(0) + "（英語）"
    return link.sub(rewrite, text)


def output_path(source: str) -> Path:
    """Where the Japanese edition of an English source (relative to the root) is written."""
    return BOOK_DIR / source


def setup_cell() -> nbformat.NotebookNode:
    """The code cell every Japanese notebook runs after the install cell (hidden in the book)."""
    cell = nbformat.v4.new_code_cell(SETUP_SOURCE, id=SETUP_ID)
    cell.metadata["tags"] = ["remove-cell"]
    return cell


def _keep_outputs(new: nbformat.NotebookNode, old: nbformat.NotebookNode | None) -> None:
    before = {c.id: c for c in old.cells if c.cell_type == "code"} if old is not None else {}
    for cell in new.cells:
        if cell.cell_type != "code":
            continue
        kept = before.get(cell.id)
        if kept is not None and kept.source == cell.source:
            cell.outputs, cell.execution_count = kept.outputs, kept.execution_count
        else:
            cell.outputs, cell.execution_count = [], None
    if old is not None and "widgets" in old.metadata:
        new.metadata["widgets"] = old.metadata["widgets"]
    else:
        new.metadata.pop("widgets", None)


def japanese_notebook(source: str, previous: nbformat.NotebookNode | None = None) -> nbformat.NotebookNode:
    """The Japanese edition of ``source`` (e.g. chapters/01_x.ipynb); TranslationMissing if a unit has none."""
    english = nbformat.read(ROOT / source, as_version=4)
    catalogs = catalogs_for(source)
    nb = translate_notebook(english, lambda unit: translation(catalogs, unit))
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = japanese_links(cell.source)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    at = next((i + 1 for i in code if cell_context(nb.cells[i]) == "install"), code[0] if code else len(nb.cells))
    nb.cells.insert(at, setup_cell())
    nb.metadata = copy.deepcopy(english.metadata)
    nb.metadata["tconv_i18n"] = {"language": LANGUAGE, "source": source}
    _keep_outputs(nb, previous)
    return nb


def japanese_page(source: str) -> str:
    """The Japanese edition of a Markdown page (e.g. intro.md)."""
    catalogs = catalogs_for(source)
    text = translate_page((ROOT / source).read_text(encoding="utf-8"), lambda unit: translation(catalogs, unit))
    return japanese_links(text)


def build(source: str) -> Path:
    """Write the Japanese edition of ``source`` under locale/ja/book/ and return its path."""
    out = output_path(source)
    out.parent.mkdir(parents=True, exist_ok=True)
    if source.endswith(".ipynb"):
        previous = nbformat.read(out, as_version=4) if out.exists() else None
        text = nbformat.writes(japanese_notebook(source, previous)) + "\n"
    else:
        text = japanese_page(source)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    return out
