"""PO catalogs (polib): one per English source plus common.po for the install cell every notebook shares.

An entry is msgctxt = the unit's context, msgid = the English it was translated from, msgstr = the
Japanese. ``extract`` adds new units (empty), keeps translations whose English is unchanged, and marks
an entry whose English changed ``fuzzy``, its old English kept as ``#| msgid`` (previous_msgid), so
``diff`` can show what changed. A translation counts only if it is non-empty and not fuzzy.
"""
from __future__ import annotations

import difflib
from pathlib import Path

import polib

from . import LANGUAGE, PO_DIR, po_path
from .units import Unit

COMMON = PO_DIR / "common.po"
INSTALL = "install"        # context prefix of the install cell's units (tools/install_cell.py), in common.po


class TranslationMissing(LookupError):
    """A unit has no current translation (none yet, or its English changed since)."""


def new_catalog() -> polib.POFile:
    """An empty catalog with the header this project writes."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "tconv-course", "Language": LANGUAGE,
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit"}
    return po


def load(path: Path) -> polib.POFile:
    """The catalog at ``path``, or a new empty one when there is none."""
    if not path.exists():
        return new_catalog()
    po = polib.pofile(str(path), wrapwidth=0)
    return po


def catalogs_for(source: str) -> list[polib.POFile]:
    """The catalogs a source's units are looked up in: its own, then common.po."""
    return [load(po_path(source)), load(COMMON)]


def _current(po: polib.POFile, unit: Unit) -> polib.POEntry | None:
    entry = po.find(unit.english, msgctxt=unit.context)
    if entry is None or entry.obsolete or entry.fuzzy or not entry.msgstr:
        return None
    return entry


def translation(catalogs: list[polib.POFile], unit: Unit) -> str:
    """The current Japanese for ``unit``, or TranslationMissing."""
    for po in catalogs:
        entry = _current(po, unit)
        if entry is not None:
            return entry.msgstr
    raise TranslationMissing(f"no current translation for {unit.context}: {unit.english[:60]!r}")


def previous(catalogs: list[polib.POFile], unit: Unit, taken: frozenset[int] = frozenset()) -> polib.POEntry | None:
    """The entry a stale unit was translated from: same context, closest English, not in ``taken`` (entry ids)."""
    best, best_ratio = None, -1.0
    for po in catalogs:
        for entry in po:
            if (entry.msgctxt != unit.context or (entry.msgid == unit.english and not entry.fuzzy) or not entry.msgstr
                    or id(entry) in taken):
                continue
            old = entry.previous_msgid if entry.fuzzy and entry.previous_msgid else entry.msgid
            ratio = difflib.SequenceMatcher(None, old, unit.english).ratio()
            if ratio > best_ratio:
                best, best_ratio = entry, ratio
    return best


def status(catalogs: list[polib.POFile], units: list[Unit]) -> dict[Unit, str]:
    """Each unit's state: 'ok', 'stale' (translated from an English that has changed) or 'missing'."""
    current = {unit: next((e for po in catalogs if (e := _current(po, unit)) is not None), None) for unit in units}
    taken = frozenset(id(e) for e in current.values() if e is not None)
    return {unit: "ok" if current[unit] is not None
            else "stale" if previous(catalogs, unit, taken) is not None else "missing" for unit in units}


def merge(po: polib.POFile, units: list[Unit]) -> polib.POFile:
    """A catalog for ``units`` in their order: unchanged translations kept, changed ones fuzzy, gone ones obsolete."""
    out = new_catalog()
    out.metadata = dict(po.metadata) or out.metadata
    same = {unit: po.find(unit.english, msgctxt=unit.context) for unit in units}
    same = {unit: e for unit, e in same.items() if e is not None and not e.obsolete}
    used = {id(e) for e in same.values()}
    for unit in units:
        if unit in same:
            out.append(same[unit])
            continue
        old = previous([po], unit, frozenset(used))
        new = polib.POEntry(msgctxt=unit.context, msgid=unit.english, msgstr="")
        moved = next((e for e in po if e.msgid == unit.english and e.msgstr and not e.fuzzy
                      and id(e) not in used), None)   # same English under another context (a new cell id)
        if moved is not None:
            used.add(id(moved))
            new.msgstr = moved.msgstr
        elif old is not None:
            used.add(id(old))
            new.msgstr = old.msgstr
            new.flags = ["fuzzy"]
            new.previous_msgid = old.previous_msgid if old.fuzzy and old.previous_msgid else old.msgid
        out.append(new)
    for entry in po:
        if id(entry) not in used and entry.msgstr:
            entry.obsolete = True
            out.append(entry)
    return out


def english_change(entry: polib.POEntry | None, unit: Unit) -> str:
    """A unified diff from the English a translation was made from to the English now."""
    if entry is None:
        return f"{unit.context}: not translated yet\n"
    old = entry.previous_msgid if entry.fuzzy and entry.previous_msgid else entry.msgid
    lines = difflib.unified_diff(old.splitlines(), unit.english.splitlines(), "translated from", "English now",
                                 lineterm="")
    return f"{unit.context}:\n" + "\n".join(lines) + "\n--- its translation:\n" + entry.msgstr + "\n"
