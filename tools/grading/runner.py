"""Run the grading tasks in worker processes so that no crash, of any one of them, stops the run.

Each task (one notebook) is judged in a process of a pool; if that process dies (a crash in
PyTorch while loading or running an answer's weights, say), the tasks it took down are retried
one at a time in a fresh process, and a task that kills its process twice becomes error rows.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


def _pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max(1, jobs), mp_context=multiprocessing.get_context("spawn"))


def run_all(fn: Callable, tasks: list, jobs: int, crashed: Callable[[object, str], object],
            done: Callable[[object], None] = lambda result: None) -> list:
    """``fn(task)`` for every task, in order; ``crashed(task, reason)`` for a task whose process died.

    ``done(result)`` is called as each result arrives (for progress reports).
    """
    results: list = [None] * len(tasks)
    broken = []
    with _pool(jobs) as pool:
        futures = [pool.submit(fn, task) for task in tasks]
        for i, future in enumerate(futures):
            try:
                results[i] = future.result()
            except BrokenProcessPool:
                broken.append(i)
                continue
            except Exception as exc:  # a bug in the grader: this notebook only
                results[i] = crashed(tasks[i], f"the grader failed: {type(exc).__name__}: {str(exc)[:160]}")
            done(results[i])
    for i in broken:  # alone this time, so one crash takes down nothing else
        with _pool(1) as pool:
            try:
                results[i] = pool.submit(fn, tasks[i]).result()
            except BrokenProcessPool:
                results[i] = crashed(tasks[i], "the grader's process for this notebook crashed")
            except Exception as exc:
                results[i] = crashed(tasks[i], f"the grader failed: {type(exc).__name__}: {str(exc)[:160]}")
        done(results[i])
    return results
