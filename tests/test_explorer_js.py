"""The explorer's pure JavaScript parts (state, steps, captions, strings) under Node's own test runner.

The tests themselves are in tests/js/*.test.mjs (``node --test tests/js/`` runs them alone); this module runs them in
``make test`` and shows Node's report when one fails.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

NODE = shutil.which("node")
JS = Path(__file__).resolve().parent / "js"


@pytest.mark.skipif(NODE is None, reason="node (Debian's nodejs) is not installed")
def test_node_unit_tests_pass():
    files = sorted(JS.glob("*.test.mjs"))
    assert files, f"no *.test.mjs in {JS}"
    run = subprocess.run([NODE, "--test", *map(str, files)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout
