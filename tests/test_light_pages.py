"""The book's light-page extensions without a build: _ext/inline_icons.py (Font Awesome glyphs as
inline SVG) and _ext/webp_figures.py (figures as lossless WebP). The built pages themselves are
weighed by tests/test_book_pages.py."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import inline_icons  # noqa: E402
import webp_figures  # noqa: E402

# The shape of Font Awesome's minified script: one object of icons per pack, then its registration.
SCRIPT = ('var p={github:[496,512,[],"f09b","M1 1z"]};(function(){d("fab",p),d("fa-brands",p)})();'
          'var p={"sun":[512,512,[],"f185","M2 2z"]};(function(){d("far",p),d("fa-regular",p)})();'
          'var p={"magnifying-glass":[512,512,[128269,"search"],"f002","M3 3z"],sun:[500,512,[9728],"f185","M4 4z"],'
          'bell:[448,512,[],"f0f3","M5 5z"],"circle-info":[512,512,[],"f05a","M6 6z"]};'
          '(function(){d("fas",p),d("fa-solid",p)})();')


@pytest.fixture(scope="module")
def icons():
    return inline_icons.read_icons(SCRIPT)


def test_read_icons_keeps_each_pack_apart(icons):
    assert icons[("fab", "github")] == (496, 512, "M1 1z")
    assert icons[("far", "sun")] == (512, 512, "M2 2z")
    assert icons[("fas", "sun")] == (500, 512, "M4 4z")
    assert icons[("fas", "magnifying-glass")] == (512, 512, "M3 3z")


def test_the_theme_script_holds_every_icon_the_book_uses():
    """The icons of the built pages (pydata-sphinx-theme 0.17) and the admonition glyphs."""
    theme = inline_icons.read_icons(inline_icons._theme_script().read_text(encoding="utf-8"))
    used = ["magnifying-glass", "bars", "sun", "moon", "circle-half-stroke", "expand", "arrow-up", "list", "file-pdf",
            "file", "download", "angle-right", "angle-left", "rocket", "outdent", *inline_icons.ADMONITION_ICONS.values()]
    assert not [name for name in used if ("fas", name) not in theme]
    assert ("fab", "github") in theme


def test_an_icon_becomes_the_svg_font_awesome_would_draw(icons):
    page = ('<p><i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Color mode: Light"></i>'
            '<span class="fa-solid fa-magnifying-glass" aria-hidden="true"></span><i class="fab fa-github"></i></p>')
    out = inline_icons.inline(icons, page)
    assert "<i " not in out and "<span" not in out
    assert ('<svg class="svg-inline--fa theme-switch fa-sun fa-lg" data-mode="light" data-prefix="fas" data-icon="sun" '
            'viewBox="0 0 500 512" xmlns="http://www.w3.org/2000/svg" role="img"><title>Color mode: Light</title>'
            '<path fill="currentColor" d="M4 4z"></path></svg>') in out
    assert 'data-icon="magnifying-glass" viewBox="0 0 512 512" xmlns="http://www.w3.org/2000/svg" aria-hidden="true"' in out
    assert 'data-prefix="fab" data-icon="github" viewBox="0 0 496 512"' in out


def test_an_unknown_icon_stays_and_is_reported(icons, monkeypatch):
    warned = []
    monkeypatch.setattr(inline_icons.logger, "warning", lambda *args: warned.append(args))
    page = '<i class="fa-solid fa-unicorn"></i>'
    assert inline_icons.inline(icons, page) == page and warned


def test_without_scripts_drops_only_the_named_files():
    head = ('<script src="_static/searchtools.js"></script>\n<script src="../searchindex.js"></script>\n'
            '<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
            '<script src="_static/doctools.js?v=2"></script>')
    out = inline_icons.without_scripts(head, "searchindex.js", "fontawesome.js")
    assert out == '<script src="_static/searchtools.js"></script>\n<script src="_static/doctools.js?v=2"></script>'


def test_admonition_icons_are_masks_of_the_same_glyphs(icons):
    css = inline_icons.stylesheet({**icons, **{("fas", n): (1, 1, "M0 0z") for n in ("circle-exclamation",
                                   "triangle-exclamation", "circle-xmark", "lightbulb", "share", "pencil")}})
    assert "font-awesome" not in css.lower().replace("font awesome's own rules", "")
    assert "div.admonition.note>.admonition-title::after" in css and "M6 6z" in css
    assert "div.admonition.solution>.admonition-title::after{content:none}" in css


@pytest.mark.parametrize("mode, shape", [("RGB", (9, 7, 3)), ("RGBA", (9, 7, 4)), ("L", (9, 7))])
def test_webp_is_lossless(mode, shape):
    pixels = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    png = io.BytesIO()
    Image.fromarray(pixels, mode).save(png, "PNG")
    back = np.asarray(Image.open(io.BytesIO(webp_figures.webp_bytes(png.getvalue()))).convert(mode))
    assert np.array_equal(back, pixels)


def test_an_opaque_image_loses_only_its_alpha_channel():
    pixels = np.full((4, 4, 4), 255, dtype=np.uint8)
    png = io.BytesIO()
    Image.fromarray(pixels, "RGBA").save(png, "PNG")
    assert Image.open(io.BytesIO(webp_figures.webp_bytes(png.getvalue()))).mode == "RGB"


def test_smaller_copy_is_cached_and_skipped_when_not_smaller(tmp_path, monkeypatch):
    flat = tmp_path / "flat.png"
    Image.new("RGB", (400, 300), (250, 250, 250)).save(flat)
    cache = tmp_path / "cache"
    first = webp_figures.smaller_copy(flat, cache)
    assert first.suffix == ".webp" and first.stat().st_size < flat.stat().st_size
    stamp = first.stat().st_mtime_ns
    monkeypatch.setattr(webp_figures, "webp_bytes", lambda png: pytest.fail("re-encoded a cached figure"))
    assert webp_figures.smaller_copy(flat, cache) == first and first.stat().st_mtime_ns == stamp
    other = tmp_path / "other.png"
    Image.new("RGB", (4, 3), (1, 2, 3)).save(other)
    monkeypatch.setattr(webp_figures, "webp_bytes", lambda png: png + b"longer")
    assert webp_figures.smaller_copy(other, cache) is None        # the PNG is kept, and that is remembered
    monkeypatch.setattr(webp_figures, "webp_bytes", lambda png: pytest.fail("re-encoded a figure kept as PNG"))
    assert webp_figures.smaller_copy(other, cache) is None
