"""The machinery shared by every answer check: results, failures, the answer lookup, the report.

A check never raises because of the answer: an exception, ``None``, a missing answer,
a wrong type, shape or dtype is a failure with a hint that does not give the solution away.
Introduced in exercises/01_what_is_transposed_convolution.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

import numpy as np
import torch
from numpy.typing import DTypeLike

from ..foundations.examples import IDENTITY, X
from ..i18n import message
from ._rules import Rule, forbidden_message, forbidden_reason, watching

EXAMPLE_X, EXAMPLE_K = X, IDENTITY  # the worked examples of chapters 01-05


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check: truthy when every case passed. Returned by every check; not named in the book."""

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


class Fail(Exception):
    """Raised inside a case to report a wrong answer with a hint; not used in the book."""


@dataclass(frozen=True)
class Missing:
    """Stands for an answer that was never assigned (the name is not defined yet).

    Returned by :func:`answer`; not named in the book.
    """

    name: str

    def __repr__(self) -> str:
        return message("check.no_answer_repr", name=self.name)


def answer(name: str) -> Any:
    """The value of ``name`` in the notebook that calls this, or ``Missing(name)`` if it is unset.

    Check cells write ``check_...(tl.exercises.answer("shape"), ...)`` so that an unanswered
    exercise is reported by the check ("no answer yet") instead of ending in a NameError.
    Introduced in exercises/01_what_is_transposed_convolution.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be a Python identifier as a string, got {name!r}")
    caller = sys._getframe(1)
    for scope in (caller.f_locals, caller.f_globals):
        if name in scope:
            return scope[name]
    return Missing(name)


def require(value: object, what: str) -> None:
    """Fail with a clear message when the answer is missing (``Missing``) or not set (``None``); not called in the book."""
    if isinstance(value, Missing):
        raise Fail(message("check.no_answer", name=value.name))
    if value is None:
        raise Fail(message("check.is_none", what=what))


@dataclass
class Watch:
    """The rule of the check that is running and the forbidden operations its answer reached so far."""

    rule: Rule
    found: set[str] = field(default_factory=set)


_WATCH: ContextVar[Watch | None] = ContextVar("tconv_exercise_watch", default=None)


def active_watch() -> Watch | None:
    """The running check's :class:`Watch`, or None outside a build-it-yourself check; not called in the book."""
    return _WATCH.get()


def call(fn: Callable, *args, **kwargs) -> Any:
    """Call the student's function; turn an exception or a ``None`` result into a reported failure.

    Used by the checks; not called in the book.
    """
    require(fn, message("check.your_function"))
    if not callable(fn):
        raise Fail(message("check.not_callable", type=type(fn).__name__))
    watch = _WATCH.get()
    try:
        if watch is None or getattr(fn, "watches_itself", False):  # a grader's proxy watches where it runs
            result = fn(*args, **kwargs)
        else:
            with watching(watch.rule) as found:
                try:
                    result = fn(*args, **kwargs)
                finally:
                    watch.found |= found
    except NotImplementedError:
        raise Fail(message("check.not_implemented")) from None
    except Exception as exc:  # the answer is half-finished: report, never crash
        raise Fail(message("check.raised", type=type(exc).__name__, error=exc)) from None
    if result is None:
        raise Fail(message("check.returned_none"))
    return result


def run_cases(name: str, cases: Iterable[tuple[str, Callable[[], None]]], rule: Rule | None = None) -> CheckResult:
    """Run ``(description, judge)`` pairs in order, stop at the first failure, print a report.

    ``rule``: the exercise's build-it-yourself rule; an answer that reaches a forbidden
    operation fails, with a report that says so, even when every case gives the right numbers.
    Used by every check; not called in the book.
    """
    count, watch = 0, Watch(rule) if rule else None
    token = _WATCH.set(watch)
    try:
        for count, (described, judge) in enumerate(cases, start=1):
            try:
                judge()
            except Exception as fail:  # Fail, or an answer too odd to compare (object arrays...)
                if not isinstance(fail, Fail):
                    fail = message("check.could_not_check", type=type(fail).__name__, error=fail)
                print(message("check.failed", name=name, case=count, described=described, hint=fail))
                if watch and watch.found:
                    print(forbidden_message(name, False, watch.found, watch.rule))
                return CheckResult(False, count, described, str(fail))
    finally:
        _WATCH.reset(token)
    if watch and watch.found:
        reason = forbidden_reason(True, watch.found, watch.rule)
        print(message("check.named", name=name, text=reason))
        return CheckResult(False, count, None, reason)
    print(message("check.passed_all", name=name, n=count) if count > 1 else message("check.passed", name=name))
    return CheckResult(True, count)


def as_array(value: object, shape: tuple[int, ...], dtype: DTypeLike, what: str | None = None,
             shape_hint: str = "") -> np.ndarray:
    """The answer as an ndarray of the expected shape and dtype, or a reported failure; not called in the book."""
    what = message("check.your_function") if what is None else what
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if not isinstance(value, np.ndarray):
        raise Fail(message("check.not_ndarray", what=what, type=type(value).__name__))
    if value.shape != tuple(shape):
        raise Fail(message("check.wrong_shape", what=what, shape=value.shape, expected=tuple(shape), hint=shape_hint))
    if value.dtype.kind not in "biuf":
        raise Fail(message("check.not_numbers", what=what, dtype=value.dtype))
    if dtype is not None and value.dtype != dtype:
        raise Fail(message("check.wrong_dtype", what=what, dtype=value.dtype, expected=np.dtype(dtype)))
    return value


def compare(got: np.ndarray, want: np.ndarray, mistakes: tuple = ()) -> None:
    """Fail at the first differing entry, with a diagnosis when ``got`` matches a known mistake.

    mistakes: ``(wrong_array, hint)`` pairs. Used by the checks; not called in the book.
    """
    if np.allclose(got, want, atol=1e-6):
        return
    for mistake, hint in mistakes:
        if mistake.shape == got.shape and np.allclose(got, mistake, atol=1e-6):
            raise Fail(hint)
    r = tuple(int(i) for i in np.argwhere(~np.isclose(got, want, atol=1e-6))[0])
    raise Fail(message("check.wrong_value", index=r, got=got[r], want=want[r]))


def is_int(value: object) -> bool:
    """True for Python and NumPy integers, False for bools; not called in the book."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def as_torch(a: np.ndarray) -> torch.Tensor:
    """A 2-D array as a float64 tensor of shape (1, 1, H, W); not called in the book."""
    return torch.as_tensor(np.asarray(a, dtype=np.float64))[None, None]


def describe(p: dict) -> str:
    """Keyword arguments written so that the case can be pasted back into a cell; not called in the book."""
    def one(v):
        if not isinstance(v, np.ndarray):
            return str(v)
        dtype = "" if v.dtype == np.float64 else f", dtype=np.{v.dtype}"
        return f"np.array({np.array2string(v, separator=', ').replace(chr(10), '')}{dtype})"
    return ", ".join(f"{k}={one(v)}" for k, v in p.items())
