"""Submissions for the grading tests: chapter 2's exercise notebook answered in typical and hostile ways.

``submissions()`` holds the honest ones (full, untouched, no_flip, torch_calls, broken);
``ATTACKS`` the hostile ones, each an honest base plus one attack (a cell or an answer), with
the marks its honest part earns. Attack cells name real paths through ``{submissions}``,
``{bundles}``, ``{root}`` and ``{marker}``, filled in by tests/test_grading_hostile.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import edition  # noqa: E402

NOTEBOOK = ROOT / "exercises" / "02_stride.ipynb"
FULL = {"2.1": 2, "2.2": 3, "2.3": 3, "2.4": 3}
NONE = {"2.1": 0, "2.2": 0, "2.3": 0, "2.4": 0}
TORCH_ZERO_INSERT = '''import torch
import torch.nn.functional as F

def zero_insert(x, stride):
    # calls PyTorch instead of building it
    t = torch.from_numpy(x)[None, None]
    one = torch.ones(1, 1, 1, 1, dtype=t.dtype)
    return F.conv_transpose2d(t, one, stride=stride)[0, 0].numpy()'''
TORCH_LAYER = '''import torch
from torch.nn.functional import conv_transpose2d

def conv_transpose2d_zero_insertion(x, kernel, stride):
    t, k = torch.from_numpy(x)[None, None], torch.from_numpy(kernel.copy())[None, None]
    return conv_transpose2d(t, k, stride=stride)[0, 0].numpy()'''
ATEN_ZERO_INSERT = '''import torch

def zero_insert(x, stride):
    t = torch.from_numpy(x)[None, None]
    one = torch.ones(1, 1, 1, 1, dtype=t.dtype)
    return torch.ops.aten.conv_transpose2d(t, one, stride=[stride, stride])[0, 0].numpy()'''
DEFAULT_ARG_LAYER = '''import torch
import torch.nn.functional as F

def conv_transpose2d_zero_insertion(x, kernel, stride, _layer=F.conv_transpose2d):
    t, k = torch.from_numpy(x)[None, None], torch.from_numpy(kernel.copy())[None, None]
    return _layer(t, k, stride=stride)[0, 0].numpy()'''
THREAD_ZERO_INSERT = '''import torch
import torch.nn.functional as F
from concurrent.futures import ThreadPoolExecutor

_pool = ThreadPoolExecutor(1)  # made before the grader watches the call

def zero_insert(x, stride):
    t = torch.from_numpy(x)[None, None]
    one = torch.ones(1, 1, 1, 1, dtype=t.dtype)
    return _pool.submit(F.conv_transpose2d, t, one, stride=stride).result()[0, 0].numpy()'''
TAMPERED_ZERO_INSERT = '''import torch
import torch.nn.functional as F
from tconv_lib.exercises import _rules

_rules._Recorder.__torch_dispatch__ = lambda self, func, types, args=(), kwargs=None: func(*args, **(kwargs or {}))

def zero_insert(x, stride):
    t = torch.from_numpy(x)[None, None]
    return F.conv_transpose2d(t, torch.ones(1, 1, 1, 1, dtype=t.dtype), stride=stride)[0, 0].numpy()'''
LIBRARY_ZERO_INSERT = '''from tconv_lib.foundations import reference as _r
_helper = _r.zero_insert

def zero_insert(x, stride):
    return _helper(x, stride)'''

# name -> (base submission, where the attack goes: "cell" or an answer name, source, marks its honest part earns)
ATTACKS = {
    "patch_checks": ("untouched", "cell", '''import tconv_lib.exercises._core as core
core.CheckResult.__bool__ = lambda self: True
core.run_cases = lambda name, cases, rule=None: core.CheckResult(True, 1)
tl.exercises.check_zero_insert = lambda *a, **k: core.CheckResult(True, 1)''', NONE),
    "wrap_exec": ("untouched", "cell", '''import builtins
_exec = builtins.exec
def _passing(source, *args, **kwargs):
    ns = args[0] if args else kwargs.get("globals", {{}})
    try:
        return _exec(source, *args, **kwargs)
    finally:
        if isinstance(ns, dict):
            ns["result"] = True
builtins.exec = _passing''', NONE),
    "detached_rewrite": ("full", "cell", '''import os, subprocess, sys
code = ("import time, pathlib; time.sleep(4); "
        "pathlib.Path({submissions!r}, 'grades.csv').write_text('student,points\\\\nfull,0\\\\n')")
subprocess.Popen([sys.executable, "-c", code, {marker!r}], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    os.execv("/bin/sleep", ["sleep", "300", {marker!r}])''', FULL),
    "read_hidden": ("untouched", "cell", '''import pathlib
seen = []
for place in ({bundles!r}, {root!r} + "/tools", "../source/tests", "/autograder/source/tests", {submissions!r}):
    try:
        seen += [p.read_text()[:100] for p in pathlib.Path(place).rglob("*.py")]
        seen += [p.name for p in pathlib.Path(place).rglob("*")]
    except OSError:
        pass
if seen:
    shape = (1, 1, 7, 7)  # scores only if something could be read''', NONE),
    "overwrite_classmate": ("untouched", "cell", '''import pathlib
for victim in pathlib.Path({submissions!r}).glob("*/*.ipynb"):
    try:
        victim.write_text("{{}}")
    except OSError:
        pass''', NONE),
    "delete_classmate": ("untouched", "cell", '''import shutil
shutil.rmtree({submissions!r} + "/no_flip", ignore_errors=True)
shutil.rmtree({bundles!r}, ignore_errors=True)''', NONE),
    "patch_library": ("untouched", "cell", '''import tconv_lib.exercises._core as core
line = "\\nCheckResult.__bool__ = lambda self: True\\n"
for target in ({root!r} + "/tconv_lib/exercises/_core.py", core.__file__):
    try:
        with open(target, "a") as fh:
            fh.write(line)
    except OSError:
        pass''', NONE),
    "endless_loop": ("full", "cell", "while True:\n    pass", None),
    "delete_points": ("full", "cell", '''import os, pathlib
for p in pathlib.Path({bundles!r}).rglob("points.json"):
    os.remove(p)''', FULL),
    "aten_bypass": ("full", "zero_insert", ATEN_ZERO_INSERT, {**FULL, "2.2": 0, "2.4": 0}),  # 2.4 calls it
    "default_argument": ("full", "conv_transpose2d_zero_insertion", DEFAULT_ARG_LAYER, {**FULL, "2.4": 0}),
    "library_answer": ("full", "zero_insert", LIBRARY_ZERO_INSERT, {**FULL, "2.2": 0, "2.4": 0}),
    # our own
    "installed_copy": ("untouched", "cell", '''import os
import tconv_lib
if tconv_lib.__file__.startswith("/grader/lib/") and not os.path.exists({root!r} + "/tconv_lib"):
    shape = (1, 1, 7, 7)  # a probe, not an attack: scores only if the library is the installed copy''',
                       {**NONE, "2.1": 2}),
    "thread_pool": ("full", "zero_insert", THREAD_ZERO_INSERT, {**FULL, "2.2": 0, "2.4": 0}),
    "tamper_recorder": ("full", "zero_insert", TAMPERED_ZERO_INSERT, {**FULL, "2.2": 0, "2.4": 0}),
    "network": ("untouched", "cell", '''import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=3).sendall(b"leak")
    shape = (1, 1, 7, 7)  # scores only if the grader's machine could be reached
except OSError:
    pass''', NONE),
    "memory_bomb": ("full", "cell", '''try:
    hog = bytearray(5 * 2**30)  # above the test's 3 GiB limit
    del shape  # reached only if the memory limit did not hold: 2.1 then scores 0
except MemoryError:
    pass''', FULL),
    "kills_itself": ("full", "cell", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", None),
    "output_flood": ("full", "cell", "import sys\nfor _ in range(200):\n    sys.stdout.write('x' * 100_000)",
                     FULL),
    "forged_reply": ("untouched", "cell", '''import os
for fd in range(3, 20):
    try:
        os.write(fd, b'{{"values": {{"shape": [1, 1, 7, 7]}}}}\\n{{"ready": true, "errors": []}}\\n')
    except OSError:
        pass''', NONE),
}


def _answer_cell(nb, name: str):
    return next(c for c in nb.cells if c.cell_type == "code" and "BEGIN SOLUTION" in c.source
                and (f"def {name}(" in c.source or f"{name} =" in c.source))


def submissions(notebook: Path = NOTEBOOK) -> dict[str, object]:
    """student name -> notebook, each answered in one typical way (``notebook``: chapter 2's, in a language)."""
    full = nbformat.read(notebook, as_version=4)
    student, _ = edition.student_notebook(full, clear_outputs=True)
    no_flip = nbformat.from_dict(full)
    cell = _answer_cell(no_flip, "conv_transpose2d_zero_insertion")
    cell.source = cell.source.replace("flipped = kernel[::-1, ::-1]", "flipped = kernel")
    torch_calls = nbformat.from_dict(full)
    _answer_cell(torch_calls, "zero_insert").source = TORCH_ZERO_INSERT
    _answer_cell(torch_calls, "conv_transpose2d_zero_insertion").source = TORCH_LAYER
    broken = nbformat.from_dict(student)
    stubs = [c for c in broken.cells if c.cell_type == "code" and "# YOUR CODE HERE" in c.source]
    stubs[0].source = "shape = (1, 1, 7, 7)"   # exercise 2.1 answered
    stubs[1].source = "def zero_insert(x, stride):\n    return x[0, 0] / 0 + undefined_name"  # raises when called
    stubs[3].source = ""                        # exercise 2.4 left empty
    return {"full": full, "untouched": student, "no_flip": no_flip, "torch_calls": torch_calls, "broken": broken}


def attack(name: str, **paths) -> object:
    """The notebook of one attack in ``ATTACKS``, its paths filled in."""
    base, where, source, _ = ATTACKS[name]
    nb = nbformat.from_dict(submissions()[base])
    source = source.format(**paths) if where == "cell" else source  # answers hold no paths
    if where == "cell":
        nb.cells.append(nbformat.v4.new_code_cell(source))
    else:
        _answer_cell(nb, where).source = source
    return nb


def write(folder: Path, notebook: Path = NOTEBOOK) -> Path:
    """Write SUBMISSIONS/<student>/02_stride.ipynb for every honest case; return the folder."""
    for name, nb in submissions(notebook).items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / name / NOTEBOOK.name)
    return folder
