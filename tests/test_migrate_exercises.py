"""tools/migrate_exercises.py turns an old-form exercise notebook into the plain-Markdown form, once."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import migrate_exercises  # noqa: E402
from test_student_markdown import leaks  # noqa: E402

md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
NBGRADER = {"nbgrader": {"grade": False, "grade_id": "x", "solution": True}}


def old_notebook():
    return nbformat.v4.new_notebook(cells=[
        md("# Exercises: Stride\n\nSee {ref}`the chapter <ch-stride>` and {math}`s - 1` zeros."),
        code("import tconv_lib as tl"),
        md("````{exercise} Warm-up: a size\n:label: exn-02-1\n:nonumber:\n\nStore the shape in `shape`.\n````"),
        md("```{solution-start} exn-02-1\n:class: dropdown\n```"),
        code("### BEGIN SOLUTION\nshape = (1, 1, 7, 7)\n### END SOLUTION", metadata=NBGRADER),
        md("```{solution-end}\n```"),
        code("result = tl.exercises.check_shape_by_hand(shape, module, (1, 1, 3, 3))"),
        md("````{exercise} Think: why\n:label: exn-02-2\n\n```{note}\nTwo sentences.\n```\n````"),
        md("````{solution} exn-02-2\n:class: dropdown\n\nBecause the zeros.\n````"),
        md("````{exercise} Build: more\n:label: exn-02-3\n````"),
        md("```{solution-start} exn-02-3\n```"),
        code("def f():\n    return 1"),
        md("Explained."),
        md("```{solution-end}\n```"),
        code("result = tl.exercises_beyond.check_thing(f)"),
    ])


def test_old_form_becomes_plain_markdown_with_one_marker_convention():
    nb, changes = migrate_exercises.migrate(old_notebook(), chapter=2)
    sources = [c.source for c in nb.cells]
    assert not leaks(nb) and "nbgrader metadata removed" in changes
    assert sources[0] == "# Exercises: Stride\n\nSee the chapter and $s - 1$ zeros."
    assert sources[2] == "## Exercise 2.1: Warm-up: a size\n\nStore the shape in `shape`."
    assert sources[3] == "### BEGIN SOLUTION\nshape = (1, 1, 7, 7)\n### END SOLUTION" and not nb.cells[3].metadata
    assert sources[4] == 'result = tl.exercises.check_shape_by_hand(tl.exercises.answer("shape"), module, (1, 1, 3, 3))'
    assert sources[5].startswith("## Exercise 2.2: Think: why") and "> **Note.** Two sentences." in sources[5]
    assert sources[6] == "<!-- ### BEGIN SOLUTION -->\nBecause the zeros.\n<!-- ### END SOLUTION -->"
    assert sources[7] == "## Exercise 2.3: Build: more"
    assert sources[8] == "### BEGIN SOLUTION\ndef f():\n    return 1\n### END SOLUTION"  # unmarked: marked whole
    assert sources[9] == "<!-- ### BEGIN SOLUTION -->\nExplained.\n<!-- ### END SOLUTION -->"
    assert sources[10] == 'result = tl.exercises_beyond.check_thing(tl.exercises.answer("f"))'
    assert not any("solution-start" in s or "solution-end" in s for s in sources)


def test_migration_is_idempotent_and_check_mode_writes_nothing(tmp_path, capsys):
    path = tmp_path / "02_stride.ipynb"
    nbformat.write(old_notebook(), path)
    before = path.read_text()
    assert migrate_exercises.main(["--check", str(path)]) == 1 and path.read_text() == before
    assert migrate_exercises.main([str(path)]) == 0
    once = path.read_text()
    assert migrate_exercises.main([str(path)]) == 0 and path.read_text() == once
    assert migrate_exercises.main(["--check", str(path)]) == 0
    assert "already converted" in capsys.readouterr().out


def test_repository_notebooks_are_already_converted():
    for path in sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb")):
        _, changes = migrate_exercises.migrate(nbformat.read(path, as_version=4), int(path.name[:2]))
        assert not changes, (path.name, changes)
