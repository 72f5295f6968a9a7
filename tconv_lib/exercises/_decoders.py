"""Answer checks for exercises/12_unet_decoders: encoder sizes, decoder output_padding, crops, any-size U-Nets.

Same contract as :mod:`tconv_lib.exercises`: each check runs the answer on the example
from chapter 12 and on seeded random cases against real PyTorch layers, stops at the
first failure, prints the case and a hint that does not give the answer away, and
returns a ``CheckResult``; it never raises because of the answer. ``seed`` draws other random
cases (hidden tests use it); the chapter's examples always come first.
Introduced in exercises/12_unet_decoders.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from ..i18n import message
from ..real_models.decoders import center_crop
from ..tracing import CONVOLUTIONS
from ._core import CheckResult, Fail, call, describe, is_int, require, run_cases
from ._rules import Rule

_DOWN = {"kernel_size": 3, "stride": 2, "padding": 1}  # the chapter's downsampling layer


def _cases(example: list[dict], seed: int, count: int = 24) -> list[dict]:
    """The chapter's examples, then random sizes with its layer, then random layers."""
    rng = np.random.default_rng(seed)
    params = list(example)
    for i in range(count):
        depth = int(rng.integers(1, 5))
        layer = dict(_DOWN)
        if i >= count // 2:  # second half: other kernels, strides and paddings
            k = int(rng.integers(1, 6))
            layer = {"kernel_size": k, "stride": int(rng.integers(2, 4)), "padding": int(rng.integers(0, k // 2 + 1))}
        smallest = layer["stride"] ** depth + layer["kernel_size"]
        params.append({"size": int(rng.integers(smallest, smallest + 60)), "depth": depth, **layer})
    return params


def _torch_sizes(size: int, depth: int, kernel_size: int, stride: int, padding: int) -> list[int]:
    """Heights of the maps of ``depth`` real Conv2d layers, from the input to the bottleneck."""
    x, sizes = torch.zeros(1, 1, size, 1), [size]
    conv = nn.Conv2d(1, 1, (kernel_size, 1), stride=(stride, 1), padding=(padding, 0), bias=False)
    with torch.no_grad():
        for _ in range(depth):
            x = conv(x)
            sizes.append(x.shape[-2])
    return sizes


def _int_list(value, length: int, what: str) -> list[int]:
    """The answer as a list of ``length`` ints, or a reported failure."""
    require(value, what)
    if isinstance(value, (int, np.integer)) or not hasattr(value, "__len__"):
        raise Fail(message("check.not_list", what=what, got=value))
    got = list(value)
    if not all(is_int(v) for v in got):
        raise Fail(message("check.list_not_ints", what=what, got=got))
    if len(got) != length:
        raise Fail(message("check.list_length", what=what, n=len(got), expected=length))
    return [int(v) for v in got]


def check_encoder_sizes(fn: Callable, seed: int = 12) -> CheckResult:
    """Check ``fn(size, depth, kernel_size=3, stride=2, padding=1) -> [size, ..., bottleneck]``
    (``depth + 1`` ints) against a stack of real nn.Conv2d layers. Introduced in exercises/12_unet_decoders.
    """
    params = _cases([dict(size=37, depth=3, **_DOWN), dict(size=45, depth=3, **_DOWN)], seed)

    def case(p):
        want = _torch_sizes(**p)
        got = _int_list(call(fn, p["size"], p["depth"], **{k: p[k] for k in _DOWN}), p["depth"] + 1,
                        message("check.your_function"))
        if got == want:
            return
        if got[0] != p["size"]:
            raise Fail(message("check.first_entry"))
        level = next(i for i, (a, b) in enumerate(zip(got, want)) if a != b)
        halved = [p["size"] // p["stride"] ** i for i in range(p["depth"] + 1)]
        if got == halved:
            raise Fail(message("check.halved"))
        raise Fail(message("check.level_size", level=level, got=got[level], want=want[level]))
    return run_cases("check_encoder_sizes", [(describe(p), lambda p=p: case(p)) for p in params])


def check_decoder_output_padding(fn: Callable, seed: int = 13) -> CheckResult:
    """Check ``fn(size, depth, kernel_size=3, stride=2, padding=1) -> [output_padding, ...]`` (one int
    per decoder layer, deepest first) with real layers: every ConvTranspose2d must give back its skip's
    size. Introduced in exercises/12_unet_decoders.
    """
    params = _cases([dict(size=37, depth=3, **_DOWN), dict(size=64, depth=3, **_DOWN)], seed)

    def ups(p, paddings) -> list[tuple[int, int, int]]:
        """(level, upsampled size, skip size) for each decoder layer, deepest first."""
        sizes, out = _torch_sizes(**{k: p[k] for k in ("size", "depth", *_DOWN)}), []
        for level, op in zip(range(p["depth"], 0, -1), paddings):
            layer = nn.ConvTranspose2d(1, 1, (p["kernel_size"], 1), stride=(p["stride"], 1),
                                       padding=(p["padding"], 0), output_padding=(op, 0), bias=False)
            with torch.no_grad():
                up = layer(torch.zeros(1, 1, sizes[level], 1)).shape[-2]
            out.append((level, up, sizes[level - 1]))
        return out

    def matches(p, paddings) -> bool:
        try:
            return all(up == skip for _, up, skip in ups(p, paddings))
        except (RuntimeError, ValueError):
            return False

    def case(p):
        got = _int_list(call(fn, p["size"], p["depth"], **{k: p[k] for k in _DOWN}), p["depth"],
                        message("check.your_function"))
        if any(op < 0 or op >= p["stride"] for op in got):
            raise Fail(message("check.rejects_list", got=got, stride=p["stride"]))
        if matches(p, got):
            return
        if matches(p, got[::-1]):
            raise Fail(message("check.encoder_order"))
        level, up, skip = next(t for t in ups(p, got) if t[1] != t[2])
        raise Fail(message("check.skip_size", level=level, up=up, skip=skip))
    return run_cases("check_decoder_output_padding", [(describe(p), lambda p=p: case(p)) for p in params])


def check_center_crop(fn: Callable, seed: int = 14) -> CheckResult:
    """Check ``fn(x (N, C, H, W), size (h, w)) -> (N, C, h, w)``, the centre of x with any extra row
    or column cut at the bottom / right. Introduced in exercises/12_unet_decoders.
    """
    gen = torch.Generator().manual_seed(seed)
    params = [dict(shape=(1, 1, 10, 12), size=(9, 11)), dict(shape=(1, 1, 19, 23), size=(17, 21))]
    for i in range(22):
        H, W = (int(v) for v in torch.randint(2, 30, (2,), generator=gen))
        h, w = int(torch.randint(1, H + 1, (1,), generator=gen)), int(torch.randint(1, W + 1, (1,), generator=gen))
        params.append(dict(shape=(1 + i % 3, 1 + i % 2, H, W), size=(h, w)))

    def case(shape, size):
        x = torch.arange(int(np.prod(shape)), dtype=torch.float64).reshape(shape)
        want = center_crop(x, size)
        got = call(fn, x.clone(), size)
        if not isinstance(got, torch.Tensor):
            raise Fail(message("check.crop_not_tensor", type=type(got).__name__))
        if tuple(got.shape) != tuple(want.shape):
            raise Fail(message("check.crop_shape", shape=tuple(got.shape), expected=tuple(want.shape)))
        if torch.equal(got, want):
            return
        (H, W), (h, w) = shape[-2:], size
        if torch.equal(got, x[..., :h, :w]):
            raise Fail(message("check.crop_corner"))
        if torch.equal(got, x[..., H - h - (H - h) // 2:H - (H - h) // 2, W - w - (W - w) // 2:W - (W - w) // 2]):
            raise Fail(message("check.crop_odd"))
        raise Fail(message("check.crop_pixels"))
    return run_cases("check_center_crop", [(describe(p), lambda p=p: case(**p)) for p in params],
                     Rule(message("rule.crop"), ("tconv_lib.real_models.decoders:center_crop",
                                                   "tconv_lib.real_models.decoders:crop_to")))


def _first_conv(model: nn.Module) -> nn.Module | None:
    return next((m for m in model.modules() if isinstance(m, CONVOLUTIONS)), None)


def check_any_size_unet(model: nn.Module, seed: int = 15) -> CheckResult:
    """Check that ``model`` maps (N, C_in, H, W) to (N, C_out, H, W) for odd, even and rectangular
    sizes (the chapter's 37x45 first) and upsamples with nn.ConvTranspose2d; C_in is read from its
    first convolution. Introduced in exercises/12_unet_decoders.
    """
    gen = torch.Generator().manual_seed(seed)
    sizes = [(37, 45), (32, 48), (38, 46), (45, 37), (33, 33)]
    sizes += [tuple(int(v) for v in torch.randint(24, 90, (2,), generator=gen)) for _ in range(10)]

    def case(h, w):
        require(model, "model")
        if not isinstance(model, nn.Module):
            raise Fail(message("check.not_module", type=type(model).__name__))
        if not any(isinstance(m, nn.ConvTranspose2d) for m in model.modules()):
            raise Fail(message("check.no_conv_transpose"))
        first = _first_conv(model)
        device = next(model.parameters()).device
        x = torch.rand(2, first.in_channels, h, w, generator=gen).to(device)
        was_training = model.training
        try:
            with torch.no_grad(), torch.random.fork_rng(devices=[]):
                out = model.eval()(x)
        except Exception as exc:
            first_line = str(exc).splitlines()[0] if str(exc) else ""
            raise Fail(message("check.unet_raised", h=h, w=w, type=type(exc).__name__, error=first_line)) from None
        finally:
            model.train(was_training)
        if not isinstance(out, torch.Tensor):
            raise Fail(message("check.not_tensor", type=type(out).__name__))
        if out.ndim != 4 or out.shape[0] != 2 or tuple(out.shape[-2:]) != (h, w):
            raise Fail(message("check.unet_shape", h=h, w=w, shape=tuple(out.shape)))
    return run_cases("check_any_size_unet", [(message("case.pixels", h=h, w=w), lambda h=h, w=w: case(h, w))
                                             for h, w in sizes])
