#!/usr/bin/env python3
"""Train the shipped DCGAN digits generator and the two quality classifiers, and record them.

Usage (from the repository root, inside the project's virtual environment):

    python scripts/train_dcgan.py                    # writes tconv_lib/gan/weights/
    python scripts/train_dcgan.py --out /tmp/try --num-epochs 20
    python scripts/train_dcgan.py --out /tmp/s1 --seed 1          # the same recipe, another seed

Steps: (1) train the two digit classifiers ("plain" and "strict") on the
training split; (2) train netG and netD (the plain DCGAN of preset "digits32";
``--cells 10 --gap 1`` gives the latent cells of preset "digits32_cells"; DiffAugment;
Adam with lr 2e-4 falling linearly to 0 over the last ``--decay-fraction`` of the epochs) for ``--num-epochs``,
optionally keeping an exponential moving average
of netG's weights (``--ema-decay``; the average is then what ships), printing
the quality every ``--eval-every`` epochs; (3) recompute the shipped netG's BatchNorm
statistics and put it in eval mode; (4) measure the final quality with both
classifiers, and improved precision and recall against the held-out digits; (5) write
the safetensors files and ``manifest.json`` (SHA-256 checksums, configuration,
training record and quality figures). Seeds are fixed and a single CPU thread
is used by default, so a rerun on the same machine and PyTorch version gives
the same files. The quality figures are printed and recorded next to the real
digits' ones; there is no pass mark.
"""
from __future__ import annotations

import argparse
import copy
import json
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch

from tconv_lib.device import get_device
from tconv_lib.gan import checkpoint, dcgan, diversity, quality, training, weights
from tconv_lib.gan.data import DigitsDataset
from tconv_lib.gan.train_config import TrainConfig
from tconv_lib.gan.weights import MANIFEST

OVERRIDABLE = ("image_size", "latent_dim", "ngf", "ndf", "cells", "gap")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=weights.weights_dir(),
                        help="folder for the weights and manifest.json (default: the package's weights/)")
    parser.add_argument("--num-epochs", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--lr-d", type=float, default=None,
                        help="netD's learning rate, if not --lr (two time-scale updates, Heusel et al. 2017)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--decay-fraction", type=float, default=0.75,
                        help="last fraction of the epochs over which lr falls linearly to 0")
    parser.add_argument("--eval-every", type=int, default=20, help="epochs between quality reports (0: never)")
    parser.add_argument("--eval-samples", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (fixed for reproducibility)")
    parser.add_argument("--classifier-epochs", type=int, default=40)
    parser.add_argument("--cutout", type=float, default=0.5,
                        help="side of DiffAugment's cut-out square as a fraction of the image side "
                             "(default: the paper's 0.5; 0: translation only)")
    parser.add_argument("--ema-decay", type=float, default=0.0,
                        help="ship an exponential moving average of netG's weights with this decay, e.g. 0.999 "
                             "(default 0: the last weights, as shipped; with the lr falling to 0 "
                             "the two barely differ)")
    parser.add_argument("--spectral-norm", action="store_true",
                        help="netD with spectral normalisation (Miyato et al. 2018) instead of BatchNorm")
    for key in OVERRIDABLE:
        default = dcgan.PRESETS["digits32"][key]
        parser.add_argument("--" + key.replace("_", "-"), type=type(default), default=None,
                            help=f"override the preset's {key} (default {default})")
    return parser.parse_args(argv)


def preset_overrides(args: argparse.Namespace) -> dict:
    """The preset keys given on the command line (a 0, as in ``--cells 0``, counts)."""
    return {key: getattr(args, key) for key in OVERRIDABLE if getattr(args, key) is not None}


def _without_out(args: list[str]) -> list[str]:
    """The command-line arguments minus ``--out``, which changes where the files go, not what they hold."""
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--out":
            skip = True
        elif not arg.startswith("--out="):
            kept.append(arg)
    return kept


def _spectral_discriminator(netD: torch.nn.Module) -> torch.nn.Module:
    """netD with every convolution spectrally normalised and its BatchNorm layers removed."""
    from torch.nn.utils.parametrizations import spectral_norm
    for name, module in list(netD.main.named_children()):
        if isinstance(module, torch.nn.Conv2d):
            setattr(netD.main, name, spectral_norm(module))
        elif isinstance(module, torch.nn.BatchNorm2d):
            setattr(netD.main, name, torch.nn.Identity())
    return netD


def _quality_record(report: quality.QualityReport) -> dict:
    """A QualityReport as rounded JSON values."""
    return {"num_samples": report.num_samples, "threshold": report.threshold,
            "generated_confident": round(report.generated_confident, 4),
            "real_confident": round(report.real_confident, 4), "ratio": round(report.ratio, 4),
            "class_shares": [round(s, 4) for s in report.class_shares]}


def _diversity_record(netG, classifier, num_samples: int, seed: int) -> dict:
    """Improved precision and recall (k = 3) of netG's samples against the held-out digits, in the
    plain classifier's penultimate features and in 16x16 pixels, next to real held-out vs training digits."""
    fake = quality.sample(netG, num_samples, seed)
    train, held = (DigitsDataset(split, image_size=16).images for split in ("train", "held_out"))
    record = {}
    for space, embed in (("features", lambda x: diversity.classifier_features(classifier, x)),
                         ("pixels", diversity.pixel_features)):
        gen = diversity.precision_recall(embed(held), embed(fake))
        real = diversity.precision_recall(embed(train), embed(held))
        record[space] = {"precision": round(gen.precision, 4), "recall": round(gen.recall, 4),
                         "real_precision": round(real.precision, 4), "real_recall": round(real.recall, 4)}
    return record


def main(argv=None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    device = get_device()
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    print(f"[1/4] classifiers: {args.classifier_epochs} epochs each on the training split", flush=True)
    held = DigitsDataset("held_out", image_size=16)
    classifiers, clf_paths, accuracies = {}, {}, {}
    for kind, outlier_weight in quality.OUTLIER_WEIGHTS.items():
        classifier = quality.train_classifier(num_epochs=args.classifier_epochs, seed=args.seed,
                                              outlier_weight=outlier_weight)
        clf_paths[kind] = args.out / quality.CLASSIFIER_FILES[kind]
        weights.save_module(classifier, clf_paths[kind])
        probs = quality.predict_proba(classifier, held.images)
        classifiers[kind] = classifier
        accuracies[kind] = float((probs.argmax(dim=1) == held.labels).float().mean())
        print(f"      {kind}: held-out accuracy {accuracies[kind]:.1%}, confident share "
              f"{quality.confident_share(probs):.1%} ({time.perf_counter() - start:.0f} s)", flush=True)

    decay_from = int(args.num_epochs * (1 - args.decay_fraction))
    lr_d = args.lr if args.lr_d is None else args.lr_d
    print(f"[2/4] DCGAN: {args.num_epochs} epochs, batch {args.batch_size}, lr {args.lr} "
          f"(netD {lr_d}; linear decay to 0 from epoch {decay_from + 1}), DiffAugment for netD", flush=True)
    torch.manual_seed(args.seed)
    netG, netD = dcgan.build_dcgan("digits32", **preset_overrides(args))
    if args.spectral_norm:
        netD = _spectral_discriminator(netD)
    netG.to(device)
    netD.to(device)
    dataset = DigitsDataset("train", image_size=netG.image_size)
    optimizers = training.make_optimizers(netG, netD, lr=args.lr)
    base_lrs = (args.lr, lr_d)
    ema = copy.deepcopy(netG) if args.ema_decay else None   # with --ema-decay, the average ships
    shipped = ema if ema is not None else netG
    recipe = TrainConfig(num_epochs=1, batch_size=args.batch_size, augment=True, cutout=args.cutout,
                         ema_decay=args.ema_decay or 0.999)
    steps, train_start = 0, time.perf_counter()
    for epoch in range(args.num_epochs):
        factor = 1.0 if epoch < decay_from else (args.num_epochs - epoch) / (args.num_epochs - decay_from)
        for optimizer, base_lr in zip(optimizers, base_lrs):
            for group in optimizer.param_groups:
                group["lr"] = base_lr * factor
        # one call per epoch: its own seed fixes this epoch's data order, latent vectors and augmentations
        history = training.train_dcgan(netG, netD, dataset, replace(recipe, seed=args.seed + epoch), device=device,
                                       optimizers=optimizers, ema=ema, progress=False)
        steps += history["steps"]
        if args.eval_every and ((epoch + 1) % args.eval_every == 0 or epoch + 1 == args.num_epochs):
            with training.batch_statistics(shipped):
                report = quality.evaluate_generator(shipped, classifiers["plain"], num_samples=args.eval_samples,
                                                    seed=args.seed)
                strict = quality.evaluate_generator(shipped, classifiers["strict"], num_samples=args.eval_samples,
                                                    seed=args.seed)
                feats = _diversity_record(shipped, classifiers["plain"], args.eval_samples, args.seed)["features"]
            print(f"      epoch {epoch + 1}: step {steps}, lr {args.lr * factor:.1e}, "
                  f"loss_D {history['loss_D'][-1]:.3f}, loss_G {history['loss_G'][-1]:.3f}, "
                  f"confident ratio plain {report.ratio:.1%} strict {strict.ratio:.1%}, "
                  f"precision {feats['precision']:.1%} recall {feats['recall']:.1%}, "
                  f"smallest class {min(report.class_shares):.1%} ({time.perf_counter() - train_start:.0f} s)",
                  flush=True)
    train_seconds = time.perf_counter() - train_start

    print("[3/4] BatchNorm statistics recomputed; netG in eval mode", flush=True)
    netG = shipped
    training.recalibrate_batchnorm(netG, seed=args.seed)
    netG.cpu()
    reports = {kind: quality.evaluate_generator(netG, clf, num_samples=args.eval_samples, seed=args.seed)
               for kind, clf in classifiers.items()}
    for kind, report in reports.items():
        print(f"[4/4] final quality (eval mode), {kind} classifier:\n" + report.summary(), flush=True)
    variety = _diversity_record(netG, classifiers["plain"], args.eval_samples, args.seed)
    print(f"      precision and recall (k = 3) against the held-out digits: {variety}", flush=True)

    gen_path = args.out / checkpoint.GENERATOR_FILE
    checkpoint.save_generator(netG, gen_path)
    for path in (gen_path, *clf_paths.values()):
        path.chmod(0o644)  # safetensors writes owner-only files; package data must be readable by all
    total_seconds = time.perf_counter() - start
    manifest = {
        "files": {p.name: {"sha256": weights.sha256_file(p), "bytes": p.stat().st_size}
                  for p in (gen_path, *clf_paths.values())},
        "generator": {
            "file": gen_path.name,
            "config": netG.config,
            "training": {"command": " ".join(["python scripts/train_dcgan.py"]
                                             + _without_out(sys.argv[1:] if argv is None else argv)),
                         "seed": args.seed, "num_epochs": args.num_epochs, "steps": steps,
                         "batch_size": args.batch_size, "lr": args.lr, "lr_d": lr_d, "betas": [0.5, 0.999],
                         "lr_decay": f"linear to 0 over the last {args.decay_fraction:.0%} of the epochs",
                         "augment": ("DiffAugment translation" + (f" + cutout {args.cutout:g}" if args.cutout else "")
                                     + " (netD's inputs)"),
                         "ema_decay": args.ema_decay,
                         "threads": args.threads, "device": device.type, "gan_seconds": round(train_seconds, 1),
                         "total_seconds": round(total_seconds, 1), "torch": torch.__version__,
                         "python": platform.python_version(), "machine": platform.machine()},
            "quality": {kind: _quality_record(report) for kind, report in reports.items()},
            "precision_recall": {"k": diversity.K_NEIGHBOURS, "num_samples": args.eval_samples,
                                 "reference": "held-out digits (16x16)", "real": "held-out vs training digits",
                                 "feature_net": "plain classifier, penultimate layer", **variety},
        },
        "classifiers": {kind: {"file": clf_paths[kind].name, "outlier_weight": quality.OUTLIER_WEIGHTS[kind],
                               "epochs": args.classifier_epochs, "seed": args.seed,
                               "held_out_accuracy": round(accuracies[kind], 4)} for kind in classifiers},
    }
    (args.out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    sizes = ", ".join(f"{name} {entry['bytes'] / 1e6:.2f} MB" for name, entry in manifest["files"].items())
    print(f"wrote {args.out}: {sizes}; GAN training {train_seconds:.0f} s, total {total_seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
