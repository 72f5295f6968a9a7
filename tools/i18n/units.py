"""What a reader reads in an English source, cut into translation units, and the same source put back translated.

A unit is (context, English). In a notebook the context is the cell id, with a suffix for what the
unit is: ``c001`` a Markdown cell, ``c002#comment`` a code comment (consecutive full-line comments at
one indentation are one unit), ``c009#string`` a string literal the reader sees (an argument of
``print``, of a raised exception, of matplotlib's ``set_title``/``set_xlabel``/``text``/..., a ``title=``/
``label=``/``titles=``/... argument, or an argument listed in SHOWN_ARGUMENT (claims, table headers, tick
labels), lists and tuples of literals included; the unit is
the literal as written, quotes included, so an f-string keeps its fields), ``c007#caption`` and
``c007#alt`` a figure's caption and alternative text (MyST-NB metadata); the install cell's units
have the context ``install#comment`` and ``install#string`` (common.po). In a Markdown page every
top-level block (paragraph, list, heading, fenced directive) is a unit with the context ``page``.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

import markdown_it
from install_cell import is_install_cell  # tools/ is on sys.path (tools/i18n/__main__.py, tests)

# Comments that are instructions to tools, not prose: grading markers, nbval markers, linters.
TOOL_COMMENT = re.compile(r"#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS|TESTS|QUESTION)|#\s*(NBVAL_|noqa|type:)")
SHOWN_KEYWORDS = {"title", "label", "xlabel", "ylabel", "suptitle", "titles", "labels"}
SHOWN_METHODS = {"set_title", "set_xlabel", "set_ylabel", "suptitle", "text", "annotate", "figtext", "set_label"}
# Calls whose positional argument at this index reaches the reader: claims' sentences (tconv_lib.claims), a
# verdict's claim (chapter 9), a table's header row (tconv_lib.tables.Table), tick labels.
SHOWN_ARGUMENT = {"above": 0, "below": 0, "verdict": 1, "Table": 0, "set_xticks": 1, "set_yticks": 1,
                  "set_xticklabels": 0, "set_yticklabels": 0}
WORD = re.compile(r"[A-Za-z]{2,}")
FIELD = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Unit:
    """One translation unit: where it is (context) and its English text."""

    context: str
    english: str


Lookup = Callable[[Unit], str]


def _code_for_ast(source: str) -> str:
    """The cell with IPython magics and shell lines blanked (same lines and columns), so that ast can parse it."""
    return "\n".join(" " * len(line) if line.lstrip().startswith(("%", "!")) else line
                     for line in source.split("\n"))


def _offsets(source: str) -> list[int]:
    starts, total = [], 0
    for line in source.split("\n"):
        starts.append(total)
        total += len(line) + 1
    return starts


def _comment_blocks(source: str) -> list[tuple[int, int, list[str]]]:
    """Each comment unit as (start offset, end offset, its lines without '# '); tool comments are left out."""
    starts, lines = _offsets(source), source.split("\n")
    blocks: list[tuple[int, int, list[str], int, int]] = []   # start, end, texts, column, last row
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.COMMENT or TOOL_COMMENT.match(tok.string):
            continue
        (row, col), text = tok.start, re.sub(r"^#\s?", "", tok.string)
        full_line = not lines[row - 1][:col].strip()
        start, end = starts[row - 1] + col, starts[row - 1] + col + len(tok.string)
        last = blocks[-1] if blocks else None
        if full_line and last and last[3] == col and last[4] == row - 1 and last[2] is not None:
            blocks[-1] = (last[0], end, last[2] + [text], col, row)
        else:
            blocks.append((start, end, [text], col if full_line else -1, row))
    return [(s, e, texts) for s, e, texts, _, _ in blocks]


def _shown_literals(node: ast.AST) -> list[ast.expr]:
    """String literals inside an argument that reach the reader as they are (through + and implicit joins)."""
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        return [node] if not isinstance(node, ast.Constant) or isinstance(node.value, str) else []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _shown_literals(node.left) + _shown_literals(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):                       # ["real", "generated"], *(f"{d}" for ...)
        return [lit for element in node.elts for lit in _shown_literals(element)]
    if isinstance(node, ast.IfExp):                                   # ("CONFIRMED" if holds else "REFUTED")
        return _shown_literals(node.body) + _shown_literals(node.orelse)
    if isinstance(node, ast.Starred):
        return _shown_literals(node.value)
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)):
        return _shown_literals(node.elt)
    return []


def _string_spans(source: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every string literal the reader sees, in source order."""
    tree = ast.parse(_code_for_ast(source))
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if (isinstance(node.func, ast.Name) and node.func.id == "print"
                    or isinstance(node.func, ast.Attribute) and node.func.attr in SHOWN_METHODS):
                for arg in node.args:
                    found += _shown_literals(arg)
            else:
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name in SHOWN_ARGUMENT and len(node.args) > SHOWN_ARGUMENT[name]:
                    found += _shown_literals(node.args[SHOWN_ARGUMENT[name]])
            found += [lit for kw in node.keywords if kw.arg in SHOWN_KEYWORDS for lit in _shown_literals(kw.value)]
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for arg in node.exc.args:
                found += _shown_literals(arg)
    starts, lines = _offsets(source), source.split("\n")

    def offset(row: int, byte_col: int) -> int:
        return starts[row - 1] + len(lines[row - 1].encode()[:byte_col].decode())

    spans = {(offset(n.lineno, n.col_offset), offset(n.end_lineno, n.end_col_offset)) for n in found}
    return sorted(s for s in spans if WORD.search(FIELD.sub("", source[s[0]:s[1]])))


def code_units(cell_id: str, source: str) -> list[tuple[Unit, int, int, str]]:
    """(unit, start, end, kind) for every comment and shown string of a code cell, in source order."""
    out = [(Unit(f"{cell_id}#comment", "\n".join(texts)), s, e, "comment") for s, e, texts in _comment_blocks(source)]
    out += [(Unit(f"{cell_id}#string", source[s:e]), s, e, "string") for s, e in _string_spans(source)]
    return sorted(out, key=lambda item: item[1])


def _figure_meta(cell) -> dict[str, tuple[dict, str]]:
    meta = cell.metadata.get("mystnb", {})
    places = {"caption": (meta.get("figure", {}), "caption"), "alt": (meta.get("image", {}), "alt")}
    return {kind: (holder, key) for kind, (holder, key) in places.items() if isinstance(holder.get(key), str)}


def cell_context(cell) -> str:
    """The context of a code cell's units: its id, or ``install`` for the install cell all notebooks share."""
    return "install" if is_install_cell(cell) else cell.id


def notebook_units(nb) -> list[Unit]:
    """Every translation unit of a notebook, in reading order, each once."""
    units: list[Unit] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            units.append(Unit(cell.id, cell.source))
        elif cell.cell_type == "code":
            units += [u for u, _, _, _ in code_units(cell_context(cell), cell.source)]
            units += [Unit(f"{cell.id}#{kind}", holder[key]) for kind, (holder, key) in _figure_meta(cell).items()]
    return list(dict.fromkeys(units))


def translate_code(cell_id: str, source: str, lookup: Lookup) -> str:
    """A code cell with its comments and shown strings replaced by their translations."""
    lines = source.split("\n")
    starts = _offsets(source)
    for unit, start, end, kind in reversed(code_units(cell_id, source)):
        new = lookup(unit)
        if kind == "comment":
            row = max(i for i, s in enumerate(starts) if s <= start)
            indent = " " * (start - starts[row]) if not lines[row][:start - starts[row]].strip() else None
            joiner = "\n" + indent if indent is not None else " "
            new = joiner.join("# " + text if text else "#" for text in new.split("\n"))
        source = source[:start] + new + source[end:]
    return source


def translate_notebook(nb, lookup: Lookup):
    """A copy of ``nb`` with every unit replaced by ``lookup(unit)`` (code, outputs and ids untouched)."""
    import copy

    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            cell.source = lookup(Unit(cell.id, cell.source))
        elif cell.cell_type == "code":
            for kind, (holder, key) in _figure_meta(cell).items():
                holder[key] = lookup(Unit(f"{cell.id}#{kind}", holder[key]))
            cell.source = translate_code(cell_context(cell), cell.source, lookup)
    return out


def _page_blocks(text: str) -> list[tuple[int, int]]:
    """(first line, end line) of every top-level Markdown block."""
    parser = markdown_it.MarkdownIt("commonmark")
    return [tuple(tok.map) for tok in parser.parse(text) if tok.level == 0 and tok.map and tok.nesting >= 0]


def page_units(text: str) -> list[Unit]:
    """Every top-level block of a Markdown page as a unit (context ``page``), each once."""
    lines = text.split("\n")
    return list(dict.fromkeys(Unit("page", "\n".join(lines[a:b]).rstrip("\n")) for a, b in _page_blocks(text)))


def translate_page(text: str, lookup: Lookup) -> str:
    """The Markdown page with every top-level block replaced by its translation."""
    lines = text.split("\n")
    for a, b in reversed(_page_blocks(text)):
        english = "\n".join(lines[a:b]).rstrip("\n")
        lines[a:a + len(english.split("\n"))] = lookup(Unit("page", english)).split("\n")
    return "\n".join(lines)
