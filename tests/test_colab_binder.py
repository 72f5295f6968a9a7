"""Colab and Binder readiness: one repository URL, one install cell, a lean Binder environment.

The repository address lives in _config.yml (repository.url); the launch buttons read it
there, and the notebooks' install cells and the README must agree with it. The install
cell's source has one home, tools/install_cell.py.
"""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import install_cell  # noqa: E402
from torch_pin import torch_spec  # noqa: E402

NOTEBOOKS = sorted(ROOT.glob("chapters/[0-9][0-9]_*.ipynb")) + sorted(ROOT.glob("exercises/[0-9][0-9]_*.ipynb"))
URL = install_cell.config_repository()


def test_the_repository_url_has_one_home():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert URL == config["repository"]["url"] and URL.startswith("https://")
    assert config["launch_buttons"]["colab_url"] and config["launch_buttons"]["binderhub_url"]
    readme = (ROOT / "README.md").read_text()
    urls = {u.rstrip(".") for u in re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", readme)}  # a sentence may end on it
    assert urls == {URL}, f"README names {urls}, _config.yml {URL}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_first_code_cell_is_the_install_cell(path):
    """Apply with: python tools/install_cell.py chapters/*.ipynb exercises/*.ipynb"""
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.source == install_cell.cell_source(), "stale install cell: run tools/install_cell.py on it"
    assert first.metadata.get("tags") == ["remove-cell"] and not first.outputs


def run_cell(source: str, tmp_path: Path, fake_pip_rc: int | None = None) -> subprocess.CompletedProcess:
    """Run the install cell in a fresh interpreter; ``fake_pip_rc`` hides tconv_lib and fakes pip."""
    prelude = ""
    if fake_pip_rc is not None:
        prelude = textwrap.dedent(f"""
            import importlib.util, subprocess, types
            _find = importlib.util.find_spec
            importlib.util.find_spec = lambda name, *a: None if name == "tconv_lib" else _find(name, *a)
            subprocess.run = lambda *a, **k: types.SimpleNamespace(returncode={fake_pip_rc}, stderr="ERROR: no network",
                                                                    stdout="")
            """)
    script = tmp_path / "cell.py"
    script.write_text(prelude + source)
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=120)


def test_install_cell_does_nothing_when_tconv_lib_is_recent(tmp_path):
    done = run_cell(install_cell.cell_source(), tmp_path)
    assert done.returncode == 0 and done.stdout == "", done.stderr


def test_install_cell_stops_with_a_clear_message_when_pip_fails(tmp_path):
    done = run_cell(install_cell.cell_source(), tmp_path, fake_pip_rc=1)
    assert done.returncode != 0
    assert "Installing the course library failed" in done.stderr and "no network" in done.stderr


def test_install_cell_rejects_an_old_tconv_lib(tmp_path):
    done = run_cell(install_cell.cell_source(version="99.0.0"), tmp_path, fake_pip_rc=0)
    assert done.returncode != 0 and "needs 99.0.0" in done.stderr and "Restart" in done.stderr


def test_install_cell_without_a_repository_says_so(tmp_path):
    done = run_cell(install_cell.cell_source(repository=""), tmp_path, fake_pip_rc=0)
    assert done.returncode != 0 and "names no repository" in done.stderr


def test_binder_environment_is_lean_and_cpu_only():
    req = (ROOT / "binder" / "requirements.txt").read_text()
    lines = [ln.strip() for ln in req.splitlines() if ln.strip() and not ln.startswith("#")]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    assert torch_spec() in lines
    for heavy in ("jupyter-book", "pytest", "playwright", "nbval", "sphinx", "otter"):
        assert heavy not in req
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install --no-cache-dir ." in post and (ROOT / "binder" / "postBuild").stat().st_mode & 0o111
