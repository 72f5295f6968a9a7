/**
 * strings_ja.mjs: the explorer's Japanese table (STRINGS.ja in strings.mjs): the same keys as the English table,
 * です・ます for sentences, noun phrases for labels, the terms of locale/ja/glossary.yml. A key it lacks falls back
 * to English (cellLabel, sum, counter, formulaGeneral: formulas and names, the same in both). `errors` says the
 * English errors of tconv.mjs and state.mjs by their key (strings.mjs errorText). Its one top-level name is JA.
 */

/** The Japanese table. */
export const JA = {
  perAxis: ([a, b]) => (a === b ? String(a) : `${a}（行）・${b}（列）`),
  count: (n, unit) => `${n}${unit}`,
  title: "ConvTranspose2dエクスプローラ",
  presets: {
    ch01: ["第1章：スタンプ", "第1章：入力値ごとにカーネルをスタンプし、重なりは足し合わせる"],
    ch02: ["第2章：ストライド", "第2章：ストライド2、パディング0。ゼロ挿入、縁、反転したカーネル"],
    ch03: ["第3章：パディング", "第3章：パディングはまず縁を削り、次に切り落とす（3×3の入力、ストライド2）"],
    ch04: ["第4章：output_padding", "第4章：Conv2d(kernel_size=3, stride=2, padding=1)は5と6をどちらも3にする。" +
      "output_padding=1は6を選ぶ"],
    ch05: ["第5章：dilation", "第5章：dilation 2でカーネルのタップが広がる"],
    ch08: ["第8章：重なり", "第8章：kernel_size 3、stride 2。重なりが不均一で、平らな入力にチェッカーボードが出る"],
    ch10: ["第10章：DCGANの層", "第10章：DCGANの層。kernel_size 4、stride 2、padding 1"],
  },
  workedTitle: (name) => `計算例：${name}（単位行列のカーネル）`,
  layerArguments: "層の引数",
  linkAxes: "高さと幅をそろえる",
  axisName: (name, axis) => `${name}（${axis === 0 ? "高さ" : "幅"}）`,
  preset: "プリセット",
  custom: "カスタム",
  view: "表示",
  views: { zero_insertion: "ゼロ挿入", scatter: "スキャッタ", dependencies: "依存関係", overlap: "重なり",
    forward: "順方向の対" },
  inputBox: "入力 x", kernelBox: "カーネル（weight）",
  inputHeight: "入力の高さ", inputWidth: "入力の幅", kernelHeight: "カーネルの高さ", kernelWidth: "カーネルの幅",
  inputValues: "入力の値", kernelValues: "カーネルの値",
  editValues: "入力とカーネルの値を編集",
  // the player
  previous: "前のステップ", next: "次のステップ", play: "再生", pause: "一時停止", reset: "リセット",
  previousTitle: "1ステップ戻る", nextTitle: "1ステップ進む", playTitle: "ステップを順に再生する",
  resetTitle: "このエクスプローラを開いたときの設定に戻し、概要を表示する",
  stepSlider: "ステップ", speed: "速さ",
  speedOption: (v) => `毎秒${v}ステップ`,
  step: (k, n, text) => `ステップ${k}/${n}：${text}`,
  // live region
  backToOverview: "設定が変わったので、概要（ステップ1）に戻りました。",
  resetDone: "このエクスプローラを開いたときの設定に戻し、概要を表示しました。",
  // link
  copyLink: "リンクをコピー", copyLinkTitle: "この設定へのリンクをコピーする", link: "リンク",
  linkCopied: "リンクをコピーしました。", linkNoId: "このエクスプローラにはidがないため、リンクで指せません。",
  linkByHand: "ブラウザがクリップボードへのコピーを拒否しました。上のリンクを手でコピーしてください。",
  linkBroken: (why) => `リンクの設定を使えませんでした（${why}）。このページにもともとある例を表示しています。`,
  // errors
  refused: (message, why) => `PyTorchはこの設定を受け付けません：${message}。${why}描画は、最後の有効な設定のままです。`,
  whyOutputPadding: "output_paddingは、このストライドのConv2dがこの入力サイズに写す出力サイズのうち、1つを選びます。" +
    "その候補はストライド（dilationのほうが大きければdilation）の数しかないので、output_paddingはストライドか" +
    "dilationより小さくなければなりません。",
  whyPadding: "paddingは出力の各辺から行と列を切り落とします。この設定では、すべてを切り落としてしまいます。",
  limit: (message) => `${message}。描画は、最後の有効な設定のままです。`,
  wholeNumber: (name, text) => `${name}は整数でなければなりません（入力：「${text}」）`,
  between: (name, min, max, v) => `このエクスプローラでは、${name}は${min}から${max}まででなければなりません（入力：${v}）`,
  needsNumber: (name, text) => `${name}には数値が必要です（入力：「${text}」）`,
  errors: {
    pair: ({ name, shown }) => `${name}は整数か、整数の組[h, w]でなければなりません（指定値：${shown}）`,
    gridRows: ({ name }) => `${name}は、数値の行を並べた空でない配列でなければなりません`,
    gridRectangular: ({ name, row, length, first }) => `${name}は長方形でなければなりません。${row}行目の値は${length}個、` +
      `1行目は${first}個です`,
    gridValue: ({ name, row, column, value }) => `${name}の${row}行${column}列は有限の数でなければなりません（指定値：${value}）`,
    positive: ({ name, value }) => `${name}は正の値でなければなりません（指定値：${value}）`,
    nonNegative: ({ name, value }) => `${name}は0以上でなければなりません（指定値：${value}）`,
    inputSize: ({ value }) => `入力サイズは正の値でなければなりません（指定値：${value}）`,
    outputPadding: ({ op, s, d, axis }) => `${axis === null ? "" : `${["高さ", "幅"][axis]}の方向で、`}output_padding（${op}）は` +
      `stride（${s}）かdilation（${d}）より小さくなければなりません`,
    paddingTooLarge: ({ p, formula, size, axis }) => `padding（${p}）が大きすぎます。${formula} = ${size}ですが、` +
      `PyTorchでは出力の${["高さ", "幅"][axis]}が1以上でなければなりません`,
    convSpan: ({ k, d, reach, padded, n, p, axis }) => `dilation（${d}）のkernel_size（${k}）は${reach}${["行", "列"][axis]}に` +
      `わたり、パディングした入力の${padded}（${["高さ", "幅"][axis]}${n} + 2·padding ${p}）を超えます。PyTorchでは` +
      "dilation·(kernel_size − 1) + 1 ≤ 入力サイズ + 2·paddingが必要です",
    permalinkPart: ({ part }) => `リンクの部分「${part}」は、名前=値の形でなければなりません`,
    permalinkNumbers: ({ name }) => `リンクの${name}には数値が必要です`,
    permalinkView: ({ value }) => `リンクのview「${value}」は、このエクスプローラの表示にありません`,
    permalinkStep: ({ value }) => `stepは0以上の整数でなければなりません（指定値：「${value}」）`,
    permalinkField: ({ name }) => `リンクに不明な項目「${name}」があります`,
  },
  // panels
  panelInput: "入力 x", panelKernelFlipped: "カーネル（反転）", panelKernel: "カーネル（そのまま）",
  panelOutput: "出力", soFar: "（ここまで）", dilationNote: (d) => `、dilation ${d}`,
  panelInserted: "ゼロ挿入", insertedNote: (s, between) => `ストライド${s}：間に${between}個`,
  panelProcessing: "処理画像", processingNote: (size, b) => `${size}、縁${b}`,
  panelCanvas: "キャンバス（padding 0）", canvasNote: "重なりは足し合わされる",
  panelCounts: "重なりの数", countsNote: "出力セルごとのタップ数",
  panelConvIn: "Conv2dの入力", convInNote: (size) => `${size}：転置畳み込みの出力`,
  panelConvOut: "Conv2dの出力", convOutNote: (size) => `${size}：転置畳み込みの入力のサイズ`,
  panelSummary: (title, size) => `${title}、${size}`,
  notComputed: "未計算",
  cellPending: (name) => `${name}：まだ計算していません`,
  convOutputName: "Conv2dの出力",
  noTerm: "0（このセルに届く項はありません）",
  listSep: "、",
  drawingLabel: (view, titles) => `${view}の表示：${titles}`,
  drawingRegion: "描画（幅が広いときは横にスクロール）",
  // legend
  legend: "凡例",
  roles: { input: "入力値", inserted: "挿入したゼロ（斜線）", border: "暗黙の縁、ゼロ（点）",
    extra: "output_paddingの行・列（交差した斜線）", kernel: "カーネルの重み", output: "出力",
    cropped: "paddingで切り落とす部分（横線）", pending: "未計算（空白）", count: "重なりの数（濃いほどタップが多い）" },
  ring: { zero_insertion: "現在のセル、カーネルの窓（×重み）とそれが使う値", scatter: "現在のスタンプ、指したセル",
    dependencies: "指したセルと、それを作ったもの", overlap: "指した重みが届くセル（その重みの色）",
    forward: "指したConv2dの出力セルとその窓" },
  outline: (what) => `枠：${what}`,
  dashed: (what) => `破線：${what}`,
  frameScatter: "paddingを切り落としたあとに残る部分", frameCrop: "切り落としたあとに残る部分",
  // pointing
  pointHint: "出力セルを指す（ホバー、タップ、フォーカス）とその和を、入力セルを指すとその行き先を表示します。",
  pointHintOverlap: "カーネルの重みを指す（ホバー、タップ、フォーカス）と、その重みの届く出力セルをすべて表示します。",
  sumSoFar: (name, sum) => `${name}のここまでの値 = ${sum}（スタンプはまだ続きます）`,
  notYet: (name, k) => `${name}はまだ計算していません。ステップ${k}で計算します。`,
  writesTo: (name, v, n, list) => `${name} = ${v}の書き込み先は${n}です：${list}。`,
  gets: (out, v, w) => `${out}に${v}·${w}`,
  reachesNone: (name, v) => `${name} = ${v}はどの出力セルにも届きません。paddingがスタンプ全体を切り落とします。`,
  outputCells: (n) => `${n}個の出力セル`,
  weightReaches: (name, w, n, cells) => `${name} = ${w}は${n}に届きます：${cells}。`,
  countIs: (name, n) => `${name}：このセルに届くカーネルのタップは${n}個です。`,
  // the forward pair
  forwardSizes: (call, sizes, out) => `${call}は${sizes}を${out}に写します`,
  forwardPick: (op, size) => `output_padding = ${op}は${size}を選びます。`,
  or: "か",
};

/** Step captions (d: the facts steps.mjs computes, L: this table merged with English). */
JA.captions = {
  zero_insertion: {
    overview: (d) => `概要：入力${d.input} → ゼロ挿入${d.inserted} → 処理画像${d.processing} → その上を反転したカーネルが滑る → ` +
      `出力${d.output}。「次のステップ」を押すと、1段階ずつ組み立てます。`,
    input: (d, L) => `入力xは${d.input}、カーネルは${d.kernel}です。stride：${L.perAxis(d.stride)}、padding：` +
      `${L.perAxis(d.padding)}、output_padding：${L.perAxis(d.outputPadding)}、dilation：${L.perAxis(d.dilation)}。`,
    inserted: (d, L) => `隣り合う入力値の間に、stride − 1 = ${L.perAxis(d.between)}個のゼロ（z）を挿入します。` +
      `画像は${d.inserted}に広がります。`,
    border: (d) => {
      const phrase = (a, amount) => {
        const n = Math.abs(d.border[a]), sum = `${d.dilation[a]}·(${d.kernelSize[a]} − 1) − ${d.padding[a]} = ${d.borderText[a]}`;
        return d.border[a] >= 0 ? `${sum}：各辺にゼロ（b）を${amount(n)}付けます`
          : `${sum} < 0：paddingが縁を超えるので、各辺から${amount(n)}を切り落とします（破線の枠）`;
      };
      return d.square ? `暗黙の縁はdilation·(kernel_size − 1) − padding = ${phrase(0, (n) => `${n}行・${n}列`)}。`
        : `暗黙の縁はdilation·(kernel_size − 1) − paddingです。行は${phrase(0, (n) => `${n}行`)}。列は${phrase(1, (n) => `${n}列`)}。`;
    },
    extra: (d, L) => (d.outputPadding[0] || d.outputPadding[1]
      ? `output_padding = ${L.perAxis(d.outputPadding)}：下に${L.count(d.outputPadding[0], "行")}、右に` +
        `${L.count(d.outputPadding[1], "列")}を追加します（p）。追加したセルも、ほかのセルと同じように和に加わります。`
      : "output_padding = 0：下と右には何も追加しません。"),
    kernel: (d, L) => "カーネルを反転します（180°回転）。weight[0, 0]は右下に来ます。" +
      (d.dilated ? `dilation ${L.perAxis(d.dilation)}なので、タップはそのセル数だけ離れて並びます。` : "") +
      `カーネルは${d.processing}の処理画像の上を1セルずつ滑り、位置ごとに出力セルが1つ得られます。`,
    cell: (d) => `${d.name} = ${d.sum}。反転したカーネルは、処理画像の行${d.rows}、列${d.cols}を覆います。その下のゼロは何も足しません。`,
    final: (d) => `完成：${d.output}の出力です。このxとweightに対して${d.call}が返す数値です。`,
  },
  scatter: {
    overview: (d, L) => "概要：入力値ごとに、その値を掛けたカーネルをキャンバスにスタンプします。" +
      `スタンプは${L.perAxis(d.stride)}セルずつ（ストライド）離れて始まり、重なったスタンプは足し合わされます。` +
      `そのあと、各辺からpadding ${L.perAxis(d.padding)}を切り落とします（破線の枠）。` +
      (d.kept ? `output_paddingにより、下と右に${L.perAxis(d.outputPadding)}だけ多く残します（p）。` : "") +
      "「次のステップ」を押すと、値を1つずつスタンプします。",
    stamp: (d) => `${d.name} = ${d.v}は、${d.v} × カーネルを、左上の隅がキャンバスの行${d.r}·${d.stride[0]} = ${d.top}、` +
      `列${d.c}·${d.stride[1]} = ${d.left}に来るようにスタンプします。スタンプが重なるところでは、値が足し合わされます。`,
    final: (d, L) => `各辺からpadding = ${L.perAxis(d.padding)}を切り落とします。` +
      (d.kept ? `output_paddingにより、下と右に${L.perAxis(d.outputPadding)}だけ多く残します（p）。` : "") +
      `出力は${d.output}で、${d.call}が返すものと同じです。`,
  },
  dependencies: {
    overview: "出力セルを指す（ホバー、タップ、またはTabで移動して矢印キー）と、それを作った入力値とカーネルのタップを" +
      "表示します。入力セルを指すと、その値の書き込み先の出力セルをすべて表示します。「次のステップ」で出力セルを順にたどります。",
    cell: (d) => `${d.name} = ${d.sum}`,
  },
  overlap: {
    overview: (d, L) => `概要：ヒートマップは、各出力セルに届くカーネルのタップの数です（カーネル${d.kernel}、` +
      `ストライド${L.perAxis(d.stride)}）。` + (d.interior === "" ? "この出力は小さすぎて、端から離れたセルがありません。"
        : d.even ? `端から離れたセルには、どれも${d.interior}個のタップが届きます。重なりによるチェッカーボードはありません。`
          : `端から離れたセルでは、数が交互に変わります（${d.interior}）。` +
            `${d.dilated ? "" : "kernel_sizeがストライドの倍数でないため、"}チェッカーボードになります。`) +
      "カーネルの重みを指すと、その重みの届くセルを表示します。「次のステップ」で重みを順にたどります。",
    tap: (d) => `${d.name} = ${d.w}は${d.n}個の出力セルに届きます（その色の枠）。重みは${d.stride}セルおきに届き、` +
      "別の重みのスタンプが出会うところでは数が足し合わされます。",
    final: (d) => (!d.constant ? "この入力に対する出力を表示しています。入力値をすべて同じ数にすると、このカーネルが" +
        "平らな入力を平らなまま保つかどうかがわかります。"
      : d.flat ? `この一定の入力では、端から離れた出力は平らです（${d.values}）。各セルに届く重みの和がどれも同じなので、` +
        "このカーネルは釣り合っていて、チェッカーボードは現れません。"
        : `この一定の入力では、端から離れた出力が${d.nValues}種類の値をとります（${d.values}）。平らな入力に` +
          `チェッカーボードが現れます。${d.even ? "数は均等ですが、各セルに届く重みの和が同じではありません。" : ""}`),
  },
  forward: {
    overview: (d) => `概要：${d.conv}は、このConvTranspose2dが形状を逆にたどるConv2dです。これは${d.sizes}を${d.input}に` +
      `写し、output_padding = ${d.op}は${d.picked}を選びます。ここでは、転置畳み込みの出力${d.output}に適用して${d.input}を得ます。`,
    cell: (d) => `Conv2dの${d.name} = ${d.sum}。カーネル（Conv2dは相互相関なので反転しない）は、その入力の行${d.rows}、` +
      `列${d.cols}を覆います。${d.padded ? "入力の外の行と列は、Conv2dのゼロパディングです。" : ""}`,
  },
};
