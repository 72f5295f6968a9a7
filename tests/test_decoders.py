"""tconv_lib.real_models.decoders against real encoder/decoder layers (nn.Conv2d, nn.MaxPool2d, nn.ConvTranspose2d)."""
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from tconv_lib.real_models import decoders as D

sizes = st.integers(1, 80)


def _torch_refuses(run) -> bool:
    """True when PyTorch raises, or returns an empty map (it does both for impossible sizes)."""
    try:
        out = run()
    except (RuntimeError, ValueError):
        return True
    return out.numel() == 0


def _encoder_maps(x, depth, k, s, p, d=1):
    """Run ``depth`` real Conv2d layers; return the maps [input, level 1, ..., bottleneck]."""
    maps = [x]
    for _ in range(depth):
        maps.append(nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)(maps[-1]))
    return maps


@settings(max_examples=150, deadline=None)
@given(h=sizes, w=sizes, depth=st.integers(0, 5), k=st.integers(1, 5), s=st.integers(1, 3),
       p=st.integers(0, 2), d=st.integers(1, 2))
def test_planned_output_padding_matches_every_skip(h, w, depth, k, s, p, d):
    try:
        plan = D.plan_decoder((h, w), depth, kernel_size=k, stride=s, padding=p, dilation=d)
    except ValueError as exc:
        if "too small" in str(exc):
            with pytest.raises(RuntimeError):  # the real encoder fails too: a map shrinks to nothing
                _encoder_maps(torch.zeros(1, 1, h, w), depth, k, s, p, d)
            return
        level = int(str(exc).split()[1].rstrip(":"))  # no output_padding reaches the skip's size
        maps = _encoder_maps(torch.zeros(1, 1, h, w), level, k, s, p, d)
        layer = nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, dilation=d)
        assert _torch_refuses(lambda: layer(maps[level], output_size=maps[level - 1].shape[-2:]))
        return
    with torch.no_grad():
        maps = _encoder_maps(torch.zeros(1, 1, h, w), depth, k, s, p, d)
        assert plan.sizes == [tuple(m.shape[-2:]) for m in maps]
        for level, op in zip(reversed(plan.levels), plan.output_paddings):
            below, skip = maps[level.index], maps[level.index - 1]
            layer = nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op, dilation=d, bias=False)
            up = layer(below)
            assert up.shape == skip.shape
            # forward(output_size=...) picks the same output_padding: identical values
            plain = nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
            plain.weight.copy_(layer.weight)
            torch.testing.assert_close(plain(below, output_size=skip.shape), up, rtol=0, atol=0)
            if min(level.default_size) > 0:
                assert tuple(plain(below).shape[-2:]) == level.default_size
            else:  # 0 in the plan: without output_padding PyTorch has no map to give
                assert _torch_refuses(lambda plain=plain, below=below: plain(below))


@settings(max_examples=120, deadline=None)
@given(h=sizes, w=sizes, depth=st.integers(1, 4), k=st.integers(1, 4), s=st.integers(2, 3),
       p=st.integers(0, 1), up_k=st.integers(1, 5), up_p=st.integers(0, 2))
def test_different_decoder_layers_match_or_raise_like_torch(h, w, depth, k, s, p, up_k, up_p):
    try:
        plan = D.plan_decoder((h, w), depth, k, s, p, up_kernel_size=up_k, up_padding=up_p)
    except ValueError as exc:
        if "too small" in str(exc):
            return
        level = int(str(exc).split()[1].rstrip(":"))
        maps = _encoder_maps(torch.zeros(1, 1, h, w), level, k, s, p)
        layer = nn.ConvTranspose2d(1, 1, up_k, stride=s, padding=up_p)
        # PyTorch cannot reach that skip size either
        assert _torch_refuses(lambda: layer(maps[level], output_size=maps[level - 1].shape[-2:]))
        return
    maps = _encoder_maps(torch.zeros(1, 1, h, w), depth, k, s, p)
    for level in plan.levels:
        layer = nn.ConvTranspose2d(1, 1, up_k, stride=s, padding=up_p, output_padding=level.output_padding)
        assert layer(maps[level.index]).shape == maps[level.index - 1].shape


@settings(max_examples=60, deadline=None)
@given(h=st.integers(16, 80), w=st.integers(16, 80), depth=st.integers(1, 4))
def test_maxpool_encoder_has_the_same_plan(h, w, depth):
    x, sizes_seen = torch.zeros(1, 1, h, w), [(h, w)]
    for _ in range(depth):
        x = nn.MaxPool2d(2)(x)
        sizes_seen.append(tuple(x.shape[-2:]))
    assert D.plan_decoder((h, w), depth, kernel_size=2, stride=2, padding=0).sizes == sizes_seen


def test_chapter_example_37_by_45():
    plan = D.plan_decoder((37, 45), 3)
    assert plan.sizes == [(37, 45), (19, 23), (10, 12), (5, 6)]
    assert plan.output_paddings == [(1, 1), (0, 0), (0, 0)]
    assert plan.levels[-1].output_size == (10, 12) and plan.bottleneck_size == (5, 6)
    assert plan.needs_output_padding and D.plan_decoder(64, 3).output_paddings == [(1, 1)] * 3
    assert not D.plan_decoder(64, 3, kernel_size=2, padding=0).needs_output_padding
    assert plan.table().splitlines()[1].split() == ["3", "5x6", "9x11", "10x12", "(1,", "1)"]


def test_plan_errors_name_the_problem():
    with pytest.raises(ValueError, match="depth must be"):
        D.plan_decoder(37, -1)
    with pytest.raises(ValueError, match="too small for depth 6"):
        D.plan_decoder(5, 6, kernel_size=2, padding=0)
    with pytest.raises(ValueError, match=r"level 1: .*never the skip's 37.*kernel_size=3, stride=2, padding=1"):
        D.plan_decoder(37, 2, up_kernel_size=4)
    with pytest.raises(ValueError, match="padding must be non-negative"):
        D.plan_decoder(37, 2, padding=-1)


@settings(max_examples=60, deadline=None)
@given(h=st.integers(1, 50), w=st.integers(1, 50), m=st.integers(1, 16))
def test_pad_to_multiple_and_crop_back(h, w, m):
    x = torch.arange(h * w, dtype=torch.float64).reshape(1, 1, h, w)
    padded = D.pad_to_multiple(x, m, mode="replicate")
    assert padded.shape[-2] % m == 0 and padded.shape[-1] % m == 0
    assert tuple(padded.shape[-2:]) == D.padded_size((h, w), m)
    assert padded.shape[-2] - h < m and padded.shape[-1] - w < m
    torch.testing.assert_close(D.crop_to(padded, x.shape), x)
    assert D.padded_size(h, m) == padded.shape[-2]


@settings(max_examples=60, deadline=None)
@given(H=st.integers(1, 30), W=st.integers(1, 30), data=st.data())
def test_center_crop_matches_slicing_and_is_centred(H, W, data):
    h, w = data.draw(st.integers(1, H)), data.draw(st.integers(1, W))
    x = torch.randn(2, 3, H, W, dtype=torch.float64)
    out = D.center_crop(x, (h, w))
    top, left = (H - h) // 2, (W - w) // 2
    torch.testing.assert_close(out, x[:, :, top:top + h, left:left + w])
    # the margins differ by at most one, the extra one at the bottom / right
    assert 0 <= (H - h - top) - top <= 1 and 0 <= (W - w - left) - left <= 1
    assert D.center_crop(x, torch.zeros(1, 1, h, w).shape).shape == out.shape


def test_crops_refuse_to_enlarge():
    x = torch.zeros(1, 1, 4, 5)
    with pytest.raises(ValueError, match="cannot enlarge"):
        D.center_crop(x, (5, 5))
    with pytest.raises(ValueError, match="must not exceed"):
        D.crop_to(x, (4, 6))
    with pytest.raises(ValueError, match="multiple must be positive"):
        D.padded_size(4, 0)
