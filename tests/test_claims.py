"""tconv_lib.claims (conclusions checked with a margin) and tools/seed_check.py (which reads them back)."""
from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

from tconv_lib import claims
from tconv_lib.claims import above, below, check

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import seed_check  # noqa: E402


@pytest.fixture(autouse=True)
def _empty_record():
    saved = list(claims.RECORD)
    claims.RECORD.clear()
    yield
    claims.RECORD[:] = saved


def test_check_prints_the_same_sentence_for_any_value_that_holds(capsys):
    check(above("gain over bicubic (dB)", 0.61, 0), below("loss ratio", 0.08, 0.2))
    first = capsys.readouterr().out
    check(above("gain over bicubic (dB)", 0.48, 0), below("loss ratio", 0.11, 0.2))
    assert capsys.readouterr().out == first == "gain over bicubic (dB): True\nloss ratio: True\n"


def test_a_failed_claim_raises_with_its_value_and_bound_after_printing_all(capsys):
    with pytest.raises(AssertionError, match=r"skips add more than 2 dB: 1\.5 is not above 2"):
        check(above("skips add more than 2 dB", 1.5, 2), above("noise removed", 9.0, 8))
    assert capsys.readouterr().out == "skips add more than 2 dB: False\nnoise removed: True\n"
    assert [entry["holds"] for entry in claims.RECORD] == [False, True]


def test_margins_are_relative_to_the_bound_or_absolute_at_zero():
    assert above("a", 15, 10).margin == pytest.approx(0.5)
    assert below("b", 0.8, 1).margin == pytest.approx(0.2)
    assert above("c", 0.25, 0).margin == pytest.approx(0.25)
    assert above("d", 9, 10).margin == pytest.approx(-0.1) and not above("d", 9, 10).holds
    assert not above("equal is not above", 2, 2).holds and not below("nor below", 2, 2).holds


def test_check_records_every_claim_for_the_seed_check():
    check(above("x", 3, 1))
    assert claims.RECORD == [{"text": "x", "value": 3.0, "bound": 1.0, "above": True, "holds": True, "margin": 2.0}]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        above("nan", float("nan"), 0)
    with pytest.raises(TypeError, match="Claim objects"):
        check(("text", 1.0, 0.0))
    with pytest.raises(ValueError, match="at least one"):
        check()


NOTEBOOK = {"cells": [
    {"cell_type": "markdown", "metadata": {}, "source": "SEED = 0 in prose does not count"},
    {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
     "source": ["device = 'cpu'\n", "SEED = 0   # seeds the training\n"]},
    {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "train(seed=SEED)"},
], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_with_seed_changes_the_one_seed_line_and_appends_the_report_cell():
    nb = seed_check.with_seed(copy.deepcopy(NOTEBOOK), 2)
    assert nb["cells"][1]["source"] == "device = 'cpu'\nSEED = 2   # seeds the training\n"
    assert nb["cells"][2]["source"] == "train(seed=SEED)"
    assert "claims.RECORD" in nb["cells"][-1]["source"] and len(nb["cells"]) == 4


@pytest.mark.parametrize("lines", [[], ["SEED = 0\n", "SEED = 0\n"]])
def test_with_seed_wants_exactly_one_seed_line(lines):
    nb = copy.deepcopy(NOTEBOOK)
    nb["cells"][1]["source"] = "".join(lines)
    nb["cells"].append(copy.deepcopy(nb["cells"][1]))
    with pytest.raises(ValueError, match="exactly one"):
        seed_check.with_seed(nb, 1)


def _run(*claim_list, errors=()):
    return {"claims": [{"text": c.text, "value": c.value, "bound": c.bound, "above": c.above,
                        "holds": c.holds, "margin": c.margin} for c in claim_list], "errors": list(errors)}


def test_summary_reports_the_smallest_margin_and_every_failure():
    results = {("12_unet", 0, "native"): _run(above("skips add 2 dB", 3.1, 2)),
               ("12_unet", 1, "native"): _run(above("skips add 2 dB", 2.4, 2)),
               ("12_unet", 0, "other-cpu"): _run(above("skips add 2 dB", 2.9, 2)),
               ("12_unet", 1, "other-cpu"): _run(above("skips add 2 dB", 1.9, 2))}
    lines, ok = seed_check.summarise(results)
    assert not ok
    assert "smallest margin -5% (seed 1 other-cpu: 1.9 vs 2)" in lines[0] and "FAILED in 1 of 4" in lines[0]
    results[("12_unet", 1, "other-cpu")] = _run(above("skips add 2 dB", 2.2, 2))
    lines, ok = seed_check.summarise(results)
    assert ok and "+10% (seed 1 other-cpu" in lines[0] and lines[0].endswith("ok")


def test_summary_fails_on_a_cell_error_or_a_claim_missing_from_a_run():
    results = {("08", 0, "native"): _run(above("order", 2, 1)), ("08", 1, "native"): _run(errors=["cell 9: NameError"])}
    lines, ok = seed_check.summarise(results)
    assert not ok and any(line.startswith("ERROR 08 seed 1 native") for line in lines)


def test_other_cpu_environment_is_parsed_word_by_word():
    assert seed_check.parse_env("ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41") == {
        "ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41"}
    with pytest.raises(ValueError, match="NAME=VALUE"):
        seed_check.parse_env("AVX2")
