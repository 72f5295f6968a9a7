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

from ..i18n import message
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
            raise Fail(message("check.per_axis_tuple", ndim=ndim, got=op))
        args = (1, 1, p["kernel_size"], p["stride"], p["padding"])
        x = torch.zeros((1, 1) + p["input_size"])
        try:
            with torch.random.fork_rng(devices=[]):
                y = _TCONV[ndim](*args, output_padding=tuple(op))(_CONV[ndim](*args)(x))
        except (RuntimeError, ValueError) as exc:
            raise Fail(message("check.rejects", op=tuple(op), error=str(exc).splitlines()[0])) from None
        if tuple(y.shape[2:]) != p["input_size"]:
            wrong = [axis for axis, (a, b) in enumerate(zip(y.shape[2:], p["input_size"])) if a != b]
            raise Fail(message("check.round_trip_axis", got=tuple(y.shape[2:]), want=p["input_size"], axis=wrong[0]))
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
        compare(got, want, [(flipped, message("check.wrong_way_round"))])
    return run_cases("check_conv_transpose1d", [(describe(p), lambda p=p: case(**p)) for p in params],
                     Rule(message("rule.conv_transpose1d"), LIBRARY_TCONV))


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
            raise Fail(message("check.not_module", type=type(block).__name__))
        redraw(seed)
        try:
            y = block(torch.rand(2, 3, 32, 32))
        except Exception as exc:
            raise Fail(message("check.block_raised", type=type(exc).__name__, error=str(exc).splitlines()[0])) from None
        if y.ndim != 4 or tuple(y.shape[-2:]) != (16, 16):
            raise Fail(message("check.block_shape", shape=tuple(y.shape)))
        score = input_gradient_score(block, stride=2, size=32, seeds=(0, 1))
        if score >= threshold:
            raise Fail(message("check.gradient_score", score=score, threshold=threshold))
    saved = {k: v.clone() for k, v in block.state_dict().items()} if isinstance(block, nn.Module) else {}
    try:
        return run_cases("check_smooth_gradient", [(message("case.weights_given") if s is None else
                                                     message("case.weights_redrawn", seed=s), lambda s=s: case(s))
                                                    for s in (None, 1, 2, 3)])
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
        require(answer, message("check.your_answer"))
        if not isinstance(answer, dict) or not answer:
            raise Fail(message("check.onnx_dict", got=answer))
        example = torch.zeros(1, module.in_channels, 5, 5)
        with tempfile.TemporaryDirectory() as tmp, torch.random.fork_rng(devices=[]):
            attrs = conv_transpose_attributes(export_onnx(module, example, Path(tmp) / "m.onnx", dynamo=False))[0]
        for key in ("strides", "pads", "output_padding"):
            if key not in answer:
                raise Fail(message("check.onnx_missing", name=key))
            if [int(v) for v in answer[key]] != attrs[key]:
                hint = message("check.onnx_pads") if key == "pads" else ""
                raise Fail(message("check.onnx_wrong", name=key, hint=hint))
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
        require(answer, message("check.your_answer"))
        if not (isinstance(answer, (tuple, list)) and len(answer) == 2 and all(is_int(v) for v in answer)):
            raise Fail(message("check.size_pair", got=answer))
        x = torch.zeros((1,) + tuple(in_shape))
        with tempfile.TemporaryDirectory() as tmp, torch.random.fork_rng(devices=[]):
            damaged = drop_output_padding(export_onnx(decoder, x, Path(tmp) / "m.onnx", dynamo=False),
                                          Path(tmp) / "damaged.onnx")
            session = onnx_session(damaged)
            size = tuple(session.run(None, {session.get_inputs()[0].name: x.numpy()})[0].shape[-2:])
        if tuple(int(v) for v in answer) != size:
            raise Fail(message("check.dropped_size"))
    return run_cases("check_dropped_output_padding", [(message("case.input", shape=tuple(in_shape)), case)])


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
            raise Fail(message("check.not_module", type=type(model).__name__))
        tconvs = [m for m in model.modules() if isinstance(m, nn.ConvTranspose2d)]
        if not any(any(op) for op in (m.output_padding for m in tconvs)):
            raise Fail(message("check.no_output_padding"))
        with torch.no_grad():
            y = model.eval()(torch.randn((2,) + tuple(in_shape), generator=gen))
        if tuple(y.shape[-2:]) != tuple(out_hw):
            raise Fail(message("check.model_gives", got=tuple(y.shape[-2:]), want=tuple(out_hw)))

    def exported(dynamo, batch):
        path = Path(tmp.name) / f"d{dynamo}.onnx"
        if not path.exists():
            try:
                export_onnx(model, torch.randn((1,) + tuple(in_shape), generator=gen), path, dynamo=dynamo)
            except Exception as exc:
                raise Fail(message("check.export_failed", type=type(exc).__name__, error=str(exc).splitlines()[0])) from None
        diff = max_abs_difference(model, path, torch.randn((batch,) + tuple(in_shape), generator=gen))
        if diff >= tolerance:
            raise Fail(message("check.onnx_differs", diff=diff, tolerance=tolerance))
    cases = [(message("case.model_in_pytorch"), structure)]
    cases += [(message("case.dynamo", dynamo=d, batch=b), lambda d=d, b=b: exported(d, b)) for d in (True, False)
              for b in (1, 3)]
    try:
        return run_cases("check_exported_decoder", cases)
    finally:
        tmp.cleanup()
