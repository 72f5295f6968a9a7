#!/usr/bin/env python3
"""Compare the latent-cells generator with the plain one under the truncation trick, at matched recall.

Usage (from the repository root, inside the project's virtual environment):

    python scripts/train_dcgan.py --out /tmp/cells_s0 --seed 0 --cells 10 --gap 1    # preset "digits32_cells"
    python scripts/train_dcgan.py --out /tmp/cells_s1 --seed 1 --cells 10 --gap 1    # (and seed 2)
    python scripts/train_dcgan.py --out /tmp/plain_s1 --seed 1                       # (and seed 2)
    python scripts/compare_cells.py --cells /tmp/cells_s0 /tmp/cells_s1 /tmp/cells_s2 \\
        --plain /tmp/plain_s1 /tmp/plain_s2

The plain generator of seed 0 is the shipped one. For every seed with a cells run, the same
yardstick as chapter 11's report (``evaluation.assess_samples``: the *shipped* classifiers, 2,000
latent vectors from a CPU generator seeded with 0, precision and recall with k = 3 in the plain
classifier's features against the held-out digits) measures (1) the cells generator, (2) the plain
generator of the same seed with z drawn by ``latent.truncated_normal`` for every psi of ``PSI_GRID``
and untruncated, and (3) how far each latent cell is one digit (``cell_purity``). The plain model is
read at the cells model's recall by linear interpolation in psi (``match_recall``). Per-seed records,
and the mean, smallest and largest value over the seeds of every figure, go under
``beyond_dcgan.cells_vs_truncation`` of ``tconv_lib/gan/weights/manifest.json``; chapter 11's
optional last section prints and plots them. The cells checkpoints are not shipped.
"""
from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

import collect_seeds  # the same folder: scripts/
import numpy as np
import torch

from tconv_lib.gan import checkpoint, dcgan, evaluation, quality, weights
from tconv_lib.gan.latent import latent_cell, truncated_normal

PSI_GRID = (0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
NUM_SAMPLES, LATENT_SEED = 2000, 0      # chapter 11's report: 2,000 samples, z seeded with 0
PURITY_SAMPLES = 10_000                 # about 1,000 per cell for the cell purities
PURITY_THRESHOLDS = (0.5, 0.8, 0.9)     # "mostly one digit": the most common digit's share is above 0.5
FIGURES = collect_seeds.FIGURES         # confident plain, confident strict, precision, recall, rarest class
MATCHING = ("linear interpolation in psi between the two neighbouring grid values whose recalls bracket the "
            "cells model's recall; where several pairs do, the pair with the largest psi (least truncation)")
PURITY = ("share of a cell's samples that the shipped plain classifier gives the cell's most common digit "
          f"(argmax, all samples, {PURITY_SAMPLES:,} latent vectors seeded with 0); a cell is mostly one "
          "digit when that share is above 0.5")


class RunError(Exception):
    """A run folder that cannot be compared: missing files, another recipe, a checksum mismatch."""


def load_run(folder: Path, want: dict) -> tuple[dict, torch.nn.Module]:
    """The manifest and the generator (its own configuration, checksum-verified, eval mode) of the run in
    ``folder``, which must have been trained with the recipe ``want`` (``collect_seeds.recipe``)."""
    path = folder / weights.MANIFEST
    if not path.is_file():
        raise RunError(f"{path}: no manifest (is {folder} the --out folder of scripts/train_dcgan.py?)")
    manifest = weights.read_manifest(path)
    generator = manifest["generator"]
    command = generator["training"]["command"]
    if collect_seeds.recipe(command) != want:
        raise RunError(f"{path}: trained with {command!r}, not the recipe this comparison needs")
    try:
        netG = checkpoint.load_pretrained_generator(folder / generator["file"],
                                                    manifest["files"][generator["file"]]["sha256"])
    except weights.CheckpointError as exc:
        raise RunError(str(exc)) from exc
    return manifest, netG.eval()


@torch.no_grad()
def measure(netG: torch.nn.Module, z: torch.Tensor, classifiers: dict) -> dict:
    """Chapter 11's figures (``collect_seeds.figures``) and class shares of netG's images of z (n, dim)."""
    fake = torch.cat([netG(z[i:i + 500, :, None, None]) for i in range(0, len(z), 500)])
    report = evaluation.assess_samples(fake, classifiers=classifiers)
    return {**collect_seeds.figures(report), "class shares": [float(s) for s in report.class_shares]}


def match_recall(curve: list[dict], target: float) -> dict | None:
    """The figures of ``curve`` (records with "psi" and the figures, any order) at recall ``target`` (see
    MATCHING), with "psi" interpolated too and "bracket" the two grid values; None if no pair brackets it."""
    curve = sorted(curve, key=lambda point: point["psi"])
    for low, high in reversed(list(zip(curve, curve[1:]))):
        r0, r1 = low["recall"], high["recall"]
        if min(r0, r1) <= target <= max(r0, r1):
            t = 0.0 if r0 == r1 else (target - r0) / (r1 - r0)
            matched = {key: low[key] + t * (high[key] - low[key]) for key in ("psi", *FIGURES)}
            return {**matched, "bracket": [low["psi"], high["psi"]]}
    return None


def cell_purity(cells: np.ndarray, digits: np.ndarray, num_cells: int) -> list[dict]:
    """For each latent cell 0..num_cells-1: its sample count, most common digit and that digit's share."""
    out = []
    for cell in range(num_cells):
        counts = np.bincount(digits[cells == cell], minlength=10)
        total = int(counts.sum())
        out.append({"samples": total, "digit": int(counts.argmax()),
                    "share": float(counts.max() / total) if total else 0.0})
    return out


@torch.no_grad()
def purity_record(netG: torch.nn.Module, classifier: torch.nn.Module, num_cells: int) -> dict:
    """Cell purities of netG over PURITY_SAMPLES latent vectors, and the counts that chapter 11 reports."""
    z = torch.randn(PURITY_SAMPLES, netG.latent_dim, generator=torch.Generator().manual_seed(LATENT_SEED))
    fake = torch.cat([netG(z[i:i + 500, :, None, None]) for i in range(0, len(z), 500)])
    digits = quality.predict_proba(classifier, fake).argmax(dim=1).numpy()
    cells = cell_purity(latent_cell(z, num_cells).numpy(), digits, num_cells)
    shares = [cell["share"] for cell in cells]
    return {"cells": cells,
            "mostly one digit": {f"{t:g}": sum(s > t for s in shares) for t in PURITY_THRESHOLDS},
            "distinct digits": len({cell["digit"] for cell in cells}),
            "samples of their cell's digit": float(sum(c["share"] * c["samples"] for c in cells) / len(z))}


def spread(values: list[float]) -> dict:
    """Mean, smallest and largest of ``values`` (one per seed)."""
    return {"mean": float(np.mean(values)), "min": float(min(values)), "max": float(max(values))}


def summary(records: list[dict]) -> dict:
    """Every figure of the per-seed records as its mean and range over the seeds."""
    def over(pick):
        return spread([pick(record) for record in records])

    out = {"cells": {k: over(lambda r, k=k: r["cells"][k]) for k in FIGURES},
           "plain untruncated": {k: over(lambda r, k=k: r["plain untruncated"][k]) for k in FIGURES},
           "plain matched": {k: over(lambda r, k=k: r["plain matched"][k]) for k in ("psi", *FIGURES)},
           "cells minus plain matched": {k: over(lambda r, k=k: r["cells"][k] - r["plain matched"][k])
                                         for k in FIGURES if k != "recall"}}
    for model in ("cells", "plain"):
        out[f"purity {model}"] = {
            **{f"mostly one digit > {t}": over(lambda r, t=t: r[f"purity {model}"]["mostly one digit"][t])
               for t in (f"{t:g}" for t in PURITY_THRESHOLDS)},
            "distinct digits": over(lambda r: r[f"purity {model}"]["distinct digits"]),
            "samples of their cell's digit": over(lambda r: r[f"purity {model}"]["samples of their cell's digit"])}
    return out


def compare(seed: int, cells_G, plain_G, classifiers: dict, num_cells: int) -> dict:
    """The record of one seed: cells figures, the plain model's psi curve and its matched point, purities."""
    z = torch.randn(NUM_SAMPLES, plain_G.latent_dim, generator=torch.Generator().manual_seed(LATENT_SEED))
    record = {"seed": seed, "cells": measure(cells_G, z, classifiers)}
    record["plain untruncated"] = measure(plain_G, z, classifiers)
    curve = []
    for psi in PSI_GRID:
        zt = truncated_normal(NUM_SAMPLES, plain_G.latent_dim, psi, torch.Generator().manual_seed(LATENT_SEED))
        point = {"psi": psi, **measure(plain_G, zt, classifiers)}
        point.pop("class shares")
        curve.append(point)
        print(f"      psi {psi:5.3f}: precision {point['precision']:.1%}, recall {point['recall']:.1%}, "
              f"confident {point['confident plain']:.1%} / {point['confident strict']:.1%}", flush=True)
    record["plain curve"] = curve
    record["plain matched"] = match_recall(curve, record["cells"]["recall"])
    if record["plain matched"] is None:
        raise RunError(f"seed {seed}: no psi of the grid brings the plain model's recall to the cells model's "
                       f"{record['cells']['recall']:.1%}; widen PSI_GRID")
    record["purity cells"] = purity_record(cells_G, classifiers["plain"], num_cells)
    record["purity plain"] = purity_record(plain_G, classifiers["plain"], num_cells)
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", nargs="+", type=Path, required=True, help="--out folders of cells runs")
    parser.add_argument("--plain", nargs="*", type=Path, default=[],
                        help="--out folders of plain runs with other seeds (seed 0 is the shipped generator)")
    parser.add_argument("--into", type=Path, default=weights.weights_dir() / weights.MANIFEST)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    start = time.perf_counter()
    shipped = json.loads(args.into.read_text(encoding="utf-8"))
    want_plain = collect_seeds.recipe(shipped["generator"]["training"]["command"])
    cells_preset = dcgan.PRESETS["digits32_cells"]
    want_cells = {**want_plain, "cells": cells_preset["cells"], "gap": cells_preset["gap"]}
    try:
        runs = {"cells": [load_run(folder, want_cells) for folder in args.cells],
                "plain": [load_run(folder, want_plain) for folder in [args.into.parent, *args.plain]]}
    except RunError as exc:
        print(exc, file=sys.stderr)
        return 2
    by_seed = {}
    for kind, loaded in runs.items():
        seeds = [manifest["generator"]["training"]["seed"] for manifest, _ in loaded]
        if len(set(seeds)) != len(seeds):
            print(f"two {kind} runs share a seed: {seeds}", file=sys.stderr)
            return 2
        by_seed[kind] = dict(zip(seeds, loaded))
    missing = sorted(set(by_seed["cells"]) - set(by_seed["plain"]))
    if missing:
        print(f"no plain run for the seeds {missing} of the cells runs: pass its folder with --plain", file=sys.stderr)
        return 2
    classifiers = {kind: quality.load_classifier(kind) for kind in quality.OUTLIER_WEIGHTS}
    records = []
    for i, seed in enumerate(sorted(by_seed["cells"]), 1):
        (cells_manifest, cells_G), (plain_manifest, plain_G) = by_seed["cells"][seed], by_seed["plain"][seed]
        print(f"[{i}/{len(by_seed['cells'])}] seed {seed}: the cells generator, then the plain one over "
              f"{len(PSI_GRID)} values of psi", flush=True)
        try:
            record = compare(seed, cells_G, plain_G, classifiers, cells_preset["cells"])
        except RunError as exc:
            print(exc, file=sys.stderr)
            return 2
        record["trained with"] = {"cells": cells_manifest["generator"]["training"]["command"],
                                  "plain": plain_manifest["generator"]["training"]["command"]}
        cells, matched = record["cells"], record["plain matched"]
        print(f"      cells: precision {cells['precision']:.1%}, recall {cells['recall']:.1%}; plain at psi "
              f"{matched['psi']:.2f}: precision {matched['precision']:.1%}; cells mostly one digit: "
              f"{record['purity cells']['mostly one digit']['0.5']} of {cells_preset['cells']}", flush=True)
        records.append(record)
    shipped["beyond_dcgan"] = {"cells_vs_truncation": {
        "command": "python scripts/compare_cells.py " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "preset": "digits32_cells", "num_samples": NUM_SAMPLES, "latent_seed": LATENT_SEED,
        "yardstick": "evaluation.assess_samples with the shipped classifiers (as generator.seeds)",
        "truncation": "latent.truncated_normal: every |z_i| > psi drawn again (Brock et al., 2019)",
        "psi_grid": list(PSI_GRID), "matching": MATCHING, "purity": PURITY,
        "seeds": records, "summary": summary(records)}}
    args.into.write_text(json.dumps(shipped, indent=2) + "\n", encoding="utf-8")
    print(f"{args.into}: beyond_dcgan.cells_vs_truncation for seeds {sorted(by_seed['cells'])} "
          f"({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
