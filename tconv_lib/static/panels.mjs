/**
 * panels.mjs: what each view draws at each step (panels of cells with values and roles) and what lights up
 * when a cell is pointed at. Pure data, no DOM; drawn by draw.mjs.
 * A panel: {key, kind?, title: [line 1, line 2], rows, cols, at(r, c) -> {v, role, tap?} | null (blank), frame?, zeros?}
 * (`zeros`: every cell but the input values is a zero).
 * `kind` makes its cells pointable: "input", "output", "kernel", "count" or "conv" (the forward pair's Conv2d output).
 */
import { convTranspose2d, footprint, formatNumber, windowCells } from "./tconv.mjs";
import { sumText } from "./strings.mjs";
import { ZI_STAGES, computedAt, forwardPair, outputStatus, overlapCounts, phaseOf, shapeText } from "./steps.mjs";


function inputPanel(res, L, shown = () => true) {
  return { key: "input", kind: "input", title: [L.panelInput, shapeText(res.inputSize)], rows: res.inputSize[0], cols: res.inputSize[1],
    at: (r, c) => (shown(r, c) ? { v: res.x[r][c], role: "input" } : null) };
}

/** The kernel, flipped (zero insertion) or as given; `shown` false draws it blank; `taps` colours each weight. */
function kernelPanel(res, L, { flipped = false, shown = true, taps = false } = {}) {
  const [kh, kw] = res.kernelSize, d = res.dilation;
  const title = [flipped ? L.panelKernelFlipped : L.panelKernel, shapeText(res.kernelSize) + (d.some((v) => v > 1) ? L.dilationNote(L.perAxis(d)) : "")];
  return { key: "kernel", kind: taps ? "kernel" : undefined, title, rows: kh, cols: kw,
    at: (r, c) => (!shown ? null : { v: flipped ? res.weight[kh - 1 - r][kw - 1 - c] : res.weight[r][c], role: taps ? "tap" : "kernel",
      tap: taps ? r * kw + c : undefined }) };
}

/** The output; output_padding's rows and columns are marked; `values` defaults to the output. */
function outputPanel(res, L, shown = () => true, values = res.output, note = "") {
  const [Ho, Wo] = res.outputSize, [oh, ow] = res.outputPadding;
  return { key: "output", kind: "output", title: [L.panelOutput, `${shapeText(res.outputSize)}${note}`], rows: Ho, cols: Wo,
    at: (r, c) => (!shown(r, c) ? null : { v: values[r][c], role: r >= Ho - oh || c >= Wo - ow ? "extra" : "output" }) };
}

function zeroInsertionPanels(res, step, L) {
  const seen = (stage) => step === 0 || step >= ZI_STAGES.indexOf(stage);
  const [H, W] = res.inputSize, s = res.stride, [Ph, Pw] = res.processing.size, b = res.border;
  const ih = (H - 1) * s[0] + 1, iw = (W - 1) * s[1] + 1;
  const inserted = { key: "inserted", zeros: true, title: [L.panelInserted, L.insertedNote(L.perAxis(s), L.perAxis(s.map((v) => v - 1)))],
    rows: ih, cols: iw,
    at: (r, c) => (!seen("inserted") ? null : r % s[0] || c % s[1] ? { v: 0, role: "inserted" } : { v: res.x[r / s[0]][c / s[1]], role: "input" }) };
  const top = Math.max(0, -b[0]), left = Math.max(0, -b[1]);
  const bottom = Math.min(ih - 1, Ph - 1 - b[0]), right = Math.min(iw - 1, Pw - 1 - b[1]);
  if (seen("border") && (top > 0 || left > 0 || bottom < ih - 1 || right < iw - 1) && bottom >= top && right >= left)
    inserted.frame = { r: top, c: left, h: bottom - top + 1, w: right - left + 1 };
  const { values, roles } = res.processing;
  const processing = { key: "processing", zeros: true, rows: Ph, cols: Pw, title: [L.panelProcessing, L.processingNote(`${Ph}×${Pw}`, L.perAxis(b.map(formatNumber)))],
    at: (r, c) => (!seen("border") || (step === ZI_STAGES.indexOf("border") && roles[r][c] === "extra") ? null
      : { v: values[r][c], role: roles[r][c] }) };
  const output = outputPanel(res, L, (r, c) => outputStatus("zero_insertion", res, step, r, c) === "done");
  return [inputPanel(res, L), inserted, processing, kernelPanel(res, L, { flipped: true, shown: seen("kernel") }), output];
}

function scatterPanels(res, step, L) {
  const { phase, target } = phaseOf("scatter", res, step);
  const [H, W] = res.inputSize, upto = phase === "stamp" ? target.r * W + target.c : H * W - 1;
  const shown = (i, j) => i * W + j <= upto;
  const partial = res.x.map((row, i) => row.map((v, j) => (shown(i, j) ? v : 0)));
  const canvas = convTranspose2d(partial, res.weight, { stride: res.stride, outputPadding: res.outputPadding, dilation: res.dilation });
  const [ch, cw] = canvas.outputSize, [ph, pw] = res.padding, [Ho, Wo] = res.outputSize, [oh, ow] = res.outputPadding;
  const roleAt = (r, c) => {
    if (r < ph || r >= ph + Ho || c < pw || c >= pw + Wo) return "cropped";
    return r >= ph + Ho - oh || c >= pw + Wo - ow ? "extra" : "output";
  };
  const canvasPanel = { key: "canvas", title: [L.panelCanvas, L.canvasNote], rows: ch, cols: cw,
    at: (r, c) => ({ v: canvas.output[r][c], role: roleAt(r, c) }), frame: { r: ph, c: pw, h: Ho, w: Wo } };
  const cropped = canvas.output.slice(ph, ph + Ho).map((row) => row.slice(pw, pw + Wo));
  return [inputPanel(res, L, phase === "stamp" ? shown : undefined), kernelPanel(res, L), canvasPanel,
    outputPanel(res, L, undefined, cropped, phase === "stamp" ? L.soFar : "")];
}

function overlapPanels(res, L) {
  const counts = overlapCounts(res), most = Math.max(1, ...counts.flat());
  const heat = { key: "counts", kind: "count", title: [L.panelCounts, L.countsNote], rows: res.outputSize[0], cols: res.outputSize[1],
    at: (r, c) => ({ v: counts[r][c], role: "count", level: counts[r][c] / most }) };
  return [inputPanel(res, L), kernelPanel(res, L, { taps: true }), heat, outputPanel(res, L)];
}

function forwardPanels(res, L) {
  const { conv } = forwardPair(res), out = outputPanel(res, L);
  out.title = [L.panelConvIn, L.convInNote(shapeText(res.outputSize))];
  const convOut = { key: "conv", kind: "conv", title: [L.panelConvOut, L.convOutNote(shapeText(conv.outputSize))],
    rows: conv.outputSize[0], cols: conv.outputSize[1], at: (r, c) => ({ v: conv.output[r][c], role: "output" }) };
  return [inputPanel(res, L), out, kernelPanel(res, L), convOut];
}

/** The panels of `view` at `step`; `L` is a strings table. */
export function panelsFor(view, res, step, L) {
  if (view === "scatter") return scatterPanels(res, step, L);
  if (view === "dependencies") return [inputPanel(res, L), kernelPanel(res, L), outputPanel(res, L)];
  if (view === "overlap") return overlapPanels(res, L);
  if (view === "forward") return forwardPanels(res, L);
  return zeroInsertionPanels(res, step, L);
}

/** The name a cell of `kind` is read by: x[r, c], output[r, c], weight[r, c], ... (`L`: the Conv2d output's, per language). */
export function cellName(kind, r, c, L) {
  return `${{ input: "x", kernel: "weight", conv: L?.convOutputName ?? "Conv2d output", count: "output" }[kind] ?? kind}[${r}, ${c}]`;
}

/**
 * What lights up when `target` is pointed at, at `step`: {marks: [{panel, r, c, note?, tap?}], sum}.
 * A cell that is not computed yet at this step shows no sum and lights nothing but itself.
 */
export function marksFor(view, res, step, target, L) {
  const [kh, kw] = res.kernelSize, flip = view === "zero_insertion", name = cellName(target.kind, target.r, target.c, L);
  const tapMark = ([ti, tj], extra = {}) => ({ panel: "kernel", r: flip ? kh - 1 - ti : ti, c: flip ? kw - 1 - tj : tj, ...extra });
  if (target.kind === "output" || target.kind === "count") {
    const { r, c } = target, status = outputStatus(view, res, step, r, c), self = { panel: target.kind === "count" ? "counts" : "output", r, c };
    if (status === "pending") return { marks: [self], sum: L.notYet(name, computedAt(view, res, r, c) + 1) };
    const { phase, target: stamp } = phaseOf(view, res, step);
    const [, W] = res.inputSize, upto = phase === "stamp" ? stamp.r * W + stamp.c : Infinity;
    const terms = res.contributions[r][c].filter((t) => t.input[0] * W + t.input[1] <= upto), marks = [self];
    for (const t of terms) marks.push({ panel: "input", r: t.input[0], c: t.input[1] }, tapMark(t.tap));
    if (view === "zero_insertion") {
      for (const cell of windowCells(res, r, c)) marks.push({ panel: "processing", r: cell.processing[0], c: cell.processing[1], note: `×${formatNumber(cell.w)}` });
    }
    if (view === "scatter") marks.push({ panel: "canvas", r: r + res.padding[0], c: c + res.padding[1] });
    if (view === "overlap") marks.push({ panel: target.kind === "count" ? "output" : "counts", r, c });
    const sum = status === "partial" ? L.sumSoFar(name, sumText(L, terms)) : L.sum(name, sumText(L, terms));
    return { marks, sum: view === "overlap" ? `${L.countIs(name, res.contributions[r][c].length)} ${sum}` : sum };
  }
  if (target.kind === "kernel") {
    const { r: ti, c: tj } = target, tap = ti * kw + tj, marks = [{ panel: "kernel", r: ti, c: tj, tap }], cells = [];
    res.contributions.forEach((row, oi) => row.forEach((terms, oj) => {
      if (terms.some((t) => t.tap[0] === ti && t.tap[1] === tj)) { cells.push(`[${oi}, ${oj}]`); marks.push({ panel: "counts", r: oi, c: oj, tap }, { panel: "output", r: oi, c: oj, tap }); }
    }));
    return { marks, sum: L.weightReaches(name, formatNumber(res.weight[ti][tj]), L.outputCells(cells.length), cells.join(" ")) };
  }
  if (target.kind === "conv") {
    const { conv } = forwardPair(res), { r, c } = target, s = res.stride, p = res.padding, d = res.dilation;
    const marks = [{ panel: "conv", r, c }];
    for (let ti = 0; ti < kh; ti++) for (let tj = 0; tj < kw; tj++) {
      marks.push({ panel: "output", r: r * s[0] - p[0] + ti * d[0], c: c * s[1] - p[1] + tj * d[1], note: `×${formatNumber(res.weight[ti][tj])}` });
      marks.push({ panel: "kernel", r: ti, c: tj });
    }
    return { marks, sum: L.sum(name, sumText(L, conv.contributions[r][c])) };
  }
  const { r: i, c: j } = target, cells = footprint(res, i, j), v = formatNumber(res.x[i][j]);
  const marks = [{ panel: "input", r: i, c: j }];
  for (const f of cells) marks.push({ panel: "output", r: f.output[0], c: f.output[1] }, tapMark(f.tap));
  if (view === "zero_insertion") {
    marks.push({ panel: "inserted", r: i * res.stride[0], c: j * res.stride[1] });
    marks.push({ panel: "processing", r: i * res.stride[0] + res.border[0], c: j * res.stride[1] + res.border[1] });
  }
  if (view === "scatter") {
    for (let ti = 0; ti < kh; ti++) for (let tj = 0; tj < kw; tj++)
      marks.push({ panel: "canvas", r: i * res.stride[0] + ti * res.dilation[0], c: j * res.stride[1] + tj * res.dilation[1] });
  }
  const list = cells.map((f) => L.gets(cellName("output", ...f.output, L), v, formatNumber(res.weight[f.tap[0]][f.tap[1]])));
  return { marks, sum: cells.length ? L.writesTo(name, v, L.outputCells(cells.length), list.join(L.listSep)) : L.reachesNone(name, v) };
}
