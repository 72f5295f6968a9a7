"""The library speaks Japanese after set_language("ja"): figures, check reports, printed tables, progress, warnings, errors.

Each area's messages come out Japanese with their fields filled in; the English ones stay exactly the English the
notebooks' committed outputs hold (a few pinned here; the tables, fonts and set_language are tests/test_i18n_messages.py).
"""
from __future__ import annotations

import io
import re
import string

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text
from torch import nn

from tconv_lib import claims, explorer, i18n
from tconv_lib import exercises as ex
from tconv_lib.foundations import arithmetic, figures, grids
from tconv_lib.foundations.examples import IDENTITY, X
from tconv_lib.foundations.stages import conv_transpose2d_stages
from tconv_lib.gan import dcgan, diversity, evaluation, image_files, quality, shapes
from tconv_lib.messages import en, ja
from tconv_lib.real_models import decoders
from tconv_lib.upsampling import plots, upsamplers

matplotlib.use("Agg")
japanese = re.compile("[\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]").search   # kana, kanji, full-width forms


@pytest.fixture()
def ja_lang():
    """Japanese for the test (it calls set_language itself: pytest resets warning filters set during setup)."""
    yield
    i18n.set_language("en")


def drawn_texts(fig) -> list[str]:
    """Every text of a figure, after drawing it as the inline backend does (a missing glyph raises in Japanese)."""
    fig.savefig(io.BytesIO(), format="png")
    texts = [t.get_text() for t in fig.findobj(Text)]
    return [t for t in texts if t and not t.lstrip("\u2212-").replace(".", "").isdigit()]   # not the numbers in the cells


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


class _Any:
    """A field value that takes any format spec or conversion."""
    __format__, __repr__ = (lambda self, spec: "7"), (lambda self: "'v'")


# ----------------------------------------------------------------------------- the tables
@pytest.mark.parametrize("pair", list(zip(en.AREAS, ja.AREAS)), ids=lambda p: p[0].__name__.rsplit(".", 1)[1])
def test_each_area_has_the_same_keys_and_fields_in_both_languages(pair):
    english, japanese_area = pair
    assert english.MESSAGES.keys() == japanese_area.MESSAGES.keys()
    for key, text in english.MESSAGES.items():
        assert _fields(text) == _fields(japanese_area.MESSAGES[key]), key
        filled = {name: _Any() for name in _fields(text)}
        text.format(**filled), japanese_area.MESSAGES[key].format(**filled)   # every spec and conversion works
        assert "key" not in filled, f"{key}: a field named 'key' would clash with message(key, ...)"


def test_no_key_is_in_two_areas_and_every_japanese_label_is_japanese():
    for table in (en, ja):
        assert sum(len(area.MESSAGES) for area in table.AREAS) == len(table.MESSAGES)
    same = {k for k, v in ja.MESSAGES.items() if v == en.MESSAGES[k]}
    # names and symbols that are the same in both: PyTorch's argument, a separator, a field alone
    assert same <= {"scatter.output_padding", "roles.extra", "evaluation.bar_precision", "check.named", "stages.processing"}, same


def test_the_fonts_have_every_character_of_the_japanese_tables():
    """Figures in Japanese use DejaVu Sans, then IPAexGothic: no entry may need a glyph neither has (no boxes)."""
    import matplotlib_fontja  # noqa: F401  (registers IPAexGothic)

    fonts = [FT2Font(findfont(FontProperties(family=name), fallback_to_default=False)) for name in ("DejaVu Sans", "IPAexGothic")]
    charmaps = [set(font.get_charmap()) for font in fonts]
    missing = {(key, ch) for key, text in ja.MESSAGES.items() for ch in text
               if ch not in "\n" and not any(ord(ch) in cmap for cmap in charmaps)}
    assert not missing, missing


# ----------------------------------------------------------------------------- figures
def test_figures_are_drawn_in_japanese(ja_lang):
    i18n.set_language("ja")
    stages = conv_transpose2d_stages(X, [[1, 0], [2, 1]], stride=3, padding=(2, 0))
    titles = drawn_texts(figures.draw_stages(stages, dilated_kernel=True))
    assert "入力 x" in titles and "ゼロ挿入\n（ストライド3：間に2個）" in titles and "穴（飛ばす）" in titles
    assert "処理画像\n縁 d(k-1)-p：行-1（1ずつ切り落とし）、\n列1" in titles, titles
    assert {"挿入したゼロ", "暗黙の縁"} <= set(titles)
    scatter = drawn_texts(figures.draw_scatter(X, IDENTITY, stride=2, padding=1, output_padding=1, step=1))
    assert "出力\n（ここまで）" in scatter and "残る部分" in scatter
    padding = drawn_texts(figures.draw_padding_contrast(np.arange(9.0).reshape(3, 3), IDENTITY, 1))
    assert "ConvTranspose2dの出力\n（各辺を1切り落とし：2×2）" in padding and "追加したゼロ（Conv2d）" in padding
    assert drawn_texts(figures.draw_overlap(3, 2)) == ["重なりの数（kernel_size=3、stride=2）"]
    assert [t.get_text() for t in grids.legend_roles(grids.draw_grid(X).axes[0]).get_texts()] == \
        ["挿入したゼロ", "入力値", "暗黙の縁", "output_padding"]
    losses = drawn_texts(plots.draw_losses(np.linspace(1, 0.1, 30)))
    assert {"学習ステップ", "平均二乗誤差", "ステップごとの損失", "直近25ステップの平均"} <= set(losses)
    english = [t for t in titles + scatter + padding + losses if not japanese(t)]
    assert set(english) <= {"output_padding", "\u2192"} | {t for t in english if t.startswith("$")}, english   # arrows, ticks


def _report() -> evaluation.GeneratorReport:
    """A report with made-up figures (no classifier runs)."""
    shares = tuple(np.linspace(0.05, 0.15, 10) / np.linspace(0.05, 0.15, 10).sum())
    confident = {kind: quality.QualityReport(64, 0.8, 0.9, shares) for kind in ("plain", "strict")}
    pr = diversity.PrecisionRecall(0.7, 0.6)
    return evaluation.GeneratorReport("netG", 64, confident, pr, pr, pr, pr, shares, torch.zeros(64, 1, 16, 16))


def test_the_quality_report_is_printed_and_drawn_in_japanese(ja_lang):
    i18n.set_language("ja")
    report = _report()
    lines = repr(report).splitlines()
    assert lines[0] == "生成器のレポート「netG」（サンプル64個）"
    columns = [i18n.display_width(line.split("%")[0]) for line in lines[2:8]]
    assert len(set(columns)) == 1 and lines[2].startswith("  高確信率（plain）"), lines   # aligned by display width
    assert "最も少ないクラス：数字0で" in lines[8] and lines[9].startswith("  クラスの割合：0:")
    assert report.confident["plain"].summary().startswith("高確信率（p > 0.9）：生成80.0%、本物のホールドアウト90.0%")
    texts = drawn_texts(report.plot())
    assert {"netG：64個のサンプル", "クラスのヒストグラム（点線：一様分布、10%）", "生成と本物", "本物", "生成",
            "高確信率\nplain"} <= set(texts)


# ----------------------------------------------------------------------------- printed text
def test_claims_and_tables_print_in_japanese(ja_lang, capsys):
    i18n.set_language("ja")
    claims.check(claims.above("PSNRはバイキュービックより高い", 31.0, 30.0))
    assert capsys.readouterr().out == "PSNRはバイキュービックより高い：True\n"
    with pytest.raises(AssertionError, match=r"^A：1は2より大きくありません。B：3は2より小さくありません。$"):
        claims.check(claims.above("A", 1, 2), claims.below("B", 3, 2))
    capsys.readouterr()
    table = shapes.format_shape_table(shapes.shape_table(dcgan.build_dcgan()[0])).splitlines()
    assert table[0].startswith("層       種類              k  s  p op  ゼロ     縁  入力 -> 出力")
    assert len(table[1]) == i18n.display_width(table[0]) and table[2].startswith("project  ConvTranspose2d")
    plan = decoders.plan_decoder(37, 3).table().splitlines()
    assert plan[0] == "レベル     下から       既定   スキップ  output_padding"
    assert plan[1] == "     3        5x5        9x9      10x10  (1, 1)"


def test_progress_bars_and_warnings_are_japanese(ja_lang, capsys, tmp_path):
    i18n.set_language("ja")
    upsamplers.train_upscaler(upsamplers.make_upscaler(features=4), torch.rand(1, 3, 16, 16), steps=2, batch_size=2, patch_size=8)
    assert "学習: 100%" in capsys.readouterr().out
    from PIL import Image

    Image.new("L", (10, 12)).save(tmp_path / "small.png")
    with pytest.warns(UserWarning, match=r"^1枚中1枚の画像を拡大します。最初の1枚：画像「.*small.png」は10x12ピクセルで"):
        image_files.ImageFolderDataset(tmp_path, image_size=16)


# ----------------------------------------------------------------------------- errors
def test_errors_a_learner_triggers_are_japanese_with_the_numbers(ja_lang):
    i18n.set_language("ja")
    with pytest.raises(ValueError, match=r"^output_padding（2）は、stride（2）かdilation（1）より小さくなければなりません。$"):
        arithmetic.conv_transpose_output_size(4, 3, stride=2, output_padding=2)
    with pytest.raises(TypeError, match=r"^strideは整数（int）でなければなりません（指定値：2、型str）。$"):
        arithmetic.check_int("2", "stride")
    with pytest.raises(ValueError, match=r"^出力サイズが-3（0以下）になります。size=2、kernel_size=2"):
        arithmetic.conv_transpose_output_size(2, 2, padding=3)
    with pytest.raises(ValueError, match=r"^modeは\('nearest', 'bilinear', 'bicubic'\)のいずれかでなければなりません"
                                         r"（指定値：「area」）"):
        upsamplers.Interpolate("area")
    with pytest.raises(ValueError, match=r"^レベル1：kernel_size=1、stride=3、padding=0のConvTranspose2dは"
                                         r"高さ2を\[4, 5, 6\]のどれかにしますが、.*たとえば"
                                         r"nn.ConvTranspose2d\(1, 1, kernel_size=6, stride=3, padding=1\)"):
        decoders.plan_decoder(7, 1, kernel_size=3, stride=3, padding=0, up_kernel_size=1)
    with pytest.raises(ValueError, match=r"^image_sizeは8以上の2のべき乗でなければなりません（指定値：12）。$"):
        dcgan.Generator(image_size=12)


# ----------------------------------------------------------------------------- exercise checks
def _size_without_padding(size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    return (size - 1) * stride + dilation * (kernel_size - 1) + output_padding + 1


def test_a_failing_check_reports_in_japanese(ja_lang, capsys):
    i18n.set_language("ja")
    result = ex.check_output_size(_size_without_padding)
    out = capsys.readouterr().out
    hint = "あなたの値は4、PyTorchでは2です。paddingでサイズがどう変わるかを見直してください。"
    assert out == ("check_output_size：ケース12（size=2, kernel_size=2, stride=2, padding=1, output_padding=0, "
                   f"dilation=1）で不合格です。\n  ヒント：{hint}\n")
    assert not result and result.hint == hint
    ex.check_shape_by_hand(ex.answer("not_defined_here"), nn.ConvTranspose2d(1, 1, 3), (1, 1, 2, 2))
    assert "まだ答えがありません。`not_defined_here`が定義されていません。" in capsys.readouterr().out
    assert repr(ex.Missing("shape")) == "<答えがありません：shapeが定義されていません>"
    ex.check_generator_1_to_28(nn.Sequential(nn.ConvTranspose2d(4, 1, 3)))
    out = capsys.readouterr().out
    assert "ケース1（4個の潜在ベクトルのバッチ）" not in out and "ケース1（2個の潜在ベクトルのバッチ）で不合格です。" in out
    assert "出力の形状は(2, 1, 3, 3)ですが、期待される形状は(2, C, 28, 28)です。層ごとの形状：\n  0 " in out


def test_a_passing_check_and_a_forbidden_call_report_in_japanese(ja_lang, capsys):
    i18n.set_language("ja")
    assert ex.check_even_overlap(4, 2)
    assert capsys.readouterr().out == "check_even_overlap：21ケースすべてに合格しました。\n"

    def by_pytorch(x, stride):
        weight = torch.ones(1, 1, 1, 1, dtype=torch.float64)
        return torch.nn.functional.conv_transpose2d(torch.as_tensor(x, dtype=torch.float64)[None, None], weight,
                                                    stride=stride)[0, 0].numpy().astype(x.dtype)
    result = ex.check_zero_insert(by_pytorch)
    out = capsys.readouterr().out
    assert out.startswith("check_zero_insert：ケースには合格しますが、関数がPyTorchの畳み込み（torch.ops.aten.")
    assert out.endswith("この演習では、それ（ゼロ挿入）を自分で作ります。このままでは0点です。\n")
    assert not result and result.hint.startswith("ケースには合格しますが") and "check_zero_insert" not in result.hint


def test_english_reports_stay_as_the_notebooks_show_them(capsys):
    """The English that the committed notebooks' outputs hold, byte for byte (nbval compares them)."""
    assert i18n.get_language() == "en"
    ex.check_output_size(_size_without_padding)
    ex.check_even_overlap(4, 2)
    assert capsys.readouterr().out == (
        "check_output_size: FAILED on case 12 (size=2, kernel_size=2, stride=2, padding=1, output_padding=0, dilation=1)\n"
        "  hint: got 4, PyTorch gives 2; revisit how padding changes the size\ncheck_even_overlap: all 21 cases passed\n")
    claims.check(claims.above("x", 2, 1))
    assert capsys.readouterr().out == "x: True\n"
    assert shapes.format_shape_table([]) == ("layer    kind              k  s  p op zeros border  in -> out\n"
                                             "-------------------------------------------------------------")
    assert decoders.plan_decoder(8, 1).table().splitlines()[0] == "level       from    default       skip  output_padding"
    html = explorer.static_html(explorer.explorer("ch02"), "explorer-ch02-9")
    assert "<noscript>The explorer needs JavaScript, which this browser does not run.</noscript>" in html
    assert "The explorer runs in the course book and, after running this cell, in Jupyter." in html


# ----------------------------------------------------------------------------- the explorer
def test_a_japanese_notebook_opens_japanese_explorers(ja_lang):
    i18n.set_language("ja")
    widget = explorer.explorer("ch02")
    assert widget.lang == "ja" and explorer.explorer("ch02", lang="en").lang == "en"
    html = explorer.static_html(widget, "explorer-ch02-9")
    assert "<noscript>このブラウザはJavaScriptを実行しないため、エクスプローラを表示できません。</noscript>" in html
    assert "エクスプローラは、コースの本の中と、このセルを実行したあとのJupyterで動きます。" in html
    assert '"lang":"ja"' in html and "The explorer" not in html
    with pytest.raises(Exception, match=r"xの行と列は、それぞれ8個までです（指定：1x9）。"):
        explorer.explorer("ch02", x=[[1] * 9])
    i18n.set_language("en")
    assert explorer.explorer("ch02").lang == "en"
