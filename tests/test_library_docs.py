"""The library's documentation: the generated page of back-links (api.md), the links docstrings name, type hints.

The back-links (which pages use each public function, d2l-style) are not written by hand: the
book's page api.md is generated from the notebooks' code when the book is built
(_ext/api_page.py). These tests keep its reader honest and every page a docstring names real.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from pathlib import Path

import pytest
import yaml

import tconv_lib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import api_page  # noqa: E402

PUBLIC = [(f"{module}.{name}", obj) for module, name, obj in api_page.public_objects()]
LINK = re.compile(r"\b((?:chapters|exercises)/[0-9A-Za-z_]+)")


def test_usage_reader_finds_known_uses():
    """The code reader is not blind: it sees imports, module attributes and package re-exports."""
    from tconv_lib.exercises import answer
    from tconv_lib.foundations.figures import draw_stages
    from tconv_lib.foundations.reference import conv_transpose2d

    uses = api_page.code_uses
    assert id(conv_transpose2d) in uses("chapters/01_what_is_transposed_convolution")  # from-import
    assert id(draw_stages) in uses("chapters/02_stride")  # figures.draw_stages(...)
    assert id(answer) in uses("exercises/01_what_is_transposed_convolution")  # tl.exercises.answer
    assert id(conv_transpose2d) not in uses("chapters/06_upscaling_a_real_image")


def test_api_page_lists_every_public_function_with_its_pages():
    text = api_page.page_text()
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| .* \| (.*) \|$", text, re.M)}
    for qualname, _ in PUBLIC:
        assert qualname.rsplit(".", 1)[1] in rows, f"{qualname} is missing from api.md"
    assert "chapters/02_stride.ipynb" in rows["draw_stages"] and rows["check_int"] == "not in the book"
    order = {page: i for i, page in enumerate(api_page.book_pages())}
    for name, links in rows.items():
        pages = [order[page] for page in re.findall(r"\]\(([\w/]+)\.ipynb\)", links)]
        assert pages == sorted(pages), f"{name}: pages must come in book order, first the one that introduces it"


def test_the_extension_writes_the_page_for_the_book_being_built(tmp_path):
    """A student edition with one chapter gets a page that links only to it; an unchanged page is not rewritten."""
    import shutil
    from types import SimpleNamespace

    (tmp_path / "chapters").mkdir()
    shutil.copy(ROOT / "chapters/02_stride.ipynb", tmp_path / "chapters")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\nparts:\n  - caption: Foundations\n"
                                       "    chapters:\n      - file: chapters/02_stride\n")
    app = SimpleNamespace(srcdir=str(tmp_path))
    api_page._write(app, None)
    page = (tmp_path / "api.md").read_text(encoding="utf-8")
    assert "](chapters/02_stride.ipynb)" in page and "01_what_is" not in page and "exercises/" not in page
    written = (tmp_path / "api.md").stat().st_mtime_ns
    api_page._write(app, None)
    assert (tmp_path / "api.md").stat().st_mtime_ns == written


def _defined() -> list[tuple[str, object]]:
    """Every module of tconv_lib, and every public function and class defined in one (private modules too)."""
    found = []
    for info in pkgutil.walk_packages(tconv_lib.__path__, "tconv_lib."):
        module = importlib.import_module(info.name)
        found.append((info.name, module))
        found += [(f"{info.name}.{name}", obj) for name, obj in vars(module).items() if not name.startswith("_")
                  and (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == info.name]
    return found


DEFINED = _defined()


def test_every_page_a_docstring_names_is_in_the_book():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = {entry["file"] for part in toc["parts"] for entry in part["chapters"]}
    wrong = [f"{where}: {page}" for where, obj in DEFINED for page in LINK.findall(inspect.getdoc(obj) or "")
             if page not in pages]
    assert not wrong, "docstrings name pages that _toc.yml does not have: " + ", ".join(wrong)


def _callables(obj) -> list[tuple[str, object]]:
    if inspect.isfunction(obj):
        return [("", obj)]
    return [(f".{n}", f) for n, f in vars(obj).items()
            if inspect.isfunction(f) and (not n.startswith("_") or n == "__init__")]


TYPED = [(q, obj) for q, obj in DEFINED if not inspect.ismodule(obj)]


@pytest.mark.parametrize("qualname, obj", TYPED, ids=[q for q, _ in TYPED])
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
