"""Each chapter's header is the one home of its title, prerequisites and minutes; the guide's table comes from it.

    python tools/front_matter.py           # list every disagreement between headers and guide; exit 1 if any
    python tools/front_matter.py --write   # rewrite the guide's "Chapters at a glance" table from the headers

A chapter's header is the first markdown cell of ``chapters/NN_slug.ipynb``:

* its ``#`` heading is the chapter's title;
* the paragraph that starts with ``**Prerequisites.**`` names, as links to ``NN_slug.ipynb`` or to
  their pages in the published book, the chapters it needs (no link: it needs none);
* the line ``**Estimated time.** N minutes.`` (optionally ``N minutes, including ...``) gives the
  minutes, estimated by ``tools/reading_time.py``.

An exercise notebook states its own minutes in a line ``**Estimated time:** N minutes.``.
The instructor guide's table has one row per chapter, in ``_toc.yml`` order: the linked title,
what students can do after the chapter (the one column written in the guide itself), the
chapters it needs, and the minutes as "chapter + exercise notebook". ``--write`` keeps the
written column and fills in the rest. ``tests/test_front_matter.py`` fails on any disagreement.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GUIDE = Path("chapters/instructor_guide.md")
TABLE_HEADING = "## Chapters at a glance"
TABLE_HEAD = ("| Chapter | After it, students can | Needs | Minutes (chapter + exercises) |\n"
              "| --- | --- | --- | --- |")
# a chapter link: relative (``02_stride.ipynb``) or into the published book (``https://.../chapters/02_stride.html``)
_CHAPTER_LINK = re.compile(r"\]\((?:https?://[^)\s]*/chapters/|\.\./chapters/|\./)?(\d{2})_[A-Za-z0-9_]+\.(?:ipynb|html)"
                           r"(?:#[^)]*)?\)")
_MINUTES = re.compile(r"^\*\*Estimated time\.\*\* (\d+) minutes\b[^\n]*$", re.M)
_EXERCISE_MINUTES = re.compile(r"^\*\*Estimated time:\*\* (\d+) minutes\.", re.M)
_ROW_NUMBER = re.compile(r"^\|\s*\[?(\d+)\b")


@dataclass(frozen=True)
class Header:
    """What a chapter's first markdown cell states about the chapter."""

    number: int
    file: str  # e.g. "chapters/02_stride.ipynb"
    title: str
    needs: tuple[int, ...]
    minutes: int


def chapter_files(root: Path = ROOT) -> list[str]:
    """The chapter notebooks named in ``_toc.yml`` (``chapters/NN_slug.ipynb``), in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [entry["file"] for part in toc.get("parts", []) for entry in part.get("chapters", [])]
    return [f + ".ipynb" for f in files if re.fullmatch(r"chapters/\d{2}_[a-z0-9_]+", f)]


def header_cell(path: Path) -> tuple[dict, int]:
    """The notebook's JSON and the index of its first markdown cell (the header)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            return nb, index
    raise ValueError(f"{path}: the notebook has no markdown cell, so it has no header")


def source_text(cell: dict) -> str:
    """A cell's source as one string (notebook JSON stores it as a list of lines or a string)."""
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _paragraph(text: str, start: str) -> str | None:
    """The paragraph of ``text`` that starts with ``start`` (up to the next blank line), or None."""
    for block in re.split(r"\n\s*\n", text):
        if block.lstrip().startswith(start):
            return block.strip()
    return None


def parse_header(path: Path, root: Path = ROOT) -> Header:
    """The title, needed chapters and minutes that ``path``'s header states; ValueError naming what is missing."""
    nb, index = header_cell(root / path)
    text = source_text(nb["cells"][index])
    title = re.match(r"# (.+)", text)
    if not title:
        raise ValueError(f"{path}: the header cell must start with the '# Title' heading")
    prerequisites = _paragraph(text, "**Prerequisites.**")
    if prerequisites is None:
        raise ValueError(f"{path}: the header has no paragraph starting with '**Prerequisites.**'")
    minutes = _MINUTES.search(text)
    if not minutes:
        raise ValueError(f"{path}: the header has no line '**Estimated time.** N minutes.'")
    number = int(Path(path).name[:2])
    needs = sorted({int(n) for n in _CHAPTER_LINK.findall(prerequisites)} - {number})
    return Header(number, str(path), title.group(1).strip(), tuple(needs), int(minutes.group(1)))


def exercise_minutes(chapter_file: str, root: Path = ROOT) -> int:
    """The minutes the exercise notebook paired with ``chapter_file`` states in its header."""
    path = Path("exercises") / Path(chapter_file).name
    nb, index = header_cell(root / path)
    found = _EXERCISE_MINUTES.search(source_text(nb["cells"][index]))
    if not found:
        raise ValueError(f"{path}: the header has no line '**Estimated time:** N minutes.'")
    return int(found.group(1))


def format_needs(needs: tuple[int, ...]) -> str:
    """``(1, 2, 3, 4, 8)`` as ``"1-4, 8"``: runs of three or more chapters as a range; ``()`` as "none"."""
    runs: list[list[int]] = []
    for n in needs:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{r[0]}-{r[-1]}" if len(r) >= 3 else ", ".join(map(str, r)) for r in runs]
    return ", ".join(parts) or "none"


def guide_rows(guide_text: str) -> dict[int, list[str]]:
    """The guide's table rows by chapter number, each as its list of cell texts."""
    start = guide_text.index(TABLE_HEADING)
    rows: dict[int, list[str]] = {}
    for line in guide_text[start:].split("\n")[1:]:
        if line.startswith("## "):
            break
        found = _ROW_NUMBER.match(line)
        if found:
            rows[int(found.group(1))] = [c.strip() for c in line.strip().strip("|").split("|")]
    return rows


def render_row(header: Header, after: str, exercises: int) -> str:
    """One row of the guide's table for ``header``."""
    link = f"{header.number} [{header.title}]({Path(header.file).name})"
    return f"| {link} | {after} | {format_needs(header.needs)} | {header.minutes} + {exercises} |"


def header_problems(root: Path = ROOT) -> list[str]:
    """Every chapter header (and paired exercise header) that lacks a part the guide is built from."""
    out = []
    for file in chapter_files(root):
        for parse in (parse_header, exercise_minutes):
            try:
                parse(Path(file) if parse is parse_header else file, root)
            except (ValueError, FileNotFoundError) as error:
                out.append(str(error))
    return out


def expected_table(root: Path = ROOT) -> str:
    """The guide's table as the headers (and the guide's written column) make it."""
    rows = guide_rows((root / GUIDE).read_text(encoding="utf-8"))
    lines = [TABLE_HEAD]
    for file in chapter_files(root):
        header = parse_header(Path(file), root)
        after = rows.get(header.number, ["", "WRITE WHAT STUDENTS CAN DO AFTER THIS CHAPTER"])[1]
        lines.append(render_row(header, after, exercise_minutes(file, root)))
    return "\n".join(lines)


def _table_span(text: str) -> tuple[int, int]:
    """Start and end offsets of the table under the guide's table heading."""
    start = text.index(TABLE_HEADING)
    first = text.index("\n|", start) + 1
    end = first
    while end < len(text) and text.startswith("|", end):
        end = text.find("\n", end) + 1 or len(text)
    return first, end


def problems(root: Path = ROOT) -> list[str]:
    """Every disagreement between the chapter headers and the guide's table, one sentence each."""
    broken = header_problems(root)
    if broken:
        return broken
    text = (root / GUIDE).read_text(encoding="utf-8")
    first, end = _table_span(text)
    found = text[first:end].rstrip("\n").split("\n")
    expected = expected_table(root).split("\n")
    out = []
    if found[:2] != expected[:2]:
        out.append(f"{GUIDE}: the table's head should be {expected[:2]!r}")
    have = {int(m.group(1)): line for line in found[2:] if (m := _ROW_NUMBER.match(line))}
    columns = ("title", "after", "needs", "minutes (chapter + exercises)")
    for line in expected[2:]:
        number = int(_ROW_NUMBER.match(line).group(1))
        if number not in have:
            out.append(f"{GUIDE}: no row for chapter {number}; expected {line}")
            continue
        cells = [c.strip() for c in have[number].strip().strip("|").split("|")]
        want = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != len(want):
            out.append(f"{GUIDE}: chapter {number}'s row has {len(cells)} cells, not {len(want)}")
            continue
        for name, got, header in zip(columns, cells, want):
            if name == "after":
                if not got:
                    out.append(f"{GUIDE}: chapter {number}: say what students can do after it")
            elif got != header:
                out.append(f"{GUIDE}: chapter {number}: {name} is {got!r}, but the headers say {header!r}")
    extra = sorted(set(have) - {int(_ROW_NUMBER.match(line).group(1)) for line in expected[2:]})
    out += [f"{GUIDE}: row for chapter {n}, which _toc.yml does not list" for n in extra]
    if not out and found != expected:
        out.append(f"{GUIDE}: the rows are not in _toc.yml order")
    return out


def write_guide(root: Path = ROOT) -> bool:
    """Rewrite the guide's table from the headers; True if the file changed."""
    path = root / GUIDE
    text = path.read_text(encoding="utf-8")
    first, end = _table_span(text)
    new = text[:first] + expected_table(root) + "\n" + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the guide's table from the headers")
    args = parser.parse_args(argv)
    if args.write:
        print(f"{GUIDE}: {'rewritten' if write_guide() else 'already up to date'}")
    found = problems()
    print("\n".join(found) or f"{GUIDE} agrees with every chapter header")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
