"""tconv_lib.upsampling.plots.mean_power_spectrum: averaged over maps, its stride bins give the artifact score."""
import matplotlib
import numpy as np
import pytest
import torch

from tconv_lib.upsampling import artifacts, plots

matplotlib.use("Agg")


def test_mean_of_one_map_is_its_power_spectrum():
    x = np.random.default_rng(0).random((6, 8))
    expected = np.abs(np.fft.fft2(x - x.mean())) ** 2
    np.testing.assert_allclose(plots.mean_power_spectrum(x), expected)


def test_mean_over_maps_and_normalised_share_equals_the_score():
    gen = torch.Generator().manual_seed(1)
    y = torch.randn(5, 3, 8, 12, generator=gen, dtype=torch.float64)
    y = y + torch.randn(5, 3, 2, 2, generator=gen, dtype=torch.float64).repeat(1, 1, 4, 6)  # a stride-2 pattern
    maps = y.reshape(-1, 8, 12).numpy()
    power = plots.mean_power_spectrum(y.numpy())
    by_hand = np.mean([np.abs(np.fft.fft2(m - m.mean())) ** 2 for m in maps], axis=0)
    np.testing.assert_allclose(power, by_hand)
    share = plots.mean_power_spectrum(y.numpy(), normalise=True)
    assert share.sum() == pytest.approx(1.0)
    mask = artifacts.stride_frequency_mask(8, 12, 2).numpy()
    assert share[mask].sum() == pytest.approx(artifacts.periodic_energy_share(y, 2), abs=1e-12)


def test_draw_spectrum_of_a_stack_uses_one_colour_range_when_asked():
    stack = np.random.default_rng(2).random((4, 8, 8))
    fig = plots.draw_spectrum(stack, 2, normalise=True, limits=(-5, 0))
    image = fig.axes[0].images[0]
    assert image.get_clim() == (-5, 0)
    np.testing.assert_allclose(image.get_array(), np.fft.fftshift(np.log10(
        plots.mean_power_spectrum(stack, normalise=True) + 1e-12 * plots.mean_power_spectrum(stack, True).max())))
    assert len(fig.axes[0].collections[0].get_offsets()) == 3
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        plots.mean_power_spectrum(np.zeros(4))
