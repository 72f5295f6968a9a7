"""Every intermediate array of the zero-insertion view, kept for drawing and for captions.

:func:`conv_transpose2d_stages` computes one 2-D input with one 2-D kernel the way chapters 2-5
describe it, and returns each stage: the zeros inserted, the processing image with the role of
every cell, the flipped kernel and the output.
Introduced in chapters/02_stride.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike

from ..i18n import message
from .arguments import as_array, conv_transpose_problem
from .arithmetic import IntOrPair, implicit_padding
from .reference import correlate, processing_image, zero_insert


@dataclass
class Stages:
    """The intermediate arrays of the zero-insertion view, for one 2-D input and kernel.

    ``roles`` labels each cell of ``processing`` with a :class:`Role`: 0 inserted zero, 1 input value,
    2 implicit border, 3 output_padding extension. ``border`` is
    ``(top, bottom, left, right)``; negative values mean cropping. ``stride``,
    ``padding`` and ``output_padding`` are the layer's (height, width) arguments, recorded
    so that captions never have to guess them from array shapes.
    Returned by :func:`conv_transpose2d_stages`; the chapters read its fields but never name the
    class.
    """

    x: np.ndarray
    kernel: np.ndarray
    inserted: np.ndarray
    border: tuple
    processing: np.ndarray
    roles: np.ndarray
    flipped: np.ndarray
    dilation: tuple
    output: np.ndarray
    stride: tuple = (1, 1)
    padding: tuple = (0, 0)
    output_padding: tuple = (0, 0)

    def window(self, row: int, col: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and columns of ``processing`` that output cell (row, col) reads."""
        dh, dw = self.dilation
        kh, kw = self.kernel.shape
        return row + dh * np.arange(kh), col + dw * np.arange(kw)

    def products(self, row: int, col: int) -> np.ndarray:
        """Element-wise products of the flipped kernel and the window under it."""
        rows, cols = self.window(row, col)
        return self.processing[np.ix_(rows, cols)] * self.flipped


class Role(IntEnum):
    """The role of a processing-image cell; the explorer's ``ROLES`` (static/tconv.mjs) use these names, in this order."""

    INSERTED = 0   # a zero inserted between input values
    INPUT = 1      # an input value
    BORDER = 2     # the implicit zero border
    EXTRA = 3      # a zero row or column that output_padding adds


INPUT_ROLES = {Role.INSERTED: "inserted zero", Role.INPUT: "input", Role.BORDER: "implicit border",
               Role.EXTRA: "output_padding"}   # the keys of grids.PALETTE; the legend's labels are messages roles.*


def conv_transpose2d_stages(x: ArrayLike, kernel: ArrayLike, stride: IntOrPair = 1, padding: IntOrPair = 0,
                            output_padding: IntOrPair = 0, dilation: IntOrPair = 1) -> Stages:
    """All stages of ConvTranspose2d for a 2-D input (H, W) and a 2-D kernel (kH, kW)."""
    x, kernel = as_array(x, "x"), as_array(kernel, "kernel")
    if x.ndim != 2 or kernel.ndim != 2:
        raise ValueError(message("stages.not_2d", x=x.shape, kernel=kernel.shape))
    prob = conv_transpose_problem(x[None, None], kernel[None, None], None, stride, padding, output_padding, 1,
                                  dilation)
    layer = (prob.kernel, prob.stride, prob.padding, prob.output_padding, prob.dilation)
    inserted = zero_insert(prob.x[0, 0], prob.stride)
    bh, bw = implicit_padding(prob.kernel, prob.padding, prob.dilation)
    border = (bh, bh + prob.output_padding[0], bw, bw + prob.output_padding[1])
    processing = processing_image(prob.x[0, 0], *layer)
    roles = processing_image(np.full_like(prob.x[0, 0], Role.INPUT, dtype=np.int8), *layer, fill=Role.BORDER)
    size = processing.shape
    op_rows = np.arange(size[0]) - bh >= inserted.shape[0] + max(bh, 0)
    op_cols = np.arange(size[1]) - bw >= inserted.shape[1] + max(bw, 0)
    roles[op_rows, :] = Role.EXTRA
    roles[:, op_cols] = Role.EXTRA
    flipped = prob.weight[0, 0, ::-1, ::-1]
    output = correlate(processing[None, None], flipped[None, None].copy(), prob.dilation)[0, 0]
    return Stages(prob.x[0, 0], prob.weight[0, 0], inserted, border, processing, roles, flipped,
                  prob.dilation, output, prob.stride, prob.padding, prob.output_padding)
