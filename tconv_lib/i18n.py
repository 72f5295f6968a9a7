"""The reader's language for the library's strings: one message table per language, set once per notebook.

A Japanese notebook starts with ``from tconv_lib.i18n import set_language; set_language("ja")``
(the generated setup cell, tools/i18n); nothing else changes. The tables are
``tconv_lib/messages/<language>.py`` (``MESSAGES``, same keys and fields in every language, checked
by tests/test_i18n_messages.py). The environment variable ``TCONV_LANG`` sets the starting language.
In Japanese, figures use IPAexGothic from matplotlib-fontja (bundled, offline) after DejaVu Sans,
and a character no font has is an error, never a box.
Introduced in chapters/01_what_is_transposed_convolution.
"""
from __future__ import annotations

import importlib
import os
import warnings

LANGUAGES = ("en", "ja")
# What matplotlib says when no font has a character (matplotlib._text_helpers.warn_on_missing_glyph).
MISSING_GLYPH = r"Glyph \d+ .* missing from font"
_JAPANESE_FONTS = ["DejaVu Sans", "IPAexGothic"]   # Latin as in the English figures, then Japanese
_state: dict = {"language": "en", "saved_family": None}


def _table(language: str) -> dict[str, str]:
    return importlib.import_module(f"tconv_lib.messages.{language}").MESSAGES


def _japanese_figures(on: bool) -> None:
    """Japanese-capable fonts and missing glyphs as errors (on), or matplotlib's previous fonts (off)."""
    import matplotlib

    if on:
        if _state["saved_family"] is None:   # before the import: importing matplotlib_fontja sets the font
            _state["saved_family"] = list(matplotlib.rcParams["font.family"])
        try:
            import matplotlib_fontja
        except ImportError as error:
            raise ImportError("set_language('ja') needs the Japanese font package: pip install matplotlib-fontja") \
                from error
        matplotlib_fontja.japanize()   # registers IPAexGothic with matplotlib's font manager
        matplotlib.rcParams["font.family"] = _JAPANESE_FONTS
        warnings.filterwarnings("error", message=MISSING_GLYPH, category=UserWarning)
    else:
        if _state["saved_family"] is not None:
            matplotlib.rcParams["font.family"] = _state["saved_family"]
            _state["saved_family"] = None
        warnings.filterwarnings("default", message=MISSING_GLYPH, category=UserWarning)


def set_language(language: str) -> None:
    """Make every later library string (figures, messages) come from ``language``'s table ("en" or "ja").

    Introduced in chapters/01_what_is_transposed_convolution.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    if language != _state["language"] or language == "ja":
        _japanese_figures(language == "ja")
    _state["language"] = language


def get_language() -> str:
    """The language the library's strings are in now ("en" unless set_language or TCONV_LANG chose another).

    Introduced in chapters/01_what_is_transposed_convolution.
    """
    return _state["language"]


def message(key: str, **fields: object) -> str:
    """The string ``key`` of the current language's table, with ``{fields}`` filled in.

    Introduced in chapters/01_what_is_transposed_convolution.
    """
    table = _table(_state["language"])
    if key not in table:
        raise KeyError(f"key {key!r} is not in the {_state['language']!r} message table (tconv_lib/messages)")
    return table[key].format(**fields) if fields else table[key]


if os.environ.get("TCONV_LANG"):
    set_language(os.environ["TCONV_LANG"])
