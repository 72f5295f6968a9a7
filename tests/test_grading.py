"""Autograding: the Otter test files score typical answers as intended, and the whole path works.

The fast tests run the generated test files in this process against notebooks executed
here (no kernel). The end-to-end test builds chapter 2's Otter bundle and grades the
submissions with `make grade`'s sandboxed path: it runs when TCONV_GRADING=1, which
`make test-grading` sets (.ci/run calls it), and needs the `grade` extra and bubblewrap;
tests/test_grading_hostile.py grades the hostile submissions.
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
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "_ext"))
import grading_cases  # noqa: E402
import grading_tests  # noqa: E402

pytestmark = [pytest.mark.slow]

EXPECTED = {  # student -> exercise -> points (max: 2.1: 2, 2.2: 3, 2.3: 3, 2.4: 3)
    "full": {"2.1": 2, "2.2": 3, "2.3": 3, "2.4": 3},
    "untouched": {"2.1": 0, "2.2": 0, "2.3": 0, "2.4": 0},
    "no_flip": {"2.1": 2, "2.2": 3, "2.3": 3, "2.4": 0},
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
            assert ("hidden=True" in source) == grading_tests._takes_seed(ex.check_name), ex.label
        all_labels |= set(points)
    assert {"exn-02-2", "exn-12-4", "exn-14-2"} <= all_labels


RULED = ("check_zero_insert", "check_conv_transpose2d", "check_conv_matrix", "check_conv_transpose1d",
         "check_center_crop")


def test_every_build_it_yourself_statement_states_the_rule():
    """Every exercise whose check enforces a build-it-yourself rule says so in its statement."""
    from exercise_format import statement
    seen = []
    for notebook in sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(notebook, as_version=4)
        texts = {st[0]: c.source for c in nb.cells if c.cell_type == "markdown" and (st := statement(c.source))}
        for ex in grading_tests.exercises(nb)[1]:
            if ex.check_name.split(".")[-1] in RULED:
                assert "**Build it yourself:**" in texts[ex.label] and "scores 0" in texts[ex.label], ex.label
                seen.append(ex.label)
    assert {"exn-01-2", "exn-01-3", "exn-02-2", "exn-02-4", "exn-03-3", "exn-09-2", "exn-12-3", "exn-13-2"} <= set(seen)


def test_hidden_tests_are_not_in_the_student_files():
    """The student's notebook and the library hold no trace of the hidden tests."""
    student = nbformat.writes(grading_cases.submissions()["untouched"])
    assert "seed=1009" not in student and "HIDDEN_SEED" not in student
    assert not list((ROOT / "tconv_lib").rglob("*grading*"))


@pytest.mark.skipif(os.environ.get("TCONV_GRADING") != "1", reason="end-to-end grading: make test-grading")
def test_end_to_end_bundle_and_grades_csv_unsafe_mode(tmp_path, monkeypatch, capsys):
    """The bundle builds, and UNSAFE=1 grading (no sandbox: as where bwrap is missing) scores as intended.

    Grading in the sandbox is tested by tests/test_grading_hostile.py.
    """
    pytest.importorskip("otter")
    import autograder
    from grading.sandbox import Limits
    bundle = autograder.build(tmp_path / "bundles", ["02"])
    assert [p.parent.name for p in bundle] == ["02_stride"]
    submissions = grading_cases.write(tmp_path / "submissions")
    monkeypatch.setattr(autograder, "bwrap_works", lambda: "bwrap is not installed (simulated)")
    out = autograder.grade(submissions, tmp_path / "bundles", Limits(wall=120), unsafe=True, jobs=2)
    assert "WARNING: UNSAFE=1" in capsys.readouterr().err
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["student", "notebook", "exercise", "points", "max_points", "status", "reason"]
    got = {}
    for r in rows:
        got.setdefault(r["student"], {})[r["exercise"]] = float(r["points"])
        assert r["notebook"] == "02_stride" and r["status"] == "graded"
    assert got == EXPECTED
    maxima = {r["exercise"]: float(r["max_points"]) for r in rows}
    assert maxima == EXPECTED["full"]


def test_grading_refuses_without_a_sandbox(tmp_path, monkeypatch):
    import autograder
    (tmp_path / "bundles" / "02_stride").mkdir(parents=True)
    (tmp_path / "bundles" / "02_stride" / "autograder.zip").write_bytes(b"")
    (tmp_path / "submissions" / "someone").mkdir(parents=True)
    monkeypatch.setattr(autograder, "bwrap_works", lambda: "bwrap is not installed")
    with pytest.raises(ValueError, match="UNSAFE=1") as refused:
        autograder.grade(tmp_path / "submissions", tmp_path / "bundles")
    assert "apt-get install bubblewrap" in str(refused.value)
    assert not (tmp_path / "submissions" / "grades.csv").exists()


@pytest.mark.parametrize("notebook", sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name)
def test_every_notebook_full_marks_for_solutions_none_for_the_student_copy(notebook, tmp_path, monkeypatch):
    import edition
    points = grading_tests.write_tests(notebook, tmp_path)
    monkeypatch.chdir(notebook.parent)  # as in the notebook's own folder
    full = nbformat.read(notebook, as_version=4)
    assert scores_here(full, tmp_path) == {k: float(v) for k, v in points.items()}
    student, _ = edition.student_notebook(full, clear_outputs=True)
    assert sum(scores_here(student, tmp_path).values()) == 0


def test_student_repo_on_another_host_builds_without_buttons_or_refuses_in_one_line():
    """make student STUDENT_REPO=<any host>: no theme buttons (which need GitHub, GitLab.com or Bitbucket)."""
    import edition
    import yaml
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    other = edition.edition_config(config, "https://example.org/course-student", False)
    assert "repository" not in other and "launch_buttons" not in other
    assert other["html"]["use_repository_button"] is False
    assert "example.org" in edition.check_student_repo("https://example.org/course-student")
    assert edition.check_student_repo("https://github.com/someone/course") is None
    with pytest.raises(ValueError, match="STUDENT_REPO must be the http"):
        edition.check_student_repo("example.org/course-student")


class NotebookClass(torch.nn.Module):
    """Stands for an nn.Module class a notebook defines."""

    def forward(self, x):
        return x


def test_answers_cross_as_plain_data_and_modules_only_as_torch_nn_weights():
    """tools/grading/wire.py: what the sandbox hands out decodes without running anything of the submission's."""
    import io

    import numpy as np
    from grading.wire import Opaque, decode, encode
    from torch import nn

    handles: list = []
    value = {"shape": (1, 1, 7, 7), "x": np.arange(6.0).reshape(2, 3), "t": torch.ones(2, dtype=torch.float64),
             "n": np.int64(3), "f": len, "layer": nn.Sequential(nn.ConvTranspose2d(3, 4, 4, stride=2), nn.Tanh())}
    back = decode(encode(value, handles), function=lambda handle, name: ("remote", handle, name))
    assert back["shape"] == (1, 1, 7, 7) and back["n"] == 3 and back["f"] == ("remote", 0, "len")
    assert np.array_equal(back["x"], value["x"]) and torch.equal(back["t"], value["t"])
    assert torch.equal(back["layer"][0].weight, value["layer"][0].weight) and handles == [len]
    odd = nn.Sequential(NotebookClass())  # a torch.nn container around a class of the notebook's
    assert isinstance(decode(encode(odd, [])), Opaque)
    buf = io.BytesIO()
    torch.save({"payload": NotebookClass()}, buf)  # a hand-made reply: the class is not torch.nn's
    import base64
    with pytest.raises(Exception, match="(?i)weights only|unsupported|global"):
        decode({"$": "module", "bytes": base64.b64encode(buf.getvalue()).decode()})


def test_sandbox_binds_the_interpreter_over_its_private_tmp():
    """A checkout under /tmp (as CI may use) stays visible in the sandbox: bwrap mounts in order, so the
    private /tmp must come before the binds of the interpreter, its packages and the library."""
    from grading import sandbox

    argv, _ = sandbox.command(Path("/tmp/course/nb.ipynb"), Path("/tmp/course/lib"), sandbox.Limits())
    private_tmp = argv.index("--tmpfs") + 1
    assert argv[private_tmp] == "/tmp"
    binds = [i for i, word in enumerate(argv) if word == "--ro-bind"]
    interpreter = [i for i in binds if argv[i + 1] == os.path.realpath(sys.prefix)]
    library = [i for i in binds if argv[i + 2] == sandbox.LIB_IN_SANDBOX]
    assert interpreter and library and min(interpreter + library) > private_tmp
