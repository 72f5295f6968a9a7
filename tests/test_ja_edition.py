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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from i18n import BOOK_DIR, translated_sources  # noqa: E402
from i18n.build import SETUP_ID  # noqa: E402
from i18n.checks import problems  # noqa: E402
from i18n.program import same_program  # noqa: E402

PILOT = ["chapters/01_what_is_transposed_convolution.ipynb", "exercises/01_what_is_transposed_convolution.ipynb",
         "intro.md", "references.md"]


def test_the_pilot_has_a_japanese_edition():
    assert set(PILOT) <= set(translated_sources())


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


def test_japanese_notebooks_print_japanese():
    """The printed strings of the pilot are Japanese in the stored outputs (not only in the sources)."""
    nb = nbformat.read(BOOK_DIR / PILOT[0], as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "手書きのループ == PyTorch：" in printed and "hand loop" not in printed
