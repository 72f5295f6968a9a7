"""tconv_lib.upsampling.artifacts: overlap counts against PyTorch, the score against an independent formula."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tconv_lib.upsampling import artifacts as A


def _share_by_phase_means(y: torch.Tensor, stride: int) -> float:
    """Independent formula: variance explained by (row mod stride, col mod stride), pooled over maps."""
    y = y.double().reshape(-1, *y.shape[-2:])
    y = y - y.mean(dim=(-2, -1), keepdim=True)
    h, w = y.shape[-2:]
    explained = 0.0
    for a in range(stride):
        for b in range(stride):
            phase = y[:, a::stride, b::stride]
            explained += (phase.mean(dim=(-2, -1)) ** 2).sum().item() * phase.shape[-2] * phase.shape[-1]
    return explained / (y ** 2).sum().item()


@settings(max_examples=40, deadline=None)
@given(stride=st.integers(1, 4), reps=st.integers(1, 4), maps=st.integers(1, 3), seed=st.integers(0, 2**31))
def test_spectral_share_equals_variance_explained_by_phase(stride, reps, maps, seed):
    gen = torch.Generator().manual_seed(seed)
    size = stride * reps
    y = torch.randn(maps, 2, size, size + stride, generator=gen)
    y = y + torch.randn(maps, 2, stride, stride, generator=gen).repeat(1, 1, reps, reps + 1)
    assert A.periodic_energy_share(y, stride) == pytest.approx(_share_by_phase_means(y, stride), abs=1e-10)


def test_share_extremes():
    tile = torch.tensor([[1.0, -1.0], [-1.0, 1.0]])
    assert A.periodic_energy_share(tile.repeat(5, 5), 2) == pytest.approx(1.0)
    assert A.periodic_energy_share(torch.full((6, 6), 3.0), 2) == 0.0
    smooth = torch.arange(8.0).repeat_interleave(2)[None].repeat(16, 1)  # nearest-upsampled ramp
    assert A.periodic_energy_share(smooth, 2) == pytest.approx(0.0, abs=1e-12)


def test_mask_selects_multiples_of_the_stride_frequency():
    mask = A.stride_frequency_mask(6, 4, 2)
    assert mask.nonzero().tolist() == [[0, 0], [0, 2], [3, 0], [3, 2]]


def test_score_errors_name_the_parameter():
    with pytest.raises(ValueError, match=r"output size \(5, 6\) must be a multiple of stride \(2\)"):
        A.periodic_energy_share(torch.zeros(5, 6), 2)
    with pytest.raises(ValueError, match="stride must be a positive int"):
        A.stride_frequency_mask(4, 4, 0)
    with pytest.raises(ValueError, match="y must have at least 2 dimensions"):
        A.periodic_energy_share(torch.zeros(4), 2)
    with pytest.raises(ValueError, match="seeds must hold at least one seed"):
        A.checkerboard_score(lambda x: x, seeds=[])


def test_random_inputs_repeat_with_the_seed():
    a, b = A.random_inputs(3, (2, 3, 4, 4)), A.random_inputs(3, (2, 3, 4, 4))
    torch.testing.assert_close(a, b)
    assert 0 <= a.min() and a.max() < 1
    assert not torch.equal(a, A.random_inputs(4, (2, 3, 4, 4)))


def test_score_separates_nearest_from_uneven_conv_transpose():
    nearest = lambda x: F.interpolate(x, scale_factor=2, mode="nearest")  # noqa: E731
    assert A.checkerboard_score(nearest) == 0.0
    ones_k3 = torch.ones(3, 1, 3, 3) / 9
    uneven = lambda x: F.conv_transpose2d(x, ones_k3, stride=2, padding=1, output_padding=1, groups=3)  # noqa: E731
    ones_k4 = torch.ones(3, 1, 4, 4) / 16
    even = lambda x: F.conv_transpose2d(x, ones_k4, stride=2, padding=1, groups=3)  # noqa: E731
    assert A.checkerboard_score(uneven) > 0.3
    assert A.checkerboard_score(even) < 1e-3


def test_score_is_the_mean_over_seeds():
    layer = torch.nn.ConvTranspose2d(3, 3, 3, stride=2, padding=1, output_padding=1)
    per_seed = [A.checkerboard_score(layer, seeds=[s]) for s in (0, 1, 2)]
    assert A.checkerboard_score(layer, seeds=(0, 1, 2)) == pytest.approx(np.mean(per_seed))
    manual = A.periodic_energy_share(layer(A.random_inputs(1, (4, 3, 32, 32))).detach(), 2)
    assert per_seed[1] == pytest.approx(manual)


def test_format_score():
    assert [A.format_score(s) for s in (0.0, 3e-9, 1.73e-5, 0.0016, 0.69115)] == \
        ["0", "< 1e-6", "1.7e-05", "0.0016", "0.6912"]


def test_input_gradient_score_is_the_score_of_a_conv_transpose():
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(3, 3, 3, stride=2, padding=1)
    weight = conv.weight.detach()
    as_tconv = lambda g: F.conv_transpose2d(g, weight, stride=2, padding=1, output_padding=1)  # noqa: E731
    for seed in (0, 1):
        x = A.random_inputs(seed, (4, 3, 32, 32)).requires_grad_(True)
        y = conv(x)
        g = A.random_inputs(seed + 1000, tuple(y.shape))
        (grad,) = torch.autograd.grad(y, x, g)
        torch.testing.assert_close(grad, as_tconv(g))
    expected = np.mean([A.periodic_energy_share(as_tconv(A.random_inputs(s + 1000, (4, 3, 16, 16))), 2)
                        for s in A.DEFAULT_SEEDS])
    assert A.input_gradient_score(conv) == pytest.approx(expected)
    assert conv.weight.grad is None


def test_input_gradient_score_separates_even_and_uneven_overlap():
    def uniform(k, s, p):
        conv = torch.nn.Conv2d(3, 3, k, stride=s, padding=p, bias=False)
        torch.nn.init.constant_(conv.weight, 1.0)
        return conv
    assert A.input_gradient_score(uniform(4, 2, 1)) < 1e-3
    assert A.input_gradient_score(uniform(3, 2, 1)) > 0.3
    pool_conv = torch.nn.Sequential(torch.nn.AvgPool2d(2), torch.nn.Conv2d(3, 3, 3, padding=1))
    assert A.input_gradient_score(pool_conv) < 1e-6
    with pytest.raises(ValueError, match="seeds must hold at least one seed"):
        A.input_gradient_score(pool_conv, seeds=[])
