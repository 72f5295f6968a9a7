"""tconv_lib.real_models.stacks: stacked upsamplers have the right shapes, seeds and scores."""
import pytest
import torch
from torch import nn

from tconv_lib.real_models import stacks
from tconv_lib.upsampling.artifacts import checkerboard_score
from tconv_lib.upsampling.upsamplers import LEARNABLE


@pytest.mark.parametrize("name", LEARNABLE)
@pytest.mark.parametrize("depth", [1, 3])
def test_stack_enlarges_by_two_to_the_depth(name, depth):
    model = stacks.make_stack(name, depth, width=4)
    assert model(torch.rand(2, 3, 5, 6)).shape == (2, 3, 5 * 2 ** depth, 6 * 2 ** depth)
    assert sum(isinstance(m, nn.ReLU) for m in model) == depth - 1


def test_stack_seed_and_errors():
    a, b = stacks.make_stack("conv_transpose", 2, seed=1), stacks.make_stack("conv_transpose", 2, seed=1)
    x = torch.rand(1, 3, 4, 4)
    torch.testing.assert_close(a(x), b(x))
    with pytest.raises(ValueError, match="depth must be a positive int"):
        stacks.make_stack("conv_transpose", 0)


def test_stack_scores_use_the_stack_period_and_training_changes_them(one_thread):
    untrained = stacks.stack_scores(["conv_transpose"], [2], seeds=(0,))
    before, after = untrained["conv_transpose", 2]
    assert before == after
    model = stacks.make_stack("conv_transpose", 2)
    assert before == pytest.approx(checkerboard_score(model, stride=4, size=16, seeds=(0,)))
    image = torch.rand(1, 3, 64, 64, generator=torch.Generator().manual_seed(0))
    trained = stacks.stack_scores(["conv_transpose"], [2], image, steps=20, seeds=(0,))
    assert trained["conv_transpose", 2][0] == before
    assert trained["conv_transpose", 2][1] != before
