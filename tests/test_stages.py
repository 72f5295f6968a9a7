"""tconv_lib.foundations.stages: every stage of the zero-insertion view, checked against PyTorch."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tconv_lib.foundations.examples import IDENTITY, WORKED, X
from tconv_lib.foundations.stages import conv_transpose2d_stages


@pytest.mark.parametrize("case", sorted(WORKED))
def test_stages_reproduce_output_and_label_cells(case):
    (stride, padding, output_padding), expected = WORKED[case]
    stages = conv_transpose2d_stages(X, IDENTITY, stride, padding, output_padding)
    np.testing.assert_array_equal(stages.output, expected)
    assert stages.roles.shape == stages.processing.shape
    # every input value sits where the roles map says "input"
    assert sorted(stages.processing[stages.roles == 1].tolist()) == [1, 2, 3, 4][: int((stages.roles == 1).sum())]
    assert np.all(stages.processing[stages.roles != 1] == 0)
    assert (stages.roles == 3).any() == (output_padding > 0)
    products = stages.products(0, 0)
    assert products.sum() == stages.output[0, 0]


def test_stages_when_padding_crops_the_processing_image():
    x = np.arange(1.0, 10.0).reshape(3, 3)
    k = np.arange(1.0, 10.0).reshape(3, 3)
    stages = conv_transpose2d_stages(x, k, stride=2, padding=3, output_padding=1)
    assert stages.border == (-1, 0, -1, 0)
    torch.testing.assert_close(torch.from_numpy(stages.output),
                               F.conv_transpose2d(torch.from_numpy(x)[None, None], torch.from_numpy(k)[None, None],
                                                  stride=2, padding=3, output_padding=1)[0, 0])


def test_stages_record_the_layer_arguments():
    stages = conv_transpose2d_stages(np.ones((1, 3)), np.ones((2, 3)), stride=(2, 3), padding=(1, 0),
                                       output_padding=(1, 2), dilation=(1, 2))
    assert (stages.stride, stages.padding, stages.output_padding, stages.dilation) == ((2, 3), (1, 0), (1, 2), (1, 2))

