"""The student edition: a copy of the book's sources with every solution taken out, then built.

    python -m tconv_lib.edition --out _student [--chapters 02 03 04] [--no-build]

What changes in the copy:

* code between nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines becomes
  ``# YOUR CODE HERE`` / ``raise NotImplementedError()`` (indented like the markers), and
  written answers between the same markers in markdown become ``YOUR ANSWER HERE``;
* ``{solution-start}`` ... ``{solution-end}`` sections and one-cell ``{solution}`` blocks
  are removed, cells and all, in chapters and exercises; only the answer cells inside them
  (the stubbed ones) stay, so students still have a place to write;
* exercise notebooks lose their outputs; chapters keep theirs;
* ``_toc.yml`` keeps the selected chapters and their exercises, never the instructor guide.

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

CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
TEXT_STUB = "YOUR ANSWER HERE"
MARKER = ".student-edition"
INSTRUCTOR_ONLY = {"chapters/instructor_guide"}
_NUMBER = re.compile(r"^(?:chapters|exercises)/(\d\d)_")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s#]+\.(?:ipynb|md))(#[^)\s]*)?\)")
_FENCE_OPEN = re.compile(r"^\s*(`{3,}|:{3,})\s*\{(solution|solution-start|solution-end)\}")


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
    (out / MARKER).write_text("Written by python -m tconv_lib.edition; deleted and rewritten on each run.\n")


def write_edition(source: str | Path, out: str | Path, chapters=None, with_solutions: bool = False) -> dict:
    """Write the student copy of the book in ``source`` to ``out``; returns counts per kind.

    ``chapters``: two-digit chapter numbers to keep (None: all). ``with_solutions=True``
    keeps the solutions (an instructor's copy of a selection; the leak test's control).
    """
    source, out = Path(source), Path(out)
    chapters = None if chapters is None else {f"{int(c):02d}" for c in chapters}
    toc = restrict_toc(yaml.safe_load((source / "_toc.yml").read_text()), chapters)
    _prepare_out(out, source)
    (out / "_toc.yml").write_text("# Student edition: written by python -m tconv_lib.edition\n"
                                  + yaml.safe_dump(toc, sort_keys=False))
    config = yaml.safe_load((source / "_config.yml").read_text())
    config["title"] = f"{config.get('title', 'Book')} ({'selection' if with_solutions else 'student edition'})"
    config.setdefault("execute", {})["execute_notebooks"] = "off"  # stubs would raise
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
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
                    cell.source = unlink_missing(cell.source, rel, kept)
            nbformat.write(nb, target)
            for key, value in counts.items():
                stats[key] += value
        else:
            text, inside = strip_solution_text(page.read_text())
            if inside:
                raise ValueError(f"{page}: a {{solution-start}} section has no {{solution-end}}")
            text, stubbed = stub_solutions(text, markdown=True)
            target.write_text(unlink_missing(text, rel, kept))
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
    parser = argparse.ArgumentParser(prog="python -m tconv_lib.edition", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="_student", help="folder for the student copy (default _student)")
    parser.add_argument("--source", default=".", help="the book's source folder (default: here)")
    parser.add_argument("--chapters", nargs="*", help="two-digit chapter numbers to include (default: all)")
    parser.add_argument("--no-build", action="store_true", help="write the sources only")
    parser.add_argument("--with-solutions", action="store_true",
                        help="keep the solutions: an instructor's copy of the selected chapters")
    args = parser.parse_args(argv)
    chapters = [c for arg in args.chapters or [] for c in re.split(r"[,\s]+", arg) if c] or None
    try:
        stats = write_edition(args.source, args.out, chapters, args.with_solutions)
        print(f"student edition: {stats['pages']} pages, {stats['stubbed']} solutions replaced by stubs, "
              f"{stats['removed_cells']} solution cells removed -> {args.out}")
        if not args.no_build:
            print(f"student edition built: {build(args.out) / 'index.html'}")
    except (ValueError, FileNotFoundError) as exc:
        print(f"python -m tconv_lib.edition: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"python -m tconv_lib.edition: jupyter-book failed (exit {exc.returncode})", file=sys.stderr)
        return exc.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
