"""tconv_lib.upsampling.upsamplers: shapes, equivalences with PyTorch functionals, training, cost counting."""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from tconv_lib.upsampling import upsamplers as U


@pytest.mark.parametrize("name", U.UPSAMPLERS)
@pytest.mark.parametrize("h,w", [(5, 7), (8, 8)])
def test_every_upsampler_doubles_height_and_width(name, h, w):
    out_channels = 3 if name in U.INTERPOLATIONS else 4
    layer = U.make_upsampler(name, 3, out_channels)
    assert layer(torch.rand(2, 3, h, w)).shape == (2, out_channels, 2 * h, 2 * w)


@pytest.mark.parametrize("mode", U.INTERPOLATIONS)
def test_interpolate_module_is_f_interpolate(mode):
    x = torch.rand(1, 2, 6, 5, dtype=torch.float64)
    corners = None if mode == "nearest" else False
    torch.testing.assert_close(U.Interpolate(mode)(x),
                               F.interpolate(x, scale_factor=2, mode=mode, align_corners=corners))
    assert U.count_parameters(U.Interpolate(mode)) == 0


@settings(max_examples=20, deadline=None)
@given(cin=st.integers(1, 3), cout=st.integers(1, 3), seed=st.integers(0, 2**31))
def test_learnable_layers_match_their_functional_definition(cin, cout, seed):
    torch.manual_seed(seed)
    x = torch.rand(1, cin, 4, 6, dtype=torch.float64)
    rc = U.make_upsampler("resize_conv", cin, cout).double()
    conv = rc[1]
    torch.testing.assert_close(rc(x), F.conv2d(F.interpolate(x, scale_factor=2), conv.weight, conv.bias, padding=1))
    ps = U.make_upsampler("pixel_shuffle", cin, cout).double()
    conv = ps[0]
    torch.testing.assert_close(ps(x), F.pixel_shuffle(F.conv2d(x, conv.weight, conv.bias, padding=1), 2))
    for name, kwargs in [("conv_transpose", dict(stride=2, padding=1)),
                         ("conv_transpose_k3", dict(stride=2, padding=1, output_padding=1))]:
        layer = U.make_upsampler(name, cin, cout).double()
        torch.testing.assert_close(layer(x), F.conv_transpose2d(x, layer.weight, layer.bias, **kwargs))


def test_parameter_counts():
    expected = {"resize_conv": 3 * 3 * 9 + 3, "pixel_shuffle": 12 * 3 * 9 + 12,
                "conv_transpose": 3 * 3 * 16 + 3, "conv_transpose_k3": 3 * 3 * 9 + 3}
    for name, count in expected.items():
        assert U.count_parameters(U.make_upsampler(name)) == count


def test_multiply_adds_follow_the_layer_formulas():
    x = torch.rand(2, 3, 10, 12)
    n_in = 2 * 10 * 12                  # input pixels per channel
    assert U.count_multiply_adds(U.make_upsampler("conv_transpose"), x) == n_in * 3 * 3 * 16
    assert U.count_multiply_adds(U.make_upsampler("conv_transpose_k3"), x) == n_in * 3 * 3 * 9
    assert U.count_multiply_adds(U.make_upsampler("pixel_shuffle"), x) == n_in * 12 * 3 * 9
    assert U.count_multiply_adds(U.make_upsampler("resize_conv"), x) == 4 * n_in * 3 * 3 * 9
    assert U.count_multiply_adds(U.make_upsampler("bicubic"), x) == 0
    grouped = nn.Conv2d(4, 6, 3, padding=1, groups=2)
    assert U.count_multiply_adds(grouped, torch.rand(1, 4, 5, 5)) == 25 * 6 * 9 * 2
    assert not grouped._forward_hooks  # hooks removed


def test_bilinear_kernel_makes_conv_transpose_equal_bilinear_inside():
    # a ConvTranspose2d k=4 s=2 p=1 with the kernel outer([1,3,3,1]/4) is bilinear x2 away from the border
    layer = U.make_upsampler("conv_transpose", 2, 2).double()
    taps = torch.tensor([0.25, 0.75, 0.75, 0.25], dtype=torch.float64)
    with torch.no_grad():
        layer.weight.zero_()
        layer.bias.zero_()
        for c in range(2):
            layer.weight[c, c] = torch.outer(taps, taps)
    x = torch.rand(1, 2, 6, 6, dtype=torch.float64)
    torch.testing.assert_close(layer(x)[..., 1:-1, 1:-1], U.Interpolate("bilinear")(x)[..., 1:-1, 1:-1])


def test_make_upsampler_errors_name_the_parameter():
    with pytest.raises(ValueError, match="name must be one of"):
        U.make_upsampler("lanczos")
    with pytest.raises(ValueError, match=r"out_channels \(4\) must equal in_channels \(3\)"):
        U.make_upsampler("bilinear", 3, 4)
    with pytest.raises(ValueError, match="mode must be one of"):
        U.Interpolate("area")
    with pytest.raises(ValueError, match="head must be one of"):
        U.Upscaler(head="bicubic")


@pytest.mark.parametrize("residual", [True, False])
def test_upscaler_shape_seed_and_residual(residual):
    a = U.make_upscaler("pixel_shuffle", features=4, residual=residual, seed=3)
    b = U.make_upscaler("pixel_shuffle", features=4, residual=residual, seed=3)
    x = torch.rand(2, 3, 6, 5)
    torch.testing.assert_close(a(x), b(x))
    assert a(x).shape == (2, 3, 12, 10)
    with torch.no_grad():
        for p in a.head.parameters():
            p.zero_()
    bicubic = F.interpolate(x, scale_factor=2, mode="bicubic", align_corners=False)
    torch.testing.assert_close(a(x), bicubic if residual else torch.zeros_like(bicubic))


def test_make_upscaler_leaves_the_global_rng_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    U.make_upscaler(seed=9)
    torch.testing.assert_close(torch.rand(3), expected)


def test_training_lowers_the_loss_and_repeats_with_the_seed(one_thread):
    image = F.interpolate(torch.rand(1, 3, 12, 12, generator=torch.Generator().manual_seed(0)),
                          size=(48, 48), mode="bilinear", align_corners=False)
    runs = []
    for _ in range(2):
        model = U.make_upscaler("conv_transpose", features=8, residual=False, seed=1)
        runs.append(U.train_upscaler(model, image, steps=50, batch_size=4, patch_size=16, lr=3e-3,
                                     seed=5, progress=False))
    assert runs[0] == runs[1]
    assert len(runs[0]) == 50
    assert sum(runs[0][-10:]) / 10 < 0.5 * sum(runs[0][:10]) / 10
    assert not model.training


def test_training_rejects_odd_patches():
    with pytest.raises(ValueError, match=r"patch_size \(15\) must be a multiple of the scale factor \(2\)"):
        U.train_upscaler(U.make_upscaler(features=2), torch.rand(1, 3, 20, 20), steps=1, patch_size=15)


# ----------------------------------------------------------------------------- unpooling
def test_bed_of_nails_is_a_strided_conv_transpose_with_a_one_by_one_kernel():
    x = torch.rand(2, 3, 5, 4, dtype=torch.float64)
    layer = U.make_upsampler("bed_of_nails", 3)
    eye = torch.ones(3, 1, 1, 1, dtype=torch.float64)
    torch.testing.assert_close(layer(x), F.conv_transpose2d(x, eye, stride=2, output_padding=1, groups=3))
    assert U.count_parameters(layer) == 0


def test_max_unpool_puts_values_where_the_maxima_were():
    encoder_map = torch.rand(2, 3, 8, 6, generator=torch.Generator().manual_seed(0))
    layer = U.make_upsampler("max_unpool", 3)
    pooled = layer.remember(encoder_map)
    torch.testing.assert_close(pooled, F.max_pool2d(encoder_map, 2))
    out = layer(pooled)
    _, indices = F.max_pool2d(encoder_map, 2, return_indices=True)
    torch.testing.assert_close(out, F.max_unpool2d(pooled, indices, 2))
    torch.testing.assert_close(out, torch.where(out != 0, encoder_map, torch.zeros_like(encoder_map)))
    assert (out != 0).sum() == pooled.numel()


def test_max_unpool_stand_in_switches_repeat_with_the_seed_and_shape():
    x = torch.rand(1, 2, 4, 4)
    a, b = U.MaxUnpool(seed=3), U.MaxUnpool(seed=3)
    torch.testing.assert_close(a(x), b(x))
    first = a.indices
    a(torch.rand(1, 2, 4, 4))
    assert a.indices is first                       # same shape: switches kept
    assert a(torch.rand(1, 2, 3, 5)).shape == (1, 2, 6, 10)
    with pytest.raises(ValueError, match=r"out_channels \(4\) must equal in_channels \(3\)"):
        U.make_upsampler("max_unpool", 3, 4)


def test_unpooling_scores():
    from tconv_lib.upsampling.artifacts import checkerboard_score

    assert checkerboard_score(U.make_upsampler("bed_of_nails")) > 0.5
    assert checkerboard_score(U.make_upsampler("max_unpool")) < 0.01


def test_train_upscaler_takes_a_scale(one_thread):
    model = nn.Sequential(U.make_upsampler("conv_transpose", 3, 3), U.make_upsampler("conv_transpose", 3, 3))
    image = torch.rand(1, 3, 40, 40, generator=torch.Generator().manual_seed(0))
    losses = U.train_upscaler(model, image, steps=3, batch_size=2, patch_size=16, progress=False, scale=4)
    assert len(losses) == 3
    with pytest.raises(ValueError, match=r"patch_size \(18\) must be a multiple of the scale factor \(4\)"):
        U.train_upscaler(model, image, steps=1, patch_size=18, scale=4)
