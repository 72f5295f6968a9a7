"""Every notebook a student can receive reads cleanly in a plain CommonMark renderer.

JupyterLab, Notebook 7, VS Code and Colab render markdown cells as CommonMark (no MyST), so
the notebooks must not rely on directives or roles. Checked: the chapter and exercise
notebooks in the repository (which Colab opens and the book's download button serves
unchanged), and the student edition's copies of both. Rendering uses markdown-it-py's
CommonMark preset. The MyST form the book needs is derived at build time
(_ext/exercise_cells.py for exercises, _ext/citation_links.py for citations; MyST resolves
``[Exercise 8.2](#ex-08-2)`` links itself), tested below on the transforms' output and, when
a built book is at hand (TCONV_BOOK_HTML, or an up-to-date _build/html), on a chapter's HTML.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "_ext"))
import book_links  # noqa: E402
import citation_links  # noqa: E402
import exercise_cells  # noqa: E402

EXERCISES = sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
RENDER = MarkdownIt("commonmark")
# what MyST syntax looks like once a CommonMark renderer has rendered it
LEAKS = {
    "directive": re.compile(r'class="language-\{[\w-]+\}'),         # ```{exercise} -> a code block
    "colon fence": re.compile(r"(^|>|\n):{3,}\s*\{?[\w-]+"),           # :::{note}
    "role": re.compile(r"\{[\w:-]+\}<code>"),                          # {ref}`x`
    "directive option": re.compile(r"(^|>|\n):(label|class|nonumber|name|tags)?:"),  # :label: exn-02-1
    "target": re.compile(r"(^|>|\n)\([\w.-]+\)="),                     # (label)=
    "block break": re.compile(r"(^|>|\n)\+\+\+"),
    "role (unrendered)": re.compile(r"\{[a-z][\w:-]*\}`"),                # a role CommonMark left as text
    "comment": re.compile(r"(^|>|\n)%[^\n]*"),                        # % MyST comment line
}


def leaks(nb) -> list[str]:
    """Every piece of MyST syntax that shows in the CommonMark rendering of the notebook's markdown."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        rendered = RENDER.render(cell.source)
        for kind, pattern in LEAKS.items():
            for m in pattern.finditer(rendered):
                found.append(f"cell {i}: {kind}: {rendered[max(0, m.start() - 20):m.end() + 30]!r}")
    return found


def test_the_detector_sees_myst():
    """Control: the old MyST form of an exercise is caught, in every way it leaks."""
    old = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "````{exercise} Warm-up\n:label: exn-02-1\n:nonumber:\n\nSee {ref}`the chapter <ch-2>`.\n````"),
        nbformat.v4.new_markdown_cell("(sec-x)=\n:::{note}\nHi\n:::")])
    kinds = {f.split(": ")[1] for f in leaks(old)}
    assert {"directive", "role", "target", "colon fence"} <= kinds or {"directive", "target", "colon fence"} <= kinds
    assert not leaks(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "## Exercise 2.1: Warm-up\n\nCompute $x^2$ with `np.sum`; see [chapter 2](../chapters/02_stride.ipynb).")]))


@pytest.mark.parametrize("path", EXERCISES + CHAPTERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_repository_notebook_is_plain_commonmark(path):
    found = leaks(nbformat.read(path, as_version=4))
    assert not found, f"MyST shows raw in Jupyter/Colab; write plain CommonMark (see _ext/exercise_format.py): {found[:5]}"


@pytest.fixture(scope="module")
def student_edition(english_student_edition) -> Path:
    """The whole book's student edition (tests/conftest.py: written once, shared with tests/test_edition_ja.py)."""
    return english_student_edition


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_student_edition_exercise_notebook_is_plain_commonmark(path, student_edition):
    copy = nbformat.read(student_edition / "exercises" / path.name, as_version=4)
    assert not leaks(copy)
    assert sum(c.source.startswith("## Exercise ") for c in copy.cells) >= 3


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_student_edition_chapter_is_plain_commonmark(path, student_edition):
    copy = nbformat.read(student_edition / "chapters" / path.name, as_version=4)
    assert not leaks(copy)
    statements = [c.source for c in copy.cells if c.cell_type == "markdown" and exercise_cells.statement(c.source, "ex")]
    assert statements, "the chapter's exercises are missing from the student edition"
    assert not any("BEGIN SOLUTION" in c.source for c in copy.cells)


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_book_gets_numbered_exercises_with_collapsed_solutions(path):
    """The build-time MyST form: one {exercise} per statement, its answer in a dropdown solution."""
    nb = json.loads(path.read_text())
    statements = [c for c in nb["cells"] if "".join(c["source"]).startswith("## Exercise ")]
    myst, count = exercise_cells.to_myst(nb)
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in myst["cells"]]
    assert count == len(statements) >= 3
    labels = re.findall(r":label: (exn-\d\d-\d+)", "\n".join(sources))
    assert len(labels) == count == len(set(labels)) and all(lab.startswith(f"exn-{path.name[:2]}-") for lab in labels)
    starts = [s for s in sources if s.startswith("```{solution-start}")]
    assert len(starts) == count and all(":class: dropdown" in s for s in starts)
    assert sum(s.startswith("```{solution-end}") for s in sources) == count
    assert not any("BEGIN SOLUTION" in s for s in sources)  # markers are not shown in the book


# ----------------------------------------------------------------------------- the chapters in the book
def _sources(nb: dict) -> list[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in nb["cells"]]


def chapter_statements(path: Path) -> list[tuple[str, int, int, str, str]]:
    """The in-chapter exercise statements of a chapter notebook, in order."""
    nb = json.loads(path.read_text())
    return [st for c in nb["cells"] if c["cell_type"] == "markdown"
            and (st := exercise_cells.statement("".join(c["source"]), "ex"))]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_book_gets_numbered_chapter_exercises_with_collapsed_solutions(path):
    """Chapter exercises: numbered by Sphinx (so the heading's number must be its position),
    labelled ex-NN-M, every marked cell after a statement inside its one dropdown solution."""
    nb = json.loads(path.read_text())
    found = chapter_statements(path)
    chapter = int(path.name[:2])
    assert found, "a chapter has exercises"
    assert [(st[1], st[2]) for st in found] == [(chapter, m) for m in range(1, len(found) + 1)]
    myst, count = exercise_cells.to_myst(nb, chapter=True)
    sources = _sources(myst)
    assert count == len(found)
    labels = re.findall(r"^:label: (ex-\d\d-\d+)$", "\n".join(sources), re.M)
    assert labels == [f"ex-{chapter:02d}-{m}" for m in range(1, count + 1)]
    assert not any(":nonumber:" in s for s in sources)
    starts = [i for i, s in enumerate(sources) if s.startswith("```{solution-start}")]
    ends = [i for i, s in enumerate(sources) if s.startswith("```{solution-end}")]
    assert len(starts) == len(ends) == count and all(":class: dropdown" in sources[i] for i in starts)
    assert not any("BEGIN SOLUTION" in s or "END SOLUTION" in s for s in sources)
    marked = sum("BEGIN SOLUTION" in s for s in _sources(nb))
    assert sum(e - s - 1 for s, e in zip(starts, ends)) == marked  # every marked cell is in a box


def test_exercise_links_resolve_to_exercise_labels():
    """Every ``[..](#ex-NN-M)`` / ``{ref}`` in a chapter names an exercise that exists (the book
    would warn; a student would follow a link to nothing), and its text gives the right number."""
    labels = {st[0] for path in CHAPTERS for st in chapter_statements(path)}
    links = []
    for path in CHAPTERS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                links += re.findall(r"\[([^\]]*)\]\(#(exn?-\d\d-\d+)\)", cell.source)
                links += [("", lab) for lab in re.findall(r"\{ref\}`(?:[^`<]*<)?(exn?-\d\d-\d+)", cell.source)]
    assert len(links) >= 6
    for text, label in links:
        assert label in labels, label
        _, chapter, number = label.split("-")
        assert not text or text.lower() == f"exercise {int(chapter)}.{number}", (text, label)


def test_citation_links_become_citations():
    """Each chapter citation (a link to the published references page) becomes a {cite} of a known key."""
    keys = set(re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "references.bib").read_text(), re.M))
    text = "A *U-Net* ([Ronneberger et al., 2015](../references.md#ronneberger2015unet)) adds; " \
           "Odena et al. ([2016](../references.md#odena2016deconvolution)) show " \
           "(see [ICNR](../references.md#aitken2017icnr); more)."
    out, n = citation_links.to_cite(text)
    assert n == 3 and out == ("A *U-Net* {cite}`ronneberger2015unet` adds; Odena et al. {cite}`odena2016deconvolution` "
                              "show (see {cite}`aitken2017icnr`; more).")
    cited, base = [], yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["baseurl"]
    for path in CHAPTERS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":   # as the book reads it: book_links first, then citation_links
                local, _ = book_links.localise(cell.source, base, f"chapters/{path.stem}")
                converted, _ = citation_links.to_cite(local)
                assert "references.md#" not in converted, converted
                cited += re.findall(r"\{cite\}`([^`]+)`", converted)
    assert len(cited) >= 15 and set(cited) <= keys, set(cited) - keys


def _built_book() -> Path | None:
    """A built book's HTML folder, if one is at hand and newer than the chapter and the extensions."""
    prebuilt = os.environ.get("TCONV_BOOK_HTML")
    if prebuilt:
        return Path(prebuilt)
    html = ROOT / "_build" / "html"
    page = html / "chapters" / "08_checkerboard_artifacts.html"
    sources = [ROOT / "chapters" / "08_checkerboard_artifacts.ipynb", *(ROOT / "_ext").glob("*.py")]
    if page.is_file() and page.stat().st_mtime > max(p.stat().st_mtime for p in sources):
        return html
    return None


def test_built_chapter_has_numbered_exercises_and_citation_links():
    """In the HTML of chapter 8: three numbered exercise boxes with their labels, each followed
    by a collapsed solution, and citations that link into the bibliography page."""
    html_dir = _built_book()
    if html_dir is None:
        pytest.skip("no built book newer than chapter 8 (set TCONV_BOOK_HTML to a built book's html/)")
    page = (html_dir / "chapters" / "08_checkerboard_artifacts.html").read_text()
    for m in (1, 2, 3):
        assert re.search(rf'<div class="exercise admonition" id="ex-08-{m}">', page), m
        assert re.search(rf'Exercise 8\.{m}</a>', page), m
    assert len(re.findall(r'class="solution dropdown admonition"', page)) == 3
    assert re.search(r'<a class="reference internal" href="#ex-08-2">', page)
    cites = re.findall(r'href="\.\./references\.html#[\w-]+"', page)   # bibtex_cite_id: "{key}"
    assert len(cites) >= 2
    assert "references.md#" not in page and "{cite}" not in page and "BEGIN SOLUTION" not in page
