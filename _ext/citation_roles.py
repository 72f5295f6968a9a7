"""Sphinx extension: give bibliography entries a role that screen readers still know.

Docutils writes each citation as ``<div class="citation" role="doc-biblioentry">`` inside
``<div role="list" class="citation-list">``. WAI-ARIA DPUB 1.1 deprecated ``doc-biblioentry``;
browsers and axe-core (4.14, rule aria-required-children, critical) then ignore the role, so the
list seems to own the entries' links instead of list items. ``listitem`` is the role
``doc-biblioentry`` was a kind of; the entries keep their ids, so {cite} links still land.
"""
from __future__ import annotations

DEPRECATED = 'role="doc-biblioentry"'


def use_listitem_role(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and DEPRECATED in body:
        context["body"] = body.replace(DEPRECATED, 'role="listitem"')


def setup(app):
    app.connect("html-page-context", use_listitem_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
