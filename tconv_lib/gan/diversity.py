"""Realism and variety of generated samples: improved precision and recall (Kynkaenniemi et al., 2019).

Each set of samples, embedded as feature vectors, stands for a *manifold*:
the union of balls around its points, each ball reaching out to that point's
k-th nearest neighbour within the same set (k = 3 as in the paper).

* **precision** = share of generated samples that fall inside the manifold
  of the real samples (are the generated images realistic?);
* **recall** = share of real samples that fall inside the manifold of the
  generated samples (does the generator cover the real variety?).

Copies of one good image have high precision and recall near 0; noise has
precision near 0. Features are the quality classifier's penultimate layer
(what a digit recogniser looks at) or plain pixels (for comparison).

Introduced in chapters/11_training_a_dcgan.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn

from ..i18n import message
from .quality import to_16x16

K_NEIGHBOURS = 3       # the paper's default


def _as_matrix(name: str, x) -> np.ndarray:
    """``x`` as a float64 array (n, d); a torch tensor or image batch (n, ...) is flattened."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().double().numpy()
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2 or len(x) == 0:
        raise ValueError(message("diversity.matrix", name=name, shape=x.shape))
    return x.reshape(len(x), -1)


def knn_radii(points: ArrayLike | torch.Tensor, k: int = K_NEIGHBOURS) -> np.ndarray:
    """Distance (n,) from every point of ``points`` (n, d) to its k-th nearest other point.

    Uses scikit-learn's NearestNeighbors; a point is not its own neighbour.
    Used by :func:`precision_recall`.
    """
    from sklearn.neighbors import NearestNeighbors

    points = _as_matrix("points", points)
    if not 1 <= k < len(points):
        raise ValueError(message("diversity.k", most=len(points) - 1, got=k))
    distances, _ = NearestNeighbors(n_neighbors=k + 1).fit(points).kneighbors(points)
    return distances[:, k]   # column 0 is the point itself (distance 0)


def inside_manifold(manifold: ArrayLike | torch.Tensor, radii: np.ndarray, queries: ArrayLike | torch.Tensor,
                    chunk: int = 1024) -> np.ndarray:
    """Boolean (m,): is each query (m, d) within ``radii[i]`` of some ``manifold[i]`` (n, d)?

    Used by :func:`precision_recall`.
    """
    manifold, queries = _as_matrix("manifold", manifold), _as_matrix("queries", queries)
    if manifold.shape[1] != queries.shape[1] or len(radii) != len(manifold):
        raise ValueError(message("diversity.agree", manifold=manifold.shape, radii=len(radii), queries=queries.shape))
    sq_norms = (manifold ** 2).sum(axis=1)
    result = np.empty(len(queries), dtype=bool)
    for start in range(0, len(queries), chunk):
        q = queries[start:start + chunk]
        sq = (q ** 2).sum(axis=1)[:, None] + sq_norms[None, :] - 2.0 * q @ manifold.T
        result[start:start + chunk] = (np.sqrt(np.maximum(sq, 0.0)) <= radii[None, :]).any(axis=1)
    return result


@dataclass(frozen=True)
class PrecisionRecall:
    """Improved precision and recall of one sample set against one reference set.

    Returned by :func:`precision_recall`.
    """

    precision: float   # share of samples inside the reference manifold (realism)
    recall: float      # share of the reference inside the samples' manifold (variety)
    k: int = K_NEIGHBOURS

    def __repr__(self) -> str:
        return f"PrecisionRecall(precision={self.precision:.1%}, recall={self.recall:.1%}, k={self.k})"


def precision_recall(reference: ArrayLike | torch.Tensor, samples: ArrayLike | torch.Tensor,
                     k: int = K_NEIGHBOURS) -> PrecisionRecall:
    """Improved precision and recall of ``samples`` (m, d) against ``reference`` (n, d)."""
    reference, samples = _as_matrix("reference", reference), _as_matrix("samples", samples)
    precision = inside_manifold(reference, knn_radii(reference, k), samples).mean()
    recall = inside_manifold(samples, knn_radii(samples, k), reference).mean()
    return PrecisionRecall(float(precision), float(recall), k)


@torch.no_grad()
def classifier_features(classifier: nn.Module, images: torch.Tensor, batch_size: int = 500) -> torch.Tensor:
    """Penultimate features (n, F) of a quality classifier for images (n, 1, H, H) in [-1, 1].

    For :class:`tconv_lib.gan.quality.DigitClassifier` these are the 32 x 4 x 4 = 512
    activations that its last linear layer turns into class logits. Images larger
    than 16x16 are first averaged down to 16x16, exactly as the classifier sees them.
    """
    classifier = classifier.cpu().eval()
    images = pixel_features(images).view(-1, 1, 16, 16)
    return torch.cat([classifier.features(images[i:i + batch_size]).flatten(1)
                      for i in range(0, len(images), batch_size)])


def pixel_features(images: torch.Tensor) -> torch.Tensor:
    """Images (n, 1, H, H), H a multiple of 16, averaged down to 16x16 and flattened: (n, 256).

    Used by :func:`classifier_features` and :func:`tconv_lib.gan.evaluation.assess_samples` (precision
    and recall in pixel space).
    """
    return to_16x16(images).flatten(1)
