/**
 * steps.mjs: what each step of each view shows, and its caption. Pure functions of a convTranspose2d
 * result (tconv.mjs), no DOM: unit-tested under Node (tests/js/steps.test.mjs).
 * Views: zero_insertion (stages, then one output cell per step), scatter (one stamp per input value),
 * dependencies (one output cell per step), overlap (one kernel weight per step), forward (the Conv2d
 * whose shape the layer reverses, one of its output cells per step). Step 0 is always the overview.
 */
import { conv2d, formatNumber, layerCall } from "./tconv.mjs";
import { sumText } from "./strings.mjs";

/** Steps of the zero-insertion view before the output cells: overview, then one per stage. */
export const ZI_STAGES = ["overview", "input", "inserted", "border", "extra", "kernel"];

/** "H×W" of a size. */
export const shapeText = ([h, w]) => `${h}×${w}`;

/** The Conv2d whose shape `res` reverses, run on `res.output`, and the input sizes it maps to res.inputSize. */
export function forwardPair(res) {
  if (res.forward) return res.forward;
  const conv = conv2d(res.output, res.weight, { stride: res.stride, padding: res.padding, dilation: res.dilation });
  const sizes = [0, 1].map((a) => {
    const least = (res.inputSize[a] - 1) * res.stride[a] - 2 * res.padding[a] + res.dilation[a] * (res.kernelSize[a] - 1) + 1;
    return Array.from({ length: res.stride[a] }, (_, k) => least + k);
  });
  Object.defineProperty(res, "forward", { value: { conv, sizes }, enumerable: false });
  return res.forward;
}

/** How many kernel taps reach each output cell: [Ho][Wo] ints (tconv_lib.foundations.arithmetic.overlap_count). */
export function overlapCounts(res) {
  return res.contributions.map((row) => row.map((terms) => terms.length));
}

/** The output rows/columns whose every stamp lies inside the input (no edge effect): [[r0, r1], [c0, c1]]. */
export function interior(res) {
  return [0, 1].map((a) => [Math.max(0, res.dilation[a] * (res.kernelSize[a] - 1) - res.padding[a]),
    Math.min(res.outputSize[a] - 1, (res.inputSize[a] - 1) * res.stride[a] - res.padding[a])]);
}

/** The distinct values of `grid` inside the interior of `res`, sorted (rounded to 9 digits). */
export function interiorValues(res, grid) {
  const [[r0, r1], [c0, c1]] = interior(res), seen = new Set();
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) seen.add(Math.round(grid[r][c] * 1e9) / 1e9);
  return [...seen].sort((a, b) => a - b);
}

/** How many steps `view` has for `res`. */
export function stepCount(view, res) {
  const [H, W] = res.inputSize, [Ho, Wo] = res.outputSize, [kh, kw] = res.kernelSize;
  if (view === "scatter") return H * W + 2;
  if (view === "dependencies") return Ho * Wo + 1;
  if (view === "overlap") return kh * kw + 2;
  if (view === "forward") return H * W + 1;
  return ZI_STAGES.length + Ho * Wo + 1;
}

/** The phase of step `step` and the cell it is about ({kind: "output" | "input" | "kernel" | "conv", r, c} or null). */
export function phaseOf(view, res, step) {
  const n = stepCount(view, res), [, W] = res.inputSize, [, Wo] = res.outputSize, [, kw] = res.kernelSize;
  const cellOf = (k, cols, kind) => ({ kind, r: Math.floor(k / cols), c: k % cols });
  if (step === 0) return { phase: "overview", target: null };
  if (view === "zero_insertion") {
    if (step < ZI_STAGES.length) return { phase: ZI_STAGES[step], target: null };
    return step === n - 1 ? { phase: "final", target: null } : { phase: "cell", target: cellOf(step - ZI_STAGES.length, Wo, "output") };
  }
  if (view === "scatter") return step === n - 1 ? { phase: "final", target: null } : { phase: "stamp", target: cellOf(step - 1, W, "input") };
  if (view === "overlap") return step === n - 1 ? { phase: "final", target: null } : { phase: "tap", target: cellOf(step - 1, kw, "kernel") };
  if (view === "forward") return { phase: "cell", target: cellOf(step - 1, W, "conv") };
  return { phase: "cell", target: cellOf(step - 1, Wo, "output") };
}

/** The step at which output (r, c) gets its final value in `view` (0: shown from the overview on). */
export function computedAt(view, res, r, c) {
  return view === "zero_insertion" ? ZI_STAGES.length + r * res.outputSize[1] + c : view === "scatter" ? stepCount(view, res) - 1 : 0;
}

/**
 * Whether output (r, c) is shown at `step`: "done" (its final value), "partial" (scatter: the stamps so far)
 * or "pending" (blank: not computed yet). The overview shows the finished picture.
 */
export function outputStatus(view, res, step, r, c) {
  const { phase } = phaseOf(view, res, step);
  if (phase === "overview" || phase === "final") return "done";
  if (view === "scatter") return "partial";
  return step >= computedAt(view, res, r, c) ? "done" : "pending";
}

/** The facts a caption needs (numbers formatted, language-free but for an empty sum, `L`'s noTerm). */
function facts(view, phase, res, target, L) {
  const [H, W] = res.inputSize, s = res.stride, [Ph, Pw] = res.processing.size;
  const d = { input: shapeText(res.inputSize), kernel: shapeText(res.kernelSize), output: shapeText(res.outputSize), processing: `${Ph}×${Pw}`,
    inserted: `${(H - 1) * s[0] + 1}×${(W - 1) * s[1] + 1}`, stride: s, padding: res.padding, outputPadding: res.outputPadding,
    dilation: res.dilation, kernelSize: res.kernelSize, border: res.border, borderText: res.border.map(formatNumber),
    between: s.map((v) => v - 1), dilated: res.dilation.some((v) => v > 1), call: layerCall(res),
    kept: res.outputPadding.some((v) => v > 0),
    square: res.border[0] === res.border[1] && res.dilation[0] === res.dilation[1] && res.kernelSize[0] === res.kernelSize[1] };
  if (!target) return d;
  const { r, c } = target;
  if (target.kind === "output") {
    const [kh, kw] = res.kernelSize, [dh, dw] = res.dilation;
    Object.assign(d, { name: `output[${r}, ${c}]`, sum: sumText(L, res.contributions[r][c]),
      rows: `${r}–${r + dh * (kh - 1)}`, cols: `${c}–${c + dw * (kw - 1)}` });
  } else if (target.kind === "input") {
    Object.assign(d, { name: `x[${r}, ${c}]`, v: formatNumber(res.x[r][c]), r, c, top: r * s[0], left: c * s[1] });
  } else if (target.kind === "kernel") {
    const n = res.contributions.flat().filter((terms) => terms.some((t) => t.tap[0] === r && t.tap[1] === c)).length;
    Object.assign(d, { name: `weight[${r}, ${c}]`, w: formatNumber(res.weight[r][c]), n, stride: s[0] === s[1] ? String(s[0]) : `${s[0]}, ${s[1]}` });
  } else {
    const { conv } = forwardPair(res), [kh, kw] = res.kernelSize, [dh, dw] = res.dilation, p = res.padding;
    const r0 = r * s[0] - p[0], c0 = c * s[1] - p[1];
    Object.assign(d, { name: `output[${r}, ${c}]`, sum: sumText(L, conv.contributions[r][c]),
      rows: `${formatNumber(r0)}–${formatNumber(r0 + dh * (kh - 1))}`, cols: `${formatNumber(c0)}–${formatNumber(c0 + dw * (kw - 1))}`,
      padded: r0 < 0 || c0 < 0 || r0 + dh * (kh - 1) >= res.outputSize[0] || c0 + dw * (kw - 1) >= res.outputSize[1] });
  }
  return d;
}

/** Caption facts of the overlap and forward views' overview and final steps. */
function viewFacts(view, res, d) {
  if (view === "overlap") {
    const counts = interiorValues(res, overlapCounts(res)), values = interiorValues(res, res.output);
    const constant = res.x.flat().every((v) => v === res.x[0][0]);
    Object.assign(d, { even: counts.length <= 1, interior: counts.join(", "), flat: constant && values.length <= 1,
      constant, nValues: values.length, values: values.slice(0, 6).map(formatNumber).join(", ") + (values.length > 6 ? ", …" : "") });
  } else if (view === "forward") {
    const { conv, sizes } = forwardPair(res);
    Object.assign(d, { conv: layerCall(conv), op: res.outputPadding[0] === res.outputPadding[1] ? res.outputPadding[0] : `(${res.outputPadding.join(", ")})`,
      sizes: sizes[0].map((h, k) => `${h}×${sizes[1][Math.min(k, sizes[1].length - 1)]}`).join(" / "),
      picked: d.output, input: d.input });
  }
  return d;
}

/**
 * What step `step` of `view` shows: {phase, target, caption}; `L` is a strings table (strings.mjs).
 * The caption starts "Step k of n: ".
 */
export function describeStep(view, res, step, L) {
  const n = stepCount(view, res), { phase, target } = phaseOf(view, res, step);
  const entry = L.captions[view][phase] ?? L.captions[view].cell;
  const text = typeof entry === "function" ? entry(viewFacts(view, res, facts(view, phase, res, target, L)), L) : entry;
  return { phase, target, caption: L.step(step + 1, n, text) };
}
