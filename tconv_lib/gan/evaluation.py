"""One quality report for a generator: realism, variety and class coverage, next to real digits.

``assess_generator(netG)`` draws 2,000 samples and measures them four ways,
each next to the same figure for real digits (the ceiling):

* **confident share** (plain and strict classifier): is each image a clear digit?
* **class histogram**: do all ten digits appear (a hole means a missing mode)?
* **precision** (classifier features): do the samples lie where real digits lie?
* **recall** (classifier features): do the samples cover the real digits' variety?

Precision and recall are also given in pixel space, for comparison. The real
reference for the generated samples is the held-out split; the ceiling is the
held-out split measured against the training split (see
:mod:`tconv_lib.gan.diversity`). There is no pass mark: each figure is read
against the real digits' one. ``report.plot()`` draws the samples, the
histogram and every figure next to the real one in one figure.

Introduced in chapters/11_training_a_dcgan.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from ..i18n import message, pad
from . import diversity, quality
from .data import DigitsDataset, make_grid

if TYPE_CHECKING:  # annotations only: matplotlib loads when a figure is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


@dataclass(frozen=True, repr=False)
class GeneratorReport:
    """Quality figures of one set of generated digits, each with the real digits' figure.

    Returned by :func:`assess_generator`.
    """

    name: str
    num_samples: int
    confident: Mapping[str, quality.QualityReport]   # by classifier kind: "plain", "strict"
    features: diversity.PrecisionRecall              # generated vs held-out, classifier features
    features_real: diversity.PrecisionRecall         # held-out vs training (the ceiling)
    pixels: diversity.PrecisionRecall
    pixels_real: diversity.PrecisionRecall
    real_class_shares: tuple                         # plain classifier's classes of held-out digits
    samples: torch.Tensor = field(compare=False)     # the first 64 samples, for the picture

    @property
    def class_shares(self) -> tuple:
        """Share of samples per predicted class 0..9 (plain classifier)."""
        return self.confident["plain"].class_shares

    def figures(self) -> dict[str, tuple[float, float]]:
        """``{measure: (generated, real)}`` for the confident shares, precision and recall."""
        plain, strict = self.confident["plain"], self.confident["strict"]
        return {"confident plain": (plain.generated_confident, plain.real_confident),
                "confident strict": (strict.generated_confident, strict.real_confident),
                "precision": (self.features.precision, self.features_real.precision),
                "recall": (self.features.recall, self.features_real.recall)}

    def ratios(self) -> dict[str, float]:
        """Generated figure / real figure for each measure of :meth:`figures`."""
        return {k: (g / r if r else float("nan")) for k, (g, r) in self.figures().items()}

    def __repr__(self) -> str:
        ratios = self.ratios()
        lines = [message("evaluation.title", name=self.name, n=self.num_samples),
                 f"  {pad(message('evaluation.measure'), 18)} {pad(message('evaluation.generated'), 9, '>')} "
                 f"{pad(message('evaluation.real'), 6, '>')} {pad(message('evaluation.ratio'), 6, '>')}"]
        for key, (gen, real) in self.figures().items():
            lines.append(f"  {pad(_measure(key), 18)} {gen:9.1%} {real:6.1%} {ratios[key]:6.0%}")
        for key, pr, real in (("pixel precision", self.pixels.precision, self.pixels_real.precision),
                              ("pixel recall", self.pixels.recall, self.pixels_real.recall)):
            lines.append(f"  {pad(_measure(key), 18)} {pr:9.1%} {real:6.1%} {pr / real:6.0%}")
        rarest = int(np.argmin(self.class_shares))
        lines.append("  " + message("evaluation.rarest", digit=rarest, share=self.class_shares[rarest]))
        lines.append("  " + message("evaluation.class_shares",
                                    shares=" ".join(f"{d}:{s:.0%}" for d, s in enumerate(self.class_shares))))
        return "\n".join(lines)

    def plot(self, axes: Sequence[Axes] | None = None) -> Figure:
        """Samples, class histogram and every measure next to the real digits'; returns the Figure.

        ``axes``: three matplotlib axes to draw into (else a new figure that fits the book's
        column: samples and histogram side by side, the measures below).
        """
        if axes is None:
            from matplotlib.figure import Figure

            axes = _report_axes(Figure(figsize=(6.6, 5.2), layout="constrained"))
        ax_grid, ax_hist, ax_bars = axes
        show_samples(ax_grid, self.samples[:64], nrow=8, title=message("evaluation.samples", name=self.name, n=64))
        classes = np.arange(10)
        real, generated = message("evaluation.bar_real"), message("evaluation.bar_generated")
        ax_hist.bar(classes - 0.2, self.real_class_shares, width=0.4, color="tab:gray", label=real)
        ax_hist.bar(classes + 0.2, self.class_shares, width=0.4, color="tab:blue", label=generated)
        ax_hist.axhline(0.1, color="black", linestyle=":", linewidth=1)
        ax_hist.set_xticks(classes)
        ax_hist.set_ylim(0, max(0.3, max(self.class_shares) * 1.15))
        ax_hist.set_title(message("evaluation.histogram"), fontsize=9)
        ax_hist.legend(frameon=False, fontsize=7, ncols=2, loc="upper left")
        names = [message(f"evaluation.bar_{key}") for key in ("confident_plain", "confident_strict", "precision", "recall",
                                                               "pixel_precision", "pixel_recall")]
        pairs = list(self.figures().values()) + [(self.pixels.precision, self.pixels_real.precision),
                                                 (self.pixels.recall, self.pixels_real.recall)]
        x = np.arange(len(pairs))
        ax_bars.bar(x - 0.2, [r for _, r in pairs], width=0.4, color="tab:gray", label=real)
        ax_bars.bar(x + 0.2, [g for g, _ in pairs], width=0.4, color="tab:blue", label=generated)
        ax_bars.set_xticks(x, names, fontsize=7)
        ax_bars.set_ylim(0, 1.2)
        ax_bars.set_title(message("evaluation.versus"), fontsize=9)
        ax_bars.legend(frameon=False, fontsize=7, ncols=2, loc="upper left")
        return ax_grid.figure


def _measure(key: str) -> str:
    """The printed name of a measure of :meth:`GeneratorReport.figures` ("confident plain"), in the current language."""
    return message("evaluation.measure_" + key.replace(" ", "_"))


def show_samples(ax: Axes, images: torch.Tensor, nrow: int = 8, title: str | None = None) -> None:
    """Draw images (n, 1, H, W) in [-1, 1] into ``ax`` as one grid, dark on light like ink on paper."""
    ax.imshow(make_grid(images, nrow=nrow)[0].numpy(), cmap="gray_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)


def plot_reports(reports: Sequence[GeneratorReport]) -> Figure:
    """One panel per report (samples, histogram, measures), one above the other; returns the Figure."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.6, 4.8 * len(reports)), layout="constrained")
    panels = fig.subfigures(len(reports), 1, hspace=0.04, squeeze=False)[:, 0]
    for report, panel in zip(reports, panels):
        report.plot(_report_axes(panel))
    return fig


def _report_axes(fig) -> list:
    """The three axes of one report in ``fig`` (a Figure or SubFigure): samples | histogram, measures below."""
    axes = fig.subplot_mosaic([["grid", "hist"], ["bars", "bars"]], height_ratios=[1.25, 1])
    return [axes["grid"], axes["hist"], axes["bars"]]


@torch.no_grad()
def assess_samples(fake: torch.Tensor, name: str = "generator", classifiers: Mapping | None = None,
                   threshold: float = quality.THRESHOLD) -> GeneratorReport:
    """A :class:`GeneratorReport` for generated digits ``fake`` (n, 1, H, H) in [-1, 1], H a multiple of 16.

    ``classifiers``: ``{"plain": model, "strict": model}`` (default: the shipped ones).
    Used by :func:`assess_generator`.
    """
    classifiers = dict(classifiers) if classifiers is not None else {k: quality.load_classifier(k)
                                                                      for k in quality.OUTLIER_WEIGHTS}
    fake = fake.detach().cpu().float()
    train, held = (DigitsDataset(split, image_size=16).images for split in ("train", "held_out"))
    confident, real_shares = {}, None
    for kind in ("plain", "strict"):
        probs_fake = quality.predict_proba(classifiers[kind], fake)
        probs_real = quality.predict_proba(classifiers[kind], held)
        confident[kind] = quality.QualityReport(
            len(fake), quality.confident_share(probs_fake, threshold), quality.confident_share(probs_real, threshold),
            tuple(float(s) for s in quality.class_shares(probs_fake)), threshold)
        if kind == "plain":
            real_shares = tuple(float(s) for s in quality.class_shares(probs_real))

    def feats(x):
        return diversity.classifier_features(classifiers["plain"], x)

    return GeneratorReport(
        name, len(fake), confident,
        diversity.precision_recall(feats(held), feats(fake)), diversity.precision_recall(feats(train), feats(held)),
        diversity.precision_recall(diversity.pixel_features(held), diversity.pixel_features(fake)),
        diversity.precision_recall(diversity.pixel_features(train), diversity.pixel_features(held)),
        real_shares, fake[:64].clone())


@torch.no_grad()
def assess_generator(netG: nn.Module, name: str = "generator", num_samples: int = 2000, seed: int = 0,
                     classifiers: Mapping | None = None) -> GeneratorReport:
    """Sample ``num_samples`` digits from netG (in its current mode; z seeded by ``seed``) and assess them."""
    return assess_samples(quality.sample(netG, num_samples, seed), name, classifiers)
