"""Transposed convolution on any number of axes, by zero insertion, in NumPy.

The same two steps as the 2-D ``method="zero_insertion"`` of
:mod:`tconv_lib.foundations.reference`, written once for 1, 2 or 3 (or more) spatial axes:

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
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from ..foundations.arithmetic import IntOrPair, check_params, conv_transpose_output_size, positive_int


def zero_insert_nd(x: np.ndarray, stride: tuple[int, ...]) -> np.ndarray:
    """Insert ``stride[i] - 1`` zeros between neighbours along the last ``len(stride)`` axes.

    x: (..., *spatial) -> (..., *((n - 1) * s + 1)). Used by :func:`conv_transpose_nd`; not called in the book.
    """
    spatial = x.shape[x.ndim - len(stride):]
    out = np.zeros(x.shape[:x.ndim - len(stride)] + tuple((n - 1) * s + 1 for n, s in zip(spatial, stride)),
                   dtype=x.dtype)
    out[(Ellipsis,) + tuple(slice(None, None, s) for s in stride)] = x
    return out


def _border(arr: np.ndarray, axis: int, before: int, after: int) -> np.ndarray:
    """Add zeros (positive counts) or crop (negative counts) on both ends of one axis."""
    pad = [(0, 0)] * arr.ndim
    pad[axis] = (max(before, 0), max(after, 0))
    arr = np.pad(arr, pad)
    index = [slice(None)] * arr.ndim
    index[axis] = slice(max(-before, 0), arr.shape[axis] - max(-after, 0))
    return arr[tuple(index)]


def conv_transpose_nd(x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None = None, stride: IntOrPair = 1,
                      padding: IntOrPair = 0, output_padding: IntOrPair = 0, groups: int = 1,
                      dilation: IntOrPair = 1) -> np.ndarray:
    """``F.conv_transpose1d/2d/3d`` by zero insertion: (N, C_in, *spatial) -> (N, C_out, *out).

    ``stride, padding, output_padding, dilation`` are ints or tuples with one value
    per spatial axis. Introduced in chapters/13_other_dimensions_and_compounding.
    """
    x, weight = np.asarray(x), np.asarray(weight)
    ndim = weight.ndim - 2
    if ndim < 1 or x.ndim != ndim + 2:
        raise ValueError(f"x must be (N, C_in, *spatial) with {ndim} spatial axes to match weight "
                         f"{weight.shape}, got shape {x.shape}")
    positive_int(groups, "groups")
    if x.shape[1] != weight.shape[0] or x.shape[1] % groups:
        raise ValueError(f"in_channels ({x.shape[1]}) must equal weight.shape[0] ({weight.shape[0]}) "
                         f"and be divisible by groups ({groups})")
    p = check_params(weight.shape[2:], stride, padding, output_padding, dilation, ndim=ndim)
    out_size = conv_transpose_output_size(x.shape[2:], weight.shape[2:], p["stride"], p["padding"],
                                          p["output_padding"], p["dilation"])
    dtype = np.result_type(x.dtype, weight.dtype, np.float32)
    canvas = zero_insert_nd(x.astype(dtype), p["stride"])
    for axis, (k, pad, op, d) in enumerate(zip(*(p[n] for n in ("kernel_size", "padding", "output_padding",
                                                                  "dilation")))):
        border = d * (k - 1) - pad
        canvas = _border(canvas, axis + 2, border, border + op)
    n, cin = x.shape[:2]
    cin_g, cout_g = cin // groups, weight.shape[1]
    flipped = weight[(slice(None), slice(None)) + (slice(None, None, -1),) * ndim].astype(dtype)
    outputs = []
    for g in range(groups):
        part = canvas[:, g * cin_g:(g + 1) * cin_g]
        span = tuple(d * (k - 1) + 1 for k, d in zip(p["kernel_size"], p["dilation"]))
        windows = sliding_window_view(part, span, axis=tuple(range(2, ndim + 2)))
        windows = windows[(Ellipsis,) + tuple(slice(None, None, d) for d in p["dilation"])]
        # windows: (N, cin_g, *out, *kernel); weight group: (cin_g, cout_g, *kernel)
        kernel_axes = tuple(range(ndim + 2, 2 * ndim + 2))
        w = flipped[g * cin_g:(g + 1) * cin_g]
        y = np.tensordot(windows, w, axes=((1,) + kernel_axes, (0,) + tuple(range(2, ndim + 2))))
        outputs.append(np.moveaxis(y, -1, 1))  # (N, *out, cout_g) -> (N, cout_g, *out)
    out = np.concatenate(outputs, axis=1)
    if bias is not None:
        out = out + np.asarray(bias, dtype=dtype).reshape((1, -1) + (1,) * ndim)
    assert out.shape == (n, cout_g * groups) + tuple(np.atleast_1d(out_size)), (out.shape, out_size)
    return out
