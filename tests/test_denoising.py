import pytest
import torch
from torch import nn

from tconv_lib.real_models.denoising import train_denoiser


def _image():
    return torch.rand(1, 1, 20, 24, generator=torch.Generator().manual_seed(0))


def _net(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 1, 3, padding=1))


def test_the_loss_falls_and_the_network_is_left_in_eval_mode():
    net = _net()
    losses = train_denoiser(net, _image(), (5, 7), 0.2, steps=60, batch_size=8, lr=1e-2, progress=False)
    assert len(losses) == 60
    assert sum(losses[-10:]) < 0.5 * sum(losses[:10])
    assert not net.training


def test_networks_trained_with_one_seed_see_the_same_batches():
    a = train_denoiser(_net(), _image(), (5, 7), 0.2, steps=5, seed=3, progress=False)
    b = train_denoiser(_net(), _image(), (5, 7), 0.2, steps=5, seed=3, progress=False)
    c = train_denoiser(_net(), _image(), (5, 7), 0.2, steps=5, seed=4, progress=False)
    assert a == b
    assert a != c


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="steps must be a positive int"):
        train_denoiser(_net(), _image(), 5, 0.2, steps=0)
    with pytest.raises(ValueError, match="sigma must be positive"):
        train_denoiser(_net(), _image(), 5, 0.0)
    with pytest.raises(ValueError, match="must not exceed"):
        train_denoiser(_net(), _image(), (21, 5), 0.2)
