"""Tests for tconv_lib.gan.training (the step, the loop, EMA, BatchNorm helpers, DiffAugment) and
tconv_lib.gan.train_config (the settings of a run)."""
from __future__ import annotations

import copy
import dataclasses
import inspect
from dataclasses import replace

import numpy as np
import pytest
import torch
from test_dcgan import small_pair
from torch import nn

from tconv_lib.gan import training
from tconv_lib.gan.train_config import TrainConfig


# ----------------------------------------------------------------------------- training
def tiny_dataset(n=16, size=8):
    gen = torch.Generator().manual_seed(1)
    images = torch.rand(n, 1, size, size, generator=gen) * 2 - 1
    return torch.utils.data.TensorDataset(images, torch.zeros(n, dtype=torch.long))


@pytest.mark.slow
def test_train_dcgan_history_and_updates():
    netG, netD = small_pair(8)
    before = [p.detach().clone() for p in netG.parameters()]
    fixed = torch.randn(4, 8, 1, 1)
    hist = training.train_dcgan(netG, netD, tiny_dataset(), TrainConfig(num_epochs=3, batch_size=4, snapshot_every=5),
                                fixed_noise=fixed, progress=False)
    assert hist["steps"] == 12 and all(len(hist[k]) == 12 for k in ("loss_D", "loss_G", "D_x", "D_G_z"))
    assert all(np.isfinite(hist["loss_D"])) and all(0 <= v <= 1 for v in hist["D_x"] + hist["D_G_z"])
    assert [s for s, _ in hist["snapshots"]] == [5, 10, 12]
    assert hist["snapshots"][0][1].shape == (4, 1, 8, 8)
    assert any(not torch.equal(a, b) for a, b in zip(before, netG.parameters()))


@pytest.mark.slow
def test_train_dcgan_max_steps_and_plain_image_dataset():
    netG, netD = small_pair(8)
    images = torch.rand(10, 1, 8, 8) * 2 - 1

    class Plain(torch.utils.data.Dataset):  # items are images, no labels (like ImageFolderDataset)
        def __len__(self):
            return len(images)

        def __getitem__(self, i):
            return images[i]

    hist = training.train_dcgan(netG, netD, Plain(), TrainConfig(num_epochs=100, batch_size=3, max_steps=7),
                                progress=False)
    assert hist["steps"] == 7 and len(hist["loss_G"]) == 7


@pytest.mark.slow
@pytest.mark.parametrize("augment", [False, True])
def test_training_is_repeatable(augment):
    def run():
        netG, netD = small_pair(8)
        training.train_dcgan(netG, netD, tiny_dataset(), TrainConfig(num_epochs=2, batch_size=4, seed=3, augment=augment),
                             progress=False)
        return netG.state_dict()

    first, second = run(), run()
    assert all(torch.equal(first[k], second[k]) for k in first)


def test_ema_update_by_hand():
    """w_ema <- decay * w_ema + (1 - decay) * w for parameters; buffers copied."""
    netG, _ = small_pair(8)
    ema = copy.deepcopy(netG)
    with torch.no_grad():
        for p in netG.parameters():
            p.add_(1.0)
        netG.main.bn0.running_mean.fill_(3.0)
    before = [p.detach().clone() for p in ema.parameters()]
    training.ema_update(ema, netG, decay=0.75)
    for p_ema, p_old, p in zip(ema.parameters(), before, netG.parameters()):
        torch.testing.assert_close(p_ema, 0.75 * p_old + 0.25 * p.detach())
    assert torch.equal(ema.main.bn0.running_mean, netG.main.bn0.running_mean)
    training.ema_update(ema, netG, decay=0.0)       # decay 0: a plain copy
    assert all(torch.equal(a, b) for a, b in zip(ema.parameters(), netG.parameters()))
    with pytest.raises(ValueError, match="decay"):
        training.ema_update(ema, netG, decay=1.0)


def test_train_dcgan_keeps_an_ema_copy():
    """With ``ema``, netG trains exactly as without; the copy trails its weights step by step."""
    plain_G, plain_D = small_pair(8)
    config = TrainConfig(num_epochs=1, batch_size=4, seed=3)
    training.train_dcgan(plain_G, plain_D, tiny_dataset(), config, progress=False)
    netG, netD = small_pair(8)
    start = copy.deepcopy(netG)
    ema = copy.deepcopy(netG)
    hist = training.train_dcgan(netG, netD, tiny_dataset(), replace(config, ema_decay=0.5), progress=False, ema=ema)
    assert all(torch.equal(a, b) for a, b in zip(netG.parameters(), plain_G.parameters()))
    for p_ema, p0, p in zip(ema.parameters(), start.parameters(), netG.parameters()):
        assert not torch.equal(p_ema, p) and not torch.equal(p_ema, p0)
    assert hist["steps"] >= 2


def test_train_step_loss_values():
    """The logged losses are the BCE of the sigmoid probabilities, recomputed by hand."""
    netG, netD = small_pair(8)
    real, z = torch.rand(4, 1, 8, 8) * 2 - 1, torch.randn(4, 8, 1, 1)
    with torch.no_grad():
        d_real, d_fake = torch.sigmoid(netD(real)), torch.sigmoid(netD(netG(z)))
    expected_D = (-torch.log(d_real).mean() - torch.log(1 - d_fake).mean()).item()
    optG, optD = training.make_optimizers(netG, netD)
    stats = training.train_step(netG, netD, optG, optD, real, z)
    assert stats["loss_D"] == pytest.approx(expected_D, rel=1e-5)
    assert stats["D_x"] == pytest.approx(d_real.mean().item(), rel=1e-5)
    assert optG.defaults["lr"] == 2e-4 and optG.defaults["betas"] == (0.5, 0.999)


def test_batch_statistics_leaves_running_averages_alone():
    netG, _ = small_pair(16)
    netG.eval()
    before = {k: v.clone() for k, v in netG.state_dict().items()}
    with torch.no_grad(), training.batch_statistics(netG):
        assert netG.training
        netG(torch.randn(32, 8, 1, 1))
    assert not netG.training
    assert all(torch.equal(before[k], v) for k, v in netG.state_dict().items())


@pytest.mark.slow
def test_recalibrate_batchnorm_matches_batch_statistics():
    netG, _ = small_pair(16)
    for m in netG.modules():  # running averages far from the truth, as early in training
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.fill_(3.0)
            m.running_var.fill_(0.01)
    z = torch.randn(2000, 8, 1, 1)
    with torch.no_grad(), training.batch_statistics(netG):
        target = netG(z)
    with torch.no_grad():
        stale = netG.eval()(z)
        training.recalibrate_batchnorm(netG, num_batches=20, batch_size=500)
        fixed = netG(z)
    assert not netG.training
    assert (stale - target).abs().mean() > 10 * (fixed - target).abs().mean()




def test_diff_augment_translation_cutout_and_gradient():
    x = torch.full((6, 2, 16, 16), 0.5, requires_grad=True)
    y = training.diff_augment(x, torch.Generator().manual_seed(0))
    assert y.shape == x.shape
    values = set(torch.unique(y.detach()).tolist())
    assert values <= {0.5, -1.0, 0.0} and 0.5 in values
    for img in y.detach()[:, 0]:
        assert (img == -1.0).sum() <= 2 * 16 + 2 * 16                 # at most 2 rows and 2 columns moved in
        assert (img == 0.0).sum() <= 8 * 8                            # one cutout square of side 8
    assert torch.equal(y.detach()[:, 0], y.detach()[:, 1])            # the same move for every channel
    y.sum().backward()                                                # differentiable: netG learns through it
    assert x.grad is not None and x.grad.abs().sum() > 0
    again = training.diff_augment(x.detach(), torch.Generator().manual_seed(0))
    assert torch.equal(again, y.detach())


def test_diff_augment_without_cutout_is_the_same_move_without_the_square():
    x = torch.full((6, 1, 16, 16), 0.5)
    with_cutout = training.diff_augment(x, torch.Generator().manual_seed(0))
    moved_only = training.diff_augment(x, torch.Generator().manual_seed(0), cutout=0)
    assert not (moved_only == 0.0).any()                              # no blanked square
    assert torch.equal(torch.where(with_cutout == 0.0, 0.0, moved_only), with_cutout)
    smaller = training.diff_augment(x, torch.Generator().manual_seed(0), cutout=0.25)
    assert all((img == 0.0).sum() <= 4 * 4 for img in smaller[:, 0])  # side 16/4, the same moves
    assert torch.equal(torch.where(smaller == 0.0, 0.0, moved_only), smaller)
    assert (smaller == 0.0).sum() > 0
    for bad in (1.5, -0.1, True):
        with pytest.raises(ValueError, match="cutout"):
            training.diff_augment(x, cutout=bad)


def test_train_dcgan_augment_argument():
    netG, netD = small_pair(8)
    hist = training.train_dcgan(netG, netD, tiny_dataset(), TrainConfig(num_epochs=1, batch_size=4, augment=True, cutout=0),
                                progress=False)
    assert hist["steps"] == 4
    with pytest.raises(TypeError, match="augment"):
        TrainConfig(num_epochs=1, batch_size=4, augment="cutout")   # refused before anything trains


def test_diff_augment_moves_content():
    x = -torch.ones(1, 1, 16, 16)
    x[0, 0, 8, 8] = 1.0                                               # one bright pixel
    positions = set()
    for seed in range(30):
        y = training.diff_augment(x, torch.Generator().manual_seed(seed))
        hits = (y[0, 0] == 1.0).nonzero().tolist()
        positions.update(map(tuple, hits))
    assert len(positions) > 5 and all(abs(r - 8) <= 2 and abs(c - 8) <= 2 for r, c in positions)


# ----------------------------------------------------------------------------- the settings of a run
def test_train_config_defaults_are_the_dcgan_settings():
    """The defaults a bare ``train_dcgan(netG, netD, dataset)`` trains with; lr and betas are make_optimizers' own."""
    config = TrainConfig()
    assert (config.num_epochs, config.batch_size, config.seed, config.max_steps, config.snapshot_every) == (1, 64, 0, None, None)
    assert (config.augment, config.cutout, config.ema_decay) == (False, 0.5, 0.999)
    optimizer_defaults = inspect.signature(training.make_optimizers).parameters
    assert (config.lr, config.betas) == (optimizer_defaults["lr"].default, optimizer_defaults["betas"].default)


def test_train_config_is_frozen_and_varied_by_replace():
    config = TrainConfig(num_epochs=8, batch_size=32, augment=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.seed = 1
    other = replace(config, seed=1)
    assert other.seed == 1 and other != config and replace(other, seed=0) == config


def test_train_dcgan_without_config_uses_the_defaults():
    """No config, TrainConfig() and a positional config train exactly alike; the run's objects are keywords only."""
    images = tiny_dataset(n=64)              # one batch of the default size 64
    runs = []
    for config in (None, TrainConfig()):
        netG, netD = small_pair(8)
        runs.append((training.train_dcgan(netG, netD, images, config, progress=False)["loss_D"], netG.state_dict()))
    assert runs[0][0] == runs[1][0] and len(runs[0][0]) == 1
    assert all(torch.equal(runs[0][1][k], runs[1][1][k]) for k in runs[0][1])
    with pytest.raises(TypeError):
        training.train_dcgan(*small_pair(8), images, TrainConfig(), torch.device("cpu"))
