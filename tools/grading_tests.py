"""Otter-Grader test files for one exercise notebook: the public check plus hidden tests.

For every exercise with a check cell (``result = tl.exercises.check_...(...)``) it writes
``tests/exn-NN-M.py`` in Otter's exception-based format:

* **public** (2 points): the check cell exactly as the student's notebook has it;
* **hidden: other cases** (1 point): the same check on cases drawn with another seed, for
  checks that draw random cases;
* **hidden: built without PyTorch** (1 point, exercise all-or-nothing): for the
  build-it-yourself exercises in ``BUILD_IT_YOURSELF``, the check runs with PyTorch's and
  tconv_lib's convolutions made to raise while the answer runs, so an answer that calls
  them scores 0 for the exercise.

Tests read the answer from the executed submission's namespace, re-running the setup
(imports) and check source of the instructor's copy, never the submission's own check cell.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
from exercise_format import has_solution, statement  # noqa: E402

# exercise label -> PyTorch functions the answer may still call (the rest raise while it runs)
BUILD_IT_YOURSELF = {
    "exn-01-2": (),             # the scatter loop
    "exn-01-3": (),             # the convolution matrix
    "exn-02-2": (),             # zero insertion
    "exn-02-4": (),             # the layer by zero insertion and a flipped kernel
    "exn-03-3": (),             # zero insertion with a border
    "exn-09-2": ("conv2d",),    # the layer as the gradient of F.conv2d: conv2d allowed, conv_transpose2d not
    "exn-13-2": (),             # ConvTranspose1d by zero insertion
}
HIDDEN_SEED = 1009
_CHECK = re.compile(r"\btl\.(exercises\w*)\.(check_\w+)\(")
PUBLIC_POINTS, HIDDEN_POINTS = 2, 1


@dataclass
class Exercise:
    """One autograded exercise of a notebook."""

    label: str
    title: str
    check: str  # source of the check cell(s)
    check_name: str


def exercises(nb) -> tuple[str, list[Exercise]]:
    """(setup source, autograded exercises) of an exercise notebook in the plain-Markdown form."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    setup = next((c.source for c in code[1:2] if "tl.exercises.check_" not in c.source), "")
    found, current, answered = [], None, False
    for cell in nb.cells:
        st = statement(cell.source) if cell.cell_type == "markdown" else None
        if st:
            current, answered = st, False
        elif current and has_solution(cell.source):
            answered = True
        elif current and answered and cell.cell_type == "code" and _CHECK.search(cell.source):
            call = _check_call(cell.source)
            found.append(Exercise(current[0], current[3], cell.source, call))
            current = None
    return setup, found


def _check_call(source: str) -> str:
    """``"module.check_name"`` of the first ``tl.<module>.check_...(...)`` call in ``source``."""
    m = _CHECK.search(source)
    if not m:
        raise ValueError(f"no tl.<module>.check_... call in {source!r}")
    return f"{m.group(1)}.{m.group(2)}"


def _rewrite(source: str, seed: int | None = None, forbid: bool = False) -> str:
    """The check source with ``seed=`` added and/or the answer wrapped in ``_forbid_conv(...)``."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr.startswith("check_"):
            if seed is not None:
                node.keywords.append(ast.keyword("seed", ast.Constant(seed)))
            if forbid and node.args:
                node.args[0] = ast.Call(ast.Name("_forbid_conv", ast.Load()), [node.args[0]], [])
    return ast.unparse(tree)


def _takes_seed(check: str) -> bool:
    """True when the check (``"module.check_name"``) draws random cases from a ``seed``."""
    module, name = check.split(".")
    return "seed" in inspect.signature(getattr(importlib.import_module(f"tconv_lib.{module}"), name)).parameters


_HEADER = '''"""{title} ({notebook}): public and hidden tests. Written by tools/grading_tests.py."""
import contextlib
import io

from otter.test_files import test_case

OK_FORMAT = False
name = {label!r}
points = {points}
all_or_nothing = {all_or_nothing}
SETUP = {setup!r}
ALLOWED = {allowed!r}


def _forbid_conv(fn):
    """``fn`` wrapped so that PyTorch's and tconv_lib's convolutions raise while it runs."""
    if not callable(fn):
        return fn  # a missing answer: the check reports it
    import torch
    import torch.nn.functional as F
    import tconv_lib.foundations.reference as reference

    names = ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "unfold", "fold")
    targets = [(F, n) for n in names] + [(torch, n) for n in names] + [(reference, n) for n in (
        "conv2d", "conv_transpose2d", "conv_transpose2d_stages", "zero_insert", "conv2d_matrix")]
    targets = [(m, n) for m, n in targets if hasattr(m, n) and n not in ALLOWED]

    def guarded(*args, **kwargs):
        saved = [(m, n, getattr(m, n)) for m, n in targets]

        def refuse(what):
            def raiser(*a, **k):
                raise RuntimeError(f"this exercise is to be built without {{what}}")
            return raiser
        originals = {{id(f): refuse(f"{{m.__name__}}.{{n}}") for m, n, f in saved}}
        scope = getattr(fn, "__globals__", {{}})  # names bound by `from torch.nn.functional import conv2d`
        rebound = {{k: v for k, v in scope.items() if id(v) in originals and callable(v)}}
        for m, n, f in saved:
            setattr(m, n, originals[id(f)])
        scope.update({{k: originals[id(v)] for k, v in rebound.items()}})
        try:
            return fn(*args, **kwargs)
        finally:
            for m, n, f in saved:
                setattr(m, n, f)
            scope.update(rebound)
    return guarded


def _run(env, source):
    ns = dict(env or {{}})
    ns["_forbid_conv"] = _forbid_conv
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(SETUP, ns)
        exec(source, ns)
    assert ns.get("result"), out.getvalue().strip() or "the check did not pass"
'''

_CASE = '''

@test_case(name={case!r}, points={points}, hidden={hidden})
def {function}(env):
    _run(env, {source!r})
'''


def test_file(notebook: str, setup: str, ex: Exercise) -> tuple[str, int]:
    """(source of the Otter test file, points) for one exercise."""
    cases = [("public: " + ex.check_name.split(".")[-1], PUBLIC_POINTS, False, ex.check)]
    if _takes_seed(ex.check_name):
        cases.append(("hidden: other cases", HIDDEN_POINTS, True, _rewrite(ex.check, seed=HIDDEN_SEED)))
    build = ex.label in BUILD_IT_YOURSELF
    if build:
        cases.append(("hidden: built without PyTorch's convolution", HIDDEN_POINTS, True,
                      _rewrite(ex.check, forbid=True)))
    points = sum(c[1] for c in cases)
    text = _HEADER.format(title=f"Exercise {ex.label}: {ex.title}", notebook=notebook, label=ex.label,
                          points=points, all_or_nothing=build, setup=setup,
                          allowed=BUILD_IT_YOURSELF.get(ex.label, ()))
    for i, (case, pts, hidden, source) in enumerate(cases):
        text += _CASE.format(case=case, points=pts, hidden=hidden, function=f"test_{i}", source=source)
    return text, points


def write_tests(notebook: Path, folder: Path) -> dict[str, int]:
    """Write one test file per autograded exercise of ``notebook`` into ``folder``; label -> points."""
    setup, found = exercises(nbformat.read(notebook, as_version=4))
    folder.mkdir(parents=True, exist_ok=True)
    points = {}
    for ex in found:
        text, points[ex.label] = test_file(f"exercises/{notebook.name}", setup, ex)
        (folder / f"{ex.label}.py").write_text(text)
    return points
