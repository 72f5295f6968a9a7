"""Sphinx extension: links to the published book become links inside this build.

A notebook is read in three places: this book, a clone in JupyterLab, and Colab, where a
notebook opened from a launch button stands alone, with no ``../chapters/`` and no
references page beside it. So notebooks link to other pages, and cite, with the published
book's address (``html.baseurl`` in _config.yml, the one home of that address), for example
``[chapter 4](https://.../chapters/04_output_padding.html)``, which works wherever the reader
has a browser. While this build reads a notebook, :func:`localise` turns each such link into
one inside the build: a page link becomes a relative link to the page's source, a link to a
labelled place (``...html#latent-gaps``) a MyST cross-reference (``#latent-gaps``), and a link
into the references page ``../references.md#key``, which ``citation_links`` then turns into
a citation. So the offline book never leaves itself. Links within a page (``#ex-08-2``) stay
as they are. tests/test_notebook_links.py checks that every link of every notebook resolves
in all three places.
"""
from __future__ import annotations

import posixpath
import re

from notebook_cells import rewrite_markdown_cells

PAGE = re.compile(r"(?P<path>(?:chapters|exercises)/[\w-]+|references|intro)\.html(?:#(?P<anchor>[\w-]+))?")


def book_link(base: str) -> re.Pattern:
    """A markdown link ``[text](<base><page>.html#anchor)`` into the published book at ``base``."""
    base = base.rstrip("/") + "/"
    return re.compile(r"\[(?P<text>[^\]\n]+)\]\(" + re.escape(base) + PAGE.pattern + r"\)")


def source_of(path: str) -> str:
    """The source file of a published page, relative to the book's root (``chapters/x`` -> ``chapters/x.ipynb``)."""
    return path + ".md" if path in ("references", "intro") else path + ".ipynb"


def localise(text: str, base: str, docname: str) -> tuple[str, int]:
    """``text`` with every link into the book at ``base`` pointing inside this build; returns (text, links)."""
    here = posixpath.dirname(docname)

    def local(m: re.Match) -> str:
        path, anchor = m.group("path"), m.group("anchor")
        if anchor and path != "references":
            return f"[{m.group('text')}](#{anchor})"   # a MyST target: resolved across the whole book
        target = posixpath.relpath(source_of(path), here or ".")
        return f"[{m.group('text')}]({target}{'#' + anchor if anchor else ''})"

    return book_link(base).subn(local, text)


def _on_source_read(app, docname: str, source: list[str]) -> None:
    base = app.config.html_baseurl
    if base:
        rewrite_markdown_cells(app, docname, source, lambda text: localise(text, base, docname))


def setup(app):
    # before citation_links (priority 600), which turns the references links made here into citations
    app.connect("source-read", _on_source_read, priority=550)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
