"""Checks for the exercises on layers and models (chapters 3-11): upsamplers, overlap, generators.

A model is run in eval mode on five seeded batches; a failure prints the output shape of
every layer, so the student sees where the size goes wrong.
Introduced in exercises/05_complete_formula.
"""
from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from ..tracing import CONVOLUTIONS, Call, recording
from ._core import CheckResult, Fail, is_int, require, run_cases


def check_even_overlap(kernel_size: int, stride: int) -> CheckResult:
    """Check that ConvTranspose2d(kernel_size, stride) overlaps evenly in the interior (all-ones
    inputs of 21 sizes, all-ones kernel). Introduced in exercises/08_checkerboard_artifacts.
    """
    def case(n):
        for name, v, low, why in (("kernel_size", kernel_size, 1, ""), ("stride", stride, 2, " (1 does not upsample)")):
            require(v, name)
            if not is_int(v) or v < low:
                raise Fail(f"{name} must be an int >= {low}{why}, got {v!r}")
        counts = F.conv_transpose2d(torch.ones(1, 1, 1, n), torch.ones(1, 1, 1, kernel_size), stride=stride)
        inner = counts[0, 0, 0, kernel_size - 1:(n - 1) * stride + 1].int().tolist()
        if len(set(inner)) > 1:
            raise Fail(f"overlap counts along a row vary in the interior: {inner[:12]}; compare kernel_size with stride")
    sizes = range(kernel_size + 1, kernel_size + 22) if is_int(kernel_size) else [1]
    return run_cases("check_even_overlap", [(f"kernel_size={kernel_size}, stride={stride}, input size {n}",
                                             lambda n=n: case(n)) for n in sizes])


def _row(call: Call) -> str:
    shape = tuple(call.output.shape) if isinstance(call.output, torch.Tensor) else call.output
    return f"  {call.name:<12} {type(call.module).__name__:<18} -> {shape}"


def _run_model(model: nn.Module, z: torch.Tensor) -> tuple[torch.Tensor, list[str]]:
    """Forward ``z`` in eval mode, recording a table of each leaf layer's output shape."""
    was_training = model.training
    with recording(model) as calls:
        try:
            with torch.no_grad():
                out = model.eval()(z)
        except Exception as exc:
            raise Fail(f"the model raised {type(exc).__name__}: {str(exc).splitlines()[0]}\n"
                       + "\n".join(_row(c) for c in calls)) from None
        finally:
            model.train(was_training)
    table = [_row(c) for c in calls]
    if not isinstance(out, torch.Tensor):
        raise Fail(f"the model returned a {type(out).__name__}, not a tensor")
    return out, table


def _model_cases(name: str, model, in_size: int, out_size: int, extra: Callable | None = None,
                 layer: type = nn.ConvTranspose2d) -> CheckResult:
    """Five batches through ``model``; C_in is read from its first ``layer`` (a conv type)."""
    convs = [m for m in model.modules() if isinstance(m, layer)] if isinstance(model, nn.Module) else []
    gen, what = torch.Generator().manual_seed(7), "latent vectors" if in_size == 1 else f"{in_size}x{in_size} images"

    def case(n):
        require(model, "your model")
        if not isinstance(model, nn.Module):
            raise Fail(f"pass an nn.Module, got {type(model).__name__}")
        if not convs:
            kind = "nn.ConvTranspose2d" if layer is nn.ConvTranspose2d else "convolution (nn.Conv2d, nn.ConvTranspose2d)"
            raise Fail(f"the model has no {kind} layer; the check reads the input channels from the first one")
        if extra:
            extra(None, convs)  # structural rules first: they need no forward pass
        device = next(model.parameters()).device
        z = (3 * torch.randn(n, convs[0].in_channels, in_size, in_size, generator=gen)).to(device)
        out, table = _run_model(model, z)
        if out.ndim != 4 or out.shape[0] != n or tuple(out.shape[2:]) != (out_size, out_size):
            raise Fail(f"output shape {tuple(out.shape)}, expected ({n}, C, {out_size}, {out_size}); "
                       "shapes layer by layer:\n" + "\n".join(table))
        if extra:
            extra(out, convs)
    return run_cases(name, [(f"batch of {n} {what}", lambda n=n: case(n)) for n in (2, 1, 3, 4, 5)])


def check_generator_1_to_28(model: nn.Module) -> CheckResult:
    """Check that ``model`` maps (N, C_in, 1, 1) to (N, C_out, 28, 28); C_in is read from
    its first ConvTranspose2d. Introduced in exercises/05_complete_formula.
    """
    return _model_cases("check_generator_1_to_28", model, 1, 28)


def check_upsampler(model: nn.Module, in_size: int, out_size: int) -> CheckResult:
    """Check that ``model`` maps (N, C_in, in_size, in_size) to (N, C, out_size, out_size); C_in is
    read from its first convolution of any kind. Introduced in exercises/03_padding.
    """
    return _model_cases("check_upsampler", model, in_size, out_size, layer=CONVOLUTIONS)


def _after_last(model: nn.Module, kind: type, after: type) -> bool:
    """True when a module of type ``after`` comes after the last ``kind`` in registration order."""
    order = [m for m in model.modules() if isinstance(m, (kind, after))]
    last = max((i for i, m in enumerate(order) if isinstance(m, kind)), default=-1)
    return any(isinstance(m, after) for m in order[last + 1:])


def check_dcgan_generator(netG: nn.Module, image_size: int, latent_dim: int | None = None) -> CheckResult:
    """Check a DCGAN generator: (N, latent_dim, 1, 1) -> (N, C, image_size, image_size) in [-1, 1],
    BatchNorm2d on the hidden layers but not the output layer, bias-free ConvTranspose2d layers;
    ``latent_dim`` (when given) must be the first layer's input channels.
    Introduced in exercises/10_dcgan_generator.
    """
    def structure(convs):
        if latent_dim is not None and convs[0].in_channels != latent_dim:
            raise Fail(f"the generator takes {convs[0].in_channels} latent channels (in_channels of its first "
                       f"ConvTranspose2d); the exercise asks for latent_dim={latent_dim}")
        if not any(isinstance(m, nn.BatchNorm2d) for m in netG.modules()):
            raise Fail("the generator has no nn.BatchNorm2d: DCGAN normalises every hidden layer")
        if _after_last(netG, nn.ConvTranspose2d, nn.BatchNorm2d):
            raise Fail("a BatchNorm2d follows the last ConvTranspose2d: DCGAN normalises the hidden layers only, "
                       "never the output layer (it would fight the output activation)")
        with_bias = [i for i, c in enumerate(convs) if c.bias is not None]
        if with_bias:
            raise Fail(f"ConvTranspose2d layer(s) {with_bias} have a bias; "
                       "a BatchNorm right after a layer makes its bias redundant")

    def extra(out, convs):
        if out is None:
            return structure(convs)
        low, high = out.min().item(), out.max().item()
        if any(isinstance(m, nn.Tanh) for m in netG.modules()) and -1 <= low and high <= 1:
            return
        if any(isinstance(m, nn.Sigmoid) for m in netG.modules()):
            raise Fail(f"this batch spans {low:.2f} to {high:.2f}: the Sigmoid keeps outputs in [0, 1], but the "
                       "training images are scaled to [-1, 1]; which activation has that range?")
        where = "outside" if low < -1 or high > 1 else "inside, by chance,"
        raise Fail(f"this batch spans {low:.2f} to {high:.2f}, {where} [-1, 1]; no layer guarantees that range "
                   "for every input: which activation module does?")
    return _model_cases("check_dcgan_generator", netG, 1, image_size, extra)
