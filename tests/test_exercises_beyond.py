"""The answer checks of chapters 13-14 (tconv_lib/exercises/_beyond.py): right answers pass, wrong ones fail with a hint."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from tconv_lib.exercises import _beyond as X
from tconv_lib.foundations import arithmetic


def round_trip(input_size, kernel_size, stride, padding):
    """A right answer written independently of tconv_lib."""
    return tuple((n + 2 * padding - kernel_size) % stride for n in input_size)


def tconv1d(x, kernel, stride, padding, output_padding):
    full = np.zeros((len(x) - 1) * stride + len(kernel) + output_padding)
    for i, v in enumerate(x):
        full[i * stride:i * stride + len(kernel)] += v * kernel
    return full[padding:len(full) - padding]


def decoder(output_padding=(1, 2)):
    torch.manual_seed(0)
    return nn.Sequential(nn.ConvTranspose2d(4, 8, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
                         nn.ConvTranspose2d(8, 1, (3, 5), stride=(2, 3), padding=(1, 2), output_padding=output_padding))


def test_right_answers_pass(capsys):
    assert X.check_round_trip_nd(round_trip)
    assert X.check_round_trip_nd(arithmetic.round_trip_output_padding)
    assert X.check_conv_transpose1d(tconv1d)
    assert X.check_smooth_gradient(nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(3, 4, 3, padding=1)))
    layer = nn.ConvTranspose2d(2, 3, (3, 5), stride=(2, 3), padding=(1, 2), output_padding=(1, 2))
    assert X.check_onnx_attributes({"strides": [2, 3], "pads": [1, 2, 1, 2], "output_padding": [1, 2]}, layer)
    assert X.check_exported_decoder(decoder(), (4, 5, 6), (20, 36))
    assert "passed" in capsys.readouterr().out


def test_wrong_answers_fail_with_a_hint(capsys):
    result = X.check_round_trip_nd(lambda n, k, s, p: (0,) * len(n))
    assert not result and result.cases == 1 and "axis 1" in result.hint
    result = X.check_round_trip_nd(lambda n, k, s, p: 0)
    assert not result and "tuple" in result.hint
    result = X.check_conv_transpose1d(lambda x, k, s, p, op: tconv1d(x, k[::-1], s, p, op))
    assert not result and "wrong way round" in result.hint
    result = X.check_conv_transpose1d(lambda x, k, s, p, op: tconv1d(x, k, s, p, 0))
    assert not result and "shape" in result.hint and result.cases == 1
    strided = nn.Conv2d(3, 4, 4, stride=2, padding=1)
    before = strided.weight.detach().clone()
    result = X.check_smooth_gradient(strided)
    assert not result and "scores" in result.hint
    assert torch.equal(strided.weight, before)  # the check restores the weights it redrew
    result = X.check_smooth_gradient(nn.Conv2d(3, 4, 3, padding=1))
    assert not result and "halve" in result.hint
    layer = nn.ConvTranspose2d(2, 3, 3, stride=(2, 3), padding=(1, 2), output_padding=(1, 2))
    result = X.check_onnx_attributes({"strides": [2, 3], "pads": [1, 1, 2, 2], "output_padding": [1, 2]}, layer)
    assert not result and "pads" in result.hint and "[1, 2" not in result.hint
    result = X.check_exported_decoder(decoder((0, 0)), (4, 5, 6), (19, 34))
    assert result  # the first layer still has output_padding=1
    result = X.check_exported_decoder(nn.Sequential(nn.ConvTranspose2d(4, 1, 3, stride=2)), (4, 5, 6), (11, 13))
    assert not result and "output_padding" in result.hint
    result = X.check_exported_decoder(decoder(), (4, 5, 6), (20, 35))
    assert not result and "axis by axis" in result.hint
    assert "FAILED" in capsys.readouterr().out


def test_checks_never_raise_on_broken_answers(capsys):
    def boom(*args):
        raise NotImplementedError()
    assert not X.check_round_trip_nd(boom)
    assert not X.check_conv_transpose1d(lambda *a: None)
    assert not X.check_smooth_gradient("not a module")
    assert not X.check_onnx_attributes(None, nn.ConvTranspose2d(1, 1, 3))
    assert not X.check_exported_decoder("not a module", (4, 5, 6), (20, 36))
    capsys.readouterr()


def test_dropped_output_padding_prediction():
    """Exercise 14.4: the size after an exporter wrote output_padding as zeros (pytorch#104206)."""
    decoder = nn.Sequential(nn.ConvTranspose2d(8, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
                            nn.ConvTranspose2d(16, 3, (3, 5), stride=(2, 3), padding=(1, 2), output_padding=(1, 2)))
    assert X.check_dropped_output_padding((17, 37), decoder, (8, 5, 7))
    assert not X.check_dropped_output_padding((19, 40), decoder, (8, 5, 7))      # one short per axis: not enough
    assert not X.check_dropped_output_padding((20, 42), decoder, (8, 5, 7))      # PyTorch's own size
    assert not X.check_dropped_output_padding("17x37", decoder, (8, 5, 7))


def test_drop_output_padding_writes_zeros_and_nothing_else(tmp_path):
    from tconv_lib.real_models.onnx_export import conv_transpose_attributes, drop_output_padding, export_onnx

    layer = nn.ConvTranspose2d(2, 3, (3, 5), stride=(2, 3), padding=(1, 2), output_padding=(1, 2))
    src = export_onnx(layer, torch.zeros(1, 2, 4, 4), tmp_path / "a.onnx", dynamo=False)
    before = conv_transpose_attributes(src)[0]
    after = conv_transpose_attributes(drop_output_padding(src, tmp_path / "b.onnx"))[0]
    assert before["output_padding"] == [1, 2] and after == {**before, "output_padding": [0, 0]}
    assert conv_transpose_attributes(src)[0] == before                            # the original is untouched

