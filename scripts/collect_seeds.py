#!/usr/bin/env python3
"""Record how the shipped recipe fares over training seeds: the figures of several runs in one manifest.

Usage (from the repository root, inside the project's virtual environment):

    python scripts/train_dcgan.py --out /tmp/s1 --seed 1          # about 17 minutes each, one CPU thread
    python scripts/train_dcgan.py --out /tmp/s2 --seed 2
    python scripts/collect_seeds.py /tmp/s1/manifest.json /tmp/s2/manifest.json

Every manifest must describe the shipped recipe (the same command but for ``--seed`` and
``--out``). Each generator, the shipped one and those of the runs named (checksum-verified), is
measured with the same yardstick: ``evaluation.assess_generator`` with the *shipped* classifiers
and the same 2,000 latent vectors (a run's own manifest used classifiers trained with its seed).
One record per seed goes under ``generator.seeds`` of ``tconv_lib/gan/weights/manifest.json``;
chapter 11 prints each figure's mean and range over them next to the real digits'.
"""
from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

import train_dcgan  # the same folder: scripts/

from tconv_lib.gan import checkpoint, dcgan, evaluation, weights

FIGURES = ("confident plain", "confident strict", "precision", "recall", "rarest class")


def figures(report: evaluation.GeneratorReport) -> dict[str, float]:
    """The figures chapter 11 reports, as measured (unrounded, so they print as the report prints them)."""
    measured = {"confident plain": report.confident["plain"].generated_confident,
                "confident strict": report.confident["strict"].generated_confident,
                "precision": report.features.precision, "recall": report.features.recall,
                "rarest class": min(report.class_shares)}
    return {key: float(value) for key, value in measured.items()}


def measure(folder: Path) -> dict:
    """Seed, command and figures of the run whose files and manifest are in ``folder``."""
    manifest = weights.read_manifest(folder / weights.MANIFEST)
    generator = manifest["generator"]
    netG = checkpoint.load_pretrained_generator(folder / generator["file"], manifest["files"][generator["file"]]["sha256"])
    report = evaluation.assess_generator(netG, f"seed {generator['training']['seed']}")
    return {"seed": generator["training"]["seed"], "command": generator["training"]["command"], **figures(report)}


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
    want = recipe(shipped["generator"]["training"]["command"])
    for path in args.manifests:
        command = json.loads(path.read_text(encoding="utf-8"))["generator"]["training"]["command"]
        if recipe(command) != want:
            print(f"{path}: trained with {command!r}, not the shipped recipe", file=sys.stderr)
            return 2
    records = [measure(folder) for folder in [args.into.parent, *(p.parent for p in args.manifests)]]
    seeds = [record["seed"] for record in records]
    if len(set(seeds)) != len(seeds):
        print(f"two runs share a seed: {seeds}", file=sys.stderr)
        return 2
    shipped["generator"]["seeds"] = records
    args.into.write_text(json.dumps(shipped, indent=2) + "\n", encoding="utf-8")
    print(f"{args.into}: figures of seeds {seeds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
