"""A conv_transpose2d tuned for speed, to compare with PyTorch in bench_reference.py (not a test).

tconv_lib.foundations.reference computes ``method="gemm"`` in the plainest way: one matrix
product, then col2im. This version gives the same numbers faster, with what makes library code
fast and hard to read: one kernel tap's columns at a time, skipping the input pixels whose
contribution the padding would crop; a few images at a time so that the planes stay in cache;
the batch split over all cores (NumPy releases the GIL), BLAS on one thread in each.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from tconv_lib.foundations.arguments import Problem, conv_transpose_problem

_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()  # one batch at a time: the BLAS thread limit below is process-wide
_CORES = os.cpu_count() or 1  # looked up once: the call is slow
_BLAS: list = []  # [threadpoolctl controller], or [None] without threadpoolctl


def _in_parallel(task, batch: int) -> None:
    """Run ``task(rows)`` over slices of the batch on all cores (NumPy releases the GIL), BLAS on one
    thread in each; without threadpoolctl to set that limit, one slice with BLAS's own threads."""
    global _POOL
    if not _BLAS:
        try:
            from threadpoolctl import ThreadpoolController
            _BLAS.append(ThreadpoolController())
        except Exception:  # not installed, or no BLAS found
            _BLAS.append(None)
    workers = min(batch, _CORES) if _BLAS[0] is not None else 1
    if workers < 2:
        task(slice(0, batch))
        return
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_CORES)
    bounds = np.linspace(0, batch, workers + 1).astype(int)
    with _POOL_LOCK, _BLAS[0].limit(limits=1, user_api="blas"):
        list(_POOL.map(task, [slice(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:])]))


def _inside(size: int, stride: int, offset: int, out_size: int) -> tuple:
    """The input indices ``i`` whose ``i * stride + offset`` lands in ``[0, out_size)``: (first, stop, first output)."""
    first, stop = max(0, -(offset // stride)), min(size, (out_size - 1 - offset) // stride + 1)
    return first, max(first, stop), first * stride + offset


def _by_gemm(prob: Problem) -> np.ndarray:
    """The matrix product (pixels, C_in) @ (C_in, kH * kW * C_out), one kernel tap's columns at a time,
    each tap's plane added back at its offset (col2im). A tap skips the input pixels whose contribution
    the padding would crop, and a few images go at a time, on all cores, so that the planes stay in cache."""
    n, cin, h, w = prob.x.shape
    g, cin_g = prob.groups, cin // prob.groups
    cout_g = prob.weight.shape[1]
    (sh, sw), (dh, dw), (kh, kw) = prob.stride, prob.dilation, prob.kernel
    (ph, pw), (oh, ow) = prob.padding, prob.out_size
    # taps[gi, :, a, b]: the (C_in/groups, C_out/groups) matrix of kernel tap (a, b) in group gi
    taps = np.ascontiguousarray(prob.weight.transpose(0, 2, 3, 1)).reshape(g, cin_g, kh, kw, cout_g)
    # each tap meets only the rectangle of input pixels whose contribution lands inside the output
    spans = [(a, b, _inside(h, sh, a * dh - ph, oh), _inside(w, sw, b * dw - pw, ow))
             for a in range(kh) for b in range(kw)]
    spans = [span for span in spans if span[2][0] < span[2][1] and span[3][0] < span[3][1]]
    out = np.empty((n, g * cout_g, oh, ow), dtype=prob.dtype)
    chunk = -(-1024 // max(h * w, 1))  # images per step: about 1024 input pixels

    def run(rows: slice) -> None:
        buffer = np.empty((min(chunk, rows.stop - rows.start), oh, ow, g * cout_g), prob.dtype)
        for lo in range(rows.start, rows.stop, chunk):
            part = slice(lo, min(lo + chunk, rows.stop))
            m = part.stop - part.start
            # channels-last keeps the additions below contiguous along channels
            pixels = np.ascontiguousarray(prob.x[part].transpose(0, 2, 3, 1))
            canvas = buffer[:m]
            canvas.fill(0)
            for a, b, (i0, i1, r0), (j0, j1, c0) in spans:
                # this tap's plane: (pixels, C_in/groups) @ (C_in/groups, C_out/groups) in each group
                plane = pixels[:, i0:i1, j0:j1].reshape(-1, g, cin_g).transpose(1, 0, 2) @ taps[:, :, a, b]
                # col2im: add it back at the tap's offset, stride apart
                canvas[:, r0:r0 + (i1 - i0 - 1) * sh + 1:sh, c0:c0 + (j1 - j0 - 1) * sw + 1:sw] += \
                    plane.transpose(1, 0, 2).reshape(m, i1 - i0, j1 - j0, g * cout_g)
            out[part] = canvas.transpose(0, 3, 1, 2)  # back to NCHW
    _in_parallel(run, n)
    return out


def conv_transpose2d_tuned(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                           dilation=1) -> np.ndarray:
    """``torch.nn.functional.conv_transpose2d`` in NumPy, tuned; same arguments, same numbers."""
    prob = conv_transpose_problem(x, weight, bias, stride, padding, output_padding, groups, dilation)
    return prob.finish(_by_gemm(prob))
