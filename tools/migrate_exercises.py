"""Convert exercise notebooks from the old MyST form to the plain-Markdown convention, in place.

    python tools/migrate_exercises.py exercises/12_*.ipynb [--check]

Old form: a ``{exercise}`` directive (``:label: exn-NN-M``) per statement, the answer cell
between ``{solution-start}`` / ``{solution-end}`` cells, nbgrader metadata on answer cells.
New form (see _ext/exercise_format.py): a ``## Exercise N.M: Title`` heading and plain
Markdown, the answer cell right after it with only the BEGIN/END SOLUTION markers.
Also rewritten: MyST roles and other directives in markdown (to plain Markdown), one-cell
``{solution}`` blocks (to a marked written answer), unmarked cells inside a solution
section (marked whole), and a check cell's first argument ``name`` (to
``tl.exercises.answer("name")``, so an unanswered exercise is reported, not a NameError).
Rerunning it on a converted notebook changes nothing. ``--check`` only reports.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
from exercise_format import CODE_MARKERS, TEXT_MARKERS, has_solution  # noqa: E402

_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})[ \t]*\{(?P<name>[a-z-]+)\}[ \t]*(?P<arg>.*)$")
_OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$")
_ROLE = re.compile(r"\{(?P<role>[a-z:-]+)\}`(?P<text>[^`]*)`")
_TARGET = re.compile(r"^\(([\w.-]+)\)=[ \t]*\n?", re.M)
_COMMENT = re.compile(r"^%[^\n]*\n?", re.M)
_CHECK_ARG = re.compile(r"(\btl\.exercises\w*\.check_\w+\(\s*)([A-Za-z_]\w*)(\s*[,)])")
_NUMBER = re.compile(r"exn-(\d+)-(\d+)")
_ADMONITIONS = {"note", "tip", "hint", "warning", "important", "caution", "attention", "danger", "error", "seealso"}


def _blocks(text: str) -> list[tuple[str, str, dict, str] | str]:
    """Split MyST text into plain lines and directives ``(name, argument, options, body)``."""
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        m = _FENCE.match(lines[i].strip())
        if not m:
            out.append(lines[i])
            i += 1
            continue
        fence, j, options = m.group("fence"), i + 1, {}
        while j < len(lines) and (o := _OPTION.match(lines[j].strip())):
            options[o.group(1)] = o.group(2)
            j += 1
        k = j
        while k < len(lines) and not (lines[k].strip() and set(lines[k].strip()) == {fence[0]}
                                      and len(lines[k].strip()) >= len(fence)):
            k += 1
        out.append((m.group("name"), m.group("arg").strip(), options, "\n".join(lines[j:k]).strip("\n")))
        i = k + 1
    return out


def plain_roles(text: str) -> str:
    """MyST roles as plain Markdown: ``{math}`x``` -> ``$x$``, ``{ref}`Text <label>``` -> Text."""
    def one(m: re.Match) -> str:
        role, inner = m.group("role"), m.group("text")
        if role == "math":
            return f"${inner}$"
        if role == "cite":
            return "[" + ", ".join(k.strip() for k in inner.split(",")) + "]"
        shown = re.match(r"^(.*?)\s*<[^>]+>$", inner, re.S)
        return shown.group(1) if shown else inner
    return _COMMENT.sub("", _TARGET.sub("", _ROLE.sub(one, text)))


def _plain_directive(name: str, arg: str, body: str) -> str:
    body = plain_markdown(body)
    if name in ("code-cell", "code-block", "code"):
        return f"```{arg}\n{body}\n```"
    if name == "math":
        return f"$$\n{body}\n$$"
    if name in _ADMONITIONS or name == "admonition":
        title = arg or name.capitalize()
        return "\n".join(f"> {line}" if line else ">" for line in f"**{title}.** {body}".split("\n"))
    return (f"**{arg}**\n\n" if arg else "") + body


def plain_markdown(text: str) -> str:
    """Markdown with every MyST directive and role turned into plain Markdown."""
    parts = [b if isinstance(b, str) else _plain_directive(b[0], b[1], b[3]) for b in _blocks(text)]
    return plain_roles("\n".join(parts))


def _exercise_heading(arg: str, options: dict, body: str, chapter: int, number: int) -> tuple[str, int]:
    m = _NUMBER.fullmatch(options.get("label", ""))
    if m:
        chapter, number = int(m.group(1)), int(m.group(2))
    title = plain_roles(arg) or "Exercise"
    return f"## Exercise {chapter}.{number}: {title}\n\n{plain_markdown(body)}".rstrip("\n"), number


def _mark(cell) -> None:
    """Mark a whole cell as a solution region (a cell that sat in a solution section unmarked)."""
    begin, end = CODE_MARKERS if cell.cell_type == "code" else TEXT_MARKERS
    cell.source = f"{begin}\n{cell.source.strip(chr(10))}\n{end}"


def migrate(nb, chapter: int) -> tuple[object, list[str]]:
    """The notebook in the new convention (modified in place) and a list of what changed."""
    changes, cells, inside, number = [], [], False, 0
    for cell in nb.cells:
        if cell.metadata.pop("nbgrader", None) is not None:
            changes.append("nbgrader metadata removed")
        if cell.cell_type == "code":
            new = _CHECK_ARG.sub(lambda m: f'{m.group(1)}tl.exercises.answer("{m.group(2)}"){m.group(3)}', cell.source)
            if new != cell.source:
                cell.source = new
                changes.append("check argument read with tl.exercises.answer")
            if inside and not has_solution(cell.source):
                _mark(cell)
                changes.append("unmarked code cell in a solution section marked whole")
            cells.append(cell)
            continue
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        blocks = _blocks(cell.source)
        names = [b[0] for b in blocks if not isinstance(b, str)]
        if names and set(names) <= {"solution-start", "solution-end"} and not any(
                isinstance(b, str) and b.strip() for b in blocks):
            inside = names[-1] == "solution-start"
            changes.append(f"{names[-1]} cell removed")
            continue
        if "exercise" in names:
            name, arg, options, body = next(b for b in blocks if not isinstance(b, str) and b[0] == "exercise")
            number += 1
            cell.source, number = _exercise_heading(arg, options, body, chapter, number)
            changes.append(f"exercise {chapter}.{number}: statement as a heading")
        elif "solution" in names:
            _, _, _, body = next(b for b in blocks if not isinstance(b, str) and b[0] == "solution")
            cell.source = f"{TEXT_MARKERS[0]}\n{plain_markdown(body)}\n{TEXT_MARKERS[1]}"
            changes.append("{solution} block as a marked written answer")
        else:
            new = plain_markdown(cell.source)
            if new != cell.source:
                cell.source = new
                changes.append("MyST markup in markdown made plain")
            if inside and not has_solution(cell.source):
                _mark(cell)
                changes.append("unmarked markdown cell in a solution section marked whole")
        cells.append(cell)
    if inside:
        raise ValueError("a {solution-start} has no {solution-end}")
    nb.cells = cells
    return nb, changes


def convert_files(paths: list[Path], convert, check: bool, leftovers=None) -> int:
    """Run ``convert(nb, chapter) -> (nb, changes)`` on each notebook; print a line each; write unless ``check``.

    Exit status: 0 nothing to do or written, 1 changes found with ``check``, 2 a notebook could not be
    converted, 3 ``leftovers(nb)`` reported syntax left as is. Shared with tools/migrate_chapters.py.
    """
    status = 0
    for path in paths:
        m = re.match(r"(\d+)_", path.name)
        try:
            nb, changes = convert(nbformat.read(path, as_version=4), int(m.group(1)) if m else 0)
        except ValueError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            status = 2
            continue
        summary = ", ".join(f"{changes.count(c)}x {c}" for c in dict.fromkeys(changes)) or "already converted"
        print(f"{path}: {summary}")
        for left in leftovers(nb) if leftovers else []:
            print(f"{path}: MyST left as is: {left}", file=sys.stderr)
            status = status or 3
        if changes and not check:
            nbformat.write(nb, path)
        status = status or (1 if changes and check else 0)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/migrate_exercises.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report what would change, write nothing")
    args = parser.parse_args(argv)
    return convert_files(args.notebooks, migrate, args.check)


if __name__ == "__main__":
    sys.exit(main())
