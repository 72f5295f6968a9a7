"""Sphinx extension for the Japanese book: the glossary's words in the boxes sphinx-exercise draws.

sphinx-exercise's own Japanese catalog titles exercises 練習; the glossary says 演習 (and 解答例 for a
solution). tools/i18n/book.py copies this file into the Japanese source tree and sets ``ja_terms``
({English message: Japanese}) from the glossary; other messages still come from sphinx-exercise.
"""
from __future__ import annotations

import gettext

from sphinx import locale

CATALOG = ("general", "exercise")   # sphinx_exercise.MESSAGE_CATALOG_NAME in the default namespace


class _Terms(gettext.NullTranslations):
    """The glossary's words first, then whatever translation was there before."""

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__()
        self.table = table

    def gettext(self, message: str) -> str:
        if message in self.table:
            return self.table[message]
        return self._fallback.gettext(message) if self._fallback else message


def _install(app) -> None:
    terms = _Terms(dict(app.config.ja_terms))
    if locale.translators.get(CATALOG) is not None:
        terms.add_fallback(locale.translators[CATALOG])
    locale.translators[CATALOG] = terms


def setup(app):
    app.add_config_value("ja_terms", {}, "env")
    app.connect("builder-inited", _install)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
