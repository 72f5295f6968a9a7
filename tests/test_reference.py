"""tconv_lib.foundations.reference against PyTorch, micrograd style: same numbers in, same numbers out."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tconv_lib.foundations import reference as R
from tconv_lib.foundations.examples import IDENTITY, WORKED, X

SEED_X, SEED_K = X, IDENTITY


@st.composite
def transposed_problems(draw):
    """A random but valid ConvTranspose2d problem: every knob, rectangular where it can be."""
    groups = draw(st.integers(1, 3))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    pair = lambda lo, hi: (draw(st.integers(lo, hi)), draw(st.integers(lo, hi)))  # noqa: E731
    kernel, stride, dilation = pair(1, 4), pair(1, 3), pair(1, 3)
    padding = pair(0, 3)
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    size = pair(1, 5)
    # keep only problems whose output is non-empty
    for n, k, s, p, op, d in zip(size, kernel, stride, padding, output_padding, dilation):
        if (n - 1) * s - 2 * p + d * (k - 1) + op + 1 <= 0:
            padding = (0, 0)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    batch = draw(st.integers(1, 3))
    x = rng.standard_normal((batch, cin) + size)
    weight = rng.standard_normal((cin, cout // groups) + kernel)
    bias = rng.standard_normal(cout) if draw(st.booleans()) else None
    kwargs = dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups, dilation=dilation)
    return x, weight, bias, kwargs


def torch_tconv(x, weight, bias, **kwargs):
    t = lambda a: None if a is None else torch.from_numpy(a)  # noqa: E731
    return F.conv_transpose2d(t(x), t(weight), t(bias), **kwargs)


@pytest.mark.parametrize("method", R.METHODS)
@settings(max_examples=150, deadline=None)
@given(problem=transposed_problems())
def test_conv_transpose2d_matches_torch(method, problem):
    x, weight, bias, kwargs = problem
    expected = torch_tconv(x, weight, bias, **kwargs)
    got = R.conv_transpose2d(x, weight, bias, method=method, **kwargs)
    torch.testing.assert_close(torch.from_numpy(got), expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("method", R.METHODS)
def test_unbatched_input_and_int_arguments(method):
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((3, 5, 4)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(2)
    got = R.conv_transpose2d(x, w, b, 2, 1, 1, 1, 1, method=method)
    expected = F.conv_transpose2d(*(torch.from_numpy(a) for a in (x, w, b)), 2, 1, 1, 1, 1)
    assert got.shape == (2, 10, 8)
    torch.testing.assert_close(torch.from_numpy(got), expected)


def test_float32_in_float32_out():
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((2, 4, 6, 6), dtype=np.float32), rng.standard_normal((4, 3, 4, 4), dtype=np.float32)
    got = R.conv_transpose2d(x, w, stride=2, padding=1)
    assert got.dtype == np.float32
    torch.testing.assert_close(torch.from_numpy(got), F.conv_transpose2d(torch.from_numpy(x), torch.from_numpy(w),
                                                                         stride=2, padding=1))


@pytest.mark.parametrize("case", sorted(WORKED))
@pytest.mark.parametrize("method", R.METHODS)
def test_worked_examples_of_the_course(case, method):
    (stride, padding, output_padding), expected = WORKED[case]
    got = R.conv_transpose2d(SEED_X[None, None], SEED_K[None, None], stride=stride, padding=padding,
                             output_padding=output_padding, method=method)
    np.testing.assert_array_equal(got[0, 0], np.array(expected, dtype=float))
    layer = torch.nn.ConvTranspose2d(1, 1, 2, stride=stride, padding=padding, output_padding=output_padding, bias=False)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(SEED_K)[None, None])
        out = layer(torch.from_numpy(SEED_X).float()[None, None])
    np.testing.assert_array_equal(out[0, 0].numpy(), np.array(expected, dtype=np.float32))


@settings(max_examples=80, deadline=None)
@given(problem=transposed_problems())
def test_conv2d_matches_torch_and_is_the_adjoint(problem):
    """<conv2d(x), y> == <x, conv_transpose2d(y)> with the same weight."""
    y, weight, _, kwargs = problem
    # output_padding >= stride (allowed when dilation is larger) adds columns conv2d does not map back
    assume(all(op < s for op, s in zip(kwargs["output_padding"], kwargs["stride"])))
    out = R.conv_transpose2d(y, weight, **kwargs)
    x = np.random.default_rng(0).standard_normal(out.shape)
    conv_kwargs = {k: kwargs[k] for k in ("stride", "padding", "dilation", "groups")}
    down = R.conv2d(x, weight, **conv_kwargs)
    torch.testing.assert_close(torch.from_numpy(down), F.conv2d(torch.from_numpy(x), torch.from_numpy(weight),
                                                                **conv_kwargs))
    assert down.shape == y.shape, "conv2d must map the transposed output back to the input's shape"
    np.testing.assert_allclose(np.vdot(down, y), np.vdot(x, out), rtol=1e-9)


def test_conv2d_bias_and_unbatched():
    rng = np.random.default_rng(3)
    x, w, b = rng.standard_normal((2, 7, 6)), rng.standard_normal((4, 2, 3, 2)), rng.standard_normal(4)
    got = R.conv2d(x, w, b, stride=(2, 1), padding=(1, 0), dilation=(1, 2))
    expected = F.conv2d(*(torch.from_numpy(a) for a in (x, w, b)), stride=(2, 1), padding=(1, 0), dilation=(1, 2))
    torch.testing.assert_close(torch.from_numpy(got), expected)


@pytest.mark.parametrize("stride,padding,dilation,size", [(1, 0, 1, 4), (2, 1, 1, 5), (2, 0, 2, (6, 5)), (3, 2, 1, 7)])
def test_conv_matrix_and_its_transpose(stride, padding, dilation, size):
    rng = np.random.default_rng(4)
    weight = rng.standard_normal((2, 3, 3, 2))
    h, w = (size, size) if isinstance(size, int) else size
    x = rng.standard_normal((3, h, w))
    m = R.conv2d_matrix(weight, size, stride, padding, dilation)
    y = R.conv2d(x, weight, stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(m @ x.ravel(), y.ravel(), atol=1e-12)
    # the transpose of M is the transposed convolution that restores the input size
    back = (m.T @ y.ravel()).reshape(x.shape)
    op = tuple(n - ((o - 1) * stride - 2 * padding + dilation * (k - 1) + 1)
               for n, o, k in zip((h, w), y.shape[1:], weight.shape[2:]))
    expected = F.conv_transpose2d(torch.from_numpy(y), torch.from_numpy(weight), stride=stride, padding=padding,
                                  output_padding=op, dilation=dilation)
    torch.testing.assert_close(torch.from_numpy(back), expected)


def test_conv_matrix_single_channel_kernel():
    m = R.conv2d_matrix(SEED_K, 3)
    assert m.shape == (4, 9)
    np.testing.assert_array_equal(m[0], [1, 0, 0, 0, 1, 0, 0, 0, 0])


def test_zero_insert():
    out = R.zero_insert(SEED_X, 3)
    np.testing.assert_array_equal(out, [[1, 0, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 4]])
    assert R.zero_insert(np.ones((2, 3, 2, 2)), (1, 2)).shape == (2, 3, 2, 3)


def test_flip_weight_matches_zero_insertion_identity():
    rng = np.random.default_rng(5)
    w = rng.standard_normal((4, 3, 2, 3))
    flipped = R.flip_weight(w, groups=2)
    assert flipped.shape == (6, 2, 2, 3)
    np.testing.assert_array_equal(flipped[0, 1], w[1, 0, ::-1, ::-1])


