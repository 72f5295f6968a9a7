"""The student edition contains no solution anywhere, and its table of contents follows the selection.

Two small books are built once for the module (chapter 02 only, to stay fast): the student
edition, and the same selection with its solutions kept. The second is the control: the
scan below must find every solution in it, which proves the scan would notice a leak.
Solution texts are collected here from the source notebooks, independently of
tools/edition.py, and only text that is not also visible elsewhere counts. The student
book is built with a student repository, and no link of it may lead to the course's own.
"""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import edition  # noqa: E402
from install_cell import config_repository  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.book]

STUDENT_REPO = "https://github.com/example-teacher/convt-students"
SELECTED = ["02"]
PAGES = ["chapters/02_stride.ipynb", "exercises/02_stride.ipynb"]
START, END = re.compile(r"\{solution-start\}"), re.compile(r"\{solution-end\}")
TOKEN = re.compile(r"[A-Za-z_]+|\d+|[\u3040-\u30ff\u3400-\u9fff]+")  # Japanese runs too (tests/test_edition_ja.py)


def tokens(text: str) -> str:
    """Text as a space-separated run of lowercase words and numbers: markup, tags and
    highlighting spans do not change it, so a solution is found however it is rendered."""
    return " ".join(t.lower() for t in TOKEN.findall(text))


class Phrases:
    """A text of tokens(), to ask for runs of whole tokens: contain(needle) is ``f" {needle} " in f" {text} "``.
    The substring search runs only where every word of the needle is among the text's words (most
    needles fail that already), so scanning a book for hundreds of needles stays fast."""

    def __init__(self, text: str):
        self.text, self.words = f" {text} ", set(text.split())

    def contain(self, needle: str) -> bool:
        return self.words.issuperset(needle.split()) and f" {needle} " in self.text


def collect(paths: list[Path]) -> tuple[list[str], str]:
    """(solution lines, all other text) of the given notebooks."""
    solution, visible = [], []
    for path in paths:
        inside = False
        for cell in nbformat.read(path, as_version=4).cells:
            # an answer cell (with markers) inside a solution section shows its other lines as a stub
            answer, marked = "BEGIN SOLUTION" in cell.source, False
            for line in cell.source.splitlines():
                if START.search(line):
                    inside = True
                elif END.search(line):
                    inside = False
                elif "BEGIN SOLUTION" in line:
                    marked = True
                elif "END SOLUTION" in line:
                    marked = False
                else:
                    (solution if marked or (inside and not answer) else visible).append(line)
            if not inside:
                visible.extend(json.dumps(o) for o in cell.get("outputs", []))
    return solution, tokens("\n".join(visible))


@pytest.fixture(scope="module")
def needles() -> list[str]:
    return solution_needles([ROOT / p for p in PAGES])


def solution_needles(paths: list[Path]) -> list[str]:
    """The solution lines of ``paths`` (as tokens) that no other text of them shows."""
    lines, visible = collect(paths)
    found = {tokens(line) for line in lines if len(line.strip()) >= 12}
    # only text that is not also shown outside the solutions (a `def` line, an import)
    shown = Phrases(visible)
    result = sorted(n for n in found if len(n.split()) >= 3 and not shown.contain(n)
                    and any(len(w) >= 3 and w.isalpha() for w in n.split()))
    assert len(result) >= 20, "too few solution lines collected: the collector is broken"
    return result


def _build(tmp_path_factory, name: str, with_solutions: bool) -> Path:
    out = tmp_path_factory.mktemp(name) / "book"
    edition.write_edition(ROOT, out, SELECTED, with_solutions=with_solutions,
                          student_repo=None if with_solutions else STUDENT_REPO)
    edition.build(out)
    return out


@pytest.fixture(scope="module")
def student(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "student", with_solutions=False)


@pytest.fixture(scope="module")
def control(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "control", with_solutions=True)


def file_text(path: Path) -> str:
    """The readable text of any file of a build: notebooks parsed, HTML tags dropped."""
    raw = path.read_bytes().decode("utf-8", errors="ignore")
    if path.suffix == ".ipynb":
        try:
            nb = json.loads(raw)
            parts = [c.get("source", "") for c in nb.get("cells", [])]
            parts += [json.dumps(c.get("outputs", [])) for c in nb.get("cells", [])]
            raw = "\n".join("".join(p) if isinstance(p, list) else p for p in parts)
        except ValueError:
            pass
    if path.suffix in (".html", ".htm", ".xml", ".svg"):
        raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return raw


def scan(folder: Path, needles: list[str], skip=lambda relative: False) -> dict[str, list[str]]:
    """needle -> files of ``folder`` (every file, recursively, less those whose relative path ``skip``
    says to pass over) whose text contains it."""
    hits: dict[str, list[str]] = {}
    # tconv_lib/ is the companion library, copied so that the student repository installs;
    # it holds no exercise solution but shares generic lines such as `h, w = x.shape`
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "tconv_lib" not in p.relative_to(folder).parts):
        if skip(str(path.relative_to(folder))):
            continue
        text = Phrases(tokens(file_text(path)))
        for needle in needles:
            if text.contain(needle):
                hits.setdefault(needle, []).append(str(path.relative_to(folder)))
    return hits


def index_terms(build: Path) -> set[str]:
    raw = (build / "_build" / "html" / "searchindex.js").read_text()
    index = json.loads(raw[raw.index("(") + 1:raw.rindex(")")])
    return set(index["terms"]) | set(index.get("titleterms", {}))


def solution_only_stems(needles: list[str], book: Path) -> set[str]:
    """Stems (as Sphinx's search index writes them) of words that appear in the solutions but
    in no page source of ``book``."""
    from sphinx.search.en import SearchEnglish
    lang = SearchEnglish({})
    sources = tokens(" ".join(p.read_text() for p in book.rglob("*") if p.suffix in (".ipynb", ".md")
                              and "_build" not in p.parts)).split()  # whole files: metadata holds captions
    words = {w for n in needles for w in n.split() if len(w) >= 5 and w.isalpha()}
    return {lang.stem(w) for w in words} - {lang.stem(w) for w in set(sources)}


# ----------------------------------------------------------------------------- the scan
def test_control_build_shows_every_solution(control, needles):
    hits = scan(control, needles)
    missing = [n for n in needles if n not in hits]
    assert not missing, f"the scan cannot find these solution lines even with solutions kept: {missing[:5]}"
    kinds = {Path(f).suffix for files in hits.values() for f in files}
    assert {".html", ".ipynb"} <= kinds  # pages and the downloadable sources
    assert any("_sources" in f for files in hits.values() for f in files)


def test_student_build_contains_no_solution(student, needles):
    hits = scan(student, needles)
    assert not hits, "solution text in the student edition:\n" + "\n".join(
        f"  {needle!r} in {files[:3]}" for needle, files in sorted(hits.items())[:20])


def test_search_index_has_no_solution_words(student, control, needles):
    stems = solution_only_stems(needles, student)
    assert stems & index_terms(control), "control: no solution-only word in the index; the check is blind"
    assert not stems & index_terms(student), sorted(stems & index_terms(student))


def test_no_solution_markup_left(student):
    for path in student.rglob("*"):
        if path.is_file() and "_ext" not in path.relative_to(student).parts:  # the book's extensions
            text = path.read_bytes().decode("utf-8", errors="ignore")
            for marker in ("BEGIN SOLUTION", "END SOLUTION", "solution-start", "solution-end"):
                assert marker not in text, (marker, path.relative_to(student))


# ----------------------------------------------------------------------------- the copy
def test_stubs_replace_solutions_and_outputs_are_cleared(student):
    source = nbformat.read(ROOT / "exercises/02_stride.ipynb", as_version=4)
    copy = nbformat.read(student / "exercises/02_stride.ipynb", as_version=4)
    code = sum(c.source.count("### BEGIN SOLUTION") for c in source.cells if c.cell_type == "code")
    text = sum(c.source.count("BEGIN SOLUTION") for c in source.cells if c.cell_type == "markdown")
    assert code >= 4 and text >= 1
    stubs = [c.source for c in copy.cells if c.cell_type == "code" and "# YOUR CODE HERE" in c.source]
    assert len(stubs) == code and all(re.search(r"( *)# YOUR CODE HERE\n\1raise NotImplementedError\(\)", s)
                                      for s in stubs)
    assert sum(c.source == "YOUR ANSWER HERE" for c in copy.cells) == text
    assert all(not c.outputs for c in copy.cells if c.cell_type == "code")
    exercises = [c.source for c in copy.cells if c.source.startswith("## Exercise ")]
    assert len(exercises) == len([c for c in source.cells if c.source.startswith("## Exercise ")]) >= 4
    assert all(s.startswith("## Exercise 1.") for s in exercises)  # chapter 2 is chapter 1 of this edition


def test_student_notebook_runs_and_checks_report_failures(student):
    """Stubs raise in their own cells; every check cell still runs and reports a failure."""
    nb = nbformat.read(student / "exercises/02_stride.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(student / "exercises")}}).execute()
    checks = [c for c in nb.cells if c.cell_type == "code"
              and re.search(r"^result = tl\.exercises\.check_", c.source, re.M)]
    assert len(checks) >= 4
    for cell in checks:
        outputs = "".join(o.get("text", "") for o in cell.outputs)
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs
        # a stubbed function raises NotImplementedError; an answer never assigned is "missing"
        assert "FAILED on case 1" in outputs and ("NotImplementedError" in outputs or "no answer yet" in outputs)


def test_toc_adapts_to_the_selection(student):
    toc = yaml.safe_load((student / "_toc.yml").read_text())
    files = edition._toc_files(toc)
    assert sorted(set(files) - {"references", "api"}) == ["chapters/02_stride", "exercises/02_stride", "intro"]
    html_dir = student / "_build" / "html"
    assert (html_dir / "chapters" / "02_stride.html").exists()
    assert (html_dir / "exercises" / "02_stride.html").exists()
    for absent in ("chapters/03_padding.html", "exercises/03_padding.html", "chapters/instructor_guide.html"):
        assert not (html_dir / absent).exists(), absent
    nav = (html_dir / "intro.html").read_text()
    assert "02_stride.html" in nav and "03_padding.html" not in nav and "instructor_guide" not in nav


@pytest.mark.parametrize("chapters,expected", [
    (None, {"01", "02", "05"}),
    (["02", "04"], {"02", "04"}),
])
def test_restrict_toc_keeps_selected_chapters_and_drops_the_guide(chapters, expected):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = edition._toc_files(edition.restrict_toc(toc, set(chapters) if chapters else None))
    numbers = {edition.chapter_number(f) for f in files} - {None}
    assert expected <= numbers and (chapters is None or numbers == set(chapters))
    assert "chapters/instructor_guide" not in files and files[0] == toc["root"]
    if chapters:
        assert all(f"exercises/{n}_" in " ".join(files) for n in chapters)


# ----------------------------------------------------------------------------- the pieces
def test_stub_keeps_indentation_and_text_outside():
    code = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n    ### END SOLUTION\nprint(f)"
    out, n = edition.stub_solutions(code)
    assert n == 1 and out == ("def f(x):\n    y = 1\n    # YOUR CODE HERE\n    raise NotImplementedError()\nprint(f)")
    text, n = edition.stub_solutions("Answer:\n<!-- ### BEGIN SOLUTION -->\nsecret\n<!-- ### END SOLUTION -->",
                                     markdown=True)
    assert n == 1 and text == "Answer:\nYOUR ANSWER HERE"
    with pytest.raises(ValueError, match="END SOLUTION"):
        edition.stub_solutions("### BEGIN SOLUTION\nx = 1")


def test_strip_solution_blocks_with_nested_fences():
    text = ("before\n````{solution} ex-1\n:class: dropdown\n```python\nsecret()\n```\n````\nafter\n"
            "```{solution-start} ex-2\n:class: dropdown\n```\nhidden\n```{solution-end}\n```\nend")
    out, inside = edition.strip_solution_text(text)
    assert out == "before\nafter\nend" and not inside


def test_gated_sections_keep_only_answer_cells():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("```{exercise}\n:label: e\n\nDo it.\n```"),
        nbformat.v4.new_markdown_cell("```{solution-start} e\n:class: dropdown\n```"),
        nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION"),
        nbformat.v4.new_markdown_cell("Because 42."),
        nbformat.v4.new_code_cell("print(f())", outputs=[nbformat.v4.new_output("stream", text="42\n")]),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        nbformat.v4.new_code_cell("check(f)", outputs=[nbformat.v4.new_output("stream", text="ok\n")]),
    ])
    out, stats = edition.student_notebook(nb, clear_outputs=False)
    sources = [c.source for c in out.cells]
    assert sources == [nb.cells[0].source, "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()", "check(f)"]
    assert out.cells[2].outputs and stats == {"stubbed": 1, "removed_cells": 4}
    assert "return 42" in nb.cells[2].source  # the input notebook is not modified


def test_unlink_missing_pages():
    text = "See [stride](02_stride.ipynb), [padding](03_padding.ipynb#sec) and [web](https://x.org/a.md)."
    out = edition.unlink_missing(text, "chapters/01_a.ipynb", {"chapters/02_stride"})
    assert out == "See [stride](02_stride.ipynb), padding and [web](https://x.org/a.md)."
    assert edition.unlink_missing("[c](../chapters/02_stride.ipynb)", "exercises/02_stride.ipynb",
                                  {"chapters/02_stride"}) == "[c](../chapters/02_stride.ipynb)"


def test_links_into_the_full_book_stay_inside_the_edition():
    """A student page never links to the published full book (it shows the solutions)."""
    from edition_text import localise_book_links

    base = "https://example.org/course/"
    text = (f"[stride]({base}chapters/02_stride.html), [gaps]({base}chapters/11_x.html#gaps), "
            f"[Odena]({base}references.html#odena2016deconvolution), [ex]({base}exercises/02_stride.html)")
    kept = {"chapters/02_stride", "references", "exercises/02_stride"}
    out = localise_book_links(text, base, "chapters/03_padding.ipynb", kept)
    assert out == ("[stride](../chapters/02_stride.ipynb), gaps, "
                   "[Odena](../references.md#odena2016deconvolution), [ex](../exercises/02_stride.ipynb)")
    assert base not in out and localise_book_links(text, None, "x.ipynb", kept) == text
    assert "baseurl" not in edition.edition_config({"html": {"baseurl": base}}, None, False)["html"]


def test_refuses_to_overwrite_a_foreign_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="not a student edition"):
        edition.write_edition(ROOT, tmp_path, SELECTED)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_command_line_selection_and_errors(tmp_path, capsys):
    out = tmp_path / "student"
    assert edition.main(["--out", str(out), "--chapters", "03,04", "--no-build"]) == 0
    files = edition._toc_files(yaml.safe_load((out / "_toc.yml").read_text()))
    assert sorted(set(files) - {"references", "api"}) == ["chapters/03_padding", "chapters/04_output_padding",
                                                   "exercises/03_padding", "exercises/04_output_padding", "intro"]
    assert "solutions replaced by stubs" in capsys.readouterr().out
    assert edition.main(["--out", str(out), "--chapters", "02", "--no-build"]) == 0  # rewrites its own folder
    assert not (out / "chapters" / "03_padding.ipynb").exists()
    assert edition.main(["--out", str(tmp_path), "--no-build"]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err


# ----------------------------------------------------------------------------- links and numbers
def hrefs(folder: Path) -> list[tuple[str, str]]:
    """(file, URL) of every href/src/action in the HTML of a build."""
    found = []
    for page in (folder / "_build" / "html").rglob("*.html"):
        for url in re.findall(r'(?:href|src|action)="([^"]+)"', page.read_text(errors="ignore")):
            found.append((str(page.relative_to(folder)), html.unescape(url)))
    return found


def test_no_link_leads_to_the_course_repository(student):
    course = config_repository().split("://", 1)[-1].rstrip("/")
    links = hrefs(student)
    assert links
    leaks = [(f, u) for f, u in links if course in u]
    assert not leaks, leaks[:5]
    to_students = [u for _, u in links if "convt-students" in u]
    assert any("colab.research.google.com" in u for u in to_students), "no Colab button for the student repository"
    assert any(u.startswith(STUDENT_REPO) for u in to_students), "no repository button"
    for nb in (student / "exercises").glob("*.ipynb"):
        text = nb.read_text()
        assert course not in text and f'REPOSITORY = \\"{STUDENT_REPO}\\"' in text


def test_without_a_student_repository_there_are_no_launch_buttons():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    out = edition.edition_config(config, None, with_solutions=False)
    assert "repository" not in out and "launch_buttons" not in out
    assert out["html"]["use_repository_button"] is False
    assert edition.edition_config(config, STUDENT_REPO, False)["repository"]["url"] == STUDENT_REPO
    assert config["repository"]["url"] == config_repository()  # the input is not modified


def test_subset_numbers_agree_with_the_page_titles(student):
    """Chapter 2 alone is "1." in the edition: its text and its exercises call it chapter 1."""
    page = (student / "_build" / "html" / "exercises" / "02_stride.html").read_text()
    chapter = (student / "_build" / "html" / "chapters" / "02_stride.html").read_text()
    assert re.search(r"<h1>\s*<span class=\"section-number\">1\. </span>", chapter) or ">1. " in chapter
    assert re.search(r"chapter\s+1\b", tokens_html(page)) and not re.search(r"chapter\s+2\b", tokens_html(page))
    assert "Exercise (1.1 " in tokens_html(page) and "Exercise (2." not in tokens_html(page)


def tokens_html(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_no_promise_of_collapsed_solutions(student):
    for path in list(student.rglob("*.ipynb")) + list((student / "_build" / "html").rglob("*.html")):
        text = tokens_html(file_text(path)).lower()
        assert "collapsed box" not in text and "worked solution follows" not in text, path


def test_renumber_and_promises():
    assert edition.renumber("As chapter 2 showed (and chapter 5).\n## Exercise 2.3: X", {2: 1}) == (
        "As chapter 1 showed (and chapter 5 of the full course).\n## Exercise 1.3: X")
    assert edition.renumber("See [Exercise 2.3](#ex-02-3).", {2: 1}) == "See [Exercise 1.3](#ex-02-3)."
    text = "Run it. In the\nonline book a worked solution follows each exercise in a collapsed box: try first."
    assert edition.drop_promises(text) == "Run it."


def test_download_button_serves_plain_commonmark(student):
    """The book's download button hands out _sources/…ipynb: the plain-Markdown notebook, not the MyST form."""
    from test_student_markdown import leaks
    served = student / "_build" / "html" / "_sources" / "exercises" / "02_stride.ipynb"
    nb = nbformat.read(served, as_version=4)
    assert not leaks(nb) and sum(c.source.startswith("## Exercise ") for c in nb.cells) >= 4


def test_book_shows_numbered_exercises_with_collapsed_solutions(control):
    page = (control / "_build" / "html" / "exercises" / "02_stride.html").read_text()
    assert len(re.findall(r'class="[^"]*exercise[^"]*"', page)) >= 5
    assert len(re.findall(r'<details class="[^"]*solution[^"]*dropdown|class="[^"]*solution[^"]*dropdown', page)) >= 5
    assert "Exercise (2.4 " in tokens_html(page) and "BEGIN SOLUTION" not in page
