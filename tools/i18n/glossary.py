"""The glossary (locale/ja/glossary.yml): the prh dictionary made from it, and the first-use rule.

First-use rule: in a page's running text (headings, code and HTML left out) the first use of every
glossed term is followed by its English original in parentheses: 転置畳み込み（transposed convolution）.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml

from . import LOCALE

GLOSSARY = LOCALE / "ja" / "glossary.yml"
PRH = LOCALE / "ja" / "prh.yml"
_NOT_RUNNING_TEXT = [re.compile(p, re.M | re.S) for p in (
    r"^```.*?^```", r"<!--.*?-->", r"^#+ .*?$", r"`[^`\n]*`", r"\$\$.*?\$\$", r"\$[^$\n]*\$",
    r"\]\([^)\s]*\)", r"<[^>\n]+>")]


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    en: str
    ja: str
    gloss: bool
    avoid: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def terms() -> list[Term]:
    """The glossary's terms, in file order."""
    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    return [Term(t["en"], t["ja"], t.get("gloss", True) and t["ja"] != t["en"], tuple(t.get("avoid", [])))
            for t in data["terms"]]


def prh_text() -> str:
    """locale/ja/prh.yml: every avoided form rewritten to the glossary's one form (with prh specs)."""
    # Longest pattern first: prh tries them in order, and ジェネレータ must not eat ジェネレーター.
    rules = [{"expected": t.ja, "patterns": sorted(t.avoid, key=len, reverse=True), "prh": f"用語集: {t.en} は「{t.ja}」",
              "specs": [{"from": a, "to": t.ja} for a in t.avoid]} for t in terms() if t.avoid]
    header = "# Generated from locale/ja/glossary.yml by `python tools/i18n prh`; edit the glossary, not this file.\n"
    return header + yaml.safe_dump({"version": 1, "rules": rules}, allow_unicode=True, sort_keys=False)


def running_text(markdown: str) -> str:
    """The prose of a Markdown text: fenced blocks, headings, code, maths, HTML and link targets blanked."""
    for pattern in _NOT_RUNNING_TEXT:
        markdown = pattern.sub(lambda m: " " * len(m.group(0)), markdown)
    return markdown


def missing_glosses(markdown: str) -> list[str]:
    """Terms whose first use in the running text lacks the English original right after it."""
    text, problems = running_text(markdown), []
    ordered = sorted(terms(), key=lambda t: -len(t.ja))
    taken = [False] * len(text)
    first: dict[Term, int] = {}
    for term in ordered:   # longer terms first, so 畳み込み inside 転置畳み込み is not a use of 畳み込み
        for m in re.finditer(re.escape(term.ja), text):
            if not any(taken[m.start():m.end()]):
                first.setdefault(term, m.start())
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
    for term, at in sorted(first.items(), key=lambda item: item[1]):
        after = text[at + len(term.ja):]
        if term.gloss and not re.match(r"[*_]*[（(]\s*" + re.escape(term.en), after, re.I):   # *term*（en） too
            problems.append(f"{term.ja}: first use needs （{term.en}） after it")
    return problems
