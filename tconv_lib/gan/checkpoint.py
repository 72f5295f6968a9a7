"""The shipped DCGAN generator's checkpoint: writing netG to a safetensors file, and loading the shipped one.

The file holds netG's tensors (weights and BatchNorm statistics) and, as metadata, its
configuration; :mod:`tconv_lib.gan.weights` verifies its SHA-256 against ``manifest.json``
before anything is read.

Introduced in chapters/10_dcgan_generator (trained and saved in chapters/11_training_a_dcgan).
"""
from __future__ import annotations

import json
from pathlib import Path

import torch

from ..i18n import message
from .dcgan import Generator
from .weights import load_into, load_verified_state_dict, read_manifest, save_module, weights_dir

GENERATOR_FILE = "dcgan_digits32_generator.safetensors"


def save_generator(netG: Generator, path: str | Path) -> str:
    """Write netG's tensors (weights and BatchNorm statistics) to ``path`` as safetensors; return the SHA-256.

    Used by ``scripts/train_dcgan.py`` (the shipped weights).
    """
    return save_module(netG, path, metadata={"config": json.dumps(netG.config, sort_keys=True)})


def load_pretrained_generator(path: str | Path | None = None, expected_sha256: str | None = None,
                              device: torch.device | str | None = None) -> Generator:
    """The shipped 32x32 digits netG, checksum-verified, in eval mode (ready for sampling).

    ``netG(torch.randn(n, netG.latent_dim, 1, 1))`` gives (n, 1, 32, 32) in
    [-1, 1]. ``path``/``expected_sha256`` load another file written by :func:`save_generator`
    (another training run, or latent cells), built with the configuration stored in it; any
    mismatch raises :class:`tconv_lib.gan.weights.CheckpointError`.
    """
    shipped = read_manifest()["generator"]
    config = shipped["config"] if path is None else _stored_config(Path(path), expected_sha256) or shipped["config"]
    path = Path(path) if path is not None else weights_dir() / shipped["file"]
    netG = load_into(Generator(**config), path, expected_sha256, message("dcgan.generator_weights", config=config))
    return netG.to(device if device is not None else "cpu").eval()


def _stored_config(path: Path, expected_sha256: str | None) -> dict | None:
    """The configuration :func:`save_generator` wrote into ``path`` (its checksum is verified first)."""
    from safetensors import safe_open

    load_verified_state_dict(path, expected_sha256)   # a missing, altered or unreadable file raises here
    with safe_open(str(path), "pt") as file:
        stored = (file.metadata() or {}).get("config")
    return json.loads(stored) if stored else None
