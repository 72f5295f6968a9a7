"""_ext/aside_cells.py: HTML asides and anchors in the notebooks become MyST admonitions and targets."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import aside_cells  # noqa: E402

ASIDE = ('<details class="aside">\n<summary>Aside: what <code>plt.imread</code> returns</summary>\n\n'
         "A PNG comes back as `float32`:\n\n```python\nx = 1\n```\n\n</details>")


def test_aside_becomes_a_collapsed_admonition():
    text, changes = aside_cells.to_myst(ASIDE)
    assert changes == 1
    assert text == (":::{admonition} Aside: what `plt.imread` returns\n:class: dropdown\n\n"
                    "A PNG comes back as `float32`:\n\n```python\nx = 1\n```\n:::")


def test_anchor_line_becomes_a_target_and_other_text_is_kept():
    text, changes = aside_cells.to_myst('Intro.\n\n<a id="png-255"></a>\n## Reading pixels\n\nSee <a id="x"></a> inline.')
    assert changes == 1
    assert text == 'Intro.\n\n(png-255)=\n## Reading pixels\n\nSee <a id="x"></a> inline.'
    assert aside_cells.to_myst("<details>\n<summary>Not an aside</summary>\n\nx\n\n</details>") == (
        "<details>\n<summary>Not an aside</summary>\n\nx\n\n</details>", 0)


def test_html_forms_read_cleanly_in_commonmark():
    """In Jupyter and Colab the aside is a <details> box with rendered Markdown inside, the anchor an empty link."""
    html = MarkdownIt("commonmark").render(ASIDE + '\n\n<a id="png-255"></a>\n## Reading pixels\n')
    assert "<summary>Aside: what <code>plt.imread</code> returns</summary>" in html
    assert "<p>A PNG comes back as <code>float32</code>:</p>" in html
    assert '<a id="png-255"></a>' in html and "<h2>Reading pixels</h2>" in html


def test_every_aside_in_the_chapters_converts():
    """A chapter cell that starts an aside must be exactly one aside, or the book would show raw HTML."""
    for path in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "markdown" and '<details class="aside">' in cell.source:
                assert aside_cells.ASIDE.match(cell.source), f"{path.name} cell {i}: one aside per cell, nothing else"


def test_hide_cell_toggles_lose_the_label_that_hides_their_text():
    body = ('<details class="admonition hide above-input">\n<summary aria-label="Toggle hidden content">\n'
            '<p class="collapsed admonition-title">Show code cell content</p>')
    context = {"body": body}
    aside_cells.drop_toggle_label(None, "chapters/06_upscaling_a_real_image", "page.html", context, None)
    assert context["body"] == body.replace(' aria-label="Toggle hidden content"', "")
    untouched = {"body": "<summary>Aside</summary>"}
    aside_cells.drop_toggle_label(None, "intro", "page.html", untouched, None)
    assert untouched == {"body": "<summary>Aside</summary>"}
