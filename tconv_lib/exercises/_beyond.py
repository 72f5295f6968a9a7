"""Answer checks for the exercises of chapters 13 and 14 (other dimensions, compounding, shipping).

Same contract as :mod:`tconv_lib.exercises` (and built on its ``core``): each check runs the answer against
PyTorch on the example from the text, then on seeded random cases, prints a short
report, returns a :class:`~tconv_lib.exercises.CheckResult`, and never raises
because of the answer; a failure names the case and gives a hint, not the answer.
Introduced in exercises/13_other_dimensions_and_compounding.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..upsampling.artifacts import input_gradient_score
from ._core import CheckResult, Fail, as_array, call, compare, describe, is_int, require, run_cases
from ._rules import LIBRARY_TCONV, Rule

_CONV = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
_TCONV = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}


def check_round_trip_nd(fn: Callable) -> CheckResult:
    """Check ``fn(input_size: tuple, kernel_size, stride, padding) -> tuple`` (one output_padding per
    axis) with real ConvNd / ConvTransposeNd layers, 1 to 3 axes.
    Introduced in exercises/13_other_dimensions_and_compounding.
    """
    rng = np.random.default_rng(13)
    params = [dict(input_size=(9, 16, 15), kernel_size=3, stride=2, padding=1)]
    for i in range(20):
        ndim = (1, 3, 2)[i % 3]
        k, s = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        params.append(dict(input_size=tuple(int(n) for n in rng.integers(k, 14, ndim)), kernel_size=k, stride=s,
                           padding=int(rng.integers(0, k // 2 + 1))))

    def case(p):
        ndim = len(p["input_size"])
        op = call(fn, *p.values())
        if not isinstance(op, (tuple, list)) or len(op) != ndim or not all(is_int(v) for v in op):
            raise Fail(f"return a tuple of {ndim} int(s), one per axis, got {op!r}")
        args = (1, 1, p["kernel_size"], p["stride"], p["padding"])
        x = torch.zeros((1, 1) + p["input_size"])
        try:
            with torch.random.fork_rng(devices=[]):
                y = _TCONV[ndim](*args, output_padding=tuple(op))(_CONV[ndim](*args)(x))
        except (RuntimeError, ValueError) as exc:
            raise Fail(f"PyTorch rejects output_padding={tuple(op)}: {str(exc).splitlines()[0]}") from None
        if tuple(y.shape[2:]) != p["input_size"]:
            wrong = [axis for axis, (a, b) in enumerate(zip(y.shape[2:], p["input_size"])) if a != b]
            raise Fail(f"the round trip gives {tuple(y.shape[2:])}, not {p['input_size']} (axis {wrong[0]} "
                        "is off); treat each axis on its own with that axis's size")
    return run_cases("check_round_trip_nd", [(describe(p), lambda p=p: case(p)) for p in params])


def check_conv_transpose1d(fn: Callable) -> CheckResult:
    """Check ``fn(x (L,), kernel (k,), stride, padding, output_padding) -> (L_out,)`` against
    F.conv_transpose1d in float64. Introduced in exercises/13_other_dimensions_and_compounding.
    """
    rng = np.random.default_rng(31)
    params = [dict(x=np.array([1.0, 2.0, 3.0]), kernel=np.array([1.0, 10.0, 100.0]), stride=2, padding=1,
                   output_padding=1)]
    for i in range(24):
        k, s = int(rng.integers(1, 5)), int(rng.integers(1, 4)) if i >= 6 else 1
        p = int(rng.integers(0, k)) if i >= 12 else 0
        op = int(rng.integers(0, s)) if i >= 18 else 0
        x = rng.integers(-3, 4, int(rng.integers(2, 7))).astype(float)
        params.append(dict(x=x, kernel=rng.integers(-3, 4, k).astype(float), stride=s, padding=p, output_padding=op))

    def case(x, kernel, stride, padding, output_padding):
        t = lambda a: torch.as_tensor(a, dtype=torch.float64)[None, None]  # noqa: E731
        try:
            want = F.conv_transpose1d(t(x), t(kernel), stride=stride, padding=padding,
                                      output_padding=output_padding)[0, 0].numpy()
        except RuntimeError:
            return  # PyTorch refuses this case (empty output): nothing to compare
        got = as_array(call(fn, x.copy(), kernel.copy(), stride, padding, output_padding), want.shape, None)
        flipped = F.conv_transpose1d(t(x), t(kernel[::-1].copy()), stride=stride, padding=padding,
                                     output_padding=output_padding)[0, 0].numpy()
        compare(got, want, [(flipped, "your kernel is the wrong way round: in the zero-insertion view the "
                              "stride-1 correlation uses the flipped kernel")])
    return run_cases("check_conv_transpose1d", [(describe(p), lambda p=p: case(**p)) for p in params],
                     Rule("ConvTranspose1d by zero insertion", LIBRARY_TCONV))


def check_smooth_gradient(block: nn.Module, threshold: float = 0.01) -> CheckResult:
    """Check a 3-channel x1/2 downsampling ``block``: (N, 3, 32, 32) -> (N, C, 16, 16), and an input
    gradient score (period 2) below ``threshold`` for its weights and three random re-drawings of them.
    Introduced in exercises/13_other_dimensions_and_compounding.
    """
    def redraw(seed):
        if seed is None:
            return
        gen = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for p in block.parameters():
                p.copy_(torch.randn(p.shape, generator=gen) * 0.3)

    def case(seed):
        require(block, "block")
        if not isinstance(block, nn.Module):
            raise Fail(f"pass an nn.Module, got {type(block).__name__}")
        redraw(seed)
        try:
            y = block(torch.rand(2, 3, 32, 32))
        except Exception as exc:
            raise Fail(f"the block raised {type(exc).__name__} on a (2, 3, 32, 32) input: "
                        f"{str(exc).splitlines()[0]}") from None
        if y.ndim != 4 or tuple(y.shape[-2:]) != (16, 16):
            raise Fail(f"output shape {tuple(y.shape)}, expected (2, C, 16, 16): the block must halve H and W")
        score = input_gradient_score(block, stride=2, size=32, seeds=(0, 1))
        if score >= threshold:
            raise Fail(f"the gradient reaching the input scores {score:.3f} (>= {threshold}): some output phase "
                        "still gets more than the others; which layer decides where the gradient goes?")
    saved = {k: v.clone() for k, v in block.state_dict().items()} if isinstance(block, nn.Module) else {}
    try:
        return run_cases("check_smooth_gradient", [(f"weights {'as given' if s is None else f'redrawn, seed {s}'}",
                                                     lambda s=s: case(s)) for s in (None, 1, 2, 3)])
    finally:
        if saved:
            block.load_state_dict(saved)


def check_onnx_attributes(answer: object, module: nn.ConvTranspose2d) -> CheckResult:
    """Check a hand-written dict of ONNX ConvTranspose attributes (``strides``, ``pads``,
    ``output_padding``) for ``module`` against the file the exporter writes.
    Introduced in exercises/14_shipping_models.
    """
    from ..real_models.onnx_export import conv_transpose_attributes, export_onnx

    def case():
        require(answer, "your answer")
        if not isinstance(answer, dict) or not answer:
            raise Fail(f"give a dict such as {{'strides': [...], 'pads': [...], 'output_padding': [...]}}, "
                        f"got {answer!r}")
        example = torch.zeros(1, module.in_channels, 5, 5)
        with tempfile.TemporaryDirectory() as tmp, torch.random.fork_rng(devices=[]):
            attrs = conv_transpose_attributes(export_onnx(module, example, Path(tmp) / "m.onnx", dynamo=False))[0]
        for key in ("strides", "pads", "output_padding"):
            if key not in answer:
                raise Fail(f"your dict has no {key!r}")
            if [int(v) for v in answer[key]] != attrs[key]:
                hint = " (ONNX lists all beginnings, then all ends)" if key == "pads" else ""
                raise Fail(f"{key} is not what the exporter writes{hint}; count one value per axis")
    shown = " ".join(repr(module).split())
    return run_cases("check_onnx_attributes", [(shown, case)])


def check_dropped_output_padding(answer: object, decoder: nn.Module, in_shape: tuple) -> CheckResult:
    """Check a predicted output size (H, W) of ``decoder`` on inputs (N, *in_shape) once exported with its
    ``output_padding`` written as zeros (pytorch/pytorch#104206): the file is exported, damaged with
    :func:`tconv_lib.real_models.onnx_export.drop_output_padding` and run by ONNX Runtime.
    Introduced in exercises/14_shipping_models.
    """
    from ..real_models.onnx_export import drop_output_padding, export_onnx, onnx_session

    def case():
        require(answer, "your answer")
        if not (isinstance(answer, (tuple, list)) and len(answer) == 2 and all(is_int(v) for v in answer)):
            raise Fail(f"give the size as a tuple of two ints (height, width), got {answer!r}")
        x = torch.zeros((1,) + tuple(in_shape))
        with tempfile.TemporaryDirectory() as tmp, torch.random.fork_rng(devices=[]):
            damaged = drop_output_padding(export_onnx(decoder, x, Path(tmp) / "m.onnx", dynamo=False),
                                          Path(tmp) / "damaged.onnx")
            session = onnx_session(damaged)
            size = tuple(session.run(None, {session.get_inputs()[0].name: x.numpy()})[0].shape[-2:])
        if tuple(int(v) for v in answer) != size:
            raise Fail("not the size ONNX Runtime computes: apply the size formula layer by layer with "
                       "output_padding 0, each layer starting from the previous layer's smaller output")
    return run_cases("check_dropped_output_padding", [(f"input {tuple(in_shape)}", case)])


def check_exported_decoder(model: nn.Module, in_shape: tuple, out_hw: tuple, tolerance: float = 1e-5) -> CheckResult:
    """Check a decoder (N, *in_shape) -> (N, C, *out_hw) that uses a non-zero output_padding, exported
    with both exporters and run by ONNX Runtime for batches of 1 to 3 (max abs difference < tolerance).
    Introduced in exercises/14_shipping_models.
    """
    from ..real_models.onnx_export import export_onnx, max_abs_difference

    gen = torch.Generator().manual_seed(14)
    tmp = tempfile.TemporaryDirectory()

    def structure():
        require(model, "model")
        if not isinstance(model, nn.Module):
            raise Fail(f"pass an nn.Module, got {type(model).__name__}")
        tconvs = [m for m in model.modules() if isinstance(m, nn.ConvTranspose2d)]
        if not any(any(op) for op in (m.output_padding for m in tconvs)):
            raise Fail("no nn.ConvTranspose2d with a non-zero output_padding: the point is to ship one")
        with torch.no_grad():
            y = model.eval()(torch.randn((2,) + tuple(in_shape), generator=gen))
        if tuple(y.shape[-2:]) != tuple(out_hw):
            raise Fail(f"the model gives {tuple(y.shape[-2:])}, expected {tuple(out_hw)}: "
                        "apply the size formula axis by axis")

    def exported(dynamo, batch):
        path = Path(tmp.name) / f"d{dynamo}.onnx"
        if not path.exists():
            try:
                export_onnx(model, torch.randn((1,) + tuple(in_shape), generator=gen), path, dynamo=dynamo)
            except Exception as exc:
                raise Fail(f"export failed: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
        diff = max_abs_difference(model, path, torch.randn((batch,) + tuple(in_shape), generator=gen))
        if diff >= tolerance:
            raise Fail(f"ONNX Runtime differs from PyTorch by {diff:.2e} (>= {tolerance})")
    cases = [("the model in PyTorch", structure)]
    cases += [(f"dynamo={d}, batch of {b}", lambda d=d, b=b: exported(d, b)) for d in (True, False) for b in (1, 3)]
    try:
        return run_cases("check_exported_decoder", cases)
    finally:
        tmp.cleanup()
