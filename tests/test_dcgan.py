"""Tests for tconv_lib.gan.dcgan (models, shapes, training, checkpoint) and tconv_lib.gan.weights."""
from __future__ import annotations

import copy
import shutil

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from tconv_lib.foundations import arithmetic
from tconv_lib.foundations.reference import conv_transpose2d
from tconv_lib.gan import dcgan, training, weights

# (kernel_size, padding, output_padding) triples that double the size with stride 2
DOUBLING = [(2, 0, 0), (3, 1, 1), (4, 1, 0), (5, 2, 1), (6, 2, 0)]


def small_pair(image_size=16, kernel_size=4, padding=1, output_padding=0, channels=1):
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
    table = dcgan.shape_table(netG)
    traced = dcgan.traced_shapes(netG.eval(), z)
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
    table = dcgan.shape_table(netD)
    traced = dcgan.traced_shapes(netD, x)
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
    sizes = [r["out_size"] for r in dcgan.shape_table(netG)]
    assert sizes == [4, 8, 16, 32, 64]
    assert {r["kernel_size"] for r in dcgan.shape_table(netG)[1:]} == {kernel}
    if params_g is not None:  # the PyTorch tutorial's generator has 3,576,704 parameters (+ one output bias)
        assert sum(p.numel() for p in netG.parameters()) == params_g + 3
    if preset == "paper64":
        assert [r["out_channels"] for r in dcgan.shape_table(netG)] == [1024, 512, 256, 128, 3]


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
    text = dcgan.format_shape_table(dcgan.shape_table(dcgan.Generator(16, latent_dim=32, ngf=64)))
    lines = text.splitlines()
    assert len(lines) == 2 + 3 and "64x8x8 -> 1x16x16" in lines[-1] and "32x1x1 -> 128x4x4" in lines[2]


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
    hist = training.train_dcgan(netG, netD, tiny_dataset(), num_epochs=3, batch_size=4, fixed_noise=fixed,
                             snapshot_every=5, progress=False)
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

    hist = training.train_dcgan(netG, netD, Plain(), num_epochs=100, batch_size=3, max_steps=7, progress=False)
    assert hist["steps"] == 7 and len(hist["loss_G"]) == 7


@pytest.mark.slow
@pytest.mark.parametrize("augment", [False, True])
def test_training_is_repeatable(augment):
    def run():
        netG, netD = small_pair(8)
        training.train_dcgan(netG, netD, tiny_dataset(), num_epochs=2, batch_size=4, seed=3, augment=augment,
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
    training.train_dcgan(plain_G, plain_D, tiny_dataset(), num_epochs=1, batch_size=4, seed=3, progress=False)
    netG, netD = small_pair(8)
    start = copy.deepcopy(netG)
    ema = copy.deepcopy(netG)
    hist = training.train_dcgan(netG, netD, tiny_dataset(), num_epochs=1, batch_size=4, seed=3, progress=False,
                             ema=ema, ema_decay=0.5)
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


# ----------------------------------------------------------------------------- checkpoint
def test_shipped_generator_contract():
    netG = dcgan.load_pretrained_generator()
    assert not netG.training and netG.latent_dim == dcgan.PRESETS["digits32"]["latent_dim"] and netG.image_size == 32
    out = netG(torch.randn(5, netG.latent_dim, 1, 1))
    assert out.shape == (5, 1, 32, 32) and out.min() >= -1 and out.max() <= 1


def test_shipped_files_small_and_checksummed():
    manifest = weights.read_manifest()
    for name, entry in manifest["files"].items():
        path = weights.weights_dir() / name
        assert path.stat().st_size == entry["bytes"] <= 2_000_000
        assert weights.sha256_file(path) == entry["sha256"]
    assert manifest["generator"]["config"] == dcgan.load_pretrained_generator().config


def test_corrupt_copy_is_rejected(tmp_path):
    src = weights.weights_dir() / dcgan.GENERATOR_FILE
    bad = tmp_path / src.name
    data = bytearray(src.read_bytes())
    data[len(data) // 2] ^= 0xFF  # flip one byte in the middle
    bad.write_bytes(bytes(data))
    with pytest.raises(weights.CheckpointError, match="SHA-256 mismatch"):
        dcgan.load_pretrained_generator(bad)
    good = tmp_path / "copy" / src.name
    good.parent.mkdir()
    shutil.copy(src, good)
    assert not dcgan.load_pretrained_generator(good).training  # an intact copy loads


def test_wrong_or_missing_file_is_rejected(tmp_path):
    with pytest.raises(weights.CheckpointError, match="not found"):
        dcgan.load_pretrained_generator(tmp_path / "nothing.safetensors")
    clf = weights.weights_dir() / "digit_classifier_plain.safetensors"
    with pytest.raises(weights.CheckpointError, match="does not hold a generator"):
        dcgan.load_pretrained_generator(clf, expected_sha256=weights.sha256_file(clf))
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not a tensor file at all")
    with pytest.raises(weights.CheckpointError, match="not a readable safetensors"):
        dcgan.load_pretrained_generator(junk, expected_sha256=weights.sha256_file(junk))
    with pytest.raises(weights.CheckpointError, match="expected_sha256"):
        dcgan.load_pretrained_generator(junk)  # no checksum known for an unknown file name


def test_save_generator_round_trip(tmp_path):
    netG, _ = dcgan.build_dcgan("digits32")
    path = tmp_path / "g.safetensors"
    sha = dcgan.save_generator(netG, path)
    state = weights.load_verified_state_dict(path, sha)
    assert all(torch.equal(state[k], v) for k, v in netG.state_dict().items())


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
    hist = training.train_dcgan(netG, netD, tiny_dataset(), num_epochs=1, batch_size=4, augment=True, cutout=0,
                             progress=False)
    assert hist["steps"] == 4
    with pytest.raises(TypeError, match="augment"):
        training.train_dcgan(netG, netD, tiny_dataset(), num_epochs=1, batch_size=4, augment="cutout", progress=False)


def test_diff_augment_moves_content():
    x = -torch.ones(1, 1, 16, 16)
    x[0, 0, 8, 8] = 1.0                                               # one bright pixel
    positions = set()
    for seed in range(30):
        y = training.diff_augment(x, torch.Generator().manual_seed(seed))
        hits = (y[0, 0] == 1.0).nonzero().tolist()
        positions.update(map(tuple, hits))
    assert len(positions) > 5 and all(abs(r - 8) <= 2 and abs(c - 8) <= 2 for r, c in positions)
