"""tconv_lib.upsampling.imaging: bundled images, layouts, patches, PSNR - checked against PyTorch/NumPy."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tconv_lib.upsampling import imaging as im


@pytest.mark.parametrize("name", im.SAMPLE_IMAGES)
def test_sample_images_are_rgb_floats_in_unit_range(name):
    image = im.load_sample_image(name)
    assert image.dtype == np.float32 and image.ndim == 3 and image.shape[2] == 3
    assert 0.0 <= image.min() and image.max() <= 1.0
    assert image.max() > 0.5  # not darkened by a second division by 255


def test_grace_hopper_is_the_jpeg_divided_by_255_once():
    from matplotlib.cbook import get_sample_data

    with get_sample_data("grace_hopper.jpg") as fh:
        raw = plt.imread(fh)
    assert raw.dtype == np.uint8
    np.testing.assert_array_equal(im.load_sample_image("grace_hopper.jpg"), raw.astype(np.float32) / 255)


def test_to_unit_float_leaves_png_floats_alone(tmp_path):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (5, 7, 3)).astype(np.uint8)
    path = tmp_path / "tiny.png"
    plt.imsave(path, pixels)
    read = plt.imread(path)          # PNG -> float32 in [0, 1], with alpha
    assert read.dtype == np.float32
    np.testing.assert_array_equal(im.to_unit_float(read), read)
    np.testing.assert_allclose(im.to_unit_float(read)[..., :3], pixels / 255, atol=1e-7)


def test_to_unit_float_scales_integers_by_their_type_maximum():
    assert im.to_unit_float(np.array([0, 255], dtype=np.uint8)).tolist() == [0.0, 1.0]
    assert im.to_unit_float(np.array([65535], dtype=np.uint16)).tolist() == [1.0]


@pytest.mark.parametrize("bad", [np.array([1.5]), np.array([-0.1]), np.array([255.0])])
def test_to_unit_float_rejects_floats_outside_unit_range(bad):
    with pytest.raises(ValueError, match=r"image is float but not in \[0, 1\]"):
        im.to_unit_float(bad)


def test_to_unit_float_rejects_negative_integers_and_other_types():
    with pytest.raises(ValueError, match="image holds negative integers"):
        im.to_unit_float(np.array([-1, 3]))
    with pytest.raises(TypeError, match="image must hold integers or floats"):
        im.to_unit_float(np.array(["a"]))


def test_load_sample_image_rejects_unknown_name():
    with pytest.raises(ValueError, match="name must be one of"):
        im.load_sample_image("cat.png")


@settings(max_examples=30, deadline=None)
@given(h=st.integers(1, 9), w=st.integers(1, 9), c=st.integers(1, 4), seed=st.integers(0, 2**31))
def test_layout_round_trip_matches_torch_permute(h, w, c, seed):
    image = np.random.default_rng(seed).random((h, w, c)).astype(np.float32)
    x = im.hwc_to_nchw(image)
    torch.testing.assert_close(x, torch.from_numpy(image).permute(2, 0, 1)[None])
    assert x.shape == (1, c, h, w)
    np.testing.assert_array_equal(im.nchw_to_hwc(x), image)
    np.testing.assert_array_equal(im.nchw_to_hwc(x[0]), image)


def test_nchw_to_hwc_clamps_and_detaches():
    x = torch.tensor([[[[-1.0, 0.5, 2.0]]]], requires_grad=True)
    assert im.nchw_to_hwc(x)[0, :, 0].tolist() == [0.0, 0.5, 1.0]


def test_layout_errors_name_the_parameter():
    with pytest.raises(ValueError, match=r"image must be 3-D \(H, W, C\)"):
        im.hwc_to_nchw(np.zeros((1, 2, 3, 4)))
    with pytest.raises(ValueError, match="x must hold one image"):
        im.nchw_to_hwc(torch.zeros(2, 3, 4, 4))
    with pytest.raises(ValueError, match=r"x must be \(1, C, H, W\)"):
        im.nchw_to_hwc(torch.zeros(4, 4))


def test_split_rows_partitions_the_rows():
    x = torch.arange(40.0).reshape(1, 1, 10, 4)
    train, held = im.split_rows(x, 0.3)
    assert train.shape[-2] == 7 and held.shape[-2] == 3
    torch.testing.assert_close(torch.cat([train, held], dim=-2), x)
    for bad in (0, 1, 1.5):
        with pytest.raises(ValueError, match="held_out_fraction"):
            im.split_rows(x, bad)
    with pytest.raises(ValueError, match="held_out_fraction .* leaves an empty part"):
        im.split_rows(x, 0.01)


def test_random_patches_are_crops_and_repeat_with_the_seed():
    x = torch.rand(1, 3, 20, 30, generator=torch.Generator().manual_seed(1))
    a = im.random_patches(x, 8, 5, torch.Generator().manual_seed(7))
    b = im.random_patches(x, 8, 5, torch.Generator().manual_seed(7))
    torch.testing.assert_close(a, b)
    assert a.shape == (5, 3, 8, 8)
    windows = x[0].unfold(1, 8, 1).unfold(2, 8, 1)  # (3, 13, 23, 8, 8): every possible crop
    for patch in a:
        diffs = (windows - patch[:, None, None]).abs().amax(dim=(0, 3, 4))
        assert diffs.min().item() == 0.0


def test_random_patches_take_rectangles_and_an_int_is_a_square():
    x = torch.rand(1, 2, 20, 30, generator=torch.Generator().manual_seed(1))
    rect = im.random_patches(x, (5, 9), 4, torch.Generator().manual_seed(7))
    assert rect.shape == (4, 2, 5, 9)
    windows = x[0].unfold(1, 5, 1).unfold(2, 9, 1)  # (2, 16, 22, 5, 9): every possible crop
    for patch in rect:
        assert (windows - patch[:, None, None]).abs().amax(dim=(0, 3, 4)).min().item() == 0.0
    torch.testing.assert_close(im.random_patches(x, (6, 6), 3, torch.Generator().manual_seed(2)),
                               im.random_patches(x, 6, 3, torch.Generator().manual_seed(2)))
    with pytest.raises(ValueError, match="must not exceed"):
        im.random_patches(x, (21, 5), 1, torch.Generator())


def test_grid_patches_tile_the_image():
    x = torch.arange(2 * 9 * 13, dtype=torch.float32).reshape(1, 2, 9, 13)
    tiles = im.grid_patches(x, 4)
    assert tiles.shape == (2 * 3, 2, 4, 4)
    torch.testing.assert_close(tiles[4], x[0, :, 4:8, 4:8])


def test_patch_errors_name_the_parameter():
    x = torch.zeros(1, 3, 8, 8)
    gen = torch.Generator()
    with pytest.raises(ValueError, match="size .* must not exceed"):
        im.random_patches(x, 9, 1, gen)
    with pytest.raises(ValueError, match="size must be a positive int"):
        im.grid_patches(x, 0)
    with pytest.raises(ValueError, match="count must be a positive int"):
        im.random_patches(x, 4, 0, gen)
    with pytest.raises(ValueError, match=r"x must be 4-D"):
        im.grid_patches(x[0], 4)


def test_downscale_is_the_block_mean():
    x = torch.rand(2, 3, 6, 8, dtype=torch.float64)
    expected = x.reshape(2, 3, 3, 2, 4, 2).mean(dim=(3, 5))
    torch.testing.assert_close(im.downscale(x, 2), expected)
    with pytest.raises(ValueError, match="factor must be a positive int"):
        im.downscale(x, 0)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), scale=st.floats(0.01, 0.5))
def test_psnr_matches_the_formula(seed, scale):
    gen = torch.Generator().manual_seed(seed)
    target = torch.rand(2, 3, 5, 5, generator=gen, dtype=torch.float64)
    pred = target + scale * torch.randn(2, 3, 5, 5, generator=gen, dtype=torch.float64)
    expected = 10 * torch.log10(1 / F.mse_loss(pred, target)).item()
    assert im.psnr(pred, target) == pytest.approx(expected, rel=1e-12)
    assert im.psnr(pred * 255, target * 255, data_range=255) == pytest.approx(expected, rel=1e-9)


def test_psnr_edge_cases():
    x = torch.rand(1, 3, 4, 4)
    assert im.psnr(x, x) == math.inf
    with pytest.raises(ValueError, match="pred and target must have the same shape"):
        im.psnr(x, x[..., :3])
    with pytest.raises(ValueError, match="data_range must be positive"):
        im.psnr(x, x, data_range=0)


def test_draw_images_returns_one_figure_with_a_panel_per_image():
    from matplotlib.figure import Figure

    from tconv_lib.upsampling import plots

    fig = plots.draw_images([np.zeros((4, 4, 3)), np.ones((3, 5))], titles=["rgb", "map"], limits=(-1, 1))
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert [ax.get_title() for ax in fig.axes] == ["rgb", "map"]
    assert fig.axes[1].images[0].get_clim() == (-1, 1)
    with pytest.raises(ValueError, match="titles must hold one title per image"):
        plots.draw_images([np.zeros((2, 2))], titles=["a", "b"])


def test_draw_losses_plots_every_step_and_the_running_mean():

    from tconv_lib.upsampling import plots

    fig = plots.draw_losses(np.linspace(1, 0.1, 40), window=10)
    lines = fig.axes[0].get_lines()
    assert len(lines[0].get_xdata()) == 40 and len(lines[1].get_xdata()) == 31
    assert fig.axes[0].get_yscale() == "log"
