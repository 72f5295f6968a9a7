"""tconv_lib.device: the environment variable wins, CUDA is never faked, determinism switches are set."""
import os

import pytest
import torch

from tconv_lib import device as D


def test_forcing_cpu(monkeypatch):
    monkeypatch.setenv(D.ENV_VAR, "cpu")
    assert D.get_device() == torch.device("cpu")


def test_argument_overrides_environment(monkeypatch):
    monkeypatch.setenv(D.ENV_VAR, "cuda")
    assert D.get_device("cpu") == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="only meaningful without a GPU")
def test_forcing_cuda_without_gpu_is_an_error(monkeypatch):
    monkeypatch.setenv(D.ENV_VAR, "cuda")
    with pytest.raises(RuntimeError, match="no CUDA GPU"):
        D.get_device()


def test_unknown_choice_is_rejected(monkeypatch):
    monkeypatch.setenv(D.ENV_VAR, "tpu")
    with pytest.raises(ValueError, match=D.ENV_VAR):
        D.get_device()


def test_determinism_switches(monkeypatch):
    monkeypatch.setattr(torch.backends.cudnn, "benchmark", True)
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    D.set_determinism(seed=3)
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8"
    assert torch.backends.cudnn.deterministic and not torch.backends.cudnn.benchmark
    assert not torch.backends.cudnn.allow_tf32 and not torch.backends.cuda.matmul.allow_tf32
    first = torch.rand(3)
    D.set_determinism(seed=3)
    assert torch.equal(first, torch.rand(3))
