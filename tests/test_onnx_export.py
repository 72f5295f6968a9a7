"""tconv_lib.real_models.onnx_export: exported ConvTranspose layers keep output_padding and match PyTorch."""
from importlib.util import find_spec

import pytest
import torch
from torch import nn

from tconv_lib.real_models.onnx_export import conv_transpose_attributes, export_onnx, max_abs_difference

# find_spec, not importorskip: importing ONNX Runtime takes a while, and collecting this file (as every
# pytest -n worker does) should not pay for it; the tests import it when they run
pytestmark = pytest.mark.skipif(find_spec("onnxruntime") is None, reason="onnxruntime is not installed")


def decoder() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.ConvTranspose2d(4, 6, 3, stride=(2, 1), padding=1, output_padding=(1, 0)), nn.ReLU(),
                         nn.ConvTranspose2d(6, 2, (3, 5), stride=(2, 3), padding=(1, 2), output_padding=(1, 2)))


@pytest.mark.parametrize("dynamo", [True, False])
def test_export_keeps_output_padding_and_matches(tmp_path, dynamo):
    model = decoder()
    path = export_onnx(model, torch.randn(2, 4, 5, 7), tmp_path / "d.onnx", dynamo=dynamo)
    attrs = conv_transpose_attributes(path)
    assert [a["output_padding"] for a in attrs] == [[1, 0], [1, 2]]
    assert [a["strides"] for a in attrs] == [[2, 1], [2, 3]]
    assert attrs[1]["pads"] == [1, 2, 1, 2]
    for batch in (1, 3):  # the batch axis is dynamic
        assert max_abs_difference(model, path, torch.randn(batch, 4, 5, 7)) < 1e-5
    assert model.training  # the mode is restored


def test_a_wrong_export_is_caught(tmp_path):
    model = decoder()
    path = export_onnx(model, torch.randn(1, 4, 5, 7), tmp_path / "d.onnx", dynamo=False)
    model[2].output_padding = (0, 0)  # PyTorch now computes a smaller output than the file
    with pytest.raises(ValueError, match="differs from PyTorch's"):
        max_abs_difference(model, path, torch.randn(1, 4, 5, 7))
    model[2].output_padding = (1, 2)
    with torch.no_grad():
        model[0].bias += 1.0
    assert max_abs_difference(model, path, torch.randn(1, 4, 5, 7)) > 1e-3
