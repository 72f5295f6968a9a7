"""Decoders whose upsampled maps match their skip connections, for any input size.

An encoder of stride-``s`` layers forgets up to ``s - 1`` rows and columns at every
level, so a decoder of transposed convolutions does not know which of ``s`` sizes to
rebuild (the ambiguity of chapters/04_output_padding). :func:`plan_decoder` computes,
from the input size, the size of every level and the ``output_padding`` each
ConvTranspose2d needs to land exactly on its skip connection; the tensor helpers
implement the other fixes (centre-cropping the skip, padding the input to a multiple
of ``stride**depth`` and cropping back).

Sizes are ``(h, w)`` pairs throughout (an int means a square); the plan is pure
integer arithmetic built on :mod:`tconv_lib.foundations.arithmetic`.

Introduced in chapters/12_unet_decoders.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ..foundations.arithmetic import (
    IntOrPair,
    check_int,
    check_params,
    conv_output_size,
    conv_transpose_output_size,
    pair,
    round_trip_output_padding,
)
from ..foundations.design import design_conv_transpose
from ..i18n import display_width, message, pad


@dataclass(frozen=True)
class Level:
    """One encoder level: the skip map's size, the size below it and the decoder layer's fix.

    Held by :class:`DecoderPlan`.
    """

    index: int                      # 1 = the level nearest the input
    skip_size: tuple[int, int]      # size of the map kept for the skip connection (= the target)
    down_size: tuple[int, int]      # size after this level's downsampling layer
    default_size: tuple[int, int]   # what ConvTranspose2d gives back with output_padding=0
    output_padding: tuple[int, int]  # what it needs to give back skip_size

    @property
    def output_size(self) -> tuple[int, int]:
        """The value to pass as ``layer(x, output_size=...)``: the skip's (h, w)."""
        return self.skip_size


@dataclass(frozen=True)
class DecoderPlan:
    """Sizes and per-layer output_padding for one input size; returned by :func:`plan_decoder`."""

    input_size: tuple[int, int]
    levels: tuple[Level, ...]       # ordered from the input (level 1) to the bottleneck

    @property
    def sizes(self) -> list[tuple[int, int]]:
        """Map sizes from the input down to the bottleneck: ``depth + 1`` pairs."""
        return [self.input_size] + [level.down_size for level in self.levels]

    @property
    def bottleneck_size(self) -> tuple[int, int]:
        """Size of the deepest map."""
        return self.levels[-1].down_size if self.levels else self.input_size

    @property
    def output_paddings(self) -> list[tuple[int, int]]:
        """output_padding of each decoder layer, in the order the decoder runs them (deepest first)."""
        return [level.output_padding for level in reversed(self.levels)]

    @property
    def needs_output_padding(self) -> bool:
        """True when some level would come back one size short with output_padding=0."""
        return any(max(level.output_padding) > 0 for level in self.levels)

    def table(self) -> str:
        """A plain-text table, one row per decoder layer (deepest first)."""
        name = message("decoders.level")
        first = max(5, display_width(name))   # the first column fits its name in any language
        rows = [f"{pad(name, first, '>')}  {pad(message('decoders.from'), 9, '>')}  "
                f"{pad(message('decoders.default'), 9, '>')}  {pad(message('decoders.skip'), 9, '>')}  output_padding"]
        for level in reversed(self.levels):
            rows.append(f"{level.index:>{first}}  {_hw(level.down_size):>9}  {_hw(level.default_size):>9}  "
                        f"{_hw(level.skip_size):>9}  {level.output_padding}")
        return "\n".join(rows)


def _hw(pair: tuple[int, int]) -> str:
    return f"{pair[0]}x{pair[1]}"


def plan_decoder(input_size: IntOrPair, depth: int, kernel_size: IntOrPair = 3, stride: IntOrPair = 2,
                 padding: IntOrPair = 1, dilation: IntOrPair = 1, up_kernel_size: IntOrPair | None = None,
                 up_padding: IntOrPair | None = None) -> DecoderPlan:
    """Plan a decoder that mirrors an encoder of ``depth`` downsampling layers.

    The encoder's downsampling layers are ``nn.Conv2d(kernel_size, stride, padding,
    dilation)`` (``nn.MaxPool2d(k, s, p)`` has the same sizes); the layers between them
    must keep the size. The decoder's layers are ``nn.ConvTranspose2d`` with the same
    stride and dilation and ``up_kernel_size`` / ``up_padding`` (default: the encoder's).
    ``input_size`` is an int or an ``(h, w)`` pair; every size in the plan is a pair.

    Raises ``ValueError`` naming the level when the encoder shrinks a map to nothing,
    or when no output_padding lets the decoder layer reach its skip size (the message
    suggests layers that can).
    """
    check_int(depth, "depth", minimum=0)
    size = pair(input_size, "input_size")
    if min(size) < 1:
        raise ValueError(message("arithmetic.positive", name="input_size", value=size))
    down = check_params(kernel_size, stride, padding, 0, dilation)
    up_k = kernel_size if up_kernel_size is None else up_kernel_size
    up_p = padding if up_padding is None else up_padding
    up = check_params(up_k, stride, up_p, 0, dilation)
    k, s, p, d = (down[n] for n in ("kernel_size", "stride", "padding", "dilation"))
    same_layers = up["kernel_size"] == k and up["padding"] == p
    levels = []
    for index in range(1, depth + 1):
        try:
            below = conv_output_size(size, k, s, p, d)
        except ValueError:
            raise ValueError(message("decoders.too_small", size=size, depth=depth, index=index, hw=_hw(size))) from None
        default = tuple(_transpose_size(b, ki, si, pi, 0, di)
                        for b, ki, si, pi, di in zip(below, up["kernel_size"], s, up["padding"], d))
        try:  # the round trip of chapter 4 when the decoder layer mirrors the encoder's
            output_padding = round_trip_output_padding(size, k, s, p, d) if same_layers else None
        except ValueError:  # the default size would be empty; search below instead
            output_padding = None
        if output_padding is None:
            per_axis = zip(size, below, up["kernel_size"], s, up["padding"], d)
            output_padding = tuple(_reach(index, axis, *values) for axis, values in enumerate(per_axis))
        levels.append(Level(index, size, below, default, tuple(output_padding)))
        size = below
    return DecoderPlan(pair(input_size, "input_size"), tuple(levels))


def _transpose_size(size: int, k: int, s: int, p: int, op: int, d: int) -> int:
    """One axis of ConvTranspose2d's output size, 0 where PyTorch would give an empty map."""
    try:
        return conv_transpose_output_size(size, k, s, p, op, d)
    except ValueError:
        return 0


def _reach(index: int, axis: int, target: int, below: int, k: int, s: int, p: int, d: int) -> int:
    """The output_padding (0..s-1) that turns ``below`` into ``target`` on one axis, or raise."""
    reachable = [_transpose_size(below, k, s, p, op, d) for op in range(s)]
    if target in reachable:
        return reachable.index(target)
    name = message(("decoders.height", "decoders.width")[axis])
    options = design_conv_transpose(below, target, kernel_sizes=range(s, s + 6), strides=[s], dilations=[d])
    hint = message("decoders.example", layer=options[0].to_torch()) if options else ""
    raise ValueError(message("decoders.unreachable", index=index, k=k, s=s, p=p, axis=name, below=below,
                             reachable=reachable, target=target, most=s - 1, hint=hint))


def padded_size(size: IntOrPair, multiple: IntOrPair) -> IntOrPair:
    """The smallest size >= ``size`` divisible by ``multiple`` (per axis; int or pair like ``size``).

    Padding the input to ``stride ** depth`` makes every stride-2 level divide exactly.
    """
    n, m = pair(size, "size"), pair(multiple, "multiple")
    if min(m) < 1:
        raise ValueError(message("arithmetic.positive", name="multiple", value=repr(multiple)))
    out = tuple(-(-ni // mi) * mi for ni, mi in zip(n, m))
    return out if isinstance(size, (tuple, list)) or isinstance(multiple, (tuple, list)) else out[0]


def pad_to_multiple(x: torch.Tensor, multiple: IntOrPair, mode: str = "reflect") -> torch.Tensor:
    """Pad (N, C, H, W) at the bottom and right up to a multiple of ``multiple`` (e.g. ``2**depth``).

    ``mode`` is passed to ``F.pad`` ('reflect', 'replicate' or 'constant' for zeros);
    undo it on the output with :func:`crop_to` and the original ``x.shape[-2:]``.
    """
    h, w = x.shape[-2:]
    target = padded_size((int(h), int(w)), multiple)
    return F.pad(x, (0, target[1] - w, 0, target[0] - h), mode=mode)


def crop_to(x: torch.Tensor, size: IntOrPair | torch.Size) -> torch.Tensor:
    """The top-left ``size`` = (h, w) corner of (..., H, W): undoes :func:`pad_to_multiple`."""
    h, w = pair(tuple(size)[-2:] if not isinstance(size, int) else size, "size")
    if h > x.shape[-2] or w > x.shape[-1]:
        raise ValueError(message("decoders.crop_to", h=h, w=w, H=x.shape[-2], W=x.shape[-1]))
    return x[..., :h, :w]


def center_crop(x: torch.Tensor, size: IntOrPair | torch.Size) -> torch.Tensor:
    """The centre ``size`` = (h, w) of (..., H, W), as the original U-Net crops its skip maps.

    When ``H - h`` is odd the extra row goes at the bottom (the top offset is
    ``(H - h) // 2``), likewise for columns. ``size`` may be a tensor shape: its last
    two entries are used, so ``center_crop(skip, up.shape)`` works.
    """
    h, w = pair(tuple(size)[-2:] if not isinstance(size, int) else size, "size")
    H, W = x.shape[-2:]
    if h > H or w > W:
        raise ValueError(message("decoders.center_crop", h=h, w=w, H=H, W=W))
    top, left = (H - h) // 2, (W - w) // 2
    return x[..., top:top + h, left:left + w]
