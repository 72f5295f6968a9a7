"""English: what library functions print or warn (claims, reports, tables' headers, progress bars, the explorer's fallbacks)."""

MESSAGES: dict[str, str] = {
    # tconv_lib.claims.check
    "claims.line": "{text}: {holds}",
    "claims.not_above": "{text}: {value:.4g} is not above {bound:.4g}",
    "claims.not_below": "{text}: {value:.4g} is not below {bound:.4g}",
    "claims.separator": "; ",
    # tconv_lib.gan.evaluation.GeneratorReport (its repr)
    "evaluation.title": "GeneratorReport({name!r}, {n} samples)",
    "evaluation.measure": "measure",
    "evaluation.generated": "generated",
    "evaluation.real": "real",
    "evaluation.ratio": "ratio",
    "evaluation.measure_confident_plain": "confident plain",
    "evaluation.measure_confident_strict": "confident strict",
    "evaluation.measure_precision": "precision",
    "evaluation.measure_recall": "recall",
    "evaluation.measure_pixel_precision": "pixel precision",
    "evaluation.measure_pixel_recall": "pixel recall",
    "evaluation.rarest": "rarest class: digit {digit} with {share:.1%} (uniform: 10%)",
    "evaluation.class_shares": "class shares: {shares}",
    # tconv_lib.gan.quality: QualityReport.summary, train_classifier's progress, load_classifier
    "quality.confident": "confident (p > {threshold}): generated {generated:.1%}, real held-out {real:.1%}, ratio {ratio:.1%}",
    "quality.class_shares": "class shares of generated samples: {shares}",
    "quality.epoch": "classifier epoch {epoch}/{epochs}: loss {loss:.3f}",
    "quality.weights": "DigitClassifier weights",
    # tconv_lib.gan.shapes.format_shape_table's header, tconv_lib.gan.checkpoint.load_pretrained_generator
    "dcgan.layer": "layer",
    "dcgan.kind": "kind",
    "dcgan.zeros": "zeros",
    "dcgan.border": "border",
    "dcgan.in_out": "in -> out",
    "dcgan.generator_weights": "a generator with config {config}",
    # tconv_lib.real_models.decoders.DecoderPlan.table's header, and the axes in plan_decoder's error
    "decoders.level": "level",
    "decoders.from": "from",
    "decoders.default": "default",
    "decoders.skip": "skip",
    "decoders.height": "height",
    "decoders.width": "width",
    # progress bars (tconv_lib.gan.training.train_dcgan, tconv_lib.upsampling.upsamplers.train_upscaler)
    "progress.training": "training",
    "progress.step": "step",
    # tconv_lib.explorer.static_html: where the explorer cannot run
    "explorer.noscript": "The explorer needs JavaScript, which this browser does not run.",
    "explorer.unavailable": "The explorer runs in the course book and, after running this cell, in Jupyter.",
    # tconv_lib.gan.image_files: warnings
    "image_files.too_small": "image {path!r} is {width}x{height} pixels, smaller than image_size={image_size}: "
                             "it is upscaled, so it looks blurred next to the others",
    "image_files.upscaled": "{n} of {total} images are upscaled; the first: {first}",
}
