#!/usr/bin/env python3
"""Record how the shipped recipe fares over training seeds: the figures of several runs in one manifest.

Usage (from the repository root, inside the project's virtual environment):

    python scripts/train_dcgan.py --out /tmp/s1 --seed 1          # about 17 minutes each, one CPU thread
    python scripts/train_dcgan.py --out /tmp/s2 --seed 2
    python scripts/collect_seeds.py /tmp/s1/manifest.json /tmp/s2/manifest.json

Every manifest must describe the shipped recipe (the same command but for ``--seed`` and
``--out``). The shipped generator's own figures and those of the runs named are written, one
record per seed, under ``generator.seeds`` of ``tconv_lib/gan/weights/manifest.json``; chapter
11 prints each figure's mean and range over them next to the real digits'. Nothing is
recomputed: the figures are the ones each run measured and recorded.
"""
from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

import train_dcgan  # the same folder: scripts/

from tconv_lib.gan import dcgan, weights

FIGURES = ("confident plain", "confident strict", "precision", "recall", "rarest class")


def figures(generator: dict) -> dict[str, float]:
    """The figures chapter 11 reports, from a manifest's ``generator`` entry."""
    quality, features = generator["quality"], generator["precision_recall"]["features"]
    return {"confident plain": quality["plain"]["generated_confident"],
            "confident strict": quality["strict"]["generated_confident"],
            "precision": features["precision"], "recall": features["recall"],
            "rarest class": min(quality["plain"]["class_shares"])}


def recipe(command: str) -> dict:
    """The settings a ``python scripts/train_dcgan.py ...`` command trains with, but for ``--seed`` and ``--out``
    (an override equal to the preset's value counts as that value: ``--cells 0`` is the plain DCGAN)."""
    settings = vars(train_dcgan.parse_args(shlex.split(command)[2:]))
    for key in ("seed", "out"):
        settings.pop(key)
    for key in train_dcgan.OVERRIDABLE:
        if settings[key] is None:
            settings[key] = dcgan.PRESETS["digits32"][key]
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifests", nargs="+", type=Path, help="manifest.json of runs with other seeds")
    parser.add_argument("--into", type=Path, default=weights.weights_dir() / weights.MANIFEST)
    args = parser.parse_args(argv)
    shipped = json.loads(args.into.read_text(encoding="utf-8"))
    runs = [shipped["generator"]] + [json.loads(p.read_text(encoding="utf-8"))["generator"] for p in args.manifests]
    want = recipe(shipped["generator"]["training"]["command"])
    for path, run in zip(args.manifests, runs[1:]):
        if recipe(run["training"]["command"]) != want:
            print(f"{path}: trained with {run['training']['command']!r}, not the shipped recipe", file=sys.stderr)
            return 2
    seeds = [run["training"]["seed"] for run in runs]
    if len(set(seeds)) != len(seeds):
        print(f"two runs share a seed: {seeds}", file=sys.stderr)
        return 2
    shipped["generator"]["seeds"] = [{"seed": run["training"]["seed"], "command": run["training"]["command"],
                                      **figures(run)} for run in runs]
    args.into.write_text(json.dumps(shipped, indent=2) + "\n", encoding="utf-8")
    print(f"{args.into}: figures of seeds {seeds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
