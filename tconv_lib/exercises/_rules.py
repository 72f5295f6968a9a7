"""Build-it-yourself rules: what an answer must not call, recorded while it runs.

PyTorch's convolutions are seen at the operator level by a ``TorchDispatchMode``: every path to
them (``F.conv_transpose2d``, an alias, a default argument, ``torch.ops.aten...``) ends in an aten
convolution op, which the mode records. Ready-made Python functions (the library's own answers,
NumPy's and SciPy's convolutions) are seen by a profile hook that matches their code objects,
so a renamed reference to them is caught too. Used by the checks; not named in the book.
Introduced in exercises/01_what_is_transposed_convolution.
"""
from __future__ import annotations

import importlib
import inspect
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from torch.utils._python_dispatch import TorchDispatchMode

# aten op names of the convolutions (conv2d, convolution, slow_conv_transpose2d, mkldnn_convolution...)
# and of unfold / fold (im2col / col2im); "convert" ops are not convolutions
_CONV_OP = re.compile(r"conv(?!ert)|im2col|col2im")
# ready-made convolutions outside PyTorch, forbidden in every build-it-yourself exercise
READY_MADE = ("numpy:convolve", "numpy:correlate", "scipy.signal:convolve", "scipy.signal:convolve2d",
              "scipy.signal:correlate", "scipy.signal:correlate2d", "scipy.signal:fftconvolve",
              "scipy.signal:oaconvolve", "scipy.ndimage:convolve", "scipy.ndimage:correlate",
              "scipy.ndimage:convolve1d", "scipy.ndimage:correlate1d")
_REF = "tconv_lib.foundations.reference"
LIBRARY_TCONV = (f"{_REF}:conv_transpose2d", f"{_REF}:conv2d", f"{_REF}:correlate", f"{_REF}:zero_insert",
                 f"{_REF}:processing_image", f"{_REF}:conv2d_matrix",
                 "tconv_lib.foundations.stages:conv_transpose2d_stages",
                 "tconv_lib.real_models.reference_nd:conv_transpose_nd",
                 "tconv_lib.real_models.reference_nd:zero_insert_nd")


@dataclass(frozen=True)
class Rule:
    """An exercise's build-it-yourself rule: PyTorch's convolutions and ``functions`` are forbidden."""

    what: str                          # what the exercise builds, for the report
    functions: tuple[str, ...] = ()    # "module:name" of the library functions that are the answer
    allow_conv2d: bool = False         # the forward convolution and its gradient are allowed (exercise 9.2)

    def to_dict(self) -> dict:
        """The rule as plain data (the grader sends it to the sandbox that runs the answer)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Rule:
        """The rule written by :meth:`to_dict`."""
        return cls(str(data["what"]), tuple(str(f) for f in data["functions"]), bool(data["allow_conv2d"]))


def _allowed_forward(op: str, args: tuple) -> bool:
    """True for the non-transposed convolution and its gradient (the ``transposed`` argument is False)."""
    position = {"convolution": 6, "convolution_backward": 7}.get(op)
    return position is not None and len(args) > position and args[position] is False


class _Recorder(TorchDispatchMode):
    """Records the aten convolution ops that run while it is active."""

    def __init__(self, allow_conv2d: bool, found: set[str]):
        super().__init__()
        self.allow_conv2d, self.found = allow_conv2d, found

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        op = func.name().split("::")[-1].split(".")[0]
        if _CONV_OP.search(op) and not (self.allow_conv2d and _allowed_forward(op, args)):
            self.found.add(f"PyTorch's convolution (torch.ops.{func.namespace}.{op})")
        return func(*args, **(kwargs or {}))


def _code_objects(names: tuple[str, ...]) -> dict:
    """code object -> "module.name" for every importable function in ``names``."""
    codes = {}
    for name in names:
        module, attr = name.split(":")
        try:
            fn = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            continue  # SciPy not installed: nothing to forbid there
        fn = getattr(fn, "_implementation", fn)  # NumPy's array-function dispatchers
        code = getattr(inspect.unwrap(fn), "__code__", None)
        if code is not None:
            codes[code] = f"{module}.{attr}"
    return codes


@contextmanager
def watching(rule: Rule) -> Iterator[set[str]]:
    """Record, into the yielded set, every forbidden operation that runs inside the block."""
    found: set[str] = set()
    codes = _code_objects(rule.functions + READY_MADE)

    def hook(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            found.add(codes[frame.f_code])

    previous = sys.getprofile()
    with _Recorder(rule.allow_conv2d, found):
        sys.setprofile(hook)
        try:
            yield found
        finally:
            sys.setprofile(previous)


def forbidden_message(name: str, passed: bool, found: set[str], rule: Rule) -> str:
    """The report line for an answer that reached a forbidden operation."""
    verdict = "this passes the cases, but" if passed else "also,"
    return (f"{name}: {verdict} your function calls {', '.join(sorted(found))}, which this exercise asks you "
            f"to build yourself ({rule.what}): as it stands it will score 0")
