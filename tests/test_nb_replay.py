"""tools/nb_replay.py: a Japanese kernel's training call replays the identical English call, and only that.

The replay must leave a Japanese notebook exactly where computing would: the same module weights and
modes, optimisers bound to the live parameters, the same result and the same global random state.
A call with other inputs, or one that drew from a global generator now in another state, computes.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import nb_replay  # noqa: E402

from tconv_lib.i18n import set_language  # noqa: E402

CALLS: list[int] = []


def fit(model: nn.Module, data: torch.Tensor, steps: int = 3, seed: int = 0, optimizer=None, numpy_noise=False):
    """A tiny training loop: SGD on seeded batches, then one draw from the global generator(s)."""
    CALLS.append(1)
    optimizer = optimizer or torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    order = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        loss = model(data[torch.randint(len(data), (4,), generator=order)]).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    extra = float(np.random.rand()) if numpy_noise else 0.0
    return {"loss": loss.item(), "optimizer": optimizer, "noise": torch.rand(1).item() + extra}


@pytest.fixture
def replayed(tmp_path):
    CALLS.clear()
    yield nb_replay.replayable(fit, tmp_path)
    set_language("en")


def run(wrapped, language: str, seed: int = 0, **kwargs):
    set_language(language)
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    data = torch.arange(30.0).reshape(10, 3) / 30
    return model, wrapped(model, data, seed=seed, **kwargs), torch.get_rng_state()


def test_japanese_call_replays_the_english_one(replayed):
    en_model, en_out, en_rng = run(replayed, "en")
    ja_model, ja_out, ja_rng = run(replayed, "ja")
    assert len(CALLS) == 1                                        # the Japanese call did not train
    assert all(torch.equal(a, b) for a, b in zip(en_model.state_dict().values(), ja_model.state_dict().values()))
    assert ja_model.training is False and ja_out["loss"] == en_out["loss"] and ja_out["noise"] == en_out["noise"]
    assert torch.equal(ja_rng, en_rng)                            # the global generator is where computing leaves it
    params = ja_out["optimizer"].param_groups[0]["params"]
    assert all(p is q for p, q in zip(params, ja_model.parameters()))   # bound to the live parameters
    assert len(ja_out["optimizer"].state) == 2                    # with its momentum buffers


def test_other_inputs_compute(replayed):
    run(replayed, "en", seed=0)
    run(replayed, "ja", seed=1)
    assert len(CALLS) == 2


def test_english_calls_always_compute(replayed):
    run(replayed, "en")
    run(replayed, "en")
    assert len(CALLS) == 2


def test_a_call_that_drew_from_numpy_replays_only_from_the_same_numpy_state(replayed):
    np.random.seed(5)
    _, en_out, _ = run(replayed, "en", numpy_noise=True)
    computed = np.random.get_state()[1].copy()
    np.random.seed(6)
    run(replayed, "ja", numpy_noise=True)
    assert len(CALLS) == 2                                        # NumPy's state differs: computed
    np.random.seed(5)
    _, ja_out, _ = run(replayed, "ja", numpy_noise=True)
    assert len(CALLS) == 2 and ja_out["noise"] == en_out["noise"]  # same state: replayed
    assert np.array_equal(np.random.get_state()[1], computed)    # and NumPy's generator moved on as computing did


def test_python_random_state_does_not_block_a_call_that_never_used_it(replayed):
    random.seed(1)
    run(replayed, "en")
    random.seed(2)
    run(replayed, "ja")
    assert len(CALLS) == 1


def test_arguments_it_cannot_fingerprint_are_passed_through(tmp_path):
    wrapped = nb_replay.replayable(lambda f: f(2), tmp_path)
    assert wrapped(lambda x: x + 1) == 3 and not list(tmp_path.iterdir())


def seeded(model: nn.Module, seed: int) -> float:
    """Draws only from its own generator, as stack_scores and train_dcgan do."""
    CALLS.append(1)
    with torch.no_grad():
        model.weight.add_(torch.randn(model.weight.shape, generator=torch.Generator().manual_seed(seed)))
    return model.weight.sum().item()


def test_a_call_with_its_own_generator_replays_whatever_the_global_state(tmp_path):
    """Every process seeds PyTorch's global generator from the OS; a call that does not draw from it replays."""
    wrapped, sums = nb_replay.replayable(seeded, tmp_path), []
    CALLS.clear()
    for language, global_seed in (("en", 1), ("ja", 2)):
        set_language(language)
        torch.manual_seed(global_seed)
        model = nn.Linear(2, 2)
        with torch.no_grad():
            model.weight.fill_(0.5)
            model.bias.fill_(0.0)
        sums.append(wrapped(model, 7))
    set_language("en")
    assert len(CALLS) == 1 and sums[0] == sums[1]
