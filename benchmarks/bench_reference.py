"""Time conv_transpose2d's three paths and the tuned gemm (tuned_gemm.py) against PyTorch on the CPU.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_reference.py``).
Prints one table: median time of each path and its ratio to PyTorch, side by side
in the same run, plus the share of multiply-adds the zero-insertion path spends
on inserted zeros. Not a test: timings on a shared machine are noisy.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F
from tuned_gemm import conv_transpose2d_tuned

from tconv_lib.foundations import reference as R
from tconv_lib.foundations.stages import conv_transpose2d_stages

CASES = [
    # name, N, C_in, C_out, H, kernel, stride, padding
    ("DCGAN 128->64, 16->32", 64, 128, 64, 16, 4, 2, 1),
    ("DCGAN 512->256, 4->8", 64, 512, 256, 4, 4, 2, 1),
    ("2x2 input, k2 s2 p0", 1, 1, 1, 2, 2, 2, 0),
]


def median_time(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def zero_share(h: int, k: int, s: int, p: int) -> float:
    """Share of the zero-insertion path's multiply-adds that land on an inserted or border zero."""
    stages = conv_transpose2d_stages(np.ones((h, h)), np.ones((k, k)), s, p)
    taps = [stages.roles[np.ix_(*stages.window(r, c))] == 1
            for r in range(stages.output.shape[0]) for c in range(stages.output.shape[1])]
    return 1.0 - float(np.mean(taps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--skip-slow", action="store_true", help="time only gemm on the DCGAN layers")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; numpy {np.__version__}; float32")
    header = f"{'case':26s} {'path':15s} {'median ms':>10s} {'x torch':>8s}"
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(0)
    for name, n, cin, cout, h, k, s, p in CASES:
        x = rng.standard_normal((n, cin, h, h), dtype=np.float32)
        w = rng.standard_normal((cin, cout, k, k), dtype=np.float32)
        xt, wt = torch.from_numpy(x), torch.from_numpy(w)
        with torch.no_grad():
            expected = F.conv_transpose2d(xt, wt, stride=s, padding=p).numpy()
            base = median_time(lambda: F.conv_transpose2d(xt, wt, stride=s, padding=p), args.repeats)
        print(f"{name:26s} {'torch':15s} {base * 1e3:10.3f} {1.0:8.2f}")
        paths = {"tuned gemm": lambda: conv_transpose2d_tuned(x, w, stride=s, padding=p)}
        for method in R.METHODS:
            if not (args.skip_slow and method != "gemm" and n > 1):
                paths[method] = lambda method=method: R.conv_transpose2d(x, w, stride=s, padding=p, method=method)
        for path, run in paths.items():
            assert np.allclose(run(), expected, rtol=1e-4, atol=1e-3), f"{path} disagrees with torch on {name}"
            repeats = args.repeats if "gemm" in path or n == 1 else 2
            t = median_time(run, repeats)
            print(f"{name:26s} {path:15s} {t * 1e3:10.3f} {t / base:8.2f}")
        print(f"{'':26s} zero insertion multiplies by an inserted or border zero in "
              f"{zero_share(h, k, s, p):.0%} of its kernel taps (1 - 1/stride^2 = {1 - 1 / s**2:.0%} inside)")


if __name__ == "__main__":
    main()
