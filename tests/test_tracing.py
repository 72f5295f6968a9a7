"""tconv_lib.tracing: the calls a model makes are recorded in order, and the hooks go away afterwards."""
import pytest
import torch
from torch import nn

from tconv_lib.tracing import recording


def _model() -> nn.Sequential:
    return nn.Sequential(nn.ConvTranspose2d(4, 2, 4, stride=2, padding=1), nn.ReLU(),
                         nn.Sequential(nn.Conv2d(2, 1, 3, padding=1), nn.Tanh()))


def test_every_leaf_call_is_recorded_in_order_with_its_shapes():
    model, x = _model(), torch.zeros(1, 4, 5, 5)
    with recording(model) as calls:
        model(x)
    assert [c.name for c in calls] == ["0", "1", "2.0", "2.1"]
    assert [tuple(c.output.shape) for c in calls] == [(1, 2, 10, 10)] * 2 + [(1, 1, 10, 10)] * 2
    assert calls[0].inputs[0] is x


def test_kinds_select_the_modules_and_the_hooks_are_removed():
    model = _model()
    with recording(model, (nn.Conv2d, nn.ConvTranspose2d)) as calls:
        model(torch.zeros(2, 4, 3, 3))
    assert [type(c.module) for c in calls] == [nn.ConvTranspose2d, nn.Conv2d]
    assert all(not m._forward_hooks for m in model.modules())
    model(torch.zeros(1, 4, 3, 3))
    assert len(calls) == 2          # nothing recorded after the block


def test_calls_up_to_an_error_stay_and_the_hooks_are_removed():
    model = _model()
    with pytest.raises(RuntimeError), recording(model) as calls:
        model(torch.zeros(1, 3, 5, 5))   # 3 channels where the first layer wants 4
    assert calls == []
    with pytest.raises(RuntimeError), recording(model) as calls:
        model[2](torch.zeros(1, 5, 4, 4))   # the inner Conv2d fails
    assert all(not m._forward_hooks for m in model.modules())


def test_convolutions_covers_every_convolution_layer_of_torch_nn():
    """CONVOLUTIONS stands in for torch's private _ConvNd: every public layer built on it is in it."""
    from torch import nn

    from tconv_lib.tracing import CONVOLUTIONS

    layers = [obj for name, obj in vars(nn).items() if isinstance(obj, type) and not name.startswith("_")
              and issubclass(obj, nn.modules.conv._ConvNd)]
    assert len(layers) >= 12 and all(issubclass(layer, CONVOLUTIONS) for layer in layers)   # lazy ones too
    assert not any(issubclass(layer, CONVOLUTIONS) for layer in (nn.Linear, nn.MaxPool2d, nn.PixelShuffle))
