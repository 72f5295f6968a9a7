"""Exporting a model with transposed convolutions to ONNX, and checking it with ONNX Runtime.

* :func:`export_onnx` writes a model to an ``.onnx`` file with ``torch.onnx.export``
  (the torch.export-based exporter, ``dynamo=True``, which needs ``onnxscript``; or
  the older TorchScript-based one, ``dynamo=False``), with a dynamic batch axis and
  without the exporters' progress messages and warnings.
* :func:`conv_transpose_attributes` reads back what the file says about each
  ``ConvTranspose`` node (strides, pads, output_padding, ...).
* :func:`max_abs_difference` runs the file with ONNX Runtime on the CPU and
  compares with the PyTorch model.

``onnx`` and ``onnxruntime`` are imported only inside these functions.
Introduced in chapters/14_shipping_models.
"""
from __future__ import annotations

import contextlib
import io
import logging
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from ..i18n import message

if TYPE_CHECKING:  # onnxruntime loads only when a session is made
    import onnxruntime


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path, dynamo: bool = True) -> Path:
    """Export ``model`` (in eval mode) for inputs shaped like ``example`` (N, C, ...) to ``path``.

    Axis 0 (the batch) is dynamic; every other size is fixed to the example's.
    The input is named ``"x"``, the output ``"y"``. Returns the path.
    """
    path = Path(path)
    was_training = model.training
    model.eval()
    quiet = io.StringIO()
    onnx_logger = logging.getLogger("torch.onnx")
    level = onnx_logger.level
    onnx_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            warnings.simplefilter("ignore")
            if dynamo:
                torch.onnx.export(model, (example,), str(path), dynamo=True, input_names=["x"],
                                  output_names=["y"], dynamic_shapes=({0: torch.export.Dim("batch")},),
                                  verbose=False)
            else:
                torch.onnx.export(model, (example,), str(path), dynamo=False, input_names=["x"],
                                  output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    finally:
        onnx_logger.setLevel(level)
        model.train(was_training)
    return path


def conv_transpose_attributes(path: str | Path) -> list[dict[str, list[int]]]:
    """For every ``ConvTranspose`` node of the ONNX file: its integer-list attributes by name.

    For example ``{"strides": [2, 3], "pads": [1, 2, 1, 2], "output_padding": [1, 2], ...}``
    (ONNX lists pads as all begins, then all ends).
    """
    import onnx

    model = onnx.load(str(path))
    return [{a.name: list(a.ints) for a in node.attribute if a.ints}
            for node in model.graph.node if node.op_type == "ConvTranspose"]


def drop_output_padding(src: str | Path, dst: str | Path) -> Path:
    """Copy the ONNX file ``src`` to ``dst`` with every ``ConvTranspose`` node's ``output_padding`` set to
    zeros: the exporter bug of pytorch/pytorch#104206, to see what it does. Returns ``dst``."""
    import onnx

    model = onnx.load(str(src))
    for node in model.graph.node:
        if node.op_type == "ConvTranspose":
            for attribute in node.attribute:
                if attribute.name == "output_padding":
                    zeros = [0] * len(attribute.ints)
                    del attribute.ints[:]
                    attribute.ints.extend(zeros)
    onnx.save(model, str(dst))
    return Path(dst)


def onnx_session(path: str | Path) -> onnxruntime.InferenceSession:
    """An ONNX Runtime inference session for ``path`` on the CPU.

    Used by :func:`max_abs_difference`.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def max_abs_difference(model: nn.Module, path: str | Path, x: torch.Tensor) -> float:
    """Largest ``|ONNX Runtime(x) - model(x)|`` over all outputs, for one float32 input ``x`` (N, C, ...).

    Raises ``ValueError`` if the two outputs have different shapes.
    """
    session = onnx_session(path)
    got = session.run(None, {session.get_inputs()[0].name: x.detach().cpu().numpy()})[0]
    was_training = model.training
    with torch.no_grad():
        want = model.eval()(x).detach().cpu().numpy()
    model.train(was_training)
    if got.shape != want.shape:
        raise ValueError(message("onnx.shape", got=got.shape, want=want.shape))
    return float(np.abs(got - want).max())
