"""Sphinx extension: writes api.md, the book's library page, when the build starts, from the book being built.

api.md lists every public function and class of tconv_lib with the pages whose code uses it, in
book order. These are the library's back-links (d2l's "Introduced in ..."), generated instead of
written: a page uses a function when one of its code cells imports it from tconv_lib, or reaches
it as an attribute of an imported tconv_lib module. The pages are the notebooks of the _toc.yml
being built (the student edition's own subset too), so a call that moves from one chapter to
another moves on this page at the next build. The file is written only when its text changes; a
copy is committed, so that a page listed in _toc.yml exists before any build (tools/edition.py
checks that), and a build that finds the notebooks changed leaves api.md modified, to commit.
tests/test_library_docs.py checks the reader against known uses.

    python _ext/api_page.py    # print the page for this repository
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import sys
from functools import cache
from pathlib import Path

import nbformat
import yaml

import tconv_lib

ROOT = Path(__file__).resolve().parent.parent
PAGE = "api.md"
_ABBREVIATIONS = ("e.g", "i.e", "i.i.d", "I.i.d", "etc", "vs")   # their dots do not end a sentence

INTRO = """# The library, page by page

Every public function and class of the course library `tconv_lib`, with the pages whose code uses
it, in book order: the first is where it is introduced. A page uses a function when one of its code
cells imports it, or calls it through an imported module (`figures.draw_stages(...)`); a function
with no page is used by the library itself, by the answer checks or by the course's tools. Each
one's docstring (`help(draw_stages)`) gives its arguments and shapes.

This page is written from the notebooks each time the book is built (`_ext/api_page.py`).
"""


def book_pages(root: Path = ROOT) -> list[str]:
    """The notebooks of _toc.yml, in book order, as 'chapters/NN_slug'."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [entry["file"] for part in toc["parts"] for entry in part["chapters"]]
    return [f for f in files if (root / f"{f}.ipynb").exists()]


def public_objects() -> list[tuple[str, str, object]]:
    """(import path, name, object) of every public function and class. An object defined in a private
    module (``exercises._core``) counts when its package exports it, under the package's path."""
    found = []
    for info in pkgutil.walk_packages(tconv_lib.__path__, "tconv_lib."):
        module = importlib.import_module(info.name)
        shown = ".".join(part for part in info.name.split(".") if not part.startswith("_"))
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and (
                    shown == info.name or getattr(importlib.import_module(shown), name, None) is obj):
                found.append((shown, name, obj))
    return found


def _attribute(obj: object, attr: str) -> object | None:
    """obj.attr, or the submodule obj.attr of a package that has not imported it yet."""
    found = getattr(obj, attr, None)
    if found is None and inspect.ismodule(obj):
        try:
            found = importlib.import_module(f"{obj.__name__}.{attr}")
        except ImportError:
            found = None
    return found


def _chain(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ['a', 'b', 'c']; None for anything that is not a name or an attribute chain."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else None


def _import_bindings(tree: ast.AST, bound: dict[str, object]) -> None:
    """Add the names that the tconv_lib imports of ``tree`` bind, and the objects they name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "tconv_lib":
                    module = importlib.import_module(alias.name)
                    bound[alias.asname or "tconv_lib"] = module if alias.asname else tconv_lib
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "tconv_lib":
            module = importlib.import_module(node.module)
            for alias in node.names:
                obj = _attribute(module, alias.name)
                if obj is not None:  # a name the library lacks: the notebook's own run reports it
                    bound[alias.asname or alias.name] = obj


@cache
def code_uses(page: str, root: Path = ROOT) -> frozenset[int]:
    """ids of the tconv_lib objects that the code cells of ``page`` ('chapters/NN_slug') import or refer to."""
    trees = []
    for number, cell in enumerate(nbformat.read(root / f"{page}.ipynb", as_version=4).cells):
        if cell.cell_type != "code":
            continue
        # IPython's magics and shell escapes are not Python; blank them, keeping line numbers.
        source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines())
        try:
            trees.append(ast.parse(source))
        except SyntaxError as err:
            raise ValueError(f"{page}: code cell {number} is not Python, so its uses cannot be read: {err}") from None
    bound: dict[str, object] = {}
    for tree in trees:
        _import_bindings(tree, bound)
    used = {id(obj) for obj in bound.values()}
    for tree in trees:
        for node in ast.walk(tree):
            dotted = _chain(node) if isinstance(node, ast.Attribute) else None
            if dotted and dotted[0] in bound:
                obj = bound[dotted[0]]
                for attr in dotted[1:]:
                    obj = _attribute(obj, attr) if obj is not None else None
                if obj is not None:
                    used.add(id(obj))
    return frozenset(used)


def summary(obj: object) -> str:
    """The docstring's first sentence as Markdown (RST roles and literals become code spans)."""
    text = " ".join((inspect.getdoc(obj) or "").split("\n\n")[0].split())
    text = re.sub(r":[a-z]+:`~?([^`]+)`", lambda m: f"`{m.group(1).rsplit('.', 1)[-1]}`", text)
    pieces, kept = re.split(r"(`+[^`]*`+)", text.replace("``", "`")), []
    for piece in pieces:   # up to the first full stop outside code; Markdown escaped there
        if piece.startswith("`"):
            kept.append(piece)
            continue
        end = next((m for m in re.finditer(r"[.?!](?=\s|$)", piece)
                    if not piece[:m.start()].endswith(_ABBREVIATIONS)), None)
        kept.append(re.sub(r"([*|$\\])", r"\\\1", piece[:end.end()] if end else piece))
        if end:
            break
    return "".join(kept).strip()


def _label(page: str) -> str:
    number = int(page.split("/")[1][:2])
    return f"ch. {number}" if page.startswith("chapters/") else f"ex. {number}"


def page_text(root: Path = ROOT) -> str:
    """api.md as it should be now: modules in the order the book first uses them."""
    pages = book_pages(root)
    used = {}
    for module, name, obj in public_objects():
        used.setdefault(module, []).append((name, obj, [p for p in pages if id(obj) in code_uses(p, root)]))
    first = {module: min((pages.index(p) for _, _, on in rows for p in on), default=len(pages))
             for module, rows in used.items()}
    lines = [INTRO]
    for module in sorted(used, key=lambda m: (first[m], m)):
        lines += [f"## `{module}`", "", summary(importlib.import_module(module)), "",
                  "| Name | What it is | Used in |", "| --- | --- | --- |"]
        for name, obj, on in sorted(used[module], key=lambda row: row[0].lower()):
            links = ", ".join(f"[{_label(page)}]({page}.ipynb)" for page in on) or "not in the book"
            lines.append(f"| `{name}` | {summary(obj)} | {links} |")
        lines.append("")
    return "\n".join(lines)


def _write(app, config) -> None:
    """Write api.md into the source folder (before Sphinx looks for the pages of _toc.yml)."""
    out, text = Path(app.srcdir) / PAGE, page_text(Path(app.srcdir))
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("config-inited", _write, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.stdout.write(page_text())
