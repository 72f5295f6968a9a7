"""Japanese autograding: bundles from the Japanese exercise notebooks grade Japanese submissions, in Japanese.

The Japanese exercise notebooks are the English program with one setup cell (``set_language("ja")``),
so their bundles hold the English tests and points (tools/grading_bundles.py), with that setup
first: the checks' reports, which are the feedback, are Japanese. The fast tests run the Otter test
files in this process (the language is set back afterwards); the end-to-end test builds chapter 2's
Japanese bundle and grades Japanese submissions in bubblewrap sandboxes, as `make grade
EDITION_LANG=ja` does: it runs under `make test-grading` (TCONV_GRADING=1).
"""
from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import grading_bundles  # noqa: E402
import grading_cases  # noqa: E402
import grading_tests  # noqa: E402
from i18n.program import same_program  # noqa: E402
from test_grading import EXPECTED, grading_cases_label, run_notebook_here  # noqa: E402

pytestmark = [pytest.mark.slow]

NOTEBOOK_JA = grading_bundles.exercises_folder("ja") / grading_cases.NOTEBOOK.name
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def language_restored():
    """Running a Japanese notebook or test here switches the library to Japanese: switch it back."""
    from tconv_lib.i18n import get_language, set_language
    before = get_language()
    yield
    set_language(before)


def test_japanese_bundle_tests_are_the_english_tests_in_japanese(tmp_path):
    """Every Japanese exercise notebook: the same exercises, points and check sources, the setup in Japanese."""
    notebooks = sorted(grading_bundles.exercises_folder("ja").glob("[0-9][0-9]_*.ipynb"))
    assert NOTEBOOK_JA in notebooks
    for notebook in notebooks:
        english = grading_bundles.exercises_folder("en") / notebook.name
        setup_en, found_en = grading_tests.exercises(grading_bundles.instructor_notebook(english))
        setup_ja, found_ja = grading_tests.exercises(grading_bundles.instructor_notebook(notebook))
        assert [e.label for e in found_ja] == [e.label for e in found_en], notebook.name
        assert all(same_program(a.check, b.check) for a, b in zip(found_en, found_ja)), notebook.name
        assert 'set_language("ja")' in setup_ja and "set_language" not in setup_en
        assert "import tconv_lib as tl" in setup_ja, notebook.name
        points_en = grading_tests.write_tests(english, tmp_path / "en" / notebook.stem)
        copy = tmp_path / "ja-instructor" / notebook.name
        copy.parent.mkdir(exist_ok=True)
        nbformat.write(grading_bundles.instructor_notebook(notebook), copy)
        assert grading_tests.write_tests(copy, tmp_path / "ja" / notebook.stem) == points_en


@pytest.fixture(scope="module")
def tests_dir_ja(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tests-ja")
    copy = folder / "instructor" / NOTEBOOK_JA.name
    copy.parent.mkdir()
    nbformat.write(grading_bundles.instructor_notebook(NOTEBOOK_JA), copy)
    grading_tests.write_tests(copy, folder / "tests")
    return folder / "tests"


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_typical_japanese_answers_score_as_intended_with_japanese_feedback(student, tests_dir_ja):
    otter_test_files = pytest.importorskip("otter.test_files")
    env = run_notebook_here(grading_cases.submissions(NOTEBOOK_JA)[student])
    scores, messages = {}, []
    for path in sorted(tests_dir_ja.glob("*.py")):
        test = otter_test_files.ExceptionTestFile.from_file(str(path))
        test.run(env)
        scores[grading_cases_label(test.name)] = test.score
        messages += [r.message for r in test.test_case_results if not r.passed and not r.test_case.hidden]
    assert scores == EXPECTED[student]
    assert all(JAPANESE.search(m) for m in messages), messages  # the checks' reports, in Japanese
    assert bool(messages) == (student != "full")


@pytest.mark.skipif(os.environ.get("TCONV_GRADING") != "1", reason="grading in sandboxes: make test-grading")
def test_end_to_end_japanese_bundle_grades_japanese_submissions_in_japanese(tmp_path):
    """`make autograder EDITION_LANG=ja`, then `make grade`: Japanese notebooks in sandboxes, Japanese reasons."""
    pytest.importorskip("otter")
    import autograder
    from grading.sandbox import Limits, bwrap_works
    if bwrap_works():
        pytest.skip(f"no sandbox here: {bwrap_works()}")
    bundles = tmp_path / "bundles"
    assert [p.parent.name for p in autograder.build(bundles, ["02"], "ja")] == ["02_stride"]
    assert grading_bundles.bundle_language(bundles / "02_stride") == "ja"
    submissions = grading_cases.write(tmp_path / "submissions", NOTEBOOK_JA)
    out = autograder.grade(submissions, bundles, Limits(wall=120), jobs=2)
    rows = list(csv.DictReader(out.open()))
    got: dict = {}
    for r in rows:
        got.setdefault(r["student"], {})[r["exercise"]] = float(r["points"])
        assert r["notebook"] == "02_stride" and r["status"] == "graded", r
    assert got == EXPECTED
    reasons = {(r["student"], r["exercise"]): r["reason"] for r in rows}
    failed = [reason for key, reason in reasons.items() if got[key[0]][key[1]] < EXPECTED["full"][key[1]]]
    assert failed and all(JAPANESE.search(reason) for reason in failed), failed
    assert "NotImplementedError" in reasons[("untouched", "2.2")] and "0点" in reasons[("torch_calls", "2.2")]
    assert any("不合格" in reason and "ヒント：" in reason for reason in failed), failed   # the failing case and its hint
