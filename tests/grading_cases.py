"""Submissions for the grading tests: chapter 2's exercise notebook answered in typical ways."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import edition  # noqa: E402

NOTEBOOK = ROOT / "exercises" / "02_stride.ipynb"
TORCH_ZERO_INSERT = '''def zero_insert(x, stride):
    # calls PyTorch instead of building it
    t = torch.from_numpy(x)[None, None]
    one = torch.ones(1, 1, 1, 1, dtype=t.dtype)
    return F.conv_transpose2d(t, one, stride=stride)[0, 0].numpy()'''
TORCH_LAYER = '''from torch.nn.functional import conv_transpose2d

def conv_transpose2d_zero_insertion(x, kernel, stride, padding):
    t, k = torch.from_numpy(x)[None, None], torch.from_numpy(kernel.copy())[None, None]
    return conv_transpose2d(t, k, stride=stride, padding=padding)[0, 0].numpy()'''


def _answer_cell(nb, name: str):
    return next(c for c in nb.cells if c.cell_type == "code" and "BEGIN SOLUTION" in c.source
                and (f"def {name}(" in c.source or f"{name} =" in c.source))


def submissions() -> dict[str, object]:
    """student name -> notebook, each answered in one typical way."""
    full = nbformat.read(NOTEBOOK, as_version=4)
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


def write(folder: Path) -> Path:
    """Write SUBMISSIONS/<student>/02_stride.ipynb for every case; return the folder."""
    for name, nb in submissions().items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / name / NOTEBOOK.name)
    return folder
