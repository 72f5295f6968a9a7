"""tconv_lib.stepper and tconv_lib.widgets: frames, numbers against PyTorch, error handling."""
from __future__ import annotations

import base64

import ipywidgets as W
import matplotlib
import numpy as np
import pytest
import torch

from tconv_lib import stepper as S
from tconv_lib import widgets

matplotlib.use("Agg")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FIXED_ZERO_INSERTION = 6   # input, zeros inserted, border, output_padding, flipped kernel + final comparison


def torch_layer_output(setting: S.Setting) -> np.ndarray:
    """nn.ConvTranspose2d on the setting's numbers, written independently of stepper.torch_output."""
    kernel = torch.tensor(setting.kernel, dtype=torch.float64)
    layer = torch.nn.ConvTranspose2d(1, 1, tuple(kernel.shape), stride=setting.stride, padding=setting.padding,
                                     output_padding=setting.output_padding, dilation=setting.dilation,
                                     bias=False).double()
    with torch.no_grad():
        layer.weight[0, 0] = kernel
        return layer(torch.tensor(setting.x, dtype=torch.float64)[None, None])[0, 0].numpy()


@pytest.mark.parametrize("name, expected", [
    ("4-1", [[1, 0], [0, 4]]),
    ("4-2", [[1, 0, 0], [0, 0, 0], [0, 0, 4]]),
    ("4-3", [[1, 0, 2, 0], [0, 1, 0, 2], [3, 0, 4, 0], [0, 3, 0, 4]]),
    ("4-4", [[1, 0, 2], [0, 4, 0], [3, 0, 4]]),
])
def test_worked_examples_give_the_course_table(name, expected):
    np.testing.assert_array_equal(S.preset(name).stages().output, expected)


@pytest.mark.parametrize("name", sorted(S.PRESETS))
def test_every_step_of_every_preset_matches_torch(name):
    setting = S.preset(name)
    expected = torch_layer_output(setting)
    frames = S.frames(setting, "zero_insertion")
    assert len(frames) == expected.size + FIXED_ZERO_INSERTION
    cells = [f for f in frames if f.step is not None]
    assert [f.step for f in cells] == list(range(expected.size))
    for frame in cells:
        value = float(frame.caption.rsplit("=", 1)[1])
        assert value == pytest.approx(expected.ravel()[frame.step])
    assert frames[-1].caption.endswith("the same numbers as nn.ConvTranspose2d: True")
    scatter = S.frames(setting, "scatter")
    assert len(scatter) == np.size(setting.x) + 1


def test_dcgan_preset_doubles_and_checkerboard_preset_overlaps_unevenly():
    assert S.preset("dcgan").stages().output.shape == (4, 4)
    counts = S.preset("checkerboard").stages().output          # ones * ones = overlap counts
    assert sorted(set(counts.ravel())) == [1, 2, 4]


def test_final_frame_figure_shows_torch_numbers():
    setting = S.preset("4-4")
    frames = S.frames(setting)
    fig = S.draw_frame(setting, frames[-1], len(frames), len(frames))
    output_axes = fig.axes[-1]
    written = np.array([float(t.get_text()) for t in output_axes.texts]).reshape(3, 3)
    np.testing.assert_array_equal(written, torch_layer_output(setting))
    assert fig._suptitle.get_text().startswith(f"{len(frames)}/{len(frames)}")


def test_frames_reject_bad_view_and_bad_setting():
    with pytest.raises(ValueError, match="view must be one of"):
        S.frames(S.preset("4-1"), "gather")
    with pytest.raises(ValueError, match="output_padding \\(2\\) must be smaller than stride \\(2\\)"):
        S.frames(S.with_values(S.preset("4-1"), output_padding=2))
    with pytest.raises(ValueError, match="preset must be one of"):
        S.preset("4-5")


def test_render_gives_one_png_per_frame():
    tiny = S.Setting(((2,),), ((3,),), label="tiny")     # 1x1 input, 1x1 kernel: one output cell
    pngs = S.render(tiny, dpi=30)
    assert len(pngs) == 1 + FIXED_ZERO_INSERTION
    assert all(p.startswith(PNG_MAGIC) for p in pngs)
    assert len(set(pngs)) == len(pngs)                      # every frame shows something new


# ----------------------------------------------------------------------------- static stepper
def links_to(target) -> list:
    """The jslinks (Link widgets) whose target is ``target``."""
    from ipywidgets.widgets.widget import _instances
    return [w for w in list(_instances.values()) if isinstance(w, W.widgets.widget_link.Link) and w.target[0] is target]


def test_static_stepper_is_a_stack_of_frames_linked_to_slider_and_play():
    setting = S.Setting(((1, 2),), ((1,), (1,)), stride=2, label="small")
    box = widgets.static_stepper(setting=setting, dpi=30)
    overview, hint, controls, stack = box.children
    play, slider = controls.children
    n = len(S.frames(setting))
    assert isinstance(stack, W.Stack) and len(stack.children) == n
    assert all(bytes(img.value).startswith(PNG_MAGIC) for img in stack.children)
    assert (slider.min, slider.max, play.max) == (0, n - 1, n - 1)
    assert links_to(stack)[0].source == (slider, "value")
    assert links_to(slider)[0].source == (play, "value")
    bundle = box._repr_mimebundle_()
    assert bundle["text/plain"] == f"Stepper(preset='custom', view='zero_insertion', frames={n}, static)"
    assert base64.b64decode(bundle["image/png"]) == bytes(overview.value)
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_show_stepper_displays_one_output(monkeypatch):
    shown = []
    monkeypatch.setattr(widgets, "display", shown.append)
    monkeypatch.setattr(S, "render", lambda setting, view, dpi: [PNG_MAGIC] * 3)
    assert widgets.show_stepper("4-2", view="scatter") is None
    assert len(shown) == 1 and repr(shown[0]) == "Stepper(preset='4-2', view='scatter', frames=3, static)"


# ----------------------------------------------------------------------------- live stepper
@pytest.fixture()
def live():
    return widgets.stepper("4-4").stepper


def test_live_stepper_starts_on_the_preset(live):
    c = live.controls
    assert (c["stride"].value, c["padding"].value, c["output_padding"].value) == (2, 1, 1)
    assert c["x"].value == "1,2;3,4" and c["kernel"].value == "1,0;0,1"
    assert bytes(c["image"].value).startswith(PNG_MAGIC)
    assert c["step"].max == len(live.frames) - 1 == 9 + FIXED_ZERO_INSERTION - 1
    assert "the same numbers as nn.ConvTranspose2d: True" in c["message"].value


def test_live_stepper_moves_through_steps(live):
    c = live.controls
    first = c["image"].value
    c["step"].value = 7
    assert bytes(c["image"].value) != bytes(first) and bytes(c["image"].value).startswith(PNG_MAGIC)


@pytest.mark.parametrize("control, value, message", [
    ("stride", 1, "output_padding (1) must be smaller than stride (1) or dilation (1)"),
    ("padding", 4, "output size would be"),
    ("x", "1,2;3", "x: every row needs the same number of values"),
    ("kernel", "1,a", "kernel must hold numbers"),
])
def test_live_stepper_shows_error_and_keeps_last_valid_state(live, control, value, message):
    c = live.controls
    c["step"].value = 3
    image, setting, frames = bytes(c["image"].value), live.setting, live.frames
    c[control].value = value
    assert message in c["message"].value and "color" in c["message"].value
    assert bytes(c["image"].value) == image and live.setting == setting and live.frames == frames
    assert c["step"].value == 3


def test_live_stepper_recovers_after_an_error(live):
    c = live.controls
    c["stride"].value = 1                     # invalid with output_padding 1
    c["output_padding"].value = 0             # valid again
    assert live.setting.stride == 1 and live.setting.output_padding == 0
    assert "the same numbers as nn.ConvTranspose2d: True" in c["message"].value
    np.testing.assert_array_equal(live.setting.stages().output, torch_layer_output(live.setting))
    assert c["preset"].value == "custom"


def test_live_stepper_edits_values_sizes_view_and_preset(live):
    c = live.controls
    c["x"].value = "1,2,3;4,5,6;7,8,9"
    assert c["input size"].value == 3 and np.shape(live.setting.x) == (3, 3)
    c["kernel_size"].value = 3
    assert np.shape(live.setting.kernel) == (3, 3)
    np.testing.assert_array_equal(live.setting.stages().output, torch_layer_output(live.setting))
    c["view"].value = "scatter"
    assert len(live.frames) == 9 + 1 and live.view == "scatter"
    c["preset"].value = "dcgan"
    assert (c["kernel_size"].value, c["stride"].value, c["padding"].value) == (4, 2, 1)
    assert live.setting == S.preset("dcgan")


def test_live_stepper_repr_is_stable():
    box = widgets.stepper("4-1", view="scatter")
    assert box._repr_mimebundle_()["text/plain"] == "Stepper(preset='4-1', view='scatter', live)"


@pytest.mark.parametrize("text, shape", [("1,2;3,4", (2, 2)), ("1 2 3", (1, 3)), ("1\n2", (2, 1))])
def test_parse_grid_round_trips(text, shape):
    grid = widgets.parse_grid(text)
    assert grid.shape == shape
    np.testing.assert_array_equal(widgets.parse_grid(widgets.format_grid(grid)), grid)


def test_parse_grid_empty():
    with pytest.raises(ValueError, match="kernel is empty"):
        widgets.parse_grid(" ; ", "kernel")
