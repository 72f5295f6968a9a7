"""Sphinx extension: the theme's icons as inline SVG, so no page loads Font Awesome.

pydata-sphinx-theme draws about fifteen icons (search, colour mode, menus, download, launch,
GitHub, previous/next, admonition titles) with Font Awesome: a 1.4 MB script that turns every
``<i class="fa-...">`` into an ``<svg>`` after the page loads, plus two web fonts (800 KB a
first visit). Here the same glyphs, read from the theme's own copy of that script when the build
starts, are written into the page as the ``<svg>`` the script would have made (the
``inline_icons`` template filter, used by _templates/layout.html), the admonition-title icons
become CSS masks of the same glyphs (``inline-icons.css``, written into ``_static/``), and the
``without_scripts`` filter lets the layout drop the script tags that are no longer needed.
An icon that the theme's script does not hold is a build warning (``make book`` fails on it).
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup
from sphinx.util import logging

logger = logging.getLogger(__name__)

PACKS = {"fab": "brands", "far": "regular", "fas": "solid"}
STYLE_CLASSES = {"fa", "fas", "far", "fab", "fa-solid", "fa-regular", "fa-brands"}
# pydata-sphinx-theme's admonition icons (its --pst-icon-admonition-* variables), by Font Awesome name.
ADMONITION_ICONS = {
    "": "bell", "note": "circle-info", "attention": "circle-exclamation", "caution": "triangle-exclamation",
    "warning": "triangle-exclamation", "danger": "triangle-exclamation", "error": "circle-xmark",
    "hint": "lightbulb", "tip": "lightbulb", "important": "circle-exclamation", "seealso": "share",
    "admonition-todo": "pencil",
    "exercise": "pencil",     # sphinx-exercise's exercise.css; its solutions have no icon
}
_ICONS: dict[tuple[str, str], tuple[int, int, str]] = {}   # read when the build starts
_PACK_CALL = re.compile(r'\w+\("(fa[bsr])",(\w+)\),\w+\("fa-\w+",\2\)')
_ICON = re.compile(r'(?:"([a-z0-9-]+)"|([a-z0-9]+)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]*","([^"]+)"\]')
_ELEMENT = re.compile(r'<(i|span)\b([^>]*\bclass="[^"]*\bfa-[^"]*"[^>]*)>\s*</\1>')
_ATTRIBUTE = re.compile(r'([\w:-]+)(?:\s*=\s*"([^"]*)")?')


def read_icons(script: str) -> dict[tuple[str, str], tuple[int, int, str]]:
    """Font Awesome's glyphs in its minified script: (pack prefix, name) -> (width, height, SVG path)."""
    icons, start = {}, 0
    for call in _PACK_CALL.finditer(script):
        for match in _ICON.finditer(script, start, call.start()):
            name = match.group(1) or match.group(2)
            icons[(call.group(1), name)] = (int(match.group(3)), int(match.group(4)), match.group(5))
        start = call.end()
    return icons


def svg(icons: dict, element: str, attributes: str) -> str | None:
    """The ``<svg>`` that Font Awesome's script makes of one ``<i>`` or ``<span>`` icon; None if unknown."""
    attrs = {k: html.unescape(v or "") for k, v in _ATTRIBUTE.findall(attributes)}
    classes = attrs.pop("class").split()
    prefix = "fab" if {"fab", "fa-brands"} & set(classes) else "far" if {"far", "fa-regular"} & set(classes) else "fas"
    names = [c[3:] for c in classes if c.startswith("fa-") and (prefix, c[3:]) in icons]
    if not names:
        return None
    width, height, path = icons[(prefix, names[0])]
    title = attrs.pop("title", "")
    attrs.pop("aria-hidden", None)
    kept = " ".join(["svg-inline--fa"] + [c for c in classes if c not in STYLE_CLASSES])
    extra = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
    label = f'role="img"><title>{html.escape(title)}</title>' if title else 'aria-hidden="true" focusable="false">'
    return (f'<svg class="{kept}"{extra} data-prefix="{prefix}" data-icon="{names[0]}" viewBox="0 0 {width} {height}" '
            f'xmlns="http://www.w3.org/2000/svg" {label}<path fill="currentColor" d="{path}"></path></svg>')


def inline(icons: dict, page: str) -> str:
    """``page`` with every Font Awesome ``<i>``/``<span>`` icon replaced by its inline ``<svg>``."""
    def replace(match: re.Match) -> str:
        out = svg(icons, match.group(1), match.group(2))
        if out is None:
            logger.warning("inline_icons: no Font Awesome glyph for %s", match.group(0)[:120])
            return match.group(0)
        return out
    return _ELEMENT.sub(replace, page)


def without_scripts(page: str, *names: str) -> Markup:
    """``page`` without the ``<script src=...>`` tags whose file is one of ``names``."""
    files = "|".join(re.escape(n) for n in names)
    return Markup(re.sub(rf'\s*<script\b[^>]*\bsrc="(?:[^"]*/)?(?:{files})(?:\?[^"]*)?"[^>]*>\s*</script>', "", page))


def mask(icons: dict, name: str) -> str:
    """A CSS ``url()`` of one solid glyph as an SVG image, for ``mask-image``."""
    width, height, path = icons[("fas", name)]
    image = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
    return f'url("data:image/svg+xml,{quote(image, safe=" /=:,.-")}")'


def stylesheet(icons: dict) -> str:
    """inline-icons.css: Font Awesome's rules for inline SVG, and the admonition icons as masks."""
    rules = [
        "/* Written by _ext/inline_icons.py. Font Awesome's own rules for its inline <svg> icons. */",
        "svg.svg-inline--fa{display:var(--fa-display,inline-block);height:1em;overflow:visible;"
        "box-sizing:content-box;vertical-align:-.125em}",
        ".svg-inline--fa.fa-lg{vertical-align:-.2em}",
        ".svg-inline--fa.fa-fw{width:var(--fa-fw-width,1.25em)}",
        "/* Admonition titles: the theme's glyph as a mask in the title's colour, not a web font. */",
        "/* Each selector matches the theme's (or exercise.css's) with at least its specificity. */",
        ".admonition>.admonition-title::after,div.admonition>.admonition-title::after{font:inherit;"
        "background-color:currentColor;-webkit-mask:var(--tconv-icon) center/contain no-repeat;"
        "mask:var(--tconv-icon) center/contain no-repeat}",
    ]
    for kind, name in ADMONITION_ICONS.items():
        where = f".{kind}" if kind else ""
        rules.append(f".admonition{where}>.admonition-title::after,div.admonition{where}>.admonition-title::after"
                     f"{{content:\"\";--tconv-icon:{mask(icons, name)}}}")
    rules.append("div.admonition.solution>.admonition-title::after{content:none}")
    return "\n".join(rules) + "\n"


def _theme_script() -> Path:
    import pydata_sphinx_theme
    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js"


def _builder_inited(app) -> None:
    if app.builder.format != "html":
        return
    icons = read_icons(_theme_script().read_text(encoding="utf-8"))
    if not icons:
        logger.warning("inline_icons: found no icons in %s", _theme_script())
    _ICONS.clear()
    _ICONS.update(icons)
    filters = app.builder.templates.environment.filters
    filters["inline_icons"] = lambda page: Markup(inline(icons, str(page)))
    filters["without_scripts"] = lambda page, *names: without_scripts(str(page), *names)


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        (static / "inline-icons.css").write_text(stylesheet(_ICONS), encoding="utf-8")


def setup(app):
    app.connect("builder-inited", _builder_inited)
    app.connect("build-finished", _build_finished)
    app.add_css_file("inline-icons.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
