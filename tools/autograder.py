"""Autograding with Otter-Grader: build the grading bundles, grade a folder of submissions.

    python tools/autograder.py build --out _autograder [--chapters 02 03] [--language ja]
    python tools/autograder.py grade SUBMISSIONS --bundle _autograder

``build`` writes, per chapter, ``_autograder/NN_slug/autograder.zip``: an Otter autograder
(upload it to Gradescope as a "Programming assignment" autograder) with the public and hidden
tests of tools/grading_tests.py, plus ``points.json`` (tools/grading_bundles.py). ``--language ja``
builds them from the Japanese exercise notebooks (default ``_autograder_ja``): the same tests,
whose checks report in Japanese; ``grade`` reads each bundle's language. ``grade`` grades every
``SUBMISSIONS/<student>/<NN_slug>.ipynb`` (Colab and download names such as ``Copy of ...`` and
``... (1)`` included) for the chapters that have a bundle: each notebook runs in its own
bubblewrap sandbox with wall, CPU and memory limits (tools/grading/), and the tests run in this
process on the answers it hands out as plain data. It refuses to grade without a sandbox unless
``--unsafe``. It writes ``SUBMISSIONS/grades.csv`` (student, notebook, exercise, points,
max_points, status, reason) and ``SUBMISSIONS/gradebook.csv`` (one row per student); a
notebook that cannot be read, times out or crashes gets rows with that status, never stops the run.
Written answers ("Think" exercises) are graded by hand and are not in the CSV.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import grading_tests  # noqa: E402
from grading.gradebook import Submission, collect, read_roster, write_long, write_wide  # noqa: E402
from grading.judge import ExerciseSpec, Session, WorkerGone, review_note, score_exercise  # noqa: E402
from grading.runner import run_all  # noqa: E402
from grading.sandbox import REFUSAL, Limits, bwrap_works, command, stage_library  # noqa: E402
from grading_bundles import LANGUAGES, build, build_bundle, bundle_language, exercises_folder, instructor_notebook  # noqa: E402,F401

ROOT = Path(__file__).resolve().parent.parent
MAX_NOTEBOOK = 20 * 2**20


def _label_to_exercise(label: str) -> str:
    m = re.fullmatch(r"exn-(\d+)-(\d+)", label)
    return f"{int(m.group(1))}.{m.group(2)}" if m else label


def specs(stem: str, language: str = "en") -> list[ExerciseSpec]:
    """The tests of one chapter, from the instructor's exercise notebook in ``language`` (never from a submission)."""
    setup, found = grading_tests.exercises(instructor_notebook(exercises_folder(language) / f"{stem}.ipynb"))
    return [ExerciseSpec(ex.label, grading_tests.answer_names(ex, setup), setup, grading_tests.cases(ex))
            for ex in found]


def _rows(sub: Submission, tests: list[ExerciseSpec], status: str, reason: str) -> list[list]:
    return [[sub.student, sub.stem, _label_to_exercise(t.label), "0", f"{sum(c[1] for c in t.cases):g}", status,
             reason] for t in tests]


def grade_one(sub: Submission, tests: list[ExerciseSpec], lib: Path, limits: Limits, sandboxed: bool,
              scratch: Path) -> list[list]:
    """The grades.csv rows of one submission; every failure becomes rows with a status, never an exception."""
    notes = "; ".join(sub.notes)
    if sub.path is None:
        return _rows(sub, tests, "missing", notes)
    try:
        if sub.path.stat().st_size > MAX_NOTEBOOK:
            raise ValueError(f"larger than {MAX_NOTEBOOK // 2**20} MiB")
        nb = nbformat.read(sub.path, as_version=4)
    except Exception as exc:  # not JSON, not a notebook, vanished: graded as 0, with the reason
        return _rows(sub, tests, "unreadable" if sub.path.exists() else "missing",
                     f"{sub.path.name}: {type(exc).__name__}: {str(exc)[:160]}" + (f"; {notes}" if notes else ""))
    notes = "; ".join(filter(None, [notes, review_note([c.source for c in nb.cells if c.cell_type == "code"])]))
    copy = scratch / "submission" / "notebook.ipynb"
    copy.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, copy)  # the sandbox mounts this private copy, read-only
    argv, env = command(copy, lib, limits, sandboxed)
    session, rows = Session(argv, env, limits), []
    try:
        first = session.request()
        if not first.get("ready"):
            return _rows(sub, tests, "error", f"the notebook could not be run: {first.get('error', '')}")
        errors = "; ".join(first.get("errors", []))[:300]
        for i, test in enumerate(tests):
            most = sum(c[1] for c in test.cases)
            try:
                got, reason = score_exercise(session, test)
            except WorkerGone as gone:
                rows += _rows(sub, tests[i:], gone.status, "; ".join(filter(None, [gone.reason, notes])))
                break
            except Exception as exc:  # an answer too odd to transfer: this exercise only
                got, reason = 0.0, f"could not grade this answer ({type(exc).__name__}: {str(exc)[:160]})"
            if got < most and errors:
                reason += f" (the notebook raised: {errors})"
            rows.append([sub.student, sub.stem, _label_to_exercise(test.label), f"{got:g}", f"{most:g}", "graded",
                         "; ".join(filter(None, [reason, notes]))])
    except WorkerGone as gone:
        rows = _rows(sub, tests, gone.status, "; ".join(filter(None, [gone.reason, notes])))
    finally:
        session.kill()
    return rows


def _grade_in_scratch(args: tuple) -> list[list]:
    """grade_one in a scratch folder of its own, removed afterwards (one task of the process pool)."""
    sub, tests, lib, limits, sandboxed, scratch = args
    torch.set_num_threads(1)  # the checks' tensors are tiny: threads only cost (and jobs run side by side)
    try:
        return grade_one(sub, tests, lib, limits, sandboxed, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _report(rows: list[list]) -> None:
    """One line per graded notebook: student/notebook: points / max (statuses)."""
    if rows:
        print(f"{rows[0][0]}/{rows[0][1]}: {sum(float(r[3]) for r in rows):g} / "
              f"{sum(float(r[4]) for r in rows):g} ({', '.join(sorted({r[5] for r in rows}))})", flush=True)


def grade(submissions: Path, bundles: Path, limits: Limits | None = None, unsafe: bool = False,
          roster: Path | None = None, jobs: int = 1) -> Path:
    """Grade ``submissions/<student>/<NN_slug>.ipynb``; write grades.csv and gradebook.csv there, return the first."""
    available = sorted(p.parent.name for p in bundles.glob("*/autograder.zip"))
    if not available:
        raise ValueError(f"no bundles in {bundles}: run `make autograder` first")
    if not submissions.is_dir():
        raise ValueError(f"SUBMISSIONS={submissions} is not a folder")
    why = bwrap_works()
    if why and not unsafe:
        raise ValueError(f"{REFUSAL} ({why})")
    if why:
        print(f"WARNING: UNSAFE=1: grading without a sandbox ({why}); every submission runs with your rights",
              file=sys.stderr)
    limits, names = limits or Limits(), read_roster(roster) if roster else None
    found, notes = collect(submissions, available, names)
    for note in notes:
        print(f"  {note}")
    tests, rows = {stem: specs(stem, bundle_language(bundles / stem)) for stem in {s.stem for s in found}}, []
    with tempfile.TemporaryDirectory(prefix="tconv-grading-") as tmp:
        print("==> installing the library read-only for the sandbox (wheel)")
        lib = stage_library(Path(tmp) / "stage")
        tasks = [(sub, tests[sub.stem], lib, limits, not why, Path(tmp) / f"s{n}") for n, sub in enumerate(found)]
        crashed = lambda task, reason: _rows(task[0], task[1], "error", reason)  # noqa: E731
        for done in run_all(_grade_in_scratch, tasks, jobs, crashed, _report):
            rows += done
    write_wide(submissions / "gradebook.csv", rows, names)
    return write_long(submissions / "grades.csv", rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/autograder.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write the Otter grading bundles")
    b.add_argument("--out", type=Path, help="folder for the bundles (default _autograder; _autograder_ja for ja)")
    b.add_argument("--chapters", nargs="*", help="two-digit chapter numbers (default: all)")
    b.add_argument("--language", default="en", choices=LANGUAGES, help="the exercise notebooks' language")
    g = sub.add_parser("grade", help="grade SUBMISSIONS/<student>/<NN_slug>.ipynb into SUBMISSIONS/grades.csv")
    g.add_argument("submissions", type=Path)
    g.add_argument("--bundle", type=Path, default=ROOT / "_autograder")
    g.add_argument("--timeout", type=float, default=300.0, help="wall-time limit per notebook, seconds (default 300)")
    g.add_argument("--memory", type=int, default=6144, help="address-space limit per notebook, MiB (default 6144)")
    g.add_argument("--roster", type=Path, help="CSV: first column the folder name, then ID, email...")
    g.add_argument("--unsafe", action="store_true", help="grade without a sandbox when bubblewrap is missing")
    g.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), help="notebooks graded at once")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            chapters = [c for a in args.chapters or [] for c in re.split(r"[,\s]+", a) if c] or None
            out = args.out or ROOT / ("_autograder" if args.language == "en" else f"_autograder_{args.language}")
            for path in build(out, chapters, args.language):
                print(f"autograder: {path}")
        else:
            if args.timeout <= 0 or args.memory < 512:
                raise ValueError("--timeout must be > 0 seconds and --memory >= 512 MiB")
            out = grade(args.submissions, args.bundle, Limits(wall=args.timeout, memory_mib=args.memory),
                        args.unsafe, args.roster, max(1, args.jobs))
            print(f"grades: {out}\ngradebook: {out.with_name('gradebook.csv')}")
    except (ValueError, FileNotFoundError) as exc:
        print(f"tools/autograder.py: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:  # pip could not build the wheel the sandbox installs
        print(f"tools/autograder.py: {' '.join(map(str, exc.cmd[:4]))} ... failed (exit {exc.returncode}); "
              "the sandbox needs the library's wheel (pip builds it, with setuptools from PyPI)", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
