"""Every public function and class of tconv_lib: type hints, and a back-link to a page that really uses it.

A docstring's "Introduced in chapters/NN_slug" (d2l-style) tells a reader where the book first
uses the function. These tests keep every such link true and the links complete:

* a named page is a notebook of ``_toc.yml`` that uses the function: a code cell refers to it
  (imported from tconv_lib, or reached as an attribute of an imported tconv_lib module), or a
  markdown cell names it in inline code or a fenced code block;
* the first named page is the first page in book order (``_toc.yml``) whose code uses it, or,
  for a function that only prose describes, the first page that names it;
* a function or class that a code cell of some chapter or exercise notebook refers to has the
  line; one that no page uses says so instead ("... not called in the book.").

Type hints: every parameter and the return value of every public function and method is annotated.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from functools import cache
from pathlib import Path

import nbformat
import pytest
import yaml

import tconv_lib

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\b((?:chapters|exercises)/[0-9A-Za-z_]+)")
NOT_IN_BOOK = re.compile(r"\bnot (?:called|named|used) in the book\b", re.IGNORECASE)
# Inline code spans and fenced code blocks of a markdown cell: where prose names a function.
MARKDOWN_CODE = re.compile(r"```.*?```|`[^`\n]+`", re.DOTALL)


def _modules() -> list:
    names = [info.name for info in pkgutil.walk_packages(tconv_lib.__path__, "tconv_lib.")]
    return [importlib.import_module(name) for name in sorted(names)]


def _public() -> list[tuple[str, object]]:
    found = []
    for module in _modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found.append((f"{module.__name__}.{name}", obj))
    return found


PUBLIC = _public()


def _book_pages() -> list[str]:
    """The notebooks of _toc.yml, in book order, as 'chapters/NN_slug'."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [entry["file"] for part in toc["parts"] for entry in part["chapters"]]
    return [f for f in files if (ROOT / f"{f}.ipynb").exists()]


PAGES = _book_pages()


def _attribute(obj: object, attr: str) -> object | None:
    """obj.attr, or the submodule obj.attr of a package that has not imported it yet."""
    found = getattr(obj, attr, None)
    if found is None and inspect.ismodule(obj):
        try:
            found = importlib.import_module(f"{obj.__name__}.{attr}")
        except ImportError:
            found = None
    return found


def _resolve(dotted: list[str], bound: dict[str, object]) -> object | None:
    """The tconv_lib object that a name or attribute chain such as ``figures.draw_stages`` refers to."""
    obj = bound.get(dotted[0])
    for attr in dotted[1:]:
        if obj is None:
            return None
        obj = _attribute(obj, attr)
    return obj


def _chain(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


def _import_bindings(tree: ast.AST, bound: dict[str, object]) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "tconv_lib":
                    if alias.asname:
                        bound[alias.asname] = importlib.import_module(alias.name)
                    else:
                        importlib.import_module(alias.name)
                        bound["tconv_lib"] = tconv_lib
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "tconv_lib":
            module = importlib.import_module(node.module)
            for alias in node.names:
                obj = _attribute(module, alias.name)
                if obj is not None:  # a name the library lacks: the notebook's own tests report it
                    bound[alias.asname or alias.name] = obj


@cache
def _code_uses(page: str) -> frozenset[int]:
    """ids of the tconv_lib objects that the page's code cells import or refer to."""
    trees = []
    for number, cell in enumerate(nbformat.read(ROOT / f"{page}.ipynb", as_version=4).cells):
        if cell.cell_type != "code":
            continue
        # IPython's magics and shell escapes are not Python; blank them, keeping line numbers.
        source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines())
        try:
            trees.append(ast.parse(source))
        except SyntaxError as err:
            pytest.fail(f"{page}: code cell {number} is not Python, so its uses cannot be read: {err}")
    bound: dict[str, object] = {}
    for tree in trees:
        _import_bindings(tree, bound)
    used = {id(obj) for obj in bound.values()}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.Name, ast.Attribute)):
                dotted = _chain(node)
                if dotted and dotted[0] in bound:
                    obj = _resolve(dotted, bound)
                    if obj is not None:
                        used.add(id(obj))
    return frozenset(used)


@cache
def _prose_code(page: str) -> str:
    cells = nbformat.read(ROOT / f"{page}.ipynb", as_version=4).cells
    return "\n".join(span for cell in cells if cell.cell_type == "markdown"
                     for span in MARKDOWN_CODE.findall(cell.source))


def _names(page: str, name: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", _prose_code(page)) is not None


def _links(obj) -> list[str]:
    doc = inspect.getdoc(obj) or ""
    start = doc.find("Introduced in")
    return LINK.findall(doc[start:]) if start >= 0 else []


@pytest.mark.parametrize("qualname, obj", PUBLIC, ids=[q for q, _ in PUBLIC])
def test_back_link_names_the_first_page_that_uses_it(qualname, obj):
    links = _links(obj)
    name = qualname.rsplit(".", 1)[1]
    if not links:
        assert NOT_IN_BOOK.search(inspect.getdoc(obj) or ""), (
            f"{qualname}: the docstring has no 'Introduced in chapters/NN_slug' line, nor says that it is "
            "'not called in the book'")
        return
    for page in links:
        assert page in PAGES, f"{qualname}: names {page}, which is not a notebook of _toc.yml"
        assert id(obj) in _code_uses(page) or _names(page, name), f"{qualname}: {page} never uses {name}"
    # The first page whose code uses it; for a function that only prose describes, the first to name it.
    first = next((page for page in PAGES if id(obj) in _code_uses(page)), None)
    first = first or next(page for page in PAGES if _names(page, name))
    assert links[0] == first, f"{qualname}: names {links[0]} first, but the book first uses {name} in {first}"


@pytest.mark.parametrize("qualname, obj", PUBLIC, ids=[q for q, _ in PUBLIC])
def test_every_function_a_notebook_calls_has_a_back_link(qualname, obj):
    pages = [page for page in PAGES if id(obj) in _code_uses(page)]
    assert not pages or _links(obj), (
        f"{qualname}: {pages[0] if pages else ''} uses it in code, but its docstring has no "
        "'Introduced in chapters/NN_slug' line")
    assert not (pages and NOT_IN_BOOK.search(inspect.getdoc(obj) or "")), (
        f"{qualname}: says it is not called in the book, but {pages[0]} uses it")


def test_usage_reader_finds_known_uses():
    """The code reader is not blind: it sees imports, module attributes and package re-exports."""
    from tconv_lib.exercises import answer
    from tconv_lib.foundations.figures import draw_stages
    from tconv_lib.foundations.reference import conv_transpose2d

    assert id(conv_transpose2d) in _code_uses("chapters/01_what_is_transposed_convolution")  # from-import
    assert id(draw_stages) in _code_uses("chapters/02_stride")  # figures.draw_stages(...)
    assert id(answer) in _code_uses("exercises/01_what_is_transposed_convolution")  # tl.exercises.answer
    assert id(conv_transpose2d) not in _code_uses("chapters/06_upscaling_a_real_image")


def _callables(obj) -> list[tuple[str, object]]:
    if inspect.isfunction(obj):
        return [("", obj)]
    own = [(f".{n}", f) for n, f in vars(obj).items()
           if inspect.isfunction(f) and (not n.startswith("_") or n == "__init__")]
    return own


@pytest.mark.parametrize("qualname, obj", PUBLIC, ids=[q for q, _ in PUBLIC])
def test_public_functions_have_type_hints(qualname, obj):
    missing = []
    for suffix, fn in _callables(obj):
        sig = inspect.signature(fn)
        for p in sig.parameters.values():
            if p.name in ("self", "cls") or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            if p.annotation is inspect.Parameter.empty:
                missing.append(f"{qualname}{suffix}({p.name})")
        if sig.return_annotation is inspect.Signature.empty and fn.__name__ != "__init__":
            missing.append(f"{qualname}{suffix} -> ?")
    assert not missing, "no type hint: " + ", ".join(missing)
