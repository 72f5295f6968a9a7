"""Layer-by-layer shapes of a DCGAN model (netG or netD): predicted from the size formula, and measured.

:func:`shape_table` applies :mod:`tconv_lib.foundations.arithmetic` to each Conv2d and
ConvTranspose2d without running the model; :func:`traced_shapes` runs it and records what
each layer received and returned (forward hooks); :func:`format_shape_table` prints the table.

Introduced in chapters/10_dcgan_generator.
"""
from __future__ import annotations

import torch
from torch import nn

from ..foundations import arithmetic
from ..i18n import display_width, message, pad
from ..tracing import recording
from .dcgan import Generator


def shape_table(model: nn.Module, input_size: int | None = None) -> list[dict]:
    """Predicted size of every (transposed) convolution, from ``tconv_lib.foundations.arithmetic`` alone.

    One dict per layer: name, kind, in/out channels, kernel_size, stride,
    padding, output_padding, ``zeros_between`` (stride - 1, transposed only),
    ``border`` (implicit padding k-1-p, transposed only), in_size, out_size.
    ``input_size`` defaults to 1 for a Generator and image_size for a Discriminator.
    """
    size = input_size if input_size is not None else (1 if isinstance(model, Generator) else model.image_size)
    rows = []
    for name, layer in model.named_modules():
        if not isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)):
            continue
        k, s, p = layer.kernel_size[0], layer.stride[0], layer.padding[0]
        transposed = isinstance(layer, nn.ConvTranspose2d)
        op = layer.output_padding[0] if transposed else 0
        out = (arithmetic.conv_transpose_output_size(size, k, s, p, op) if transposed
               else arithmetic.conv_output_size(size, k, s, p))
        rows.append(dict(name=name.split(".")[-1], kind=type(layer).__name__,
                         in_channels=layer.in_channels, out_channels=layer.out_channels,
                         kernel_size=k, stride=s, padding=p, output_padding=op,
                         zeros_between=s - 1 if transposed else None,
                         border=arithmetic.implicit_padding(k, p) if transposed else None,
                         in_size=size, out_size=out))
        size = out
    return rows


def traced_shapes(model: nn.Module, x: torch.Tensor) -> list[tuple[str, tuple, tuple]]:
    """Run ``model(x)`` and record ``(name, input shape, output shape)`` of every conv layer (forward hooks)."""
    with recording(model, (nn.Conv2d, nn.ConvTranspose2d)) as calls, torch.no_grad():
        model(x)
    return [(c.name.split(".")[-1], tuple(c.inputs[0].shape), tuple(c.output.shape)) for c in calls]


def format_shape_table(rows: list[dict]) -> str:
    """The rows of :func:`shape_table` as aligned text (channels x size x size)."""
    head = (f"{pad(message('dcgan.layer'), 8)} {pad(message('dcgan.kind'), 16)} {'k':>2} {'s':>2} {'p':>2} {'op':>2} "
            f"{pad(message('dcgan.zeros'), 5, '>')} {pad(message('dcgan.border'), 6, '>')}  {message('dcgan.in_out')}")
    lines = [head, "-" * display_width(head)]
    for r in rows:
        zeros = "" if r["zeros_between"] is None else r["zeros_between"]
        border = "" if r["border"] is None else r["border"]
        lines.append(f"{r['name']:8} {r['kind']:16} {r['kernel_size']:>2} {r['stride']:>2} {r['padding']:>2} "
                     f"{r['output_padding']:>2} {zeros!s:>5} {border!s:>6}  "
                     f"{r['in_channels']}x{r['in_size']}x{r['in_size']} -> "
                     f"{r['out_channels']}x{r['out_size']}x{r['out_size']}")
    return "\n".join(lines)
