"""The Japanese edition is complete and current: `make test` fails on any missing or stale translation.

For every English source with a PO file (locale/ja/po/): each unit has a translation made from the
English as it is now; the committed Japanese notebook is what `python tools/i18n build` makes now and
has outputs wherever the English one has (nbval then compares them, `make wheel-env` stages the
Japanese notebooks); code cells are the same program as the English ones; markers, anchors and
link targets are kept; glossary terms carry their English at first use; prh.yml is generated from
the glossary. The messages say which command fixes what (tools/i18n/checks.py).
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from i18n import BOOK_DIR, translated_sources  # noqa: E402
from i18n.build import SETUP_ID  # noqa: E402
from i18n.checks import problems  # noqa: E402
from i18n.program import same_program  # noqa: E402


def test_every_page_has_a_japanese_edition():
    """Every chapter, exercise page, the instructor guide, the landing page and the references."""
    english = [p.relative_to(ROOT).as_posix() for folder in ("chapters", "exercises")
               for p in sorted((ROOT / folder).glob("*")) if p.suffix in (".ipynb", ".md")]
    assert len(english) == 29
    assert set(english + ["intro.md", "references.md"]) <= set(translated_sources())


@pytest.mark.slow   # builds every Japanese source in memory (6 s): make test runs it, `tools/i18n check` too
def test_japanese_edition_is_complete_and_current():
    found = problems()
    assert not found, "the Japanese edition is behind the English:\n" + "\n".join(found)


def test_japanese_code_cells_are_the_english_program():
    """Said directly as well as inside problems(): cell by cell, comments and string literals set aside."""
    for source in [s for s in translated_sources() if s.endswith(".ipynb")]:
        english = {c.id: c for c in nbformat.read(ROOT / source, as_version=4).cells if c.cell_type == "code"}
        japanese = [c for c in nbformat.read(BOOK_DIR / source, as_version=4).cells if c.cell_type == "code"]
        assert [c.id for c in japanese if c.id != SETUP_ID] == list(english)
        for cell in japanese:
            if cell.id != SETUP_ID:
                assert same_program(english[cell.id].source, cell.source), f"{source} {cell.id}"


def _printed(cell) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))


def _literals(source: str) -> list[tuple[int, int]]:
    """(start, end) of every string literal of a cell (an f-string whole, not its pieces), in source order."""
    import ast

    from i18n.units import _code_for_ast, _literal_span

    tree = ast.parse(_code_for_ast(source))
    pieces = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    pieces |= {id(n.format_spec) for n in ast.walk(tree) if isinstance(n, ast.FormattedValue) and n.format_spec}
    found = [n for n in ast.walk(tree) if id(n) not in pieces and (
        isinstance(n, ast.JoinedStr) or isinstance(n, ast.Constant) and isinstance(n.value, str))]
    return sorted({span for n in found if (span := _literal_span(source, n))})


@functools.cache
def _english_left(source: str) -> tuple[int, tuple[str, ...]]:
    """(phrases compared, English phrases a Japanese cell still prints that it should not) for one notebook."""
    from i18n.catalog import TranslationMissing, catalogs_for, translation
    from i18n.lint import literal_text
    from i18n.units import FIELD, WORD, cell_context, code_flow, code_units

    english = nbformat.read(ROOT / source, as_version=4)
    japanese = {c.id: c for c in nbformat.read(BOOK_DIR / source, as_version=4).cells}
    catalogs, flow = catalogs_for(source), code_flow(english)
    checked, left = 0, []
    for cell in [c for c in english.cells if c.cell_type == "code" and c.id in japanese]:
        printed_en, printed_ja = _printed(cell), _printed(japanese[cell.id])
        units = [(s, e, u) for u, s, e, kind in code_units(cell_context(cell), cell.source, flow) if kind == "string"]
        on_purpose = flow.kept.get(cell_context(cell), [])
        for start, end in _literals(cell.source):
            unit = next((u for s, e, u in units if s <= start and end <= e), None)
            if unit is None and (start, end) in on_purpose:
                continue   # a name the code also looks up or passes on (units.py): printed as written
            try:
                kept = literal_text(translation(catalogs, unit)) if unit else ""   # e.g. code names left in a unit
            except TranslationMissing as missing:
                left.append(f"{cell.id}: {missing}")
                continue
            for phrase in FIELD.split(literal_text(cell.source[start:end])):
                phrase = phrase.strip(" :,;=()[]-\n")
                words = len(phrase.split()) >= 2 and (unit or len(WORD.findall(phrase)) >= 2)   # not |a - b|
                if words and phrase in printed_en and phrase not in kept:
                    checked += 1
                    if phrase in printed_ja:
                        left.append(f"{cell.id}: {phrase!r} is still printed in English"
                                    + ("" if unit else " (not a unit: a case for tools/i18n/units.py?)"))
    return checked, tuple(left)


NOTEBOOKS = [s for s in translated_sources() if s.endswith(".ipynb")]


@pytest.mark.parametrize("source", NOTEBOOKS)
def test_japanese_notebooks_print_japanese(source):
    """The stored outputs carry the translations: no printed English phrase survives in a Japanese cell.

    Each run of two or more English words a string literal of the English cell holds (the text between its
    {fields}) is looked up in the English cell's outputs; where it is printed there, the Japanese cell's
    outputs must not contain it (they would, were they stale or untranslated, or the literal no unit). Left
    out: what a unit's translation keeps (code names), and the literals units.py keeps as written on purpose
    (shown, but also looked up or passed on by the code: Flow.kept).
    """
    _, left = _english_left(source)
    assert not left, f"{source}:\n" + "\n".join(left)


def test_the_printed_phrases_compared_are_many():
    assert sum(_english_left(s)[0] for s in NOTEBOOKS) > 100
