// Unit tests of text.mjs under Node's test runner: the drawing's numbers set as runs of text (letter-spacing and
// word-spacing from the font's advance) put every glyph where the slower placements (textLength, an x per glyph) did.
// Node has no canvas, so a stand-in measures the fonts: DejaVu's advances (digits 0.602 em in the monospace font;
// digits 0.636 em and the space 0.318 em in the sans-serif one).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const WIDTHS = { mono: 0.60205078125, digit: 0.63623046875, space: 0.31787109375 };
globalThis.document = {
  createElement: () => ({ getContext: () => ({ font: "",
    measureText(text) {
      const size = parseFloat(this.font), mono = this.font.includes("Mono");
      return { width: [...text].reduce((w, ch) => w + size * (mono ? WIDTHS.mono : ch === " " ? WIDTHS.space : WIDTHS.digit), 0) };
    } }) }),
};
const { DRAWING_FONT, MONO_FONT, advanceOf, indexTexts, monoAdvance, rowText } = await import("../../tconv_lib/static/text.mjs");

const attr = (markup, name) => { const m = new RegExp(`\\s${name}="([^"]*)"`).exec(markup); return m ? m[1] : null; };
const texts = (markup) => [...markup.matchAll(/<text[^>]*>[^<]*<\/text>/g)].map((m) => m[0]);
const content = (text) => />([^<]*)<\/text>$/.exec(text)[1];

/** Where each glyph of a run starts: x, then each character's advance plus letter-spacing (and word-spacing after a space). */
function starts(text, advance) {
  const size = Number(attr(text, "font-size") ?? /font-size:([\d.]+)px/.exec(text)[1]);
  const ls = Number(attr(text, "letter-spacing") ?? 0), ws = Number(attr(text, "word-spacing") ?? 0);
  let x = Number(attr(text, "x"));
  return [...content(text)].map((ch) => {
    const at = x;
    x += advance(ch) * size + ls + (ch === " " ? ws : 0);
    return [ch, at];
  });
}

test("advances: measured once per font and size, null where the characters differ", () => {
  assert.ok(Math.abs(monoAdvance(7.2) - WIDTHS.mono) < 1e-12);
  assert.ok(Math.abs(advanceOf(DRAWING_FONT, "0123456789", 8) - WIDTHS.digit) < 1e-12);
  assert.equal(advanceOf(DRAWING_FONT, "0 ", 8), null, "a sans-serif space is narrower than its digits");
});

test("a row of values: letter-spacing puts each glyph where textLength spread them", () => {
  const row = ["1", "−2", "", "13", "0", "−4", "2", "7"], [x0, y, cell, size] = [100, 50, 18, 7.2];
  const stretched = rowText(row, x0, y, cell, size, true, null), spaced = rowText(row, x0, y, cell, size, true, monoAdvance(7.2));
  assert.match(stretched, /textLength="[\d.]+" lengthAdjust="spacing"/);
  assert.match(spaced, /letter-spacing="[\d.-]+"/);
  assert.doesNotMatch(spaced, /textLength/);
  assert.equal(content(spaced), content(stretched));
  assert.equal(attr(spaced, "data-values"), row.join(","));
  // textLength: the extra length is shared among the n − 1 gaps between the n characters
  const line = content(stretched), n = line.length, length = Number(attr(stretched, "textLength"));
  const gap = (length - n * WIDTHS.mono * size) / (n - 1), x = Number(attr(stretched, "x"));
  for (const [i, [, at]] of starts(spaced, () => WIDTHS.mono).entries()) assert.ok(Math.abs(at - (x + i * (WIDTHS.mono * size + gap))) < 1e-3, `glyph ${i}`);
});

test("a mostly blank row: one run per parity of length, each glyph where its own x put it", () => {
  const row = ["", "−2", "", "", "3", "", "", "", "−14", "", "", "", "5", "", "", ""], [x0, y, cell, size] = [40, 90, 18, 7.2];
  const placed = rowText(row, x0, y, cell, size, true, null), runs = texts(rowText(row, x0, y, cell, size, true, monoAdvance(7.2)));
  assert.ok(attr(placed, "x").split(" ").length === 7, "without the font's advance, a position per glyph");
  assert.equal(runs.length, 2);
  assert.equal(attr(runs[0], "class"), "tc-row");
  assert.equal(attr(runs[0], "data-values"), row.join(","), "the first run carries the row's values");
  assert.equal(attr(runs[1], "class"), "tc-part");
  const want = row.flatMap((t, c) => [...t].map((ch, i) => [ch, x0 + c * cell + cell / 2 + (i - t.length / 2) * 0.6 * size]));
  const got = runs.flatMap((run) => starts(run, () => WIDTHS.mono)).filter(([ch]) => ch !== " " && ch !== "\u2007");
  got.sort((a, b) => a[1] - b[1]);
  assert.deepEqual(got.map(([ch]) => ch), want.map(([ch]) => ch));
  for (const [i, [, at]] of got.entries()) assert.ok(Math.abs(at - want[i][1]) < 0.01, `glyph ${i}: ${at} vs ${want[i][1]}`);
  assert.equal(rowText(["", "", ""], x0, y, cell, size, true, monoAdvance(7.2)),
    `<text class="tc-row" data-values=",," y="${y}" font-size="${size}"></text>`, "a blank row stays one empty text");
});

test("column numbers: a run per number of digits, each digit centred where its own x put it", () => {
  const box = { gx: 30, gy: 60 }, cell = 18, fs = 8;
  const [rowNumbers, ...runs] = indexTexts(3, 23, box, cell);
  assert.equal(attr(rowNumbers, "x").split(" ").length, 3, "the row numbers keep a position per glyph");
  assert.deepEqual(runs.map(content), ["0 1 2 3 4 5 6 7 8 9", "10 11 12 13 14 15 16 17 18 19 20 21 22"]);
  const advance = (ch) => (ch === " " ? WIDTHS.space : WIDTHS.digit);
  const centres = runs.flatMap((run) => starts(run, advance)).filter(([ch]) => ch !== " ").map(([ch, at]) => [ch, at + WIDTHS.digit * fs / 2]);
  const want = Array.from({ length: 23 }, (_, c) => [...String(c)].map((ch, i, all) =>
    [ch, box.gx + c * cell + cell / 2 + (i - (all.length - 1) / 2) * 0.6 * fs])).flat();
  assert.equal(centres.length, want.length);
  for (const [i, [ch, at]] of centres.entries()) {
    assert.equal(ch, want[i][0]);
    assert.ok(Math.abs(at - want[i][1]) < 0.01, `digit ${i}: ${at} vs ${want[i][1]}`);
  }
});

test("explorer.css sets the fonts text.mjs measures", () => {
  const css = readFileSync(new URL("../../tconv_lib/static/explorer.css", import.meta.url), "utf8");
  assert.ok(css.includes(`.tc-part{text-anchor:start;white-space:pre;font-family:${MONO_FONT}}`), "the values' font");
  assert.ok(css.includes(`font:15px/1.4 ${DRAWING_FONT};`), "the drawing's font (row and column numbers)");
});
