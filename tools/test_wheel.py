"""Run every notebook the way a Colab user does: only the built wheel installed, one notebook alone.

    python tools/test_wheel.py [--work DIR] [--torch torch==2.13.0] [NOTEBOOK ...]

Builds the wheel of this repository, installs it with PyTorch (CPU) and a kernel into a new
virtual environment outside the repository, then executes each chapter and exercise
notebook copied alone into an empty folder. A notebook that needs a file the wheel does not
ship, or a module it does not install, fails here although it passes under `make test`.
Exit status 1 if any notebook fails. Used by `make test-wheel`.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNER = '''
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
'''


def run(cmd: list[str], **kwargs) -> None:
    subprocess.run(cmd, check=True, **kwargs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/test_wheel.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: chapters/*.ipynb exercises/*.ipynb")
    parser.add_argument("--work", type=Path, help="working folder (default: a new temporary folder, removed after)")
    parser.add_argument("--torch", default="torch==2.13.0", help="PyTorch requirement (default torch==2.13.0)")
    parser.add_argument("--torch-index", default="",
                        help="extra index for PyTorch, e.g. https://download.pytorch.org/whl/cpu for the "
                             "CPU-only wheel ('' for the default index only)")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or sorted(ROOT.glob("chapters/[0-9][0-9]_*.ipynb")) + sorted(
        ROOT.glob("exercises/[0-9][0-9]_*.ipynb"))
    work = Path(args.work or tempfile.mkdtemp(prefix="tconv-wheel-")).resolve()
    if ROOT in work.parents or work == ROOT:
        parser.error("--work must be outside the repository")
    try:
        dist, venv = work / "dist", work / "venv"
        print(f"==> wheel of {ROOT.name} into {dist}")
        had_build = (ROOT / "build").exists()
        try:
            run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w",
                 str(dist), str(ROOT)])
        finally:  # setuptools leaves build/ in the source tree
            if not had_build:
                shutil.rmtree(ROOT / "build", ignore_errors=True)
        wheel = next(dist.glob("tconv_course-*.whl"))
        print(f"==> clean virtual environment {venv} with {args.torch} and {wheel.name}")
        run([sys.executable, "-m", "venv", str(venv)])
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        run(pip + ([f"--extra-index-url={args.torch_index}"] if args.torch_index else []) + [args.torch])
        run(pip + [str(wheel), "ipykernel", "nbclient", "nbformat"])
        failed = []
        for nb in notebooks:
            folder = work / "run" / nb.parent.name / nb.stem  # empty but for the notebook
            folder.mkdir(parents=True)
            shutil.copy2(nb, folder / nb.name)
            start = time.perf_counter()
            done = subprocess.run([str(venv / "bin" / "python"), "-c", RUNNER, str(folder / nb.name), str(folder)],
                                  cwd=folder, capture_output=True, text=True)
            status = "ok" if done.returncode == 0 else "FAILED"
            print(f"{status:>6}  {nb.relative_to(ROOT)}  ({time.perf_counter() - start:.0f} s)")
            if done.returncode:
                failed.append(nb)
                print("\n".join("        " + line for line in done.stderr.strip().splitlines()[-12:]))
        print(f"==> {len(notebooks) - len(failed)} of {len(notebooks)} notebooks ran alone with only the wheel")
        return 1 if failed else 0
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
