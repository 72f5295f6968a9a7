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
* ``method="gemm"`` (default): one matrix product gives every kernel tap of
  every output channel at every input pixel, then each tap's plane is added
  back into the image at its offset ("col2im") and the padding is cropped.
  This is how deep-learning libraries compute the layer; a version tuned for
  speed (threads, cache-sized batches) is in ``benchmarks/tuned_gemm.py``.

Shapes: ``x`` is (N, C_in, H, W) or (C_in, H, W); ``weight`` is
(C_in, C_out / groups, kH, kW) for the transposed op and (C_out, C_in / groups,
kH, kW) for ``conv2d``.

The zero-insertion pieces (:func:`zero_insert`, :func:`processing_image`, :func:`correlate`,
:func:`flip_weight`, :func:`by_zero_insertion`) work on any number of spatial axes, with 2-D
as one case: :func:`tconv_lib.real_models.reference_nd.conv_transpose_nd` runs the same engine
for 1-D and 3-D layers.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..i18n import message
from .arguments import Problem, as_array, conv_problem, conv_transpose_problem
from .arithmetic import IntOrPair, check_int, check_params, conv_output_size, implicit_padding, pair

METHODS = ("gemm", "scatter", "zero_insertion")
_OUT, _TAP = "pqrstu", "ijklmv"   # einsum letters of the output's and the kernel's spatial axes


# ----------------------------------------------------------------------------- zero insertion, any number of axes
def zero_insert(x: ArrayLike, stride: IntOrPair) -> np.ndarray:
    """Insert ``stride - 1`` zeros between neighbouring values along the last axes, one axis per stride.

    An int stride means the last two axes, a tuple the last ``len(stride)``:
    (..., H, W) -> (..., (H-1)*sH + 1, (W-1)*sW + 1).
    """
    x = as_array(x, "x")
    strides = check_params(stride=stride)["stride"]
    if x.ndim < len(strides):
        raise ValueError(message("reference.zero_insert_ndim", n=len(strides), shape=x.shape))
    lead = x.shape[:x.ndim - len(strides)]
    out = np.zeros(lead + tuple((n - 1) * s + 1 for n, s in zip(x.shape[len(lead):], strides)), dtype=x.dtype)
    out[(Ellipsis,) + tuple(slice(None, None, s) for s in strides)] = x
    return out


def processing_image(x: ArrayLike, kernel_size: IntOrPair, stride: IntOrPair = 1, padding: IntOrPair = 0,
                     output_padding: IntOrPair = 0, dilation: IntOrPair = 1, fill: float = 0) -> np.ndarray:
    """The image the flipped kernel slides over with stride 1: ``x`` zero-inserted, framed.

    The frame is the implicit border ``d(k-1) - p`` on every side (a negative border crops)
    plus ``output_padding`` more rows and columns at the bottom and right; its cells hold
    ``fill``. (..., H, W) -> (..., H_out + d(kH-1), W_out + d(kW-1)); tuple arguments with one
    value per axis frame the last that many axes. Used by the zero-insertion method and
    :func:`~tconv_lib.foundations.stages.conv_transpose2d_stages`.
    """
    params = check_params(kernel_size, stride, padding, output_padding, dilation)
    inserted = zero_insert(x, params["stride"])
    border = implicit_padding(params["kernel_size"], params["padding"], params["dilation"])
    spatial = inserted.shape[inserted.ndim - len(border):]
    size = tuple(n + 2 * b + op for n, b, op in zip(spatial, border, params["output_padding"]))
    return _shift(inserted, border, size, fill)


def _shift(arr: np.ndarray, before: tuple, size: tuple, fill=0) -> np.ndarray:
    """Place ``arr``'s last ``len(size)`` axes at offset ``before`` on a ``size`` canvas; negative offsets crop."""
    lead = arr.shape[:arr.ndim - len(size)]
    out = np.full(lead + tuple(size), fill, dtype=arr.dtype)
    dst, src = [], []
    for b, n, m in zip(before, size, arr.shape[len(lead):]):
        start_dst, start_src = max(b, 0), max(-b, 0)
        length = max(min(n - start_dst, m - start_src), 0)
        dst.append(slice(start_dst, start_dst + length))
        src.append(slice(start_src, start_src + length))
    out[(Ellipsis, *dst)] = arr[(Ellipsis, *src)]
    return out


def correlate(xp: np.ndarray, weight: np.ndarray, dilation: tuple, stride: tuple | None = None,
              groups: int = 1) -> np.ndarray:
    """Valid cross-correlation of padded (N, C, *spatial) with (C_out, C/groups, *kernel).

    Used by :func:`conv2d`, the zero-insertion method and the stages.
    """
    kernel, nd = weight.shape[2:], weight.ndim - 2
    stride = stride or (1,) * nd
    out = tuple((n - d * (k - 1) - 1) // s + 1 for n, k, d, s in zip(xp.shape[2:], kernel, dilation, stride))
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    win = np.lib.stride_tricks.sliding_window_view(xp, span, axis=tuple(range(2, nd + 2)))
    win = win[(slice(None),) * 2 + tuple(slice(None, None, s) for s in stride) + tuple(slice(None, None, d) for d in dilation)]
    win = win[(slice(None),) * 2 + tuple(slice(0, o) for o in out)]   # (N, C, *out, *kernel)
    n, c = xp.shape[:2]
    win = win.reshape(n, groups, c // groups, *win.shape[2:])
    w = weight.reshape(groups, weight.shape[0] // groups, *weight.shape[1:])
    o, t = _OUT[:nd], _TAP[:nd]
    result = np.einsum(f"ngc{o}{t},goc{t}->ngo{o}", win, w, optimize=True)
    return result.reshape(n, weight.shape[0], *result.shape[3:])


def flip_weight(weight: ArrayLike, groups: int = 1) -> np.ndarray:
    """A ConvTranspose weight as the Conv weight of the equivalent stride-1 correlation, flipped.

    (C_in, C_out/g, *kernel) -> (C_out, C_in/g, *kernel), flipped along every spatial axis.
    Used by the zero-insertion method.
    """
    w = as_array(weight, "weight")
    g = check_int(groups, "groups", minimum=1)
    cin, cout_g, *kernel = w.shape
    w = w.reshape(g, cin // g, cout_g, *kernel).swapaxes(1, 2).reshape(g * cout_g, cin // g, *kernel)
    return w[(slice(None),) * 2 + (slice(None, None, -1),) * len(kernel)]


def by_zero_insertion(prob: Problem) -> np.ndarray:
    """The zero-insertion method on checked arguments, any number of spatial axes: (N, C_out, *out).

    The one engine behind ``conv_transpose2d(method="zero_insertion")`` and
    :func:`tconv_lib.real_models.reference_nd.conv_transpose_nd` (bias not added).
    """
    processing = processing_image(prob.x, prob.kernel, prob.stride, prob.padding, prob.output_padding,
                                  prob.dilation)
    return correlate(processing, flip_weight(prob.weight, prob.groups), prob.dilation, groups=prob.groups)


# ----------------------------------------------------------------------------- conv2d and the two other methods
def conv2d(x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None = None, stride: IntOrPair = 1,
           padding: IntOrPair = 0, dilation: IntOrPair = 1, groups: int = 1) -> np.ndarray:
    """``torch.nn.functional.conv2d`` in NumPy (zero padding; cross-correlation, like PyTorch).

    x: (N, C_in, H, W) or (C_in, H, W); weight: (C_out, C_in/groups, kH, kW).
    """
    prob = conv_problem(x, weight, bias, stride, padding, dilation, groups)
    (ph, pw) = prob.padding
    xp = np.pad(prob.x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    return prob.finish(correlate(xp, prob.weight, prob.dilation, prob.stride, prob.groups))


def _full_canvas(prob: Problem) -> tuple:
    """Size of the uncropped (padding = 0) output, large enough for output_padding too."""
    return tuple(max((n - 1) * s + d * (k - 1) + 1, p + o) for n, s, d, k, p, o in
                 zip(prob.x.shape[2:], prob.stride, prob.dilation, prob.kernel, prob.padding, prob.out_size))


def _crop(prob: Problem, full: np.ndarray) -> np.ndarray:
    (ph, pw), (oh, ow) = prob.padding, prob.out_size
    return full[:, :, ph:ph + oh, pw:pw + ow]


def _by_scatter(prob: Problem) -> np.ndarray:
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


def _by_gemm(prob: Problem) -> np.ndarray:
    """One matrix product (kernel taps x C_in) @ (C_in x pixels) per group gives every tap of every
    output channel at every input pixel; col2im adds each tap's plane back at its offset."""
    n, cin, h, w = prob.x.shape
    g, cin_g = prob.groups, cin // prob.groups
    cout_g = prob.weight.shape[1]
    (sh, sw), (dh, dw), (kh, kw) = prob.stride, prob.dilation, prob.kernel
    pixels = prob.x.reshape(n, g, cin_g, h * w)
    taps = prob.weight.reshape(g, cin_g, cout_g * kh * kw).transpose(0, 2, 1)
    planes = (taps @ pixels).reshape(n, g * cout_g, kh, kw, h, w)   # the one matrix product
    full = np.zeros((n, g * cout_g) + _full_canvas(prob), dtype=prob.dtype)
    for a in range(kh):
        for b in range(kw):
            full[:, :, a * dh:a * dh + (h - 1) * sh + 1:sh, b * dw:b * dw + (w - 1) * sw + 1:sw] += planes[:, :, a, b]
    return _crop(prob, full)


_IMPLEMENTATIONS = {"gemm": _by_gemm, "scatter": _by_scatter, "zero_insertion": by_zero_insertion}


def conv_transpose2d(x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None = None, stride: IntOrPair = 1,
                     padding: IntOrPair = 0, output_padding: IntOrPair = 0, groups: int = 1,
                     dilation: IntOrPair = 1, method: str = "gemm") -> np.ndarray:
    """``torch.nn.functional.conv_transpose2d`` in NumPy, same arguments in the same order.

    x: (N, C_in, H, W) or (C_in, H, W); weight: (C_in, C_out/groups, kH, kW);
    bias: (C_out,) -> (N, C_out, H_out, W_out) or (C_out, H_out, W_out).
    ``method`` is ``"gemm"``, ``"scatter"`` or ``"zero_insertion"`` (same numbers, three views).
    """
    if method not in _IMPLEMENTATIONS:
        raise ValueError(message("errors.one_of", name="method", allowed=METHODS, got=method))
    prob = conv_transpose_problem(x, weight, bias, stride, padding, output_padding, groups, dilation)
    return prob.finish(_IMPLEMENTATIONS[method](prob))


def conv2d_matrix(weight: ArrayLike, input_size: IntOrPair, stride: IntOrPair = 1, padding: IntOrPair = 0,
                  dilation: IntOrPair = 1) -> np.ndarray:
    """The matrix ``M`` with ``conv2d(x, weight).ravel() == M @ x.ravel()``.

    weight: (kH, kW) for one channel, or (C_out, C_in, kH, kW);
    input_size: H or (H, W). Returns (C_out*H_out*W_out, C_in*H*W).
    ``M.T`` applied to a flattened output is conv_transpose2d with the same weight
    (and the output_padding that restores ``input_size``).
    """
    w = as_array(weight, "weight")
    if w.ndim == 2:
        w = w[None, None]
    if w.ndim != 4:
        raise ValueError(message("reference.matrix_weight", shape=w.shape))
    h, wd = pair(input_size, "input_size")
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
