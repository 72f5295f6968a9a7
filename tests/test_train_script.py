"""scripts/train_dcgan.py's command line: the preset overrides it passes to build_dcgan."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tconv_lib.gan import dcgan

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "train_dcgan.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("train_dcgan_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_options_keep_the_shipped_preset(script):
    assert script.preset_overrides(script.parse_args([])) == {}
    netG, _ = dcgan.build_dcgan("digits32")
    assert (netG.cells, netG.gap) == (dcgan.PRESETS["digits32"]["cells"], dcgan.PRESETS["digits32"]["gap"])


def test_zero_cells_and_a_float_gap_reach_the_generator(script):
    args = script.parse_args(["--cells", "0", "--gap", "2", "--ngf", "48"])
    assert script.preset_overrides(args) == {"cells": 0, "gap": 2.0, "ngf": 48}
    netG, _ = dcgan.build_dcgan("digits32", **script.preset_overrides(args))
    assert (netG.cells, netG.gap) == (0, 2.0) and netG.config["ngf"] == 48


def test_the_recorded_command_leaves_out_the_output_folder(script):
    assert script._without_out(["--out", "/tmp/x", "--gap", "2", "--out=/y"]) == ["--gap", "2"]


def test_collect_seeds_takes_runs_of_the_shipped_recipe_only(tmp_path, monkeypatch):
    """scripts/collect_seeds.py: --cells 0 is the shipped recipe (the plain preset), --cells 10 is not and is
    refused before anything is measured."""
    import json

    from tconv_lib.gan import weights

    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    import collect_seeds

    shipped = "python scripts/train_dcgan.py"
    assert collect_seeds.recipe(shipped) == collect_seeds.recipe(shipped + " --cells 0 --seed 1 --out /tmp/x")
    assert collect_seeds.recipe(shipped) != collect_seeds.recipe(shipped + " --cells 10 --seed 1")
    other = json.loads(json.dumps(weights.read_manifest()))
    other["generator"]["training"].update(seed=2, command=shipped + " --cells 10 --seed 2")
    (tmp_path / "manifest.json").write_text(json.dumps(other))
    into = tmp_path / "into.json"
    into.write_text(json.dumps(weights.read_manifest()))
    before = into.read_text()
    assert collect_seeds.main([str(tmp_path / "manifest.json"), "--into", str(into)]) == 2
    assert into.read_text() == before
