"""Fixtures and settings shared by several test files.

torch is imported inside the functions, not here: under pytest -n, the controlling process loads
this file too but runs no test, and importing torch there would delay starting the workers.
"""
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def pytest_configure(config):
    """Parallel workers (pytest -n, as `make test-quick` runs) compute on one thread each, as `make test` does
    (OMP_NUM_THREADS=1): two workers with two OpenMP/OpenBLAS threads each on a two-core machine spin-wait
    for each other, and the same tests cost about twice the CPU time. An OMP_NUM_THREADS of the caller's wins."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or "OMP_NUM_THREADS" in os.environ:
        return
    os.environ["OMP_NUM_THREADS"] = "1"   # read by torch and OpenBLAS as they load, and by the subprocesses tests start
    import torch

    torch.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:
        return
    threadpool_limits(1, user_api="blas")  # NumPy's OpenBLAS, in case it was loaded before the variable was set


@pytest.fixture
def one_thread():
    """Tiny models train faster on one thread, especially with parallel test workers."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# Under pytest -n, xdist hands the tests out in collection order: a chunk of about an eighth of them to
# each worker first, then smaller ones to whichever worker runs short. Three files are moved (each keeps
# the order of its tests):
RUN_FIRST = ("test_tconv_mjs.py",     # module fixtures of seconds: in the first worker's first chunk, never
             "test_edition_ja.py")    # split between workers (each would pay); last, one worker would run alone
RUN_AFTER = {"test_onnx_export.py": "test_exercises_beyond.py"}   # both export with torch.onnx, whose first
                                                                  # export in a process takes seconds


def pytest_collection_modifyitems(config, items):
    """The order above, for this folder's tests only (notebooks that `make test` collects keep their places)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    slots = [i for i, item in enumerate(items) if item.path.parent == HERE]
    ours = [items[i] for i in slots]
    order = list(dict.fromkeys(item.path.name for item in ours))
    for name in reversed(RUN_FIRST):
        if name in order:
            order.remove(name)
            order.insert(0, name)
    for name, after in RUN_AFTER.items():
        if name in order and after in order:
            order.remove(name)
            order.insert(order.index(after) + 1, name)
    rank = {name: i for i, name in enumerate(order)}
    ours.sort(key=lambda item: rank[item.path.name])      # stable
    for i, item in zip(slots, ours):
        items[i] = item


@pytest.fixture(scope="session")
def english_student_edition(tmp_path_factory) -> Path:
    """The English student edition of the whole book (tools/edition.py, as `make student` writes it) with
    tests/test_edition.py's STUDENT_REPO: written once per test process, read by tests/test_edition_ja.py and
    tests/test_student_markdown.py. Tests must not change it."""
    if str(ROOT / "tools") not in sys.path:
        sys.path.insert(0, str(ROOT / "tools"))
    import edition
    from test_edition import STUDENT_REPO

    out = tmp_path_factory.mktemp("student-en") / "book"
    edition.write_edition(ROOT, out, student_repo=STUDENT_REPO)
    return out
