"""How good are generated digits? An independent classifier and two numbers that answer it.

A small CNN is trained on the training split of the bundled digits (never on
GAN output). It then scores images of shape (n, 1, 16, 16) in [-1, 1] (or
larger, reduced to 16x16 first):

* the *confident share*: fraction of images whose top class probability
  exceeds 0.9, for generated digits next to the same figure for real held-out
  digits;
* the *class histogram* of generated digits: a class that (almost) never
  appears is the signature of mode collapse.

Two classifiers are shipped: ``"plain"`` (trained on digits only) and
``"strict"``, which was also trained to be unsure about
non-digits and so never mistakes noise for a confident digit. Variety
(improved precision and recall) is measured in :mod:`tconv_lib.gan.diversity`;
:mod:`tconv_lib.gan.evaluation` puts every figure into one report.

Introduced in chapters/11_training_a_dcgan.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..i18n import message
from .data import DigitsDataset
from .training import shift_images

# Two classifiers, same network and data, one difference: "strict" was also taught to be unsure about
# non-digits (outlier exposure); "plain" was not, and is confidently wrong about some noise images.
OUTLIER_WEIGHTS = {"plain": 0.0, "strict": 0.5}
CLASSIFIER_FILES = {kind: f"digit_classifier_{kind}.safetensors" for kind in OUTLIER_WEIGHTS}
THRESHOLD = 0.9            # "confident" means top probability > THRESHOLD
_BLUR = (torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16).view(1, 1, 3, 3)


class DigitClassifier(nn.Module):
    """Small CNN: images (n, 1, 16, 16) in [-1, 1] -> class logits (n, 10).

    Trained by :func:`train_classifier`, loaded by :func:`load_classifier`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 16 -> 8
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 8 -> 4
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(32 * 4 * 4, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def _augment(images: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Random variations that keep a digit a digit: shifts of up to one pixel, lower contrast,
    a brightness offset, a slight blur (a third of the images) and faint pixel noise."""
    n, _, h, w = images.shape
    dy, dx = torch.randint(0, 3, (2, n), generator=gen)
    out = shift_images(images, dy, dx, (1, 1))
    blurred = F.conv2d(F.pad(out, (1, 1, 1, 1), value=-1.0), _BLUR)
    out = torch.where(torch.rand(n, 1, 1, 1, generator=gen) < 1 / 3, blurred, out)
    contrast = 0.6 + 0.4 * torch.rand(n, 1, 1, 1, generator=gen)
    offset = (1 - contrast) * (2 * torch.rand(n, 1, 1, 1, generator=gen) - 1)
    noise = 0.1 * torch.rand(n, 1, 1, 1, generator=gen) * torch.randn(images.shape, generator=gen)
    return (contrast * out + offset + noise).clamp(-1.0, 1.0)


def _outliers(n: int, gen: torch.Generator) -> torch.Tensor:
    """``n`` images that are not digits: pixel noise, blobs (4x4 noise upsampled) and flat grey, in turn."""
    noise = torch.rand(n, 1, 16, 16, generator=gen) * 2 - 1
    blobs = F.interpolate(torch.rand(n, 1, 4, 4, generator=gen) * 2 - 1, size=16, mode="bilinear",
                          align_corners=False)
    flat = (torch.rand(n, 1, 1, 1, generator=gen) * 2 - 1).expand(n, 1, 16, 16)
    kind = (torch.arange(n) % 3).view(n, 1, 1, 1)
    return torch.where(kind == 0, noise, torch.where(kind == 1, blobs, flat))


def train_classifier(num_epochs: int = 40, batch_size: int = 64, lr: float = 1e-3, seed: int = 0,
                     outlier_weight: float = 0.0, progress: bool = False) -> DigitClassifier:
    """Train :class:`DigitClassifier` on the training split, return it in eval mode.

    Every batch of digits is varied at random (shift, contrast, brightness,
    blur, faint noise: a lighter or blurrier digit is still a digit). With
    ``outlier_weight > 0`` ("outlier exposure", Hendrycks et al., 2019) every
    batch is joined by as many non-digits (pixel noise, smooth blobs, flat
    grey) whose target is the uniform distribution, weighted by
    ``outlier_weight``, so that the classifier is not confident about images
    that are not digits (``OUTLIER_WEIGHTS["strict"]``). Deterministic on a
    given machine and thread count; well under a minute on one CPU core.

    Used by ``scripts/train_dcgan.py`` (the shipped classifiers).
    """
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    data = DigitsDataset("train", image_size=16)
    model = DigitClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for epoch in range(num_epochs):
        order = torch.randperm(len(data), generator=gen)
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            x, y = _augment(data.images[idx], gen), data.labels[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            if outlier_weight:
                log_p = torch.log_softmax(model(_outliers(len(x), gen)), dim=1)
                loss = loss - outlier_weight * log_p.mean()   # cross-entropy to the uniform distribution
            loss.backward()
            opt.step()
        if progress:
            print(message("quality.epoch", epoch=epoch + 1, epochs=num_epochs, loss=loss.item()))
    return model.eval()


def load_classifier(kind: str = "plain", path: str | Path | None = None,
                    expected_sha256: str | None = None) -> DigitClassifier:
    """A shipped classifier, ``"plain"`` or ``"strict"`` (SHA-256 verified, no pickle), in eval mode."""
    from .weights import load_into, weights_dir

    if kind not in CLASSIFIER_FILES:
        raise ValueError(message("errors.one_of", name="kind", allowed=sorted(CLASSIFIER_FILES), got=kind))
    path = Path(path) if path is not None else weights_dir() / CLASSIFIER_FILES[kind]
    return load_into(DigitClassifier(), path, expected_sha256, message("quality.weights")).eval()


@torch.no_grad()
def to_16x16(images: torch.Tensor) -> torch.Tensor:
    """Images (n, 1, H, H), H a multiple of 16, on the CPU as float32 and averaged down to (n, 1, 16, 16).

    The classifier works at 16x16. (For the bundled digits, averaging the 32x32 version gives
    exactly the 16x16 version.) Also the pixel space of :func:`tconv_lib.gan.diversity.pixel_features`.
    """
    if images.dim() != 4 or images.shape[1] != 1 or images.shape[2] != images.shape[3] or images.shape[2] % 16:
        raise ValueError(message("quality.images_16", shape=tuple(images.shape)))
    images = images.detach().cpu().float()
    return F.avg_pool2d(images, images.shape[2] // 16) if images.shape[2] != 16 else images


def predict_proba(classifier: nn.Module, images: torch.Tensor, batch_size: int = 500) -> torch.Tensor:
    """Class probabilities (n, 10) for images (n, 1, H, H) in [-1, 1] (:func:`to_16x16`), computed on the CPU."""
    classifier = classifier.cpu().eval()
    images = to_16x16(images)
    return torch.cat([torch.softmax(classifier(images[i:i + batch_size]), dim=1)
                      for i in range(0, len(images), batch_size)])


def confident_share(probs: torch.Tensor, threshold: float = THRESHOLD) -> float:
    """Fraction of rows of ``probs`` (n, 10) whose largest probability exceeds ``threshold``."""
    return float((probs.max(dim=1).values > threshold).float().mean())


def class_shares(probs: torch.Tensor) -> np.ndarray:
    """Share of images (n, 10 probabilities) predicted as each class 0..9; sums to 1."""
    counts = np.bincount(probs.argmax(dim=1).numpy(), minlength=10)
    return counts / counts.sum()


@dataclass(frozen=True)
class QualityReport:
    """Quality figures of a generator, measured by the independent classifier.

    Returned by :func:`evaluate_generator`.
    """

    num_samples: int
    generated_confident: float     # share of generated samples with confidence > threshold
    real_confident: float          # the same share for the real held-out digits
    class_shares: tuple            # predicted class shares of the generated samples, classes 0..9
    threshold: float = THRESHOLD

    @property
    def ratio(self) -> float:
        """generated_confident / real_confident (NaN if no real digit is confident)."""
        return self.generated_confident / self.real_confident if self.real_confident else float("nan")

    def summary(self) -> str:
        """Three lines: the confident shares and their ratio, the class shares, the rarest class."""
        shares = " ".join(f"{d}:{s:.1%}" for d, s in enumerate(self.class_shares))
        rarest = int(np.argmin(self.class_shares))
        return "\n".join([message("quality.confident", threshold=self.threshold, generated=self.generated_confident,
                                   real=self.real_confident, ratio=self.ratio),
                           message("quality.class_shares", shares=shares),
                           message("evaluation.rarest", digit=rarest, share=self.class_shares[rarest])])


@torch.no_grad()
def sample(netG: nn.Module, num_samples: int = 2000, seed: int = 0) -> torch.Tensor:
    """``num_samples`` images from netG (in its current mode) on the CPU, z from a CPU generator seeded
    with ``seed`` (so the figures are repeatable on any device), in batches of 500."""
    device = next(netG.parameters()).device
    z = torch.randn(num_samples, netG.latent_dim, 1, 1, generator=torch.Generator().manual_seed(seed))
    return torch.cat([netG(z[i:i + 500].to(device)).cpu() for i in range(0, num_samples, 500)])


@torch.no_grad()
def evaluate_generator(netG: nn.Module, classifier: nn.Module | str = "plain", num_samples: int = 2000,
                       seed: int = 0, threshold: float = THRESHOLD) -> QualityReport:
    """Sample ``num_samples`` digits from netG (:func:`sample`) and measure them.

    ``classifier`` is a model or the name of a shipped one (``"plain"``, ``"strict"``).
    """
    classifier = load_classifier(classifier) if isinstance(classifier, str) else classifier
    probs_fake = predict_proba(classifier, sample(netG, num_samples, seed))
    probs_real = predict_proba(classifier, DigitsDataset("held_out", image_size=16).images)
    return QualityReport(num_samples, confident_share(probs_fake, threshold),
                         confident_share(probs_real, threshold),
                         tuple(float(s) for s in class_shares(probs_fake)), threshold)
