"""The student edition: a copy of the book's sources with every solution taken out, then built.

    python tools/edition.py --out _student [--chapters 02 03 04] [--student-repo URL] [--no-build]

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
from pathlib import Path

import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edition_text import (  # noqa: E402,F401
    CODE_STUB,
    TEXT_STUB,
    check_student_repo,  # noqa: E402
    drop_promises,
    localise_book_links,
    renumber,
    strip_solution_text,
    stub_solutions,
    student_notebook,
    unlink_missing,
)
from install_cell import set_repository  # noqa: E402

MARKER = ".student-edition"
INSTRUCTOR_ONLY = {"chapters/instructor_guide"}
_NUMBER = re.compile(r"^(?:chapters|exercises)/(\d\d)_")



def edition_config(config: dict, student_repo: str | None, with_solutions: bool) -> dict:
    """``_config.yml`` of the edition: its title, no execution, and links only to ``student_repo``."""
    config = dict(config)
    config["title"] = f"{config.get('title', 'Book')} ({'selection' if with_solutions else 'student edition'})"
    config["execute"] = {**config.get("execute", {}), "execute_notebooks": "off"}  # stubs would raise
    html = dict(config.get("html", {}))
    html.pop("baseurl", None)  # the full book's address: the edition links only inside itself
    if student_repo and check_student_repo(student_repo) is None:
        config["repository"] = {**config.get("repository", {}), "url": student_repo, "path_to_book": ""}
    else:  # no repository the theme can point at: no Colab, Binder, repository, issues or edit buttons
        config.pop("repository", None)
        config.pop("launch_buttons", None)
        html.update(use_repository_button=False, use_issues_button=False, use_edit_page_button=False)
    config["html"] = html
    return config


def chapter_number(file: str) -> str | None:
    """``'02'`` for ``chapters/02_stride`` or ``exercises/02_stride``; None for other pages."""
    m = _NUMBER.match(file)
    return m.group(1) if m else None


def restrict_toc(toc: dict, chapters: set[str] | None) -> dict:
    """A copy of a jb-book toc with only the selected chapters' pages, no instructor pages."""
    def keep(entry: dict) -> dict | None:
        file = entry.get("file")
        if file is not None:
            file = str(Path(file).with_suffix("")) if Path(file).suffix in (".md", ".ipynb") else file
            number = chapter_number(file)
            if file in INSTRUCTOR_ONLY or (chapters is not None and number is not None and number not in chapters):
                return None
        entry = dict(entry)
        for key in ("parts", "chapters", "sections"):
            if key in entry:
                entry[key] = [e for e in (keep(x) for x in entry[key]) if e is not None]
                if not entry[key]:
                    if file is None:
                        return None
                    del entry[key]
        return entry
    return keep(toc) or {"format": toc.get("format"), "root": toc.get("root")}


def _toc_files(toc: dict) -> list[str]:
    files = [toc["root"]] if "root" in toc else []
    for key in ("parts", "chapters", "sections"):
        for entry in toc.get(key, []):
            files += ([entry["file"]] if "file" in entry else []) + _toc_files({k: v for k, v in entry.items()
                                                                               if k != "file"})
    return files


def _find_page(source: Path, name: str) -> Path:
    for suffix in ("", ".ipynb", ".md"):
        if (source / (name + suffix)).is_file():
            return source / (name + suffix)
    raise FileNotFoundError(f"_toc.yml names {name!r}, but no such .ipynb or .md file exists in {source}")


def _prepare_out(out: Path, source: Path) -> None:
    if out.resolve() == source.resolve():
        raise ValueError("out must differ from the book's source folder")
    if out.exists():
        if (out / MARKER).exists():
            shutil.rmtree(out)
        elif any(out.iterdir()):
            raise ValueError(f"out ({out}) exists and is not a student edition; refusing to overwrite it")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Written by tools/edition.py; deleted and rewritten on each run.\n")


def write_edition(source: str | Path, out: str | Path, chapters=None, with_solutions: bool = False,
                  student_repo: str | None = None) -> dict:
    """Write the student copy of the book in ``source`` to ``out``; returns counts per kind.

    ``chapters``: two-digit chapter numbers to keep (None: all). ``with_solutions=True``
    keeps the solutions (an instructor's copy of a selection; the leak test's control).
    ``student_repo``: the URL every launch, repository and install link points at (None: none).
    """
    source, out = Path(source), Path(out)
    chapters = None if chapters is None else {f"{int(c):02d}" for c in chapters}
    toc = restrict_toc(yaml.safe_load((source / "_toc.yml").read_text()), chapters)
    _prepare_out(out, source)
    (out / "_toc.yml").write_text("# Student edition: written by tools/edition.py\n"
                                  + yaml.safe_dump(toc, sort_keys=False))
    config = edition_config(yaml.safe_load((source / "_config.yml").read_text()), student_repo, with_solutions)
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    for item in ("tconv_lib", "pyproject.toml", "binder"):  # the student repository installs the library
        if (source / item).is_dir():
            shutil.copytree(source / item, out / item, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif (source / item).is_file():
            shutil.copy2(source / item, out / item)
    skip = {"_build", out.name, "_toc.yml", "_config.yml"}
    for item in source.iterdir():  # extensions, offline assets, bibliography, logo
        if item.name in skip or item.name.startswith("__") or (item / MARKER).exists():
            continue
        if item.is_dir() and item.name.startswith("_"):
            shutil.copytree(item, out / item.name)
        elif item.is_file() and item.suffix in (".bib", ".png", ".svg", ".jpg", ".ico", ".css", ".js"):
            shutil.copy2(item, out / item.name)
    for folder in ("chapters", "exercises"):  # images and data next to the pages
        for f in (source / folder).rglob("*") if (source / folder).is_dir() else []:
            rel = f.relative_to(source)
            if f.is_file() and f.suffix not in (".ipynb", ".md") and ".ipynb_checkpoints" not in rel.parts:
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, out / rel)
    stats = {"pages": 0, "stubbed": 0, "removed_cells": 0}
    kept = {str(_find_page(source, n).relative_to(source).with_suffix("")) for n in _toc_files(toc)}
    kept_numbers = sorted({int(n) for n in (chapter_number(f) for f in kept) if n is not None})
    numbers = {old: new for new, old in enumerate(kept_numbers, start=1)}
    config = yaml.safe_load((source / "_config.yml").read_text())
    course = config.get("repository", {}).get("url", "") or "\0"
    book = config.get("html", {}).get("baseurl")
    for name in _toc_files(toc):
        page = _find_page(source, name)
        rel = str(page.relative_to(source))
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if with_solutions:
            shutil.copy2(page, target)
        elif page.suffix == ".ipynb":
            nb, counts = student_notebook(nbformat.read(page, as_version=4),
                                          clear_outputs=page.parent.name == "exercises")
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    text = localise_book_links(cell.source, book, rel, kept)
                    cell.source = renumber(drop_promises(unlink_missing(text, rel, kept)), numbers)
            set_repository(nb, student_repo or "")
            for cell in nb.cells:  # older install cells and text naming the course repository
                cell.source = cell.source.replace(course, student_repo or "the course repository")
            nbformat.write(nb, target)
            for key, value in counts.items():
                stats[key] += value
        else:
            text, inside = strip_solution_text(page.read_text())
            if inside:
                raise ValueError(f"{page}: a {{solution-start}} section has no {{solution-end}}")
            text, stubbed = stub_solutions(text, markdown=True)
            text = localise_book_links(text, book, rel, kept)
            text = renumber(drop_promises(unlink_missing(text, rel, kept)), numbers)
            target.write_text(text.replace(course, student_repo or "the course repository"))
            stats["stubbed"] += stubbed
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
    parser.add_argument("--out", default="_student", help="folder for the student copy (default _student)")
    parser.add_argument("--source", default=".", help="the book's source folder (default: here)")
    parser.add_argument("--chapters", nargs="*", help="two-digit chapter numbers to include (default: all)")
    parser.add_argument("--no-build", action="store_true", help="write the sources only")
    parser.add_argument("--student-repo", default="", help="URL of the students' repository: every Colab, Binder, "
                        "repository and install link points there (default: none, and no such buttons)")
    parser.add_argument("--with-solutions", action="store_true",
                        help="keep the solutions: an instructor's copy of the selected chapters")
    args = parser.parse_args(argv)
    chapters = [c for arg in args.chapters or [] for c in re.split(r"[,\s]+", arg) if c] or None
    try:
        note = check_student_repo(args.student_repo) if args.student_repo else None
        if note:
            print(f"note: {note}")
        stats = write_edition(args.source, args.out, chapters, args.with_solutions, args.student_repo or None)
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
