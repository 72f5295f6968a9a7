"""日本語：層、生成器、デコーダ、書き出したモデルについての演習のチェック（tconv_lib.exercises）。"""

MESSAGES: dict[str, str] = {
    # check_even_overlap
    "check.int_at_least": "{name}は{low}以上の整数でなければなりません（指定値：{got}）。{why}",
    "check.no_upsampling": "strideが1ではアップサンプリングになりません。",
    "check.uneven_overlap": "行に沿った重なりの数が、内部で一定ではありません：{counts}。kernel_sizeとstrideを比べてください。",
    "case.overlap": "kernel_size={kernel_size}、stride={stride}、入力サイズ{n}",
    # バッチごとにモデルを動かすチェック（check_generator_1_to_28、check_upsampler、check_dcgan_generator）
    "check.model_raised": "モデルが{type}を送出しました：{error}",
    "check.not_tensor": "モデルが返したのはテンソルではなく{type}です。",
    "check.not_module": "nn.Moduleを渡してください（渡されたのは{type}です）。",
    "check.any_convolution": "畳み込み（nn.Conv2d、nn.ConvTranspose2d）",
    "check.no_layer": "モデルに{kind}の層がありません。チェックは、最初のその層から入力チャネル数を読みます。",
    "check.output_shape_layers": "出力の形状は{shape}ですが、期待される形状は({n}, C, {size}, {size})です。層ごとの形状：",
    "case.latent_batch": "{n}個の潜在ベクトルのバッチ",
    "case.image_batch": "{size}x{size}画像{n}枚のバッチ",
    "check.latent_channels": "生成器が受け取る潜在チャネルは{got}個です（最初のConvTranspose2dのin_channels）。"
                             "演習ではlatent_dim={latent_dim}を求めています。",
    "check.no_batchnorm": "生成器にnn.BatchNorm2dがありません。DCGANは隠れ層をすべて正規化します。",
    "check.batchnorm_last": "最後のConvTranspose2dのあとにBatchNorm2dがあります。DCGANが正規化するのは隠れ層だけで、"
                            "出力層は正規化しません（出力の活性化関数とぶつかるためです）。",
    "check.bias": "ConvTranspose2dの層{layers}にバイアスがあります。層の直後にBatchNormがあれば、バイアスは不要です。",
    "check.sigmoid": "このバッチの値は{low:.2f}から{high:.2f}です。Sigmoidは出力を0から1の範囲に収めますが、"
                     "学習画像は-1から1の範囲に変換されています。その範囲を持つ活性化関数はどれでしょう。",
    "check.range_outside": "このバッチの値は{low:.2f}から{high:.2f}で、-1から1の範囲の外に出ています。"
                           "どの入力でもその範囲に収める層がありません。それを保証する活性化関数のモジュールはどれでしょう。",
    "check.range_inside": "このバッチの値は{low:.2f}から{high:.2f}で、たまたま-1から1の範囲に収まっています。"
                          "どの入力でもその範囲に収める層がありません。それを保証する活性化関数のモジュールはどれでしょう。",
    # U-Netのチェック（exercises._decoders）
    "check.not_list": "{what}が{got}を返しました。整数のリストを返してください。",
    "check.list_not_ints": "{what}が{got}を返しました。要素はすべて整数でなければなりません（//は整数の割り算です）。",
    "check.list_length": "{what}が返した値は{n}個ですが、{expected}個必要です。",
    "check.first_entry": "最初の要素は入力サイズそのもので、そのあとにレベルごとのサイズが1つずつ続きます。",
    "check.halved": "strideで割るだけでは、kernel_sizeとpaddingが無視されます。Conv2dのサイズの公式を使ってください。",
    "check.level_size": "レベル{level}：あなたの値は{got}、実際のConv2dでは{want}です。1つ前のレベルのサイズに"
                        "サイズの公式を当てはめ、切り捨ての割り算を使ってください。",
    "check.rejects_list": "PyTorchはoutput_padding {got}を受け付けません。どれも0以上で、stride（{stride}）より"
                          "小さくなければなりません。",
    "check.encoder_order": "リストがエンコーダの順になっています。デコーダは最も深いレベルから実行します。",
    "check.skip_size": "レベル{level}でConvTranspose2dが返すのは{up}ですが、スキップ接続は{skip}です。"
                       "output_padding=0での層の出力と、スキップ接続のサイズを比べてください。",
    "check.crop_not_tensor": "関数が{type}を返しました。入力をスライスしたテンソルを返してください。",
    "check.crop_shape": "関数が返した形状は{shape}ですが、期待される形状は{expected}です。"
                        "NとCはそのままにして、最後の2つの次元だけを切り抜いてください。",
    "check.crop_corner": "切り抜きが左上の隅から始まっています。中央の切り抜きでは、両側の余白が等しくなります。",
    "check.crop_odd": "余白が奇数のとき、余る行や列を上か左で切っています。ここでの約束では、"
                      "下と右で切ります（上のオフセットを切り捨てます）。",
    "check.crop_pixels": "切り抜いた画素が違います。上と左のオフセットを、サイズの差から計算してください。",
    "check.no_conv_transpose": "モデルにnn.ConvTranspose2dがありません。この演習は、転置畳み込みのデコーダについてのものです。",
    "check.unet_raised": "{h}x{w}の入力で、モデルが{type}を送出しました：{error}",
    "check.unet_shape": "{h}x{w}の入力での出力の形状は{shape}ですが、期待される形状は(2, C, {h}, {w})です。",
    "case.pixels": "{h}x{w}画素の入力",
    # 第13章と第14章（exercises._beyond）
    "check.per_axis_tuple": "軸ごとに1つ、{ndim}個の整数のタプルを返してください（指定値：{got}）。",
    "check.round_trip_axis": "往復した結果は{want}ではなく{got}です（軸{axis}がずれています）。"
                             "軸ごとに、その軸のサイズで別々に扱ってください。",
    "check.wrong_way_round": "カーネルの向きが逆です。ゼロ挿入の見方では、ストライド1の相互相関に反転したカーネルを使います。",
    "check.block_raised": "(2, 3, 32, 32)の入力で、ブロックが{type}を送出しました：{error}",
    "check.block_shape": "出力の形状は{shape}ですが、期待される形状は(2, C, 16, 16)です。"
                         "ブロックはHとWを半分にしなければなりません。",
    "check.gradient_score": "入力に届く勾配のスコアは{score:.3f}です（{threshold}以上）。まだ一部の出力の位相が、"
                            "ほかより多くを受け取っています。勾配の行き先を決めるのはどの層でしょう。",
    "case.weights_given": "与えられた重み",
    "case.weights_redrawn": "引き直した重み（シード{seed}）",
    "check.onnx_dict": "strides、pads、output_paddingの3つのキーを持つ辞書を指定してください（指定値：{got}）。",
    "check.onnx_missing": "辞書に「{name}」がありません。",
    "check.onnx_pads": "ONNXは、始まりをすべて並べてから終わりをすべて並べます。",
    "check.onnx_wrong": "{name}が、エクスポートで書き出される値と違います。軸ごとに1つずつ数えてください。{hint}",
    "check.size_pair": "サイズは2つの整数のタプル(height, width)で指定してください（指定値：{got}）。",
    "check.dropped_size": "ONNX Runtimeが計算するサイズではありません。output_paddingを0として、層ごとにサイズの公式を"
                          "当てはめてください。各層は、1つ前の層の小さくなった出力から始まります。",
    "case.input": "入力{shape}",
    "check.no_output_padding": "output_paddingが0でないnn.ConvTranspose2dがありません。この演習では、そういう層を含む"
                               "モデルを書き出します。",
    "check.model_gives": "モデルの出力は{got}ですが、期待されるのは{want}です。軸ごとにサイズの公式を当てはめてください。",
    "check.export_failed": "エクスポートに失敗しました：{type}：{error}",
    "check.onnx_differs": "ONNX RuntimeとPyTorchの差が{diff:.2e}あります（{tolerance}以上）。",
    "case.model_in_pytorch": "PyTorchでのモデル",
    "case.dynamo": "dynamo={dynamo}、バッチサイズ{batch}",
}
