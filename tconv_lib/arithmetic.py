"""Shape arithmetic for Conv2d and ConvTranspose2d: pure integers, no torch.

Every function here takes either an int (the same value for height and
width) or an ``(h, w)`` pair, exactly like PyTorch's layer arguments, and
answers in the same form it was asked: ints in, int out; a pair in, a pair
out.

Introduced in chapters/01_what_is_transposed_convolution and used throughout
(the size formula is derived in chapters/05_complete_formula).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from numbers import Integral
from typing import Iterable, Union

IntOrPair = Union[int, "tuple[int, int]"]


def _pair(value, name: str) -> tuple[int, int]:
    """Return ``value`` as an ``(h, w)`` pair of Python ints, or raise naming ``name``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair (h, w), got {len(value)} values: {value!r}")
        items = tuple(value)
    else:
        items = (value, value)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, Integral):
            raise TypeError(f"{name} must be an int or a pair of ints, got {value!r} ({type(item).__name__})")
    return int(items[0]), int(items[1])


def _like(pair: tuple[int, int], *asked):
    """Answer in the form the caller used: a pair if any argument was a pair, else an int."""
    return pair if any(isinstance(a, (tuple, list)) for a in asked) else pair[0]


def check_params(kernel_size=1, stride=1, padding=0, output_padding=0, dilation=1) -> dict:
    """Validate layer hyper-parameters and return them as ``(h, w)`` pairs.

    Raises ``TypeError`` for non-integers and ``ValueError`` naming the parameter
    and the rule it breaks, with PyTorch's rules for ConvTranspose2d.

    Introduced in chapters/04_output_padding (the output_padding rule).
    """
    params = {
        "kernel_size": _pair(kernel_size, "kernel_size"),
        "stride": _pair(stride, "stride"),
        "padding": _pair(padding, "padding"),
        "output_padding": _pair(output_padding, "output_padding"),
        "dilation": _pair(dilation, "dilation"),
    }
    for name in ("kernel_size", "stride", "dilation"):
        if min(params[name]) < 1:
            raise ValueError(f"{name} must be positive, got {_show(params[name])}")
    for name in ("padding", "output_padding"):
        if min(params[name]) < 0:
            raise ValueError(f"{name} must be non-negative, got {_show(params[name])}")
    for op, s, d in zip(params["output_padding"], params["stride"], params["dilation"]):
        if op >= s and op >= d:
            raise ValueError(
                f"output_padding ({op}) must be smaller than stride ({s}) or dilation ({d})"
            )
    return params


def _show(pair: tuple[int, int]):
    return pair[0] if pair[0] == pair[1] else pair


def implicit_padding(kernel_size: IntOrPair, padding: IntOrPair = 0, dilation: IntOrPair = 1):
    """Zero border around the zero-inserted input: ``dilation*(kernel_size-1) - padding``.

    A negative value means the processing image is *cropped* by that much.

    Introduced in chapters/03_padding.
    """
    k, p, d = _pair(kernel_size, "kernel_size"), _pair(padding, "padding"), _pair(dilation, "dilation")
    return _like(tuple(di * (ki - 1) - pi for ki, pi, di in zip(k, p, d)), kernel_size, padding, dilation)


def conv_output_size(size: IntOrPair, kernel_size: IntOrPair, stride: IntOrPair = 1,
                     padding: IntOrPair = 0, dilation: IntOrPair = 1):
    """Output size of ``nn.Conv2d``: ``floor((size + 2p - d(k-1) - 1) / s) + 1``.

    Raises ``ValueError`` if the (padded) input is smaller than the dilated kernel.

    Introduced in chapters/01_what_is_transposed_convolution.
    """
    n = _pair(size, "size")
    params = check_params(kernel_size, stride, padding, 0, dilation)
    out = []
    for i, (ni, k, s, p, d) in enumerate(zip(n, params["kernel_size"], params["stride"],
                                               params["padding"], params["dilation"])):
        span = ni + 2 * p - d * (k - 1) - 1
        if span < 0:
            raise ValueError(f"size ({ni}) plus padding is smaller than the dilated kernel "
                             f"({d * (k - 1) + 1}): conv output size would be <= 0")
        out.append(span // s + 1)
    return _like(tuple(out), size, kernel_size, stride, padding, dilation)


def conv_transpose_output_size(size: IntOrPair, kernel_size: IntOrPair, stride: IntOrPair = 1,
                               padding: IntOrPair = 0, output_padding: IntOrPair = 0,
                               dilation: IntOrPair = 1):
    """Output size of ``nn.ConvTranspose2d``.

    ``(size - 1)*stride - 2*padding + dilation*(kernel_size - 1) + output_padding + 1``

    Raises ``ValueError`` (naming the parameters) when the result would be <= 0.

    Introduced in chapters/02_stride; derived in chapters/05_complete_formula.
    """
    n = _pair(size, "size")
    if min(n) < 1:
        raise ValueError(f"size must be positive, got {_show(n)}")
    params = check_params(kernel_size, stride, padding, output_padding, dilation)
    out = []
    for ni, k, s, p, op, d in zip(n, params["kernel_size"], params["stride"], params["padding"],
                                  params["output_padding"], params["dilation"]):
        o = (ni - 1) * s - 2 * p + d * (k - 1) + op + 1
        if o <= 0:
            raise ValueError(
                f"output size would be {o} (<= 0): padding ({p}) is too large for "
                f"size={ni}, kernel_size={k}, stride={s}, dilation={d}")
        out.append(o)
    return _like(tuple(out), size, kernel_size, stride, padding, output_padding, dilation)


def conv_input_sizes(out_size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1) -> list[int]:
    """All input sizes that ``nn.Conv2d`` maps to ``out_size`` (one dimension).

    A stride-``s`` convolution forgets up to ``s - 1`` trailing rows, so ``s``
    different input sizes share one output size.

    Introduced in chapters/04_output_padding.
    """
    params = check_params(kernel_size, stride, padding, 0, dilation)
    (k, _), (s, _), (p, _), (d, _) = (params[n] for n in ("kernel_size", "stride", "padding", "dilation"))
    smallest = (out_size - 1) * s + d * (k - 1) + 1 - 2 * p
    return [n for n in range(max(smallest, 1), smallest + s) if n >= 1]


def valid_output_sizes(size: IntOrPair, kernel_size: IntOrPair, stride: IntOrPair = 1,
                       padding: IntOrPair = 0, dilation: IntOrPair = 1):
    """Sizes ``ConvTranspose2d.forward(x, output_size=...)`` accepts: ``min .. min + stride - 1``.

    Returns a list of ints (int arguments) or a list of ``(h, w)`` pairs.

    Introduced in chapters/04_output_padding.
    """
    s = _pair(stride, "stride")
    low = _pair(conv_transpose_output_size(size, kernel_size, stride, padding, 0, dilation), "size")
    choices = [range(lo, lo + si) for lo, si in zip(low, s)]
    if not any(isinstance(a, (tuple, list)) for a in (size, kernel_size, stride, padding, dilation)):
        return list(choices[0])
    return [tuple(hw) for hw in product(*choices)]


def round_trip_output_padding(input_size: IntOrPair, kernel_size: IntOrPair, stride: IntOrPair = 1,
                              padding: IntOrPair = 0, dilation: IntOrPair = 1):
    """The ``output_padding`` that makes ``ConvTranspose2d(Conv2d(x))`` as large as ``x`` again.

    Both layers share ``kernel_size, stride, padding, dilation``. For example a
    64-pixel input through a k=3, s=2, p=1 Conv2d becomes 32; the transposed
    layer gives 63 unless ``output_padding=1``.

    Introduced in chapters/04_output_padding.
    """
    n = _pair(input_size, "input_size")
    down = _pair(conv_output_size(input_size, kernel_size, stride, padding, dilation), "size")
    params = check_params(kernel_size, stride, padding, 0, dilation)
    need = tuple(ni - ((o - 1) * s - 2 * p + d * (k - 1) + 1) for ni, o, k, s, p, d in
                 zip(n, down, *(params[name] for name in ("kernel_size", "stride", "padding", "dilation"))))
    return _like(need, input_size, kernel_size, stride, padding, dilation)


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

    Introduced in chapters/05_complete_formula.
    """
    for name, value in (("in_size", in_size), ("out_size", out_size)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    found = []
    for k, s, d in product(kernel_sizes, strides, dilations):
        check_params(k, s, 0, 0, d)
        base = (in_size - 1) * s + d * (k - 1) + 1  # the size with padding = output_padding = 0
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
