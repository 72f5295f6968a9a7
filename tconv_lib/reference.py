"""NumPy reference implementations of conv2d and conv_transpose2d that match PyTorch.

``conv_transpose2d`` takes the same arguments, in the same order, as
``torch.nn.functional.conv_transpose2d`` and gives the same numbers (tested in
float64 against PyTorch). It can compute the result in the three ways the book
teaches:

* ``method="zero_insertion"``: insert ``stride - 1`` zeros between input
  values, pad (or crop) the border, then slide the flipped kernel with stride 1
  (chapters/02_stride, chapters/03_padding);
* ``method="scatter"``: every input value stamps a scaled copy of the kernel
  into the output, overlaps add up (chapters/01_what_is_transposed_convolution);
* ``method="gemm"`` (default, fast): one matrix product gives every kernel tap
  of every output channel at every input pixel, then each tap's plane is added
  back into the image at its offset ("col2im"). The product is computed one
  tap's columns at a time, skipping the pixels that the padding would crop.

Shapes: ``x`` is (N, C_in, H, W) or (C_in, H, W); ``weight`` is
(C_in, C_out / groups, kH, kW) for the transposed op and (C_out, C_in / groups,
kH, kW) for ``conv2d``.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .arithmetic import _pair, check_params, conv_output_size, conv_transpose_output_size

METHODS = ("gemm", "scatter", "zero_insertion")


# ----------------------------------------------------------------------------- checks
def _as_array(value, name: str) -> np.ndarray:
    """``value`` as a real-valued ndarray, or a TypeError naming ``name``."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists, exotic objects
        raise TypeError(f"{name} must be an array of real numbers: {exc}") from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers (int or float), got dtype {arr.dtype}")
    return arr


def _check_groups(groups) -> int:
    if isinstance(groups, bool) or not isinstance(groups, Integral):
        raise TypeError(f"groups must be an int, got {groups!r}")
    if groups < 1:
        raise ValueError(f"groups must be positive, got {groups}")
    return int(groups)


@dataclass
class _Problem:
    x: np.ndarray          # always 4-D here
    weight: np.ndarray
    bias: np.ndarray | None
    batched: bool
    groups: int
    kernel: tuple
    stride: tuple
    padding: tuple
    output_padding: tuple
    dilation: tuple
    out_channels: int
    out_hw: tuple
    dtype: np.dtype

    def finish(self, out: np.ndarray) -> np.ndarray:
        """Add the bias, cast, and drop the batch axis if the input had none."""
        if self.bias is not None:
            out = out + self.bias.reshape(1, -1, 1, 1)
        out = np.ascontiguousarray(out, dtype=self.dtype)
        return out if self.batched else out[0]


def _prepare(x, weight, bias, stride, padding, output_padding, groups, dilation, transposed) -> _Problem:
    """Check every argument before any computation, naming the parameter and the rule."""
    x, weight = _as_array(x, "x"), _as_array(weight, "weight")
    if x.ndim not in (3, 4):
        raise ValueError(f"x must be 3-D (C, H, W) or 4-D (N, C, H, W), got {x.ndim}-D shape {x.shape}")
    layout = "(in_channels, out_channels/groups, kH, kW)" if transposed else "(out_channels, in_channels/groups, kH, kW)"
    if weight.ndim != 4:
        raise ValueError(f"weight must be 4-D {layout}, got {weight.ndim}-D shape {weight.shape}")
    groups = _check_groups(groups)
    params = check_params(weight.shape[2:], stride, padding, output_padding if transposed else 0, dilation)
    batched = x.ndim == 4
    x4 = x if batched else x[None]
    channels = x4.shape[1]
    if channels % groups:
        raise ValueError(f"in_channels ({channels}) must be divisible by groups ({groups})")
    if transposed:
        if weight.shape[0] != channels:
            raise ValueError(f"weight.shape[0] ({weight.shape[0]}) must equal the input's channels ({channels}): "
                             f"ConvTranspose2d weight is {layout}")
        out_channels = weight.shape[1] * groups
        out_hw = conv_transpose_output_size(tuple(x4.shape[2:]), *(params[n] for n in
                                            ("kernel_size", "stride", "padding", "output_padding", "dilation")))
    else:
        if weight.shape[0] % groups:
            raise ValueError(f"out_channels ({weight.shape[0]}) must be divisible by groups ({groups})")
        if weight.shape[1] * groups != channels:
            raise ValueError(f"weight.shape[1] * groups ({weight.shape[1]} * {groups}) must equal the input's "
                             f"channels ({channels}): Conv2d weight is {layout}")
        out_channels = weight.shape[0]
        if min(x4.shape[2:]) < 1:
            raise ValueError(f"size must be positive, got {tuple(x4.shape[2:])}")
        out_hw = conv_output_size(tuple(x4.shape[2:]), params["kernel_size"], params["stride"],
                                  params["padding"], params["dilation"])
    arrays = [x4, weight]
    if bias is not None:
        bias = _as_array(bias, "bias")
        if bias.shape != (out_channels,):
            raise ValueError(f"bias must have shape ({out_channels},) (one value per output channel), got {bias.shape}")
        arrays.append(bias)
    dtype = np.result_type(*(a.dtype for a in arrays), np.float32)
    return _Problem(x4.astype(dtype, copy=False), weight.astype(dtype, copy=False),
                    None if bias is None else bias.astype(dtype, copy=False), batched, groups,
                    params["kernel_size"], params["stride"], params["padding"], params["output_padding"],
                    params["dilation"], out_channels, out_hw, np.dtype(dtype))


# ----------------------------------------------------------------------------- building blocks
def zero_insert(x, stride) -> np.ndarray:
    """Insert ``stride - 1`` zeros between neighbouring values of the last two axes.

    (..., H, W) -> (..., (H-1)*sH + 1, (W-1)*sW + 1). Introduced in chapters/02_stride.
    """
    x = _as_array(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 dimensions (H, W), got shape {x.shape}")
    sh, sw = check_params(stride=stride)["stride"]
    h, w = x.shape[-2:]
    out = np.zeros(x.shape[:-2] + ((h - 1) * sh + 1, (w - 1) * sw + 1), dtype=x.dtype)
    out[..., ::sh, ::sw] = x
    return out


def _shift(arr: np.ndarray, before: tuple, size: tuple, fill=0) -> np.ndarray:
    """Place ``arr``'s last two axes at offset ``before`` on a ``size`` canvas; negative offsets crop."""
    out = np.full(arr.shape[:-2] + tuple(size), fill, dtype=arr.dtype)
    dst, src = [], []
    for b, n, m in zip(before, size, arr.shape[-2:]):
        start_dst, start_src = max(b, 0), max(-b, 0)
        length = max(min(n - start_dst, m - start_src), 0)
        dst.append(slice(start_dst, start_dst + length))
        src.append(slice(start_src, start_src + length))
    out[..., dst[0], dst[1]] = arr[..., src[0], src[1]]
    return out


@dataclass
class Stages:
    """The intermediate arrays of the zero-insertion view, for one 2-D input and kernel.

    ``roles`` labels each cell of ``processing``: 0 inserted zero, 1 input value,
    2 implicit border, 3 output_padding extension. ``border`` is
    ``(top, bottom, left, right)``; negative values mean cropping. ``stride``,
    ``padding`` and ``output_padding`` are the layer's (height, width) arguments, recorded
    so that captions never have to guess them from array shapes.
    Introduced in chapters/02_stride.
    """

    x: np.ndarray
    kernel: np.ndarray
    inserted: np.ndarray
    border: tuple
    processing: np.ndarray
    roles: np.ndarray
    flipped: np.ndarray
    dilation: tuple
    output: np.ndarray
    stride: tuple = (1, 1)
    padding: tuple = (0, 0)
    output_padding: tuple = (0, 0)

    def window(self, row: int, col: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and columns of ``processing`` that output cell (row, col) reads."""
        dh, dw = self.dilation
        kh, kw = self.kernel.shape
        return row + dh * np.arange(kh), col + dw * np.arange(kw)

    def products(self, row: int, col: int) -> np.ndarray:
        """Element-wise products of the flipped kernel and the window under it."""
        rows, cols = self.window(row, col)
        return self.processing[np.ix_(rows, cols)] * self.flipped


INPUT_ROLES = {0: "inserted zero", 1: "input", 2: "implicit border", 3: "output_padding"}


def conv_transpose2d_stages(x, kernel, stride=1, padding=0, output_padding=0, dilation=1) -> Stages:
    """All stages of ConvTranspose2d for a 2-D input (H, W) and a 2-D kernel (kH, kW).

    Introduced in chapters/02_stride; padding in chapters/03_padding, output_padding
    in chapters/04_output_padding.
    """
    x, kernel = _as_array(x, "x"), _as_array(kernel, "kernel")
    if x.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"x and kernel must be 2-D (H, W) here, got shapes {x.shape} and {kernel.shape}")
    prob = _prepare(x[None, None], kernel[None, None], None, stride, padding, output_padding, 1, dilation, True)
    inserted = zero_insert(prob.x[0, 0], prob.stride)
    bh, bw = (d * (k - 1) - p for k, p, d in zip(prob.kernel, prob.padding, prob.dilation))
    border = (bh, bh + prob.output_padding[0], bw, bw + prob.output_padding[1])
    size = (inserted.shape[0] + border[0] + border[1], inserted.shape[1] + border[2] + border[3])
    processing = _shift(inserted, (bh, bw), size)
    roles = _shift(zero_insert(np.ones_like(prob.x[0, 0], dtype=np.int8), prob.stride), (bh, bw), size, fill=2)
    op_rows = np.arange(size[0]) - bh >= inserted.shape[0] + max(bh, 0)
    op_cols = np.arange(size[1]) - bw >= inserted.shape[1] + max(bw, 0)
    roles[op_rows, :] = 3
    roles[:, op_cols] = 3
    flipped = prob.weight[0, 0, ::-1, ::-1]
    output = _correlate(processing[None, None], flipped[None, None].copy(), prob.dilation)[0, 0]
    return Stages(prob.x[0, 0], prob.weight[0, 0], inserted, border, processing, roles, flipped,
                  prob.dilation, output, prob.stride, prob.padding, prob.output_padding)


def _windows(xp: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple, out_hw: tuple) -> np.ndarray:
    """(N, C, H, W) padded input -> (N, C, Ho, Wo, kH, kW) view of every window."""
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    view = np.lib.stride_tricks.sliding_window_view(xp, span, axis=(2, 3))
    view = view[:, :, ::stride[0], ::stride[1], ::dilation[0], ::dilation[1]]
    return view[:, :, :out_hw[0], :out_hw[1]]


def _correlate(xp: np.ndarray, weight: np.ndarray, dilation: tuple, stride=(1, 1), groups: int = 1) -> np.ndarray:
    """Valid cross-correlation of padded (N, C, H, W) with (C_out, C/groups, kH, kW)."""
    kernel = weight.shape[2:]
    out_hw = tuple((n - d * (k - 1) - 1) // s + 1 for n, k, d, s in zip(xp.shape[2:], kernel, dilation, stride))
    win = _windows(xp, kernel, stride, dilation, out_hw)
    n, c = xp.shape[:2]
    win = win.reshape(n, groups, c // groups, *win.shape[2:])
    w = weight.reshape(groups, weight.shape[0] // groups, *weight.shape[1:])
    out = np.einsum("ngchwij,gocij->ngohw", win, w, optimize=True)
    return out.reshape(n, weight.shape[0], *out.shape[3:])


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> np.ndarray:
    """``torch.nn.functional.conv2d`` in NumPy (zero padding; cross-correlation, like PyTorch).

    x: (N, C_in, H, W) or (C_in, H, W); weight: (C_out, C_in/groups, kH, kW).
    Introduced in chapters/01_what_is_transposed_convolution.
    """
    prob = _prepare(x, weight, bias, stride, padding, 0, groups, dilation, transposed=False)
    (ph, pw) = prob.padding
    xp = np.pad(prob.x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    return prob.finish(_correlate(xp, prob.weight, prob.dilation, prob.stride, prob.groups))


def flip_weight(weight, groups: int = 1) -> np.ndarray:
    """ConvTranspose2d weight (C_in, C_out/g, kH, kW) -> the Conv2d weight of the equivalent
    stride-1 correlation (C_out, C_in/g, kH, kW), spatially flipped.

    Introduced in chapters/02_stride.
    """
    w = _as_array(weight, "weight")
    g = _check_groups(groups)
    cin, cout_g, kh, kw = w.shape
    w = w.reshape(g, cin // g, cout_g, kh, kw).transpose(0, 2, 1, 3, 4).reshape(g * cout_g, cin // g, kh, kw)
    return w[:, :, ::-1, ::-1]


# ----------------------------------------------------------------------------- the three methods
def _by_zero_insertion(prob: _Problem) -> np.ndarray:
    inserted = zero_insert(prob.x, prob.stride)
    (bh, bw) = (d * (k - 1) - p for k, p, d in zip(prob.kernel, prob.padding, prob.dilation))
    size = tuple(o + d * (k - 1) for o, k, d in zip(prob.out_hw, prob.kernel, prob.dilation))
    processing = _shift(inserted, (bh, bw), size)
    return _correlate(processing, flip_weight(prob.weight, prob.groups), prob.dilation, groups=prob.groups)


def _full_canvas(prob: _Problem) -> tuple:
    """Size of the uncropped (padding = 0) output, large enough for output_padding too."""
    return tuple(max((n - 1) * s + d * (k - 1) + 1, p + o) for n, s, d, k, p, o in
                 zip(prob.x.shape[2:], prob.stride, prob.dilation, prob.kernel, prob.padding, prob.out_hw))


def _crop(prob: _Problem, full: np.ndarray) -> np.ndarray:
    (ph, pw), (oh, ow) = prob.padding, prob.out_hw
    return full[:, :, ph:ph + oh, pw:pw + ow]


def _by_scatter(prob: _Problem) -> np.ndarray:
    n, cin, h, w = prob.x.shape
    g, cin_g = prob.groups, cin // prob.groups
    cout_g = prob.weight.shape[1]
    (sh, sw), (dh, dw), (kh, kw) = prob.stride, prob.dilation, prob.kernel
    full = np.zeros((n, g, cout_g) + _full_canvas(prob), dtype=prob.dtype)
    xg = prob.x.reshape(n, g, cin_g, h, w)
    wg = prob.weight.reshape(g, cin_g, cout_g, kh, kw)
    for i in range(h):
        for j in range(w):
            stamp = np.einsum("ngc,gcokl->ngokl", xg[:, :, :, i, j], wg)
            full[..., i * sh:i * sh + dh * (kh - 1) + 1:dh, j * sw:j * sw + dw * (kw - 1) + 1:dw] += stamp
    return _crop(prob, full.reshape(n, g * cout_g, *full.shape[3:]))


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


def _by_gemm(prob: _Problem) -> np.ndarray:
    """The matrix product (pixels, C_in) @ (C_in, kH * kW * C_out), one kernel tap's columns at a time,
    each tap's plane added back at its offset (col2im). A tap skips the input pixels whose contribution
    the padding would crop, and a few images go at a time, on all cores, so that the planes stay in cache."""
    n, cin, h, w = prob.x.shape
    g, cin_g = prob.groups, cin // prob.groups
    cout_g = prob.weight.shape[1]
    (sh, sw), (dh, dw), (kh, kw) = prob.stride, prob.dilation, prob.kernel
    (ph, pw), (oh, ow) = prob.padding, prob.out_hw
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


_IMPLEMENTATIONS = {"gemm": _by_gemm, "scatter": _by_scatter, "zero_insertion": _by_zero_insertion}


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1,
                     method: str = "gemm") -> np.ndarray:
    """``torch.nn.functional.conv_transpose2d`` in NumPy, same arguments in the same order.

    x: (N, C_in, H, W) or (C_in, H, W); weight: (C_in, C_out/groups, kH, kW);
    bias: (C_out,) -> (N, C_out, H_out, W_out) or (C_out, H_out, W_out).
    ``method`` is ``"gemm"`` (fast), ``"scatter"`` or ``"zero_insertion"``.
    Introduced in chapters/01_what_is_transposed_convolution.
    """
    if method not in _IMPLEMENTATIONS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    prob = _prepare(x, weight, bias, stride, padding, output_padding, groups, dilation, transposed=True)
    return prob.finish(_IMPLEMENTATIONS[method](prob))


def conv2d_matrix(weight, input_size, stride=1, padding=0, dilation=1) -> np.ndarray:
    """The matrix ``M`` with ``conv2d(x, weight).ravel() == M @ x.ravel()``.

    weight: (kH, kW) for one channel, or (C_out, C_in, kH, kW);
    input_size: H or (H, W). Returns (C_out*H_out*W_out, C_in*H*W).
    ``M.T`` applied to a flattened output is conv_transpose2d with the same weight
    (and the output_padding that restores ``input_size``).
    Introduced in chapters/01_what_is_transposed_convolution.
    """
    w = _as_array(weight, "weight")
    if w.ndim == 2:
        w = w[None, None]
    if w.ndim != 4:
        raise ValueError(f"weight must be 2-D (kH, kW) or 4-D (C_out, C_in, kH, kW), got shape {w.shape}")
    h, wd = _pair(input_size, "input_size")
    params = check_params(w.shape[2:], stride, padding, 0, dilation)
    (sh, sw), (ph, pw), (dh, dw) = params["stride"], params["padding"], params["dilation"]
    ho, wo = conv_output_size((h, wd), w.shape[2:], (sh, sw), (ph, pw), (dh, dw))
    cout, cin, kh, kw = w.shape
    m = np.zeros((cout, ho, wo, cin, h, wd), dtype=np.result_type(w.dtype, np.float32))
    oh, ow = np.arange(ho), np.arange(wo)
    for a in range(kh):
        for b in range(kw):
            ih, iw = oh * sh - ph + a * dh, ow * sw - pw + b * dw
            rh, rw = (ih >= 0) & (ih < h), (iw >= 0) & (iw < wd)
            for co in range(cout):
                for ci in range(cin):
                    m[co, oh[rh][:, None], ow[rw][None, :], ci, ih[rh][:, None], iw[rw][None, :]] += w[co, ci, a, b]
    return m.reshape(cout * ho * wo, cin * h * wd)
