"""The exercise-notebook convention, in one place: how statements and answers are written and found.

A notebook in ``exercises/`` reads as plain CommonMark (JupyterLab, Notebook 7, VS Code,
Colab show it as written); the book's MyST form is derived from it at build time
(``_ext/exercise_cells.py``), and the student edition from it by ``tools/edition.py``.

* A statement is a markdown cell that starts with ``## Exercise 2.1: Title`` (chapter 2,
  exercise 1), followed by the task in plain Markdown. Its book label is ``exn-02-1``.
  A chapter's own exercises (``chapters/``) use the same heading, title optional
  (``### Exercise 8.2``), and keep their labels ``ex-08-2``.
* The answer is the next cell holding a solution region (in a chapter, the run of such
  cells right after the statement, e.g. a worked answer and its code): ``### BEGIN SOLUTION`` ...
  ``### END SOLUTION`` lines in code, ``<!-- ### BEGIN SOLUTION -->`` ...
  ``<!-- ### END SOLUTION -->`` in markdown (HTML comments: invisible in every renderer).
  These markers are the only solution markup: the book puts the answer cell in a
  collapsed "Solution" box, the student edition replaces each region by a stub.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import re

HEADING = re.compile(r"^#{2,4}[ \t]+(?:Exercise[ \t]+|演習[ \t]*)(\d+)\.(\d+)(?:[ \t]*[:.：][ \t]*(.+?))?[ \t]*$", re.M)
EXERCISE_PREFIX, CHAPTER_PREFIX = "exn", "ex"  # labels: exercises/ notebooks, chapters' own exercises
BEGIN, END = "BEGIN SOLUTION", "END SOLUTION"
CODE_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
TEXT_MARKERS = ("<!-- ### BEGIN SOLUTION -->", "<!-- ### END SOLUTION -->")


def statement(source: str, prefix: str = EXERCISE_PREFIX) -> tuple[str, int, int, str, str] | None:
    """``(label, chapter, number, title, body)`` when ``source`` is an exercise statement, else None.

    ``title`` is ``""`` for a heading without one; ``prefix`` is the label's (``ex`` in chapters).
    """
    text = source.lstrip("\n")
    m = HEADING.match(text)
    if not m or m.start() != 0:
        return None
    chapter, number = int(m.group(1)), int(m.group(2))
    return (label_for(chapter, number, prefix), chapter, number, m.group(3) or "",
            text[m.end():].strip("\n"))


def label_for(chapter: int, number: int, prefix: str = EXERCISE_PREFIX) -> str:
    """The book label of exercise ``chapter.number``: ``exn-02-1`` (``ex-02-1`` in a chapter)."""
    return f"{prefix}-{chapter:02d}-{number}"


def has_solution(source: str) -> bool:
    """True when the cell holds a solution region."""
    return BEGIN in source


def strip_markers(source: str) -> str:
    """The cell without its marker lines (the book shows the solution without them)."""
    return "\n".join(line for line in source.split("\n") if BEGIN not in line and END not in line).strip("\n")
