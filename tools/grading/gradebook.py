"""Who submitted what, and the CSV files: every student accounted for, with the reason for every zero.

File names are matched to chapters the way students save them (``Copy of 02_stride.ipynb`` from
Colab, ``02_stride (1).ipynb`` from a second download, ``02_stride-Copy1.ipynb`` from Jupyter);
``grades.csv`` is the long format (one row per student and exercise, with a status and a reason),
``gradebook.csv`` the wide one (one row per student: total, then one column per exercise) for
Canvas, Moodle or Gradescope. Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import csv
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS = ["student", "notebook", "exercise", "points", "max_points", "status", "reason"]
STATUSES = ("graded", "timeout", "error", "unreadable", "missing")
_DECORATIONS = re.compile(r"^(copy of )+|( ?\(\d+\))+$|(-copy\d+)+$|( - copy)+$", re.IGNORECASE)


def chapter_of(filename: str, stems: list[str]) -> tuple[str | None, str]:
    """(bundle stem or None, how it matched) for a submitted file name."""
    stem = filename[:-len(".ipynb")] if filename.lower().endswith(".ipynb") else filename
    bare = stem
    while True:
        shorter = _DECORATIONS.sub("", bare).strip()
        if shorter == bare:
            break
        bare = shorter
    if bare in stems:
        return bare, "exact" if bare == stem else f"{filename!r} read as {bare}.ipynb"
    number = re.match(r"(\d{2})[_ -]", bare)
    by_number = [s for s in stems if number and s.startswith(number.group(1) + "_")]
    if len(by_number) == 1:
        return by_number[0], f"{filename!r} matched to {by_number[0]}.ipynb by its chapter number"
    return None, f"{filename!r} matches no chapter being graded"


@dataclass
class Submission:
    """One student's notebook for one chapter (``path`` None: nothing submitted)."""

    student: str
    stem: str
    path: Path | None
    notes: list[str] = field(default_factory=list)


def collect(submissions: Path, stems: list[str], roster: dict | None = None) -> tuple[list[Submission], list[str]]:
    """(one Submission per student and chapter, notes on files no chapter claims)."""
    folders = sorted(p.name for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))
    students = sorted(set(folders) | set(roster or {}))
    found, notes, unmatched = {}, [], {}
    for student in folders:
        for nb in sorted((submissions / student).rglob("*.ipynb")):
            if ".ipynb_checkpoints" in nb.parts:
                continue
            stem, how = chapter_of(nb.name, stems)
            if stem is None:
                notes.append(f"{student}/{nb.relative_to(submissions / student)}: {how}; not graded")
                unmatched.setdefault(student, []).append(how)
                continue
            found.setdefault((student, stem), []).append((how != "exact", -nb.stat().st_mtime, nb, how))
    chapters = sorted({stem for _, stem in found}) or stems
    result = []
    for student in students:
        for stem in chapters:
            candidates = sorted(found.get((student, stem), []), key=lambda c: c[:2])
            if not candidates:
                why = "no folder for this roster entry" if student not in folders else f"no {stem}.ipynb submitted"
                result.append(Submission(student, stem, None, [why, *unmatched.get(student, [])]))
                continue
            chosen = candidates[0]
            extra = [f"also submitted {c[2].name!r} (not graded: the exact name, then the newest, wins)"
                     for c in candidates[1:]]
            result.append(Submission(student, stem, chosen[2], ([chosen[3]] if chosen[3] != "exact" else []) + extra))
    return result, notes


def read_roster(path: Path) -> dict[str, dict[str, str]]:
    """folder name -> the roster's other columns (a CSV whose first column is the folder name)."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise ValueError(f"roster {path}: no rows; the first column must hold the folder names")
    key = next(iter(rows[0]))
    return {r[key].strip(): {k: v for k, v in r.items() if k != key} for r in rows if r[key].strip()}


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    """Write a CSV atomically (a temporary file renamed over ``path``)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(tmp, path)
    return path


def write_long(path: Path, rows: list[list]) -> Path:
    """grades.csv: ``COLUMNS``, one row per student and exercise."""
    return _write(path, COLUMNS, rows)


def write_wide(path: Path, rows: list[list], roster: dict | None = None) -> Path:
    """gradebook.csv: student, the roster's columns, total, max_total, status, then one column per exercise."""
    exercises = sorted({r[2] for r in rows if r[2]}, key=lambda e: tuple(int(p) for p in e.split(".")))
    extra = sorted({k for v in (roster or {}).values() for k in v})
    table: dict[str, dict] = {}
    for student, _, exercise, points, most, status, _ in rows:
        entry = table.setdefault(student, {"total": 0.0, "max": 0.0, "statuses": set()})
        entry[exercise] = points
        entry["total"] += float(points)
        entry["max"] += float(most)
        entry["statuses"].add(status)
    out = []
    for student, entry in sorted(table.items()):
        status = "graded" if entry["statuses"] == {"graded"} else ", ".join(
            s for s in STATUSES if s in entry["statuses"] and s != "graded")
        info = (roster or {}).get(student, {})
        out.append([student, *[info.get(k, "") for k in extra], f"{entry['total']:g}", f"{entry['max']:g}", status,
                    *[entry.get(e, "") for e in exercises]])
    return _write(path, ["student", *extra, "total", "max_total", "status", *exercises], out)
