/**
 * text.mjs: the drawing's numbers as SVG text, set so that they lay out and paint fast. A glyph placed on its own (an x
 * per glyph, or textLength, which places every glyph) costs about ten times the layout and paint of a glyph in a run
 * of text. So each row of values is one run, or two when it is mostly blank (rowText), and the column numbers are one
 * run per number of digits (indexTexts), spaced with letter-spacing and word-spacing worked out from the font's
 * advance (advanceOf), which puts every glyph where a position of its own did. Glyphs are still placed one by one for
 * the row numbers (one above another: no run), and wherever the font's advance cannot be measured or its glyphs are
 * not all as wide. Strings only, no layout.
 */

/** Font size that fits `k` monospace characters into a cell of side `cell`. */
export function fontFor(k, cell) {
  return Number(Math.min(cell * 0.42, (cell - 5) / (MONO * Math.max(k, 1))).toFixed(1));
}

/** The advance of a monospace glyph, in em (0.6 in common monospace fonts; an error shifts a whole row by far less than a pixel). */
const MONO = 0.6;
/** The values' font stack, and the drawing's (row and column numbers): explorer.css says the same (tests/js check it). */
export const MONO_FONT = 'ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace';
export const DRAWING_FONT = 'system-ui,-apple-system,"Segoe UI",Roboto,sans-serif';
const advances = new Map();

/**
 * The advance in em that every character of `chars` has in `font` at `size` px, measured once on a canvas (a font
 * lookup, no layout; the advance depends a little on the size, as the SVG's text has it: 0.601 em at 7.2 px against
 * 0.602 at 10 px in DejaVu Sans Mono, a pixel over a long row); null when the characters' advances differ or there is
 * no canvas (as under Node): then text keeps a position per glyph.
 */
export function advanceOf(font, chars, size = 100) {
  const key = `${font}|${chars}|${size}`;
  if (advances.has(key)) return advances.get(key);
  let found = null;
  try {
    const ctx = globalThis.document?.createElement("canvas").getContext("2d");
    if (ctx) {
      ctx.font = `${size}px ${font}`;
      const one = ctx.measureText(chars[0].repeat(100)).width / 100;
      if (one > 0 && [...chars].every((ch) => Math.abs(ctx.measureText(ch.repeat(100)).width / 100 - one) < 0.01 * one)) found = one / size;
    }
  } catch { /* no canvas */ }
  advances.set(key, found);
  return found;
}

/** The advance of the values' glyphs (digits, minus, point, exponent, space) at `size`, or null (advanceOf). */
export const monoAdvance = (size) => advanceOf(MONO_FONT, "0123456789\u2212.e-+ ", size);

/**
 * One row of cell values as a single <text>: each cell is `m` monospace character slots (m of the parity of most of the
 * panel's values, `odd`, so that they sit centred; blanks are spaces), spaced so that slot i starts at x0 + i·cell/m,
 * with the letter-spacing that textLength would apply, from `adv` (monoAdvance at `size`); without it, textLength
 * itself, which makes every glyph a run of its own. A mostly blank row: sparseRuns, else a position per glyph.
 * `data-values` lists the row's values ("" for a blank cell) for tests and tools.
 */
export function rowText(texts, x0, y, cell, size, odd = true, adv = null) {
  const k = Math.max(1, ...texts.map((t) => t.length)), fit = Math.max(k, Math.floor(cell / (MONO * size)));
  const m = fit % 2 === (odd ? 1 : 0) || fit === k ? fit : fit - 1, w = cell / m;
  const line = texts.map((t) => {
    const left = Math.floor((m - t.length) / 2);
    return " ".repeat(left) + t + " ".repeat(m - t.length - left);
  }).join("");
  const glyphs = texts.reduce((n, t) => n + t.length, 0);
  if (3 * glyphs < line.length) {                   // mostly blank: a run or two (sparseRuns), else glyph by glyph
    const runs = glyphs ? sparseRuns(texts, x0, cell, size, adv) : null;
    if (runs) return runs.map((run, i) => `<text class="${i ? "tc-part" : `tc-row" data-values="${texts.join(",")}`}" y="${y}" ${run}</text>`).join("");
    const xs = [];
    texts.forEach((t, c) => [...t].forEach((_, i) => xs.push((x0 + c * cell + cell / 2 + (i - t.length / 2) * MONO * size).toFixed(1))));
    return `<text class="tc-row" data-values="${texts.join(",")}"${xs.length ? ` x="${xs.join(" ")}"` : ""} y="${y}" ` +
      `font-size="${size}">${texts.join("")}</text>`;
  }
  const length = Number((MONO * size + (line.length - 1) * w).toFixed(2)), n = line.length;
  const spacing = adv === null ? `textLength="${length}" lengthAdjust="spacing"`
    : `letter-spacing="${n > 1 ? ((length - n * adv * size) / (n - 1)).toFixed(4) : 0}"`;
  return `<text class="tc-row" data-values="${texts.join(",")}" x="${(x0 + (w - MONO * size) / 2).toFixed(2)}" y="${y}" ` +
    `font-size="${size}" ${spacing} xml:space="preserve">${line}</text>`;
}

/**
 * A mostly blank row as runs of text, each value centred on its cell with its glyphs 0.6 em apart (as placed one by one):
 * the values of odd length in one run, of even length in another. Each cell of a run is K characters (the value with
 * figure spaces either side, or K figure spaces) and a space whose word-spacing makes up the cell's width. Returns the
 * runs' attributes and text, or null when the font's figure space is not as wide as its digits.
 */
function sparseRuns(texts, x0, cell, size, adv) {
  if (adv === null || advanceOf(MONO_FONT, "0\u2007", size) === null) return null;
  const p = MONO * size, runs = [];
  for (const parity of [1, 0]) {
    const of = (t) => (t.length % 2 === parity ? t : ""), cells = texts.map((t, c) => (of(t) ? c : -1)).filter((c) => c >= 0);
    if (!cells.length) continue;
    const k = Math.max(...cells.map((c) => texts[c].length)), first = cells[0], chars = [];
    for (let c = first; c <= cells[cells.length - 1]; c++) {
      const t = of(texts[c]), side = "\u2007".repeat((k - t.length) / 2);
      chars.push(t ? side + t + side : "\u2007".repeat(k));
    }
    runs.push(`x="${(x0 + first * cell + cell / 2 - k * p / 2).toFixed(2)}" font-size="${size}" letter-spacing="` +
      `${((MONO - adv) * size).toFixed(4)}" word-spacing="${(cell - (k + 1) * p).toFixed(4)}">${chars.join(" ")}`);
  }
  return runs;
}

/**
 * Row and column numbers, their glyphs 0.6 em apart and centred on their cells. The row numbers: one <text> whose glyphs
 * are placed one by one. The column numbers: one run of text per number of digits, "10 11 12 ...", letter-spacing
 * keeping a number's glyphs 0.6 em apart and word-spacing making up the rest of a cell (placed glyphs cost ten times
 * the layout and paint of a run); one by one too when the font's digits are not all as wide (advanceOf).
 */
export function indexTexts(rows, cols, box, cell) {
  const fs = cell < 24 ? 8 : 10, adv = advanceOf(DRAWING_FONT, "0123456789", fs), space = advanceOf(DRAWING_FONT, " ", fs);
  const xs = [], ys = [], chars = [], runs = [];
  const put = (text, cx, cy) => [...text].forEach((ch, i) => {
    chars.push(ch); xs.push((cx + (i - (text.length - 1) / 2) * 0.6 * fs).toFixed(1)); ys.push(cy);
  });
  for (let r = 0; r < rows; r++) put(String(r), box.gx - 8, box.gy + r * cell + cell / 2 + 1);
  for (let first = 0; first < cols;) {
    const digits = String(first).length, last = Math.min(cols, 10 ** digits) - 1;
    if (adv === null || space === null) for (let c = first; c <= last; c++) put(String(c), box.gx + c * cell + cell / 2, box.gy - 7);
    else {
      const x = box.gx + first * cell + cell / 2 - ((digits - 1) * 0.6 + adv) * fs / 2, numbers = [];
      for (let c = first; c <= last; c++) numbers.push(c);
      runs.push(`<text class="tc-run" x="${x.toFixed(2)}" y="${box.gy - 7}" style="font-size:${fs}px" ` +
        `letter-spacing="${((0.6 - adv) * fs).toFixed(3)}" word-spacing="${(cell - (digits * 0.6 + space + 0.6 - adv) * fs).toFixed(3)}">${numbers.join(" ")}</text>`);
    }
    first = last + 1;
  }
  return [`<text x="${xs.join(" ")}" y="${ys.join(" ")}" style="font-size:${fs}px">${chars.join("")}</text>`, ...runs];
}
