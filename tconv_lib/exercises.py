"""Answer checks for the exercise notebooks: call one on your answer, read its report.

Each check compares the answer with PyTorch on the example from the text plus
seeded random cases ordered from simple to general (the first failure points at
the parameter to revisit), prints a short report and returns a CheckResult. It
never raises because of the answer: an exception, ``None``, a wrong type, shape
or dtype is a failure with a hint that does not give the solution away.
Introduced in exercises/01_what_is_transposed_convolution.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from typing import Callable, Iterable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .reference import conv2d_matrix

_EXAMPLE_X = np.array([[1.0, 2.0], [3.0, 4.0]])  # the running example of chapters 01-05
_EXAMPLE_K = np.array([[1.0, 0.0], [0.0, 1.0]])
_DEFAULTS = {"stride": 1, "padding": 0, "output_padding": 0, "dilation": 1}


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check: truthy when every case passed."""

    passed: bool
    cases: int  # cases run (up to and including the first failure)
    failed_case: str | None = None
    hint: str | None = None

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        if self.passed:
            return f"CheckResult(passed=True, cases={self.cases})"
        return f"CheckResult(passed=False, cases={self.cases}, failed_case={self.failed_case!r}, hint={self.hint!r})"


class _Fail(Exception):
    """Raised inside a case to report a wrong answer with a hint."""


def _call(fn: Callable, *args, **kwargs):
    """Call the student's function; turn any exception into a reported failure."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise _Fail("your function raises NotImplementedError: replace the stub with your code") from None
    except Exception as exc:  # the answer is half-finished: report, never crash
        raise _Fail(f"your function raised {type(exc).__name__}: {exc}") from None


def _run_cases(name: str, cases: Iterable[tuple[str, Callable[[], None]]]) -> CheckResult:
    """Run ``(description, judge)`` pairs in order, stop at the first failure, print a report."""
    count = 0
    for count, (described, judge) in enumerate(cases, start=1):
        try:
            judge()
        except Exception as fail:  # _Fail, or an answer too odd to compare (object arrays...)
            if not isinstance(fail, _Fail):
                fail = f"could not check your answer ({type(fail).__name__}: {fail})"
            print(f"{name}: FAILED on case {count} ({described})\n  hint: {fail}")
            return CheckResult(False, count, described, str(fail))
    print(f"{name}: " + (f"all {count} cases passed" if count > 1 else "passed"))
    return CheckResult(True, count)


def _array(value, shape: tuple, dtype, what: str = "your function") -> np.ndarray:
    """The answer as an ndarray of the expected shape and dtype, or a reported failure."""
    if value is None:
        raise _Fail(f"{what} returned None: did you forget the return statement?")
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if not isinstance(value, np.ndarray):
        raise _Fail(f"{what} returned a {type(value).__name__}; return a NumPy array")
    if value.shape != tuple(shape):
        raise _Fail(f"{what} returned shape {value.shape}, expected {tuple(shape)}")
    if value.dtype.kind not in "biuf":
        raise _Fail(f"{what} returned an array of dtype {value.dtype}; it should hold numbers")
    if dtype is not None and value.dtype != dtype:
        raise _Fail(f"{what} returned dtype {value.dtype}, expected {np.dtype(dtype)} (the dtype of the input)")
    return value


def _compare(got: np.ndarray, want: np.ndarray, mistakes: tuple = ()) -> None:
    """Fail at the first differing entry, with a diagnosis when ``got`` matches a known mistake."""
    if np.allclose(got, want, atol=1e-6):
        return
    for mistake, hint in mistakes:
        if mistake.shape == got.shape and np.allclose(got, mistake, atol=1e-6):
            raise _Fail(hint)
    r = tuple(int(i) for i in np.argwhere(~np.isclose(got, want, atol=1e-6))[0])
    raise _Fail(f"wrong value at index {r}: got {got[r]:.4g}, PyTorch gives {want[r]:.4g}")


def _is_int(value) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _torch(a: np.ndarray) -> torch.Tensor:
    return torch.as_tensor(np.asarray(a, dtype=np.float64))[None, None]


# ----------------------------------------------------------------------------- size formulas
def _draw_size(rng, on: set) -> dict:
    k, s = int(rng.integers(1, 6)), int(rng.integers(2, 5)) if "stride" in on else 1
    d = int(rng.integers(2, 4)) if "dilation" in on else 1
    p = int(rng.integers(0, d * (k - 1) + 1)) if "padding" in on else 0
    op = int(rng.integers(0, max(s, d))) if "output_padding" in on else 0
    size = int(rng.integers(1, 9)) + p // 2  # invalid combinations are dropped by the caller
    return {"size": size, "kernel_size": k, "stride": s, "padding": p, "output_padding": op, "dilation": d}


def check_output_size(fn: Callable, only: Iterable[str] | None = None) -> CheckResult:
    """Check ``fn(size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1) -> int``
    against nn.ConvTranspose2d's output size; ``only`` limits the parameters tried (e.g.
    ``("stride",)`` before padding is taught). Introduced in exercises/02_stride.
    """
    rng = np.random.default_rng(2)
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
        got = _call(fn, p["size"], p["kernel_size"], **{n: p[n] for n in changed})
        if not _is_int(got):
            raise _Fail(f"your function returned {got!r} ({type(got).__name__}); return an int (// divides integers)")
        if got != want:
            raise _Fail(f"got {got}, PyTorch gives {want}; revisit how {(changed or ['kernel_size'])[-1]} "
                        "changes the size")
    return _run_cases("check_output_size", [(_describe(p), lambda p=p: case(p)) for p in params])


def _torch_size(p: dict) -> int:
    x, w = torch.zeros(1, 1, p["size"], p["size"]), torch.zeros(1, 1, p["kernel_size"], p["kernel_size"])
    try:
        return F.conv_transpose2d(x, w, stride=p["stride"], padding=p["padding"],
                                  output_padding=p["output_padding"], dilation=p["dilation"]).shape[-1]
    except RuntimeError:  # PyTorch refuses: the output would be empty
        return 0


def _describe(p: dict) -> str:
    def one(v):  # arrays written so that the case can be pasted back into a cell
        if not isinstance(v, np.ndarray):
            return str(v)
        dtype = "" if v.dtype == np.float64 else f", dtype=np.{v.dtype}"
        return f"np.array({np.array2string(v, separator=', ').replace(chr(10), '')}{dtype})"
    return ", ".join(f"{k}={one(v)}" for k, v in p.items())


def check_round_trip_output_padding(fn: Callable) -> CheckResult:
    """Check ``fn(input_size, kernel_size, stride, padding) -> output_padding`` with real layers:
    ConvTranspose2d(Conv2d(x)) must be as large as x. Introduced in exercises/04_output_padding.
    """
    rng = np.random.default_rng(4)
    params = [dict(input_size=64, kernel_size=3, stride=2, padding=1)]
    for _ in range(24):
        k, s = int(rng.integers(1, 6)), int(rng.integers(1, 5))
        params.append(dict(input_size=int(rng.integers(k, 41)), kernel_size=k, stride=s, padding=int(rng.integers(0, k // 2 + 1))))

    def case(p):
        op = _call(fn, *p.values())
        if not _is_int(op):
            raise _Fail(f"your function returned {op!r} ({type(op).__name__}); return an int")
        args = (1, 1, p["kernel_size"], p["stride"], p["padding"])
        x = torch.zeros(1, 1, p["input_size"], p["input_size"])
        try:
            with torch.random.fork_rng(devices=[]):  # layer init must not move the reader's RNG
                y = nn.ConvTranspose2d(*args, output_padding=int(op))(nn.Conv2d(*args)(x))
        except (RuntimeError, ValueError) as exc:
            raise _Fail(f"PyTorch rejects output_padding={op}: {str(exc).splitlines()[0]}") from None
        if y.shape[-1] != p["input_size"]:
            raise _Fail(f"with output_padding={op} the round trip gives size {y.shape[-1]}, not "
                        f"{p['input_size']}; compute the size after Conv2d first, then after ConvTranspose2d")
    return _run_cases("check_round_trip_output_padding", [(_describe(p), lambda p=p: case(p)) for p in params])


# ----------------------------------------------------------------------------- arrays
def check_zero_insert(fn: Callable) -> CheckResult:
    """Check ``fn(x (H, W), stride: int) -> ndarray`` against conv_transpose2d with a 1x1 kernel of one.
    Introduced in exercises/02_stride.
    """
    rng = np.random.default_rng(22)
    params = [dict(x=_EXAMPLE_X, stride=2)]
    for i in range(24):
        dtype = np.float32 if i % 3 == 2 else np.float64
        shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        params.append(dict(x=rng.integers(1, 10, shape).astype(dtype), stride=int(rng.integers(1, 5))))

    def case(x, stride):
        want = F.conv_transpose2d(_torch(x), torch.ones(1, 1, 1, 1, dtype=torch.float64), stride=stride)[0, 0].numpy()
        got = _array(_call(fn, x.copy(), stride), want.shape, x.dtype)
        _compare(got, want, [(want.T, "your result is transposed: keep rows as rows")])
    return _run_cases("check_zero_insert", [(_describe(p), lambda p=p: case(**p)) for p in params])


def check_conv_transpose2d(fn: Callable) -> CheckResult:
    """Check ``fn(x (H, W), kernel (kH, kW), stride, padding) -> (H_out, W_out)`` against
    F.conv_transpose2d (any method). Introduced in exercises/01_what_is_transposed_convolution.
    """
    rng = np.random.default_rng(1)
    params = [dict(x=_EXAMPLE_X, kernel=_EXAMPLE_K, stride=s, padding=p) for s, p in ((2, 1), (3, 1), (2, 0))]
    for i in range(24):
        k = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        s = int(rng.integers(2, 4)) if i >= 8 else 1
        p = int(rng.integers(0, min(k))) if i >= 16 else 0
        x = rng.integers(-3, 4, (int(rng.integers(1, 4)), int(rng.integers(1, 4)))).astype(float)
        params.append(dict(x=x, kernel=rng.integers(-3, 4, k).astype(float), stride=s, padding=p))

    def case(x, kernel, stride, padding):
        want = F.conv_transpose2d(_torch(x), _torch(kernel), stride=stride, padding=padding)[0, 0].numpy()
        got = _array(_call(fn, x.copy(), kernel.copy(), stride, padding), want.shape, None)
        flipped = F.conv_transpose2d(_torch(x), _torch(kernel[::-1, ::-1].copy()), stride=stride, padding=padding)
        _compare(got, want, [(flipped[0, 0].numpy(), "your kernel is flipped: the scatter form stamps the kernel "
                              "as it is (the flip belongs to the zero-insertion view)")])
    return _run_cases("check_conv_transpose2d", [(_describe(p), lambda p=p: case(**p)) for p in params])


def check_conv_matrix(fn: Callable) -> CheckResult:
    """Check ``fn(kernel (kH, kW), input_size, stride) -> M`` with conv2d(x).ravel() == M @ x.ravel()
    (no padding), against F.conv2d. Introduced in exercises/01_what_is_transposed_convolution.
    """
    rng = np.random.default_rng(11)
    params = [dict(kernel=_EXAMPLE_K, input_size=3, stride=1)]
    for i in range(24):
        k = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        params.append(dict(kernel=rng.integers(-3, 4, k).astype(float), input_size=int(rng.integers(max(k), 6)),
                           stride=int(rng.integers(2, 4)) if i >= 10 else 1))

    def case(kernel, input_size, stride):
        want = conv2d_matrix(kernel, input_size, stride).astype(np.float64)
        got = _array(_call(fn, kernel.copy(), input_size, stride), want.shape, None,
                     "your function (one row per output pixel, one column per input pixel)")
        x = rng.standard_normal((input_size, input_size))
        y = F.conv2d(_torch(x), _torch(kernel), stride=stride)[0, 0].numpy().ravel()
        if not np.allclose(np.asarray(got, dtype=np.float64) @ x.ravel(), y, atol=1e-6):
            _compare(got, want, [(want[::-1], "your rows are in reverse order: row i belongs to output pixel i "
                                  "in row-major order")])
    return _run_cases("check_conv_matrix", [(_describe(p), lambda p=p: case(**p)) for p in params])


def check_even_overlap(kernel_size: int, stride: int) -> CheckResult:
    """Check that ConvTranspose2d(kernel_size, stride) overlaps evenly in the interior (all-ones
    inputs of 21 sizes, all-ones kernel). Introduced in exercises/08_checkerboard_artifacts.
    """
    def case(n):
        for name, v, low, why in (("kernel_size", kernel_size, 1, ""), ("stride", stride, 2, " (1 does not upsample)")):
            if not _is_int(v) or v < low:
                raise _Fail(f"{name} must be an int >= {low}{why}, got {v!r}")
        counts = F.conv_transpose2d(torch.ones(1, 1, 1, n), torch.ones(1, 1, 1, kernel_size), stride=stride)
        inner = counts[0, 0, 0, kernel_size - 1:(n - 1) * stride + 1].int().tolist()
        if len(set(inner)) > 1:
            raise _Fail(f"overlap counts along a row vary in the interior: {inner[:12]}; "
                        f"compare kernel_size with stride")
    sizes = range(kernel_size + 1, kernel_size + 22) if isinstance(kernel_size, int) else [1]
    return _run_cases("check_even_overlap", [(f"kernel_size={kernel_size}, stride={stride}, input size {n}",
                                              lambda n=n: case(n)) for n in sizes])


# ----------------------------------------------------------------------------- models
def _run_model(model: nn.Module, z: torch.Tensor) -> tuple[torch.Tensor, list[str]]:
    """Forward ``z`` in eval mode, recording a table of each leaf layer's output shape."""
    table, hooks, was_training = [], [], model.training
    for name, mod in model.named_modules():
        if not list(mod.children()):
            hooks.append(mod.register_forward_hook(
                lambda m, i, o, name=name: table.append(f"  {name:<12} {type(m).__name__:<18} -> "
                                                        f"{tuple(o.shape) if isinstance(o, torch.Tensor) else o}")))
    try:
        with torch.no_grad():
            out = model.eval()(z)
    except Exception as exc:
        raise _Fail(f"the model raised {type(exc).__name__}: {str(exc).splitlines()[0]}\n" + "\n".join(table)) from None
    finally:
        for h in hooks:
            h.remove()
        model.train(was_training)
    if not isinstance(out, torch.Tensor):
        raise _Fail(f"the model returned a {type(out).__name__}, not a tensor")
    return out, table


def _model_cases(name: str, model, in_size: int, out_size: int, extra: Callable | None = None,
                 layer: type = nn.ConvTranspose2d) -> CheckResult:
    """Five batches through ``model``; C_in is read from its first ``layer`` (a conv type)."""
    convs = [m for m in model.modules() if isinstance(m, layer)] if isinstance(model, nn.Module) else []
    gen, what = torch.Generator().manual_seed(7), "latent vectors" if in_size == 1 else f"{in_size}x{in_size} images"

    def case(n):
        if not isinstance(model, nn.Module):
            raise _Fail(f"pass an nn.Module, got {type(model).__name__}")
        if not convs:
            kind = "nn.ConvTranspose2d" if layer is nn.ConvTranspose2d else "convolution (nn.Conv2d, nn.ConvTranspose2d)"
            raise _Fail(f"the model has no {kind} layer; the check reads the input channels from the first one")
        device = next(model.parameters()).device
        z = (3 * torch.randn(n, convs[0].in_channels, in_size, in_size, generator=gen)).to(device)
        out, table = _run_model(model, z)
        if out.ndim != 4 or out.shape[0] != n or tuple(out.shape[2:]) != (out_size, out_size):
            raise _Fail(f"output shape {tuple(out.shape)}, expected ({n}, C, {out_size}, {out_size}); "
                        "shapes layer by layer:\n" + "\n".join(table))
        if extra:
            extra(out, convs)
    return _run_cases(name, [(f"batch of {n} {what}", lambda n=n: case(n)) for n in (2, 1, 3, 4, 5)])


def check_generator_1_to_28(model: nn.Module) -> CheckResult:
    """Check that ``model`` maps (N, C_in, 1, 1) to (N, C_out, 28, 28); C_in is read from
    its first ConvTranspose2d. Introduced in exercises/05_complete_formula.
    """
    return _model_cases("check_generator_1_to_28", model, 1, 28)


def check_upsampler(model: nn.Module, in_size: int, out_size: int) -> CheckResult:
    """Check that ``model`` maps (N, C_in, in_size, in_size) to (N, C, out_size, out_size); C_in is
    read from its first convolution of any kind. Introduced in exercises/03_padding.
    """
    return _model_cases("check_upsampler", model, in_size, out_size, layer=nn.modules.conv._ConvNd)


def check_shape_by_hand(answer, module: Callable, input_shape: tuple) -> CheckResult:
    """Check a hand-computed output shape (N, C, H, W) of ``module`` on an input of ``input_shape``.

    Says which dimension is wrong and whether it is too large, never the value.
    Introduced in exercises/01_what_is_transposed_convolution.
    """
    def case():
        if answer is None or not isinstance(answer, (tuple, list, torch.Size)):
            raise _Fail(f"give the whole shape as a tuple such as (1, 1, 5, 5), got {answer!r}")
        if not all(_is_int(a) for a in answer):
            raise _Fail(f"every entry of the shape must be an int, got {answer!r}")
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            want = tuple(module(torch.zeros(input_shape)).shape)
        if len(answer) != len(want):
            raise _Fail(f"the output has {len(want)} dimensions, your shape has {len(answer)}")
        for dim, a, w in zip("NCHW" if len(want) == 4 else range(len(want)), answer, want):
            if a != w:
                raise _Fail(f"{dim} is too {'large' if a > w else 'small'}; recount it with the size formula")
    shown = " ".join(repr(module).split()) if isinstance(module, nn.Module) else getattr(module, "__name__", "module")
    return _run_cases("check_shape_by_hand", [(f"{shown} on an input of shape {tuple(input_shape)}", case)])


def check_dcgan_generator(netG: nn.Module, image_size: int) -> CheckResult:
    """Check a DCGAN generator: (N, latent_dim, 1, 1) -> (N, C, image_size, image_size) in [-1, 1],
    with BatchNorm2d and bias-free ConvTranspose2d layers. Introduced in exercises/10_dcgan_generator.
    """
    def extra(out, convs):
        if not any(isinstance(m, nn.BatchNorm2d) for m in netG.modules()):
            raise _Fail("the generator has no nn.BatchNorm2d: DCGAN normalises every hidden layer")
        with_bias = [i for i, c in enumerate(convs) if c.bias is not None]
        if with_bias:
            raise _Fail(f"ConvTranspose2d layer(s) {with_bias} have a bias; "
                        "a BatchNorm right after a layer makes its bias redundant")
        low, high = out.min().item(), out.max().item()
        if low < -1 or high > 1 or not any(isinstance(m, nn.Tanh) for m in netG.modules()):
            raise _Fail(f"no layer keeps the images in [-1, 1] for every input (this batch spans {low:.2f} to "
                        f"{high:.2f}): which activation module guarantees that range?")
    return _model_cases("check_dcgan_generator", netG, 1, image_size, extra)
