"""scripts/compare_cells.py: reading the plain model at the cells model's recall, cell purities, the summary."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import compare_cells  # noqa: E402


def _point(psi, recall, precision, confident=0.7):
    return {"psi": psi, "recall": recall, "precision": precision, "confident plain": confident,
            "confident strict": confident - 0.1, "rarest class": 0.05}


def test_match_recall_interpolates_linearly_between_the_bracketing_grid_values():
    curve = [_point(2.0, 0.6, 0.6), _point(1.0, 0.4, 0.7), _point(0.5, 0.1, 0.5)]   # any order
    matched = compare_cells.match_recall(curve, 0.5)
    assert matched["bracket"] == [1.0, 2.0]
    assert matched["psi"] == pytest.approx(1.5) and matched["recall"] == pytest.approx(0.5)
    assert matched["precision"] == pytest.approx(0.65)
    assert compare_cells.match_recall(curve, 0.4)["psi"] == pytest.approx(1.0)   # a grid value itself


def test_match_recall_takes_the_crossing_with_the_least_truncation_and_says_when_there_is_none():
    wiggly = [_point(0.5, 0.1, 0.2), _point(1.0, 0.5, 0.6), _point(1.5, 0.45, 0.62), _point(2.0, 0.55, 0.6)]
    assert compare_cells.match_recall(wiggly, 0.48)["bracket"] == [1.5, 2.0]
    assert compare_cells.match_recall(wiggly, 0.7) is None
    assert compare_cells.match_recall(wiggly, 0.05) is None


def test_cell_purity_counts_each_cells_most_common_digit():
    cells = np.array([0, 0, 0, 0, 1, 1, 1, 2])
    digits = np.array([3, 3, 3, 8, 5, 7, 7, 1])
    purity = compare_cells.cell_purity(cells, digits, 4)
    assert [(p["samples"], p["digit"], p["share"]) for p in purity[:3]] == [(4, 3, 0.75), (3, 7, 2 / 3), (1, 1, 1.0)]
    assert purity[3] == {"samples": 0, "digit": 0, "share": 0.0}   # an empty cell


def test_summary_gives_mean_and_range_over_seeds():
    def record(shift):
        figures = {k: 0.5 + shift for k in compare_cells.FIGURES}
        purity = {"mostly one digit": {"0.5": 7 + shift, "0.8": 3, "0.9": 2}, "distinct digits": 9,
                  "samples of their cell's digit": 0.6}
        return {"cells": figures, "plain untruncated": figures,
                "plain matched": {**{k: 0.4 for k in compare_cells.FIGURES}, "psi": 1.0 + shift},
                "purity cells": purity, "purity plain": purity}

    out = compare_cells.summary([record(0), record(1), record(2)])
    assert out["cells"]["precision"] == {"mean": 1.5, "min": 0.5, "max": 2.5}
    assert out["plain matched"]["psi"] == {"mean": 2.0, "min": 1.0, "max": 3.0}
    assert out["cells minus plain matched"]["precision"]["min"] == pytest.approx(0.1)
    assert "recall" not in out["cells minus plain matched"]
    assert out["purity cells"]["mostly one digit > 0.5"] == {"mean": 8.0, "min": 7.0, "max": 9.0}


def test_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert compare_cells.main(["--cells", str(tmp_path / "nowhere")]) == 2
    assert "no manifest" in capsys.readouterr().err
