"""Stacks of x2 upsampling layers, to measure how checkerboard artifacts compound.

:func:`make_stack` chains ``depth`` layers of one kind from
:func:`tconv_lib.upsampling.upsamplers.make_upsampler` (ReLU between them), so the stack
enlarges by ``2**depth``. :func:`stack_scores` scores stacks of every depth with
:func:`tconv_lib.upsampling.artifacts.checkerboard_score` at period ``2**depth`` (which also
counts the finer periods 2, 4, ... that divide it), at initialisation and after
a short training with :func:`tconv_lib.upsampling.upsamplers.train_upscaler`.

Introduced in chapters/13_other_dimensions_and_compounding.
"""
from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn

from ..foundations.arithmetic import check_int
from ..upsampling.artifacts import checkerboard_score
from ..upsampling.upsamplers import make_upsampler, train_upscaler


def make_stack(name: str, depth: int, width: int = 8, channels: int = 3, seed: int = 0) -> nn.Sequential:
    """``depth`` x2 layers ``name``: (N, channels, H, W) -> (N, channels, 2**depth H, 2**depth W).

    Inner layers have ``width`` channels and a ReLU after them; weights depend only on
    ``seed`` (the global RNG is left alone).
    """
    check_int(depth, "depth", minimum=1)
    layers = []
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for i in range(depth):
            c_in = channels if i == 0 else width
            c_out = channels if i == depth - 1 else width
            layers.append(make_upsampler(name, c_in, c_out))
            if i < depth - 1:
                layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def stack_scores(names: Iterable[str], depths: Iterable[int], image: torch.Tensor | None = None,
                 steps: int = 0, low_size: int = 8, batch_size: int = 8, lr: float = 3e-3, width: int = 8,
                 seed: int = 0, size: int = 16, seeds: Iterable[int] = (0, 1, 2)) -> dict:
    """Artifact scores of stacks: ``{(name, depth): (score at init, score after training)}``.

    With ``steps > 0`` each stack is trained on ``image`` (1, 3, H, W) to undo a
    ``2**depth`` box-downscale of random patches whose low-resolution side is
    ``low_size``; otherwise the second score repeats the first. Scores use random
    (batch 4, 3, ``size``, ``size``) inputs and ``seeds``.
    """
    seeds = tuple(seeds)
    results = {}
    for name in names:
        for depth in depths:
            model = make_stack(name, depth, width, seed=seed)
            score = lambda: checkerboard_score(model, stride=2 ** depth, size=size, seeds=seeds)  # noqa: E731
            before = score()
            if steps:
                train_upscaler(model, image, steps=steps, batch_size=batch_size, patch_size=low_size * 2 ** depth,
                               lr=lr, seed=seed, progress=False, scale=2 ** depth)
            results[name, depth] = (before, score() if steps else before)
    return results
