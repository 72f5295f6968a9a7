"""The Japanese edition's machinery (tools/i18n): translation units, catalogs, same-program check, glossary.

The edition itself (every translation present and current, notebooks generated and executed) is
tests/test_ja_edition.py; the library's message tables and fonts are tests/test_i18n_messages.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from i18n import PO_DIR, translated_sources  # noqa: E402
from i18n import ROOT as I18N_ROOT  # noqa: E402
from i18n.catalog import catalogs_for, english_change, merge, new_catalog, previous, status  # noqa: E402
from i18n.glossary import missing_glosses, terms  # noqa: E402
from i18n.program import same_program  # noqa: E402
from i18n.units import Unit, code_flow, code_units, notebook_units, page_units, translate_code, translate_notebook  # noqa: E402

CELL = '''%matplotlib inline
# Build the kernel: a small one,
# with two lines of comment.
x = f(3)  # the input
### BEGIN SOLUTION
print("shape:", x.shape, f"stride {s} of {n}")
ax.set_title("M for a 2x2 kernel"); explorer("ch01")
raise ValueError("stride must be positive, got " + str(s))
### END SOLUTION'''


def test_units_of_a_code_cell_are_its_comments_and_the_strings_a_reader_sees():
    units = [(u.context, u.english, kind) for u, _, _, kind in code_units("c1", CELL)]
    assert units == [
        ("c1#comment", "Build the kernel: a small one,\nwith two lines of comment.", "comment"),
        ("c1#comment", "the input", "comment"),
        ("c1#string", '"shape:"', "string"),
        ("c1#string", 'f"stride {s} of {n}"', "string"),
        ("c1#string", '"M for a 2x2 kernel"', "string"),
        ("c1#string", '"stride must be positive, got "', "string"),
    ]   # "ch01" is an argument, not text; the grading markers are instructions to tools


def test_translate_code_changes_only_comments_and_shown_strings():
    table = {"Build the kernel: a small one,\nwith two lines of comment.": "カーネルを作る：\n小さなもの",
             "the input": "入力", '"shape:"': '"形："', 'f"stride {s} of {n}"': 'f"ストライド{s}（全{n}）"',
             '"M for a 2x2 kernel"': '"2x2カーネルのM"', '"stride must be positive, got "': '"ストライドは正："'}
    out = translate_code("c1", CELL, lambda unit: table[unit.english])
    assert "# カーネルを作る：\n# 小さなもの\nx = f(3)  # 入力\n### BEGIN SOLUTION" in out
    assert 'print("形：", x.shape, f"ストライド{s}（全{n}）")' in out
    assert 'explorer("ch01")' in out and "### END SOLUTION" in out
    assert same_program(CELL, out)


FLOW_CELL = '''panels = {"noisy input": noisy, "U-Net": out}
for ax, (title, image) in zip(axes, panels.items()):
    ax.set_title(title)
ratio = f"{a / b:.2f}" if b else "infinite (no stamp)"
print("max/min", ratio)
shares = {}
for name, images in (("eval, stale averages", stale), ("batch statistics", batch)):
    shares[name] = score(images)
    print(f"{name:21}: {shares[name]:.2f}")
assert shares["eval, stale averages"] > shares["batch statistics"]
for name in ("stride 2, padding 1",):
    print(f"{name}:", WORKED[name])
for mode in ("nearest mode", "bilinear mode"):
    ax.set_title(mode)
    layer = make_upsampler(mode)'''


def test_a_literal_shown_through_a_name_is_a_unit_and_a_lookup_key_is_translated_everywhere_or_left():
    """Titles through a loop variable, an f-string's field, a dict's keys: units. A key the notebook looks
    up in its own dict is one unit wherever it occurs; one looked up elsewhere, or passed to the library, stays."""
    strings = [(u.context, u.english) for u, _, _, kind in code_units("c1", FLOW_CELL) if kind == "string"]
    assert strings == [
        ("c1#string", '"noisy input"'), ("c1#string", '"U-Net"'),                 # titles, through dict.items()
        ("c1#string", '"infinite (no stamp)"'), ("c1#string", '"max/min"'),       # through a name into print
        ("c1#string", '"eval, stale averages"'), ("c1#string", '"batch statistics"'),   # printed, and keys
        ("c1#string", '"eval, stale averages"'), ("c1#string", '"batch statistics"'),   # the same keys looked up
    ]   # "stride 2, padding 1" indexes WORKED (the library's); "nearest mode" is make_upsampler's argument
    table = {'"eval, stale averages"': '"評価モード、古い平均"', '"batch statistics"': '"バッチ統計量"'}
    out = translate_code("c1", FLOW_CELL, lambda unit: table.get(unit.english, unit.english))
    assert out.count('"評価モード、古い平均"') == 2 and out.count('"バッチ統計量"') == 2
    assert '"stride 2, padding 1"' in out and same_program(FLOW_CELL, out)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOW_CELL, id="c1")])
    kept = [FLOW_CELL[s:e] for s, e in code_flow(nb).kept["c1"]]
    assert kept == ['"stride 2, padding 1"', '"nearest mode"', '"bilinear mode"']


def test_a_key_looked_up_in_a_later_cell_shares_the_unit_of_the_cell_that_shows_it():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('results = {"noisy input": 16.5, "U-Net": 26.7}\n'
                                  'for name, db in results.items():\n    print(f"{name:<24}{db:>8.1f}")', id="a"),
        nbformat.v4.new_code_cell('gain = results["U-Net"] - results["noisy input"]\n'
                                  'store = {}\nstore["saved copy"] = 1\nprint(store)\nsave(store)', id="b")])
    strings = [(u.context, u.english) for u in notebook_units(nb) if u.context.endswith("#string")]
    assert strings == [("a#string", '"noisy input"'), ("a#string", '"U-Net"')]
    # cell b's keys are those of cell a: no units of their own; store's key goes to save(): kept as written
    table = {'"noisy input"': '"ノイズを加えた入力"'}
    back = translate_notebook(nb, lambda unit: table.get(unit.english, unit.english))
    assert back.cells[1].source.startswith('gain = results["U-Net"] - results["ノイズを加えた入力"]')
    assert [nb.cells[1].source[s:e] for s, e in code_flow(nb).kept["b"]] == ['"saved copy"']


@pytest.mark.parametrize("changed", ["x = f(4)  # the input", "y = f(3)  # the input", "x = f(3); g()"])
def test_same_program_notices_any_change_to_the_code(changed):
    assert not same_program(CELL, CELL.replace("x = f(3)  # the input", changed))


def test_same_program_notices_a_changed_magic_or_fstring_field():
    assert not same_program(CELL, CELL.replace("%matplotlib inline", "%matplotlib widget"))
    assert not same_program(CELL, CELL.replace('f"stride {s} of {n}"', 'f"stride {n} of {s}"'))


@pytest.mark.parametrize("path", sorted(ROOT.glob("chapters/*.ipynb")) + sorted(ROOT.glob("exercises/*.ipynb")),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_notebook_comes_back_unchanged_through_an_identity_translation(path):
    """Extraction and re-insertion are exact on every notebook of the course (the later chapters too)."""
    nb = nbformat.read(path, as_version=4)
    units = notebook_units(nb)
    assert all(u.english for u in units)
    back = translate_notebook(nb, lambda unit: unit.english)
    assert [c.source for c in back.cells] == [c.source for c in nb.cells]
    assert [c.metadata for c in back.cells] == [c.metadata for c in nb.cells]


def test_page_units_are_the_top_level_blocks():
    text = "# Title\n\nA paragraph\non two lines.\n\n- a list\n- of two\n\n```{figure} x.svg\n:alt: y\n\nz\n```\n"
    assert [u.english for u in page_units(text)] == ["# Title", "A paragraph\non two lines.", "- a list\n- of two",
                                                     "```{figure} x.svg\n:alt: y\n\nz\n```"]


def test_a_changed_english_unit_becomes_fuzzy_and_keeps_the_english_it_was_translated_from():
    old = new_catalog()
    old.append(polib.POEntry(msgctxt="c1", msgid="The kernel is 3x3.", msgstr="カーネルは3x3です。"))
    old.append(polib.POEntry(msgctxt="c2", msgid="Gone.", msgstr="消えた。"))
    units = [Unit("c1", "The kernel is 4x4."), Unit("c3", "New.")]
    merged = merge(old, units)
    entry = merged.find("The kernel is 4x4.", msgctxt="c1")
    assert entry.fuzzy and entry.previous_msgid == "The kernel is 3x3." and entry.msgstr == "カーネルは3x3です。"
    assert status([merged], units) == {units[0]: "stale", units[1]: "missing"}
    assert [e.msgid for e in merged if e.obsolete] == ["Gone."]
    diff = english_change(previous([merged], units[0]), units[0])
    assert "-The kernel is 3x3." in diff and "+The kernel is 4x4." in diff and "カーネルは3x3です。" in diff
    entry.msgstr, entry.flags = "カーネルは4x4です。", []
    assert status([merged], units)[units[0]] == "ok"


def test_a_cell_with_a_new_id_keeps_its_translation():
    old = new_catalog()
    old.append(polib.POEntry(msgctxt="c1", msgid="Same text.", msgstr="同じ文です。"))
    merged = merge(old, [Unit("a9f3", "Same text.")])
    entry = merged.find("Same text.", msgctxt="a9f3")
    assert entry.msgstr == "同じ文です。" and not entry.fuzzy


def test_an_english_edit_to_the_pilot_makes_its_translation_stale():
    """The real catalogs: the chapter's first cell edited in English is no longer translated."""
    source = "chapters/01_what_is_transposed_convolution.ipynb"
    units = notebook_units(nbformat.read(ROOT / source, as_version=4))
    edited = [Unit(u.context, u.english + " An extra sentence.") if u.context == "c001" else u for u in units]
    states = status(catalogs_for(source), edited)
    assert [u.context for u, s in states.items() if s != "ok"] == ["c001"]
    assert states[edited[[u.context for u in edited].index("c001")]] == "stale"


def test_first_use_of_a_glossary_term_needs_its_english():
    assert missing_glosses("転置畳み込み（transposed convolution）は層です。転置畳み込みは…") == []
    assert missing_glosses("転置畳み込みは層です。") == ["転置畳み込み: first use needs （transposed convolution） after it"]
    # 畳み込み inside 転置畳み込み is not a use of 畳み込み; headings and code do not count
    assert missing_glosses("# 畳み込み\n\n転置畳み込み（transposed convolution）と`畳み込み`。") == []


def test_glossary_has_one_form_per_term():
    found = terms()
    assert len({t.en for t in found}) == len(found) and len({t.ja for t in found}) == len(found)
    preferred = {t.ja for t in found}
    assert not [a for t in found for a in t.avoid if a in preferred], "an avoided form is another term's form"


def test_every_po_file_belongs_to_an_english_source():
    assert I18N_ROOT == ROOT
    orphans = [po for po in PO_DIR.rglob("*.po") if po.name != "common.po"
               and po.relative_to(PO_DIR).with_suffix("").as_posix() not in
               {Path(s).with_suffix("").as_posix() for s in translated_sources()}]
    assert not orphans, f"PO files whose English source is gone (renamed?): {orphans}"


def test_emphasis_that_commonmark_leaves_open_is_found():
    from i18n.checks import unclosed_emphasis
    assert unclosed_emphasis("同じ層を*分数ストライド畳み込み（fractionally-strided convolution）*と呼びます。")
    assert not unclosed_emphasis("同じ層を*分数ストライド畳み込み*（fractionally-strided convolution）と呼びます。")
    assert not unclosed_emphasis("**学習目標**：次のこと。`a*b`と$x*y$")


def test_a_line_break_between_japanese_characters_is_found():
    from i18n.checks import japanese_line_breaks
    assert japanese_line_breaks("表示されます。\nエクスプローラは動きます。")
    assert not japanese_line_breaks("表示されます。エクスプローラは動きます。\n\n- 項目\n- 項目")
    assert not japanese_line_breaks("PyTorch\nis fine, and `code`\nまで")


def test_the_lint_export_holds_every_printed_string_and_comment_of_a_notebook(tmp_path):
    """textlint sees each translated string and comment, the all-Japanese ones included."""
    from i18n.lint import export, literal_text

    source = "chapters/12_unet_decoders.ipynb"
    export(tmp_path, [source])
    text = (tmp_path / source).with_suffix(".md").read_text(encoding="utf-8")
    units = [e for e in polib.pofile(str(PO_DIR / "chapters" / "12_unet_decoders.po"))
             if e.msgctxt.endswith(("#string", "#comment")) and e.msgstr]
    assert any(not any("a" <= ch.lower() <= "z" for ch in e.msgstr) for e in units)   # all-Japanese ones exist
    for entry in units:
        shown = literal_text(entry.msgstr) if entry.msgctxt.endswith("#string") else entry.msgstr.lstrip("# ")
        assert shown.strip().split("\n")[0].strip() in text, entry.msgctxt
