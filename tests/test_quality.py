"""Tests for tconv_lib.gan.quality: the independent digit classifiers and the quality figures."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tconv_lib.gan import checkpoint, dcgan, diversity, evaluation, quality, weights
from tconv_lib.gan.data import DigitsDataset

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


def test_report_ratio_and_summary():
    shares = (0.1,) * 10
    report = quality.QualityReport(100, 0.45, 0.9, shares)
    assert report.ratio == pytest.approx(0.5) and "ratio 50.0%" in report.summary()
    skewed = (0.039,) + (0.961 / 9,) * 9
    assert "rarest class: digit 0 with 3.9%" in quality.QualityReport(100, 0.9, 0.9, skewed).summary()
    assert np.isnan(quality.QualityReport(100, 0.5, 0.0, shares).ratio)


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_generator_quality_is_reproduced(classifiers, kind):
    """Measured afresh, the figures recorded in manifest.json come out again."""
    netG = checkpoint.load_pretrained_generator()
    report = quality.evaluate_generator(netG, classifiers[kind], num_samples=2000, seed=0)
    recorded = weights.read_manifest()["generator"]["quality"][kind]
    assert report.generated_confident == pytest.approx(recorded["generated_confident"], abs=0.01)
    assert report.real_confident == pytest.approx(recorded["real_confident"], abs=1e-4)
    assert report.ratio == pytest.approx(recorded["ratio"], abs=0.01)
    assert min(report.class_shares) > 0.03      # every digit is drawn: no mode collapse, by either measure


def test_untrained_generator_scores_far_below_the_shipped_one(classifiers):
    torch.manual_seed(0)
    netG, _ = dcgan.build_dcgan("digits32")
    for kind, classifier in classifiers.items():
        report = quality.evaluate_generator(netG.eval(), classifier, num_samples=500)
        assert report.ratio < weights.read_manifest()["generator"]["quality"][kind]["ratio"] / 2


def test_evaluate_generator_is_repeatable_and_leaves_netG_alone(classifiers):
    netG = checkpoint.load_pretrained_generator()
    before = {k: v.clone() for k, v in netG.state_dict().items()}
    first = quality.evaluate_generator(netG, classifiers["strict"], num_samples=300, seed=5)
    second = quality.evaluate_generator(netG, "strict", num_samples=300, seed=5)  # by name: the same model
    assert first == second
    assert all(torch.equal(before[k], v) for k, v in netG.state_dict().items())


@pytest.mark.slow
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
    gen = weights.weights_dir() / checkpoint.GENERATOR_FILE
    with pytest.raises(weights.CheckpointError, match="DigitClassifier"):
        quality.load_classifier("plain", gen)  # a valid file, but the generator's


# ----------------------------------------------------------------------------- precision and recall (issue 16)
def test_knn_radii_by_hand():
    points = np.array([[0.0], [1.0], [3.0], [7.0]])
    # nearest other points: 0 -> 1 (1), 3 (3); 1 -> 0 (1), 3 (2); 3 -> 1 (2), 0 (3); 7 -> 3 (4), 1 (6)
    assert diversity.knn_radii(points, k=1).tolist() == [1.0, 1.0, 2.0, 4.0]
    assert diversity.knn_radii(points, k=2).tolist() == [3.0, 2.0, 3.0, 6.0]
    with pytest.raises(ValueError, match="k must be"):
        diversity.knn_radii(points, k=4)


def test_precision_recall_by_hand():
    """Tiny 1-D sets worked out on paper (k = 1); no library computes the expected values."""
    reference = np.array([[0.0], [1.0], [3.0], [7.0]])          # balls: 0+-1, 1+-1, 3+-2, 7+-4
    # samples 0.5 (in 0+-1), 5 (in 3+-2), 12 (5 from 7, outside 7+-4): precision 2/3;
    # their own balls 0.5+-4.5, 5+-4.5, 12+-7 hold every reference point: recall 1
    result = diversity.precision_recall(reference, np.array([[0.5], [5.0], [12.0]]), k=1)
    assert result.precision == pytest.approx(2 / 3) and result.recall == 1.0
    # samples 0.5, 1.5, 2 all lie in the reference balls: precision 1; their balls 0.5+-1, 1.5+-0.5,
    # 2+-0.5 hold 0 and 1 but not 3 (1 from 2) or 7: recall 1/2
    result = diversity.precision_recall(reference, np.array([[0.5], [1.5], [2.0]]), k=1)
    assert (result.precision, result.recall) == (1.0, 0.5)
    assert "precision=100.0%" in repr(result) and "recall=50.0%" in repr(result)


def test_inside_manifold_agrees_with_a_plain_loop():
    rng = np.random.default_rng(0)
    manifold, queries = rng.normal(size=(40, 5)), rng.normal(size=(30, 5)) * 1.5
    radii = diversity.knn_radii(manifold, 3)
    expected = [any(np.linalg.norm(q - m) <= r for m, r in zip(manifold, radii)) for q in queries]
    assert diversity.inside_manifold(manifold, radii, queries, chunk=7).tolist() == expected
    with pytest.raises(ValueError, match="must agree"):
        diversity.inside_manifold(manifold, radii[:-1], queries)


@pytest.fixture(scope="module")
def digit_features(classifiers):
    train, held = (DigitsDataset(split, image_size=16).images for split in ("train", "held_out"))
    return {name: diversity.classifier_features(classifiers["plain"], x) for name, x in
            (("train", train), ("held", held))}


def test_classifier_features_are_the_last_layers_input(classifiers, held_out):
    clf = classifiers["plain"]
    feats = diversity.classifier_features(clf, held_out.images[:20])
    assert feats.shape == (20, 512)
    torch.testing.assert_close(clf.head[-1](feats), clf(held_out.images[:20]))
    big = F.interpolate(held_out.images[:20], scale_factor=2, mode="nearest")
    torch.testing.assert_close(diversity.classifier_features(clf, big), feats)
    assert diversity.pixel_features(big).shape == (20, 256)


def test_real_digits_set_the_ceiling(digit_features):
    """Held-out digits against the training digits, and a real set in the generator's place."""
    ceiling = diversity.precision_recall(digit_features["train"], digit_features["held"])
    assert 0.85 < ceiling.precision < 0.97 and 0.85 < ceiling.recall < 0.97
    # the reference itself as the samples: every point lies in its own ball
    same = diversity.precision_recall(digit_features["held"], digit_features["held"])
    assert same.precision == 1.0 and same.recall == 1.0
    # the roles swapped (training digits in the generator's place) score close to the ceiling
    real_as_fake = diversity.precision_recall(digit_features["held"], digit_features["train"])
    assert abs(real_as_fake.precision - ceiling.precision) < 0.05
    assert abs(real_as_fake.recall - ceiling.recall) < 0.05


def test_copies_of_one_digit_have_no_recall(classifiers, digit_features, held_out):
    copies = diversity.classifier_features(classifiers["plain"], held_out.images[:1].repeat(500, 1, 1, 1))
    result = diversity.precision_recall(digit_features["held"], copies)
    assert result.precision == 1.0          # a real digit is realistic ...
    assert result.recall < 0.01             # ... but one digit covers none of the others


def test_noise_has_no_precision(classifiers, digit_features, held_out):
    noise = torch.rand(500, 1, 16, 16, generator=torch.Generator().manual_seed(0)) * 2 - 1
    result = diversity.precision_recall(digit_features["held"], diversity.classifier_features(classifiers["plain"], noise))
    assert result.precision < 0.02
    pixels = diversity.precision_recall(diversity.pixel_features(held_out.images), diversity.pixel_features(noise))
    assert pixels.precision < 0.02


def test_generator_report_logic_and_repr():
    pr = diversity.PrecisionRecall
    conf = {k: quality.QualityReport(100, 0.8, 0.9, (0.1,) * 10) for k in KINDS}
    report = evaluation.GeneratorReport("toy", 100, conf, pr(0.63, 0.45), pr(0.9, 0.9), pr(0.5, 0.5),
                                        pr(0.9, 0.9), (0.1,) * 10, torch.zeros(4, 1, 32, 32))
    assert report.ratios()["precision"] == pytest.approx(0.7) and report.ratios()["recall"] == pytest.approx(0.5)
    worse = dataclasses.replace(report, features=pr(0.63, 0.44))
    assert worse.ratios()["recall"] == pytest.approx(0.44 / 0.9)
    text = repr(worse)
    assert "GeneratorReport('toy', 100 samples)" in text and "rarest class: digit 0 with 10.0%" in text
    assert "target" not in text and "MISSED" not in text   # figures next to the real ones, no pass mark
    fig = evaluation.plot_reports([report, worse])
    assert len(fig.axes) == 6


@pytest.mark.slow
def test_shipped_generator_report_reproduces_the_record(classifiers):
    """With 2,000 samples, the report's precision and recall come out as the manifest recorded them."""
    report = evaluation.assess_generator(checkpoint.load_pretrained_generator(), "shipped", classifiers=classifiers)
    recorded = weights.read_manifest()["generator"]["precision_recall"]
    for space, gen, real in (("features", report.features, report.features_real),
                             ("pixels", report.pixels, report.pixels_real)):
        assert gen.precision == pytest.approx(recorded[space]["precision"], abs=0.01)
        assert gen.recall == pytest.approx(recorded[space]["recall"], abs=0.01)
        assert real.precision == pytest.approx(recorded[space]["real_precision"], abs=1e-4)
        assert real.recall == pytest.approx(recorded[space]["real_recall"], abs=1e-4)
