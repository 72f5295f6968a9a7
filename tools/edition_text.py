"""The student edition's text edits: solutions to stubs, solution sections out, links and numbers fixed.

Used by tools/edition.py (see there for what the edition is). Works on notebook cells
and MyST pages alike; the solution convention is _ext/exercise_format.py. The stubs are
Otter's and nbgrader's, in every language; the sentences the edition writes, drops or
renumbers are the edition's language's (``WORDING``, ``drop_promises``, ``renumber``).
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
from book_links import book_link, source_of  # noqa: E402

CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
TEXT_STUB = "YOUR ANSWER HERE"
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s#]+\.(?:ipynb|md))(#[^)\s]*)?\)")
_FENCE_OPEN = re.compile(r"^\s*(`{3,}|:{3,})\s*\{(solution|solution-start|solution-end)\}")
# a sentence that promises a worked solution in a collapsed box (there is none in the edition)
_PROMISE = re.compile(r"(?:(?<=[.!?:])[ \t\n]+|^)[^.!?]*\bsolutions?\b[^.!?]*\bcollapsed\b[^.!?]*[.!?]", re.M)
_CHAPTER_REF = re.compile(r"\b([Cc]hapters?)(\s+)(\d{1,2})\b(?! of the full course)")
# "Exercise N.M" in a heading or in the text of an exercise link ([Exercise 8.2](#ex-08-2))
_EXERCISE_HEADING = re.compile(r"(?:^#{2,4}[ \t]+|\[)Exercise[ \t]+(\d+)\.\d+", re.M)
# the Japanese edition's forms: a sentence with 解答例 and 折りたた (and the "try first" after it),
# 第N章 (第N～M章, 第N、M章), and 演習N.M in headings and link texts
_PROMISE_JA = re.compile(r"[^。\n]*(?:解答例[^。\n]*折りたた|折りたた[^。\n]*解答例)[^。\n]*。"
                         r"(?:[^。\n]*自分で[^。\n]*ください。)?")
_FULL_COURSE_JA = "完全版のコースの"
_CHAPTER_REF_JA = re.compile(r"(?<!" + _FULL_COURSE_JA + r")第(\d{1,2}(?:[～〜、]\d{1,2})*)章")
_EXERCISE_HEADING_JA = re.compile(r"(?:^#{2,4}[ \t]+|\[)演習[ \t]*(\d+)\.\d+", re.M)
# what the edition writes in each language: its name in the title, and the words for the course repository
WORDING = {
    "en": {"title": "{title} ({kind})", "student": "student edition", "selection": "selection",
           "course_repository": "the course repository"},
    "ja": {"title": "{title}（{kind}）", "student": "学生版", "selection": "抜粋",
           "course_repository": "このコースのリポジトリ"},
}


def stub_solutions(text: str, markdown: bool = False) -> tuple[str, int]:
    """Replace every BEGIN/END SOLUTION region with nbgrader's stub; return (text, regions)."""
    out, inside, count = [], False, 0
    for line in text.split("\n"):
        if not inside and "BEGIN SOLUTION" in line:
            inside, count = True, count + 1
            indent = line[:len(line) - len(line.lstrip())]
            out.extend([TEXT_STUB] if markdown else [indent + s for s in CODE_STUB])
        elif inside and "END SOLUTION" in line:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError("a BEGIN SOLUTION region has no END SOLUTION line")
    return "\n".join(out), count


def _directive(line: str) -> tuple[str, str] | None:
    """``(fence, name)`` if ``line`` opens a solution directive, else None."""
    m = _FENCE_OPEN.match(line)
    return (m.group(1), m.group(2)) if m else None


def strip_solution_text(text: str, inside: bool = False, keep: bool = False) -> tuple[str, bool]:
    """Drop ``{solution}`` blocks and ``{solution-start}``..``{solution-end}`` spans from MyST text.

    ``inside`` says whether the text starts within a gated section (notebook cells); the
    returned flag says whether it ends within one. ``keep=True`` keeps the text inside
    sections (an answer cell, already stubbed) and drops only the directives.
    """
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        found = _directive(lines[i])
        if found is None:
            if keep or not inside:
                out.append(lines[i])
            i += 1
            continue
        fence, name = found
        j = i + 1  # skip to the closing fence of this directive
        while j < len(lines) and not (len(lines[j].strip()) >= len(fence) and set(lines[j].strip()) == {fence[0]}):
            j += 1
        inside = {"solution-start": True, "solution-end": False}.get(name, inside)
        i = j + 1
    return "\n".join(out), inside


def student_notebook(nb, clear_outputs: bool) -> tuple[object, dict]:
    """The student version of a notebook (a new object) and counts of what was changed."""
    nb = nbformat.from_dict(nb)
    stats, cells, inside = {"stubbed": 0, "removed_cells": 0}, [], False
    for cell in nb.cells:
        was_inside = inside
        cell.source, stubbed = stub_solutions(cell.source, markdown=cell.cell_type != "code")
        if cell.cell_type == "markdown":
            cell.source, inside = strip_solution_text(cell.source, inside, keep=stubbed > 0)
        stats["stubbed"] += stubbed
        if (was_inside and inside and not stubbed) or not cell.source.strip():
            stats["removed_cells"] += 1
            continue
        if cell.cell_type == "code" and (clear_outputs or stubbed):
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    if inside:
        raise ValueError("a {solution-start} section has no {solution-end}")
    nb.cells = cells
    return nb, stats


def localise_book_links(text: str, base: str | None, page: str, kept: set[str]) -> str:
    """Links into the published course book at ``base`` as links inside the edition.

    A page the edition keeps gets a relative link (``#label`` for a labelled place: MyST finds
    it on any page); a page it leaves out becomes plain text. So no page of a student edition
    points at the full book, which shows the worked solutions.
    """
    if not base:
        return text
    here = Path(page).parent

    def local(m: re.Match) -> str:
        path, anchor = m.group("path"), m.group("anchor")
        if path not in kept:
            return m.group("text")
        if anchor and path != "references":
            return f"[{m.group('text')}](#{anchor})"
        target = Path(*[".."] * len(here.parts), source_of(path)) if here.parts else Path(source_of(path))
        return f"[{m.group('text')}]({target.as_posix()}{'#' + anchor if anchor else ''})"

    return book_link(base).sub(local, text)


def unlink_missing(text: str, page: str, kept: set[str]) -> str:
    """Turn MyST links from ``page`` to pages outside ``kept`` (paths without suffix) into plain text."""
    def fix(m: re.Match) -> str:
        if ":" in m.group(2):  # a URL, not a page of the book
            return m.group(0)
        target = Path(page).parent / m.group(2)
        name = str(Path(*[p for p in target.with_suffix("").parts if p != "."]))
        parts = []
        for p in Path(name).parts:
            parts = parts[:-1] if p == ".." and parts else parts + [p]
        return m.group(0) if "/".join(parts) in kept else m.group(1)
    return _LINK.sub(fix, text)


def unlink_book(text: str, base: str | None) -> str:
    """Every remaining markdown link into the published book at ``base`` as plain text (its （英語） mark dropped)."""
    if not base:
        return text
    link = re.compile(r"\[(?P<text>[^\]\n]+)\]\(" + re.escape(base.rstrip("/") + "/") + r"[^)\s]*\)(?:（英語）)?")
    return link.sub(lambda m: m.group("text"), text)


def drop_promises(text: str, language: str = "en") -> str:
    """Markdown without the sentences that promise a collapsed worked solution."""
    return (_PROMISE_JA if language == "ja" else _PROMISE).sub("", text)


def _renumber_ja(text: str, numbers: dict[int, int]) -> str:
    """第N章 (第N～M章, 第N、M章), and 演習N.M in headings and link texts, as the edition numbers them."""
    def chapter(m: re.Match) -> str:
        named = set()
        for piece in m.group(1).replace("〜", "～").split("、"):
            first, _, last = piece.partition("～")
            named |= set(range(int(first), int(last or first) + 1))
        if not named <= set(numbers):
            return _FULL_COURSE_JA + m.group(0)
        return re.sub(r"\d+", lambda n: str(numbers[int(n.group(0))]), m.group(0))
    def heading(m: re.Match) -> str:
        new = numbers.get(int(m.group(1)), int(m.group(1)))
        return re.sub(r"演習([ \t]*)\d+\.", rf"演習\g<1>{new}.", m.group(0), count=1)
    return _CHAPTER_REF_JA.sub(chapter, _EXERCISE_HEADING_JA.sub(heading, text))


def renumber(text: str, numbers: dict[int, int], language: str = "en") -> str:
    """"Chapter N", and "Exercise N.M" in headings and link texts, with N as the edition numbers it.

    ``numbers`` maps old chapter numbers to new ones.

    A chapter left out of the edition is named as "chapter N of the full course"
    (Japanese: 第N章 and 演習N.M; 完全版のコースの第N章).
    """
    if language == "ja":
        return _renumber_ja(text, numbers)

    def chapter(m: re.Match) -> str:
        old = int(m.group(3))
        if old in numbers:
            return f"{m.group(1)}{m.group(2)}{numbers[old]}"
        return f"{m.group(1)}{m.group(2)}{old} of the full course"
    def heading(m: re.Match) -> str:
        new = numbers.get(int(m.group(1)), int(m.group(1)))
        return m.group(0).replace(f"Exercise {m.group(1)}.", f"Exercise {new}.", 1)
    return _CHAPTER_REF.sub(chapter, _EXERCISE_HEADING.sub(heading, text))


BUTTON_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")  # the hosts the book theme makes buttons for


def check_student_repo(url: str) -> str | None:
    """None when the theme can make buttons for ``url``; else the one-line note that it cannot.

    Raises ValueError for a value that is not an http(s) URL.
    """
    m = re.fullmatch(r"https?://([^/\s]+)/\S+", url)
    if not m:
        raise ValueError(f"STUDENT_REPO must be the http(s) URL of a git repository "
                         f"(e.g. https://gitlab.example.edu/course/student), got {url!r}")
    host = m.group(1).lower()
    if host in BUTTON_HOSTS:
        return None
    return (f"STUDENT_REPO is on {host}, not GitHub, GitLab.com or Bitbucket: the book gets no Colab, Binder or "
            f"repository buttons; the install cells and links still point at {url}")
