"""The arguments of conv2d and conv_transpose2d, checked the way PyTorch checks them.

:func:`prepare` turns a call's arguments into a :class:`Problem`: every array a 4-D ndarray of
one float dtype, every per-axis setting a (height, width) pair, the output size worked out.
Each error names the parameter and the rule, before any computation starts. The reference
functions (:mod:`.reference`, :mod:`.stages`) call it; no notebook does.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike

from .arithmetic import IntOrPair, check_params, conv_output_size, conv_transpose_output_size


def as_array(value: ArrayLike, name: str) -> np.ndarray:
    """``value`` as a real-valued ndarray, or a TypeError naming ``name``. Not called in the book."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists, exotic objects
        raise TypeError(f"{name} must be an array of real numbers: {exc}") from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers (int or float), got dtype {arr.dtype}")
    return arr


def check_groups(groups: int) -> int:
    """``groups`` as a positive int, or an error naming it. Not called in the book."""
    if isinstance(groups, bool) or not isinstance(groups, Integral):
        raise TypeError(f"groups must be an int, got {groups!r}")
    if groups < 1:
        raise ValueError(f"groups must be positive, got {groups}")
    return int(groups)


@dataclass
class Problem:
    """The checked arguments of one call, every per-axis value a (height, width) pair.

    Made by :func:`prepare`; not named in the book.
    """

    x: np.ndarray          # always 4-D here
    weight: np.ndarray
    bias: np.ndarray | None
    batched: bool
    groups: int
    kernel: tuple
    stride: tuple
    padding: tuple
    output_padding: tuple
    dilation: tuple
    out_channels: int
    out_hw: tuple
    dtype: np.dtype

    def finish(self, out: np.ndarray) -> np.ndarray:
        """Add the bias, cast, and drop the batch axis if the input had none."""
        if self.bias is not None:
            out = out + self.bias.reshape(1, -1, 1, 1)
        out = np.ascontiguousarray(out, dtype=self.dtype)
        return out if self.batched else out[0]


def prepare(x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None, stride: IntOrPair, padding: IntOrPair,
            output_padding: IntOrPair, groups: int, dilation: IntOrPair, transposed: bool) -> Problem:
    """Check every argument before any computation, naming the parameter and the rule.

    x: (N, C_in, H, W) or (C_in, H, W); weight: (C_in, C_out/groups, kH, kW) when ``transposed``,
    else (C_out, C_in/groups, kH, kW); bias: (C_out,) or None. Used by the reference functions
    (:mod:`.reference`, :mod:`.stages`) and ``benchmarks/tuned_gemm.py``; not called in the book.
    """
    x, weight = as_array(x, "x"), as_array(weight, "weight")
    if x.ndim not in (3, 4):
        raise ValueError(f"x must be 3-D (C, H, W) or 4-D (N, C, H, W), got {x.ndim}-D shape {x.shape}")
    layout = "(in_channels, out_channels/groups, kH, kW)" if transposed else "(out_channels, in_channels/groups, kH, kW)"
    if weight.ndim != 4:
        raise ValueError(f"weight must be 4-D {layout}, got {weight.ndim}-D shape {weight.shape}")
    groups = check_groups(groups)
    params = check_params(weight.shape[2:], stride, padding, output_padding if transposed else 0, dilation)
    batched = x.ndim == 4
    x4 = x if batched else x[None]
    channels = x4.shape[1]
    if channels < 1 or weight.shape[1] < 1:
        side = "x.shape[1] (in_channels)" if channels < 1 else "weight.shape[1]"
        raise ValueError(f"{side} must be positive: a layer with 0 channels has nothing to compute, "
                         f"got x of shape {x.shape} and weight of shape {weight.shape}")
    if channels % groups:
        raise ValueError(f"in_channels ({channels}) must be divisible by groups ({groups})")
    if transposed:
        if weight.shape[0] != channels:
            raise ValueError(f"weight.shape[0] ({weight.shape[0]}) must equal the input's channels ({channels}): "
                             f"ConvTranspose2d weight is {layout}")
        out_channels = weight.shape[1] * groups
        out_hw = conv_transpose_output_size(tuple(x4.shape[2:]), *(params[n] for n in
                                            ("kernel_size", "stride", "padding", "output_padding", "dilation")))
    else:
        if weight.shape[0] % groups:
            raise ValueError(f"out_channels ({weight.shape[0]}) must be divisible by groups ({groups})")
        if weight.shape[1] * groups != channels:
            raise ValueError(f"weight.shape[1] * groups ({weight.shape[1]} * {groups}) must equal the input's "
                             f"channels ({channels}): Conv2d weight is {layout}")
        out_channels = weight.shape[0]
        if min(x4.shape[2:]) < 1:
            raise ValueError(f"size must be positive, got {tuple(x4.shape[2:])}")
        out_hw = conv_output_size(tuple(x4.shape[2:]), params["kernel_size"], params["stride"],
                                  params["padding"], params["dilation"])
    arrays = [x4, weight]
    if bias is not None:
        bias = as_array(bias, "bias")
        if bias.shape != (out_channels,):
            raise ValueError(f"bias must have shape ({out_channels},) (one value per output channel), got {bias.shape}")
        arrays.append(bias)
    dtype = np.result_type(*(a.dtype for a in arrays), np.float32)
    return Problem(x4.astype(dtype, copy=False), weight.astype(dtype, copy=False),
                    None if bias is None else bias.astype(dtype, copy=False), batched, groups,
                    params["kernel_size"], params["stride"], params["padding"], params["output_padding"],
                    params["dilation"], out_channels, out_hw, np.dtype(dtype))
