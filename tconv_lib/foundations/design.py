"""Designing a layer: every ConvTranspose2d configuration that maps one size to another.

Introduced in chapters/03_padding; the search is explained in chapters/05_complete_formula.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product

from .arithmetic import check_int, check_params, conv_transpose_output_size


@dataclass(frozen=True)
class Design:
    """One ConvTranspose2d configuration found by :func:`design_conv_transpose`."""

    kernel_size: int
    stride: int
    padding: int
    output_padding: int
    dilation: int

    def to_torch(self, in_channels: int = 1, out_channels: int = 1) -> str:
        """The matching ``nn.ConvTranspose2d(...)`` line, omitting default arguments."""
        args = [str(in_channels), str(out_channels), f"kernel_size={self.kernel_size}"]
        for name, default in (("stride", 1), ("padding", 0), ("output_padding", 0), ("dilation", 1)):
            value = getattr(self, name)
            if value != default:
                args.append(f"{name}={value}")
        return f"nn.ConvTranspose2d({', '.join(args)})"


def design_conv_transpose(in_size: int, out_size: int, kernel_sizes: Iterable[int] = range(1, 8),
                          strides: Iterable[int] = range(1, 5), dilations: Iterable[int] = (1,),
                          max_padding: int | None = None) -> list[Design]:
    """Every ConvTranspose2d configuration that maps ``in_size`` to exactly ``out_size``.

    Searches the given kernel sizes, strides and dilations; for each it solves
    the size formula for ``padding`` and ``output_padding`` (PyTorch's rules
    respected). Sorted so that the simplest choices (no output_padding, small
    kernels, kernel divisible by stride) come first.
    """
    for name, value in (("in_size", in_size), ("out_size", out_size)):
        check_int(value, name, minimum=1)
    found = []
    for k, s, d in product(kernel_sizes, strides, dilations):
        check_params(k, s, 0, 0, d)
        base = conv_transpose_output_size(in_size, k, s, 0, 0, d)  # with padding = output_padding = 0
        for op in range(max(s, d)):
            twice_p = base + op - out_size
            if twice_p < 0 or twice_p % 2:
                continue
            p = twice_p // 2
            if max_padding is not None and p > max_padding:
                continue
            found.append(Design(k, s, p, op, d))
    found.sort(key=lambda g: (g.output_padding > 0, g.kernel_size % g.stride != 0, g.dilation,
                              g.stride, g.kernel_size, g.padding))
    return found
