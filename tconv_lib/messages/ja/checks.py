"""日本語：演習のチェックのレポート（共通部分と基礎のチェック、tconv_lib.exercises）。"""

MESSAGES: dict[str, str] = {
    # レポート（exercises._core.run_cases）と答えの参照
    "check.failed": "{name}：ケース{case}（{described}）で不合格です。\n  ヒント：{hint}",
    "check.passed_all": "{name}：{n}ケースすべてに合格しました。",
    "check.passed": "{name}：合格しました。",
    "check.named": "{name}：{text}",
    "check.could_not_check": "答えを確認できませんでした（{type}：{error}）。",
    "check.no_answer_repr": "<答えがありません：{name}が定義されていません>",
    "check.no_answer": "まだ答えがありません。`{name}`が定義されていません。上のセルに答えを書き、"
                       "このチェックの前にそのセルを実行してください。",
    "check.is_none": "{what}がNoneです。答えを代入してください（関数が`return`を忘れていませんか）。",
    # 答えの呼び出しと、返した値の比較（exercises._core）
    "check.your_function": "あなたの関数",
    "check.your_answer": "あなたの答え",
    "check.your_model": "あなたのモデル",
    "check.your_shape": "あなたの形状",
    "check.not_callable": "関数を渡してください（渡されたのは{type}です）。",
    "check.not_implemented": "関数がNotImplementedErrorを送出しています。スタブをあなたのコードに置き換えてください。",
    "check.raised": "関数が{type}を送出しました：{error}",
    "check.returned_none": "関数がNoneを返しました。`return`文を忘れていませんか。",
    "check.not_ndarray": "{what}が{type}を返しました。NumPy配列を返してください。",
    "check.wrong_shape": "{what}が返した形状は{shape}ですが、期待される形状は{expected}です。{hint}",
    "check.not_numbers": "{what}が返した配列のdtypeは{dtype}です。数値の配列を返してください。",
    "check.wrong_dtype": "{what}が返したdtypeは{dtype}です。入力と同じdtypeの{expected}にしてください。",
    "check.wrong_value": "インデックス{index}の値が違います。あなたの値は{got:.4g}、PyTorchでは{want:.4g}です。",
    # 自分で作る演習の決まり（exercises._rules）：演習で作るもの、禁止された呼び出しへの判定
    "check.torch_convolution": "PyTorchの畳み込み（{op}）",
    "check.forbidden_passed": "ケースには合格しますが、関数が{calls}を呼んでいます。この演習では、"
                              "それ（{what}）を自分で作ります。このままでは0点です。",
    "check.forbidden_also": "さらに、関数が{calls}を呼んでいます。この演習では、それ（{what}）を自分で作ります。"
                            "このままでは0点です。",
    "rule.zero_insertion": "ゼロ挿入",
    "rule.transposed_convolution": "転置畳み込み",
    "rule.matrix": "カーネルが置かれる位置から作る行列",
    "rule.crop": "スライスによる切り抜き",
    "rule.conv_transpose1d": "ゼロ挿入によるConvTranspose1d",
    # check_output_size、check_round_trip_output_padding
    "check.size_not_int": "関数が{got}（{type}）を返しました。整数を返してください（//は整数の割り算です）。",
    "check.size_wrong": "あなたの値は{got}、PyTorchでは{want}です。{name}でサイズがどう変わるかを見直してください。",
    "check.op_not_int": "関数が{got}（{type}）を返しました。整数を返してください。",
    "check.rejects": "PyTorchはoutput_padding={op}を受け付けません：{error}",
    "check.round_trip": "output_padding={op}では、往復したサイズが{want}ではなく{got}になります。"
                        "まずConv2dのあとのサイズを、次にConvTranspose2dのあとのサイズを計算してください。",
    # check_zero_insert、check_conv_transpose2d、check_conv_matrix
    "check.transposed": "結果が転置されています。行は行のままにしてください。",
    "check.scatter_flipped": "カーネルが反転しています。スキャッタの形では、カーネルを反転せずにそのままスタンプします。",
    "check.scatter_mirrored": "カーネルが一方の軸で反転しています。スキャッタの形では、カーネルをそのままスタンプします。",
    "check.not_flipped": "カーネルが反転していません。ゼロ挿入の見方では、カーネルを行と列の両方向に反転して、"
                         "ゼロを挿入した入力の上を滑らせます。",
    "check.flipped_one_axis": "カーネルが一方の軸でしか反転していません。行と列の両方で反転してください。",
    "check.empty_slice": "padding=0のとき、out[0:-0]のようなスライスは空になります。"
                         "代わりにout[p:out.shape[0]-p]で切り落としてください。",
    "check.your_matrix_function": "あなたの関数（出力画素1つにつき1行、入力画素1つにつき1列）",
    "check.rows_reversed": "行の順序が逆です。行iは、行優先の順で数えた出力画素iに対応します。",
    # check_shape_by_hand
    "check.shape_tuple": "形状全体を(1, 1, 5, 5)のようなタプルで指定してください（指定値：{got}）。",
    "check.shape_ints": "形状の要素はすべて整数でなければなりません（指定値：{got}）。",
    "check.shape_dims": "出力の次元は{want}個ですが、あなたの形状は{got}個です。",
    "check.too_large": "{dim}が大きすぎます。サイズの公式で数え直してください。",
    "check.too_small": "{dim}が小さすぎます。サイズの公式で数え直してください。",
    "case.module_on": "形状{shape}の入力に対する{module}",
}
