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

from ..i18n import message
from ..tracing import CONVOLUTIONS, Call, recording
from ._core import CheckResult, Fail, is_int, require, run_cases


def check_even_overlap(kernel_size: int, stride: int) -> CheckResult:
    """Check that ConvTranspose2d(kernel_size, stride) overlaps evenly in the interior (all-ones
    inputs of 21 sizes, all-ones kernel). Introduced in exercises/08_checkerboard_artifacts.
    """
    def case(n):
        for name, v, low, why in (("kernel_size", kernel_size, 1, ""), ("stride", stride, 2, "check.no_upsampling")):
            require(v, name)
            if not is_int(v) or v < low:
                raise Fail(message("check.int_at_least", name=name, low=low, why=message(why) if why else "", got=v))
        counts = F.conv_transpose2d(torch.ones(1, 1, 1, n), torch.ones(1, 1, 1, kernel_size), stride=stride)
        inner = counts[0, 0, 0, kernel_size - 1:(n - 1) * stride + 1].int().tolist()
        if len(set(inner)) > 1:
            raise Fail(message("check.uneven_overlap", counts=inner[:12]))
    sizes = range(kernel_size + 1, kernel_size + 22) if is_int(kernel_size) else [1]
    return run_cases("check_even_overlap", [(message("case.overlap", kernel_size=kernel_size, stride=stride, n=n),
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
            raise Fail(message("check.model_raised", type=type(exc).__name__, error=str(exc).splitlines()[0])
                       + "\n" + "\n".join(_row(c) for c in calls)) from None
        finally:
            model.train(was_training)
    table = [_row(c) for c in calls]
    if not isinstance(out, torch.Tensor):
        raise Fail(message("check.not_tensor", type=type(out).__name__))
    return out, table


def _model_cases(name: str, model, in_size: int, out_size: int, extra: Callable | None = None,
                 layer: type = nn.ConvTranspose2d) -> CheckResult:
    """Five batches through ``model``; C_in is read from its first ``layer`` (a conv type)."""
    convs = [m for m in model.modules() if isinstance(m, layer)] if isinstance(model, nn.Module) else []
    gen = torch.Generator().manual_seed(7)

    def case(n):
        require(model, message("check.your_model"))
        if not isinstance(model, nn.Module):
            raise Fail(message("check.not_module", type=type(model).__name__))
        if not convs:
            kind = "nn.ConvTranspose2d" if layer is nn.ConvTranspose2d else message("check.any_convolution")
            raise Fail(message("check.no_layer", kind=kind))
        if extra:
            extra(None, convs)  # structural rules first: they need no forward pass
        device = next(model.parameters()).device
        z = (3 * torch.randn(n, convs[0].in_channels, in_size, in_size, generator=gen)).to(device)
        out, table = _run_model(model, z)
        if out.ndim != 4 or out.shape[0] != n or tuple(out.shape[2:]) != (out_size, out_size):
            raise Fail(message("check.output_shape_layers", shape=tuple(out.shape), n=n, size=out_size)
                       + "\n" + "\n".join(table))
        if extra:
            extra(out, convs)
    cases = [message("case.latent_batch", n=n) if in_size == 1 else message("case.image_batch", n=n, size=in_size)
             for n in (2, 1, 3, 4, 5)]
    return run_cases(name, [(described, lambda n=n: case(n)) for described, n in zip(cases, (2, 1, 3, 4, 5))])


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
            raise Fail(message("check.latent_channels", got=convs[0].in_channels, latent_dim=latent_dim))
        if not any(isinstance(m, nn.BatchNorm2d) for m in netG.modules()):
            raise Fail(message("check.no_batchnorm"))
        if _after_last(netG, nn.ConvTranspose2d, nn.BatchNorm2d):
            raise Fail(message("check.batchnorm_last"))
        with_bias = [i for i, c in enumerate(convs) if c.bias is not None]
        if with_bias:
            raise Fail(message("check.bias", layers=with_bias))

    def extra(out, convs):
        if out is None:
            return structure(convs)
        low, high = out.min().item(), out.max().item()
        if any(isinstance(m, nn.Tanh) for m in netG.modules()) and -1 <= low and high <= 1:
            return
        if any(isinstance(m, nn.Sigmoid) for m in netG.modules()):
            raise Fail(message("check.sigmoid", low=low, high=high))
        where = "check.range_outside" if low < -1 or high > 1 else "check.range_inside"
        raise Fail(message(where, low=low, high=high))
    return _model_cases("check_dcgan_generator", netG, 1, image_size, extra)
