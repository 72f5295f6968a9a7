"""The worked examples of chapters 1-5: one 2x2 input, the identity kernel, four layer settings.

The settings and their outputs are those that source article A checks ConvTranspose2d with
(see the references page); the chapters, the explorer's presets, the exercise checks and the
tests all take them from here. Each is named by what it is, e.g. "stride 2, padding 1".
Introduced in chapters/02_stride.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # torch loads only when a layer is made
    from torch import nn

X = np.array([[1.0, 2.0], [3.0, 4.0]])          # the input, shape (H, W) = (2, 2)
IDENTITY = np.array([[1.0, 0.0], [0.0, 1.0]])   # the kernel, shape (kH, kW) = (2, 2)

# name -> (stride, padding, output_padding) and the output PyTorch gives for X and IDENTITY
WORKED: dict[str, tuple[tuple[int, int, int], list[list[int]]]] = {
    "stride 2, padding 1": ((2, 1, 0), [[1, 0], [0, 4]]),
    "stride 3, padding 1": ((3, 1, 0), [[1, 0, 0], [0, 0, 0], [0, 0, 4]]),
    "stride 2, padding 0": ((2, 0, 0), [[1, 0, 2, 0], [0, 1, 0, 2], [3, 0, 4, 0], [0, 3, 0, 4]]),
    "stride 2, padding 1, output_padding 1": ((2, 1, 1), [[1, 0, 2], [0, 4, 0], [3, 0, 4]]),
}


def example_layer(stride: int, padding: int = 0, output_padding: int = 0) -> nn.ConvTranspose2d:
    """``nn.ConvTranspose2d(1, 1, kernel_size=2, ...)`` with the IDENTITY kernel and no bias.

    Returns the torch module; input (N, 1, H, W) -> (N, 1, H_out, W_out).
    """
    import torch
    from torch import nn

    layer = nn.ConvTranspose2d(1, 1, kernel_size=2, stride=stride, padding=padding,
                               output_padding=output_padding, bias=False)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(IDENTITY, dtype=torch.float32)[None, None])
    return layer
