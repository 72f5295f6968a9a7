"""Prepare the notebooks to run the way a Colab user runs them: only the built wheel, each notebook alone.

    python tools/test_wheel.py --work DIR [--torch SPEC] [--torch-index URL] [NOTEBOOK ...]

Builds the wheel of this repository and installs it, with PyTorch (the version pinned in
constraints.txt, which pip reads with ``-c``, unless ``--torch`` names one) and a kernel, into the
virtual environment DIR/venv outside the repository (created on first use; later runs reinstall
only the wheel and whatever its dependencies now add, and nothing at all while the wheel's sources,
the pin and ``--torch`` are unchanged: DIR/venv/.wheel-sources holds their hash). Registers that environment as the Jupyter
kernel "tconv-wheel" under DIR/share/jupyter, and copies each chapter and exercise notebook alone
into an empty folder under DIR/run/. `make test` then runs nbval on those copies with that kernel
(JUPYTER_PATH=DIR/share/jupyter, --nbval-kernel-name tconv-wheel): every notebook is executed
once, its outputs are compared with the committed ones, and a notebook that needs a file the
wheel does not ship, or a module it does not install, fails.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"   # the one home of the PyTorch pin
KERNEL = "tconv-wheel"


def run(cmd: list[str], **kwargs) -> None:
    subprocess.run(cmd, check=True, **kwargs)


def wheel_sources(torch: str | None) -> str:
    """A hash of what the installed wheel depends on: the package's files, pyproject.toml, the pin, ``--torch``."""
    digest = hashlib.sha256(f"{torch}".encode())
    for path in sorted([ROOT / "pyproject.toml", CONSTRAINTS, *(ROOT / "tconv_lib").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_wheel(dist: Path) -> Path:
    """The wheel of this repository's working tree in ``dist`` (emptied first).

    Built from a copy of the files git tracks or would track, so that nothing is written into
    the source tree (``.ci/run`` builds it while ``.venv`` is being installed from the same tree).
    """
    shutil.rmtree(dist, ignore_errors=True)
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.split("\0")
    source = dist.parent / "source"
    shutil.rmtree(source, ignore_errors=True)
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(source)])
    return next(dist.glob("tconv_course-*.whl"))


def install(venv: Path, wheel: Path, torch: str | None, torch_index: str) -> None:
    """A venv with torch (``torch``, or constraints.txt's pin when None), the wheel and its dependencies,
    and ipykernel; nothing from the repository."""
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    pinned = [] if torch else ["-c", str(CONSTRAINTS)]
    if not (venv / "bin" / "python").exists():
        print(f"==> clean virtual environment {venv} with {torch or 'torch from ' + CONSTRAINTS.name}")
        run([sys.executable, "-m", "venv", str(venv)])
        run(pip + ([f"--extra-index-url={torch_index}"] if torch_index else []) + pinned + [torch or "torch"])
    run(pip + ["--force-reinstall", "--no-deps", str(wheel)])
    run(pip + pinned + [str(wheel), "ipykernel"])


PACKAGE_DATA_CHECK = """
from tconv_lib.explorer import module_source
from tconv_lib.gan.checkpoint import load_pretrained_generator
from tconv_lib.gan.quality import load_classifier
load_pretrained_generator()          # the safetensors file, its SHA-256 checked against manifest.json
for kind in ("plain", "strict"):
    load_classifier(kind)
assert "export function convTranspose2d" in module_source()   # static/*.mjs
print("==> the wheel carries its weights and the explorer's modules")
"""


def check_package_data(venv: Path) -> None:
    """Load the shipped weights and the explorer's ES modules from the installed wheel (run outside the repository)."""
    run([str(venv / "bin" / "python"), "-c", PACKAGE_DATA_CHECK], cwd=venv)


def register_kernel(work: Path, venv: Path) -> None:
    """The kernel spec, with the extension tools/nb_replay.py (idle unless TCONV_REPLAY_DIR is set) beside it."""
    spec = work / "share" / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    extension = work / "kernel-extension"
    extension.mkdir(exist_ok=True)
    shutil.copy2(ROOT / "tools" / "nb_replay.py", extension / "nb_replay.py")
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--ext=nb_replay"],
        "env": {"PYTHONPATH": str(extension)},
        "display_name": "tconv_lib wheel only", "language": "python"}, indent=1))


def copy_alone(notebooks: list[Path], run_dir: Path) -> list[Path]:
    """Each notebook copied into an empty folder of its own: run_dir/<chapters|exercises>/<stem>/."""
    shutil.rmtree(run_dir, ignore_errors=True)
    copies = []
    for nb in notebooks:
        folder = run_dir / nb.parent.name / nb.stem
        folder.mkdir(parents=True)
        copies.append(Path(shutil.copy2(nb, folder / nb.name)))
    return copies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/test_wheel.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: chapters/*.ipynb exercises/*.ipynb")
    parser.add_argument("--work", type=Path, required=True, help="working folder, outside the repository")
    parser.add_argument("--torch", default=None,
                        help="PyTorch requirement such as 'torch==X.Y.Z' (default: the pin of constraints.txt)")
    parser.add_argument("--torch-index", default="",
                        help="extra index for PyTorch, e.g. https://download.pytorch.org/whl/cpu for the "
                             "CPU-only wheel ('' for the default index only)")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or sorted(ROOT.glob("chapters/[0-9][0-9]_*.ipynb")) + sorted(
        ROOT.glob("exercises/[0-9][0-9]_*.ipynb"))
    work = args.work.resolve()
    if ROOT in work.parents or work == ROOT:
        parser.error("--work must be outside the repository")
    stamp, sources = work / "venv" / ".wheel-sources", wheel_sources(args.torch)
    if stamp.is_file() and stamp.read_text() == sources:
        print(f"==> {work / 'venv'}: the wheel is up to date (kernel {KERNEL!r})")
    else:
        stamp.unlink(missing_ok=True)
        wheel = build_wheel(work / "dist")
        print(f"==> {wheel.name} into {work / 'venv'} (kernel {KERNEL!r})")
        install(work / "venv", wheel, args.torch, args.torch_index)
        check_package_data(work / "venv")
        stamp.write_text(sources)
    register_kernel(work, work / "venv")
    copies = copy_alone(notebooks, work / "run")
    print(f"==> {len(copies)} notebook(s) copied alone into {work / 'run'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
