"""日本語：基礎の関数、図、主張、表、デバイス、エクスプローラで、学習者の引数が起こすエラー。"""

MESSAGES: dict[str, str] = {
    "errors.one_of": "{name}は{allowed}のいずれかでなければなりません（指定値：「{got}」）。",
    # tconv_lib.foundations.arithmetic
    "arithmetic.not_int": "{name}は整数（int）でなければなりません（指定値：{value}、型{type}）。",
    "arithmetic.int_nonnegative": "{name}は0以上の整数でなければなりません（指定値：{value}）。",
    "arithmetic.int_positive": "{name}は正の整数でなければなりません（指定値：{value}）。",
    "arithmetic.int_at_least": "{name}は{minimum}以上の整数でなければなりません（指定値：{value}）。",
    "arithmetic.a_pair": "組(h, w)",
    "arithmetic.n_values": "{ndim}個の値（軸ごとに1つ）",
    "arithmetic.int_or": "{name}は整数か{shape}でなければなりません（指定された値は{n}個：{value}）。",
    "arithmetic.int_or_tuple": "{name}は整数か、整数のタプルでなければなりません（指定値：{value}、型{type}）。",
    "arithmetic.list_sep": "、",
    "arithmetic.has_n": "{name}は{n}個",
    "arithmetic.per_axis": "軸ごとの引数は、どれも軸1つにつき1つずつ、同じ個数の値でなければなりません"
                           "（2次元の層なら組(h, w)）。指定された個数は、{shown}です。",
    "arithmetic.positive": "{name}は正の値でなければなりません（指定値：{value}）。",
    "arithmetic.non_negative": "{name}は0以上でなければなりません（指定値：{value}）。",
    "arithmetic.output_padding": "output_padding（{op}）は、stride（{s}）かdilation（{d}）より小さくなければなりません。",
    "arithmetic.conv_too_small": "size（{size}）にパディングを加えても、dilationで広げたカーネル（{span}）より小さいため、"
                                 "畳み込みの出力サイズが0以下になります。",
    "arithmetic.padding_too_large": "出力サイズが{o}（0以下）になります。size={size}、kernel_size={k}、stride={s}、"
                                    "dilation={d}に対して、padding（{p}）が大きすぎます。",
    # tconv_lib.foundations.arguments
    "arguments.not_array": "{name}は実数の配列でなければなりません：{error}",
    "arguments.dtype": "{name}の要素は実数（intかfloat）でなければなりません（dtype：{dtype}）。",
    "arguments.in_channels": "in_channels（{channels}）はweight.shape[0]（{got}）と等しくなければなりません。"
                             "ConvTransposeの重みの形は{layout}です。",
    "arguments.divisible": "{name}（{channels}）はgroups（{groups}）で割り切れなければなりません。",
    "arguments.conv_channels": "weight.shape[1]とgroupsの積（{w} * {groups}）は、入力のチャネル数（{channels}）と"
                               "等しくなければなりません。Convの重みの形は{layout}です。",
    "arguments.weight_ndim": "weightは{n}次元の{layout}でなければなりません（{ndim}次元、形状{shape}）。",
    "arguments.x_ndim": "xは{n}次元（C, {axes}）か{n1}次元（N, C, {axes}）でなければなりません。"
                        "いまは{ndim}次元で、形状は{shape}です。",
    "arguments.no_channels": "{side}は正でなければなりません。チャネル数0の層には計算するものがありません"
                             "（x.shape={x}、weight.shape={weight}）。",
    "arguments.bias": "biasの形状は({n},)（出力チャネルごとに1つの値）でなければなりません（形状：{shape}）。",
    # tconv_lib.foundations.reference、.stages
    "reference.zero_insert_ndim": "xには、strideの値1つにつき1つ、少なくとも{n}個の次元が必要です（形状：{shape}）。",
    "reference.matrix_weight": "weightは2次元か4次元でなければなりません（形状：{shape}）。2次元の形は（kH, kW）です。"
                               "4次元の形は（C_out, C_in, kH, kW）です。",
    "stages.not_2d": "xとkernelは、ここでは2次元の(H, W)でなければなりません（形状：{x}と{kernel}）。",
    # tconv_lib.foundations.figures、.grids；tconv_lib.upsampling.plots
    "figures.not_2d": "xとkernelは2次元でなければなりません（形状：{x}と{kernel}）。",
    "figures.step": "stepは、0以上{size}未満の入力のインデックスでなければなりません（指定値：{step}）。",
    "figures.ax_count_panels": "axには、これらのパネル用に{n}個のAxesが必要です（指定：{got}個）。",
    "figures.ax_count": "axには{n}個のAxesが必要です（指定：{got}個）。",
    "grids.values": "valuesは2次元の(H, W)でなければなりません（形状：{shape}）。",
    "grids.roles": "rolesの形状は、valuesの形状{shape}と同じでなければなりません（形状：{got}）。",
    "grids.highlight": "highlightは、形状{shape}のブール値のマスクか(rows, cols)の窓でなければなりません（形状：{got}）。",
    "plots.titles": "titlesには、画像1枚につき1つのタイトル（{n}個）が必要です（指定：{got}個）。",
    "plots.values_ndim": "valuesには少なくとも2つの次元(H, W)が必要です（形状：{shape}）。",
    "plots.values_stride": "valuesの形状{shape}は、stride（{stride}）の倍数でなければなりません。",
    # tconv_lib.claims、tconv_lib.tables、tconv_lib.device
    "claims.none": "check()には少なくとも1つの主張が必要です。",
    "claims.type": "checkには、aboveかbelowで作るClaimオブジェクトを渡してください（指定：{type}）。",
    "claims.nan": "{name}がNaNなので、それについての主張は成り立ちません。",
    "tables.rows": "どの行も、見出しと同じく{n}個のセルを持たなければなりません。",
    "device.prefer": "{var}とpreferには'cpu'、'cuda'、'auto'のいずれかを指定してください（指定値：「{got}」）。",
    "device.no_cuda": "{var}=cudaが指定されましたが、PyTorchからCUDAのGPUが見えません。",
    # tconv_lib.explorer：Pythonから設定した格子
    "explorer.grid_rows": "{name}は、数値の行を並べた空でないリストでなければなりません（指定値：{value}）。",
    "explorer.grid_rectangular": "{name}は、空でない長方形でなければなりません（各行の長さ：{lengths}）。",
    "explorer.grid_limit": "{name}の行と列は、それぞれ{limit}個までです（指定：{rows}x{cols}）。",
    "explorer.grid_finite": "{name}の値は有限の数でなければなりません（指定値：{value}）。",
}
