"""The student edition: a copy of the book's sources with every solution taken out, then built.

    python tools/edition.py --out _student [--chapters 02 03 04] [--student-repo URL] [--no-build]
    python tools/edition.py --language ja       # the Japanese student edition, in _student_ja

What changes in the copy:

* code between ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines becomes
  ``# YOUR CODE HERE`` / ``raise NotImplementedError()`` (indented like the markers), and
  written answers between the same markers in markdown become ``YOUR ANSWER HERE``
  (the one solution convention: _ext/exercise_format.py);
* the chapters' ``{solution}`` blocks and ``{solution-start}`` ... ``{solution-end}``
  sections are removed, cells and all; only answer cells inside them (stubbed) stay;
* exercise notebooks lose their outputs; chapters keep theirs; sentences that promise a
  collapsed solution are dropped;
* ``_toc.yml`` keeps the selected chapters and their exercises, never the instructor guide;
  in a selection, "Chapter N" in the text is renumbered to the chapter's number in the
  edition, so it agrees with the page titles (Jupyter Book numbers from 1);
* every launch, repository and install link points at ``--student-repo``; without it the
  Colab, Binder and repository buttons are left out and the install cells name no repository;
* the library (tconv_lib, pyproject.toml) is copied, so the student repository installs.

``--language ja`` makes the same edition of the Japanese book: its pages come from the
Japanese book's source tree in its standalone form (tools/i18n/book.py: language ja, Japanese
title and captions, the glossary page; the Japanese notebooks keep their setup cell), and the
sentences the edition writes, drops or renumbers are Japanese (tools/edition_text.py); the stubs
stay Otter's. Links to the published book, Japanese or English, stay inside the edition or become
plain text. Only chapters with a Japanese edition can be selected.

Removing solutions from the sources, rather than hiding them at build time, is what keeps
them out of ``_sources``, the downloadable notebooks and the search index (and
``hide_solutions: True`` crashes with the gated form anyway).
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edition_book import (  # noqa: E402,F401
    INSTRUCTOR_ONLY,
    MARKER,
    chapter_number,
    copy_assets,
    edition_config,
    find_page,
    prepare_out,
    restrict_toc,
    toc_files,
)
from edition_text import (  # noqa: E402,F401
    CODE_STUB,
    TEXT_STUB,
    WORDING,
    check_student_repo,
    drop_promises,
    localise_book_links,
    renumber,
    strip_solution_text,
    stub_solutions,
    student_notebook,
    unlink_book,
    unlink_missing,
)
from install_cell import set_repository  # noqa: E402

LANGUAGES = ("en", "ja")
_toc_files, _find_page = toc_files, find_page  # the names tests and older callers use


def _edit_markdown(text: str, page: str, edition: dict) -> str:
    """A markdown cell or page with the edition's links, promises and chapter numbers."""
    language, book = edition["language"], edition["book"]
    if language != "en":   # links to the published book in this language; to its English pages: plain text
        translated = book and f"{book.rstrip('/')}/{language}/"
        text = unlink_book(localise_book_links(text, translated, page, edition["kept"]), book)
    else:
        text = localise_book_links(text, book, page, edition["kept"])
    text = unlink_missing(text, page, edition["kept"])
    return renumber(drop_promises(text, language), edition["numbers"], language)


def _student_page(page: Path, rel: str, target: Path, edition: dict) -> dict:
    """Write the student version of one page to ``target``; return its counts."""
    course, student_repo = edition["course"], edition["student_repo"]
    instead = student_repo or WORDING[edition["language"]]["course_repository"]
    if page.suffix == ".ipynb":
        nb, counts = student_notebook(nbformat.read(page, as_version=4), clear_outputs=page.parent.name == "exercises")
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = _edit_markdown(cell.source, rel, edition)
        set_repository(nb, student_repo or "")
        for cell in nb.cells:  # older install cells and text naming the course repository
            cell.source = cell.source.replace(course, instead)
        nbformat.write(nb, target)
        return counts
    text, inside = strip_solution_text(page.read_text(encoding="utf-8"))
    if inside:
        raise ValueError(f"{page}: a {{solution-start}} section has no {{solution-end}}")
    text, stubbed = stub_solutions(text, markdown=True)
    target.write_text(_edit_markdown(text, rel, edition).replace(course, instead), encoding="utf-8")
    return {"stubbed": stubbed}


def write_edition(source: str | Path, out: str | Path, chapters=None, with_solutions: bool = False,
                  student_repo: str | None = None, language: str = "en") -> dict:
    """Write the student copy of the book in ``source`` to ``out``; returns counts per kind.

    ``chapters``: two-digit chapter numbers to keep (None: all). ``with_solutions=True``
    keeps the solutions (an instructor's copy of a selection; the leak test's control).
    ``student_repo``: the URL every launch, repository and install link points at (None: none).
    ``language="ja"``: the Japanese edition, from the Japanese book of this repository
    (``source`` then gives only the library that is copied).
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    if language == "en":
        return _write(Path(source), Path(out), chapters, with_solutions, student_repo, "en", Path(source))
    from i18n import translated_sources
    from i18n.book import source_tree
    missing = sorted({f"{int(c):02d}" for c in chapters or []} - {chapter_number(s) for s in translated_sources()})
    if missing:
        raise ValueError(f"chapters {', '.join(missing)} have no {language} edition yet "
                         f"(locale/{language}/po/; locale/README.md)")
    with tempfile.TemporaryDirectory(prefix=f"tconv-student-{language}-") as tmp:
        tree = source_tree(Path(tmp) / "book", standalone=True)
        return _write(tree, Path(out), chapters, with_solutions, student_repo, language, Path(source))


def _write(source: Path, out: Path, chapters, with_solutions: bool, student_repo: str | None, language: str,
           library: Path) -> dict:
    chapters = None if chapters is None else {f"{int(c):02d}" for c in chapters}
    toc = restrict_toc(yaml.safe_load((source / "_toc.yml").read_text(encoding="utf-8")), chapters)
    prepare_out(out, library)
    dump = dict(allow_unicode=True, sort_keys=False)
    (out / "_toc.yml").write_text("# Student edition: written by tools/edition.py\n" + yaml.safe_dump(toc, **dump),
                                  encoding="utf-8")
    config = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
    (out / "_config.yml").write_text(yaml.safe_dump(edition_config(config, student_repo, with_solutions, language),
                                                    **dump), encoding="utf-8")
    copy_assets(source, out, library)
    kept = {str(find_page(source, n).relative_to(source).with_suffix("")) for n in toc_files(toc)}
    kept_numbers = sorted({int(n) for n in (chapter_number(f) for f in kept) if n is not None})
    edition = {"language": language, "kept": kept, "student_repo": student_repo,
               "numbers": {old: new for new, old in enumerate(kept_numbers, start=1)},
               "course": config.get("repository", {}).get("url", "") or "\0",
               "book": config.get("html", {}).get("baseurl")}
    stats = {"pages": 0, "stubbed": 0, "removed_cells": 0}
    for name in toc_files(toc):
        page = find_page(source, name)
        rel = str(page.relative_to(source))
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if with_solutions:
            shutil.copy2(page, target)
        else:
            for key, value in _student_page(page, rel, target, edition).items():
                stats[key] += value
        stats["pages"] += 1
    return stats


def build(out: str | Path) -> Path:
    """Build the student copy with Jupyter Book; return the HTML folder."""
    out = Path(out)
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe) if exe.exists() else "jupyter-book", "build", str(out), "--keep-going"]
    subprocess.run(cmd, check=True)
    return out / "_build" / "html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/edition.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="folder for the student copy (default _student; _student_ja for ja)")
    parser.add_argument("--language", default="en", choices=LANGUAGES,
                        help="the edition's language (default en; ja: from the Japanese book)")
    parser.add_argument("--source", default=".", help="the book's source folder (default: here)")
    parser.add_argument("--chapters", nargs="*", help="two-digit chapter numbers to include (default: all)")
    parser.add_argument("--no-build", action="store_true", help="write the sources only")
    parser.add_argument("--student-repo", default="", help="URL of the students' repository: every Colab, Binder, "
                        "repository and install link points there (default: none, and no such buttons)")
    parser.add_argument("--with-solutions", action="store_true",
                        help="keep the solutions: an instructor's copy of the selected chapters")
    args = parser.parse_args(argv)
    chapters = [c for arg in args.chapters or [] for c in re.split(r"[,\s]+", arg) if c] or None
    args.out = args.out or ("_student" if args.language == "en" else f"_student_{args.language}")
    try:
        note = check_student_repo(args.student_repo) if args.student_repo else None
        if note:
            print(f"note: {note}")
        stats = write_edition(args.source, args.out, chapters, args.with_solutions, args.student_repo or None,
                              args.language)
        print(f"student edition: {stats['pages']} pages, {stats['stubbed']} solutions replaced by stubs, "
              f"{stats['removed_cells']} solution cells removed -> {args.out}")
        if not args.no_build:
            print(f"student edition built: {build(args.out) / 'index.html'}")
    except (ValueError, FileNotFoundError) as exc:
        print(f"tools/edition.py: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"tools/edition.py: jupyter-book failed (exit {exc.returncode})", file=sys.stderr)
        return exc.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
