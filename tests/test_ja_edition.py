"""The Japanese edition is complete and current: `make test` fails on any missing or stale translation.

For every English source with a PO file (locale/ja/po/): each unit has a translation made from the
English as it is now; the committed Japanese notebook is what `python tools/i18n build` makes now and
has outputs wherever the English one has (nbval then compares them, `make wheel-env` stages the
Japanese notebooks); code cells are the same program as the English ones; markers, anchors and
link targets are kept; glossary terms carry their English at first use; prh.yml is generated from
the glossary. The messages say which command fixes what (tools/i18n/checks.py).
"""
from __future__ import annotations

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


def test_japanese_notebooks_print_japanese():
    """The stored outputs carry the translations: no printed English phrase survives in a Japanese cell.

    For every shown string whose translation differs, each run of two or more English words it prints
    (the text between its {fields}) is looked up in the English cell's outputs; where it is printed there,
    the Japanese cell's outputs must not contain it (they would, were they stale or untranslated).
    """
    from i18n.catalog import catalogs_for, translation
    from i18n.lint import literal_text
    from i18n.units import FIELD, Unit, cell_context, code_units

    checked = 0
    for source in [s for s in translated_sources() if s.endswith(".ipynb")]:
        english = nbformat.read(ROOT / source, as_version=4)
        japanese = {c.id: c for c in nbformat.read(BOOK_DIR / source, as_version=4).cells}
        catalogs = catalogs_for(source)
        for cell in [c for c in english.cells if c.cell_type == "code" and c.id in japanese]:
            printed_en, printed_ja = _printed(cell), _printed(japanese[cell.id])
            for unit, *_ in code_units(cell_context(cell), cell.source):
                if not unit.context.endswith("#string"):
                    continue
                kept = literal_text(translation(catalogs, Unit(unit.context, unit.english)))   # e.g. code names
                for phrase in FIELD.split(literal_text(unit.english)):
                    phrase = phrase.strip(" :,;=()[]-\n")
                    if len(phrase.split()) >= 2 and phrase in printed_en and phrase not in kept:
                        assert phrase not in printed_ja, f"{source} {cell.id}: {phrase!r} is still printed in English"
                        checked += 1
    assert checked > 100, f"only {checked} printed phrases compared"
