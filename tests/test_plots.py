"""tconv_lib.upsampling.plots: the spectrum marks the stride bins; images and losses draw what they are given."""
import matplotlib
import numpy as np
import pytest

from tconv_lib.upsampling import plots

matplotlib.use("Agg")


def test_draw_spectrum_circles_the_stride_bins():
    fig = plots.draw_spectrum(np.random.default_rng(0).random((8, 8)), 2)
    offsets = fig.axes[0].collections[0].get_offsets()
    assert len(offsets) == 3  # (H/2, 0), (0, W/2), (H/2, W/2); the zero frequency is not circled
    with pytest.raises(ValueError, match="must be a multiple of stride"):
        plots.draw_spectrum(np.zeros((5, 6)), 2)


def test_running_mean_is_the_mean_of_each_window():
    np.testing.assert_allclose(plots.running_mean([1, 2, 3, 4, 5], 2), [1.5, 2.5, 3.5, 4.5])
    assert len(plots.running_mean(np.arange(100), 20)) == 81


def test_draw_losses_adds_the_running_mean_only_when_there_are_enough_steps():
    fig = plots.draw_losses(np.linspace(1, 0.1, 50), window=10)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2
    np.testing.assert_allclose(lines[1].get_ydata(), plots.running_mean(np.linspace(1, 0.1, 50), 10))
    assert len(plots.draw_losses(np.ones(5), window=10).axes[0].get_lines()) == 1


def test_draw_images_checks_the_titles_and_draws_pixels_unsmoothed():
    images = [np.zeros((4, 4, 3)), np.ones((4, 4))]
    fig = plots.draw_images(images, titles=["rgb", "map"])
    assert [ax.get_title() for ax in fig.axes] == ["rgb", "map"]
    assert all(ax.images[0].get_interpolation() == "nearest" for ax in fig.axes)
    with pytest.raises(ValueError, match="titles"):
        plots.draw_images(images, titles=["one"])
