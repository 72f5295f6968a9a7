"""tconv_lib.foundations.examples: the worked examples' table is what PyTorch computes."""
import numpy as np
import pytest
import torch

from tconv_lib.foundations.examples import IDENTITY, WORKED, X, example_layer


@pytest.mark.parametrize("name", sorted(WORKED))
def test_each_worked_example_is_pytorchs_output(name):
    (stride, padding, output_padding), expected = WORKED[name]
    assert name == ", ".join([f"stride {stride}", f"padding {padding}"]
                             + ([f"output_padding {output_padding}"] if output_padding else []))
    layer = example_layer(stride, padding, output_padding)
    with torch.no_grad():
        out = layer(torch.tensor(X, dtype=torch.float32)[None, None])[0, 0]
    np.testing.assert_array_equal(out.numpy(), np.array(expected, dtype=np.float32))


def test_example_layer_is_the_identity_kernel_without_bias():
    layer = example_layer(2)
    assert layer.bias is None and layer.kernel_size == (2, 2)
    np.testing.assert_array_equal(layer.weight.detach()[0, 0].numpy(), IDENTITY)
