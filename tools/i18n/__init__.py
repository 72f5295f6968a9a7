"""The Japanese edition's machinery: translations in PO files, Japanese notebooks and book generated from them.

    python tools/i18n extract    # English sources -> locale/ja/po/*.po (new units empty, changed ones fuzzy)
    python tools/i18n build      # English + PO -> locale/ja/book/ (notebooks keep outputs of unchanged cells)
    python tools/i18n check      # exit 1 on a missing or stale translation, or a Japanese notebook out of date
    python tools/i18n diff       # the English change since each stale translation was made
    python tools/i18n book       # the Japanese book into _build/html/ja/, language switch on both editions
    python tools/i18n book-only  # only build it (in _build/ja-src/_build); publish copies it and adds the switch
    python tools/i18n prh        # locale/ja/prh.yml from the glossary (build does it too)
    python tools/i18n lint-export DIR   # every Japanese text as Markdown for textlint (make lint-ja)
    python tools/i18n stage DIR  # each Japanese notebook alone in a folder for nbval (make wheel-env)

Layout and rules: locale/README.md.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
LANGUAGE = "ja"
PO_DIR = LOCALE / LANGUAGE / "po"
BOOK_DIR = LOCALE / LANGUAGE / "book"          # the generated Japanese sources, notebooks with outputs
PAGES = ("intro.md",)                           # Markdown pages that can have a Japanese edition


def po_path(source: str) -> Path:
    """The PO file of an English source given relative to the root: chapters/01_x.ipynb -> po/chapters/01_x.po."""
    return PO_DIR / Path(source).with_suffix(".po")


def translated_sources() -> list[str]:
    """English sources (relative to the root) that have a Japanese edition: those with a PO file."""
    found = []
    for po in sorted(PO_DIR.rglob("*.po")):
        rel = po.relative_to(PO_DIR)
        for suffix in (".ipynb", ".md"):
            if (ROOT / rel.with_suffix(suffix)).exists():
                found.append(rel.with_suffix(suffix).as_posix())
    return found
