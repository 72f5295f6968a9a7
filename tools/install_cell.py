"""The notebooks' first code cell, which installs the course library on Colab or Binder: its one home.

    python tools/install_cell.py exercises/*.ipynb          # rewrite the first code cell
    python tools/install_cell.py --check chapters/*.ipynb   # exit 1 if any differs

The repository comes from ``_config.yml`` (``repository.url``), the minimum version from
``tconv_lib.__version__``. The cell does nothing where a recent enough tconv_lib is
installed (make test, make lab); otherwise it pip-installs the library from the repository
and stops the notebook with a clear message when that fails or leaves an older version
loaded. The student edition rewrites the ``REPOSITORY = ...`` line (tools/edition.py).
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIRST_LINE = "# Running on Colab, Binder or another fresh environment? This installs the course library."
_REPOSITORY = re.compile(r'^REPOSITORY = ".*"$', re.M)

TEMPLATE = '''{first_line}
# Where a recent enough tconv_lib is already installed (make lab, make test) it does nothing.
REPOSITORY = "{repository}"
MIN_VERSION = "{min_version}"  # this notebook needs at least this tconv_lib version
import importlib
import importlib.util
import subprocess
import sys


def _tconv_version():
    if importlib.util.find_spec("tconv_lib") is None:
        return None
    import tconv_lib
    return tconv_lib.__version__


def _older(found):
    return found is None or [int(p) for p in found.split(".")[:3]] < [int(p) for p in MIN_VERSION.split(".")]


if _older(_tconv_version()):
    if not REPOSITORY:
        raise RuntimeError("The course library tconv_lib is not installed and this copy of the notebook names "
                           "no repository to install it from. Ask your instructor how to install it.")
    print("Installing the course library (tconv-course) from " + REPOSITORY + " ...")
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--upgrade",
                          "tconv-course @ git+" + REPOSITORY], capture_output=True, text=True)
    if pip.returncode != 0:
        raise RuntimeError("Installing the course library failed, so the cells below cannot run. "
                           "Check the internet connection and the repository address above, then run "
                           "this cell again. pip said:\\n" + (pip.stderr or pip.stdout)[-1500:])
    importlib.invalidate_caches()
    if _older(_tconv_version()):
        raise RuntimeError("tconv_lib " + str(_tconv_version()) + " is still loaded, but this notebook needs "
                           + MIN_VERSION + ". Restart the kernel (Colab: Runtime > Restart session) "
                           "and run this cell again.")'''


def config_repository(root: Path = ROOT) -> str:
    """``repository.url`` of ``_config.yml``: the one place the repository address lives."""
    return yaml.safe_load((root / "_config.yml").read_text())["repository"]["url"]


def min_version(root: Path = ROOT) -> str:
    """``tconv_lib.__version__`` as written in tconv_lib/__init__.py (read, not imported)."""
    tree = ast.parse((root / "tconv_lib" / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__version__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise ValueError("tconv_lib/__init__.py defines no __version__")


def cell_source(repository: str | None = None, version: str | None = None) -> str:
    """The install cell's source for ``repository`` (default: _config.yml) and ``version``."""
    return TEMPLATE.format(first_line=FIRST_LINE, repository=config_repository() if repository is None else repository,
                           min_version=version or min_version())


def is_install_cell(cell) -> bool:
    """True for an install cell of this or the previous form."""
    return cell.cell_type == "code" and ("REPOSITORY = " in cell.source or "%pip install" in cell.source
                                         or cell.source.startswith(FIRST_LINE))


def apply(nb, source: str) -> bool:
    """Make ``source`` the notebook's first code cell (replacing an install cell); True if changed."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code and is_install_cell(code[0]):
        cell = code[0]
        changed = cell.source != source or cell.outputs or cell.metadata.get("tags") != ["remove-cell"]
    else:
        cell, changed = nbformat.v4.new_code_cell(source), True
        nb.cells.insert(nb.cells.index(code[0]) if code else len(nb.cells), cell)
    cell.source, cell.outputs, cell.execution_count = source, [], None
    cell.metadata["tags"] = ["remove-cell"]  # the book does not show it
    return bool(changed)


def set_repository(nb, repository: str) -> None:
    """Point the notebook's install cell (if any) at ``repository`` ("" for none)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and _REPOSITORY.search(cell.source):
            cell.source = _REPOSITORY.sub(f'REPOSITORY = "{repository}"', cell.source)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/install_cell.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report notebooks whose cell differs; write nothing")
    args = parser.parse_args(argv)
    source, differ = cell_source(), []
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        if apply(nb, source):
            differ.append(path)
            if not args.check:
                nbformat.write(nb, path)
    verb = "differ" if args.check else "rewritten"
    print(f"install cell: {len(differ)} of {len(args.notebooks)} notebook(s) {verb}" +
          "".join(f"\n  {p}" for p in differ))
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    sys.exit(main())
