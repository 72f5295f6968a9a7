"""tconv_lib.real_models.reference_nd against F.conv_transpose1d/2d/3d in float64."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tconv_lib.foundations.reference import zero_insert
from tconv_lib.real_models.reference_nd import conv_transpose_nd

FUNCTIONAL = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


@st.composite
def problems(draw, ndim):
    groups = draw(st.integers(1, 2))
    cin, cout_g = groups * draw(st.integers(1, 2)), draw(st.integers(1, 2))
    k = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    s = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    d = tuple(draw(st.integers(1, 2)) for _ in range(ndim))
    p = tuple(draw(st.integers(0, 2)) for _ in range(ndim))
    op = tuple(draw(st.integers(0, max(si, di) - 1)) for si, di in zip(s, d))
    size = tuple(draw(st.integers(1, 4)) for _ in range(ndim))
    seed = draw(st.integers(0, 2**31))
    return dict(groups=groups, cin=cin, cout_g=cout_g, k=k, s=s, d=d, p=p, op=op, size=size, seed=seed)


@pytest.mark.parametrize("ndim", [1, 2, 3])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_matches_torch(ndim, data):
    c = data.draw(problems(ndim))
    gen = torch.Generator().manual_seed(c["seed"])
    x = torch.randn((2, c["cin"]) + c["size"], generator=gen, dtype=torch.float64)
    w = torch.randn((c["cin"], c["cout_g"]) + c["k"], generator=gen, dtype=torch.float64)
    b = torch.randn(c["cout_g"] * c["groups"], generator=gen, dtype=torch.float64)
    kwargs = dict(stride=c["s"], padding=c["p"], output_padding=c["op"], groups=c["groups"], dilation=c["d"])
    try:
        want = FUNCTIONAL[ndim](x, w, b, **kwargs)
    except RuntimeError:
        want = None
    if want is None or want.numel() == 0:
        with pytest.raises(ValueError):
            conv_transpose_nd(x.numpy(), w.numpy(), b.numpy(), **kwargs)
        return
    got = conv_transpose_nd(x.numpy(), w.numpy(), b.numpy(), **kwargs)
    assert got.dtype == np.float64
    torch.testing.assert_close(torch.from_numpy(got), want)


def test_ints_mean_every_axis_and_the_1d_example():
    x = np.array([[[1.0, 2.0, 3.0]]])
    w = np.array([[[1.0, 10.0, 100.0]]])
    got = conv_transpose_nd(x, w, stride=2, padding=1, output_padding=1)
    want = F.conv_transpose1d(torch.from_numpy(x), torch.from_numpy(w), stride=2, padding=1, output_padding=1)
    np.testing.assert_array_equal(got, want.numpy())
    assert got.shape == (1, 1, 6)


def test_zero_insert_on_three_axes():
    x = np.arange(1.0, 9.0).reshape(1, 1, 2, 2, 2)
    z = zero_insert(x, (2, 1, 3))
    assert z.shape == (1, 1, 3, 2, 4)
    np.testing.assert_array_equal(z[0, 0, ::2, :, ::3], x[0, 0])
    assert z.sum() == x.sum()


def test_errors_name_the_parameter():
    with pytest.raises(ValueError, match="spatial axes"):
        conv_transpose_nd(np.zeros((1, 1, 3)), np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match=r"in_channels \(2\) must equal weight.shape\[0\] \(1\)"):
        conv_transpose_nd(np.zeros((1, 2, 3)), np.zeros((1, 1, 2)))
    with pytest.raises(ValueError, match=r"output_padding \(2\) must be smaller than stride \(2\)"):
        conv_transpose_nd(np.zeros((1, 1, 3)), np.zeros((1, 1, 2)), stride=2, output_padding=2)
