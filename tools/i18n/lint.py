"""Every Japanese text a reader sees, written out as Markdown for textlint (make lint-ja).

One file per Japanese source under the given folder: a notebook's Markdown cells, code comments,
captions, alternative texts and printed strings as its PO file has them (so every string a reader sees,
in whatever script), each a paragraph headed by an HTML comment naming the cell; a page as it is;
common.po's strings in common.md; the library's Japanese message table (tconv_lib/messages/ja.py) in
messages.md. Inline maths ($...$) becomes inline code and
display maths ($$...$$) a code block, so that the rules judge the Japanese around it, not TeX. Labels (printed strings,
table-of-contents captions, the title, comments with no 。) are written as headings: the rules for
sentences (a sentence ends with 。) do not apply to labels, every other rule does.
"""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import polib

from . import BOOK_DIR, po_path, translated_sources
from .catalog import COMMON

_DISPLAY_MATH = re.compile(r"\$\$(.*?)\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$`])\$(?!\$)([^$\n]+?)\$")


def literal_text(literal: str) -> str:
    """The words of a Python string literal as printed (an f-string's fields kept as written)."""
    try:
        value = ast.literal_eval("(" + literal + ")")   # parentheses: implicit joins over lines
        return value if isinstance(value, str) else literal
    except (ValueError, SyntaxError):   # an f-string
        return re.sub(r"""^[rRfFbB]*(['"])|(['"])$""", "", literal.strip())


def prose(markdown: str) -> str:
    """Markdown with its inline maths as inline code and its display maths as a code block (not a sentence)."""
    markdown = _DISPLAY_MATH.sub(lambda m: "\n\n```\n" + " ".join(m.group(1).split()) + "\n```\n\n", markdown)
    return _INLINE_MATH.sub(lambda m: "`" + m.group(1) + "`", markdown)


def _paragraph_or_label(text: str, kind: str) -> str:
    """A sentence stays a paragraph; a label (a printed string, or a comment with no 。) becomes a heading."""
    if (kind == "string" and not text.rstrip().endswith("。")) or "。" not in text:
        return "#### " + "".join(line.strip() for line in text.strip().split("\n"))
    return text.strip()


def _notebook_text(source: str) -> str:
    """A notebook's Japanese texts, read from its PO file (every unit, whatever script it is written in)."""
    parts = []
    for entry in polib.pofile(str(po_path(source))):
        if entry.obsolete or not entry.msgstr:
            continue
        cell, _, kind = entry.msgctxt.partition("#")
        if kind == "string":
            text = _paragraph_or_label(literal_text(entry.msgstr), kind)
        elif kind == "comment":
            text = _paragraph_or_label(re.sub(r"(?m)^\s*#\s?", "", entry.msgstr), kind)
        else:   # a Markdown cell, a caption or an alternative text
            text = prose(entry.msgstr)
        parts.append(f"<!-- cell {cell} {kind or 'markdown'} -->\n\n{text}")
    return "\n\n".join(parts) + "\n"


def export(out: Path, sources: list[str] | None = None) -> int:
    """Write the texts of ``sources`` (default: every translated source) under ``out`` (emptied first)."""
    shutil.rmtree(out, ignore_errors=True)
    for source in sources or translated_sources():
        path = BOOK_DIR / source
        target = (out / source).with_suffix(".md")
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (_notebook_text(source) if source.endswith(".ipynb")
                else prose(path.read_text(encoding="utf-8")))
        target.write_text(text, encoding="utf-8")
    common = [f"<!-- {e.msgctxt} -->\n\n" + _paragraph_or_label(
        literal_text(e.msgstr) if e.msgctxt.endswith("#string") else e.msgstr,
        "string" if e.msgctxt.startswith(("config#", "toc#")) or e.msgctxt.endswith("#string") else "comment")
        for e in polib.pofile(str(COMMON)) if e.msgstr and not e.obsolete]
    (out / "common.md").write_text("\n\n".join(common) + "\n", encoding="utf-8")
    from .book import glossary_page
    (out / "glossary.md").write_text(glossary_page(), encoding="utf-8")
    from tconv_lib.messages.ja import MESSAGES  # the library's strings (figures, checks)
    (out / "messages.md").write_text("\n\n".join(f"<!-- {key} -->\n\n{_paragraph_or_label(text, 'string')}"
                                                for key, text in MESSAGES.items()) + "\n", encoding="utf-8")
    print(f"==> Japanese texts for textlint in {out}")
    return 0
