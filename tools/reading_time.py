"""How long a chapter takes, estimated from what it holds: the rule behind every header's minutes.

    python tools/reading_time.py                               # one row per chapter; exit 1 if a header is off
    python tools/reading_time.py --write chapters/06_*.ipynb   # set these headers' minutes to the estimate

With no notebooks named, every chapter of _toc.yml is shown (and, with ``--write``, updated);
``--write`` changes only the header's "**Estimated time.**" line. Then run
``python tools/front_matter.py --write`` so that the instructor guide's table follows.

The rule, for a student who reads a chapter, runs its cells and tries its own exercises:

* prose: every word of the markdown cells at 200 words a minute (a word is a run of
  non-space characters with a letter or digit in it; link targets and HTML comments are not
  words);
* code: every non-blank line of the code cells at 20 lines a minute (3 seconds a line), plus
  half a minute per code cell to run it and look at what it prints or draws;
* exercises: 3 minutes for each of the chapter's own exercises (``### Exercise N.M``), to try
  it before opening the worked solution (whose words and lines count above).

The install cell (tools/install_cell.py) and cells tagged ``remove-cell`` are not counted: no
reader sees them. A header states the estimate rounded to the nearest 5 minutes; it is
"honest" when it is within ``TOLERANCE_MINUTES`` or ``TOLERANCE_SHARE`` of the estimate,
whichever is larger (tests/test_front_matter.py). The exercise notebooks are timed by
their own headers, not by this rule: solving dominates there, not reading.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from front_matter import ROOT, chapter_files, header_cell, parse_header, source_text  # noqa: E402
from install_cell import FIRST_LINE  # noqa: E402

WORDS_PER_MINUTE = 200
CODE_LINES_PER_MINUTE = 20
MINUTES_PER_CODE_CELL = 0.5
MINUTES_PER_EXERCISE = 3
TOLERANCE_MINUTES, TOLERANCE_SHARE = 5, 0.15
_WORD = re.compile(r"\S*[^\W_]\S*")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_EXERCISE = re.compile(r"^#{2,4}[ \t]+Exercise[ \t]+\d+\.\d+", re.M)
_TIME_LINE = re.compile(r"^\*\*(?:Estimated time|Time)\.\*\*[^\n]*$", re.M)


@dataclass(frozen=True)
class Counts:
    """What a chapter notebook holds that a reader reads or runs."""

    words: int
    code_cells: int
    code_lines: int
    exercises: int

    def minutes(self) -> float:
        """The module docstring's rule: the chapter's estimated minutes (not rounded)."""
        return (self.words / WORDS_PER_MINUTE + self.code_lines / CODE_LINES_PER_MINUTE
                + self.code_cells * MINUTES_PER_CODE_CELL + self.exercises * MINUTES_PER_EXERCISE)


def prose_words(markdown: str) -> int:
    """Words of a markdown cell as a reader sees them (no link targets, no HTML comments)."""
    return len(_WORD.findall(_LINK_TARGET.sub("]", _COMMENT.sub(" ", markdown))))


def counts(path: Path) -> Counts:
    """Words, code cells, code lines and own exercises of the notebook at ``path``."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    words = cells = lines = exercises = 0
    for cell in nb["cells"]:
        text = source_text(cell)
        if "remove-cell" in cell.get("metadata", {}).get("tags", []) or text.startswith(FIRST_LINE):
            continue
        if cell["cell_type"] == "markdown":
            words += prose_words(text)
            exercises += len(_EXERCISE.findall(text))
        elif cell["cell_type"] == "code" and text.strip():
            cells += 1
            lines += sum(1 for line in text.split("\n") if line.strip())
    return Counts(words, cells, lines, exercises)


def rounded(minutes: float) -> int:
    """Minutes rounded to the nearest 5 (at least 5), as a header states them."""
    return max(5, 5 * round(minutes / 5))


def honest(stated: int, estimate: float) -> bool:
    """Whether a header's ``stated`` minutes are within the tolerance of ``estimate``."""
    return abs(stated - estimate) <= max(TOLERANCE_MINUTES, TOLERANCE_SHARE * estimate)


def table(root: Path = ROOT) -> list[tuple[str, Counts, float, int | None]]:
    """(chapter file, counts, estimate, header minutes or None) for every chapter in _toc.yml."""
    rows = []
    for file in chapter_files(root):
        try:
            stated = parse_header(Path(file), root).minutes
        except ValueError:
            stated = None
        found = counts(root / file)
        rows.append((file, found, found.minutes(), stated))
    return rows


def set_minutes(path: Path, minutes: int) -> bool:
    """Write ``minutes`` into the header's time line, changing nothing else in the file; True if changed.

    A line ``**Estimated time.** N minutes, including ...`` keeps its clause after the
    minutes; an older ``**Time.** About ...`` line becomes an ``**Estimated time.**`` line.
    """
    raw = path.read_text(encoding="utf-8")
    nb, index = header_cell(path)
    text = source_text(nb["cells"][index])
    found = _TIME_LINE.search(text)
    if not found:
        raise ValueError(f"{path}: the header has no '**Estimated time.**' line to update")
    clause = re.search(r",\s*(including[^\n]*?)\.?$", found.group(0))
    line = f"**Estimated time.** {minutes} minutes" + (f", {clause.group(1)}." if clause else ".")
    new_text = text[:found.start()] + line + text[found.end():]
    if new_text == text:
        return False
    nb["cells"][index]["source"] = new_text.splitlines(keepends=True)
    new_raw = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if path.read_text(encoding="utf-8") != raw:
        raise RuntimeError(f"{path} changed while it was being updated; run again")
    path.write_text(new_raw, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="set the headers' minutes to the estimate")
    parser.add_argument("chapters", nargs="*", help="chapter notebooks (default: every chapter)")
    args = parser.parse_args(argv)
    chosen = {Path(c).resolve() for c in args.chapters}
    rows = [row for row in table() if not chosen or (ROOT / row[0]).resolve() in chosen]
    if len(rows) < len(chosen):
        parser.error("name chapter notebooks listed in _toc.yml (chapters/NN_slug.ipynb)")
    print(f"{'chapter':<46} {'words':>6} {'cells':>5} {'lines':>5} {'exerc':>5} {'estimate':>8} {'header':>6}")
    off = 0
    for file, found, estimate, stated in rows:
        if args.write and (stated is None or stated != rounded(estimate)):
            set_minutes(ROOT / file, rounded(estimate))
            stated = rounded(estimate)
        mark = "" if stated is not None and honest(stated, estimate) else "  <- off"
        off += bool(mark)
        print(f"{Path(file).stem:<46} {found.words:>6} {found.code_cells:>5} {found.code_lines:>5} "
              f"{found.exercises:>5} {estimate:>8.1f} {stated if stated is not None else '-':>6}{mark}")
    print(f"{'total':<46} {sum(found.words for _, found, _, _ in rows):>6}")
    return 1 if off else 0


if __name__ == "__main__":
    sys.exit(main())
