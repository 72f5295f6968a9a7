"""Every link of every notebook leads somewhere in each place a notebook is read.

* **Colab**: a notebook opened from a launch button stands alone, so a link must be absolute
  or point at a place within the notebook itself;
* **a clone in JupyterLab**: a link into the published book (``html.baseurl``) must name a page
  the book has, and an anchor that page defines; a relative link must name a notebook that
  exists (JupyterLab shows a ``.md`` page such as references.md as raw MyST);
* **the book**: _ext/book_links.py turns links into the published book into local ones, and
  each must then name a page of _toc.yml, a MyST target or a bibliography key.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import book_links  # noqa: E402

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
BASE = CONFIG["html"]["baseurl"]
NOTEBOOKS = sorted(ROOT.glob("chapters/*.ipynb")) + sorted(ROOT.glob("exercises/*.ipynb"))
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]+)\]\((?P<target>[^)\s]+)\)")
EXERCISE_HEADING = re.compile(r"^#+ Exercise (\d+)\.(\d+)", re.MULTILINE)


def _markdown(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def _toc_pages() -> set[str]:
    pages = set()

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                pages.add(str(Path(node["file"]).with_suffix("")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")))
    return pages


def _anchors(path: Path) -> set[str]:
    """The places a notebook defines: ``<a id>`` labels and, in a chapter, its exercises' ``ex-NN-M``."""
    text = "\n".join(_markdown(path))
    found = set(re.findall(r'<a id="([\w-]+)"', text))
    if path.parent.name == "chapters":
        found |= {f"ex-{int(n):02d}-{m}" for n, m in EXERCISE_HEADING.findall(text)}
    return found


ANCHORS = {f"{p.parent.name}/{p.stem}": _anchors(p) for p in NOTEBOOKS}
ALL_LABELS = {label for labels in ANCHORS.values() for label in labels}
BIB_KEYS = set(re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "references.bib").read_text(encoding="utf-8"), re.M))
PAGES = _toc_pages()
LINKS = [(f"{p.parent.name}/{p.stem}", m.group("target"))
         for p in NOTEBOOKS for text in _markdown(p) for m in LINK.finditer(text)]


def test_every_notebook_was_read():
    assert len(NOTEBOOKS) >= 28 and len(LINKS) > 100 and BASE.startswith("https://")


@pytest.mark.parametrize(("page", "target"), LINKS)
def test_link_works_when_the_notebook_stands_alone_in_colab(page, target):
    if target.startswith("#"):
        assert target[1:] in ANCHORS[page], f"{page}: {target} names no place in this notebook"
    else:
        assert re.match(r"https?://", target), (
            f"{page}: {target} is a relative link, dead in Colab; link into the book: {BASE}...")


@pytest.mark.parametrize(("page", "target"), [(p, t) for p, t in LINKS if t.startswith(BASE.rstrip("/"))])
def test_link_into_the_published_book_names_a_real_page_and_place(page, target):
    m = re.fullmatch(re.escape(BASE.rstrip("/") + "/") + book_links.PAGE.pattern, target)
    assert m, f"{page}: {target} is not a page of the book ({BASE}chapters/NN_slug.html#label)"
    path, anchor = m.group("path"), m.group("anchor")
    assert path in PAGES, f"{page}: {path} is not in _toc.yml"
    assert (ROOT / book_links.source_of(path)).is_file()
    if path == "references":
        assert anchor in BIB_KEYS, f"{page}: {anchor} is not a key of references.bib"
    elif anchor:
        assert anchor in ANCHORS[path], f"{page}: {path} defines no place {anchor!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_book_gets_local_links_that_resolve(path):
    docname = f"{path.parent.name}/{path.stem}"
    for text in _markdown(path):
        local, _ = book_links.localise(text, BASE, docname)
        for m in LINK.finditer(local):
            target = m.group("target")
            if target.startswith("http"):
                assert not target.startswith(BASE.rstrip("/")), f"{docname}: {target} was not made local"
                continue
            file, _, anchor = target.partition("#")
            if not file:
                assert anchor in ALL_LABELS, f"{docname}: #{anchor} is no MyST target of the book"
                continue
            resolved = (ROOT / path.parent / file).resolve()
            assert resolved.is_file(), f"{docname}: {target} names no file"
            if resolved.name == "references.md":
                assert anchor in BIB_KEYS


def test_localise_examples():
    base = "https://example.org/book/"
    text = (f"[chapter 4]({base}chapters/04_output_padding.html), [the gaps]({base}chapters/11_x.html#latent-gaps), "
            f"[Odena et al.]({base}references.html#odena2016deconvolution), [ex]({base}exercises/02_stride.html), "
            "[PyTorch](https://pytorch.org/docs/)")
    local, count = book_links.localise(text, base, "chapters/10_dcgan_generator")
    assert count == 4
    assert local == ("[chapter 4](04_output_padding.ipynb), [the gaps](#latent-gaps), "
                     "[Odena et al.](../references.md#odena2016deconvolution), [ex](../exercises/02_stride.ipynb), "
                     "[PyTorch](https://pytorch.org/docs/)")
