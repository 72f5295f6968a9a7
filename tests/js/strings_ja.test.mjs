// The explorer's Japanese table (tconv_lib/static/strings_ja.mjs) under Node's test runner: every English key has its
// Japanese form, every caption and sum of every view and step comes out Japanese with its numbers filled in, and the
// English errors of tconv.mjs and state.mjs are said in Japanese by their key (errorText); English stays as it was.
import { test } from "node:test";
import assert from "node:assert/strict";
import { convTranspose2d } from "../../tconv_lib/static/tconv.mjs";
import { STATE_FIELDS, VIEWS, decodeState, stateFromHash } from "../../tconv_lib/static/state.mjs";
import { describeStep, phaseOf, stepCount } from "../../tconv_lib/static/steps.mjs";
import { marksFor } from "../../tconv_lib/static/panels.mjs";
import { STRINGS, errorText, stringsFor, sumText } from "../../tconv_lib/static/strings.mjs";

const EN = stringsFor("en"), JA = stringsFor("ja");
// the English entries that are formulas or code names, the same in both languages
const SHARED = new Set(["cellName", "cellLabel", "sum", "counter", "formulaGeneral", "lang"]);
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
// English words a Japanese caption may keep: PyTorch's names, the tensors' names, the explorer's notation
const CODE = /\b(stride|padding|output_padding|dilation|kernel_size|weight|output|bias|False|True|nn|Conv2d|ConvTranspose2d|view|step|Tab)\b/g;

const LAYERS = {
  ch02: convTranspose2d([[1, 2], [3, 4]], [[1, 0], [2, 1]], { stride: 2 }),
  crop: convTranspose2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, 1]], { stride: 2, padding: 2 }),
  ch08: convTranspose2d([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
    { stride: 2, padding: 1, outputPadding: 1 }),
  rect: convTranspose2d([[1, -2, 3], [0, 4, 1]], [[1, 2], [0, -1], [3, 1]], { stride: [3, 2], padding: [2, 0], outputPadding: [1, 0],
    dilation: [1, 2] }),
  gaps: convTranspose2d([[2, 1]], [[1]], { stride: 3 }),   // output cells that no input reaches
};

test("ja: every English key has a Japanese entry (nested tables and captions too)", () => {
  assert.equal(JA.lang, "ja");
  for (const [key, value] of Object.entries(STRINGS.en)) {
    if (SHARED.has(key)) continue;
    assert.ok(key in STRINGS.ja, `strings_ja.mjs lacks ${key}`);
    assert.equal(typeof STRINGS.ja[key], typeof value, key);
    if (value && typeof value === "object") {
      for (const inner of Object.keys(value)) assert.ok(inner in STRINGS.ja[key], `strings_ja.mjs lacks ${key}.${inner}`);
    }
  }
  for (const view of VIEWS) {
    for (const phase of Object.keys(STRINGS.en.captions[view])) assert.ok(phase in STRINGS.ja.captions[view], `${view}.${phase}`);
  }
});

test("ja: every caption of every view and step is Japanese, its numbers filled in", () => {
  for (const [name, res] of Object.entries(LAYERS)) {
    for (const view of VIEWS) {
      const n = stepCount(view, res);
      for (let step = 0; step < n; step++) {
        const { caption } = describeStep(view, res, step, JA), english = describeStep(view, res, step, EN).caption;
        const where = `${name} ${view} step ${step}: ${caption}`;
        const prefix = `ステップ${step + 1}/${n}：`, text = caption.slice(prefix.length);
        assert.ok(caption.startsWith(prefix), where);
        if (text !== english.slice(english.indexOf(": ") + 2)) assert.ok(JAPANESE.test(text), where);   // else a formula
        assert.doesNotMatch(caption, /undefined|NaN|\[object|[a-z]{4,} [a-z]{4,}/, where);
        assert.doesNotMatch(caption.replace(CODE, ""), /\b(the|and|of|to|is|are|at)\b/, where);
        for (const number of english.match(/\d+×\d+/g) ?? []) assert.ok(caption.includes(number), `${where}: lacks ${number}`);
      }
    }
  }
});

test("ja: what lights up says it in Japanese, the sums and names the same numbers", () => {
  for (const [name, res] of Object.entries(LAYERS)) {
    for (const view of VIEWS) {
      const last = stepCount(view, res) - 1, kinds = view === "overlap" ? ["kernel", "count"] : view === "forward" ? ["conv"]
        : ["output", "input"];
      for (const kind of kinds) {
        const { target } = phaseOf(view, res, last);
        const cell = { kind, r: 0, c: 0 }, ja = marksFor(view, res, last, cell, JA), en = marksFor(view, res, last, cell, EN);
        assert.deepEqual(ja.marks, en.marks, `${name} ${view} ${kind}`);
        if (ja.sum !== en.sum) assert.ok(JAPANESE.test(ja.sum), `${name} ${view} ${kind}: ${ja.sum}`);
        assert.doesNotMatch(ja.sum, /undefined|no term|Conv2d output|reaches|writes to/, `${name} ${view} ${kind} ${target}`);
      }
    }
  }
  assert.equal(sumText(JA, []), "0（このセルに届く項はありません）");
  assert.equal(sumText(EN, []), "0 (no term reaches this cell)");
  assert.match(marksFor("forward", LAYERS.ch02, 1, { kind: "conv", r: 0, c: 0 }, JA).sum, /^Conv2dの出力\[0, 0\] = /);
  assert.match(marksFor("forward", LAYERS.ch02, 1, { kind: "conv", r: 0, c: 0 }, EN).sum, /^Conv2d output\[0, 0\] = /);
});

test("ja: PyTorch's refusals and broken links are said in Japanese by their key; English keeps the message", () => {
  const refusal = (options) => { try { convTranspose2d([[1, 2], [3, 4]], [[1, 0], [2, 1]], options); } catch (e) { return e; } };
  const op = refusal({ stride: 2, outputPadding: 2 }), big = refusal({ padding: 3 }), rect = refusal({ stride: [2, 3], outputPadding: [0, 3] });
  assert.equal(errorText(EN, op), "output_padding (2) must be smaller than stride (2) or dilation (1)");
  assert.equal(errorText(JA, op), "output_padding（2）はstride（2）かdilation（1）より小さくなければなりません");
  assert.equal(errorText(JA, rect), "幅の方向で、output_padding（3）はstride（3）かdilation（1）より小さくなければなりません");
  assert.match(errorText(JA, big), /^padding（3）が大きすぎます。H_out = \(2 − 1\)·1 − 2·3 \+ 1·\(2 − 1\) \+ 0 \+ 1 = −3ですが、/);
  assert.equal(JA.refused(errorText(JA, op), JA.whyOutputPadding).split("。")[0],
    "PyTorchはこの設定を受け付けません：output_padding（2）はstride（2）かdilation（1）より小さくなければなりません");
  assert.equal(EN.refused(errorText(EN, op), ""), "PyTorch refuses this setting: output_padding (2) must be smaller than stride (2) " +
    "or dilation (1). The drawing still shows the last valid setting.");
  const keyed = ["x=1,a", "view=sideways", "step=-1", "colour=red", "stride"].map((text) => {
    try { decodeState(text); } catch (e) { return errorText(JA, e); }
  });
  assert.deepEqual(keyed, ["リンクのxには数値が必要です", "リンクのview「sideways」は、このエクスプローラの表示にありません",
    "stepは0以上の整数でなければなりません（指定値：「-1」）", "リンクに不明な項目「colour」があります",
    "リンクの部分「stride」は、名前=値の形でなければなりません"]);
  const broken = stateFromHash("ex", { ...STATE_FIELDS }, "#tconv-ex=x=1;2,3&weight=1");
  assert.match(broken.error, /x must be rectangular: row 2 has 2 values, row 1 has 1/);
  assert.equal(JA.linkBroken(errorText(JA, broken.reason)),
    "リンクの設定を使えませんでした（xは長方形でなければなりません。2行目の値は2個、1行目は1個です）。このページにもともとある例を表示しています。");
  assert.equal(errorText(JA, "a plain message"), "a plain message", "a message without a key stays as it is");
});
