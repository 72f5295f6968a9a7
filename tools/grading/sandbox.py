"""The sandbox one submission runs in: bubblewrap, resource limits, a read-only installed library.

Inside, the notebook sees a read-only system and Python, a read-only installed copy of
tconv_lib (built from the wheel, never the editable checkout), its own notebook and a small
private scratch folder; no network, no other submission, no hidden test, no home folder.
A private PID namespace means no process it starts outlives it. Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LIB_IN_SANDBOX, NOTEBOOK_IN_SANDBOX, SCRATCH = "/grader/lib", "/submission/notebook.ipynb", "/submission"
WORKER_FILES = ("wire.py", "worker.py")
REFUSAL = ("no sandbox: bubblewrap (`bwrap`) is missing or cannot create namespaces here, so a submission "
           "would run with your rights. Install it (Debian/Ubuntu: `apt-get install bubblewrap`), grade on "
           "Gradescope with the bundle of `make autograder`, or pass UNSAFE=1 (`make grade`; `--unsafe` for "
           "tools/autograder.py) to grade without isolation (only for submissions you trust)")


@dataclass(frozen=True)
class Limits:
    """Per-notebook limits: wall time (s), CPU time (s), address space (MiB), scratch size (MiB)."""

    wall: float = 300.0
    cpu: int | None = None     # default: twice the wall time
    memory_mib: int = 6144
    scratch_mib: int = 256

    def cpu_seconds(self) -> int:
        """The CPU-time limit in seconds (twice the wall time unless set)."""
        return int(self.cpu if self.cpu is not None else 2 * self.wall + 10)


def bwrap_works() -> str | None:
    """None when bubblewrap can start a sandbox here; otherwise the reason it cannot."""
    exe = shutil.which("bwrap")
    if exe is None:
        return "bwrap is not installed"
    probe = subprocess.run([exe, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"],
                           capture_output=True, text=True, timeout=30)
    return None if probe.returncode == 0 else f"bwrap fails here: {probe.stderr.strip()[:200]}"


def stage_library(stage: Path) -> Path:
    """Install the course's wheel (no dependencies) and the worker into ``stage/lib``; return that folder.

    The wheel is built from a copy of the tracked files (tools/test_wheel.py), so nothing is
    written into the checkout; the folder is made read-only and mounted read-only in the sandbox.
    """
    sys.path.insert(0, str(ROOT / "tools"))
    from test_wheel import build_wheel

    lib = stage / "lib"
    shutil.rmtree(lib, ignore_errors=True)
    with zipfile.ZipFile(build_wheel(stage / "dist")) as wheel:
        wheel.extractall(lib)
    (lib / "_tconv_grader").mkdir()
    for name in WORKER_FILES:
        shutil.copy2(HERE / name, lib / "_tconv_grader" / name)
    (lib / "_tconv_grader" / "__init__.py").write_text("")
    shutil.rmtree(stage / "source", ignore_errors=True)
    for path in sorted(lib.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    lib.chmod(0o555)
    return lib


def _python_paths() -> tuple[list[str], list[str]]:
    """(folders to mount read-only, sys.path entries) for this environment's interpreter and packages."""
    site = sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]
    mounts = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
    mounts = sorted(m for m in mounts if not m.startswith("/usr/"))
    return mounts, list(dict.fromkeys(site))


def _system_mounts() -> list[str]:
    """bwrap arguments for /usr, its merged-/usr links and the few /etc files Python needs."""
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/lib", "/lib64", "/sbin"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for etc in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "passwd", "group",
                "nsswitch.conf"):
        args += ["--ro-bind-try", f"/etc/{etc}", f"/etc/{etc}"]
    return args


def command(notebook: Path, lib: Path, limits: Limits, sandboxed: bool = True) -> tuple[list[str], dict]:
    """(argv, environment) that run the worker on ``notebook``; without ``sandboxed`` (UNSAFE=1), no bwrap."""
    mounts, site = _python_paths()
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "TCONV_DEVICE": "cpu", "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONHASHSEED": "0"}
    python = [os.path.realpath(sys.executable), "-S", "-B", "-m", "_tconv_grader.worker"]
    if not sandboxed:
        scratch = Path(notebook).parent
        env |= {"HOME": str(scratch), "TMPDIR": str(scratch), "MPLCONFIGDIR": str(scratch / ".mpl"),
                "PYTHONPATH": os.pathsep.join([str(lib), *site])}
        return python + [str(notebook)], env
    env |= {"HOME": SCRATCH, "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp/mpl",
            "PYTHONPATH": os.pathsep.join([LIB_IN_SANDBOX, *site])}
    size = str(limits.scratch_mib * 2**20)
    # The private /tmp comes first: bwrap mounts in order, so an interpreter or packages that live
    # under /tmp (a checkout there, as CI may use) are bound over it instead of hidden by it.
    argv = [shutil.which("bwrap") or "bwrap", "--die-with-parent", "--new-session", "--unshare-all",
            *_system_mounts(), "--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", "/tmp"]
    for folder in mounts:
        argv += ["--ro-bind", folder, folder]
    for folder in site:
        argv += ["--ro-bind", folder, folder]
    argv += ["--ro-bind", str(lib), LIB_IN_SANDBOX, "--size", size, "--tmpfs", SCRATCH,
             "--ro-bind", str(notebook), NOTEBOOK_IN_SANDBOX, "--chdir", SCRATCH, "--"]
    return argv + python + [NOTEBOOK_IN_SANDBOX], env


def limit_resources(limits: Limits) -> tuple[list[str], object]:
    """(argv prefix, preexec_fn) that apply the CPU, memory, file-size and core limits to the child.

    util-linux's ``prlimit`` sets them before it executes the command (so every process the
    sandbox starts inherits them); without it, a ``preexec_fn`` does the same in the forked child.
    """
    memory, size, cpu = limits.memory_mib * 2**20, limits.scratch_mib * 2**20, limits.cpu_seconds()
    exe = shutil.which("prlimit")
    if exe:
        return [exe, f"--as={memory}", f"--cpu={cpu}", f"--fsize={size}", "--core=0", "--"], None

    def apply():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return [], apply
