"""The reader's language for the library's strings: one message table per language, set once per notebook.

A Japanese notebook starts with ``from tconv_lib.i18n import set_language; set_language("ja")``
(the generated setup cell, tools/i18n); nothing else changes: figures, check reports, printed tables,
progress bars, warnings and errors then come from ``tconv_lib/messages/<language>/`` (``MESSAGES``,
one module per area, same keys and fields in every language, checked by tests/test_i18n_messages.py
and tests/test_i18n_library.py), and the explorer opens in that language (``static/strings_ja.mjs``).
The environment variable ``TCONV_LANG`` sets the starting language.
In Japanese, figures use IPAexGothic from matplotlib-fontja (bundled, offline) after DejaVu Sans,
and a character no font has is an error, never a box.
Introduced in chapters/01_what_is_transposed_convolution.
"""
from __future__ import annotations

import importlib
import os
import unicodedata
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

    An entry is a ``str.format`` template (``{{`` is a literal brace; a field may carry a format
    spec, ``{share:.1%}``). Introduced in chapters/01_what_is_transposed_convolution.
    """
    return message_in(_state["language"], key, **fields)


def message_in(language: str, key: str, **fields: object) -> str:
    """:func:`message` in ``language`` whatever the current language (English for a language without a table).

    For what carries its own language, such as an explorer's ``lang``. Introduced in chapters/01_what_is_transposed_convolution.
    """
    table = _table(language if language in LANGUAGES else "en")
    if key not in table:
        raise KeyError(f"key {key!r} is not in the {language!r} message table (tconv_lib/messages)")
    return table[key].format(**fields)


def display_width(text: str) -> int:
    """How many columns ``text`` takes in a monospaced font: wide and full-width characters (Japanese) take two.

    Used by :func:`pad`, so that printed tables stay aligned in Japanese.
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``width`` columns (:func:`display_width`), on the right (``"<"``) or left (``">"``).

    For ASCII text this is ``format(text, align + str(width))``. Used by the library's printed tables.
    """
    fill = " " * max(width - display_width(text), 0)
    return fill + text if align == ">" else text + fill


if os.environ.get("TCONV_LANG"):
    set_language(os.environ["TCONV_LANG"])
