"""Otter-Grader test files for one exercise notebook: the public check plus hidden tests.

For every exercise with a check cell (``result = tl.exercises.check_...(...)``) it writes
``tests/exn-NN-M.py`` in Otter's exception-based format:

* **public** (2 points): the check cell exactly as the student's notebook has it;
* **hidden: other cases** (1 point): the same check on cases drawn with another seed, for
  checks that draw random cases;

The build-it-yourself rule is the checks' own (tconv_lib.exercises._rules): an answer that
reaches a forbidden operation fails the public check, with a report that says so, and every
hidden one. Tests read the answer from the executed submission's namespace, re-running the
setup (imports) and check source of the instructor's copy, never the submission's own check
cell; ``make grade`` runs the same cases (``cases``) outside the submission's process.
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


def _rewrite(source: str, seed: int) -> str:
    """The check source with ``seed=`` added to every check call."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr.startswith("check_"):
            node.keywords.append(ast.keyword("seed", ast.Constant(seed)))
    return ast.unparse(tree)


def answer_names(ex: Exercise, setup: str) -> list[str]:
    """The notebook names the check reads: ``answer("name")`` arguments and free names (``up3``)."""
    import builtins

    tree, bound = ast.parse(ex.check), _bound(setup)
    names = [n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args
             and isinstance(n.func, ast.Attribute) and n.func.attr == "answer" and isinstance(n.args[0], ast.Constant)]
    assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    names += [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
              and n.id not in assigned | bound and not hasattr(builtins, n.id)]
    return list(dict.fromkeys(names))


def _bound(source: str) -> set[str]:
    """Names a cell binds at top level (imports, assignments, definitions)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


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
SETUP = {setup!r}


def _run(env, source):
    ns = dict(env or {{}})
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


def cases(ex: Exercise) -> list[tuple[str, int, bool, str]]:
    """(name, points, hidden, check source) of every test of one exercise: public first."""
    found = [("public: " + ex.check_name.split(".")[-1], PUBLIC_POINTS, False, ex.check)]
    if _takes_seed(ex.check_name):
        found.append(("hidden: other cases", HIDDEN_POINTS, True, _rewrite(ex.check, seed=HIDDEN_SEED)))
    return found


def test_file(notebook: str, setup: str, ex: Exercise) -> tuple[str, int]:
    """(source of the Otter test file, points) for one exercise."""
    tests = cases(ex)
    points = sum(c[1] for c in tests)
    text = _HEADER.format(title=f"Exercise {ex.label}: {ex.title}", notebook=notebook, label=ex.label,
                          points=points, setup=setup)
    for i, (case, pts, hidden, source) in enumerate(tests):
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
