"""The chapter-12 answer checks: right answers pass, typical wrong answers fail with the right hint."""
import torch
import torch.nn.functional as F
from torch import nn

from tconv_lib.exercises import Missing
from tconv_lib.exercises import _decoders as X
from tconv_lib.foundations.arithmetic import conv_output_size
from tconv_lib.real_models import decoders as D


# ----------------------------------------------------------------------------- encoder sizes
def encoder_sizes(size, depth, kernel_size=3, stride=2, padding=1):
    sizes = [size]
    for _ in range(depth):
        sizes.append(conv_output_size(sizes[-1], kernel_size, stride, padding))
    return sizes


def test_encoder_sizes_right_answers_pass(capsys):
    assert X.check_encoder_sizes(encoder_sizes)
    assert X.check_encoder_sizes(lambda size, depth, **k: [h for h, _ in D.plan_decoder(size, depth, **k).sizes])
    assert "all 26 cases passed" in capsys.readouterr().out


def test_encoder_sizes_wrong_answers_get_hints(capsys):
    halving = X.check_encoder_sizes(lambda size, depth, kernel_size=3, stride=2, padding=1:
                                    [size // stride ** i for i in range(depth + 1)])
    assert not halving and halving.cases == 1 and "ignores kernel_size and padding" in halving.hint
    ceil = X.check_encoder_sizes(lambda size, depth, kernel_size=3, stride=2, padding=1:
                                 [-(-size // stride ** i) for i in range(depth + 1)])
    assert not ceil and ceil.cases > 2 and "level" in ceil.hint and "size formula" in ceil.hint
    short = X.check_encoder_sizes(lambda *a, **k: encoder_sizes(*a, **k)[1:])
    assert not short and "expected 4" in short.hint
    floats = X.check_encoder_sizes(lambda *a, **k: [float(v) for v in encoder_sizes(*a, **k)])
    assert not floats and "must be an int" in floats.hint
    assert "no answer yet" in X.check_encoder_sizes(Missing("encoder_sizes")).hint
    assert "FAILED on case 1" in capsys.readouterr().out


# ----------------------------------------------------------------------------- output_padding
def decoder_output_padding(size, depth, kernel_size=3, stride=2, padding=1):
    plan = D.plan_decoder(size, depth, kernel_size, stride, padding)
    return [op[0] for op in plan.output_paddings]


def test_decoder_output_padding_right_answer_passes():
    assert X.check_decoder_output_padding(decoder_output_padding)


def test_decoder_output_padding_wrong_answers_get_hints():
    zeros = X.check_decoder_output_padding(lambda size, depth, **k: [0] * depth)
    assert not zeros and zeros.cases == 1 and "at level 3" in zeros.hint and "gives 9" in zeros.hint
    ones = X.check_decoder_output_padding(lambda size, depth, **k: [1] * depth)
    assert not ones and ones.cases == 1 and "at level 2" in ones.hint  # 10 -> 20, but the skip has 19
    reversed_order = X.check_decoder_output_padding(lambda *a, **k: decoder_output_padding(*a, **k)[::-1])
    assert not reversed_order and "encoder order" in reversed_order.hint
    too_big = X.check_decoder_output_padding(lambda size, depth, stride=2, **k: [stride] * depth)
    assert not too_big and "smaller than the stride" in too_big.hint
    parity = X.check_decoder_output_padding(  # right only for the chapter's layer
        lambda size, depth, **k: [1 - h % 2 for h, _ in D.plan_decoder(size, depth).sizes[:-1]][::-1])
    assert not parity and parity.cases > 2


# ----------------------------------------------------------------------------- centre crop
def crop_by_slicing(x, size):
    """Exercise 12.3 answered by slicing (the library's own center_crop is forbidden in the answer)."""
    top, left = (x.shape[-2] - size[0]) // 2, (x.shape[-1] - size[1]) // 2
    return x[..., top:top + size[0], left:left + size[1]]


def test_center_crop_right_answer_passes():
    assert X.check_center_crop(crop_by_slicing)


def test_center_crop_library_answer_is_refused_with_a_reason(capsys):
    result = X.check_center_crop(D.center_crop)
    assert not result and "center_crop" in result.hint and "score 0" in capsys.readouterr().out


def test_center_crop_wrong_answers_get_hints():
    top_left = X.check_center_crop(lambda x, size: x[..., :size[0], :size[1]])
    # case 1 (10x12 -> 9x11) has odd margins, where the top-left crop is the centre crop
    assert not top_left and top_left.cases == 2 and "top-left" in top_left.hint

    def rounds_up(x, size):
        H, W = x.shape[-2:]
        top, left = H - size[0] - (H - size[0]) // 2, W - size[1] - (W - size[1]) // 2
        return x[..., top:top + size[0], left:left + size[1]]
    odd = X.check_center_crop(rounds_up)
    assert not odd and "bottom and right" in odd.hint
    swapped = X.check_center_crop(lambda x, size: D.center_crop(x, size[::-1]) if size[0] <= x.shape[-1] and
                                  size[1] <= x.shape[-2] else x)
    assert not swapped and "shape" in swapped.hint
    numpy = X.check_center_crop(lambda x, size: D.center_crop(x, size).numpy())
    assert not numpy and "return a tensor" in numpy.hint


# ----------------------------------------------------------------------------- any-size U-Net
class TwoLevelUNet(nn.Module):
    """A minimal U-Net; ``fix`` decides whether the decoder passes output_size."""

    def __init__(self, fix=True, transposed=True):
        super().__init__()
        self.fix = fix
        self.enc = nn.Conv2d(1, 4, 3, padding=1)
        self.down1 = nn.Conv2d(4, 4, 3, stride=2, padding=1)
        self.down2 = nn.Conv2d(4, 4, 3, stride=2, padding=1)
        self.up2 = nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1) if transposed else None
        self.up1 = nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1) if transposed else None
        self.out = nn.Conv2d(8, 1, 1)

    def forward(self, x):
        s0 = self.enc(x)
        s1 = self.down1(s0)
        h = self.down2(s1)
        if self.up2 is None:
            h = F.interpolate(h, size=s1.shape[-2:])
            h = F.interpolate(torch.cat([h, s1], 1)[:, :4], size=s0.shape[-2:])
            return self.out(torch.cat([h, s0], 1))
        h = self.up2(h, output_size=s1.shape[-2:]) if self.fix else self.up2(h)
        h = torch.cat([h, s1], 1)
        h = self.up1(h, output_size=s0.shape[-2:]) if self.fix else self.up1(h)
        return self.out(torch.cat([h, s0], 1))


def test_any_size_unet_right_answer_passes():
    torch.manual_seed(0)
    model = TwoLevelUNet()
    state = torch.random.get_rng_state()
    assert X.check_any_size_unet(model)
    assert torch.equal(state, torch.random.get_rng_state())  # the check does not move the reader's RNG


def test_any_size_unet_wrong_answers_get_hints():
    broken = X.check_any_size_unet(TwoLevelUNet(fix=False))
    assert not broken and broken.cases == 1 and "37x45" in broken.hint and "Sizes of tensors" in broken.hint
    no_transpose = X.check_any_size_unet(TwoLevelUNet(transposed=False))
    assert not no_transpose and "no nn.ConvTranspose2d" in no_transpose.hint
    shrinking = nn.Sequential(nn.Conv2d(1, 1, 3), nn.ConvTranspose2d(1, 1, 1))
    result = X.check_any_size_unet(shrinking)
    assert not result and "(2, C, 37, 45)" in result.hint
    assert "pass an nn.Module" in X.check_any_size_unet(lambda x: x).hint


def test_other_seeds_draw_other_cases_and_keep_the_verdicts():
    assert X.check_encoder_sizes(encoder_sizes, seed=1009)
    assert X.check_decoder_output_padding(decoder_output_padding, seed=1009)
    assert X.check_center_crop(crop_by_slicing, seed=1009)
    assert not X.check_decoder_output_padding(lambda size, depth, **k: [1] * depth, seed=1009)
    first = X.check_center_crop(lambda x, size: x[..., :size[0], :size[1]], seed=1009)
    assert not first and first.cases == 2  # the chapter's examples come first whatever the seed
