"""日本語：ライブラリの図に出る文字列（タイトル、パネルの見出し、凡例、軸ラベル）。キーと差し込み欄は en/figures.py と同じ。"""

MESSAGES: dict[str, str] = {
    # tconv_lib.foundations.figures.draw_scatter
    "scatter.input": "入力 x",
    "scatter.kernel": "カーネル\n（反転しない）",
    "scatter.canvas": "キャンバス（padding 0）\n重なりは足し合わされる",
    "scatter.cropped": "padding で切り落とす部分",
    "scatter.output_padding": "output_padding",
    "scatter.kept": "残る部分",
    "scatter.output": "出力",
    "scatter.output_so_far": "出力\n（ここまで）",
    # tconv_lib.foundations.figures.draw_stages
    "stages.input": "入力 x",
    "stages.inserted": "ゼロ挿入\n（ストライド{stride}：間に{between}個）",
    "stages.processing": "処理画像\n{border}",
    "stages.border": "縁 b = d(k-1)-p = {amount}",
    "stages.border_axes": "縁 d(k-1)-p：行{rows}、\n列{columns}",
    "stages.crop": "{b}（{crop}ずつ切り落とし）",
    "stages.kernel": "カーネル（反転）",
    "stages.kernel_dilated": "カーネル（反転）\ndilation {d}：穴あり",
    "stages.hole": "穴（飛ばす）",
    "stages.output": "出力",
    # tconv_lib.foundations.grids.legend_roles：処理画像のセルの役割（stages.Role）
    "roles.inserted": "挿入したゼロ",
    "roles.input": "入力値",
    "roles.border": "暗黙の縁",
    "roles.extra": "output_padding",
    # tconv_lib.foundations.figures.draw_overlap
    "overlap.title": "重なりの数（kernel_size={kernel_size}、stride={stride}）",
    # tconv_lib.foundations.figures.draw_padding_contrast
    "padding_figure.conv_input": "Conv2dの入力＋padding {p}\n（ゼロを追加：{shape}）",
    "padding_figure.conv_output": "Conv2dの出力\n{shape}",
    "padding_figure.full": "ConvTranspose2dの出力全体\n（padding 0：{shape}）",
    "padding_figure.cropped_output": "ConvTranspose2dの出力\n（各辺を{p}切り落とし：{shape}）",
    "padding_figure.input": "入力",
    "padding_figure.zeros_added": "追加したゼロ（Conv2d）",
    "padding_figure.cropped": "切り落とす部分（ConvTranspose2d）",
    "padding_figure.kept": "残る部分",
    # tconv_lib.upsampling.plots.draw_losses
    "plots.loss_per_step": "ステップごとの損失",
    "plots.running_mean": "直近{window}ステップの平均",
    "plots.training_step": "学習ステップ",
    "plots.mse": "平均二乗誤差",
    # tconv_lib.gan.evaluation.GeneratorReport.plot
    "evaluation.samples": "{name}：{n}個のサンプル",
    "evaluation.bar_real": "本物",
    "evaluation.bar_generated": "生成",
    "evaluation.histogram": "クラスのヒストグラム（点線：一様分布、10%）",
    "evaluation.bar_confident_plain": "高確信率\nplain",
    "evaluation.bar_confident_strict": "高確信率\nstrict",
    "evaluation.bar_precision": "適合率",
    "evaluation.bar_recall": "再現率",
    "evaluation.bar_pixel_precision": "画素の\n適合率",
    "evaluation.bar_pixel_recall": "画素の\n再現率",
    "evaluation.versus": "生成と本物",
}
