"""日本語：ライブラリの関数が表示・警告する文（主張、レポート、表の見出し、進捗バー、エクスプローラの代替表示）。"""

MESSAGES: dict[str, str] = {
    # tconv_lib.claims.check
    "claims.line": "{text}：{holds}",
    "claims.not_above": "{text}：{value:.4g}は{bound:.4g}より大きくありません。",
    "claims.not_below": "{text}：{value:.4g}は{bound:.4g}より小さくありません。",
    "claims.separator": "",
    # tconv_lib.gan.evaluation.GeneratorReport（repr）
    "evaluation.title": "生成器のレポート「{name}」（サンプル{n}個）",
    "evaluation.measure": "指標",
    "evaluation.generated": "生成",
    "evaluation.real": "本物",
    "evaluation.ratio": "比",
    "evaluation.measure_confident_plain": "高確信率（plain）",
    "evaluation.measure_confident_strict": "高確信率（strict）",
    "evaluation.measure_precision": "適合率",
    "evaluation.measure_recall": "再現率",
    "evaluation.measure_pixel_precision": "画素の適合率",
    "evaluation.measure_pixel_recall": "画素の再現率",
    "evaluation.rarest": "最も少ないクラス：数字{digit}で{share:.1%}（一様なら10%）",
    "evaluation.class_shares": "クラスの割合：{shares}",
    # tconv_lib.gan.quality：QualityReport.summary、train_classifierの進捗、load_classifier
    "quality.confident": "高確信率（p > {threshold}）：生成{generated:.1%}、本物のホールドアウト{real:.1%}、比{ratio:.1%}",
    "quality.class_shares": "生成サンプルのクラスの割合：{shares}",
    "quality.epoch": "分類器のエポック{epoch}/{epochs}：損失{loss:.3f}",
    "quality.weights": "DigitClassifierの重み",
    # tconv_lib.gan.shapes.format_shape_tableの見出し、tconv_lib.gan.checkpoint.load_pretrained_generator
    "dcgan.layer": "層",
    "dcgan.kind": "種類",
    "dcgan.zeros": "ゼロ",
    "dcgan.border": "縁",
    "dcgan.in_out": "入力 -> 出力",
    "dcgan.generator_weights": "設定{config}の生成器",
    # tconv_lib.real_models.decoders.DecoderPlan.tableの見出し、plan_decoderのエラーでの軸の名前
    "decoders.level": "レベル",
    "decoders.from": "下から",
    "decoders.default": "既定",
    "decoders.skip": "スキップ",
    "decoders.height": "高さ",
    "decoders.width": "幅",
    # 進捗バー（tconv_lib.gan.training.train_dcgan、tconv_lib.upsampling.upsamplers.train_upscaler）
    "progress.training": "学習",
    "progress.step": "ステップ",
    # tconv_lib.explorer.static_html：エクスプローラが動かない場所
    "explorer.noscript": "このブラウザはJavaScriptを実行しないため、エクスプローラを表示できません。",
    "explorer.unavailable": "エクスプローラは、コースの本の中と、このセルを実行したあとのJupyterで動きます。",
    # tconv_lib.gan.image_files：警告
    "image_files.too_small": "画像「{path}」は{width}x{height}ピクセルで、image_size={image_size}より小さいため拡大します。"
                             "ほかの画像より、ぼやけて見えます。",
    "image_files.upscaled": "{total}枚中{n}枚の画像を拡大します。最初の1枚：{first}",
}
