"""tconv_lib.i18n: one message table per language, the language set once, Japanese figures that never show boxes."""
from __future__ import annotations

import io
import string
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure

from tconv_lib import i18n
from tconv_lib.messages import en, ja


@pytest.fixture()
def japanese():
    """Japanese for the test; each test calls set_language("ja") itself (pytest resets warning filters set
    during setup before the test runs)."""
    yield
    i18n.set_language("en")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_language_has_the_same_keys_and_fields():
    assert en.MESSAGES.keys() == ja.MESSAGES.keys()
    assert {k: _fields(v) for k, v in en.MESSAGES.items()} == {k: _fields(v) for k, v in ja.MESSAGES.items()}


def test_message_comes_from_the_current_language(japanese):
    i18n.set_language("ja")
    assert i18n.get_language() == "ja"
    assert i18n.message("scatter.output") == ja.MESSAGES["scatter.output"]
    i18n.set_language("en")
    assert i18n.message("scatter.output") == en.MESSAGES["scatter.output"]


def test_errors_name_the_parameter_and_the_rule():
    with pytest.raises(ValueError, match=r"language must be one of en, ja, got 'fr'"):
        i18n.set_language("fr")
    with pytest.raises(KeyError, match="no.such.key"):
        i18n.message("no.such.key")


def test_japanese_figures_use_the_bundled_font_and_english_comes_back(japanese):
    before = list(matplotlib.rcParams["font.family"])
    i18n.set_language("ja")
    assert matplotlib.rcParams["font.family"][-1] == "IPAexGothic"
    fig = Figure()
    fig.suptitle("転置畳み込み：ストライド2のゼロ挿入")
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # any missing glyph would raise here
        fig.savefig(io.BytesIO(), format="png")   # draws the text, as the inline backend does
    i18n.set_language("en")
    assert matplotlib.rcParams["font.family"] == before


def test_a_missing_glyph_is_an_error_in_japanese(japanese):
    i18n.set_language("ja")
    fig = Figure()
    fig.suptitle("ᚠ")                           # runic: in neither DejaVu Sans nor IPAexGothic
    with pytest.raises(UserWarning, match="missing from font"):
        fig.savefig(io.BytesIO(), format="png")   # draws the text, as the inline backend does
