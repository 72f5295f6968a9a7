"""Build-it-yourself rules: what an answer must not call, recorded while it runs.

PyTorch's convolutions are seen at the operator level by a ``TorchDispatchMode``: every path to
them (``F.conv_transpose2d``, an alias, a default argument, ``torch.ops.aten...``) ends in an aten
convolution op, which the mode records. Ready-made Python functions (the library's own answers,
NumPy's and SciPy's convolutions) are seen by a profile hook that matches the library's by their
code objects and NumPy's and SciPy's by name, so a renamed reference to them is caught too.
Used by the checks; not named in the book.
Introduced in exercises/01_what_is_transposed_convolution.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from torch.utils._python_dispatch import TorchDispatchMode

from ..i18n import message

# aten op names of the convolutions (conv2d, convolution, slow_conv_transpose2d, mkldnn_convolution...)
# and of unfold / fold (im2col / col2im); "convert" ops are not convolutions
_CONV_OP = re.compile(r"conv(?!ert)|im2col|col2im")
# ready-made convolutions outside PyTorch, forbidden in every build-it-yourself exercise: functions of
# these names defined in NumPy or SciPy (matched by name, so nothing needs importing to watch for them)
READY_MADE = frozenset({"convolve", "correlate", "convolve2d", "correlate2d", "fftconvolve", "oaconvolve",
                        "convolve1d", "correlate1d"})
_REF = "tconv_lib.foundations.reference"
LIBRARY_TCONV = (f"{_REF}:conv_transpose2d", f"{_REF}:conv2d", f"{_REF}:correlate", f"{_REF}:zero_insert",
                 f"{_REF}:processing_image", f"{_REF}:conv2d_matrix",
                 "tconv_lib.foundations.stages:conv_transpose2d_stages",
                 "tconv_lib.real_models.reference_nd:conv_transpose_nd", f"{_REF}:by_zero_insertion")


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

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        return False  # eager only: wrapping for torch.compile would import Dynamo (seconds) on first use

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        op = func.name().split("::")[-1].split(".")[0]
        if _CONV_OP.search(op) and not (self.allow_conv2d and _allowed_forward(op, args)):
            self.found.add(message("check.torch_convolution", op=f"torch.ops.{func.namespace}.{op}"))
        return func(*args, **(kwargs or {}))


def _ready_made(code, module: str) -> str | None:
    """"module.name" when ``code`` is one of NumPy's or SciPy's convolutions, else None."""
    if code.co_name in READY_MADE and module.split(".")[0] in ("numpy", "scipy"):
        return f"{module}.{code.co_name}"
    return None


@functools.lru_cache(maxsize=64)
def _code_objects(names: tuple[str, ...]) -> dict:
    """code object -> "module.name" for every importable function in ``names``."""
    codes = {}
    for name in names:
        module, attr = name.split(":")
        try:
            fn = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            continue
        code = getattr(inspect.unwrap(fn), "__code__", None)
        if code is not None:
            codes[code] = f"{module}.{attr}"
    return codes


# the call being watched, for the threads that record_threads() makes record too
_CURRENT: dict = {"rule": None, "found": None, "codes": {}}


class _ThreadRecorder(_Recorder):
    """A recorder for another thread: records into the watched call's set while there is one."""

    def __init__(self):
        super().__init__(False, set())

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        rule, found = _CURRENT["rule"], _CURRENT["found"]
        if rule is not None:
            self.allow_conv2d, self.found = rule.allow_conv2d, found
            return super().__torch_dispatch__(func, types, args, kwargs)
        return func(*args, **(kwargs or {}))


def _thread_hook(frame, event, arg):
    if event == "call" and _CURRENT["rule"] is not None:
        name = _CURRENT["codes"].get(frame.f_code) or _ready_made(frame.f_code, frame.f_globals.get("__name__", ""))
        if name:
            _CURRENT["found"].add(name)


def record_threads() -> None:
    """Make every thread started from now on record into the watched call (the grader's sandbox calls this).

    A mode and a profile hook are per thread, so without this an answer could hand the forbidden
    call to a thread (a thread pool made in an earlier cell included).
    """
    import _thread
    import threading

    start = _thread.start_new_thread

    def recording_start(function, args, kwargs=None):
        def run(*a, **k):
            sys.setprofile(_thread_hook)
            with _ThreadRecorder():
                return function(*a, **k)
        return start(run, args, kwargs or {})
    _thread.start_new_thread = threading._start_new_thread = recording_start


@contextmanager
def watching(rule: Rule) -> Iterator[set[str]]:
    """Record, into the yielded set, every forbidden operation that runs inside the block."""
    found: set[str] = set()
    codes = _code_objects(rule.functions)

    def hook(frame, event, arg):
        if event == "call":
            name = codes.get(frame.f_code) or _ready_made(frame.f_code, frame.f_globals.get("__name__", ""))
            if name:
                found.add(name)

    previous = sys.getprofile()
    _CURRENT.update(rule=rule, found=found, codes=codes)
    with _Recorder(rule.allow_conv2d, found):
        sys.setprofile(hook)
        try:
            yield found
        finally:
            sys.setprofile(previous)
            _CURRENT.update(rule=None, found=None, codes={})


def forbidden_reason(passed: bool, found: set[str], rule: Rule) -> str:
    """Why an answer that reached a forbidden operation scores 0: :func:`forbidden_message` without the check's name."""
    return message("check.forbidden_passed" if passed else "check.forbidden_also",
                   calls=message("arithmetic.list_sep").join(sorted(found)), what=rule.what)


def forbidden_message(name: str, passed: bool, found: set[str], rule: Rule) -> str:
    """The report line for an answer that reached a forbidden operation."""
    return message("check.named", name=name, text=forbidden_reason(passed, found, rule))
