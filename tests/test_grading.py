"""Autograding: the Otter test files score typical answers as intended, and the whole path works.

The fast tests run the generated test files in this process against notebooks executed
here (no kernel). The end-to-end test builds chapter 2's Otter bundle and grades five
submissions with Otter in kernels (about 90 s on two cores): it runs when TCONV_GRADING=1,
which `make test-grading` sets (.ci/run calls it), and needs the `grade` extra.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import grading_cases  # noqa: E402
import grading_tests  # noqa: E402

pytestmark = [pytest.mark.slow]

EXPECTED = {  # student -> exercise -> points (max: 2.1: 2, 2.2: 4, 2.3: 3, 2.4: 4)
    "full": {"2.1": 2, "2.2": 4, "2.3": 3, "2.4": 4},
    "untouched": {"2.1": 0, "2.2": 0, "2.3": 0, "2.4": 0},
    "no_flip": {"2.1": 2, "2.2": 4, "2.3": 3, "2.4": 0},
    "torch_calls": {"2.1": 2, "2.2": 0, "2.3": 3, "2.4": 0},
    "broken": {"2.1": 2, "2.2": 0, "2.3": 0, "2.4": 0},
}


def run_notebook_here(nb) -> dict:
    """The namespace after running every code cell but the install cell, errors skipped (as Otter does)."""
    env: dict = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.source.startswith("# Running on Colab"):
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(cell.source, env)
            except Exception:
                pass
    return env


def scores_here(nb, tests_dir: Path) -> dict[str, float]:
    """label -> points, running the generated Otter test files in this process."""
    otter_test_files = pytest.importorskip("otter.test_files")
    env, scores = run_notebook_here(nb), {}
    for path in sorted(tests_dir.glob("*.py")):
        test = otter_test_files.ExceptionTestFile.from_file(str(path))
        test.run(env)
        scores[test.name] = test.score
    return scores


@pytest.fixture(scope="module")
def tests_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tests")
    grading_tests.write_tests(grading_cases.NOTEBOOK, folder)
    return folder


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_typical_answers_score_as_intended(student, tests_dir):
    nb = grading_cases.submissions()[student]
    scores = scores_here(nb, tests_dir)
    assert {grading_cases_label(k): v for k, v in scores.items()} == EXPECTED[student]


def grading_cases_label(label: str) -> str:
    _, chapter, number = label.split("-")
    return f"{int(chapter)}.{number}"


def test_every_exercise_with_a_check_gets_a_test_file(tmp_path):
    all_labels = set()
    for notebook in sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(notebook, as_version=4)
        checks = sum(bool(grading_tests._CHECK.search(c.source)) for c in nb.cells if c.cell_type == "code")
        points = grading_tests.write_tests(notebook, tmp_path / notebook.stem)
        assert len(points) == checks, notebook.name
        for ex in grading_tests.exercises(nb)[1]:
            source = (tmp_path / notebook.stem / f"{ex.label}.py").read_text()
            compile(source, ex.label, "exec")
            hidden = grading_tests._takes_seed(ex.check_name) or ex.label in grading_tests.BUILD_IT_YOURSELF
            assert ("hidden=True" in source) == hidden, ex.label
        all_labels |= set(points)
    assert set(grading_tests.BUILD_IT_YOURSELF) <= all_labels


def test_hidden_tests_are_not_in_the_student_files():
    """The student's notebook and the library hold no trace of the hidden tests."""
    student = nbformat.writes(grading_cases.submissions()["untouched"])
    assert "_forbid_conv" not in student and "seed=1009" not in student
    assert not list((ROOT / "tconv_lib").rglob("*grading*"))


@pytest.mark.skipif(os.environ.get("TCONV_GRADING") != "1", reason="end-to-end grading: make test-grading")
def test_end_to_end_bundle_and_grades_csv(tmp_path):
    pytest.importorskip("otter")
    import autograder
    bundle = autograder.build(tmp_path / "bundles", ["02"])
    assert [p.parent.name for p in bundle] == ["02_stride"]
    submissions = grading_cases.write(tmp_path / "submissions")
    (submissions / "garbled").mkdir()
    (submissions / "garbled" / "02_stride.ipynb").write_text("{ not json")
    out = autograder.grade(submissions, tmp_path / "bundles")
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["student", "notebook", "exercise", "points", "max_points"]
    got = {}
    for r in rows:
        got.setdefault(r["student"], {})[r["exercise"]] = float(r["points"])
        assert r["notebook"] == "02_stride"
    assert got.pop("garbled") == {"2.1": 0, "2.2": 0, "2.3": 0, "2.4": 0}
    assert got == EXPECTED
    maxima = {r["exercise"]: float(r["max_points"]) for r in rows}
    assert maxima == EXPECTED["full"]


@pytest.mark.parametrize("notebook", sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name)
def test_every_notebook_full_marks_for_solutions_none_for_the_student_copy(notebook, tmp_path, monkeypatch):
    import edition
    points = grading_tests.write_tests(notebook, tmp_path)
    monkeypatch.chdir(notebook.parent)  # as in the notebook's own folder
    full = nbformat.read(notebook, as_version=4)
    assert scores_here(full, tmp_path) == {k: float(v) for k, v in points.items()}
    student, _ = edition.student_notebook(full, clear_outputs=True)
    assert sum(scores_here(student, tmp_path).values()) == 0
