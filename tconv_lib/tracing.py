"""Watching a model run: what each of its layers received and returned, through forward hooks.

The one place the library registers PyTorch forward hooks; the shape tables of the DCGAN
chapters, the multiply-add counts of chapter 7 and the exercise checks all use it; no
notebook calls it directly.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from torch import nn

# Every convolution layer, forward and transposed, 1-D to 3-D (the lazy ones subclass these): torch's
# public stand-in for its private base class nn.modules.conv._ConvNd, for ``recording(kinds=...)``
# and isinstance checks.
CONVOLUTIONS = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)


@dataclass
class Call:
    """One call of a submodule: its dotted name, the module, its positional inputs and its output.

    Made by :func:`recording`.
    """

    name: str
    module: nn.Module
    inputs: tuple
    output: Any


@contextmanager
def recording(model: nn.Module, kinds: tuple[type, ...] | None = None) -> Iterator[list[Call]]:
    """Inside the ``with`` block, every call of a submodule of ``model`` appends a :class:`Call`.

    ``kinds``: record modules of these types (e.g. ``(nn.Conv2d, nn.ConvTranspose2d)``); by
    default every module without children. The list fills as the model runs, so after an
    exception it shows how far the run got. The hooks are removed on leaving the block.
    Used by :func:`tconv_lib.upsampling.upsamplers.count_multiply_adds`,
    :func:`tconv_lib.gan.shapes.traced_shapes` and the exercise checks.
    """
    calls: list[Call] = []
    handles = []
    for name, module in model.named_modules():
        if isinstance(module, kinds) if kinds else not list(module.children()):
            def hook(mod, inputs, output, name=name):
                calls.append(Call(name, mod, inputs, output))
            handles.append(module.register_forward_hook(hook))
    try:
        yield calls
    finally:
        for handle in handles:
            handle.remove()
