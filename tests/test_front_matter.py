"""Front and back matter stay true: chapter headers, the instructor guide, reading times, the landing page.

Each chapter's header (its first markdown cell) is the one home of its title, prerequisites
and minutes; the instructor guide's table is copied from the headers (tools/front_matter.py)
and must agree with them; the minutes must stay near the estimate of tools/reading_time.py,
so a chapter that is cut or grows gets a new time. The landing page (intro.md) and the guide
make promises about the notebooks (which chapters have the explorer, which exercises have
checks, which checks exist); each is checked here against the notebooks and the library.
Fix the table with ``python tools/front_matter.py --write`` and the minutes with
``python tools/reading_time.py --write``.
"""
from __future__ import annotations

import ast
import inspect
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import front_matter  # noqa: E402
import reading_time  # noqa: E402
from install_cell import FIRST_LINE  # noqa: E402

CHAPTERS = front_matter.chapter_files()
EXERCISES = [f"exercises/{Path(f).name}" for f in CHAPTERS]
GUIDE = (ROOT / front_matter.GUIDE).read_text(encoding="utf-8")
INTRO = (ROOT / "intro.md").read_text(encoding="utf-8")
_STATEMENT = re.compile(r"^#{2,4}[ \t]+Exercise[ \t]+(\d+)\.(\d+)(?:[ \t]*:[ \t]*([^:\n]+):)?", re.M)


def cells(file: str) -> list:
    return nbformat.read(ROOT / file, as_version=4).cells


def exercises(file: str) -> list[tuple[str, str, list]]:
    """(number, kind, cells up to the next statement or heading) for every exercise of a notebook."""
    found, current = [], None
    for cell in cells(file):
        m = _STATEMENT.match(cell.source.lstrip("\n")) if cell.cell_type == "markdown" else None
        if m:
            current = (f"{m.group(1)}.{m.group(2)}", (m.group(3) or "").strip(), [])
            found.append(current)
        elif current and cell.cell_type == "markdown" and re.match(r"#{1,3} ", cell.source):
            current = None
        elif current:
            current[2].append(cell)
    return found


# ----------------------------------------------------------------------------- one home: the headers
def test_every_chapter_header_states_title_prerequisites_and_minutes():
    assert CHAPTERS and front_matter.header_problems() == []


def test_the_guide_table_agrees_with_the_chapter_headers():
    """Fix with: python tools/front_matter.py --write"""
    found = front_matter.problems()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("file", CHAPTERS)
def test_header_minutes_are_honest(file):
    """Fix with: python tools/reading_time.py --write (then tools/front_matter.py --write)."""
    counts = reading_time.counts(ROOT / file)
    stated = front_matter.parse_header(Path(file)).minutes
    estimate = counts.minutes()
    assert reading_time.honest(stated, estimate), (
        f"{file} says {stated} minutes, but {counts} gives {estimate:.1f}: "
        f"state {reading_time.rounded(estimate)} (tools/reading_time.py --write)")


def test_every_chapter_has_its_exercise_notebook():
    assert all((ROOT / f).exists() for f in EXERCISES)


# ----------------------------------------------------------------------------- the checkers can fail
def _notebook(path: Path, header: str, more: list | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(header), *(more or [])])
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")  # as the repository's notebooks are stored


def _chapter_header(title: str, needs: str, minutes: str) -> str:
    return f"# {title}\n\nIntro.\n\n**Prerequisites.** {needs}\n\n{minutes}"


@pytest.fixture
def tiny_book(tmp_path):
    """A two-chapter book whose guide agrees with its headers."""
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\nparts:\n  - caption: A\n    chapters:\n"
                                       "      - file: chapters/01_a\n      - file: chapters/02_b\n"
                                       "      - file: exercises/01_a\n      - file: chapters/instructor_guide\n")
    _notebook(tmp_path / "chapters/01_a.ipynb", _chapter_header("First", "None.", "**Estimated time.** 20 minutes."))
    _notebook(tmp_path / "chapters/02_b.ipynb",
              _chapter_header("Second", "[The first](01_a.ipynb#x) and\n[it again](01_a.ipynb).",
                              "**Estimated time.** 35 minutes, including a minute of training."))
    for name, minutes in (("01_a", 15), ("02_b", 25)):
        _notebook(tmp_path / f"exercises/{name}.ipynb", f"# Exercises\n\n**Estimated time:** {minutes} minutes.")
    (tmp_path / front_matter.GUIDE).write_text(
        "# Guide\n\n## Chapters at a glance\n\nText.\n\n" + front_matter.TABLE_HEAD + "\n"
        "| 1 [First](01_a.ipynb) | do one | none | 20 + 15 |\n"
        "| 2 [Second](02_b.ipynb) | do two | 1 | 35 + 25 |\n\nAfter.\n\n## Next\n")
    return tmp_path


def test_checker_passes_a_guide_that_agrees(tiny_book):
    assert front_matter.problems(tiny_book) == []
    assert front_matter.parse_header(Path("chapters/02_b.ipynb"), tiny_book).needs == (1,)


@pytest.mark.parametrize("old,new,expected", [
    ("| 35 + 25 |", "| 30 + 25 |", "chapter 2: minutes (chapter + exercises) is '30 + 25', but the headers say '35 + 25'"),
    ("| 20 + 15 |", "| 20 + 10 |", "chapter 1: minutes"),
    ("| 1 | 35", "| 1, 2 | 35", "chapter 2: needs is '1, 2'"),
    ("[Second]", "[Later]", "chapter 2: title"),
    ("| do two |", "|  |", "chapter 2: say what students can do"),
    ("| 2 [Second](02_b.ipynb) | do two | 1 | 35 + 25 |\n", "", "no row for chapter 2"),
])
def test_checker_fails_on_each_kind_of_disagreement(tiny_book, old, new, expected):
    guide = tiny_book / front_matter.GUIDE
    guide.write_text(guide.read_text().replace(old, new, 1))
    found = front_matter.problems(tiny_book)
    assert any(expected in p for p in found), found


def test_checker_fails_on_a_header_without_minutes(tiny_book):
    _notebook(tiny_book / "chapters/01_a.ipynb", _chapter_header("First", "None.", "**Time.** About an hour."))
    assert front_matter.problems(tiny_book) == [
        "chapters/01_a.ipynb: the header has no line '**Estimated time.** N minutes.'"]


def test_write_guide_rebuilds_the_table_and_keeps_the_written_column(tiny_book):
    guide = tiny_book / front_matter.GUIDE
    before = guide.read_text()
    guide.write_text(before.replace("| 35 + 25 |", "| 99 + 25 |").replace("| 1 | 35", "| 7 | 35"))
    assert front_matter.write_guide(tiny_book) and guide.read_text() == before
    assert not front_matter.write_guide(tiny_book)


@pytest.mark.parametrize("needs,text", [((), "none"), ((3,), "3"), ((2, 3), "2, 3"), ((1, 2, 3, 4, 8), "1-4, 8"),
                                        ((1, 2, 6, 7), "1, 2, 6, 7"), ((4, 5, 6, 10), "4-6, 10")])
def test_format_needs(needs, text):
    assert front_matter.format_needs(needs) == text


def test_reading_time_counts_what_a_reader_sees(tmp_path):
    path = tmp_path / "chapters/01_a.ipynb"
    install = nbformat.v4.new_code_cell(FIRST_LINE + "\nimport x\n")
    hidden = nbformat.v4.new_code_cell("a = 1\nb = 2\n", metadata={"tags": ["remove-cell"]})
    code = nbformat.v4.new_code_cell("x = 1\n\n# a comment\nprint(x)\n")
    text = nbformat.v4.new_markdown_cell("Read [this page](https://example.org/a/b) - twice.\n<!-- ### BEGIN "
                                         "SOLUTION -->\n\n### Exercise 1.1\n\nDo it.")
    _notebook(path, "# Title", [install, hidden, code, text])
    counts = reading_time.counts(path)
    # words: Title | Read this page twice (not the URL, the dash or the comment) | Exercise 1.1 Do it
    assert counts == reading_time.Counts(words=1 + 4 + 4, code_cells=1, code_lines=3, exercises=1)
    assert counts.minutes() == pytest.approx(9 / 200 + 3 / 20 + 0.5 + 3)


@pytest.mark.parametrize("stated,estimate,ok", [(45, 42.8, True), (45, 34.1, False), (30, 17.1, False),
                                                 (20, 17.1, True), (80, 78.2, True), (60, 78.2, False)])
def test_honest_uses_the_stated_tolerance(stated, estimate, ok):
    assert reading_time.honest(stated, estimate) is ok


def test_set_minutes_changes_only_the_time_line(tiny_book):
    path = tiny_book / "chapters/02_b.ipynb"
    before = path.read_text()
    assert reading_time.set_minutes(path, 40)
    after = path.read_text()
    assert after == before.replace("35 minutes, including", "40 minutes, including")
    assert not reading_time.set_minutes(path, 40)
    _notebook(path, _chapter_header("Second", "None.", "**Time.** About an hour, including a minute of training."))
    reading_time.set_minutes(path, 80)
    assert front_matter.parse_header(Path("chapters/02_b.ipynb"), tiny_book).minutes == 80
    assert "**Estimated time.** 80 minutes, including a minute of training." in path.read_text()


# ----------------------------------------------------------------------------- the guide's other promises
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def test_the_guide_states_how_many_exercises_a_page_has():
    counts = [len(exercises(f)) for f in EXERCISES]
    m = re.search(r"has (\w+) to (\w+) exercises", GUIDE)
    assert m, "the guide should say 'has N to M exercises'"
    assert (_NUMBERS[m.group(1)], _NUMBERS[m.group(2)]) == (min(counts), max(counts)), counts


def test_the_guide_names_every_kind_of_exercise():
    section = GUIDE[GUIDE.index("## Exercises: in class or at home"):GUIDE.index("## How the exercise notebooks")]
    named = {k for item in re.findall(r"^- (.*)", section, re.M) for k in re.findall(r"\*\*([^*]+)\*\*", item)}
    kinds = {kind for f in EXERCISES for _, kind, _ in exercises(f)}
    assert "" not in kinds, "every exercise title should start with its kind ('Build: ...')"
    assert kinds <= named, f"kinds the guide does not describe: {sorted(kinds - named)}"


def test_the_guide_lists_every_check_with_its_parameters():
    import tconv_lib.exercises as checks
    where = GUIDE[GUIDE.index("The checks are in `tconv_lib/exercises/`"):GUIDE.index("| Check | Tests |")]
    files = re.findall(r"`(\w+\.py)`", where)
    assert files and all((ROOT / "tconv_lib" / "exercises" / f).is_file() for f in files), files
    table = GUIDE[GUIDE.index("| Check | Tests |"):]
    listed = dict(re.findall(r"^\| `(check_\w+)\(((?:[^()]|\(\))*)\)`", table, re.M))   # a default may be ()
    exported = {n for n in checks.__all__ if n.startswith("check_")}
    assert set(listed) == exported
    for name, params in listed.items():
        signature = inspect.signature(getattr(checks, name))
        shown = {p.split("=")[0].strip() for p in params.split(",") if p.strip()}
        assert shown == set(signature.parameters) - {"seed"}, name
        for p in params.split(","):
            if "=" in p:
                key, value = (s.strip() for s in p.split("="))
                assert ast.literal_eval(value) == signature.parameters[key].default, (name, key)


# ----------------------------------------------------------------------------- the landing page's promises
def test_exercise_pages_check_every_code_answer():
    """intro.md: 'Every code exercise there ends with a check cell'."""
    for file in EXERCISES:
        for number, _, body in exercises(file):
            code = [c for c in body if c.cell_type == "code"]
            if any("BEGIN SOLUTION" in c.source for c in code):
                assert any(re.search(r"\bexercises\.check_\w+\(", c.source) for c in code), (file, number)


def test_chapter_exercises_have_worked_solutions():
    """intro.md: 'The short exercises inside a chapter each have a worked solution'."""
    for file in CHAPTERS:
        for number, _, body in exercises(file):
            assert any("BEGIN SOLUTION" in c.source for c in body), (file, number)


def test_the_intro_names_the_chapters_with_an_explorer():
    sentence = re.search(r"[^.]*\*explorer\*[^.]*", INTRO).group(0)
    named = {int(n) for n in re.findall(r"\b(\d{1,2})\b", sentence)}
    have = {int(Path(f).name[:2]) for f in CHAPTERS
            if any("tconv-explorer-host" in json.dumps(c.get("outputs", [])) for c in cells(f))}
    assert named == have, f"intro names {sorted(named)}, explorers are in {sorted(have)}"


def test_the_intro_has_a_start_here_path_for_each_kind_of_reader():
    start = INTRO[INTRO.index("## Start here"):]
    start = start[:start.index("\n## ")]
    assert len(re.findall(r"^### ", start, re.M)) == 3
    assert "chapters/01_what_is_transposed_convolution.ipynb" in start
    assert "chapters/instructor_guide.md" in start


def test_the_intro_figure_exists_and_is_described():
    m = re.search(r"```\{figure\} (\S+)\n((?::\w+:[^\n]*\n)*)\n(.+?)\n```", INTRO, re.S)
    assert m, "intro.md should show a figure"
    assert (ROOT / m.group(1)).is_file()
    alt = re.search(r":alt: (.+)", m.group(2))
    assert alt and len(alt.group(1).split()) >= 8 and "ALT" not in alt.group(1)
    assert len(m.group(3).split()) >= 8 and "CAPTION" not in m.group(3)


def test_the_intro_figure_is_current_and_legible():
    """Regenerate with: python tools/intro_figure.py"""
    import intro_figure
    svg = intro_figure.OUT.read_text(encoding="utf-8")
    assert svg == intro_figure.svg_text(), "stale: run python tools/intro_figure.py"
    width_pt = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
    smallest = min(float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg))  # user units (pt)
    for column in (672, 342):  # CSS px: the book's column on a laptop, and on a 390 px phone
        shown = min(column, width_pt * 4 / 3)  # the image's own width, or the column's
        assert smallest * shown / width_pt >= 9, f"smallest text {smallest * shown / width_pt:.1f} CSS px in {column}"
