"""Shipped weights and their checksums: read them without ever unpickling anything.

The folder holds ``.safetensors`` files (plain tensors; loading them runs no
code) and ``manifest.json``, which records each file's SHA-256 and size, the
configuration and training record of the generator, and its measured quality.
``scripts/train_dcgan.py`` writes all of them.

Introduced in chapters/11_training_a_dcgan.
"""
from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import torch

from ...i18n import message

MANIFEST = "manifest.json"


class CheckpointError(ValueError):
    """A checkpoint file is missing, corrupt, or not the one the manifest describes.

    Raised by :func:`load_verified_state_dict` and :func:`load_into`.
    """


def weights_dir() -> Path:
    """The folder of shipped weights inside the installed package."""
    return Path(str(resources.files(__name__)))


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes.

    Used by :func:`load_verified_state_dict`, :func:`save_module` and ``scripts/train_dcgan.py``;
    not called in the book.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(path: str | Path | None = None) -> dict:
    """The shipped ``manifest.json``: checksums, configuration, training record, quality figures."""
    path = Path(path) if path is not None else weights_dir() / MANIFEST
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_verified_state_dict(path: str | Path, expected_sha256: str | None = None) -> dict[str, torch.Tensor]:
    """Tensors of a ``.safetensors`` file, after checking its SHA-256 (no pickle is ever executed).

    ``expected_sha256`` defaults to the manifest's entry for the shipped file
    of the same name. Raises :class:`CheckpointError` for a missing file, a
    checksum mismatch or an unreadable file.

    Used by :func:`load_into`.
    """
    from safetensors.torch import load_file

    path = Path(path)
    if not path.is_file():
        raise CheckpointError(message("weights.not_found", path=path))
    if expected_sha256 is None:
        entry = read_manifest().get("files", {}).get(path.name)
        if entry is None:
            raise CheckpointError(message("weights.no_checksum", name=path.name))
        expected_sha256 = entry["sha256"]
    actual = sha256_file(path)
    if actual != expected_sha256.lower():
        raise CheckpointError(message("weights.mismatch", path=path, expected=expected_sha256, actual=actual))
    try:
        return load_file(str(path))
    except Exception as exc:  # the right checksum for a file that is not safetensors
        raise CheckpointError(message("weights.unreadable", path=path, error=exc)) from exc


def save_module(module: torch.nn.Module, path: str | Path, metadata: dict[str, str] | None = None) -> str:
    """Write a module's tensors (weights and buffers) to ``path`` as safetensors; return the file's SHA-256.

    Used by :func:`tconv_lib.gan.checkpoint.save_generator` and ``scripts/train_dcgan.py``.
    """
    from safetensors.torch import save_file

    tensors = {k: v.detach().cpu().contiguous() for k, v in module.state_dict().items()}
    save_file(tensors, str(path), metadata=metadata)
    return sha256_file(path)


def load_into(module: torch.nn.Module, path: str | Path, expected_sha256: str | None, what: str) -> torch.nn.Module:
    """Load a verified checkpoint into ``module`` (every tensor must match); ``what`` names it in the error.

    Used by :func:`tconv_lib.gan.checkpoint.load_pretrained_generator` and
    :func:`tconv_lib.gan.quality.load_classifier`.
    """
    state = load_verified_state_dict(path, expected_sha256)
    try:
        module.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise CheckpointError(message("weights.wrong_module", path=path, what=what, error=exc)) from exc
    return module
