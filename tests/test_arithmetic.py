"""tconv_lib.foundations.arithmetic against the shapes PyTorch's layers really produce."""
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tconv_lib.foundations import arithmetic as A

small = st.integers


@settings(max_examples=300, deadline=None)
@given(size=small(1, 9), k=small(1, 5), s=small(1, 4), p=small(0, 3), d=small(1, 3), data=st.data())
def test_conv_transpose_output_size_matches_torch(size, k, s, p, d, data):
    op = data.draw(small(0, max(s, d) - 1))
    layer = torch.nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op, dilation=d, bias=False)
    try:
        expected = layer(torch.zeros(1, 1, size, size)).shape[-1]
    except RuntimeError:
        expected = None
    if not expected:  # PyTorch raises, or returns an empty tensor: the library refuses both
        with pytest.raises(ValueError, match="output size"):
            A.conv_transpose_output_size(size, k, s, p, op, d)
        return
    assert A.conv_transpose_output_size(size, k, s, p, op, d) == expected


@settings(max_examples=200, deadline=None)
@given(size=small(1, 12), k=small(1, 5), s=small(1, 4), p=small(0, 2), d=small(1, 3))
def test_conv_output_size_matches_torch(size, k, s, p, d):
    layer = torch.nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
    try:
        expected = layer(torch.zeros(1, 1, size, size)).shape[-1]
    except RuntimeError:
        with pytest.raises(ValueError):
            A.conv_output_size(size, k, s, p, d)
        return
    assert A.conv_output_size(size, k, s, p, d) == expected


def test_pairs_in_pairs_out():
    layer = torch.nn.ConvTranspose2d(1, 1, (3, 2), stride=(2, 3), padding=(1, 0), output_padding=(1, 2),
                                     dilation=(1, 2))
    out = layer(torch.zeros(1, 1, 5, 4)).shape[-2:]
    assert A.conv_transpose_output_size((5, 4), (3, 2), (2, 3), (1, 0), (1, 2), (1, 2)) == tuple(out)
    assert A.conv_transpose_output_size(5, (3, 2)) == (7, 6)
    assert A.conv_transpose_output_size(5, 3) == 7
    assert A.implicit_padding(4, 1) == 2
    assert A.implicit_padding((3, 5), (0, 1), (2, 1)) == (4, 3)


@settings(max_examples=200, deadline=None)
@given(n=small(1, 40), k=small(1, 5), s=small(1, 4), p=small(0, 2), d=small(1, 2))
def test_round_trip_output_padding_restores_the_size(n, k, s, p, d):
    conv = torch.nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
    x = torch.zeros(1, 1, n, n)
    try:
        y = conv(x)
    except RuntimeError:
        return
    op = A.round_trip_output_padding(n, k, s, p, d)
    back = torch.nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op, dilation=d)(y)
    assert back.shape == x.shape
    assert n in A.conv_input_sizes(y.shape[-1], k, s, p, d)


def test_the_classic_64_32_63_bug():
    assert A.conv_output_size(64, 3, 2, 1) == 32
    assert A.conv_transpose_output_size(32, 3, 2, 1) == 63
    assert A.round_trip_output_padding(64, 3, 2, 1) == 1
    assert A.round_trip_output_padding((64, 63), 3, 2, 1) == (1, 0)


@pytest.mark.parametrize("size,k,s,p,d", [(5, 3, 2, 1, 1), (7, 4, 3, 0, 1), (4, 3, 1, 1, 2), ((3, 5), (2, 3), (2, 3), 0, 1)])
def test_valid_output_sizes_match_forward_output_size(size, k, s, p, d):
    layer = torch.nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, dilation=d)
    h, w = (size, size) if isinstance(size, int) else size
    x = torch.zeros(1, 1, h, w)
    valid = A.valid_output_sizes(size, k, s, p, d)
    for choice in valid:
        hw = (choice, choice) if isinstance(choice, int) else choice
        assert tuple(layer(x, output_size=hw).shape[-2:]) == hw
    # one past the largest is refused by PyTorch
    last = valid[-1]
    too_big = (last + 1, last + 1) if isinstance(last, int) else (last[0] + 1, last[1])
    with pytest.raises(ValueError, match="requested an output size"):
        layer(x, output_size=too_big)


def test_conv_input_sizes_all_map_to_the_same_output():
    sizes = A.conv_input_sizes(32, 3, 2, 1)
    assert sizes == [63, 64]
    for n in sizes:
        assert A.conv_output_size(n, 3, 2, 1) == 32


def test_arithmetic_never_imports_torch():
    code = "import sys, tconv_lib.foundations.arithmetic; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ----------------------------------------------------------------------------- 1-D and 3-D
TRANSPOSED = {1: torch.nn.ConvTranspose1d, 3: torch.nn.ConvTranspose3d}
FORWARD = {1: torch.nn.Conv1d, 3: torch.nn.Conv3d}


@st.composite
def per_axis_layer(draw, ndim):
    """Per-axis hyper-parameters for an ndim-axis layer (as tuples) that PyTorch accepts."""
    axes = [dict(size=draw(small(1, 7)), k=draw(small(1, 4)), s=draw(small(1, 3)), p=draw(small(0, 2)),
                 d=draw(small(1, 2))) for _ in range(ndim)]
    for a in axes:
        a["op"] = draw(small(0, max(a["s"], a["d"]) - 1))
    return {key: tuple(a[key] for a in axes) for key in ("size", "k", "s", "p", "op", "d")}


@pytest.mark.parametrize("ndim", [1, 3])
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_conv_transpose_output_size_matches_torch_1d_and_3d(ndim, data):
    a = data.draw(per_axis_layer(ndim))
    layer = TRANSPOSED[ndim](1, 1, a["k"], stride=a["s"], padding=a["p"], output_padding=a["op"],
                             dilation=a["d"], bias=False)
    try:
        expected = tuple(layer(torch.zeros(1, 1, *a["size"])).shape[2:])
    except RuntimeError:
        expected = None
    if not expected or min(expected) <= 0:
        with pytest.raises(ValueError, match="output size"):
            A.conv_transpose_output_size(a["size"], a["k"], a["s"], a["p"], a["op"], a["d"])
        return
    assert A.conv_transpose_output_size(a["size"], a["k"], a["s"], a["p"], a["op"], a["d"]) == expected
    if ndim == 1:  # ints in, int out
        assert A.conv_transpose_output_size(a["size"][0], a["k"][0], a["s"][0], a["p"][0], a["op"][0],
                                            a["d"][0]) == expected[0]


@pytest.mark.parametrize("ndim", [1, 3])
@settings(max_examples=100, deadline=None)
@given(n=st.lists(small(1, 20), min_size=3, max_size=3), k=small(1, 4), s=small(1, 3), p=small(0, 1),
       d=small(1, 2))
def test_round_trip_1d_and_3d_restores_the_size(ndim, n, k, s, p, d):
    size = tuple(n[:ndim])
    x = torch.zeros((1, 1) + size)
    try:
        y = FORWARD[ndim](1, 1, k, stride=s, padding=p, dilation=d)(x)
    except RuntimeError:
        return
    assert A.conv_output_size(size, k, s, p, d) == tuple(y.shape[2:])
    op = A.round_trip_output_padding(size, k, s, p, d)
    assert len(op) == ndim
    back = TRANSPOSED[ndim](1, 1, k, stride=s, padding=p, output_padding=op, dilation=d)(y)
    assert tuple(back.shape[2:]) == size


def test_3d_valid_output_sizes_and_checks():
    layer = torch.nn.ConvTranspose3d(1, 1, 3, stride=(1, 2, 3), padding=1)
    x = torch.zeros(1, 1, 2, 3, 4)
    valid = A.valid_output_sizes((2, 3, 4), 3, (1, 2, 3), 1)
    assert len(valid) == 1 * 2 * 3
    for choice in valid:
        assert tuple(layer(x, output_size=choice).shape[2:]) == choice
    assert A.check_params(3, (1, 2, 3))["kernel_size"] == (3, 3, 3)
    assert A.check_params(3, 2, ndim=1)["stride"] == (2,)
    assert A.implicit_padding((3, 4, 5), 1) == (1, 2, 3)


def test_per_axis_lengths_must_agree():
    with pytest.raises(ValueError, match="same number of values"):
        A.conv_transpose_output_size((4, 4, 4), (3, 3))
    with pytest.raises(ValueError, match=r"output_padding \(2\) must be smaller than stride \(2\)"):
        A.conv_transpose_output_size((4,), 3, 2, 1, (2,))
    with pytest.raises(TypeError, match="kernel_size must be an int or a tuple of ints"):
        A.conv_transpose_output_size((4,), (2.5,))


def test_the_formula_has_one_home():
    import inspect

    source = inspect.getsource(A)
    assert source.count("* (k - 1) + op + 1") == 1


@settings(max_examples=40, deadline=None)
@given(size=st.integers(1, 6), kernel_size=st.integers(1, 6), stride=st.integers(1, 4),
       padding=st.integers(0, 2), output_padding=st.integers(0, 3))
def test_overlap_count_is_conv_transpose_of_ones(size, kernel_size, stride, padding, output_padding):
    output_padding = min(output_padding, stride - 1)
    out = (size - 1) * stride - 2 * padding + kernel_size + output_padding
    if out <= 0:
        return
    ones = torch.ones(1, 1, size, size, dtype=torch.float64)
    expected = F.conv_transpose2d(ones, torch.ones(1, 1, kernel_size, kernel_size, dtype=torch.float64),
                                  stride=stride, padding=padding, output_padding=output_padding)[0, 0]
    got = A.overlap_count(size, kernel_size, stride, padding, output_padding)
    assert got.dtype.kind == "i"
    np.testing.assert_array_equal(got, expected.numpy())


def test_overlap_is_even_only_when_stride_divides_kernel():
    # interior cells (away from the border) of a large enough input
    inner = lambda k, s: A.overlap_count(8, k, s)[k:-k, k:-k]  # noqa: E731
    assert np.unique(inner(4, 2)).tolist() == [4]
    assert np.unique(inner(3, 2)).tolist() == [1, 2, 4]
    assert np.unique(inner(6, 3)).tolist() == [4]
    assert len(np.unique(inner(5, 3))) > 1


@pytest.mark.parametrize("value", [True, 2.0, "2", None, (2,)])
def test_check_int_refuses_what_is_not_an_int_with_a_type_error(value):
    with pytest.raises(TypeError, match=r"depth must be an int, got"):
        A.check_int(value, "depth")


def test_check_int_refuses_a_value_below_the_minimum_with_a_value_error():
    import numpy as np

    assert A.check_int(np.int64(3), "depth", minimum=1) == 3 and type(A.check_int(np.int64(3), "depth")) is int
    assert A.check_int(-5, "shift") == -5   # no minimum: any int
    for minimum, rule in [(0, "a non-negative int"), (1, "a positive int"), (4, "an int of at least 4")]:
        with pytest.raises(ValueError, match=f"size must be {rule}, got -1"):
            A.check_int(-1, "size", minimum=minimum)


def test_pair_repeats_an_int_and_checks_each_value():
    assert A.pair(3, "stride") == (3, 3) and A.pair([1, 2], "stride") == (1, 2)
    with pytest.raises(TypeError, match="stride must be an int or a tuple of ints"):
        A.pair((1, 2.5), "stride")
    with pytest.raises(ValueError, match=r"stride must be an int or a pair \(h, w\)"):
        A.pair((1, 2, 3), "stride")
