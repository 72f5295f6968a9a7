"""Tests for tconv_lib.gan.dcgan (the models and their presets) and tconv_lib.gan.shapes (their shape tables)."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from tconv_lib.foundations import arithmetic
from tconv_lib.foundations.reference import conv_transpose2d
from tconv_lib.gan import dcgan, shapes

# (kernel_size, padding, output_padding) triples that double the size with stride 2
DOUBLING = [(2, 0, 0), (3, 1, 1), (4, 1, 0), (5, 2, 1), (6, 2, 0)]


def small_pair(image_size=16, kernel_size=4, padding=1, output_padding=0, channels=1):
    """A small seeded (netG, netD) (also used by tests/test_training.py)."""
    torch.manual_seed(0)
    netG = dcgan.Generator(image_size, latent_dim=8, ngf=4, channels=channels, kernel_size=kernel_size,
                           padding=padding, output_padding=output_padding)
    netD = dcgan.Discriminator(image_size, ndf=4, channels=channels,
                               kernel_size=kernel_size if kernel_size != 3 else 4,
                               padding=padding if kernel_size != 3 else 1)
    return netG, netD


# ----------------------------------------------------------------------------- architecture
@settings(max_examples=25, deadline=None)
@given(log_size=st.integers(3, 6), kpo=st.sampled_from(DOUBLING), channels=st.sampled_from([1, 3]),
       n=st.integers(1, 3))
def test_generator_shapes_match_arithmetic(log_size, kpo, channels, n):
    size = 2 ** log_size
    k, p, op = kpo
    netG = dcgan.Generator(size, latent_dim=5, ngf=2, channels=channels, kernel_size=k, padding=p,
                           output_padding=op)
    z = torch.randn(n, 5, 1, 1)
    table = shapes.shape_table(netG)
    traced = shapes.traced_shapes(netG.eval(), z)
    assert [r["name"] for r in table] == [t[0] for t in traced]
    for row, (_, shape_in, shape_out) in zip(table, traced):
        assert shape_in == (n, row["in_channels"], row["in_size"], row["in_size"])
        assert shape_out == (n, row["out_channels"], row["out_size"], row["out_size"])
    assert [r["out_size"] for r in table] == [4 * 2 ** i for i in range(log_size - 1)]
    out = netG(z)
    assert out.shape == (n, channels, size, size)
    assert out.abs().max() <= 1.0


@pytest.mark.parametrize("size", [8, 16, 32, 64])
def test_discriminator_shapes(size):
    netD = dcgan.Discriminator(size, ndf=2, channels=3)
    x = torch.randn(2, 3, size, size)
    table = shapes.shape_table(netD)
    traced = shapes.traced_shapes(netD, x)
    assert [(2, r["out_channels"], r["out_size"], r["out_size"]) for r in table] == [t[2] for t in traced]
    assert table[-1]["out_size"] == 1 and netD(x).shape == (2,)


def test_layer_order_follows_dcgan_guidelines():
    netG, netD = dcgan.build_dcgan("digits32")
    kinds = [type(m).__name__ for m in netG.main]
    assert kinds == ["ConvTranspose2d", "BatchNorm2d", "ReLU"] * 3 + ["ConvTranspose2d", "Tanh"]
    project = netG.main.project
    assert (project.kernel_size, project.stride, project.padding) == ((4, 4), (1, 1), (0, 0))
    for layer in (netG.main.up1, netG.main.up2, netG.main.up3):
        assert (layer.kernel_size, layer.stride, layer.padding, layer.output_padding) == ((4, 4), (2, 2), (1, 1), (0, 0))
    d_kinds = [type(m).__name__ for m in netD.main]
    assert d_kinds == ["Conv2d", "LeakyReLU"] + ["Conv2d", "BatchNorm2d", "LeakyReLU"] * 2 + ["Conv2d"]
    assert all(m.negative_slope == 0.2 for m in netD.main if isinstance(m, nn.LeakyReLU))
    # a bias only where no BatchNorm follows: netG's output layer and netD's input layer
    assert [m.bias is not None for m in netG.modules() if isinstance(m, nn.ConvTranspose2d)] == [False] * 3 + [True]
    assert [m.bias is not None for m in netD.modules() if isinstance(m, nn.Conv2d)] == [True, False, False, False]


def test_weights_init_statistics():
    torch.manual_seed(0)
    netG, netD = dcgan.build_dcgan("tutorial64")
    convs = [m for m in list(netG.modules()) + list(netD.modules()) if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    w = torch.cat([m.weight.flatten() for m in convs])
    assert abs(w.mean().item()) < 1e-3 and abs(w.std().item() - 0.02) < 1e-3
    bns = [m for m in list(netG.modules()) + list(netD.modules()) if isinstance(m, nn.BatchNorm2d)]
    gamma = torch.cat([m.weight for m in bns]).detach()
    assert abs(gamma.mean().item() - 1) < 0.01 and abs(gamma.std().item() - 0.02) < 0.005
    assert all(torch.all(m.bias == 0) for m in bns)


@pytest.mark.parametrize("preset, kernel, params_g", [("tutorial64", 4, 3_576_704), ("paper64", 5, None)])
def test_64_presets_reach_64_exactly(preset, kernel, params_g):
    cfg = dcgan.PRESETS[preset]
    netG = dcgan.Generator(**{k: cfg[k] for k in ("image_size", "latent_dim", "ngf", "channels", "kernel_size",
                                                  "padding", "output_padding")})
    sizes = [r["out_size"] for r in shapes.shape_table(netG)]
    assert sizes == [4, 8, 16, 32, 64]
    assert {r["kernel_size"] for r in shapes.shape_table(netG)[1:]} == {kernel}
    if params_g is not None:  # the PyTorch tutorial's generator has 3,576,704 parameters (+ one output bias)
        assert sum(p.numel() for p in netG.parameters()) == params_g + 3
    if preset == "paper64":
        assert [r["out_channels"] for r in shapes.shape_table(netG)] == [1024, 512, 256, 128, 3]


def test_paper_kernels_without_output_padding_miss_64():
    sizes, size = [], 4
    for _ in range(4):
        size = arithmetic.conv_transpose_output_size(size, 5, 2, 2, 0)
        sizes.append(size)
    assert sizes == [7, 13, 25, 49]
    with pytest.raises(ValueError, match="output_padding"):
        dcgan.Generator(64, kernel_size=5, padding=2, output_padding=0)


@pytest.mark.parametrize("size, error", [(12, ValueError), (4, ValueError), (0, ValueError),
                                         (16.0, TypeError), (True, TypeError)])
def test_bad_image_size(size, error):
    with pytest.raises(error, match="image_size"):
        dcgan.Generator(size)
    with pytest.raises(error, match="image_size"):
        dcgan.Discriminator(size)


def test_bad_layer_arguments():
    with pytest.raises(ValueError, match="output_padding"):
        dcgan.Generator(16, kernel_size=4, padding=1, output_padding=2)  # PyTorch's rule: op < stride
    with pytest.raises(ValueError, match="padding"):
        dcgan.Discriminator(16, kernel_size=4, padding=0)
    with pytest.raises(ValueError, match="preset"):
        dcgan.build_dcgan("dcgan128")
    with pytest.raises(TypeError, match="nz"):
        dcgan.build_dcgan("digits32", nz=100)


def test_generator_layers_equal_numpy_reference():
    """Every ConvTranspose2d of netG, in float64, equals tconv_lib.foundations.reference.conv_transpose2d."""
    netG, _ = small_pair(32, kernel_size=5, padding=2, output_padding=1)
    netG = netG.double().eval()
    x = torch.randn(2, 8, 1, 1, dtype=torch.float64)
    for layer in netG.main:
        with torch.no_grad():
            y = layer(x)
        if isinstance(layer, nn.ConvTranspose2d):
            bias = None if layer.bias is None else layer.bias.detach().numpy()
            ref = conv_transpose2d(x.numpy(), layer.weight.detach().numpy(), bias, layer.stride, layer.padding,
                                   layer.output_padding)
            torch.testing.assert_close(y.detach(), torch.from_numpy(ref))
        x = y


def test_projection_is_a_linear_layer():
    netG, _ = dcgan.build_dcgan("digits32")
    z = torch.randn(3, netG.latent_dim, 1, 1)
    w = netG.main.project.weight  # (latent_dim, C, 4, 4)
    expected = (z.flatten(1) @ w.flatten(1)).view(3, -1, 4, 4)
    torch.testing.assert_close(netG.main.project(z), expected)
    torch.testing.assert_close(netG(z.flatten(1)), netG(z))  # (n, latent_dim) is accepted too


def test_format_shape_table_lists_every_layer():
    text = shapes.format_shape_table(shapes.shape_table(dcgan.Generator(16, latent_dim=32, ngf=64)))
    lines = text.splitlines()
    assert len(lines) == 2 + 3 and "64x8x8 -> 1x16x16" in lines[-1] and "32x1x1 -> 128x4x4" in lines[2]
