"""Tests for tconv_lib.gan.checkpoint (the shipped generator, saving and loading) and tconv_lib.gan.weights."""
from __future__ import annotations

import shutil

import pytest
import torch

from tconv_lib.gan import checkpoint, dcgan, weights


def test_shipped_generator_contract():
    netG = checkpoint.load_pretrained_generator()
    assert not netG.training and netG.latent_dim == dcgan.PRESETS["digits32"]["latent_dim"] and netG.image_size == 32
    out = netG(torch.randn(5, netG.latent_dim, 1, 1))
    assert out.shape == (5, 1, 32, 32) and out.min() >= -1 and out.max() <= 1


def test_shipped_files_small_and_checksummed():
    manifest = weights.read_manifest()
    for name, entry in manifest["files"].items():
        path = weights.weights_dir() / name
        assert path.stat().st_size == entry["bytes"] <= 2_000_000
        assert weights.sha256_file(path) == entry["sha256"]
    assert manifest["generator"]["config"] == checkpoint.load_pretrained_generator().config


def test_corrupt_copy_is_rejected(tmp_path):
    src = weights.weights_dir() / checkpoint.GENERATOR_FILE
    bad = tmp_path / src.name
    data = bytearray(src.read_bytes())
    data[len(data) // 2] ^= 0xFF  # flip one byte in the middle
    bad.write_bytes(bytes(data))
    with pytest.raises(weights.CheckpointError, match="SHA-256 mismatch"):
        checkpoint.load_pretrained_generator(bad)
    good = tmp_path / "copy" / src.name
    good.parent.mkdir()
    shutil.copy(src, good)
    assert not checkpoint.load_pretrained_generator(good).training  # an intact copy loads


def test_wrong_or_missing_file_is_rejected(tmp_path):
    with pytest.raises(weights.CheckpointError, match="not found"):
        checkpoint.load_pretrained_generator(tmp_path / "nothing.safetensors")
    clf = weights.weights_dir() / "digit_classifier_plain.safetensors"
    with pytest.raises(weights.CheckpointError, match="does not hold a generator"):
        checkpoint.load_pretrained_generator(clf, expected_sha256=weights.sha256_file(clf))
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not a tensor file at all")
    with pytest.raises(weights.CheckpointError, match="not a readable safetensors"):
        checkpoint.load_pretrained_generator(junk, expected_sha256=weights.sha256_file(junk))
    with pytest.raises(weights.CheckpointError, match="expected_sha256"):
        checkpoint.load_pretrained_generator(junk)  # no checksum known for an unknown file name


def test_save_generator_round_trip(tmp_path):
    netG, _ = dcgan.build_dcgan("digits32")
    path = tmp_path / "g.safetensors"
    sha = checkpoint.save_generator(netG, path)
    state = weights.load_verified_state_dict(path, sha)
    assert all(torch.equal(state[k], v) for k, v in netG.state_dict().items())


def test_a_saved_generator_loads_with_its_own_configuration(tmp_path):
    torch.manual_seed(0)
    netG, _ = dcgan.build_dcgan("digits32_cells")
    path = tmp_path / "cells.safetensors"
    sha = checkpoint.save_generator(netG, path)
    loaded = checkpoint.load_pretrained_generator(path, expected_sha256=sha)
    assert (loaded.cells, loaded.gap) == (10, 1.0)
    z = torch.randn(4, netG.latent_dim, 1, 1)
    torch.testing.assert_close(loaded(z), netG.eval()(z))
