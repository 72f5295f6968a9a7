"""Hostile submissions graded alongside honest ones: ``make test-grading`` (TCONV_GRADING=1, needs bwrap).

One submission per attack of issue 27 plus our own (tests/grading_cases.py ATTACKS), honest
students, Colab and download names, an unreadable notebook, an empty folder and a roster entry
with no folder, all graded in one run. Each attack scores what its honest part earns, honest
students keep their marks, every student has rows, the run finishes, no process outlives it,
the checkout, the bundles and the classmates' notebooks are unchanged, and no file holds the
hidden tests' seed.
"""
from __future__ import annotations

import csv
import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import grading_cases  # noqa: E402
from grading.gradebook import chapter_of  # noqa: E402

HONEST = {"full": grading_cases.FULL, "untouched": grading_cases.NONE, "no_flip": {**grading_cases.FULL, "2.4": 0},
          "torch_calls": {"2.1": 2, "2.2": 0, "2.3": 3, "2.4": 0}, "broken": {"2.1": 2, "2.2": 0, "2.3": 0, "2.4": 0},
          "colab": grading_cases.FULL, "download": grading_cases.FULL, "two_copies": grading_cases.FULL}
MARKER = "tconv-grading-hostile-marker"


@pytest.mark.parametrize("name, stem", [("02_stride.ipynb", "02_stride"), ("Copy of 02_stride.ipynb", "02_stride"),
                                        ("02_stride (1).ipynb", "02_stride"), ("Copy of 02_stride (2).ipynb", "02_stride"),
                                        ("02_stride-Copy1.ipynb", "02_stride"), ("02_stride_final.ipynb", "02_stride"),
                                        ("notes.ipynb", None), ("03_padding.ipynb", None)])
def test_submitted_names_match_their_chapter(name, stem):
    assert chapter_of(name, ["02_stride", "08_checkerboard_artifacts"])[0] == stem


def _tree_hashes() -> dict[str, str]:
    """Hashes of the files the attacks aim at (the whole library, tools and exercises on CI)."""
    tops = ("tconv_lib", "tools", "exercises") if os.environ.get("CI") else ("tconv_lib/exercises", "tools/grading")
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
            for top in tops for p in sorted((ROOT / top).rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout


def _marker_processes() -> list[str]:
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if MARKER in (proc / "cmdline").read_bytes().decode(errors="replace"):
                found.append(proc.name)
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade every honest and hostile submission in one run; yield what the tests look at."""
    pytest.importorskip("otter")
    import autograder
    from grading.sandbox import Limits, bwrap_works
    if bwrap_works():
        pytest.skip(f"no sandbox here: {bwrap_works()}")
    tmp = tmp_path_factory.mktemp("hostile")
    bundles, subs = tmp / "bundles", tmp / "submissions"
    autograder.build(bundles, ["02"])
    grading_cases.write(subs)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    paths = dict(submissions=str(subs), bundles=str(bundles), root=str(ROOT), marker=MARKER,
                 port=listener.getsockname()[1])
    for name in grading_cases.ATTACKS:
        (subs / name).mkdir()
        nbformat.write(grading_cases.attack(name, **paths), subs / name / grading_cases.NOTEBOOK.name)
    full = grading_cases.submissions()["full"]
    for student, filename in (("colab", "Copy of 02_stride.ipynb"), ("download", "02_stride (1).ipynb")):
        (subs / student).mkdir()
        nbformat.write(full, subs / student / filename)
    (subs / "garbled").mkdir()
    (subs / "garbled" / "02_stride.ipynb").write_text("{ not json")
    (subs / "empty_folder").mkdir()
    (subs / "wrong_name").mkdir()
    nbformat.write(full, subs / "wrong_name" / "notes.ipynb")
    (subs / "two_copies").mkdir()
    nbformat.write(grading_cases.submissions()["untouched"], subs / "two_copies" / "Copy of 02_stride.ipynb")
    nbformat.write(full, subs / "two_copies" / "02_stride.ipynb")
    roster = tmp / "roster.csv"
    roster.write_text("folder,id,email\nfull,s001,full@example.org\nghost,s999,ghost@example.org\n")
    before = {"tree": _tree_hashes(), "git": _git_status(), "bundle": sorted(p.name for p in bundles.rglob("*")),
              "notebooks": {p: p.read_bytes() for p in subs.glob("*/*.ipynb")}}
    started = time.monotonic()
    out = autograder.grade(subs, bundles, Limits(wall=40, memory_mib=3072), roster=roster, jobs=3)
    seconds = time.monotonic() - started
    written = out.read_bytes()
    time.sleep(6)  # longer than the detached process of `detached_rewrite` waits before writing
    try:
        listener.accept()
        reached = True
    except BlockingIOError:
        reached = False
    listener.close()
    yield dict(rows=list(csv.DictReader(out.open())), before=before, written=written, out=out, subs=subs,
               bundles=bundles, seconds=seconds, reached=reached, marker_procs=_marker_processes(),
               gradebook=list(csv.DictReader((subs / "gradebook.csv").open())))


def _points(graded) -> dict[str, dict[str, float]]:
    got: dict = {}
    for r in graded["rows"]:
        got.setdefault(r["student"], {})[r["exercise"]] = float(r["points"])
    return got


pytestmark_hostile = pytest.mark.skipif(os.environ.get("TCONV_GRADING") != "1",
                                        reason="grading in sandboxes: make test-grading")


@pytestmark_hostile
@pytest.mark.slow
def test_honest_students_keep_their_marks(graded):
    points = _points(graded)
    for student, expected in HONEST.items():
        assert points[student] == expected, student
    reason = next(r["reason"] for r in graded["rows"] if r["student"] == "torch_calls" and r["exercise"] == "2.2")
    assert "calls PyTorch's convolution" in reason and "score 0" in reason


@pytestmark_hostile
@pytest.mark.slow
@pytest.mark.parametrize("attack", sorted(grading_cases.ATTACKS))
def test_each_attack_earns_only_its_honest_part(graded, attack):
    rows = [r for r in graded["rows"] if r["student"] == attack]
    assert {r["exercise"] for r in rows} == set(grading_cases.FULL)
    expected = grading_cases.ATTACKS[attack][3]
    if expected is None:  # the attack ends its own run: nothing is graded, with the status saying why
        assert {r["status"] for r in rows} == {"timeout" if attack == "endless_loop" else "error"}
        assert all(float(r["points"]) == 0 and r["reason"] for r in rows)
    else:
        assert {r["exercise"]: float(r["points"]) for r in rows} == expected


@pytestmark_hostile
@pytest.mark.slow
def test_every_student_has_rows_with_a_status(graded):
    folders = {p.name for p in graded["subs"].iterdir() if p.is_dir()}
    students = {r["student"] for r in graded["rows"]}
    assert students == folders | {"ghost"}
    for r in graded["rows"]:
        assert r["status"] in ("graded", "timeout", "error", "unreadable", "missing")
        assert r["reason"] or float(r["points"]) == float(r["max_points"]), r
    status = {(r["student"], r["status"]) for r in graded["rows"]}
    assert {("garbled", "unreadable"), ("empty_folder", "missing"), ("ghost", "missing"),
            ("wrong_name", "missing")} <= status
    reasons = {r["student"]: r["reason"] for r in graded["rows"]}
    assert "notes.ipynb" in reasons["wrong_name"] and "Copy of 02_stride.ipynb" in reasons["two_copies"]
    book = {r["student"]: r for r in graded["gradebook"]}
    assert set(book) == students and book["full"]["total"] == "11" and book["full"]["id"] == "s001"
    assert book["full"]["2.4"] == "3" and book["ghost"]["status"] == "missing"


@pytestmark_hostile
@pytest.mark.slow
def test_nothing_outside_the_sandbox_changed(graded):
    assert graded["out"].read_bytes() == graded["written"], "grades.csv was rewritten after the run"
    assert graded["marker_procs"] == [], "a process started by a submission outlived its grading"
    assert not graded["reached"], "a submission reached the grader's machine over the network"
    assert _tree_hashes() == graded["before"]["tree"]
    if os.environ.get("CI"):  # on a shared checkout other people's edits change git status
        assert _git_status() == graded["before"]["git"]
    assert sorted(p.name for p in graded["bundles"].rglob("*")) == graded["before"]["bundle"]
    for path, content in graded["before"]["notebooks"].items():
        assert path.read_bytes() == content, path
    for path in graded["subs"].rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert "seed=1009" not in text and "HIDDEN_SEED" not in text, path


@pytestmark_hostile
@pytest.mark.slow
def test_the_run_is_bounded(graded):
    print(f"graded {len({r['student'] for r in graded['rows']})} students in {graded['seconds']:.0f} s")
    assert graded["seconds"] < 240
