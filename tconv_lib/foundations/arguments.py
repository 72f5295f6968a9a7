"""The arguments of a (transposed) convolution, checked the way PyTorch checks them.

:func:`conv_transpose_problem` (for ``conv_transpose2d`` and ``conv_transpose_nd``) and
:func:`conv_problem` (for ``conv2d``) each take their function's arguments, in PyTorch's order,
and return a :class:`Problem`: every array of one float dtype with a batch axis, every per-axis
setting a tuple with one int per spatial axis, the output size worked out. Each error names the
parameter and the rule, before any computation starts. The reference functions
(:mod:`.reference`, :mod:`.stages`, :mod:`tconv_lib.real_models.reference_nd`) call them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..i18n import message
from .arithmetic import IntOrPair, check_int, check_params, conv_output_size, conv_transpose_output_size

_SPATIAL = {1: "L", 2: "H, W", 3: "D, H, W"}   # the axes' names in messages, as PyTorch's docs write them


def as_array(value: ArrayLike, name: str) -> np.ndarray:
    """``value`` as a real-valued ndarray, or a TypeError naming ``name``."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists, exotic objects
        raise TypeError(message("arguments.not_array", name=name, error=exc)) from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(message("arguments.dtype", name=name, dtype=arr.dtype))
    return arr


@dataclass
class Problem:
    """The checked arguments of one call, every per-axis value a tuple with one int per spatial axis."""

    x: np.ndarray          # (N, C_in, *spatial): always with a batch axis here
    weight: np.ndarray
    bias: np.ndarray | None
    batched: bool          # whether the caller's x had the batch axis
    groups: int
    kernel: tuple
    stride: tuple
    padding: tuple
    output_padding: tuple  # all zeros for a convolution
    dilation: tuple
    out_channels: int
    out_size: tuple        # the output's spatial size, (H_out, W_out) in 2-D
    dtype: np.dtype

    def finish(self, out: np.ndarray) -> np.ndarray:
        """Add the bias, cast, and drop the batch axis if the input had none."""
        if self.bias is not None:
            out = out + self.bias.reshape((1, -1) + (1,) * (out.ndim - 2))
        out = np.ascontiguousarray(out, dtype=self.dtype)
        return out if self.batched else out[0]


def conv_transpose_problem(x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None = None, stride: IntOrPair = 1,
                           padding: IntOrPair = 0, output_padding: IntOrPair = 0, groups: int = 1,
                           dilation: IntOrPair = 1, ndim: int | None = 2) -> Problem:
    """The checked arguments of ``F.conv_transpose2d`` (``ndim=2``) or of any number of axes (``None``).

    x: (N, C_in, *spatial) or (C_in, *spatial); weight: (C_in, C_out/groups, *kernel_size);
    bias: (C_out,) or None. ``ndim=None`` takes the number of spatial axes from ``weight``.
    """
    layout = "(in_channels, out_channels/groups, kernel_size...)"
    x4, weight, groups, batched = _checked_arrays(x, weight, groups, ndim, layout)
    channels = x4.shape[1]
    if weight.shape[0] != channels:
        raise ValueError(message("arguments.in_channels", channels=channels, got=weight.shape[0], layout=layout))
    params = check_params(weight.shape[2:], stride, padding, output_padding, dilation, ndim=weight.ndim - 2)
    out_size = conv_transpose_output_size(tuple(x4.shape[2:]), *(params[n] for n in
                                          ("kernel_size", "stride", "padding", "output_padding", "dilation")))
    return _problem(x4, batched, weight, bias, groups, params, weight.shape[1] * groups, out_size)


def conv_problem(x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None = None, stride: IntOrPair = 1,
                 padding: IntOrPair = 0, dilation: IntOrPair = 1, groups: int = 1) -> Problem:
    """The checked arguments of ``F.conv2d``, in its order.

    x: (N, C_in, H, W) or (C_in, H, W); weight: (C_out, C_in/groups, kH, kW); bias: (C_out,) or None.
    """
    layout = "(out_channels, in_channels/groups, kernel_size...)"
    x4, weight, groups, batched = _checked_arrays(x, weight, groups, 2, layout)
    channels = x4.shape[1]
    if weight.shape[0] % groups:
        raise ValueError(message("arguments.divisible", name="out_channels", channels=weight.shape[0], groups=groups))
    if weight.shape[1] * groups != channels:
        raise ValueError(message("arguments.conv_channels", w=weight.shape[1], groups=groups, channels=channels,
                                 layout=layout))
    params = check_params(weight.shape[2:], stride, padding, 0, dilation)
    if min(x4.shape[2:]) < 1:
        raise ValueError(message("arithmetic.positive", name="size", value=tuple(x4.shape[2:])))
    out_size = conv_output_size(tuple(x4.shape[2:]), params["kernel_size"], params["stride"],
                                params["padding"], params["dilation"])
    return _problem(x4, batched, weight, bias, groups, params, weight.shape[0], out_size)


def _checked_arrays(x: ArrayLike, weight: ArrayLike, groups: int, ndim: int | None, layout: str) -> tuple:
    """x with a batch axis, weight, groups and whether x had the batch axis, after the shared checks."""
    x, weight = as_array(x, "x"), as_array(weight, "weight")
    spatial = weight.ndim - 2 if ndim is None else ndim
    kernel = ", ".join(f"k{axis}" for axis in _SPATIAL.get(spatial, "*").split(", "))
    if weight.ndim != spatial + 2 or spatial < 1:
        raise ValueError(message("arguments.weight_ndim", n=max(spatial, 1) + 2, layout=layout.replace("kernel_size...", kernel),
                                 ndim=weight.ndim, shape=weight.shape))
    axes = _SPATIAL.get(spatial, "*spatial")
    if x.ndim not in (spatial + 1, spatial + 2):
        raise ValueError(message("arguments.x_ndim", n=spatial + 1, n1=spatial + 2, axes=axes, ndim=x.ndim, shape=x.shape))
    groups = check_int(groups, "groups", minimum=1)
    x4 = x if x.ndim == spatial + 2 else x[None]
    channels = x4.shape[1]
    if channels < 1 or weight.shape[1] < 1:
        side = "x.shape[1] (in_channels)" if channels < 1 else "weight.shape[1]"
        raise ValueError(message("arguments.no_channels", side=side, x=x.shape, weight=weight.shape))
    if channels % groups:
        raise ValueError(message("arguments.divisible", name="in_channels", channels=channels, groups=groups))
    return x4, weight, groups, x.ndim == spatial + 2


def _problem(x4: np.ndarray, batched: bool, weight: np.ndarray, bias: ArrayLike | None, groups: int,
             params: dict, out_channels: int, out_size: tuple) -> Problem:
    """The :class:`Problem`, once the bias is checked and every array cast to one float dtype."""
    arrays = [x4, weight]
    if bias is not None:
        bias = as_array(bias, "bias")
        if bias.shape != (out_channels,):
            raise ValueError(message("arguments.bias", n=out_channels, shape=bias.shape))
        arrays.append(bias)
    dtype = np.result_type(*(a.dtype for a in arrays), np.float32)
    return Problem(x4.astype(dtype, copy=False), weight.astype(dtype, copy=False),
                   None if bias is None else bias.astype(dtype, copy=False), batched, groups,
                   params["kernel_size"], params["stride"], params["padding"], params["output_padding"],
                   params["dilation"], out_channels, out_size, np.dtype(dtype))
