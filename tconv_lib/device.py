"""Choosing the device, and making CPU and GPU agree to the printed precision.

Introduced in chapters/01_what_is_transposed_convolution; the notebooks that move tensors to a
device ask :func:`get_device` for it (the single layers of chapters 3-5 stay on the CPU).
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .i18n import message

if TYPE_CHECKING:  # torch loads only when a function runs
    import torch

ENV_VAR = "TCONV_DEVICE"


def set_determinism(seed: int | None = None) -> None:
    """Switch off the GPU shortcuts that make results vary between runs and devices.

    cuDNN may otherwise pick a different algorithm on each run (benchmark
    autotuning) and uses TF32 for float32 convolutions and matrix products,
    which rounds to about 3 significant digits; turning both off lets the same
    seed give the same printed numbers on CPU and GPU. ``seed`` also seeds torch.
    """
    import torch

    # cuBLAS needs a fixed workspace to be deterministic; it reads this when it starts,
    # so it must be set before the first GPU matrix product (a no-op on the CPU).
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    if seed is not None:
        torch.manual_seed(seed)


def get_device(prefer: str | None = None, deterministic: bool = True) -> torch.device:
    """The ``torch.device`` to compute on: CUDA when available, else CPU.

    ``prefer`` (or the environment variable ``TCONV_DEVICE``) forces ``"cpu"``
    or ``"cuda"``; forcing ``"cuda"`` on a machine without a GPU raises a
    ``RuntimeError`` rather than silently running on the CPU. With
    ``deterministic=True`` (default) :func:`set_determinism` is applied.
    """
    import torch

    choice = (prefer or os.environ.get(ENV_VAR, "") or "auto").strip().lower()
    if choice not in ("auto", "cpu", "cuda"):
        raise ValueError(message("device.prefer", var=ENV_VAR, got=choice))
    if choice == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(message("device.no_cuda", var=ENV_VAR))
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else "cpu"
    if deterministic:
        set_determinism()
    return torch.device(choice)
