"""Runs inside the sandbox: execute one submitted notebook, then answer the grader's requests.

    python -S -m _tconv_grader.worker NOTEBOOK

Every code cell runs in order in one namespace (errors are recorded, not fatal; the Colab
install cell and IPython magics are skipped). Then requests arrive on stdin, one JSON object a
line, and replies leave on the original stdout (the notebook's own output goes to stderr):
``get`` (answers as plain data, see wire.py), ``call`` (call an answer function, or the forward
of a module whose class the notebook defines, on plain data, watching the exercise's
build-it-yourself rule) and ``exit``. No test, hidden or public, ever reaches it. Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import _thread
import json
import os
import sys
import threading
import traceback

import torch  # imported before any student code runs
from torch.utils._python_dispatch import TorchDispatchMode

import tconv_lib  # the read-only installed copy on sys.path  # noqa: F401
import tconv_lib.exercises  # noqa: F401
from tconv_lib.exercises import _rules
from tconv_lib.exercises._rules import Rule, record_threads, watching

from .wire import decode, encode

_CANARY = torch.ops.aten.convolution.default
TAMPERED = "a change to the grader's recorder (so this answer cannot be judged)"


def _snapshot() -> list:
    """The objects the recorder relies on; a submission that replaces one is reported."""
    spaces = (vars(_rules), vars(_rules._Recorder), vars(_rules._ThreadRecorder), vars(TorchDispatchMode))
    return [(space, name, value) for space in spaces for name, value in list(space.items())] + [
        (vars(sys), "setprofile", sys.setprofile), (vars(sys), "getprofile", sys.getprofile),
        (vars(_thread), "start_new_thread", _thread.start_new_thread),
        (vars(threading), "_start_new_thread", threading._start_new_thread)]


def _intact(snapshot: list) -> bool:
    """True when every object of ``snapshot`` is still in place and the recorder still sees a convolution."""
    if any(space.get(name) is not value for space, name, value in snapshot):
        return False
    one = torch.ones(1, 1, 1, 1)
    try:
        with watching(Rule("canary")) as found:
            _CANARY(one, one, None, [1, 1], [0, 0], [1, 1], True, [0, 0], 1)
    except Exception:  # the submission broke what the recorder needs
        return False
    return bool(found)


class _NoIPython:
    """Stands in for ``get_ipython()``: magics and shell commands do nothing here."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def _cells(path: str) -> list[str]:
    """Source of every code cell, from the notebook's JSON (no nbformat validation needed)."""
    with open(path, encoding="utf-8") as fh:
        nb = json.load(fh)
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c.get("cell_type") == "code"]


def run_notebook(path: str) -> tuple[dict, list[str]]:
    """(namespace, one line per cell that raised) after running every code cell of ``path``."""
    ns, errors, transform = {"__name__": "__main__", "get_ipython": _NoIPython}, [], None
    for i, source in enumerate(_cells(path)):
        if source.lstrip().startswith("# Running on Colab"):
            continue
        try:
            if any(line.lstrip()[:1] in ("%", "!") for line in source.splitlines()):  # magics: IPython's syntax
                from IPython.core.inputtransformer2 import TransformerManager
                source = (transform := transform or TransformerManager()).transform_cell(source)
            exec(compile(source, f"<cell {i}>", "exec"), ns)
        except BaseException as exc:  # noqa: BLE001  (SystemExit and KeyboardInterrupt included)
            errors.append(f"cell {i}: {type(exc).__name__}: {str(exc)[:200]}")
    return ns, errors


def _call(fn, request: dict, snapshot: list) -> dict:
    args = decode(request.get("args", {"$": "tuple", "items": []}))
    kwargs = decode(request.get("kwargs", {"$": "dict", "items": []}))
    rule = Rule.from_dict(request["rule"]) if request.get("rule") else None
    training = kwargs.pop("_tconv_training", None)
    if isinstance(fn, torch.nn.Module) and training is not None:
        fn.train(bool(training))  # the grader's copy was switched with model.eval(); so is this one
    found: set[str] = set()
    try:
        if rule is None:
            result = fn(*args, **kwargs)
        else:
            with watching(rule) as found:
                result = fn(*args, **kwargs)
    except Exception as exc:
        if rule is not None and not _intact(snapshot):
            found.add(TAMPERED)
        return {"raised": type(exc).__name__, "message": str(exc)[:300],
                "not_implemented": isinstance(exc, NotImplementedError), "found": sorted(found)}
    if rule is not None and not _intact(snapshot):
        found.add(TAMPERED)
    handles: list = []
    return {"ok": encode(result, handles), "found": sorted(found)}


def main(path: str) -> int:
    """Execute ``path``, then serve requests until ``exit`` or end of input."""
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # the notebook's prints (Python and C) go to stderr, never into the replies
    sys.stdout = sys.stderr
    requests = os.fdopen(os.dup(0), encoding="utf-8")
    os.close(0)
    record_threads()  # before any student code: threads it starts record forbidden calls too
    snapshot = _snapshot()  # after record_threads(), so its thread starter is the one expected
    try:
        ns, errors = run_notebook(path)
        reply = {"ready": True, "errors": errors}
    except Exception as exc:
        ns, reply = {}, {"ready": False, "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    handles: list = []
    while True:
        replies.write(json.dumps(reply) + "\n")
        replies.flush()
        line = requests.readline()
        if not line:
            return 0
        request = json.loads(line)
        try:
            if request["op"] == "get":
                reply = {"values": {name: encode(ns[name], handles) if name in ns else {"$": "missing"}
                                    for name in request["names"]}}
            elif request["op"] == "call":
                reply = _call(handles[int(request["id"])], request, snapshot)
            else:
                return 0
        except Exception:
            reply = {"failure": traceback.format_exc(limit=3)[-600:]}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
