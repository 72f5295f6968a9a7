"""Sphinx extension: plain-Markdown asides and section labels get their MyST form while the book is read.

The notebooks stay CommonMark (tests/test_student_markdown.py), so a collapsed aside and a
section label are written in HTML that JupyterLab, VS Code and Colab render as they are:

* an aside is one markdown cell holding one ``<details class="aside">`` block::

      <details class="aside">
      <summary>Aside: what plt.imread returns</summary>

      Markdown text, code spans, math, lists.

      </details>

  Here it becomes the collapsed admonition ``{admonition} Aside: what plt.imread returns``
  with ``:class: dropdown``, in a colon fence (``<code>x</code>`` in the summary becomes ```x```); a code
  cell that belongs to the aside carries the cell tag ``hide-cell``;
* a line holding only ``<a id="png-255"></a>`` becomes the MyST target ``(png-255)=``, so
  ``[chapter 6](#png-255)`` links to the section below it from any page of the book.

The toggle MyST-NB draws for a ``hide-cell`` cell is a ``<summary aria-label="Toggle hidden
content">`` whose visible text reads "Show code cell content"; axe-core reports the mismatch
(label-content-name-mismatch, serious). The label is dropped from every page, so the toggle's
accessible name is the text a reader sees.

Only the text Sphinx parses changes; the notebook on disk stays plain.
Introduced in chapters/06_upscaling_a_real_image.
"""
from __future__ import annotations

import re

from notebook_cells import rewrite_markdown_cells

ASIDE = re.compile(r"\A\s*<details class=\"aside\">\s*\n\s*<summary>(?P<title>.*?)</summary>[ \t]*\n"
                   r"(?P<body>.*?)\n\s*</details>\s*\Z", re.S)
ANCHOR = re.compile(r"^<a id=\"(?P<label>[A-Za-z][\w.-]*)\"></a>[ \t]*$", re.M)
TOGGLE_LABEL = '<summary aria-label="Toggle hidden content">'
_CODE = re.compile(r"<code>(.*?)</code>")
_COLONS = re.compile(r"^\s*(:{3,})", re.M)


def to_myst(text: str) -> tuple[str, int]:
    """One markdown cell's source with its aside and anchors in MyST; returns (text, changes)."""
    text, changes = ANCHOR.subn(lambda m: f"({m.group('label')})=", text)
    m = ASIDE.match(text)
    if m:
        title = _CODE.sub(lambda c: f"`{c.group(1)}`", m.group("title").strip())
        body = m.group("body").strip("\n")
        # a colon fence: a backtick fence's info string may hold no backticks (CommonMark)
        fence = ":" * max([3] + [len(c) + 1 for c in _COLONS.findall(body)])
        text = f"{fence}{{admonition}} {title}\n:class: dropdown\n\n{body}\n{fence}"
        changes += 1
    return text, changes


def _on_source_read(app, docname: str, source: list[str]) -> None:
    rewrite_markdown_cells(app, docname, source, to_myst)


def drop_toggle_label(app, pagename, templatename, context, doctree) -> None:
    """The hide-cell toggles of a page keep their visible text as their accessible name."""
    body = context.get("body")
    if body and TOGGLE_LABEL in body:
        context["body"] = body.replace(TOGGLE_LABEL, "<summary>")


def setup(app):
    app.connect("source-read", _on_source_read, priority=550)
    app.connect("html-page-context", drop_toggle_label)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
