"""Every bad-input rule: the right error type, raised before any computation, naming the parameter."""
import numpy as np
import pytest

from tconv_lib.foundations import arithmetic as A
from tconv_lib.foundations import reference as R
from tconv_lib.foundations.design import design_conv_transpose
from tconv_lib.foundations.stages import conv_transpose2d_stages

X = np.ones((1, 2, 3, 3))
W = np.ones((2, 1, 2, 2))

BAD_CALLS = [
    # (description, call, error type, words the message must contain)
    ("stride zero", lambda: R.conv_transpose2d(X, W, stride=0), ValueError, ["stride", "positive"]),
    ("negative stride in a pair", lambda: R.conv_transpose2d(X, W, stride=(1, -2)), ValueError, ["stride"]),
    ("dilation zero", lambda: R.conv_transpose2d(X, W, dilation=0), ValueError, ["dilation", "positive"]),
    ("empty kernel", lambda: R.conv_transpose2d(X, np.ones((2, 1, 0, 2))), ValueError, ["kernel_size", "positive"]),
    ("negative padding", lambda: R.conv_transpose2d(X, W, padding=-1), ValueError, ["padding", "non-negative"]),
    ("negative output_padding", lambda: R.conv_transpose2d(X, W, stride=2, output_padding=-1), ValueError,
     ["output_padding"]),
    ("output_padding too large", lambda: R.conv_transpose2d(X, W, stride=2, output_padding=2), ValueError,
     ["output_padding (2)", "stride (2)", "dilation (1)"]),
    ("groups not dividing channels", lambda: R.conv_transpose2d(np.ones((1, 3, 3, 3)), np.ones((3, 1, 2, 2)), groups=2),
     ValueError, ["in_channels (3)", "groups (2)"]),
    ("groups zero", lambda: R.conv_transpose2d(X, W, groups=0), ValueError, ["groups"]),
    ("groups float", lambda: R.conv_transpose2d(X, W, groups=1.5), TypeError, ["groups"]),
    ("weight/input channel mismatch", lambda: R.conv_transpose2d(X, np.ones((3, 1, 2, 2))), ValueError,
     ["weight.shape[0] (3)", "channels (2)"]),
    ("input 2-D", lambda: R.conv_transpose2d(np.ones((3, 3)), W), ValueError, ["x", "2-D"]),
    ("input 5-D", lambda: R.conv_transpose2d(np.ones((1, 1, 2, 3, 3)), W), ValueError, ["x", "5-D"]),
    ("weight 3-D", lambda: R.conv_transpose2d(X, np.ones((2, 2, 2))), ValueError, ["weight", "3-D"]),
    ("non-numeric input", lambda: R.conv_transpose2d(np.array([[["a"]]]), W), TypeError, ["x", "real numbers"]),
    ("object weight", lambda: R.conv_transpose2d(X, np.empty((2, 1, 2, 2), dtype=object)), TypeError, ["weight"]),
    ("complex input", lambda: R.conv_transpose2d(X.astype(complex), W), TypeError, ["x"]),
    ("ragged list", lambda: R.conv_transpose2d([[[1, 2], [3]]], W), TypeError, ["x"]),
    ("bias of wrong length", lambda: R.conv_transpose2d(X, W, bias=np.ones(3)), ValueError, ["bias", "(1,)"]),
    ("float stride", lambda: R.conv_transpose2d(X, W, stride=1.5), TypeError, ["stride"]),
    ("bool padding", lambda: R.conv_transpose2d(X, W, padding=True), TypeError, ["padding"]),
    ("three-element tuple", lambda: R.conv_transpose2d(X, W, stride=(1, 1, 1)), ValueError, ["stride", "pair"]),
    ("output size <= 0", lambda: R.conv_transpose2d(np.ones((1, 2, 1, 1)), W, padding=1), ValueError,
     ["output size", "padding (1)"]),
    ("bad method", lambda: R.conv_transpose2d(X, W, method="fft"), ValueError, ["method"]),
    ("conv2d: kernel larger than input", lambda: R.conv2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3))), ValueError,
     ["size", "kernel"]),
    ("conv2d: channel mismatch", lambda: R.conv2d(X, np.ones((1, 3, 2, 2))), ValueError, ["weight.shape[1]"]),
    ("conv2d: out_channels vs groups", lambda: R.conv2d(X, np.ones((3, 1, 2, 2)), groups=2), ValueError,
     ["out_channels (3)", "groups (2)"]),
    ("arithmetic: output size <= 0", lambda: A.conv_transpose_output_size(1, 2, padding=1), ValueError, ["padding"]),
    ("arithmetic: size zero", lambda: A.conv_transpose_output_size(0, 2), ValueError, ["size"]),
    ("arithmetic: string kernel", lambda: A.conv_output_size(4, "3"), TypeError, ["kernel_size"]),
    ("arithmetic: output_padding in a pair", lambda: A.check_params(3, (2, 1), 0, (1, 1)), ValueError,
     ["output_padding (1)", "stride (1)", "dilation (1)"]),
    ("designer: bad size", lambda: design_conv_transpose(0, 8), ValueError, ["in_size"]),
    ("zero_insert: 1-D", lambda: R.zero_insert(np.ones(3), 2), ValueError, ["x"]),
    ("0 input channels", lambda: R.conv_transpose2d(np.ones((1, 0, 3, 3)), np.ones((0, 1, 2, 2))), ValueError,
     ["in_channels", "0 channels"]),
    ("0 output channels", lambda: R.conv_transpose2d(X, np.ones((X.shape[1], 0, 2, 2))), ValueError,
     ["weight.shape[1]", "0 channels"]),
    ("conv2d: 0 input channels", lambda: R.conv2d(np.ones((1, 0, 3, 3)), np.ones((1, 0, 2, 2))), ValueError,
     ["in_channels"]),
    ("stages: 4-D input", lambda: conv_transpose2d_stages(X, np.ones((2, 2))), ValueError, ["2-D"]),
]


@pytest.mark.parametrize("call,error,words", [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS])
def test_bad_input_is_rejected_with_a_clear_message(call, error, words):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"message {message!r} should mention {word!r}"
