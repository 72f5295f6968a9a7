"""The PyTorch pin, read from its one home: the Makefile's ``TORCH_SPEC ?= ...`` line.

Tools that write requirements elsewhere (the Otter bundles, the wheel-only environment) take it
from here; binder/requirements.txt cannot, so tests/test_environment.py checks that it agrees.
"""
from __future__ import annotations

import re
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parent.parent / "Makefile"


def torch_spec(makefile: Path = MAKEFILE) -> str:
    """The default TORCH_SPEC of the Makefile, such as ``"torch==X.Y.Z"``."""
    match = re.search(r"^TORCH_SPEC\s*\?=\s*(\S+)\s*$", makefile.read_text(), re.M)
    if not match:
        raise ValueError(f"{makefile} has no 'TORCH_SPEC ?= ...' line")
    return match.group(1)
