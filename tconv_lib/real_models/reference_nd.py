"""Transposed convolution on any number of axes, by zero insertion, in NumPy.

The zero-insertion method of :mod:`tconv_lib.foundations.reference` (chapters 2-5) is written
for any number of spatial axes; this is its entry point for 1, 2 or 3 (or more) of them:

1. insert ``stride - 1`` zeros between neighbouring input values along every
   axis, then put a border of ``dilation*(kernel_size-1) - padding`` zeros on
   both sides of each axis (a negative border crops) plus ``output_padding``
   extra zeros on the high side;
2. run an ordinary stride-1 cross-correlation with the kernel flipped along
   every spatial axis and its two channel axes swapped.

Every axis follows the same rule on its own, so the output size on each axis is
:func:`tconv_lib.foundations.arithmetic.conv_transpose_output_size`. Tensors are
(N, C_in, *spatial); ``weight`` is (C_in, C_out/groups, *kernel) as in PyTorch.

Introduced in chapters/13_other_dimensions_and_compounding.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..foundations.arguments import as_array, conv_transpose_problem
from ..foundations.arithmetic import IntOrPair
from ..foundations.reference import by_zero_insertion
from ..i18n import message


def conv_transpose_nd(x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None = None, stride: IntOrPair = 1,
                      padding: IntOrPair = 0, output_padding: IntOrPair = 0, groups: int = 1,
                      dilation: IntOrPair = 1) -> np.ndarray:
    """``F.conv_transpose1d/2d/3d`` by zero insertion: (N, C_in, *spatial) -> (N, C_out, *out).

    ``stride, padding, output_padding, dilation`` are ints or tuples with one value
    per spatial axis; the number of axes is ``weight.ndim - 2``.
    """
    x, weight = as_array(x, "x"), as_array(weight, "weight")
    if x.ndim != weight.ndim or x.ndim < 3:
        raise ValueError(message("reference_nd.x", n=weight.ndim - 2, weight=weight.shape, shape=x.shape))
    prob = conv_transpose_problem(x, weight, bias, stride, padding, output_padding, groups, dilation, ndim=None)
    return prob.finish(by_zero_insertion(prob))
