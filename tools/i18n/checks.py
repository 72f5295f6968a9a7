"""Everything `python tools/i18n check` (and so `make test`) requires of a Japanese edition, as messages.

For every English source with a PO file: each unit has a current translation (not missing, not made
from an older English); the committed Japanese file is what build makes now; the Japanese notebook
has outputs wherever the English one has; code cells are the same program; the markup tools read
(solution markers, anchors, asides, link targets) is kept; glossed terms carry their English at first use;
no emphasis is left open and no line break splits Japanese text (both show in HTML).
"""
from __future__ import annotations

import re

import nbformat

from . import ROOT, translated_sources
from .build import SETUP_ID, SETUP_SOURCE, japanese_notebook, japanese_page, output_path
from .catalog import TranslationMissing, catalogs_for, status, translation
from .glossary import PRH, missing_glosses, prh_text
from .program import same_program
from .units import Unit, notebook_units, page_units

KEPT_MARKUP = re.compile(r"<!--.*?-->|<a id=\"[^\"]+\"></a>|<details class=\"aside\">|</details>|\]\([^)\s]+\)", re.S)


_LITERAL_STAR = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]\*|\*[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


def unclosed_emphasis(markdown: str) -> list[str]:
    """Emphasis markers that CommonMark leaves as literal asterisks next to Japanese text.

    A closing ``*`` after a bracket such as ）, followed by a letter, does not close emphasis in CommonMark
    (the flanking rules); write ``*用語*（term）`` rather than ``*用語（term）*``.
    """
    import markdown_it

    found = []
    for token in markdown_it.MarkdownIt("commonmark").parse(markdown):
        for child in token.children or []:
            if child.type == "text" and _LITERAL_STAR.search(child.content):
                found.append(child.content[max(0, _LITERAL_STAR.search(child.content).start() - 15):][:40])
    return found


_CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


def japanese_line_breaks(markdown: str) -> list[str]:
    """Line breaks inside a paragraph between two Japanese characters: HTML shows them as a stray space."""
    import markdown_it

    found = []
    for token in markdown_it.MarkdownIt("commonmark").parse(markdown):
        kids = token.children or []
        for before, brk, after in zip(kids, kids[1:], kids[2:]):
            if (brk.type == "softbreak" and before.content and after.content
                    and _CJK.match(before.content[-1]) and _CJK.match(after.content[0])):
                found.append(before.content[-12:] + "⏎" + after.content[:12])
    return found


def _cells(nb) -> list[tuple]:
    return [(c.id, c.cell_type, c.source, c.metadata.get("tags", []), c.metadata.get("mystnb")) for c in nb.cells]


def _outputs(cell) -> list[str]:
    return [o.output_type for o in cell.get("outputs", [])]


def translation_problems(source: str) -> list[str]:
    """Missing or stale units of ``source`` (stale: the English changed since the translation was made)."""
    english = ROOT / source
    units = (notebook_units(nbformat.read(english, as_version=4)) if source.endswith(".ipynb")
             else page_units(english.read_text(encoding="utf-8")))
    states = status(catalogs_for(source), units)
    hint = f"(python tools/i18n diff {source})"
    return [f"{source}: {state} translation of {unit.context}: {unit.english[:50]!r} {hint}"
            for unit, state in states.items() if state != "ok"]


def notebook_problems(source: str) -> list[str]:
    """The committed Japanese notebook against the English one and the catalogs."""
    path = output_path(source)
    if not path.exists():
        return [f"{source}: no Japanese notebook {path.relative_to(ROOT)} (python tools/i18n build)"]
    committed = nbformat.read(path, as_version=4)
    english = nbformat.read(ROOT / source, as_version=4)
    problems = []
    if _cells(japanese_notebook(source, committed)) != _cells(committed):
        problems.append(f"{source}: {path.relative_to(ROOT)} is not what build makes now (python tools/i18n build)")
    by_id = {c.id: c for c in committed.cells}
    for cell in english.cells:
        ja = by_id.get(cell.id)
        if ja is None or ja.cell_type != cell.cell_type:
            continue   # reported above
        if cell.cell_type == "code":
            if not same_program(cell.source, ja.source):
                problems.append(f"{source}: cell {cell.id} is not the same program as the English cell")
            if _outputs(cell) != _outputs(ja):
                problems.append(f"{source}: cell {cell.id} has outputs {_outputs(ja)}, the English has "
                                f"{_outputs(cell)} (make execute)")
        elif cell.source.strip() and sorted(KEPT_MARKUP.findall(cell.source)) != sorted(
                KEPT_MARKUP.findall(translation(catalogs_for(source), Unit(cell.id, cell.source)))):
            problems.append(f"{source}: cell {cell.id} does not keep the English markers, anchors and link targets")
    setup = by_id.get(SETUP_ID)
    if setup is None or setup.source != SETUP_SOURCE:
        problems.append(f"{source}: the Japanese setup cell ({SETUP_ID}) is missing or changed")
    text = "\n\n".join(c.source for c in committed.cells if c.cell_type == "markdown")
    problems += [f"{source}: {p}" for p in missing_glosses(text)]
    problems += [f"{source}: emphasis left open (literal *): {p!r}" for p in unclosed_emphasis(text)]
    problems += [f"{source}: line break inside a Japanese sentence (shows as a space): {p!r}"
                 for p in japanese_line_breaks(text)]
    return problems


def page_problems(source: str) -> list[str]:
    """The committed Japanese page against what build makes now, and the first-use glosses."""
    path = output_path(source)
    if not path.exists() or path.read_text(encoding="utf-8") != japanese_page(source):
        return [f"{source}: {path.relative_to(ROOT)} is not what build makes now (python tools/i18n build)"]
    text = path.read_text(encoding="utf-8")
    return ([f"{source}: {p}" for p in missing_glosses(text)]
            + [f"{source}: emphasis left open (literal *): {p!r}" for p in unclosed_emphasis(text)]
            + [f"{source}: line break between Japanese characters (shows as a space): {p!r}"
               for p in japanese_line_breaks(text)])


def problems(sources: list[str] | None = None) -> list[str]:
    """Every problem of the Japanese edition (all translated sources by default); empty when all is well."""
    found = [] if PRH.exists() and PRH.read_text(encoding="utf-8") == prh_text() else [
        f"{PRH.relative_to(ROOT)} is not generated from the glossary (python tools/i18n prh)"]
    for source in sources or translated_sources():
        missing = translation_problems(source)
        found += missing
        if missing:
            continue
        try:
            found += notebook_problems(source) if source.endswith(".ipynb") else page_problems(source)
        except TranslationMissing as error:   # common.po lacks a unit
            found.append(f"{source}: {error}")
    return found
