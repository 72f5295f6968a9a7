"""日本語の文字列（キーと差し込み欄は en.py と同じ; tconv_lib.i18n.message）。"""

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
}
