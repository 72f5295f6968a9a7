#!/usr/bin/env python3
"""Execute course notebooks in place: fresh kernel, top to bottom, outputs saved.

Usage:
    python tools/execute_notebooks.py                  # chapters/*.ipynb, exercises/*.ipynb
    python tools/execute_notebooks.py chapters/02_stride.ipynb ...

Every notebook runs in a new kernel started from *this* interpreter (the
project's .venv), with the notebook's own folder as working directory,
a 600 s limit per cell, and widget state stored in the notebook metadata so
that JupyterLab can draw the explorer widget before the notebook is run (the
book itself shows the explorer's text/html copy). TCONV_DEVICE=cpu and PYTHONHASHSEED=0
are set unless the caller already set them.

With TCONV_REPLAY_DIR set (as `make execute` does), the kernels load tools/nb_replay.py: the English
notebooks record their training calls and the Japanese ones, the same program, replay them.

The first error in a cell that is not tagged ``raises-exception`` stops the
run with exit status 1; that notebook is left untouched on disk.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from ipykernel.kernelspec import RESOURCES, get_kernel_dict
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GLOBS = ("chapters/*.ipynb", "exercises/*.ipynb")
KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 600
KERNELSPEC_METADATA = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": KERNEL_NAME,
}


class CurrentEnvKernelSpecManager(KernelSpecManager):
    """Resolve the ``python3`` kernel to the interpreter running this script.

    A ``python3`` kernelspec elsewhere on JUPYTER_PATH (e.g. in ~/.local) could
    otherwise point at a different Python without tconv_lib installed.
    """

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name == KERNEL_NAME:
            # get_kernel_dict() builds argv from sys.executable.
            spec = get_kernel_dict()
            if os.environ.get("TCONV_REPLAY_DIR"):   # make execute: Japanese notebooks replay the English training
                spec["argv"] = [*spec["argv"], "--ext=nb_replay"]
                spec["env"] = {"PYTHONPATH": str(REPO_ROOT / "tools")}
            return KernelSpec(resource_dir=RESOURCES, **spec)
        return super().get_kernel_spec(kernel_name)


def default_notebooks() -> list[Path]:
    found: list[Path] = []
    for pattern in DEFAULT_GLOBS:
        found.extend(sorted(REPO_ROOT.glob(pattern)))
    return found


def normalise_metadata(nb: nbformat.NotebookNode) -> None:
    """Same kernelspec everywhere; language_info is kept as the kernel reported it."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC_METADATA)


_CARRIAGE_RETURN = re.compile(r"^.*\r(?=[^\n])", re.MULTILINE)


def tidy_streams(nb: nbformat.NotebookNode) -> None:
    """Store each cell's stdout/stderr as a terminal would show it.

    Consecutive stream outputs of the same name are joined and text overwritten
    by a carriage return (tqdm's progress bar redraws) is dropped, so the book
    shows one final progress line instead of every refresh. nbval applies the
    same merging before it compares, so the comparison is unaffected.
    """
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if (out.get("output_type") == "stream" and merged
                    and merged[-1].get("output_type") == "stream" and merged[-1]["name"] == out["name"]):
                merged[-1]["text"] += out["text"]
            else:
                merged.append(out)
        for out in merged:
            if out.get("output_type") == "stream":
                out["text"] = _CARRIAGE_RETURN.sub("", out["text"].replace("\r\n", "\n"))
        if "outputs" in cell:
            cell["outputs"] = merged


def execute_one(path: Path) -> float:
    """Execute one notebook in place and return its wall time in seconds."""
    nb = nbformat.read(path, as_version=4)
    normalise_metadata(nb)
    km = KernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=CurrentEnvKernelSpecManager(),
    )
    client = NotebookClient(
        nb,
        km=km,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_S,
        allow_errors=False,  # cells tagged raises-exception are still allowed
        store_widget_state=True,
        record_timing=False,  # no per-cell timestamps: keeps diffs clean
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    tidy_streams(nb)
    normalise_metadata(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        help="notebooks to execute (default: chapters/*.ipynb and exercises/*.ipynb)",
    )
    args = parser.parse_args(argv)

    paths = [p.resolve() for p in args.notebooks] or default_notebooks()
    missing = [p for p in paths if not p.is_file()]
    if missing:
        for p in missing:
            print(f"execute_notebooks: no such notebook: {p}", file=sys.stderr)
        return 2
    if not paths:
        print("execute_notebooks: no notebooks found; nothing to do.")
        return 0

    os.environ.setdefault("TCONV_DEVICE", "cpu")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(
        f"Executing {len(paths)} notebook(s) with {sys.executable} "
        f"(TCONV_DEVICE={os.environ['TCONV_DEVICE']}, "
        f"PYTHONHASHSEED={os.environ['PYTHONHASHSEED']})",
        flush=True,
    )

    total = 0.0
    for i, path in enumerate(paths, start=1):
        name = display_path(path)
        print(f"[{i}/{len(paths)}] {name} ...", flush=True)
        try:
            elapsed = execute_one(path)
        except CellExecutionError as err:
            print(f"[{i}/{len(paths)}] {name} FAILED; notebook not written.\n{err}",
                  file=sys.stderr)
            return 1
        total += elapsed
        print(f"[{i}/{len(paths)}] {name} done in {elapsed:.1f} s", flush=True)

    print(f"All {len(paths)} notebook(s) executed in {total:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
