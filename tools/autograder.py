"""Autograding with Otter-Grader: build the grading bundles, grade a folder of submissions.

    python tools/autograder.py build --out _autograder [--chapters 02 03]
    python tools/autograder.py grade SUBMISSIONS --bundle _autograder

``build`` writes, per chapter, ``_autograder/NN_slug/autograder.zip``: an Otter autograder
(upload it to Gradescope as a "Programming assignment" autograder, or grade locally) with the
public and hidden tests of tools/grading_tests.py, plus ``points.json``. ``grade`` grades every
``SUBMISSIONS/<student>/<NN_slug>.ipynb`` with Otter's non-containerised grading (no Docker:
the notebook runs in a kernel of this environment) and writes ``SUBMISSIONS/grades.csv`` with
columns student, notebook, exercise, points, max_points. A submission that cannot be read or
run gets 0 for every exercise, with the reason printed; it never stops the run.
Written answers ("Think" exercises) are graded by hand and are not in the CSV.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grading_tests import write_tests  # noqa: E402
from install_cell import config_repository  # noqa: E402
from torch_pin import torch_spec  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["student", "notebook", "exercise", "points", "max_points"]


def _requirements(repository: str) -> str:
    return ("--extra-index-url https://download.pytorch.org/whl/cpu\n"
            f"{torch_spec()}\n"
            f"tconv-course @ git+{repository}\n")


def build_bundle(notebook: Path, out: Path) -> Path:
    """Write ``out/<NN_slug>/autograder.zip`` (Otter) for one exercise notebook; return its path."""
    from otter.generate import main as otter_generate

    folder = out / notebook.stem
    shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        tests, points = Path(tmp) / "tests", None
        points = write_tests(notebook, tests)
        requirements = Path(tmp) / "requirements.txt"
        requirements.write_text(_requirements(config_repository()))
        config = Path(tmp) / "otter_config.json"
        config.write_text(json.dumps({"lang": "python", "show_stdout": True, "show_hidden": False,
                                      "print_summary": False, "print_score": False, "pdf": False}))
        folder.mkdir(parents=True)
        otter_generate(tests_dir=str(tests), output_path=str(folder / "autograder.zip"), config=str(config),
                       requirements=str(requirements), no_environment=True, python_version="3.11")
    (folder / "points.json").write_text(json.dumps(points, indent=1) + "\n")
    return folder / "autograder.zip"


def build(out: Path, chapters: list[str] | None) -> list[Path]:
    """Bundles for the selected chapters' exercise notebooks (all when ``chapters`` is None)."""
    notebooks = sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))
    if chapters:
        wanted = {f"{int(c):02d}" for c in chapters}
        notebooks = [nb for nb in notebooks if nb.name[:2] in wanted]
        missing = wanted - {nb.name[:2] for nb in notebooks}
        if missing:
            raise ValueError(f"chapters: no exercise notebook for {sorted(missing)}")
    return [build_bundle(nb, out) for nb in notebooks]


def _label_to_exercise(label: str) -> str:
    m = re.fullmatch(r"exn-(\d+)-(\d+)", label)
    return f"{int(m.group(1))}.{m.group(2)}" if m else label


def grade_one(submission: Path, bundle: Path) -> dict[str, tuple[float, float]]:
    """label -> (points, max_points) for one submitted notebook, via Otter's in-process grading."""
    from otter.api import grade_submission

    points = json.loads((bundle.parent / "points.json").read_text())
    try:
        results = grade_submission(str(submission), str(bundle), quiet=True)
        scores = {label: (results.get_score(label), float(points[label])) for label in points
                  if label in results.results}
    except Exception as exc:  # unreadable notebook, kernel death...: graded as 0, reported
        print(f"  {submission}: could not be graded ({type(exc).__name__}: {str(exc)[:200]}); 0 points")
        scores = {}
    return {label: scores.get(label, (0.0, float(max_points))) for label, max_points in points.items()}


def grade(submissions: Path, bundles: Path) -> Path:
    """Grade ``submissions/<student>/<NN_slug>.ipynb`` against ``bundles``; write and return grades.csv."""
    available = {p.parent.name: p for p in bundles.glob("*/autograder.zip")}
    if not available:
        raise ValueError(f"no bundles in {bundles}: run `make autograder` first")
    rows = []
    for student in sorted(p for p in submissions.iterdir() if p.is_dir()):
        for nb in sorted(student.glob("*.ipynb")):
            if nb.stem not in available:
                print(f"  {nb}: no bundle for {nb.stem}; skipped")
                continue
            for label, (got, most) in grade_one(nb, available[nb.stem]).items():
                rows.append([student.name, nb.stem, _label_to_exercise(label), f"{got:g}", f"{most:g}"])
            done = [r for r in rows if r[0] == student.name and r[1] == nb.stem]
            print(f"{student.name}/{nb.name}: {sum(float(r[3]) for r in done):g} / {sum(float(r[4]) for r in done):g}")
    out = submissions / "grades.csv"
    with out.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/autograder.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write the Otter grading bundles")
    b.add_argument("--out", type=Path, default=ROOT / "_autograder")
    b.add_argument("--chapters", nargs="*", help="two-digit chapter numbers (default: all)")
    g = sub.add_parser("grade", help="grade SUBMISSIONS/<student>/<NN_slug>.ipynb into SUBMISSIONS/grades.csv")
    g.add_argument("submissions", type=Path)
    g.add_argument("--bundle", type=Path, default=ROOT / "_autograder")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            chapters = [c for a in args.chapters or [] for c in re.split(r"[,\s]+", a) if c] or None
            for path in build(args.out, chapters):
                print(f"autograder: {path}")
        else:
            print(f"grades: {grade(args.submissions, args.bundle)}")
    except (ValueError, FileNotFoundError) as exc:
        print(f"tools/autograder.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
