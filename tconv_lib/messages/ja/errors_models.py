"""日本語：アップサンプリング、GAN、実用モデルのモジュールで、学習者の引数が起こすエラー。"""

MESSAGES: dict[str, str] = {
    # tconv_lib.upsampling.imaging
    "imaging.negative": "画像に負の整数があります（最小値{low}）。画素値を渡してください。",
    "imaging.float_range": "画像はfloatですが、[0, 1]の範囲にありません（最小値{low:.3g}、最大値{high:.3g}）。"
                           "読み込んだ場所で一度だけ変換してください。",
    "imaging.dtype": "画像の要素は整数かfloatでなければなりません（dtype：{dtype}）。",
    "imaging.hwc": "imageは3次元の(H, W, C)でなければなりません（{ndim}次元、形状{shape}）。",
    "imaging.batch": "xに入れる画像は1枚（バッチサイズ1）でなければなりません（バッチサイズ：{n}）。",
    "imaging.nchw": "xの形は（1, C, H, W）でなければなりません（形状：{shape}）。（C, H, W）でも構いません。",
    "imaging.fraction": "held_out_fractionは、0と1の間の値（両端は含まない）でなければなりません（指定値：{got}）。",
    "imaging.empty_part": "held_out_fraction={fraction}では、{rows}行を分けた一方が空になります。",
    "imaging.patch_x": "xは4次元の(N, C, H, W)でなければなりません（形状：{shape}）。",
    "imaging.patch_size": "size（{size}）は、画像の高さと幅{hw}を超えてはいけません。",
    "imaging.psnr_shape": "predとtargetの形状は同じでなければなりません（形状：{pred}と{target}）。",
    # tconv_lib.upsampling.upsamplers、.artifacts
    "upsamplers.channels": "「{name}」はチャネルを混ぜないため、out_channels（{out_channels}）は"
                           "in_channels（{in_channels}）と等しくなければなりません。",
    "upsamplers.head": "headは、学習できる2倍の層{allowed}のいずれかでなければなりません（指定値：「{got}」）。",
    "upsamplers.patch_size": "patch_size（{patch_size}）は、拡大率（{scale}）の倍数でなければなりません。",
    "artifacts.multiple": "出力サイズ({height}, {width})は、縦横どちらもstride（{stride}）の倍数でなければなりません。",
    "artifacts.ndim": "yには少なくとも2つの次元(H, W)が必要です（形状：{shape}）。",
    "artifacts.seeds": "seedsには少なくとも1つのシードが必要です。",
    # tconv_lib.gan.data、.image_files
    "data.held_out_fraction": "held_out_fractionは、0と1の間の値（両端は含まない）でなければなりません（指定値：{got}）。",
    "data.grid_images": "imagesの形状は(n, C, H, W)でなければなりません（形状：{shape}）。",
    "image_files.channels": "channelsは1（グレースケール）か3（RGB）でなければなりません（指定値：{got}）。",
    "image_files.unreadable": "画像ファイル「{path}」を読めません：{error}",
    "image_files.sixteen_bit": "画像「{path}」の整数値は{low:.0f}..{high:.0f}で、"
                               "16ビットのグレースケール（0..{full}）ではありません。",
    "image_files.root": "rootには既存のフォルダを指定してください（指定値：「{path}」）。",
    "image_files.empty": "フォルダ「{path}」（root）に画像ファイル（{extensions}）がありません。",
    # tconv_lib.gan.dcgan、.latent、.train_config、.training、.quality、.diversity、.weights
    "dcgan.image_size": "image_sizeは8以上の2のべき乗でなければなりません（指定値：{got}）。",
    "dcgan.doubles": "ストライド2でサイズを2倍にするには、kernel_size + output_padding - 2*padding == 2でなければなりません。"
                     "指定された値は、kernel_size（{kernel_size}）、padding（{padding}）、output_padding（{output_padding}）です。",
    "dcgan.halves": "kernel_size（{kernel_size}）とpadding（{padding}）は、ストライド2でサイズを半分にしなければなりません"
                    "（image_size {image_size}）。",
    "dcgan.unknown": "ハイパーパラメータ{unknown}はありません。指定できるのは{allowed}です。",
    "latent.cells": "cellsは0（隙間なし）か、2からlatent_dim（{latent_dim}）までの整数でなければなりません（指定値：{got}）。",
    "latent.gap": "gapは0以上の有限の数でなければなりません（指定値：{got}）。",
    "training.cutout": "cutoutは画像の辺に対する割合で、[0, 1]の範囲でなければなりません（指定値：{got}、0.5が論文の正方形）。",
    "training.decay": "decayは0以上1未満でなければなりません（指定値：{got}）。",
    "training.augment": "augmentはTrueかFalseでなければなりません（指定値：{got}）。",
    "quality.images_16": "imagesの形状は(n, 1, H, H)で、Hは16の倍数でなければなりません（形状：{shape}）。",
    "diversity.matrix": "{name}の形状は(n, d, ...)で、nは1以上でなければなりません（形状：{shape}）。",
    "diversity.k": "kは1からlen(points) - 1 = {most}までの値でなければなりません（指定値：{got}）。",
    "diversity.agree": "manifold {manifold}、radii ({radii},)、queries {queries}の大きさが合いません。"
                       "点の数はmanifoldとradiiで、次元の数はmanifoldとqueriesで一致しなければなりません。",
    "weights.not_found": "チェックポイントのファイルが見つかりません：{path}",
    "weights.no_checksum": "「{name}」のチェックサムがわかりません。expected_sha256を指定してください。",
    "weights.mismatch": "{path}のSHA-256が一致しません（期待値{expected}、実際{actual}）。"
                        "ファイルが壊れているか、manifestに書かれたチェックポイントではありません。",
    "weights.unreadable": "{path}は読み込めるsafetensorsファイルではありません：{error}",
    "weights.wrong_module": "{path}には{what}が入っていません：{error}",
    # tconv_lib.real_models.decoders、.reference_nd、.onnx_export
    "decoders.too_small": "input_size {size}は深さ{depth}には小さすぎます。レベル{index}の特徴マップが{hw}になり、"
                          "ダウンサンプリングの層でそれ以上縮められません。",
    "decoders.unreachable": "レベル{index}：kernel_size={k}、stride={s}、padding={p}のConvTranspose2dは{axis}{below}を"
                            "{reachable}のどれかにしますが、スキップ接続の{target}にはなりません"
                            "（output_paddingで足せるのは0..{most}）。{hint}",
    "decoders.example": "たとえば{layer}なら、この軸に合います。",
    "decoders.crop_to": "size（{h}, {w}）は、テンソルの大きさ（{H}, {W}）を超えてはいけません。",
    "decoders.center_crop": "size（{h}, {w}）は、テンソルの大きさ（{H}, {W}）を超えてはいけません。"
                            "切り抜きでは大きくできません。",
    "reference_nd.x": "xは、weight {weight}に合わせて空間軸が{n}個の(N, C_in, *spatial)でなければなりません（形状：{shape}）。",
    "onnx.shape": "ONNX Runtimeの出力の形状{got}が、PyTorchの{want}と異なります。",
}
