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


def test_collect_seeds_records_runs_of_the_shipped_recipe_only(tmp_path, monkeypatch):
    """scripts/collect_seeds.py: each run's figures under generator.seeds; another recipe is refused."""
    import json

    from tconv_lib.gan import weights

    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    import collect_seeds

    shipped = weights.read_manifest()
    into = tmp_path / "manifest.json"
    into.write_text(json.dumps(shipped))
    other = json.loads(json.dumps(shipped))
    other["generator"]["training"].update(seed=1, command="python scripts/train_dcgan.py --cells 0 --seed 1 --out /x")
    other["generator"]["quality"]["plain"]["generated_confident"] = 0.5
    (tmp_path / "s1.json").write_text(json.dumps(other))
    assert collect_seeds.main([str(tmp_path / "s1.json"), "--into", str(into)]) == 0
    seeds = json.loads(into.read_text())["generator"]["seeds"]
    assert [s["seed"] for s in seeds] == [0, 1] and seeds[1]["confident plain"] == 0.5
    assert seeds[0]["rarest class"] == min(shipped["generator"]["quality"]["plain"]["class_shares"])
    other["generator"]["training"]["command"] = "python scripts/train_dcgan.py --cells 10 --seed 2"
    other["generator"]["training"]["seed"] = 2
    (tmp_path / "s2.json").write_text(json.dumps(other))
    assert collect_seeds.main([str(tmp_path / "s2.json"), "--into", str(into)]) == 2
