"""Shape arithmetic for convolutions and transposed convolutions: pure integers, no torch.

The size functions take either an int (the same value on every axis) or a
tuple with one value per axis, exactly like PyTorch's layer arguments, and
answer in the same form they were asked: ints in, int out; tuples in, a tuple
out. Tuples of any length work, ``(l,)``, ``(h, w)`` or ``(d, h, w)`` for
ConvTranspose1d/2d/3d: every axis follows the same formula on its own.
(:func:`conv_input_sizes` works on one axis; :func:`overlap_count` on two.)
:func:`check_int` and :func:`pair` are the library's one check of an integer argument and of
an ``(h, w)`` pair; every module that takes one calls them.

Introduced in chapters/01_what_is_transposed_convolution and used throughout
(the size formula is derived in chapters/05_complete_formula; other numbers of
axes in chapters/13_other_dimensions_and_compounding).
"""
from __future__ import annotations

from itertools import product
from numbers import Integral
from typing import Union

import numpy as np

from ..i18n import message

IntOrPair = Union[int, "tuple[int, ...]"]
_PARAMS = ("kernel_size", "stride", "padding", "output_padding", "dilation")


def check_int(value: object, name: str, minimum: int | None = None) -> int:
    """``value`` as a Python int, or an error naming ``name``: the one integer check of the library.

    As in PyTorch, a wrong type is a ``TypeError`` (``True``, ``2.0`` and ``"2"`` are not ints) and
    a wrong value a ``ValueError`` (below ``minimum``, when one is given).
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(message("arithmetic.not_int", name=name, value=value, type=type(value).__name__))
    if minimum is not None and value < minimum:
        rule = {0: "arithmetic.int_nonnegative", 1: "arithmetic.int_positive"}.get(minimum, "arithmetic.int_at_least")
        raise ValueError(message(rule, name=name, value=value, minimum=minimum))
    return int(value)


def _axes(value, name: str, ndim: int) -> tuple:
    """Return ``value`` as ``ndim`` Python ints (an int is repeated), or raise naming ``name``."""
    if isinstance(value, (tuple, list)):
        if len(value) != ndim:
            shape = message("arithmetic.a_pair") if ndim == 2 else message("arithmetic.n_values", ndim=ndim)
            raise ValueError(message("arithmetic.int_or", name=name, shape=shape, n=len(value), value=value))
        items = tuple(value)
    else:
        items = (value,) * ndim
    ints = []
    for item in items:
        try:
            ints.append(check_int(item, name))
        except TypeError:   # name the whole argument: an int or a tuple was expected
            raise TypeError(message("arithmetic.int_or_tuple", name=name, value=value,
                                    type=type(item).__name__)) from None
    return tuple(ints)


def pair(value: IntOrPair, name: str) -> tuple[int, int]:
    """``value`` (an int, or a pair) as an ``(h, w)`` pair of Python ints, or an error naming ``name``."""
    return _axes(value, name, 2)




def _per_axis(default_ndim: int = 1, **named) -> tuple[int, dict]:
    """The number of axes (the common length of the tuple arguments, ``default_ndim`` if all
    are ints) and every argument as a tuple of that many ints."""
    lengths = {name: len(v) for name, v in named.items() if isinstance(v, (tuple, list))}
    if len(set(lengths.values())) > 1:
        shown = message("arithmetic.list_sep").join(message("arithmetic.has_n", name=name, n=n)
                                                    for name, n in lengths.items())
        raise ValueError(message("arithmetic.per_axis", shown=shown))
    n = next(iter(lengths.values()), default_ndim)
    return n, {name: _axes(value, name, n) for name, value in named.items()}


def _like(values: tuple, *asked):
    """Answer in the form the caller used: a tuple if any argument was a tuple, else an int."""
    return values if any(isinstance(a, (tuple, list)) for a in asked) else values[0]


def check_params(kernel_size: IntOrPair = 1, stride: IntOrPair = 1, padding: IntOrPair = 0,
                 output_padding: IntOrPair = 0, dilation: IntOrPair = 1,
                 ndim: int | None = None) -> dict[str, tuple[int, ...]]:
    """Validate layer hyper-parameters and return them as tuples with one int per axis.

    ``ndim`` is the number of axes; by default the length of the tuple arguments,
    or 2 (``(h, w)`` pairs) when all are ints. Raises ``TypeError`` for
    non-integers and ``ValueError`` naming the parameter and the rule it breaks,
    with PyTorch's rules for ConvTranspose1d/2d/3d.
    """
    given = dict(zip(_PARAMS, (kernel_size, stride, padding, output_padding, dilation)))
    params = {name: _axes(value, name, ndim) for name, value in given.items()} if ndim else _per_axis(2, **given)[1]
    for name in ("kernel_size", "stride", "dilation"):
        if min(params[name]) < 1:
            raise ValueError(message("arithmetic.positive", name=name, value=_show(params[name])))
    for name in ("padding", "output_padding"):
        if min(params[name]) < 0:
            raise ValueError(message("arithmetic.non_negative", name=name, value=_show(params[name])))
    for op, s, d in zip(params["output_padding"], params["stride"], params["dilation"]):
        if op >= s and op >= d:
            raise ValueError(message("arithmetic.output_padding", op=op, s=s, d=d))
    return params


def _show(values: tuple):
    return values[0] if len(set(values)) == 1 else values


def implicit_padding(kernel_size: IntOrPair, padding: IntOrPair = 0, dilation: IntOrPair = 1) -> IntOrPair:
    """Zero border around the zero-inserted input: ``dilation*(kernel_size-1) - padding``.

    A negative value means the processing image is *cropped* by that much.
    """
    _, a = _per_axis(kernel_size=kernel_size, padding=padding, dilation=dilation)
    border = tuple(d * (k - 1) - p for k, p, d in zip(a["kernel_size"], a["padding"], a["dilation"]))
    return _like(border, kernel_size, padding, dilation)


def conv_output_size(size: IntOrPair, kernel_size: IntOrPair, stride: IntOrPair = 1,
                     padding: IntOrPair = 0, dilation: IntOrPair = 1) -> IntOrPair:
    """Output size of ``nn.Conv1d/2d/3d``: ``floor((size + 2p - d(k-1) - 1) / s) + 1`` per axis.

    Raises ``ValueError`` if the (padded) input is smaller than the dilated kernel.
    """
    n, a = _per_axis(size=size, kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation)
    params = check_params(kernel_size, stride, padding, 0, dilation, ndim=n)
    out = []
    for ni, k, s, p, d in zip(a["size"], *(params[name] for name in ("kernel_size", "stride", "padding", "dilation"))):
        span = ni + 2 * p - d * (k - 1) - 1
        if span < 0:
            raise ValueError(message("arithmetic.conv_too_small", size=ni, span=d * (k - 1) + 1))
        out.append(span // s + 1)
    return _like(tuple(out), size, kernel_size, stride, padding, dilation)


def _transposed(n: int, k: int, s: int, p: int, op: int, d: int) -> int:
    """The transposed size formula on one axis, unchecked (may be <= 0): its only home."""
    return (n - 1) * s - 2 * p + d * (k - 1) + op + 1


def conv_transpose_output_size(size: IntOrPair, kernel_size: IntOrPair, stride: IntOrPair = 1,
                               padding: IntOrPair = 0, output_padding: IntOrPair = 0,
                               dilation: IntOrPair = 1) -> IntOrPair:
    """Output size of ``nn.ConvTranspose1d/2d/3d``, per axis (the one home of this formula).

    ``(size - 1)*stride - 2*padding + dilation*(kernel_size - 1) + output_padding + 1``

    Raises ``ValueError`` (naming the parameters) when the result would be <= 0.
    """
    n, a = _per_axis(size=size, kernel_size=kernel_size, stride=stride, padding=padding,
                     output_padding=output_padding, dilation=dilation)
    if min(a["size"]) < 1:
        raise ValueError(message("arithmetic.positive", name="size", value=_show(a["size"])))
    params = check_params(kernel_size, stride, padding, output_padding, dilation, ndim=n)
    out = []
    for ni, k, s, p, op, d in zip(a["size"], *(params[name] for name in _PARAMS)):
        o = _transposed(ni, k, s, p, op, d)
        if o <= 0:
            raise ValueError(message("arithmetic.padding_too_large", o=o, p=p, size=ni, k=k, s=s, d=d))
        out.append(o)
    return _like(tuple(out), size, kernel_size, stride, padding, output_padding, dilation)


def conv_input_sizes(out_size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1) -> list[int]:
    """All input sizes that ``nn.Conv2d`` maps to ``out_size`` (one dimension).

    A stride-``s`` convolution forgets up to ``s - 1`` trailing rows, so ``s``
    different input sizes share one output size: the transposed layer's sizes
    with output_padding 0 .. s-1 (those that are positive).
    """
    check_params(kernel_size, stride, padding, 0, dilation, ndim=1)
    sizes = (_transposed(out_size, kernel_size, stride, padding, op, dilation) for op in range(stride))
    return [n for n in sizes if n >= 1]


def valid_output_sizes(size: IntOrPair, kernel_size: IntOrPair, stride: IntOrPair = 1,
                       padding: IntOrPair = 0, dilation: IntOrPair = 1) -> list[int] | list[tuple[int, ...]]:
    """Sizes ``ConvTranspose*d.forward(x, output_size=...)`` accepts: ``min .. min + stride - 1``.

    Returns a list of ints (int arguments) or a list of tuples, one value per axis.
    """
    n, a = _per_axis(size=size, kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation)
    low = _axes(conv_transpose_output_size(size, kernel_size, stride, padding, 0, dilation), "size", n)
    choices = [range(lo, lo + si) for lo, si in zip(low, a["stride"])]
    if not any(isinstance(v, (tuple, list)) for v in (size, kernel_size, stride, padding, dilation)):
        return list(choices[0])
    return [tuple(combo) for combo in product(*choices)]


def round_trip_output_padding(input_size: IntOrPair, kernel_size: IntOrPair, stride: IntOrPair = 1,
                              padding: IntOrPair = 0, dilation: IntOrPair = 1) -> IntOrPair:
    """The ``output_padding`` that makes ``ConvTranspose*d(Conv*d(x))`` as large as ``x`` again.

    Both layers share ``kernel_size, stride, padding, dilation``. For example a
    64-pixel input through a k=3, s=2, p=1 Conv2d becomes 32; the transposed
    layer gives 63 unless ``output_padding=1``. Works per axis for any number of axes.
    """
    n, a = _per_axis(input_size=input_size, kernel_size=kernel_size, stride=stride, padding=padding,
                     dilation=dilation)
    down = conv_output_size(a["input_size"], a["kernel_size"], a["stride"], a["padding"], a["dilation"])
    need = tuple(ni - _transposed(o, k, s, p, 0, d) for ni, o, k, s, p, d in
                 zip(a["input_size"], down, *(a[name] for name in ("kernel_size", "stride", "padding", "dilation"))))
    return _like(need, input_size, kernel_size, stride, padding, dilation)


def overlap_count(size: IntOrPair, kernel_size: IntOrPair, stride: IntOrPair,
                  padding: IntOrPair = 0, output_padding: IntOrPair = 0) -> np.ndarray:
    """How many (input value, kernel tap) pairs reach each output cell of ConvTranspose2d: (H_out, W_out) ints.

    Input value ``i`` with tap ``a`` lands on output ``i*stride + a - padding`` (dilation 1), on
    each axis independently, so the 2-D count is the outer product of the two 1-D counts.
    ``size`` is the input's (H, W) or one int for both.
    """
    size = pair(size, "size")
    out = conv_transpose_output_size(size, kernel_size, stride, padding, output_padding)
    params = check_params(kernel_size, stride, padding, output_padding)
    counts = []
    for n, o, k, s, p in zip(size, out, *(params[name] for name in ("kernel_size", "stride", "padding"))):
        landed = (np.arange(n)[:, None] * s + np.arange(k)[None, :] - p).ravel()
        counts.append(np.bincount(landed[(landed >= 0) & (landed < o)], minlength=o))
    return np.outer(*counts)
