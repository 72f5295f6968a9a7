"""Every answer check passes a right answer and fails wrong ones with a hint, never crashing."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from tconv_lib import exercises
from tconv_lib.exercises import CheckResult
from tconv_lib.foundations import arithmetic, reference


# ----------------------------------------------------------------------------- answers
def scatter(x, kernel, stride, padding):
    """A right answer to the scatter exercise, written independently of tconv_lib."""
    (h, w), (kh, kw) = x.shape, kernel.shape
    full = np.zeros(((h - 1) * stride + kh, (w - 1) * stride + kw))
    for i in range(h):
        for j in range(w):
            full[i * stride:i * stride + kh, j * stride:j * stride + kw] += x[i, j] * kernel
    return full[padding:full.shape[0] - padding, padding:full.shape[1] - padding]


def zero_insert(x, stride):
    out = np.zeros(((x.shape[0] - 1) * stride + 1, (x.shape[1] - 1) * stride + 1), dtype=x.dtype)
    out[::stride, ::stride] = x
    return out


def not_implemented(*args, **kwargs):
    raise NotImplementedError()


def returns_none(*args, **kwargs):
    return None


def by_zero_insertion(x, kernel, stride, padding, flip=(0, 1), border=None, crop=None):
    """The zero-insertion exercise's answer, with switches for the typical mistakes."""
    kh, kw = kernel.shape
    bh, bw = (kh - 1, kw - 1) if border is None else border
    grid = np.pad(zero_insert(x, stride), ((bh, bh), (bw, bw)))
    k = np.flip(kernel, axis=flip) if flip else kernel
    out = np.array([[np.sum(grid[r:r + kh, c:c + kw] * k) for c in range(grid.shape[1] - kw + 1)]
                    for r in range(grid.shape[0] - kh + 1)]).reshape(grid.shape[0] - kh + 1, -1)
    if crop == "negative":  # out[p:-p], empty when p == 0
        return out[padding:-padding, padding:-padding]
    return out[padding:out.shape[0] - padding, padding:out.shape[1] - padding]


def generator_28(latent=16, bias=True, batchnorm=False, last=nn.Sigmoid):
    layers = [nn.ConvTranspose2d(latent, 8, 7, 1, 0, bias=bias)]
    layers += [nn.BatchNorm2d(8)] if batchnorm else []
    layers += [nn.ReLU(), nn.ConvTranspose2d(8, 4, 4, 2, 1, bias=bias)]
    layers += [nn.BatchNorm2d(4)] if batchnorm else []
    layers += [nn.ReLU(), nn.ConvTranspose2d(4, 1, 4, 2, 1, bias=bias), last()]
    return nn.Sequential(*layers)


RIGHT = {
    "check_output_size": (arithmetic.conv_transpose_output_size,),
    "check_zero_insert": (zero_insert,),
    "check_conv_transpose2d": (scatter,),
    "check_conv_matrix": (lambda k, n, s: conv_matrix_by_hand(k, n, s),),
    "check_round_trip_output_padding": (lambda n, k, s, p: (n + 2 * p - k) % s,),
    "check_even_overlap": (4, 2),
    "check_generator_1_to_28": (generator_28(),),
    "check_dcgan_generator": (generator_28(20, bias=False, batchnorm=True, last=nn.Tanh), 28),
    "check_upsampler": (nn.Sequential(nn.Conv2d(3, 12, 3, padding=1), nn.PixelShuffle(2)), 28, 56),
    "check_shape_by_hand": ((1, 2, 7, 7), nn.ConvTranspose2d(1, 2, 3, stride=2), (1, 1, 3, 3)),
}

# name -> list of (why it is wrong, args, regex the hint must match)
# (the library's own conv2d_matrix is forbidden in the answer: the checks enforce build-it-yourself)
WRONG = {
    "check_output_size": [
        ("forgets padding", (lambda n, k, stride=1, padding=0, output_padding=0, dilation=1:
                             (n - 1) * stride + dilation * (k - 1) + output_padding + 1,), "padding"),
        ("off by one", (lambda n, k, stride=1, padding=0, output_padding=0, dilation=1:
                        arithmetic.conv_transpose_output_size(n, k, stride, padding, output_padding, dilation) + 1,),
         "PyTorch gives"),
        ("ignores dilation", (lambda n, k, stride=1, padding=0, output_padding=0, dilation=1:
                              arithmetic.conv_transpose_output_size(n, k, stride, padding, output_padding),), "dilation"),
        ("no dilation argument", (lambda n, k, stride=1, padding=0, output_padding=0:
                                  arithmetic.conv_transpose_output_size(n, k, stride, padding, output_padding),),
         "unexpected keyword argument 'dilation'"),
        ("returns a float", (lambda *a, **kw: float(arithmetic.conv_transpose_output_size(*a, **kw)),), "return an int"),
        ("not implemented", (not_implemented,), "NotImplementedError"),
        ("returns None", (returns_none,), "forget the `return`"),
        ("not answered", (exercises.Missing("output_size"),), "no answer yet: `output_size` is not defined"),
    ],
    "check_zero_insert": [
        ("zeros after the last value too", (lambda x, s: np.kron(x, np.eye(1, s * s).reshape(s, s)),), "shape"),
        ("stride zeros instead of stride - 1", (lambda x, s: zero_insert(x, s + 1),), "shape"),
        ("wrong dtype", (lambda x, s: zero_insert(x, s).astype(np.float16),), "dtype"),
        ("rows upside down", (lambda x, s: zero_insert(x, s)[::-1],), "wrong value"),
        ("zeros everywhere", (lambda x, s: np.zeros_like(zero_insert(x, s)),), "wrong value"),
        ("a list", (lambda x, s: zero_insert(x, s).tolist(),), "NumPy array"),
        ("not implemented", (not_implemented,), "NotImplementedError"),
        ("returns None", (returns_none,), "`return` statement"),
    ],
    "check_conv_transpose2d": [
        ("flipped kernel", (lambda x, k, s, p: scatter(x, k[::-1, ::-1], s, p),), "your kernel is flipped: the scatter"),
        ("zero insertion, no flip", (lambda x, k, s, p: by_zero_insertion(x, k, s, p, flip=()), "zero_insertion"),
         "your kernel is not flipped: in the zero-insertion view"),
        ("zero insertion, rows flipped only", (lambda x, k, s, p: by_zero_insertion(x, k, s, p, flip=(0,)),
                                               "zero_insertion"), "flipped along one axis only"),
        ("zero insertion, border of kH", (lambda x, k, s, p: by_zero_insertion(x, k, s, p, border=k.shape),
                                          "zero_insertion"), "returned shape"),
        ("zero insertion, out[p:-p]", (lambda x, k, s, p: by_zero_insertion(x, k, s, p, crop="negative"),
                                       "zero_insertion"), r"out\[0:-0\] is empty"),
        ("zero insertion, stride zeros", (lambda x, k, s, p: by_zero_insertion(x, k, s + 1, p), "zero_insertion"),
         "returned shape"),
        ("ignores padding", (lambda x, k, s, p: scatter(x, k, s, 0),), "shape"),
        ("crops one side only", (lambda x, k, s, p: scatter(x, k, s, 0)[2 * p:, 2 * p:],), "wrong value"),
        ("plain convolution", (lambda x, k, s, p: reference.conv2d(x[None], k[None, None], padding=p)[0],),
         "shape|wrong value"),
        ("not implemented", (not_implemented,), "NotImplementedError"),
        ("returns None", (returns_none,), "None"),
        ("string", (lambda *a: "done",), "NumPy array"),
    ],
    "check_conv_matrix": [
        ("transposed matrix", (lambda k, n, s: reference.conv2d_matrix(k, n, s).T,), "shape"),
        ("ignores stride", (lambda k, n, s: reference.conv2d_matrix(k, n, 1),), "shape"),
        ("flipped kernel", (lambda k, n, s: reference.conv2d_matrix(k[::-1, ::-1], n, s),), "wrong value"),
        ("rows reversed", (lambda k, n, s: reference.conv2d_matrix(k, n, s)[::-1],), "reverse order"),
        ("not implemented", (not_implemented,), "NotImplementedError"),
        ("returns None", (returns_none,), "None"),
    ],
    "check_round_trip_output_padding": [
        ("always 1", (lambda n, k, s, p: 1,), "round trip gives size|rejects"),
        ("off by one", (lambda n, k, s, p: (n + 2 * p - k) % s + 1,), "round trip gives size|rejects"),
        ("forgets padding", (lambda n, k, s, p: (n - k) % s,), "round trip gives size"),
        ("float", (lambda n, k, s, p: 0.0,), "return an int"),
        ("not implemented", (not_implemented,), "NotImplementedError"),
        ("returns None", (returns_none,), "None"),
    ],
    "check_even_overlap": [
        ("k not divisible by s", (3, 2), "vary"),
        ("kernel smaller than stride", (1, 2), "vary"),
        ("stride 1 does not upsample", (4, 1), "stride"),
        ("not an int", (None, 2), "kernel_size"),
    ],
    "check_generator_1_to_28": [
        ("not answered", (exercises.Missing("model_1_to_28"),), "no answer yet"),
        ("ends at 26", (nn.Sequential(nn.ConvTranspose2d(16, 8, 7), nn.ConvTranspose2d(8, 4, 3, 2, 1),
                                      nn.ConvTranspose2d(4, 1, 4, 2, 1)),), r"\(2, 1, 26, 26\)[\s\S]*ConvTranspose2d"),
        ("channel mismatch", (nn.Sequential(nn.ConvTranspose2d(16, 8, 7), nn.ConvTranspose2d(4, 1, 4, 4)),),
         "raised RuntimeError"),
        ("no ConvTranspose2d", (nn.Sequential(nn.Upsample(scale_factor=28)),), "no nn.ConvTranspose2d layer"),
        ("None", (None,), "your model is None: assign your answer"),
    ],
    "check_dcgan_generator": [
        ("wrong size", (generator_28(20, bias=False, batchnorm=True, last=nn.Tanh), 32), "shape"),
        ("bias", (generator_28(20, bias=True, batchnorm=True, last=nn.Tanh), 28), "bias"),
        ("no batchnorm", (generator_28(20, bias=False, batchnorm=False, last=nn.Tanh), 28), "BatchNorm2d"),
        ("no tanh", (generator_28(20, bias=False, batchnorm=True, last=nn.Identity), 28), r"\[-1, 1\]"),
        ("sigmoid", (generator_28(20, bias=False, batchnorm=True, last=nn.Sigmoid), 28),
         r"Sigmoid keeps outputs in \[0, 1\].*\[-1, 1\]"),
        ("latent_dim 100 for 32", (generator_28(100, bias=False, batchnorm=True, last=nn.Tanh), 28, 32),
         "takes 100 latent channels.*latent_dim=32"),
        ("BatchNorm on the output", (nn.Sequential(*generator_28(20, bias=False, batchnorm=True, last=nn.Tanh)[:-1],
                                                   nn.BatchNorm2d(1), nn.Tanh()), 28), "output layer"),
        ("not answered", (exercises.Missing("netG"), 28), "no answer yet: `netG`"),
        ("not a module", ("netG", 64), "nn.Module"),
    ],
    "check_upsampler": [
        ("PixelShuffle(3) on 3 channels", (nn.Sequential(nn.Conv2d(3, 3, 1), nn.PixelShuffle(3)), 28, 56),
         "raised RuntimeError: pixel_shuffle expects"),
        ("one pixel short", (nn.ConvTranspose2d(3, 3, 3, 2, 1), 28, 56), r"\(2, 3, 55, 55\)"),
        ("no convolution", (nn.Upsample(scale_factor=2), 28, 56), "no convolution"),
        ("not a module", (lambda x: x, 28, 56), "nn.Module"),
        ("not answered", (exercises.Missing("decoder"), 32, 64), "no answer yet: `decoder` is not defined"),
    ],
    "check_shape_by_hand": [
        ("too small", ((1, 2, 6, 7), nn.ConvTranspose2d(1, 2, 3, stride=2), (1, 1, 3, 3)), "H is too small"),
        ("channels of the input", ((1, 1, 7, 7), nn.ConvTranspose2d(1, 2, 3, stride=2), (1, 1, 3, 3)), "C is too small"),
        ("just a number", (7, nn.ConvTranspose2d(1, 2, 3, stride=2), (1, 1, 3, 3)), "tuple"),
        ("three numbers", ((2, 7, 7), nn.ConvTranspose2d(1, 2, 3, stride=2), (1, 1, 3, 3)), "4 dimensions"),
        ("floats", ((1, 2, 7.0, 7.0), nn.ConvTranspose2d(1, 2, 3, stride=2), (1, 1, 3, 3)), "int"),
        ("None", (None, nn.ConvTranspose2d(1, 2, 3, stride=2), (1, 1, 3, 3)), "assign your answer"),
        ("not answered", (exercises.Missing("shape"), nn.ConvTranspose2d(1, 2, 3, stride=2), (1, 1, 3, 3)),
         "no answer yet: `shape` is not defined"),
    ],
}
MODEL_CHECKS = {"check_generator_1_to_28", "check_dcgan_generator", "check_upsampler"}
# This file covers the checks of chapters 1-11; the later parts' checks have their own files.
OWN_FILES = {"tconv_lib.exercises._decoders": "test_exercises_decoders.py",
             "tconv_lib.exercises._beyond": "test_exercises_beyond.py"}
ALL_CHECKS = sorted(name for name in dir(exercises)
                    if name.startswith("check_") and getattr(exercises, name).__module__ not in OWN_FILES)


def test_every_check_is_tested():
    assert ALL_CHECKS == sorted(RIGHT) == sorted(WRONG)
    for name in dir(exercises):
        module = getattr(getattr(exercises, name), "__module__", "")
        if name.startswith("check_") and module in OWN_FILES:
            assert name in (Path(__file__).parent / OWN_FILES[module]).read_text(), (name, OWN_FILES[module])


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_right_answer_passes(name, capsys):
    result = getattr(exercises, name)(*RIGHT[name])
    out = capsys.readouterr().out
    assert isinstance(result, CheckResult) and result and result.passed
    assert result.failed_case is None and result.hint is None
    assert (f"all {result.cases} cases passed" if result.cases > 1 else f"{name}: passed") in out
    # models: five batches; one hand-computed shape; functions: the example + >= 20 random cases
    minimum = 1 if name == "check_shape_by_hand" else 5 if name in MODEL_CHECKS else 21
    assert result.cases >= minimum


@pytest.mark.parametrize("name,why,args,pattern",
                         [(n, w, a, p) for n, cases in WRONG.items() for w, a, p in cases])
def test_wrong_answer_fails_with_hint(name, why, args, pattern, capsys):
    result = getattr(exercises, name)(*args)
    out = capsys.readouterr().out
    assert not result and result.passed is False, why
    assert result.hint and re.search(pattern, result.hint), (why, result.hint)
    assert result.failed_case and result.failed_case in out and "hint:" in out
    assert f"case {result.cases}" in out


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_output_is_deterministic_and_repr_is_clean(name, capsys):
    args = WRONG[name][0][1]
    first = getattr(exercises, name)(*args)
    out1 = capsys.readouterr().out
    second = getattr(exercises, name)(*args)
    assert out1 == capsys.readouterr().out and first == second
    assert not re.search(r"0x[0-9a-fA-F]{6,}", repr(first) + out1)
    assert repr(first).startswith("CheckResult(passed=False")


def test_hints_do_not_reveal_the_formula():
    """A failing size check names a parameter to revisit, never the formula itself."""
    result = exercises.check_output_size(WRONG["check_output_size"][0][1][0])
    assert "*" not in result.hint and "dilation * " not in result.hint
    assert "padding" in result.hint


def test_failed_case_is_the_first_wrong_one():
    """An answer that is right without stride fails on the first strided case, and says so."""
    def no_stride(n, k, stride=1, padding=0, output_padding=0, dilation=1):
        return arithmetic.conv_transpose_output_size(n, k, 1, padding, output_padding, dilation)
    result = exercises.check_output_size(no_stride)
    assert "stride" in result.hint and result.cases > 1


def test_generator_check_keeps_training_mode_and_rng():
    model = generator_28(20, bias=False, batchnorm=True, last=nn.Tanh).train()
    torch.manual_seed(0)
    before = torch.random.get_rng_state()
    assert exercises.check_dcgan_generator(model, 28)
    assert exercises.check_round_trip_output_padding(RIGHT["check_round_trip_output_padding"][0])
    assert model.training
    assert torch.equal(before, torch.random.get_rng_state())
    bn = model[1]
    assert int(bn.num_batches_tracked) == 0  # eval mode: running statistics untouched


@pytest.mark.parametrize("only", [("stride",), ("stride", "padding"), ("padding", "output_padding")])
def test_output_size_only_some_parameters(only, capsys):
    """``only`` restricts the keywords passed, so an early-chapter answer can pass."""
    def partial(n, k, **kwargs):
        assert set(kwargs) <= set(only)
        return arithmetic.conv_transpose_output_size(n, k, **kwargs)
    result = exercises.check_output_size(partial, only=only)
    assert result and result.cases >= 21
    assert not exercises.check_output_size(partial, only=("dilation",) + only)


def test_checks_accept_torch_tensors_and_ints_of_numpy():
    assert exercises.check_zero_insert(lambda x, s: torch.from_numpy(zero_insert(x, s)))
    assert exercises.check_output_size(lambda *a, **k: np.int64(arithmetic.conv_transpose_output_size(*a, **k)))


def test_zero_insertion_right_answer_passes_with_its_method():
    assert exercises.check_conv_transpose2d(by_zero_insertion, method="zero_insertion")
    with pytest.raises(ValueError, match="method"):
        exercises.check_conv_transpose2d(scatter, method="gather")


def test_answer_looks_up_the_callers_names():
    shape = (1, 2, 3, 4)
    assert exercises.answer("shape") == shape
    missing = exercises.answer("surely_not_defined_here")
    assert isinstance(missing, exercises.Missing) and "surely_not_defined_here" in repr(missing)
    with pytest.raises(ValueError, match="identifier"):
        exercises.answer("not a name")



@pytest.mark.parametrize("seed", [1009, 2024, 7])
def test_right_answers_pass_with_other_seeds(seed):
    """The grading bundle's hidden tests re-run the checks with another seed: every draw must be valid."""
    assert exercises.check_conv_transpose2d(scatter, seed=seed)
    assert exercises.check_conv_transpose2d(by_zero_insertion, method="zero_insertion", seed=seed)
    assert exercises.check_zero_insert(zero_insert, seed=seed)
    assert exercises.check_conv_matrix(RIGHT["check_conv_matrix"][0], seed=seed)
    assert exercises.check_round_trip_output_padding(RIGHT["check_round_trip_output_padding"][0], seed=seed)
    assert exercises.check_output_size(arithmetic.conv_transpose_output_size, seed=seed)


def conv_matrix_by_hand(kernel, n, stride):
    """The convolution matrix built with NumPy, as exercise 1.3 asks (the library's own is forbidden there)."""
    kh, kw = kernel.shape
    oh, ow = (n - kh) // stride + 1, (n - kw) // stride + 1
    m = np.zeros((oh * ow, n * n))
    for r in range(oh):
        for c in range(ow):
            window = np.zeros((n, n))
            window[r * stride:r * stride + kh, c * stride:c * stride + kw] = kernel
            m[r * ow + c] = window.ravel()
    return m
