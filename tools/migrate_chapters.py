"""Convert the chapters' MyST markup to plain CommonMark that the book still renders richly, in place.

    python tools/migrate_chapters.py chapters/08_*.ipynb [--check]

The chapters are handed to students too (the book's download and Colab buttons, the student
edition), so their markdown must read well without MyST. What changes (the exercise
notebooks' convention, _ext/exercise_format.py, extended to chapters):

* an in-chapter ``{exercise}`` (``:label: ex-08-2``) becomes the heading ``### Exercise 8.2``
  (with its title, if it had one) and its text; the book numbers and labels it again
  (_ext/exercise_cells.py);
* ``{solution-start}`` / ``{solution-end}`` cells are removed and every cell between them is
  marked as a solution region (BEGIN/END SOLUTION lines, HTML comments in markdown), unless
  it already holds one; the book puts those cells into the collapsed solution box;
* ``{ref}`ex-08-2``` becomes ``[Exercise 8.2](#ex-08-2)`` (MyST resolves ``#label`` links
  itself), ``{ref}`text <label>``` becomes ``[text](#label)``;
* ``{cite}`key``` becomes ``([Author et al., 2016](../references.md#key))`` (no parentheses
  when it already stands inside some), which _ext/citation_links.py turns back into a
  citation while the book is read.

Any other directive or role is reported, not rewritten. Code cells gain only marker comment
lines, so their outputs stay valid. Rerunning it on a converted chapter changes nothing.
``--check`` only reports (exit status 1 when something would change).
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from pybtex.database import parse_file
from pybtex.richtext import Text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "_ext"))
from exercise_format import has_solution  # noqa: E402
from migrate_exercises import _ROLE, _blocks, _mark, convert_files  # noqa: E402

_EXERCISE_LABEL = re.compile(r"ex-(\d+)-(\d+)")
_REF = re.compile(r"(?P<word>\b[Ee]xercise\s+)?\{ref\}`(?P<text>[^`]*)`")
_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`(?P<keys>[^`]*)`")
_FENCE_LINE = re.compile(r"^\s*(`{3,}|:{3,})\s*\{[\w-]+\}", re.M)


def citation_text(entry) -> str:
    """``Odena et al., 2016`` (or ``PyTorch documentation``) for a pybtex entry."""
    if entry.fields.get("howpublished", "") == "PyTorch documentation":
        return "PyTorch documentation"
    people = entry.persons.get("author", [])
    names = [Text.from_latex(" ".join(p.last_names) or str(p)).render_as("text") for p in people]
    if not names:
        who = Text.from_latex(entry.fields.get("title", entry.key)).render_as("text")
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


def _depth(text: str, pos: int) -> int:
    """How many parentheses are open at ``pos`` within its paragraph."""
    paragraph = text[:pos].split("\n\n")[-1]
    return paragraph.count("(") - paragraph.count(")")


def plain_links(text: str, bib) -> str:
    """``{ref}`` and ``{cite}`` roles as CommonMark links (see the module docstring)."""
    def ref(m: re.Match) -> str:
        inner = m.group("text")
        shown = re.match(r"^(.*?)\s*<([^>]+)>$", inner, re.S)
        if shown:
            return f"{m.group('word') or ''}[{shown.group(1)}](#{shown.group(2)})"
        number = _EXERCISE_LABEL.fullmatch(inner)
        if not number:
            raise ValueError(f"{{ref}}`{inner}`: no link text for a label that is not an exercise")
        word = (m.group("word") or "Exercise ").rstrip() + " "
        return f"[{word}{int(number.group(1))}.{number.group(2)}](#{inner})"

    def cite(m: re.Match) -> str:
        links = []
        for key in (k.strip() for k in m.group("keys").split(",")):
            if key not in bib.entries:
                raise ValueError(f"{{cite}}`{key}`: not in references.bib")
            links.append(f"[{citation_text(bib.entries[key])}](../references.md#{key})")
        joined = "; ".join(links)
        return joined if _depth(text, m.start()) > 0 else f"({joined})"

    text = _REF.sub(ref, text)
    return _CITE.sub(cite, text)


def _statement(options: dict, arg: str, body: str, chapter: int, number: int, bib) -> tuple[str, int]:
    m = _EXERCISE_LABEL.fullmatch(options.get("label", ""))
    if m:
        chapter, number = int(m.group(1)), int(m.group(2))
    title = f": {plain_links(arg, bib)}" if arg else ""
    return f"### Exercise {chapter}.{number}{title}\n\n{plain_links(body, bib)}".rstrip("\n"), number


def migrate(nb, chapter: int, bib) -> tuple[object, list[str]]:
    """The chapter in plain CommonMark (modified in place) and a list of what changed."""
    changes, cells, inside, number = [], [], False, 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            blocks = _blocks(cell.source)
            names = [b[0] for b in blocks if not isinstance(b, str)]
            if names and set(names) <= {"solution-start", "solution-end"} and not any(
                    isinstance(b, str) and b.strip() for b in blocks):
                inside = names[-1] == "solution-start"
                changes.append(f"{names[-1]} cell removed")
                continue
            if names == ["exercise"]:
                _, arg, options, body = next(b for b in blocks if not isinstance(b, str))
                cell.source, number = _statement(options, arg, body, chapter, number + 1, bib)
                changes.append("exercise statement as a heading")
            else:
                new = plain_links(cell.source, bib)
                if new != cell.source:
                    changes.append("{ref}/{cite} roles as links")
                    cell.source = new
        if inside and cell.cell_type in ("markdown", "code") and not has_solution(cell.source):
            _mark(cell)
            changes.append(f"{cell.cell_type} cell of a solution section marked whole")
        cells.append(cell)
    if inside:
        raise ValueError("a {solution-start} has no {solution-end}")
    nb.cells = cells
    return nb, changes


def leftovers(nb) -> list[str]:
    """MyST directives and roles still in the markdown (reported, never rewritten)."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found += [f"cell {i}: {m.group(0).strip()}" for m in (*_FENCE_LINE.finditer(cell.source),
                                                                   *_ROLE.finditer(cell.source))]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/migrate_chapters.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report what would change, write nothing")
    parser.add_argument("--bib", type=Path, default=ROOT / "references.bib")
    args = parser.parse_args(argv)
    bib = parse_file(str(args.bib), bib_format="bibtex")
    return convert_files(args.notebooks, lambda nb, chapter: migrate(nb, chapter, bib), args.check, leftovers)


if __name__ == "__main__":
    sys.exit(main())
