"""The Japanese student edition (make student EDITION_LANG=ja): no solution anywhere, Japanese, the English program.

Written without building (fast): the edition's sources are what the book, the download button and
Colab serve, so a solution absent from them is absent from the built book too (tests/test_edition.py
builds the English edition and scans the HTML and search index as well). The leak scan is
tests/test_edition.py's, on the Japanese sources: solution lines collected from the Japanese
notebooks independently of tools/edition.py, with a control copy that keeps the solutions (the scan
must find every one there). The edition is the Japanese book in its standalone form (tools/i18n/book.py).
One slow test (marked book) builds chapter 2's edition and scans its HTML and search index as well.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import edition  # noqa: E402
from i18n import BOOK_DIR  # noqa: E402
from i18n import book as ja_book  # noqa: E402
from i18n.build import SETUP_ID  # noqa: E402
from i18n.program import same_program  # noqa: E402
from install_cell import config_repository  # noqa: E402
from test_edition import STUDENT_REPO, scan, solution_needles  # noqa: E402
from test_student_markdown import leaks  # noqa: E402

EXERCISES = sorted(p.name for p in (BOOK_DIR / "exercises").glob("[0-9][0-9]_*.ipynb"))
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
PROMISE = re.compile(r"[^。\n]*(解答例[^。\n]*折りたた|折りたた[^。\n]*解答例)")
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "solution-start", "solution-end")


def _write(tmp_path_factory, name: str, **kwargs) -> Path:
    out = tmp_path_factory.mktemp(name) / "book"
    edition.write_edition(ROOT, out, **kwargs)
    return out


@pytest.fixture(scope="module")
def ja_student(tmp_path_factory) -> Path:
    return _write(tmp_path_factory, "ja", student_repo=STUDENT_REPO, language="ja")


@pytest.fixture(scope="module")
def en_student(english_student_edition) -> Path:
    """The English student edition with STUDENT_REPO (tests/conftest.py: written once, shared with
    tests/test_student_markdown.py)."""
    return english_student_edition


@pytest.fixture(scope="module")
def ja_selection(tmp_path_factory) -> Path:
    return _write(tmp_path_factory, "ja-selection", chapters=["02", "03"], language="ja")


@pytest.fixture(scope="module")
def needles() -> list[str]:
    """Solution lines of every Japanese notebook that no notebook shows outside its solutions."""
    return solution_needles(sorted(BOOK_DIR.glob("*/[0-9][0-9]_*.ipynb")))


def page_hits(folder: Path, needles: list[str]) -> dict[str, list[str]]:
    """tests/test_edition.py's scan, less the folders copied unchanged from the repository (_ext, _offline, ...)."""
    return scan(folder, needles, skip=lambda relative: relative.startswith("_"))


def _pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".ipynb", ".md") and "tconv_lib" not in p.parts)


def _markdown(path: Path) -> list[str]:
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8")]
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


# ----------------------------------------------------------------------------- no solutions
@pytest.mark.slow   # writes a whole edition more (make test runs it; test-quick stays under a minute)
def test_control_copy_shows_every_japanese_solution(tmp_path_factory, needles):
    control = _write(tmp_path_factory, "ja-control", chapters=None, with_solutions=True, language="ja")
    hits = page_hits(control, needles)
    assert len(needles) >= 200 and any(JAPANESE.search(n) for n in needles), "the collector is blind to Japanese"
    missing = [n for n in needles if n not in hits]
    assert not missing, f"the scan cannot find these solution lines even with solutions kept: {missing[:5]}"


def test_japanese_student_edition_contains_no_solution(ja_student, needles):
    hits = page_hits(ja_student, needles)
    assert not hits, "solution text in the Japanese student edition:\n" + "\n".join(
        f"  {needle!r} in {files[:3]}" for needle, files in sorted(hits.items())[:20])


def test_no_solution_markup_left(ja_student):
    for path in ja_student.rglob("*"):
        if path.is_file() and "_ext" not in path.relative_to(ja_student).parts:  # the book's extensions
            text = path.read_bytes().decode("utf-8", errors="ignore")
            assert not [m for m in MARKERS if m in text], path.relative_to(ja_student)


@pytest.mark.parametrize("name", EXERCISES)
def test_exercise_notebooks_are_stubbed_plain_commonmark_without_outputs(name, ja_student, en_student):
    copy = nbformat.read(ja_student / "exercises" / name, as_version=4)
    english = nbformat.read(en_student / "exercises" / name, as_version=4)
    assert not leaks(copy) and all(not c.outputs for c in copy.cells if c.cell_type == "code")
    for stub in ("# YOUR CODE HERE", "raise NotImplementedError()", "YOUR ANSWER HERE"):   # Otter's, as in English
        assert sum(c.source.count(stub) for c in copy.cells) == sum(c.source.count(stub) for c in english.cells) > 0
    assert sum(c.source.startswith("## 演習") for c in copy.cells) >= 3


# ----------------------------------------------------------------------------- the English edition's program
def test_same_program_as_the_english_student_edition(ja_student, en_student):
    """Every notebook: the English student copy's code cells, cell by cell, plus the Japanese setup cell."""
    notebooks = sorted(p.relative_to(en_student) for p in en_student.glob("*/*.ipynb"))
    assert notebooks == sorted(p.relative_to(ja_student) for p in ja_student.glob("*/*.ipynb"))
    for rel in notebooks:
        english = nbformat.read(en_student / rel, as_version=4).cells
        japanese = nbformat.read(ja_student / rel, as_version=4).cells
        assert [c.id for c in japanese if c.id != SETUP_ID] == [c.id for c in english], rel
        assert sum(c.id == SETUP_ID and 'set_language("ja")' in c.source for c in japanese) == 1, rel
        code = {c.id: c.source for c in english if c.cell_type == "code"}
        for cell in japanese:
            if cell.cell_type == "code" and cell.id != SETUP_ID:
                assert same_program(code[cell.id], cell.source), f"{rel} {cell.id}"


# ----------------------------------------------------------------------------- Japanese
def test_configuration_is_the_japanese_books_standalone(ja_student):
    config = yaml.safe_load((ja_student / "_config.yml").read_text(encoding="utf-8"))
    english = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx, english_sphinx = config["sphinx"]["config"], english["sphinx"]["config"]
    assert sphinx["language"] == "ja" and config["title"] == ja_book.config()["title"] + "（学生版）"
    assert config["sphinx"]["local_extensions"]["ja_terms"] == "_ext" and (ja_student / "_ext" / "ja_terms.py").is_file()
    assert sphinx["mathjax_path"] == english_sphinx["mathjax_path"]            # not under ja/: no "../"
    assert sphinx["html_extra_path"] == english_sphinx["html_extra_path"] == ["_offline"]
    assert (ja_student / "_offline" / "vendor").is_dir() and "baseurl" not in config["html"]
    assert config["repository"]["url"] == STUDENT_REPO and config["repository"]["path_to_book"] == ""


def test_table_of_contents_is_japanese_with_the_glossary_and_no_guide(ja_student):
    toc = yaml.safe_load((ja_student / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc["parts"]]
    japanese = [part["caption"] for part in ja_book.toc(set(ja_book.translated_sources()))["parts"]]
    assert captions == [c for c in japanese if c != ja_book.common("toc#caption", "For instructors")]
    assert sum(bool(JAPANESE.search(c)) for c in captions) >= len(captions) - 1   # "DCGAN" stays DCGAN
    files = edition.toc_files(toc)
    assert "glossary" in files and (ja_student / "glossary.md").read_text(encoding="utf-8").startswith("# 用語集")
    assert "chapters/instructor_guide" not in files and not (ja_student / "chapters" / "instructor_guide.md").exists()


def test_pages_are_japanese_and_promise_no_collapsed_solution(ja_student):
    intro = (ja_student / "intro.md").read_text(encoding="utf-8")
    assert "日本語版は翻訳を進めている" not in intro   # the full book's progress note: not in a selection
    for page in _pages(ja_student):
        texts = _markdown(page)
        assert JAPANESE.search(" ".join(texts)), page
        for text in texts:
            assert not PROMISE.search(text), (page, PROMISE.search(text).group(0))
            assert "collapsed box" not in text and "the course repository" not in text, page


def test_no_link_leads_to_the_published_book_or_the_course_repository(ja_student):
    course, book = config_repository(), ja_book.book_url()
    for page in _pages(ja_student):
        text = page.read_text(encoding="utf-8")
        assert course not in text and book not in text and "（英語）" not in text, page
    for nb in (ja_student / "exercises").glob("*.ipynb"):
        assert f'REPOSITORY = \\"{STUDENT_REPO}\\"' in nb.read_text(encoding="utf-8"), nb.name


def test_a_selection_is_renumbered_in_japanese(ja_selection):
    files = edition.toc_files(yaml.safe_load((ja_selection / "_toc.yml").read_text(encoding="utf-8")))
    assert sorted(set(files) - {"intro", "references", "glossary"}) == [
        "chapters/02_stride", "chapters/03_padding", "exercises/02_stride", "exercises/03_padding"]
    text = "\n".join(_markdown(ja_selection / "exercises" / "02_stride.ipynb"))
    headings = re.findall(r"^## 演習(\d+)\.", text, re.M)
    assert len(headings) >= 4 and set(headings) == {"1"}                      # chapter 2 is chapter 1 here
    assert "[第1章](../chapters/02_stride.ipynb)" in text and "パディング（padding）は第2章で扱います" in text
    chapter = "\n".join(_markdown(ja_selection / "chapters" / "02_stride.ipynb"))
    assert "完全版のコースの第1章" in chapter                                    # chapter 1 is not in the edition
    config = yaml.safe_load((ja_selection / "_config.yml").read_text(encoding="utf-8"))
    assert "repository" not in config and "launch_buttons" not in config      # no STUDENT_REPO: no buttons


@pytest.mark.slow   # writes a whole edition more (make test runs it; test-quick stays under a minute)
def test_command_line_language_default_folder_and_untranslated_chapters(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert edition.main(["--language", "ja", "--source", str(ROOT), "--chapters", "02", "--no-build"]) == 0
    assert (tmp_path / "_student_ja" / "exercises" / "02_stride.ipynb").is_file()
    assert "solutions replaced by stubs" in capsys.readouterr().out
    assert edition.main(["--language", "ja", "--source", str(ROOT), "--chapters", "02", "99", "--no-build"]) == 2
    assert "no ja edition" in capsys.readouterr().err


# ----------------------------------------------------------------------------- the pieces
def test_japanese_renumbering_promises_and_book_links():
    numbers = {2: 1, 3: 2, 4: 3}
    assert edition.renumber("第2章と第5章、第2～4章、第1～2章、第2、3章。", numbers, "ja") == (
        "第1章と完全版のコースの第5章、第1～3章、完全版のコースの第1～2章、第1、2章。")
    assert edition.renumber("## 演習2.1：準備\n[演習3.2](#ex-03-2)", numbers, "ja") == "## 演習1.1：準備\n[演習2.2](#ex-03-2)"
    assert edition.renumber("完全版のコースの第5章", numbers, "ja") == "完全版のコースの第5章"
    text = ("答えは表示しません。オンラインの本では、各演習のあとに解答例を折りたたんだ枠で載せています。"
            "まずは自分で解いてみてください。\n記述式の答えには、折りたたんだ枠に解答例があります。\n")
    assert edition.drop_promises(text, "ja") == "答えは表示しません。\n\n"
    base = "https://example.org/course/"
    assert edition.unlink_book(f"[API]({base}api.html)（英語）と[第2章]({base}ja/x.html#a)", base) == "APIと第2章"


def test_the_japanese_book_tree_nested_and_standalone():
    """make book's tree (nested under ja/) is unchanged; the standalone one keeps the English book's settings."""
    nested, standalone = ja_book.config(), ja_book.config(standalone=True)
    english = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert nested["html"]["baseurl"] == english["html"]["baseurl"].rstrip("/") + "/ja/"
    assert nested["sphinx"]["config"]["mathjax_path"] == "../" + english["sphinx"]["config"]["mathjax_path"]
    assert nested["sphinx"]["config"]["html_extra_path"] == []
    assert standalone["html"]["baseurl"] == english["html"]["baseurl"]
    for key in ("mathjax_path", "html_extra_path"):
        assert standalone["sphinx"]["config"][key] == english["sphinx"]["config"][key]
    assert nested["title"] == standalone["title"] and nested["sphinx"]["config"]["language"] == "ja"
    link = "[API](../api.md)"
    assert ja_book.english_links(link, "chapters/x.ipynb", set()) == (
        '<a href="../../api.html" hreflang="en">API</a>（英語）')
    assert ja_book.english_links(link, "chapters/x.ipynb", set(), standalone=True) == (
        f"[API]({ja_book.book_url()}api.html)（英語）")


@pytest.mark.slow
@pytest.mark.book
def test_built_japanese_edition_has_no_solution_and_links_only_to_the_students(tmp_path_factory, needles):
    """Built (chapter 2): no solution in the pages, _sources or search index; lang="ja"; links to STUDENT_REPO."""
    out = _write(tmp_path_factory, "ja-built", chapters=["02"], student_repo=STUDENT_REPO, language="ja")
    html = edition.build(out)
    assert not scan(html, needles), sorted(scan(html, needles))[:5]
    page = (html / "exercises" / "02_stride.html").read_text(encoding="utf-8")
    assert '<html lang="ja"' in page and "（学生版）" in page
    links = re.findall(r'href="(https?://[^"]+)"', page)
    assert any(u.startswith(STUDENT_REPO) for u in links) and not [u for u in links if config_repository() in u]
    assert (html / "vendor" / "mathjax").is_dir() and (html / "glossary.html").is_file()
