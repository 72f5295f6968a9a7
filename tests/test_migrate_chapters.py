"""tools/migrate_chapters.py turns a chapter's MyST into plain CommonMark the book still renders, once."""
from __future__ import annotations

import copy
import sys
from pathlib import Path

import nbformat
import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import citation_links  # noqa: E402
import exercise_cells  # noqa: E402
import migrate_chapters  # noqa: E402
from test_student_markdown import leaks  # noqa: E402

md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
BIB = parse_file(str(ROOT / "references.bib"), bib_format="bibtex")


def old_chapter():
    return nbformat.v4.new_notebook(cells=[
        md("# Checkerboards\n\nAs in {cite}`odena2016deconvolution`, see {ref}`ex-08-2` and "
           "(exercise {ref}`ex-08-2`; {cite}`aitken2017icnr`)."),
        code("import torch"),
        md("## Exercises"),
        md("```{exercise}\n:label: ex-08-1\n\nCount the overlaps.\n```"),
        md("```{solution-start} ex-08-1\n:class: dropdown\n```"),
        code("print(1 + 1)", outputs=[nbformat.v4.new_output("stream", text="2\n")]),
        md("Because two."),
        md("```{solution-end}\n```"),
        md("```{exercise}\n:label: ex-08-2\n\nWrite `f`.\n```"),
        md("```{solution-start} ex-08-2\n:class: dropdown\n```"),
        code("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
        md("```{solution-end}\n```"),
        md("## Summary"),
    ])


def test_converts_to_plain_commonmark_that_the_book_turns_back():
    nb = old_chapter()
    assert leaks(nb)  # control: the old form shows MyST
    nb, changes = migrate_chapters.migrate(nb, 8, BIB)
    assert "exercise statement as a heading" in changes
    assert not leaks(nb) and not migrate_chapters.leftovers(nb)
    sources = [c.source for c in nb.cells]
    assert sources[0] == ("# Checkerboards\n\nAs in ([Odena et al., 2016](../references.md#odena2016deconvolution)), "
                          "see [Exercise 8.2](#ex-08-2) and ([exercise 8.2](#ex-08-2); "
                          "[Aitken et al., 2017](../references.md#aitken2017icnr)).")
    assert sources[3] == "### Exercise 8.1\n\nCount the overlaps."
    assert sources[4] == "### BEGIN SOLUTION\nprint(1 + 1)\n### END SOLUTION"
    assert nb.cells[4].outputs[0]["text"] == "2\n"  # outputs untouched
    assert sources[5] == "<!-- ### BEGIN SOLUTION -->\nBecause two.\n<!-- ### END SOLUTION -->"
    assert sources[7].count("BEGIN SOLUTION") == 1  # an answer cell already marked stays as it is
    assert not any("solution-" in s for s in sources) and len(sources) == len(old_chapter().cells) - 4
    # the book's form: numbered exercises, both answer cells in one box, citations back
    myst, count = exercise_cells.to_myst(nbformat.from_dict(copy.deepcopy(nb)), chapter=True)
    text = "\n".join(c["source"] for c in myst["cells"])
    assert count == 2 and ":label: ex-08-1" in text and ":nonumber:" not in text
    assert text.count("{solution-start}") == 2 and "BEGIN SOLUTION" not in text
    assert citation_links.to_cite(sources[0])[0] == (
        "# Checkerboards\n\nAs in {cite}`odena2016deconvolution`, see [Exercise 8.2](#ex-08-2) and "
        "([exercise 8.2](#ex-08-2); {cite}`aitken2017icnr`).")


def test_rerun_changes_nothing():
    nb, _ = migrate_chapters.migrate(old_chapter(), 8, BIB)
    before = nbformat.writes(nb)
    nb, changes = migrate_chapters.migrate(nb, 8, BIB)
    assert changes == [] and nbformat.writes(nb) == before


def test_unknown_key_and_open_section_are_errors():
    with pytest.raises(ValueError, match="not in references.bib"):
        migrate_chapters.migrate(nbformat.v4.new_notebook(cells=[md("{cite}`nobody2099`")]), 1, BIB)
    with pytest.raises(ValueError, match="no {solution-end}"):
        migrate_chapters.migrate(nbformat.v4.new_notebook(cells=[
            md("```{exercise}\n:label: ex-01-1\n\nDo.\n```"), md("```{solution-start} ex-01-1\n```"), code("x")]), 1, BIB)


def test_repository_chapters_are_converted():
    """Every chapter is already in the plain form (the tool's --check would change nothing)."""
    paths = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    pending = [p.name for p in paths if migrate_chapters.migrate(nbformat.read(p, as_version=4),
                                                                  int(p.name[:2]), BIB)[1]]
    assert not pending, f"run: .venv/bin/python tools/migrate_chapters.py {' '.join('chapters/' + n for n in pending)}"
