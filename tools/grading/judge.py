"""Score one submission: its answers come out of the sandbox as plain data, the tests run here.

The grader's process never runs the submission's code: an answer function stays in the
sandbox and is called through it (arguments and results as plain data), a standard torch.nn
module comes over as weights loaded with ``weights_only=True``. So nothing the submission
defines or patches (the checks, ``builtins``, the CSV) can change how its answers are judged.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import selectors
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

import torch

from tconv_lib.exercises._core import active_watch

from .sandbox import Limits, limit_resources
from .wire import decode, encode

MAX_REPLY = 256 * 2**20
# names in a submission's code that can hide a forbidden call from the recorder or reach into the grader
_REVIEW = re.compile(r"\b(_python_dispatch|TorchDispatchMode|_pop_mode|_set_torch_dispatch_mode|setprofile|settrace|"
                     r"threading|_thread|concurrent\.futures|multiprocessing|jit\.fork|ctypes|get_referrers|_tconv_grader|_rules|"
                     r"sys\.modules|__code__|/proc/)")


class WorkerGone(BaseException):
    """The sandboxed process timed out or ended; not an Exception, so no check swallows it."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass
class ExerciseSpec:
    """What the grader needs for one exercise: answer names, setup, and (name, points, hidden, source) cases."""

    label: str
    names: list[str]
    setup: str
    cases: list[tuple[str, int, bool, str]]


class Session:
    """One running worker: requests out, replies in, within the notebook's wall-time limit."""

    def __init__(self, argv: list[str], env: dict, limits: Limits):
        self.limits, self.deadline = limits, time.monotonic() + limits.wall
        prefix, preexec = limit_resources(limits)
        self.proc = subprocess.Popen(prefix + argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, start_new_session=True, preexec_fn=preexec)
        self.tail = b""
        threading.Thread(target=self._drain, daemon=True).start()
        self._buffer = b""

    def _drain(self) -> None:
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            self.tail = (self.tail + chunk)[-4000:]

    def _gone(self) -> WorkerGone:
        self.kill()
        if time.monotonic() >= self.deadline:
            return WorkerGone("timeout", f"the notebook did not finish within {self.limits.wall:g} s")
        code = self.proc.wait()
        why = {-signal.SIGXCPU: " (CPU-time limit)", -signal.SIGKILL: " (killed: memory?)"}.get(code, "")
        last = self.tail.decode(errors="replace").strip().splitlines()[-1:] or [""]
        return WorkerGone("error", f"the notebook's process ended{why}, exit code {code}: {last[0][:200]}")

    def request(self, message: dict | None = None) -> dict:
        """Send ``message`` (none: just read the first reply) and return the reply."""
        try:
            if message is not None:
                self.proc.stdin.write((json.dumps(message) + "\n").encode())
                self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._gone() from None
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        while b"\n" not in self._buffer:
            left = self.deadline - time.monotonic()
            if left <= 0 or not selector.select(timeout=left):
                raise self._gone()
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk or len(self._buffer) > MAX_REPLY:
                raise self._gone()
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            reply = json.loads(line)
        except ValueError:
            raise WorkerGone("error", "the sandbox sent a malformed reply") from None
        if not isinstance(reply, dict) or "failure" in reply:
            raise WorkerGone("error", f"the sandbox could not answer: {str(reply)[-200:]}")
        return reply

    def kill(self) -> None:
        """End the sandbox (its PID namespace takes every process it started with it)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def _remote_error(name: str, message: str) -> Exception:
    safe = "".join(ch for ch in name if ch.isalnum() or ch == "_")[:60] or "Error"
    return type(safe, (Exception,), {})(message)


class RemoteFunction:
    """Stands for an answer function: calling it runs the function in the sandbox, on plain data."""

    watches_itself = True  # the sandbox applies the exercise's rule where the function runs

    def __init__(self, session: Session, handle: int, name: str):
        self.session, self.handle, self.__name__ = session, handle, name

    def __call__(self, *args, **kwargs):
        watch = active_watch()
        reply = self.session.request({"op": "call", "id": self.handle, "args": encode(args, []),
                                      "kwargs": encode(kwargs, []),
                                      "rule": watch.rule.to_dict() if watch else None})
        if watch:
            watch.found |= {str(f)[:120] for f in reply.get("found", [])}
        if "raised" in reply:
            if reply.get("not_implemented"):
                raise NotImplementedError(str(reply.get("message", "")))
            raise _remote_error(str(reply["raised"]), str(reply.get("message", "")))
        return decode(reply["ok"], self._function, module=self._module)

    def _function(self, handle, name):
        return RemoteFunction(self.session, handle, name)

    def _module(self, handle, name, children, parameters):
        return RemoteModule(self.session, handle, name, children, parameters)


class RemoteModule(torch.nn.Module):
    """Stands for an nn.Module of a class the notebook defines: its layers are here, its forward runs in the sandbox."""

    def __init__(self, session: Session, handle: int, name: str, children: dict, parameters: dict):
        super().__init__()
        self.remote = RemoteFunction(session, handle, name)
        self.remote_name = name
        for key, child in children.items():
            if isinstance(child, torch.nn.Module):
                self.add_module(key, child)
        for key, value in parameters.items():
            if isinstance(value, torch.Tensor):
                self.register_parameter(key, torch.nn.Parameter(value))

    def forward(self, *args, **kwargs):
        """The notebook's forward, run in the sandbox in this module's training mode."""
        return self.remote(*args, _tconv_training=self.training, **kwargs)

    def extra_repr(self) -> str:
        return f"{self.remote_name}, defined in the notebook"


# What marks a report line that says why a check failed, in the checks' English and Japanese messages
# (tconv_lib/messages/*/checks.py: check.failed and the forbidden-call messages).
REASON_MARKERS = ("FAILED", "hint:", "score 0", "不合格", "ヒント：", "0点")


def _reason(output: str) -> str:
    """The lines of a check's report that say why it failed."""
    lines = [ln.strip() for ln in output.splitlines() if any(marker in ln for marker in REASON_MARKERS)]
    return " ".join(lines or output.strip().splitlines()[-1:])[:400]


def run_case(setup: str, answers: dict, source: str) -> tuple[bool, str]:
    """(passed, report) of one test: the instructor's setup and check source, on the answers."""
    ns: dict = {"__name__": "__grader__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(setup, ns)
            ns.update(answers)
            exec(source, ns)
            passed = bool(ns.get("result"))
        except Exception as exc:  # the instructor's check itself crashed on this answer
            passed = False
            print(f"FAILED: the check raised {type(exc).__name__}: {exc}")
    return passed, out.getvalue()


def score_exercise(session: Session, spec: ExerciseSpec) -> tuple[float, str]:
    """(points, reason) for one exercise of a running submission."""
    values = session.request({"op": "get", "names": spec.names})["values"]
    answers = {}
    for name in spec.names:
        data = values.get(name, {"$": "missing"})
        if isinstance(data, dict) and data.get("$") == "missing":
            continue  # unset: the check reports "no answer yet"
        answers[name] = decode(data, lambda handle, fn_name: RemoteFunction(session, handle, fn_name),
                               module=lambda *a: RemoteModule(session, *a))
    remote = [name for name, value in answers.items() if isinstance(value, RemoteModule)]
    points, reasons = 0.0, []
    for case, worth, hidden, source in spec.cases:
        passed, report = run_case(spec.setup, answers, source)
        if passed:
            points += worth
        else:
            reasons.append(_reason(report) if not hidden else f"{case}: failed")
    if reasons and remote:
        reasons.append(f"`{remote[0]}` is a class defined in the notebook: the grader runs its forward in the "
                       "sandbox, so checks that need its gradient or an ONNX export of it cannot pass; "
                       "torch.nn's own layers (nn.Sequential and the like) can")
    return points, "; ".join(reasons)


def review_note(sources: list[str]) -> str:
    """A note asking for a look when the code uses what could hide a forbidden call ("" when none)."""
    found = sorted({m.group(1) for source in sources for m in _REVIEW.finditer(source)})
    if not found:
        return ""
    return (f"review: the notebook uses {', '.join(found)}, which could hide a call the exercise forbids "
            "from the grader; read its answers before trusting full marks")
