"""pyproject.toml and environment.yml must list the same packages.

The conda environment is the alternative to `make`'s .venv, so it has to carry
the core dependencies plus the `book` and `test` extras, no more, no less.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomllib
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"

EXTRAS = ("book", "test")
# Conda packages whose PyPI distribution has a different name.
CONDA_TO_PYPI = {"pytorch": "torch", "matplotlib-base": "matplotlib"}
# Entries of environment.yml that are tooling, not project dependencies.
CONDA_TOOLING = {"python", "pip"}

_CONDA_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$")


def _pyproject() -> dict:
    with PYPROJECT.open("rb") as fh:
        return tomllib.load(fh)


def _environment() -> dict:
    with ENVIRONMENT.open() as fh:
        return yaml.safe_load(fh)


def pyproject_requirements() -> dict[str, Requirement]:
    """Core + book + test requirements, keyed by normalised name."""
    project = _pyproject()["project"]
    lines = list(project["dependencies"])
    for extra in EXTRAS:
        lines += project["optional-dependencies"][extra]
    return {canonicalize_name(Requirement(line).name): Requirement(line) for line in lines}


def split_conda_spec(spec: str) -> tuple[str, str]:
    """'jupyter-book>=1.0.4,<2' -> ('jupyter-book', '>=1.0.4,<2'); channel prefix dropped."""
    spec = spec.split("::")[-1]
    match = _CONDA_NAME.match(spec)
    assert match, f"cannot parse conda dependency {spec!r}"
    name, version = match.groups()
    return name, version.replace(" ", "")


def environment_requirements() -> dict[str, str]:
    """Conda + pip dependencies of environment.yml -> {normalised name: version spec}."""
    found: dict[str, str] = {}
    for entry in _environment()["dependencies"]:
        if isinstance(entry, dict):
            for line in entry.get("pip", []):
                if line.startswith(("-e", "--editable", ".")):
                    continue  # the project itself
                req = Requirement(line)
                found[canonicalize_name(req.name)] = str(req.specifier)
            continue
        name, version = split_conda_spec(entry)
        name = canonicalize_name(CONDA_TO_PYPI.get(name.lower(), name))
        if name in CONDA_TOOLING:
            continue
        found[name] = version
    return found


def test_environment_yml_lists_the_same_packages_as_pyproject():
    expected = set(pyproject_requirements())
    actual = set(environment_requirements())
    only_pyproject = sorted(expected - actual)
    only_environment = sorted(actual - expected)
    assert not (only_pyproject or only_environment), (
        "environment.yml and pyproject.toml (core + [book] + [test]) disagree:\n"
        f"  only in pyproject.toml:  {only_pyproject or '-'}\n"
        f"  only in environment.yml: {only_environment or '-'}"
    )


def test_environment_yml_installs_the_project_editable():
    pip_lines = [
        line
        for entry in _environment()["dependencies"]
        if isinstance(entry, dict)
        for line in entry.get("pip", [])
    ]
    assert any(line.replace(" ", "").startswith("-e.") for line in pip_lines), pip_lines


@pytest.mark.parametrize("source", ["pyproject.toml", "environment.yml"])
def test_jupyter_book_is_pinned_below_2(source):
    if source == "pyproject.toml":
        spec = SpecifierSet(str(pyproject_requirements()["jupyter-book"].specifier))
    else:
        spec = SpecifierSet(environment_requirements()["jupyter-book"])
    assert "1.0.4" in spec, f"{source}: jupyter-book {spec} rejects 1.0.4"
    assert "2.0.0" not in spec and "2.1" not in spec, (
        f"{source}: jupyter-book {spec or '(unpinned)'} admits 2.x, "
        "a different tool (mystmd); pin it <2"
    )


def test_torch_pin_has_one_home():
    """constraints.txt holds the pin; Binder (which cannot read it) agrees, and nothing else pins torch."""
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from torch_pin import torch_spec

    spec = torch_spec()
    assert spec.startswith("torch==")
    binder = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    assert spec in binder, f"binder/requirements.txt must pin {spec}, like constraints.txt"
    tracked = subprocess.run(["git", "ls-files", "*.py", "*.toml", "*.yml", "*.cfg", "*.txt", ".ci/run"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    home = ("constraints.txt", "binder/requirements.txt")
    pinned = [f for f in tracked + ["Makefile"] if spec in (ROOT / f).read_text() and f not in home]
    assert pinned == [], f"only constraints.txt may pin torch; also pinned in {pinned}"


@pytest.mark.parametrize("torch_spec, pip_args", [("", "-c constraints.txt torch"),
                                                   ("torch==2.1.0", "'torch==2.1.0'")])
def test_make_passes_the_pin_to_pip_unless_torch_spec_overrides_it(torch_spec, pip_args):
    """`make` installs torch with pip's -c constraints.txt; `make TORCH_SPEC=...` installs that instead."""
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry = subprocess.run(["make", "-n", "-B", "venv", "wheel-env", f"TORCH_SPEC={torch_spec}", "VENV=/nonexistent"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    torch_line = next(line for line in dry.splitlines() if " install " in line and "torch" in line)
    assert torch_line.split(" install ", 1)[1].strip().endswith(pip_args)
    assert ("-c constraints.txt -e '.[book,test]'" in dry) == (not torch_spec)   # nothing else may move torch
    assert ("--torch " in dry) == bool(torch_spec)   # tools/test_wheel.py reads constraints.txt itself
