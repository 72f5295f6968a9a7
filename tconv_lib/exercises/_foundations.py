"""Checks for the foundations exercises (chapters 1-5): sizes, zero insertion, the layer by hand.

Each compares the answer with PyTorch on the chapter's example plus seeded random cases
ordered from simple to general, so the first failure points at the parameter to revisit.
Introduced in exercises/01_what_is_transposed_convolution.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..foundations.reference import conv2d_matrix
from ..i18n import message
from ._core import (
    EXAMPLE_K,
    EXAMPLE_X,
    CheckResult,
    Fail,
    as_array,
    as_torch,
    call,
    compare,
    describe,
    is_int,
    require,
    run_cases,
)
from ._rules import LIBRARY_TCONV, Rule

_DEFAULTS = {"stride": 1, "padding": 0, "output_padding": 0, "dilation": 1}


def _draw_size(rng, on: set) -> dict:
    k, s = int(rng.integers(1, 6)), int(rng.integers(2, 5)) if "stride" in on else 1
    d = int(rng.integers(2, 4)) if "dilation" in on else 1
    p = int(rng.integers(0, d * (k - 1) + 1)) if "padding" in on else 0
    op = int(rng.integers(0, max(s, d))) if "output_padding" in on else 0
    size = int(rng.integers(1, 9)) + p // 2  # invalid combinations are dropped by the caller
    return {"size": size, "kernel_size": k, "stride": s, "padding": p, "output_padding": op, "dilation": d}


def _torch_size(p: dict) -> int:
    x, w = torch.zeros(1, 1, p["size"], p["size"]), torch.zeros(1, 1, p["kernel_size"], p["kernel_size"])
    try:
        return F.conv_transpose2d(x, w, stride=p["stride"], padding=p["padding"],
                                  output_padding=p["output_padding"], dilation=p["dilation"]).shape[-1]
    except RuntimeError:  # PyTorch refuses: the output would be empty
        return 0


def check_output_size(fn: Callable, only: Iterable[str] | None = None, seed: int = 2) -> CheckResult:
    """Check ``fn(size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1) -> int``
    against nn.ConvTranspose2d's output size; ``only`` limits the parameters tried (e.g.
    ``("stride",)`` before padding is taught). Introduced in exercises/02_stride (stride only);
    every parameter in exercises/05_complete_formula.
    """
    rng = np.random.default_rng(seed)
    stages = [n for n in _DEFAULTS if only is None or n in only]
    params = [dict(size=2, kernel_size=2, stride=1 + ("stride" in stages), padding=int("padding" in stages),
                   output_padding=0, dilation=1)]
    per_stage = max(5, 26 // (len(stages) + 1))  # first the basics, then one more parameter per stage
    drawn = [_draw_size(rng, set(stages[:i])) for i in range(len(stages) + 1) for _ in range(per_stage)]
    params += [p for p in drawn if _torch_size(p) > 0]
    params.sort(key=lambda p: max([i + 1 for i, n in enumerate(stages) if p[n] != _DEFAULTS[n]], default=0))

    def case(p):
        want = _torch_size(p)
        changed = [n for n in stages if p[n] != _DEFAULTS[n]]  # keywords passed only when not default
        got = call(fn, p["size"], p["kernel_size"], **{n: p[n] for n in changed})
        if not is_int(got):
            raise Fail(message("check.size_not_int", got=got, type=type(got).__name__))
        if got != want:
            raise Fail(message("check.size_wrong", got=got, want=want, name=(changed or ["kernel_size"])[-1]))
    return run_cases("check_output_size", [(describe(p), lambda p=p: case(p)) for p in params])


def check_round_trip_output_padding(fn: Callable, seed: int = 4) -> CheckResult:
    """Check ``fn(input_size, kernel_size, stride, padding) -> output_padding`` with real layers:
    ConvTranspose2d(Conv2d(x)) must be as large as x. Introduced in exercises/04_output_padding.
    """
    rng = np.random.default_rng(seed)
    params = [dict(input_size=64, kernel_size=3, stride=2, padding=1)]
    for _ in range(24):
        k, s = int(rng.integers(1, 6)), int(rng.integers(1, 5))
        params.append(dict(input_size=int(rng.integers(k, 41)), kernel_size=k, stride=s,
                           padding=int(rng.integers(0, k // 2 + 1))))

    def case(p):
        op = call(fn, *p.values())
        if not is_int(op):
            raise Fail(message("check.op_not_int", got=op, type=type(op).__name__))
        args = (1, 1, p["kernel_size"], p["stride"], p["padding"])
        x = torch.zeros(1, 1, p["input_size"], p["input_size"])
        try:
            with torch.random.fork_rng(devices=[]):  # layer init must not move the reader's RNG
                y = nn.ConvTranspose2d(*args, output_padding=int(op))(nn.Conv2d(*args)(x))
        except (RuntimeError, ValueError) as exc:
            raise Fail(message("check.rejects", op=op, error=str(exc).splitlines()[0])) from None
        if y.shape[-1] != p["input_size"]:
            raise Fail(message("check.round_trip", op=op, got=y.shape[-1], want=p["input_size"]))
    return run_cases("check_round_trip_output_padding", [(describe(p), lambda p=p: case(p)) for p in params])


def check_zero_insert(fn: Callable, seed: int = 22) -> CheckResult:
    """Check ``fn(x (H, W), stride: int) -> ndarray`` against conv_transpose2d with a 1x1 kernel of one.
    Introduced in exercises/02_stride.
    """
    rng = np.random.default_rng(seed)
    params = [dict(x=EXAMPLE_X, stride=2)]
    for i in range(24):
        dtype = np.float32 if i % 3 == 2 else np.float64
        shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        params.append(dict(x=rng.integers(1, 10, shape).astype(dtype), stride=int(rng.integers(1, 5))))

    def case(x, stride):
        want = F.conv_transpose2d(as_torch(x), torch.ones(1, 1, 1, 1, dtype=torch.float64), stride=stride)[0, 0]
        want = want.numpy()
        got = as_array(call(fn, x.copy(), stride), want.shape, x.dtype)
        compare(got, want, [(want.T, message("check.transposed"))])
    return run_cases("check_zero_insert", [(describe(p), lambda p=p: case(**p)) for p in params],
                     Rule(message("rule.zero_insertion"), LIBRARY_TCONV))


_FLIP_HINTS = {
    # method -> the keys of the hints for (result of the unflipped kernel's mirror, one axis flipped)
    "scatter": ("check.scatter_flipped", "check.scatter_mirrored"),
    "zero_insertion": ("check.not_flipped", "check.flipped_one_axis"),
}


def check_conv_transpose2d(fn: Callable, method: str = "scatter", seed: int = 1, padding: bool = True,
                           allowed: tuple[str, ...] = ()) -> CheckResult:
    """Check ``fn(x (H, W), kernel (kH, kW), stride, padding) -> (H_out, W_out)`` against
    F.conv_transpose2d. ``method`` ("scatter" or "zero_insertion") is the way the exercise asks
    for, which decides the hint for a kernel flipped the wrong way. ``padding=False``: the
    exercises before chapter 3, ``fn(x, kernel, stride)``, checked on layers without padding.
    The answer must not call a ready-made convolution; ``allowed=("conv2d",)`` lets it call the
    forward convolution and its gradient (exercise 9.2).
    Introduced in exercises/01_what_is_transposed_convolution.
    """
    if method not in _FLIP_HINTS:
        raise ValueError(f"method must be one of {sorted(_FLIP_HINTS)}, got {method!r}")
    if set(allowed) - {"conv2d"}:
        raise ValueError(f"allowed may hold only 'conv2d', got {allowed!r}")
    rng = np.random.default_rng(seed)
    params = [dict(x=EXAMPLE_X, kernel=EXAMPLE_K, stride=s, padding=p) for s, p in ((2, 1), (3, 1), (2, 0))]
    for i in range(24):
        k = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        s = int(rng.integers(2, 4)) if i >= 8 else 1
        p = int(rng.integers(0, min(k))) if i >= 16 and padding else 0
        x = rng.integers(-3, 4, (int(rng.integers(1, 4)), int(rng.integers(1, 4)))).astype(float)
        if min((n - 1) * s + kn - 2 * p for n, kn in zip(x.shape, k)) < 1:
            p = 0  # PyTorch refuses an empty output
        params.append(dict(x=x, kernel=rng.integers(-3, 4, k).astype(float), stride=s, padding=p))
    if not padding:   # the exercises before chapter 3 write fn(x, kernel, stride)
        params = [p for p in params if p["padding"] == 0]
    both, one_axis = (message(key) for key in _FLIP_HINTS[method])
    with_padding = padding

    def case(x, kernel, stride, padding):
        def tconv(k):
            return F.conv_transpose2d(as_torch(x), as_torch(k.copy()), stride=stride, padding=padding)[0, 0].numpy()
        want = tconv(kernel)
        got = call(fn, x.copy(), kernel.copy(), stride, *([padding] if with_padding else []))
        empty = padding == 0 and 0 in np.shape(got) and 0 not in want.shape
        got = as_array(got, want.shape, None, shape_hint=message("check.empty_slice") if empty else "")
        compare(got, want, [(tconv(kernel[::-1, ::-1]), both), (tconv(kernel[::-1]), one_axis),
                            (tconv(kernel[:, ::-1]), one_axis)])
    return run_cases("check_conv_transpose2d", [(describe(p), lambda p=p: case(**p)) for p in params],
                     Rule(message("rule.transposed_convolution"), LIBRARY_TCONV, allow_conv2d="conv2d" in allowed))


def check_conv_matrix(fn: Callable, seed: int = 11) -> CheckResult:
    """Check ``fn(kernel (kH, kW), input_size, stride) -> M`` with conv2d(x).ravel() == M @ x.ravel()
    (no padding), against F.conv2d. Introduced in exercises/01_what_is_transposed_convolution.
    """
    rng = np.random.default_rng(seed)
    params = [dict(kernel=EXAMPLE_K, input_size=3, stride=1)]
    for i in range(24):
        k = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        params.append(dict(kernel=rng.integers(-3, 4, k).astype(float), input_size=int(rng.integers(max(k), 6)),
                           stride=int(rng.integers(2, 4)) if i >= 10 else 1))

    def case(kernel, input_size, stride):
        want = conv2d_matrix(kernel, input_size, stride).astype(np.float64)
        got = as_array(call(fn, kernel.copy(), input_size, stride), want.shape, None,
                       message("check.your_matrix_function"))
        x = rng.standard_normal((input_size, input_size))
        y = F.conv2d(as_torch(x), as_torch(kernel), stride=stride)[0, 0].numpy().ravel()
        if not np.allclose(np.asarray(got, dtype=np.float64) @ x.ravel(), y, atol=1e-6):
            compare(got, want, [(want[::-1], message("check.rows_reversed"))])
    return run_cases("check_conv_matrix", [(describe(p), lambda p=p: case(**p)) for p in params],
                     Rule(message("rule.matrix"), LIBRARY_TCONV))


def check_shape_by_hand(answer: object, module: Callable, input_shape: tuple) -> CheckResult:
    """Check a hand-computed output shape (N, C, H, W) of ``module`` on an input of ``input_shape``.

    Says which dimension is wrong and whether it is too large, never the value.
    Introduced in exercises/01_what_is_transposed_convolution.
    """
    def case():
        require(answer, message("check.your_shape"))
        if not isinstance(answer, (tuple, list, torch.Size)):
            raise Fail(message("check.shape_tuple", got=answer))
        if not all(is_int(a) for a in answer):
            raise Fail(message("check.shape_ints", got=answer))
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            want = tuple(module(torch.zeros(input_shape)).shape)
        if len(answer) != len(want):
            raise Fail(message("check.shape_dims", want=len(want), got=len(answer)))
        for dim, a, w in zip("NCHW" if len(want) == 4 else range(len(want)), answer, want):
            if a != w:
                raise Fail(message("check.too_large" if a > w else "check.too_small", dim=dim))
    shown = " ".join(repr(module).split()) if isinstance(module, nn.Module) else getattr(module, "__name__", "module")
    return run_cases("check_shape_by_hand", [(message("case.module_on", module=shown, shape=tuple(input_shape)), case)])
