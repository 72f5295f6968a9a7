"""tconv_lib.foundations.design: every proposed layer really maps in_size to out_size in PyTorch."""
import pytest
import torch

from tconv_lib.foundations.design import Design, design_conv_transpose


@pytest.mark.parametrize("n_in,n_out", [(7, 28), (1, 4), (4, 8), (16, 32), (7, 14), (3, 3)])
def test_designer_only_proposes_layers_that_work(n_in, n_out):
    designs = design_conv_transpose(n_in, n_out, dilations=(1, 2))
    assert designs, "there is always at least one design for these sizes"
    for g in designs:
        layer = torch.nn.ConvTranspose2d(1, 1, g.kernel_size, stride=g.stride, padding=g.padding,
                                         output_padding=g.output_padding, dilation=g.dilation)
        assert layer(torch.zeros(1, 1, n_in, n_in)).shape[-1] == n_out, g


def test_designer_ranks_simple_choices_first_and_prints_torch():
    best = design_conv_transpose(16, 32)[0]
    assert (best.kernel_size, best.stride, best.padding, best.output_padding) == (2, 2, 0, 0)
    assert best.to_torch(64, 32) == "nn.ConvTranspose2d(64, 32, kernel_size=2, stride=2)"
    assert Design(5, 2, 2, 1, 1).to_torch() == \
        "nn.ConvTranspose2d(1, 1, kernel_size=5, stride=2, padding=2, output_padding=1)"
    assert all(g.kernel_size <= 4 for g in design_conv_transpose(7, 28, kernel_sizes=range(1, 5)))
