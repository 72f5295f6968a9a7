"""Sphinx extension: write each inline <script> once per page.

Sphinx 7.4 re-adds the scripts that extensions register after ``Builder.init()``
(``StandaloneHTMLBuilder.prepare_writing``: ``add_js_file(js_filename or '', ...)``),
and an inline script registered with filename ``None`` then no longer equals its
copy with filename ``''``, so it is written twice. For sphinx-thebe's
``const THEBE_JS_URL = ...`` that is a JavaScript error on every page
("Identifier 'THEBE_JS_URL' has already been declared"). This handler runs after
the other ``html-page-context`` handlers and drops the repeated copies.
"""
from __future__ import annotations


def _key(script) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    return (getattr(script, "filename", script) or "", tuple(sorted(attributes.items())))


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique   # a new list: the builder restores its own list per page


def setup(app):
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
