"""The PyTorch pin as text, for files that cannot point pip at constraints.txt (its one home).

pip reads the pin itself (``pip install -c constraints.txt torch``: the Makefile and
tools/test_wheel.py). The Otter bundles' requirements.txt travels without the repository, so
tools/autograder.py writes the pin into it from here; binder/requirements.txt is checked
against it by tests/test_environment.py.
"""
from __future__ import annotations

from pathlib import Path

from packaging.requirements import Requirement

CONSTRAINTS = Path(__file__).resolve().parent.parent / "constraints.txt"


def torch_spec(constraints: Path = CONSTRAINTS) -> str:
    """The torch requirement of the constraints file, such as ``"torch==X.Y.Z"``."""
    for line in constraints.read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if text and Requirement(text).name == "torch":
            return str(Requirement(text))
    raise ValueError(f"{constraints} has no torch requirement")
