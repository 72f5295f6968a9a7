"""Sphinx extension: citations written as plain links become sphinxcontrib-bibtex citations.

A chapter cites with a CommonMark link into the bibliography page, for example
``([Odena et al., 2016](../references.md#odena2016deconvolution))``: JupyterLab, VS Code and
Colab show "(Odena et al., 2016)" as a link. While the book is read, this turns each such
link (with its parentheses, when it has them) into ``{cite}`odena2016deconvolution```, so the
book shows the numbered citation that links into references.md. Only the text Sphinx
parses changes; the notebooks on disk stay plain. A key that is not in the bibliography is
still turned into a citation, so sphinxcontrib-bibtex reports it (a warning, an error under -W).
Cross-references need no transform: ``[Exercise 8.2](#ex-08-2)`` is resolved by MyST itself.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import re

from notebook_cells import rewrite_markdown_cells

# [text](references.md#key), at any depth of ../, optionally wrapped in one pair of parentheses
CITATION = re.compile(r"(?P<open>\()?\[(?P<text>[^\]\n]+)\]\((?:\.\./)*references\.md#(?P<key>[\w:.+-]+)\)"
                      r"(?(open)\))")


def to_cite(text: str) -> tuple[str, int]:
    """Markdown with every citation link replaced by a ``{cite}`` role; returns (text, links)."""
    return CITATION.subn(lambda m: f"{{cite}}`{m.group('key')}`", text)


def _on_source_read(app, docname: str, source: list[str]) -> None:
    if str(app.env.doc2path(docname)).endswith(".md"):
        source[0] = to_cite(source[0])[0]
    else:
        rewrite_markdown_cells(app, docname, source, to_cite)


def setup(app):
    # after exercise_cells (priority 500), so citations inside exercise statements are found either way
    app.connect("source-read", _on_source_read, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
