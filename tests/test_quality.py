"""Tests for tconv_lib.quality: the independent digit classifiers and the quality figures."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tconv_lib import dcgan, quality, weights
from tconv_lib.data import DigitsDataset

KINDS = ("plain", "strict")


@pytest.fixture(scope="module")
def classifiers():
    return {kind: quality.load_classifier(kind) for kind in KINDS}


@pytest.fixture(scope="module")
def held_out():
    return DigitsDataset("held_out", image_size=16)


@pytest.fixture(scope="module")
def non_digits():
    gen = torch.Generator().manual_seed(123)
    noise = torch.rand(300, 1, 16, 16, generator=gen) * 2 - 1
    blobs = F.interpolate(torch.rand(300, 1, 4, 4, generator=gen) * 2 - 1, size=16, mode="bilinear")
    flat = torch.full((20, 1, 16, 16), -1.0)  # an empty page
    return {"noise": noise, "blobs": blobs, "flat": flat}


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_classifiers_recognise_held_out_digits(classifiers, held_out, kind):
    probs = quality.predict_proba(classifiers[kind], held_out.images)
    accuracy = (probs.argmax(dim=1) == held_out.labels).float().mean().item()
    assert accuracy >= 0.95
    assert quality.confident_share(probs) >= 0.85
    recorded = weights.read_manifest()["classifiers"][kind]
    assert accuracy == pytest.approx(recorded["held_out_accuracy"], abs=1e-4)
    assert recorded["outlier_weight"] == quality.OUTLIER_WEIGHTS[kind]


def test_strict_classifier_is_never_confident_about_non_digits(classifiers, non_digits):
    for images in non_digits.values():
        assert quality.confident_share(quality.predict_proba(classifiers["strict"], images)) < 0.02


def test_plain_classifier_mistakes_some_noise_for_digits(classifiers, non_digits):
    """The weakness the strict classifier exists for (chapter 11 states it)."""
    plain = quality.confident_share(quality.predict_proba(classifiers["plain"], non_digits["noise"]))
    strict = quality.confident_share(quality.predict_proba(classifiers["strict"], non_digits["noise"]))
    assert plain > 0.05 and plain > strict


@pytest.mark.parametrize("kind", KINDS)
def test_classifiers_tolerate_a_lighter_digit(classifiers, held_out, kind):
    lighter = held_out.images * 0.8
    assert quality.confident_share(quality.predict_proba(classifiers[kind], lighter)) > 0.7


def test_confident_share_and_class_shares_by_hand():
    probs = torch.zeros(4, 10)
    probs[0, 0], probs[0, 1:] = 0.95, 0.05 / 9      # confident, class 0
    probs[1, 0], probs[1, 1] = 0.5, 0.5             # not confident; argmax is the first: class 0
    probs[2, 3], probs[2, 4] = 0.91, 0.09           # confident, class 3
    probs[3, 9], probs[3, 0] = 0.85, 0.15           # not confident, class 9
    assert quality.confident_share(probs) == pytest.approx(0.5)
    assert quality.confident_share(probs, threshold=0.5) == pytest.approx(0.75)
    shares = quality.class_shares(probs)
    assert shares.shape == (10,) and shares.sum() == pytest.approx(1.0)
    assert shares.tolist() == [0.5, 0, 0, 0.25, 0, 0, 0, 0, 0, 0.25]


def test_predict_proba_rows_sum_to_one_and_checks_shape(classifiers):
    classifier = classifiers["plain"]
    x = torch.rand(7, 1, 16, 16) * 2 - 1
    probs = quality.predict_proba(classifier, x)
    torch.testing.assert_close(probs.sum(dim=1), torch.ones(7))
    with pytest.raises(ValueError, match="images"):
        quality.predict_proba(classifier, torch.rand(7, 16, 16))
    with pytest.raises(ValueError, match="images"):
        quality.predict_proba(classifier, torch.rand(7, 1, 8, 8))
    with pytest.raises(ValueError, match="images"):
        quality.predict_proba(classifier, torch.rand(7, 3, 32, 32))
    big = F.interpolate(x, scale_factor=2, mode="nearest")           # 32x32, each pixel doubled
    torch.testing.assert_close(quality.predict_proba(classifier, big), probs)


def test_report_target_logic():
    shares = (0.1,) * 10
    assert quality.QualityReport(100, 0.63, 0.9, shares).meets_target          # ratio 0.70
    assert not quality.QualityReport(100, 0.62, 0.9, shares).meets_target      # ratio 0.689
    skewed = (0.039,) + (0.961 / 9,) * 9
    assert not quality.QualityReport(100, 0.9, 0.9, skewed).meets_target       # one class < 4 %
    report = quality.QualityReport(100, 0.45, 0.9, shares)
    assert report.ratio == pytest.approx(0.5) and "ratio 50.0%" in report.summary()
    assert np.isnan(quality.QualityReport(100, 0.5, 0.0, shares).ratio)


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_generator_quality_is_reproduced(classifiers, kind):
    """Measured afresh, the figures recorded in manifest.json come out again."""
    netG = dcgan.load_pretrained_generator()
    report = quality.evaluate_generator(netG, classifiers[kind], num_samples=2000, seed=0)
    recorded = weights.read_manifest()["generator"]["quality"][kind]
    assert report.generated_confident == pytest.approx(recorded["generated_confident"], abs=0.01)
    assert report.real_confident == pytest.approx(recorded["real_confident"], abs=1e-4)
    assert min(report.class_shares) >= quality.TARGET_MIN_CLASS      # no mode collapse, by either measure
    assert report.meets_target == recorded["meets_target"]


def test_shipped_generator_meets_the_target(classifiers):
    """The project's target (issue 6), with the plain classifier: confident share >= 70 % of the real one."""
    report = quality.evaluate_generator(dcgan.load_pretrained_generator(), classifiers["plain"])
    assert report.ratio >= quality.TARGET_RATIO and report.meets_target


def test_untrained_generator_fails_the_target(classifiers):
    torch.manual_seed(0)
    netG, _ = dcgan.build_dcgan("digits32")
    for classifier in classifiers.values():
        report = quality.evaluate_generator(netG.eval(), classifier, num_samples=500)
        assert not report.meets_target


def test_evaluate_generator_is_repeatable_and_leaves_netG_alone(classifiers):
    netG = dcgan.load_pretrained_generator()
    before = {k: v.clone() for k, v in netG.state_dict().items()}
    first = quality.evaluate_generator(netG, classifiers["strict"], num_samples=300, seed=5)
    second = quality.evaluate_generator(netG, "strict", num_samples=300, seed=5)  # by name: the same model
    assert first == second
    assert all(torch.equal(before[k], v) for k, v in netG.state_dict().items())


@pytest.mark.parametrize("outlier_weight", [0.0, 0.5])
def test_train_classifier_is_deterministic(outlier_weight):
    first = quality.train_classifier(num_epochs=1, seed=0, outlier_weight=outlier_weight).state_dict()
    second = quality.train_classifier(num_epochs=1, seed=0, outlier_weight=outlier_weight).state_dict()
    assert all(torch.equal(first[k], second[k]) for k in first)


def test_load_classifier_errors(tmp_path):
    with pytest.raises(ValueError, match="kind"):
        quality.load_classifier("lenient")
    src = weights.weights_dir() / quality.CLASSIFIER_FILES["strict"]
    bad = tmp_path / src.name
    bad.write_bytes(src.read_bytes()[:-10])  # truncated
    with pytest.raises(weights.CheckpointError, match="SHA-256 mismatch"):
        quality.load_classifier("strict", bad)
    gen = weights.weights_dir() / dcgan.GENERATOR_FILE
    with pytest.raises(weights.CheckpointError, match="DigitClassifier"):
        quality.load_classifier("plain", gen)  # a valid file, but the generator's
