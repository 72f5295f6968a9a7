/**
 * explorer.mjs: the ConvTranspose2d explorer, an interactive drawing on top of tconv.mjs.
 * No framework, no dependencies: SVG and HTML built by hand, styles injected once per document.
 * Introduced in chapters/02_stride; tested in tests/test_explorer_ui.py (headless Chromium).
 *
 * Exports (contract: issue #12, /work/coord/EXPLORER_CONTRACT.md):
 * - mount(el, model) -> cleanup: builds the UI in `el`, driven by an anywidget-style model
 *   (get, set, save_changes, on, off); writes only valid configurations to the model.
 * - default { render({ model, el }) }: the anywidget entry point.
 * - createModel(state): a stand-in model for pages with no kernel.
 * - mountStatic(el, state): createModel + the permalink in location.hash (#tconv-<el.id>=...) + mount.
 * - encodeState(state) / decodeState(text): the permalink text, e.g. "x=1,2;3,4&weight=1,0;2,1&stride=2".
 * - PALETTE: the course's colours, the same hex values as tconv_lib.viz.PALETTE.
 * Model state: x, weight (rows of numbers); stride, padding, output_padding, dilation ([h, w]);
 * view ("zero_insertion" | "scatter" | "dependencies"); step (>= 0); presets; preset; title.
 * Drawing cells carry data-cell="input" | "output", data-row and data-col (0-based, like x[i, j]).
 * Themes: light, or dark under html[data-theme="dark"] (the book), body[data-jp-theme-light="false"]
 * (JupyterLab), body.vscode-dark (VS Code) or prefers-color-scheme: dark when the page names no theme.
 */
import { convTranspose2d, footprint, formatNumber, formatSum, formulaLines, layerCall, pair, windowCells } from "./tconv.mjs";

/** The course's colour-blind-safe palette (tints of Okabe & Ito's colours): one source, viz.PALETTE. */
export const PALETTE = Object.freeze({
  "inserted zero": "#F3CD7F", input: "#9FD2F0", "implicit border": "#D9D9D9", output_padding: "#E2A6C8",
  kernel: "#8CD3BA", output: "#F6EE9C", pending: "#F4F4F4", highlight: "#D55E00", crop: "#0072B2",
  edge: "#666666",
});

/**
 * How each cell role is drawn: fill colour, and a pattern that repeats the colour's meaning for readers
 * who cannot tell the colours apart (drawn over the colour in the cells and in the legend).
 */
const ROLE_LOOK = {
  input: { fill: PALETTE.input, label: "input value" },
  inserted: { fill: PALETTE["inserted zero"], pattern: "diagonal", label: "inserted zero (diagonal hatching)" },
  border: { fill: PALETTE["implicit border"], pattern: "dots", label: "implicit border, zero (dots)" },
  extra: { fill: PALETTE.output_padding, pattern: "cross", label: "output_padding row/column (cross-hatching)" },
  kernel: { fill: PALETTE.kernel, label: "kernel weight" },
  output: { fill: PALETTE.output, label: "output" },
  cropped: { fill: PALETTE.pending, pattern: "lines", label: "cropped by padding (horizontal lines)" },
  pending: { fill: PALETTE.pending, label: "not computed yet (blank)" },
};
/** The patterns as SVG (6 px tiles) and as CSS backgrounds for the legend swatches. */
const PATTERNS = {
  diagonal: { svg: '<path d="M-1 7L7 -1M-1 1L1 -1M5 7L7 5"/>', css: "repeating-linear-gradient(45deg,#0006 0 1.2px,#0000 1.2px 4.2px)" },
  dots: { svg: '<circle cx="3" cy="3" r="1.1"/>', css: "radial-gradient(#0008 1.1px,#0000 1.4px) 0 0/6px 6px" },
  cross: { svg: '<path d="M-1 7L7 -1M-1 1L1 -1M5 7L7 5M-1 -1L7 7M5 -1L7 1M-1 5L1 7"/>',
    css: "repeating-linear-gradient(45deg,#0006 0 1.2px,#0000 1.2px 4.2px),repeating-linear-gradient(-45deg,#0006 0 1.2px,#0000 1.2px 4.2px)" },
  lines: { svg: '<path d="M0 3H6"/>', css: "repeating-linear-gradient(0deg,#0006 0 1.2px,#0000 1.2px 6px)" },
};

const EXPLORER_VIEWS = [["zero_insertion", "zero insertion"], ["scatter", "scatter"], ["dependencies", "dependencies"]];
const PAIR_NAMES = ["stride", "padding", "output_padding", "dilation"];
/** What the controls offer (PyTorch allows more; these keep the drawing readable). */
const CONTROL_LIMITS = { input: [1, 8], kernel: [1, 5], stride: [1, 4], padding: [0, 12], output_padding: [0, 3], dilation: [1, 3] };
const DEFAULT_STATE = {
  x: [[1, 2], [3, 4]], weight: [[1, 0], [2, 1]], stride: [2, 2], padding: [0, 0], output_padding: [0, 0],
  dilation: [1, 1], view: "zero_insertion", step: 0, presets: [], preset: "", title: "",
};
/** Steps of the zero-insertion view before the output cells: overview, then one per stage. */
const ZI_STAGES = ["overview", "input", "inserted", "border", "extra", "kernel"];
const PLAY_MS = 1000;
const STYLE_ID = "tconv-explorer-style";
let explorerCount = 0;

// ----------------------------------------------------------------------------- small helpers
/** A rows × cols array filled by make(r, c). */
function gridOf(rows, cols, make) {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => make(r, c)));
}

/** `grid` resized to rows × cols, keeping the values that remain and filling new cells with make(r, c). */
function resizeGrid(grid, rows, cols, make) {
  return gridOf(rows, cols, (r, c) => (r < grid.length && c < grid[0].length ? grid[r][c] : make(r, c)));
}

/** Escape text for SVG/HTML markup. */
function esc(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** An HTML element with attributes (on* keys add listeners) and children (strings become text). */
function elem(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** "v" when both axes agree, else "h (rows), w (columns)". */
function perAxis([a, b], show = String) {
  return a === b ? show(a) : `${show(a)} (rows), ${show(b)} (columns)`;
}

/** "1 row" / "2 rows". */
function count(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A deep copy of plain JSON data. */
function copyJson(value) {
  return JSON.parse(JSON.stringify(value));
}

// ----------------------------------------------------------------------------- state and permalink
/** The full state of `model`, with defaults for missing traits and pairs as [h, w]. */
function readState(model) {
  const state = {};
  for (const [name, fallback] of Object.entries(DEFAULT_STATE)) {
    const value = model.get(name);
    state[name] = value === undefined || value === null || value === "" ? copyJson(fallback) : value;
  }
  for (const name of PAIR_NAMES) state[name] = pair(state[name], name);
  return state;
}

/** The transposed convolution of a configuration (throws PyTorch's rule when it is invalid). */
function computeResult(cfg) {
  return convTranspose2d(cfg.x, cfg.weight, {
    stride: cfg.stride, padding: cfg.padding, outputPadding: cfg.output_padding, dilation: cfg.dilation,
  });
}

/**
 * The permalink text of a state: "x=1,2;3,4&weight=1,0;2,1&stride=2&padding=0&...&view=scatter&step=3".
 * Grids: rows separated by ";", values by ","; a pair is one number when both axes agree.
 */
export function encodeState(state) {
  const grid = (g) => g.map((row) => row.join(",")).join(";");
  const parts = [`x=${grid(state.x)}`, `weight=${grid(state.weight)}`];
  for (const name of PAIR_NAMES) {
    if (state[name] === undefined) continue;
    const [a, b] = pair(state[name], name);
    parts.push(`${name}=${a === b ? a : `${a},${b}`}`);
  }
  if (state.view) parts.push(`view=${state.view}`);
  if (state.step) parts.push(`step=${state.step}`);
  return parts.join("&");
}

/** The state written by encodeState; throws an Error naming the field when the text is malformed. */
export function decodeState(text) {
  const state = {};
  for (const part of String(text).split("&").filter(Boolean)) {
    const at = part.indexOf("="), name = part.slice(0, at), value = part.slice(at + 1);
    if (at < 1) throw new Error(`permalink part "${part}" must look like name=value`);
    if (name === "x" || name === "weight") {
      state[name] = value.split(";").map((row) => row.split(",").map((t) => (t.trim() === "" ? NaN : Number(t))));
      if (state[name].flat().some((v) => !Number.isFinite(v))) throw new Error(`${name} in the permalink must hold numbers`);
    } else if (PAIR_NAMES.includes(name)) {
      const numbers = value.split(",").map(Number);
      state[name] = pair(numbers.length === 1 ? numbers[0] : numbers, name);
    } else if (name === "view") {
      if (!EXPLORER_VIEWS.some(([v]) => v === value)) throw new Error(`view must be one of ${EXPLORER_VIEWS.map(([v]) => v).join(", ")}`);
      state.view = value;
    } else if (name === "step") {
      state.step = Number(value);
      if (!Number.isInteger(state.step) || state.step < 0) throw new Error("step must be a non-negative integer");
    } else {
      throw new Error(`unknown permalink field "${name}"`);
    }
  }
  return state;
}

/**
 * A stand-in for an anywidget model: get, set (fires "change:name" when the value changes),
 * save_changes (nothing to sync), on, off.
 */
export function createModel(state = {}) {
  const data = copyJson(state), handlers = new Map();
  return {
    get: (name) => data[name],
    set(name, value) {
      if (JSON.stringify(data[name]) === JSON.stringify(value)) return;
      data[name] = copyJson(value);
      for (const cb of [...(handlers.get(`change:${name}`) ?? [])]) cb(value);
    },
    save_changes() {},
    on(event, cb) { handlers.set(event, [...(handlers.get(event) ?? []), cb]); },
    off(event, cb) { handlers.set(event, (handlers.get(event) ?? []).filter((f) => f !== cb)); },
  };
}

/** `state` updated from location.hash when that targets `id` with a valid configuration, else null. */
function stateFromHash(id, state) {
  const prefix = `#tconv-${id}=`, hash = globalThis.location?.hash ?? "";
  if (!id || !hash.startsWith(prefix)) return null;
  try {
    const restored = { ...state, ...decodeState(decodeURIComponent(hash.slice(prefix.length))), preset: "" };
    computeResult(readState(createModel(restored)));
    return restored;
  } catch {
    return null;
  }
}

/** For the static book: a stand-in model, the permalink restored if it targets el.id, then mount. */
export function mountStatic(el, state) {
  const restored = stateFromHash(el.id, state);
  const model = createModel(restored ?? state);
  const cleanup = mount(el, model);
  if (restored) el.scrollIntoView?.();
  return cleanup;
}

// ----------------------------------------------------------------------------- steps and captions
/** How many steps `view` has for `result`. */
function stepCount(view, result) {
  const [H, W] = result.inputSize, [Ho, Wo] = result.outputSize;
  if (view === "scatter") return H * W + 2;
  if (view === "dependencies") return Ho * Wo + 1;
  return ZI_STAGES.length + Ho * Wo + 1;
}

/**
 * What step `step` of `view` shows: phase, the cell it is about (output cell or input value), caption.
 * @returns {{phase: string, target: ({kind: string, r: number, c: number} | null), caption: string}}
 */
function describeStep(view, result, step) {
  const n = stepCount(view, result), [, W] = result.inputSize, [, Wo] = result.outputSize;
  const cellOf = (k, cols, kind) => ({ kind, r: Math.floor(k / cols), c: k % cols });
  let phase, target = null;
  if (view === "scatter") {
    phase = step === 0 ? "overview" : step === n - 1 ? "final" : "stamp";
    if (phase === "stamp") target = cellOf(step - 1, W, "input");
  } else if (view === "dependencies") {
    phase = step === 0 ? "overview" : "cell";
    if (phase === "cell") target = cellOf(step - 1, Wo, "output");
  } else {
    phase = step < ZI_STAGES.length ? ZI_STAGES[step] : step === n - 1 ? "final" : "cell";
    if (phase === "cell") target = cellOf(step - ZI_STAGES.length, Wo, "output");
  }
  const text = CAPTIONS[view](phase, result, target);
  return { phase, target, caption: `Step ${step + 1} of ${n}: ${text}` };
}

/** One axis of the border stage: "1·(2 − 1) − 0 = 1: 1 row of zeros on each side"; words: [one, many]. */
function borderPhrase(result, a, words) {
  const d = result.dilation[a], k = result.kernelSize[a], p = result.padding[a], b = result.border[a];
  const n = Math.abs(b), amount = `${n} ${words[n === 1 ? 0 : 1]}`, sum = `${d}·(${k} − 1) − ${p} = ${formatNumber(b)}`;
  return b >= 0 ? `${sum}: ${amount} of zeros (b) on each side`
    : `${sum} < 0: padding exceeds the border, so ${amount} ${n === 1 ? "is" : "are"} cropped from each side (dashed frame)`;
}

/** The window the flipped kernel covers for output (r, c), as "rows a–b, columns c–d". */
function windowText(result, r, c) {
  const [kh, kw] = result.kernelSize, [dh, dw] = result.dilation;
  return `rows ${r}–${r + dh * (kh - 1)}, columns ${c}–${c + dw * (kw - 1)}`;
}

const CAPTIONS = {
  zero_insertion(phase, res, t) {
    const [H, W] = res.inputSize, [Ho, Wo] = res.outputSize, [Ph, Pw] = res.processing.size;
    const s = res.stride, op = res.outputPadding;
    switch (phase) {
      case "overview":
        return `Overview: input ${H}×${W} → zeros inserted ${(H - 1) * s[0] + 1}×${(W - 1) * s[1] + 1} → ` +
          `processing image ${Ph}×${Pw} → flipped kernel slides over it → output ${Ho}×${Wo}. ` +
          "Press “next step” to build it one stage at a time.";
      case "input":
        return `Input x is ${H}×${W} and the kernel ${res.kernelSize.join("×")}; stride ${perAxis(s)}, ` +
          `padding ${perAxis(res.padding)}, output_padding ${perAxis(op)}, dilation ${perAxis(res.dilation)}.`;
      case "inserted":
        return `Insert stride − 1 = ${perAxis(s, (v) => v - 1)} zero(s) (z) between neighbouring input values: ` +
          `the image grows to ${(H - 1) * s[0] + 1}×${(W - 1) * s[1] + 1}.`;
      case "border":
        return res.border[0] === res.border[1] && res.dilation[0] === res.dilation[1] && res.kernelSize[0] === res.kernelSize[1]
          ? `Implicit border dilation·(kernel_size − 1) − padding = ${borderPhrase(res, 0, ["row and column", "rows and columns"])}.`
          : `Implicit border dilation·(kernel_size − 1) − padding; rows: ${borderPhrase(res, 0, ["row", "rows"])}; ` +
            `columns: ${borderPhrase(res, 1, ["column", "columns"])}.`;
      case "extra":
        return op[0] || op[1]
          ? `output_padding = ${perAxis(op)}: ${count(op[0], "extra row")} at the bottom and ${count(op[1], "extra column")} at the right (p); they take part in the sums like every other cell.`
          : "output_padding = 0: nothing is added at the bottom or the right.";
      case "kernel":
        return "Flip the kernel (rotate it by 180°): weight[0][0] lands at the bottom right. " +
          (res.dilation.some((d) => d > 1) ? `With dilation ${perAxis(res.dilation)} its taps sit that many cells apart. ` : "") +
          `It slides over the ${Ph}×${Pw} processing image one cell at a time; each position gives one output cell.`;
      case "cell":
        return `output[${t.r}, ${t.c}] = ${formatSum(res.contributions[t.r][t.c])}. The flipped kernel covers ` +
          `${windowText(res, t.r, t.c)} of the processing image; the zeros under it add nothing.`;
      default:
        return `Done: the ${Ho}×${Wo} output, the numbers ${layerCall(res)} returns for this x and weight.`;
    }
  },
  scatter(phase, res, t) {
    const [Ho, Wo] = res.outputSize, s = res.stride, p = res.padding, op = res.outputPadding;
    const kept = op[0] || op[1] ? `; output_padding keeps ${perAxis(op)} more at the bottom and right (p)` : "";
    switch (phase) {
      case "overview":
        return `Overview: every input value stamps a copy of the kernel, scaled by that value, onto a canvas; ` +
          `stamps start ${perAxis(s)} cells apart (the stride) and overlapping stamps add up. Then padding ` +
          `${perAxis(p)} is cropped from every side (dashed frame)${kept}. Press “next step” to stamp one value at a time.`;
      case "stamp": {
        const v = formatNumber(res.x[t.r][t.c]);
        return `x[${t.r}, ${t.c}] = ${v} stamps ${v} × kernel with its top-left corner at canvas row ` +
          `${t.r}·${s[0]} = ${t.r * s[0]}, column ${t.c}·${s[1]} = ${t.c * s[1]}; where stamps overlap, the values add up.`;
      }
      default:
        return `Crop padding = ${perAxis(p)} from every side${kept}: the output is ${Ho}×${Wo}, what ${layerCall(res)} returns.`;
    }
  },
  dependencies(phase, res, t) {
    if (phase === "overview") {
      return "Point at an output cell (hover, tap, or Tab to it and use the arrow keys) to see the input values " +
        "and kernel taps that made it; point at an input cell to see every output cell it writes to. " +
        "“next step” walks through the output cells.";
    }
    return `output[${t.r}, ${t.c}] = ${formatSum(res.contributions[t.r][t.c])}`;
  },
};

// ----------------------------------------------------------------------------- panels (what to draw)
/**
 * @typedef {{v: number, role: string} | null} CellLook  a value and its role; null is a blank cell
 * @typedef {{key: string, title: string[], rows: number, cols: number, at: (r: number, c: number) => CellLook,
 *            kind?: string, frame?: {r: number, c: number, h: number, w: number}}} Panel
 */

/** The input panel; `shown(i, j)` says which values are drawn. */
function inputPanel(res, shown = () => true) {
  const [H, W] = res.inputSize;
  return { key: "input", kind: "input", title: ["INPUT x", `${H}×${W}`], rows: H, cols: W,
    at: (r, c) => (shown(r, c) ? { v: res.x[r][c], role: "input" } : null) };
}

/** The kernel panel, flipped (zero insertion) or as given; `shown` false draws it blank. */
function kernelPanel(res, flipped, shown = true) {
  const [kh, kw] = res.kernelSize, d = res.dilation;
  const title = [flipped ? "KERNEL (flipped)" : "KERNEL (as given)", `${kh}×${kw}${d.some((v) => v > 1) ? `, dilation ${perAxis(d)}` : ""}`];
  return { key: "kernel", title, rows: kh, cols: kw,
    at: (r, c) => (!shown ? null : { v: flipped ? res.weight[kh - 1 - r][kw - 1 - c] : res.weight[r][c], role: "kernel" }) };
}

/** The output panel; output_padding's rows and columns are marked; `values` defaults to the output. */
function outputPanel(res, shown = () => true, values = res.output, note = "") {
  const [Ho, Wo] = res.outputSize, [oh, ow] = res.outputPadding;
  return { key: "output", kind: "output", title: ["OUTPUT", `${Ho}×${Wo}${note}`], rows: Ho, cols: Wo,
    at: (r, c) => (!shown(r, c) ? null : { v: values[r][c], role: r >= Ho - oh || c >= Wo - ow ? "extra" : "output" }) };
}

/** The zero-insertion view's panels at `step`. */
function zeroInsertionPanels(res, step, phase, target) {
  const seen = (stage) => step === 0 || step >= ZI_STAGES.indexOf(stage);
  const [H, W] = res.inputSize, s = res.stride, [Ph, Pw] = res.processing.size, b = res.border;
  const ih = (H - 1) * s[0] + 1, iw = (W - 1) * s[1] + 1;
  const inserted = { key: "inserted", title: ["zeros inserted", `stride ${perAxis(s)}: ${perAxis(s, (v) => v - 1)} between`],
    rows: ih, cols: iw,
    at: (r, c) => (!seen("inserted") ? null : r % s[0] || c % s[1] ? { v: 0, role: "inserted" } : { v: res.x[r / s[0]][c / s[1]], role: "input" }) };
  const top = Math.max(0, -b[0]), left = Math.max(0, -b[1]);
  const bottom = Math.min(ih - 1, Ph - 1 - b[0]), right = Math.min(iw - 1, Pw - 1 - b[1]);
  if (seen("border") && (top > 0 || left > 0 || bottom < ih - 1 || right < iw - 1) && bottom >= top && right >= left)
    inserted.frame = { r: top, c: left, h: bottom - top + 1, w: right - left + 1 };
  const { values, roles } = res.processing;
  const processing = { key: "processing", rows: Ph, cols: Pw,
    title: ["processing image", `${Ph}×${Pw}, border ${perAxis(b, formatNumber)}`],
    at: (r, c) => {
      const role = roles[r][c];
      return !seen("border") || (step === ZI_STAGES.indexOf("border") && role === "extra") ? null : { v: values[r][c], role };
    } };
  const full = phase === "overview" || phase === "final";
  const done = phase === "cell" ? target.r * res.outputSize[1] + target.c : -1;
  const output = outputPanel(res, (r, c) => full || r * res.outputSize[1] + c <= done);
  return [inputPanel(res), inserted, processing, kernelPanel(res, true, seen("kernel")), output];
}

/** The scatter view's panels at `step`: input, kernel, the padding-0 canvas with the crop frame, output. */
function scatterPanels(res, phase, target) {
  const [H, W] = res.inputSize, upto = phase === "stamp" ? target.r * W + target.c : H * W - 1;
  const shown = (i, j) => i * W + j <= upto;
  const partial = res.x.map((row, i) => row.map((v, j) => (shown(i, j) ? v : 0)));
  const canvas = convTranspose2d(partial, res.weight, { stride: res.stride, outputPadding: res.outputPadding, dilation: res.dilation });
  const [ch, cw] = canvas.outputSize, [ph, pw] = res.padding, [Ho, Wo] = res.outputSize, [oh, ow] = res.outputPadding;
  const roleAt = (r, c) => {
    if (r < ph || r >= ph + Ho || c < pw || c >= pw + Wo) return "cropped";
    return r >= ph + Ho - oh || c >= pw + Wo - ow ? "extra" : "output";
  };
  const canvasPanel = { key: "canvas", title: ["canvas (padding 0)", "overlaps add up"], rows: ch, cols: cw,
    at: (r, c) => ({ v: canvas.output[r][c], role: roleAt(r, c) }), frame: { r: ph, c: pw, h: Ho, w: Wo } };
  const cropped = canvas.output.slice(ph, ph + Ho).map((row) => row.slice(pw, pw + Wo));
  return [inputPanel(res, phase === "stamp" ? shown : undefined), kernelPanel(res, false), canvasPanel,
    outputPanel(res, undefined, cropped, phase === "stamp" ? " (so far)" : "")];
}

/** The panels of `view` at `step`. */
function panelsFor(view, res, step, phase, target) {
  if (view === "scatter") return scatterPanels(res, phase, target);
  if (view === "dependencies") return [inputPanel(res), kernelPanel(res, false), outputPanel(res)];
  return zeroInsertionPanels(res, step, phase, target);
}

// ----------------------------------------------------------------------------- highlights (what lights up)
/**
 * The cells that light up when `target` is pointed at: [{panel, r, c, note?}], and the sum text.
 * An output cell: itself, its input values and kernel taps (and, in zero insertion, the kernel window;
 * in scatter, its canvas cell). An input cell: itself, its footprint and the taps that reach it.
 */
function marksFor(view, res, target) {
  const [kh, kw] = res.kernelSize, flip = view === "zero_insertion";
  const tapMark = ([ti, tj]) => ({ panel: "kernel", r: flip ? kh - 1 - ti : ti, c: flip ? kw - 1 - tj : tj });
  if (target.kind === "output") {
    const terms = res.contributions[target.r][target.c], marks = [{ panel: "output", r: target.r, c: target.c }];
    for (const t of terms) marks.push({ panel: "input", r: t.input[0], c: t.input[1] }, tapMark(t.tap));
    if (view === "zero_insertion") {
      for (const cell of windowCells(res, target.r, target.c))
        marks.push({ panel: "processing", r: cell.processing[0], c: cell.processing[1], note: `×${formatNumber(cell.w)}` });
    }
    if (view === "scatter") marks.push({ panel: "canvas", r: target.r + res.padding[0], c: target.c + res.padding[1] });
    return { marks, sum: `output[${target.r}, ${target.c}] = ${formatSum(terms)}` };
  }
  const { r: i, c: j } = target, cells = footprint(res, i, j), v = res.x[i][j];
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
  const list = cells.map((f) => `output[${f.output[0]}, ${f.output[1]}] gets ${formatNumber(v)}·${formatNumber(res.weight[f.tap[0]][f.tap[1]])}`);
  const sum = cells.length
    ? `x[${i}, ${j}] = ${formatNumber(v)} writes to ${count(cells.length, "output cell")}: ${list.join("; ")}.`
    : `x[${i}, ${j}] = ${formatNumber(v)} reaches no output cell: padding crops its whole stamp.`;
  return { marks, sum };
}

/** The legend of `view`: the looks of the roles drawn, what the outline marks, what the dashed frame marks ("" if none). */
function legendFor(view, drawnRoles, hasFrame) {
  const items = Object.keys(ROLE_LOOK).filter((role) => drawnRoles.has(role)).map((role) => ROLE_LOOK[role]);
  const ring = { zero_insertion: "current cell, kernel window (×weight) and what it uses", scatter: "current stamp, pointed cell",
    dependencies: "pointed cell and what made it" }[view];
  return { items, ring, frame: hasFrame ? (view === "scatter" ? "kept after cropping padding" : "kept after the crop") : "" };
}

// ----------------------------------------------------------------------------- SVG drawing
const TITLE_H = 36, GAP = 30, ROW_GAP = 14;

/** Cell side in px: smaller for big grids so that they stay on screen. */
function cellSide(panels) {
  const most = Math.max(...panels.map((p) => Math.max(p.rows, p.cols)));
  return most <= 12 ? 34 : most <= 24 ? 28 : 24;
}

/** Panel positions, flowing left to right and wrapping at `width`: {at: {key: box}, arrows, width, height}. */
function layoutPanels(panels, width, cell) {
  const at = {}, arrows = [];
  let x = 0, y = 0, rowH = 0, maxW = 0;
  for (const p of panels) {
    const gw = p.cols * cell, w = Math.max(gw, ...p.title.map((t) => t.length * 7 + 4)), hgt = TITLE_H + p.rows * cell;
    if (x > 0 && x + GAP + w > width) { x = 0; y += rowH + ROW_GAP; rowH = 0; }
    else if (x > 0) { arrows.push({ x: x + GAP / 2, y: y + TITLE_H + Math.min(p.rows * cell, 3 * cell) / 2 }); x += GAP; }
    at[p.key] = { x, y, w, gx: x + (w - gw) / 2, gy: y + TITLE_H };
    x += w; rowH = Math.max(rowH, hgt); maxW = Math.max(maxW, x);
  }
  return { at, arrows, width: Math.ceil(maxW) + 4, height: y + rowH + 4 };
}

/** Font size that fits `text` into a cell of side `cell`. */
function fontFor(text, cell) {
  return Math.min(cell * 0.42, (cell - 5) / (0.62 * Math.max(text.length, 1))).toFixed(1);
}

/** Rough advance of a character, in em (digits are about 0.62 em in common sans-serif fonts). */
function advance(ch) {
  return ch === "." ? 0.32 : ch === "−" ? 0.84 : 0.62;
}

/**
 * One row of cell values as a single <text> whose glyphs are placed one by one (centred in their
 * cells): far cheaper to lay out than a <text> per cell, and still real, selectable text.
 * items: [{cx, text}]; values too long for the panel's font get a <text> of their own, smaller.
 */
function rowTextSvg(items, y, cell, size, hidden) {
  const chars = [], xs = [], own = [];
  for (const { cx, text } of items) {
    if (text.length > 3) { own.push(`<text x="${cx}" y="${y}" font-size="${fontFor(text, cell)}">${text}</text>`); continue; }
    const widths = [...text].map((ch) => advance(ch) * size);
    let x = cx - widths.reduce((a, b) => a + b, 0) / 2;
    if (chars.length) { chars.push(" "); xs.push(x.toFixed(1)); }
    [...text].forEach((ch, k) => { chars.push(ch); xs.push((x + widths[k] / 2).toFixed(1)); x += widths[k]; });
  }
  const aria = hidden ? ' aria-hidden="true"' : "";
  return (chars.length ? `<text x="${xs.join(" ")}" y="${y}"${aria}>${chars.join("")}</text>` : "") +
    (own.length && hidden ? `<g aria-hidden="true">${own.join("")}</g>` : own.join(""));
}

/** The <defs> of the role patterns, ids prefixed with `uid` (several explorers share a page). */
function patternDefs(uid) {
  const tiles = Object.entries(ROLE_LOOK).filter(([, look]) => look.pattern).map(([role, look]) =>
    `<pattern id="${uid}-${role}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${look.fill}"/>` +
    `<g stroke="#000" stroke-opacity=".32" stroke-width="1.1" fill="#000" fill-opacity=".45">${PATTERNS[look.pattern].svg}</g></pattern>`);
  return `<defs>${tiles.join("")}</defs>`;
}

/**
 * The SVG markup of one panel: its title; one path per role (colour or pattern) and one for the grid
 * lines, far cheaper to lay out and paint than a rect per cell; the interactive cells as transparent,
 * focusable rects (aria-label and data-value hold the value) over them; the values row by row; its dashed frame.
 * Adds the roles it draws to `drawnRoles` (for the legend).
 */
function panelSvg(p, box, cell, focus, sumId, uid, drawnRoles) {
  const size = Number(fontFor("000", cell)), shapes = {}, cells = [], rows = [];
  for (let r = 0; r < p.rows; r++) {
    const items = [];
    for (let c = 0; c < p.cols; c++) {
      const look = p.at(r, c), x = box.gx + c * cell, y = box.gy + r * cell;
      const role = look ? look.role : "pending", text = look ? formatNumber(look.v) : "";
      (shapes[role] ??= []).push(`M${x} ${y}h${cell}v${cell}h${-cell}z`);
      if (text) items.push({ cx: x + cell / 2, text });
      if (!p.kind) continue;
      const label = `${p.kind} row ${r + 1} column ${c + 1}: ${text || "not computed yet"}`;
      const tab = focus[0] === r && focus[1] === c ? 0 : -1;
      cells.push(`<rect class="tc-cell" x="${x}" y="${y}" width="${cell}" height="${cell}" data-cell="${p.kind}" data-row="${r}" ` +
        `data-col="${c}" data-value="${text}" tabindex="${tab}" role="img" aria-label="${label}" aria-describedby="${sumId}"/>`);
    }
    rows.push(rowTextSvg(items, box.gy + r * cell + cell / 2 + 1, cell, size, Boolean(p.kind)));
  }
  const fills = Object.entries(shapes).map(([role, d]) => {
    drawnRoles.add(role);
    const fill = ROLE_LOOK[role].pattern ? `url(#${uid}-${role})` : ROLE_LOOK[role].fill;
    return `<path data-role="${role}" fill="${fill}" d="${d.join("")}"/>`;
  });
  const w = p.cols * cell, hgt = p.rows * cell, lines = [];
  for (let r = 0; r <= p.rows; r++) lines.push(`M${box.gx} ${box.gy + r * cell}h${w}`);
  for (let c = 0; c <= p.cols; c++) lines.push(`M${box.gx + c * cell} ${box.gy}v${hgt}`);
  const frame = p.frame ? `<rect class="tc-frame" x="${box.gx + p.frame.c * cell}" y="${box.gy + p.frame.r * cell}" ` +
    `width="${p.frame.w * cell}" height="${p.frame.h * cell}"/>` : "";
  const titles = p.title.map((t, n) => `<text class="tc-t${n ? " tc-t2" : ""}" x="${box.x + box.w / 2}" y="${box.y + 12 + n * 15}">${esc(t)}</text>`);
  return `<g class="tc-panel" data-panel="${p.key}" font-size="${size}">${titles.join("")}${fills.join("")}` +
    `<path class="tc-grid" d="${lines.join("")}"/>${cells.join("")}${rows.join("")}${frame}</g>`;
}

/** The rings (and weight notes) for the lit cells, drawn above the panels. */
function marksSvg(marks, layout, cell, panels) {
  const sizes = Object.fromEntries(panels.map((p) => [p.key, [p.rows, p.cols]]));
  return marks.filter((m) => sizes[m.panel] && m.r >= 0 && m.c >= 0 && m.r < sizes[m.panel][0] && m.c < sizes[m.panel][1])
    .map((m) => {
      const box = layout.at[m.panel], x = box.gx + m.c * cell, y = box.gy + m.r * cell;
      const note = m.note ? `<text class="tc-n" x="${x + cell - 2}" y="${y + cell - 2}">${esc(m.note)}</text>` : "";
      return `<rect class="tc-ring" x="${x + 2}" y="${y + 2}" width="${cell - 4}" height="${cell - 4}"/>${note}`;
    }).join("");
}

// ----------------------------------------------------------------------------- styles
const EXPLORER_CSS = `
.tconv-explorer{--tc-fg:#1b1b1b;--tc-muted:#4d4d4d;--tc-bg:#fff;--tc-surface:#f5f6f7;--tc-line:#767676;--tc-field:#fff;--tc-focus:#0072B2;
 color:var(--tc-fg);background:var(--tc-bg);border:1px solid var(--tc-line);border-radius:6px;padding:.75rem;margin:1rem 0;
 max-width:100%;box-sizing:border-box;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
html[data-theme="dark"] .tconv-explorer,body[data-jp-theme-light="false"] .tconv-explorer,body.vscode-dark .tconv-explorer{--tc-fg:#ececec;--tc-muted:#c8c8c8;--tc-bg:#1c1e21;
 --tc-surface:#272a2e;--tc-line:#9a9a9a;--tc-field:#121416;--tc-focus:#56B4E9}
@media (prefers-color-scheme:dark){html:not([data-theme="light"]) body:not([data-jp-theme-light="true"]):not(.vscode-light) .tconv-explorer{--tc-fg:#ececec;
 --tc-muted:#c8c8c8;--tc-bg:#1c1e21;--tc-surface:#272a2e;--tc-line:#9a9a9a;--tc-field:#121416;--tc-focus:#56B4E9}}
.tconv-explorer *{box-sizing:border-box}
.tconv-explorer .tc-title{font-weight:700;font-size:1.05rem;margin:0 0 .5rem}
.tconv-explorer .tc-settings{display:flex;flex-wrap:wrap;gap:.5rem .75rem;margin-bottom:.5rem}
.tconv-explorer .tc-layerbox{flex:3 1 17rem}
.tconv-explorer .tc-choose{flex:2 1 14rem;min-width:0;display:flex;flex-direction:column;gap:.4rem}
.tconv-explorer .tc-args{display:grid;grid-template-columns:repeat(auto-fill,minmax(7.5rem,1fr));gap:.3rem .75rem;margin-top:.25rem}
.tconv-explorer .tc-args.tc-unlinked{grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr))}
.tconv-explorer .tc-arg{display:flex;flex-direction:column;align-items:flex-start;min-width:0}
.tconv-explorer .tc-arg label{font-size:.9rem}
.tconv-explorer .tc-error:not(:empty){margin-bottom:.5rem}
.tconv-explorer .tc-body{display:flex;flex-wrap:wrap;gap:.75rem}
.tconv-explorer .tc-controls{flex:1 1 17rem;min-width:0;max-width:100%;display:flex;flex-direction:column;gap:.5rem}
.tconv-explorer .tc-main{flex:999 1 20rem;min-width:0;max-width:100%;display:flex;flex-direction:column;gap:.5rem}
.tconv-explorer fieldset{border:1px solid var(--tc-line);border-radius:4px;margin:0;padding:.4rem .6rem .6rem;min-width:0}
.tconv-explorer legend{float:none;width:auto;margin:0;padding:0 .25rem;font-size:1em;line-height:inherit;font-weight:600}
.tconv-explorer .tc-fields{display:flex;flex-wrap:wrap;gap:.35rem .9rem;align-items:center}
.tconv-explorer .tc-field{display:flex;flex-wrap:wrap;gap:.35rem;align-items:center;min-width:0}
.tconv-explorer .tc-num label{min-width:6.5em}
.tconv-explorer .tc-preset select{flex:1 1 10rem;min-width:0}
.tconv-explorer input,.tconv-explorer select,.tconv-explorer button{font:inherit;color:var(--tc-fg);background:var(--tc-field);
 border:1px solid var(--tc-line);border-radius:4px}
.tconv-explorer input[type=number]{width:4.2em;padding:.1rem .25rem}
.tconv-explorer input[type=checkbox],.tconv-explorer input[type=radio]{accent-color:var(--tc-focus)}
.tconv-explorer select{max-width:100%;padding:.15rem}
.tconv-explorer .tc-values{display:grid;gap:2px;margin-top:.35rem;max-width:100%}
.tconv-explorer .tc-values input[type=number]{width:100%;min-width:0;padding:.1rem;text-align:center;font-size:.85rem;-moz-appearance:textfield}
.tconv-explorer .tc-values input::-webkit-inner-spin-button{display:none}
.tconv-explorer .tc-small{font-size:.85rem;color:var(--tc-muted);margin:.25rem 0 0}
.tconv-explorer button{padding:.25rem .6rem;cursor:pointer;background:var(--tc-surface)}
.tconv-explorer :focus-visible{outline:3px solid var(--tc-focus);outline-offset:1px}
.tconv-explorer .tc-player{display:flex;flex-wrap:wrap;gap:.35rem;align-items:center}
.tconv-explorer .tc-caption{margin:0;padding:.4rem .6rem;background:var(--tc-surface);border-radius:4px;min-height:3em}
.tconv-explorer .tc-error:not(:empty){padding:.4rem .6rem;border-left:5px solid #D55E00;background:var(--tc-surface)}
.tconv-explorer .tc-scroll{overflow-x:auto;overflow-y:hidden;max-width:100%;border-radius:4px}
.tconv-explorer .tc-drawing{display:block;max-width:none;font-family:inherit}
.tconv-explorer .tc-grid{fill:none;stroke:${PALETTE.edge};stroke-width:1}
.tconv-explorer .tc-drawing text{text-anchor:middle;dominant-baseline:central;fill:#1b1b1b;pointer-events:none}
.tconv-explorer .tc-drawing .tc-t{fill:var(--tc-fg);font-weight:700;font-size:12px}
.tconv-explorer .tc-drawing .tc-t2{font-weight:400}
.tconv-explorer .tc-drawing .tc-a{fill:var(--tc-fg);font-size:18px}
.tconv-explorer .tc-drawing .tc-n{font-size:9px;text-anchor:end;dominant-baseline:auto;font-weight:700}
.tconv-explorer .tc-drawing .tc-frame{fill:none;stroke:${PALETTE.crop};stroke-width:3;stroke-dasharray:7 4}
.tconv-explorer .tc-drawing .tc-ring{fill:none;stroke:${PALETTE.highlight};stroke-width:3}
.tconv-explorer .tc-drawing .tc-marks{pointer-events:none}
.tconv-explorer .tc-cell{fill:transparent;stroke:none;cursor:pointer;outline:none}
.tconv-explorer .tc-cell:focus-visible{stroke:var(--tc-focus);stroke-width:4}
.tconv-explorer .tc-sum{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem}
.tconv-explorer .tc-legend{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .9rem;font-size:.85rem}
.tconv-explorer .tc-legend li{display:flex;align-items:center;gap:.3rem}
.tconv-explorer .tc-swatch{display:inline-block;flex:none;width:1.3em;height:1.3em;border:1px solid ${PALETTE.edge}}
.tconv-explorer .tc-swatch.tc-ringkey{border:3px solid ${PALETTE.highlight};background:transparent}
.tconv-explorer .tc-swatch.tc-framekey{border:3px dashed ${PALETTE.crop};background:transparent}
.tconv-explorer .tc-formula,.tconv-explorer .tc-layer{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
 font-size:.85rem;white-space:pre-wrap;overflow-wrap:anywhere}
.tconv-explorer .tc-link{display:flex;flex-wrap:wrap;gap:.35rem;align-items:center}
.tconv-explorer .tc-link input{flex:1 1 12rem;min-width:0;font-size:.8rem;padding:.15rem .3rem}
@media (max-width:30rem){
 .tconv-explorer{padding:.6rem}
 .tconv-explorer .tc-view{border:0;padding:0}
 .tconv-explorer .tc-view legend{float:left;padding:0 .6rem 0 0}
 .tconv-explorer .tc-view legend+*{clear:none}
 .tconv-explorer .tc-player button{padding:.25rem .45rem}
 .tconv-explorer .tc-player .tc-small{display:none}
}
`;

/** Add the explorer's style sheet once to the document (or shadow root) holding `el`. */
function injectStyle(el) {
  const root = el.getRootNode?.() ?? document, holder = root.head ?? root;
  if (root.getElementById ? root.getElementById(STYLE_ID) : root.querySelector?.(`#${STYLE_ID}`)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = EXPLORER_CSS;
  holder.append(style);
}

// ----------------------------------------------------------------------------- the UI
/** A labelled number input; `label` is both the visible text and the accessible name; `cls` the field's class. */
function numberField(ui, label, value, [min, max], onInput, cls = "tc-field tc-num") {
  const id = `${ui.uid}-${label.replace(/[^a-z0-9]+/gi, "-")}`;
  const input = elem("input", { type: "number", id, min, max, step: 1, value, inputmode: "numeric", oninput: onInput });
  return { input, node: elem("span", { class: cls }, elem("label", { for: id }, label), input) };
}

/** The value grid of `which` ("x" or "weight"): one labelled number input per cell. */
function valueGrid(ui, which) {
  const grid = ui.draft[which], prefix = which === "x" ? "input" : "kernel";
  const box = elem("div", { class: "tc-values", role: "group", "aria-label": `${prefix} values` });
  box.style.gridTemplateColumns = `repeat(${grid[0].length}, minmax(0, 3.2em))`;
  grid.forEach((row, r) => row.forEach((v, c) => {
    const input = elem("input", { type: "number", step: "any", value: v, "aria-label": `${prefix} row ${r + 1} column ${c + 1}`,
      title: `${prefix} row ${r + 1} column ${c + 1}`, "data-grid": which, "data-row": r, "data-col": c });
    input.addEventListener("input", () => editValue(ui, which, r, c, input.value, `${prefix} row ${r + 1} column ${c + 1}`));
    box.append(input);
  }));
  return box;
}

/**
 * Build the settings, above the drawing at every width: the layer arguments (a compact grid), the preset
 * and the view, so that on a phone a reader changes one and sees its effect on the same screen.
 */
function buildSettings(ui) {
  const presetId = `${ui.uid}-preset`;
  ui.presetSelect = elem("select", { id: presetId, onchange: () => choosePreset(ui, ui.presetSelect.value) });
  const legendId = `${ui.uid}-view`;
  ui.viewRadios = EXPLORER_VIEWS.map(([value, label]) => {
    const id = `${ui.uid}-view-${value}`;
    const radio = elem("input", { type: "radio", id, name: `${ui.uid}-view`, value, onchange: () => setView(ui, value) });
    return { radio, node: elem("span", { class: "tc-field" }, radio, elem("label", { for: id }, label)) };
  });
  ui.layerBox = elem("fieldset", { class: "tc-layerbox" }, elem("legend", {}, "layer arguments"));
  return elem("div", { class: "tc-settings" }, ui.layerBox,
    elem("div", { class: "tc-choose" },
      elem("div", { class: "tc-field tc-preset" }, elem("label", { for: presetId }, "preset"), ui.presetSelect),
      elem("fieldset", { class: "tc-view", role: "radiogroup", "aria-labelledby": legendId }, elem("legend", { id: legendId }, "view"),
        elem("div", { class: "tc-fields" }, ...ui.viewRadios.map((v) => v.node)))));
}

/** Build the editors (beside the drawing on wide screens, after it on phones): input, kernel, copy link. */
function buildEditors(ui) {
  const [inputBox, kernelBox] = [["x", "input x"], ["weight", "kernel (weight)"]].map(([which, legend]) => gridBox(ui, which, legend));
  const linkId = `${ui.uid}-linktext`;
  ui.linkText = elem("input", { type: "text", id: linkId, readonly: true, value: "" });
  ui.linkStatus = elem("span", { class: "tc-small", role: "status" });
  return elem("div", { class: "tc-controls" }, inputBox, kernelBox,
    elem("div", { class: "tc-link" }, elem("button", { type: "button", title: "copy a link to this configuration", onclick: () => copyLink(ui) }, "copy link"),
      elem("label", { for: linkId }, "link"), ui.linkText, ui.linkStatus));
}

/** The fieldset of the input or kernel: height and width fields, then the value grid (filled later). */
function gridBox(ui, which, legend) {
  const prefix = which === "x" ? "input" : "kernel", limits = CONTROL_LIMITS[prefix], grid = ui.draft[which];
  const edit = () => resize(ui, which, height.input, width.input);
  const height = numberField(ui, `${prefix} height`, grid.length, limits, edit);
  const width = numberField(ui, `${prefix} width`, grid[0].length, limits, edit);
  ui.sizeInputs[which] = [height.input, width.input];
  ui.valueBoxes[which] = elem("div", {});
  return elem("fieldset", {}, elem("legend", {}, legend), elem("div", { class: "tc-fields" }, height.node, width.node), ui.valueBoxes[which]);
}

/** (Re)build the value grid of the input or kernel from the draft. */
function fillGridBox(ui, which) {
  const grid = ui.draft[which];
  ui.valueBoxes[which].replaceChildren(valueGrid(ui, which));
  ui.shape[which] = `${grid.length}x${grid[0].length}`;
}

/** (Re)build the layer-argument fields: one per argument when linked, one per axis otherwise. */
function fillLayerBox(ui) {
  const checkId = `${ui.uid}-link`;
  const link = elem("input", { type: "checkbox", id: checkId, checked: ui.linked, onchange: () => setLinked(ui, link.checked) });
  const fields = PAIR_NAMES.flatMap((name) => {
    const pairNow = ui.draft[name];
    if (ui.linked) return [numberField(ui, name, pairNow[0], CONTROL_LIMITS[name], (e) => editPair(ui, name, [e.target.value, e.target.value]), "tc-arg").node];
    const [hf, wf] = ["height", "width"].map((axis, a) => numberField(ui, `${name} (${axis})`, pairNow[a], CONTROL_LIMITS[name],
      () => editPair(ui, name, [hf.input.value, wf.input.value]), "tc-arg"));
    return [hf.node, wf.node];
  });
  ui.layerBox.replaceChildren(ui.layerBox.firstChild,
    elem("div", { class: "tc-field" }, link, elem("label", { for: checkId }, "link height and width")),
    elem("div", { class: `tc-args${ui.linked ? "" : " tc-unlinked"}` }, ...fields));
  ui.linkedShown = ui.linked;
}

/** Build the drawing column (left on wide screens, below the settings on phones): player, caption, drawing, sum, legend, formula, layer line. */
function buildMain(ui) {
  const button = (label, title, onclick) => elem("button", { type: "button", title, onclick }, label);
  ui.playButton = button("play", "play the steps one after another", () => togglePlay(ui));
  ui.counter = elem("span", { class: "tc-small", "aria-hidden": "true" });
  ui.caption = elem("p", { class: "tc-caption", "aria-live": "polite" });
  ui.svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  ui.svg.setAttribute("class", "tc-drawing");
  ui.svg.setAttribute("role", "group");
  ui.svg.setAttribute("tabindex", "-1");
  ui.sum = elem("p", { class: "tc-sum", id: `${ui.uid}-sum` });
  ui.legend = elem("ul", { class: "tc-legend", "aria-label": "legend" });
  ui.formula = elem("div", { class: "tc-formula" });
  ui.layer = elem("code", { class: "tc-layer" });
  ui.scroll = elem("div", { class: "tc-scroll", role: "region", tabindex: "0", "aria-label": "drawing (scrolls sideways when wide)" }, ui.svg);
  return elem("div", { class: "tc-main" },
    elem("div", { class: "tc-player" }, button("previous step", "go one step back", () => setStep(ui, ui.step - 1)),
      button("next step", "go one step on", () => setStep(ui, ui.step + 1)), ui.playButton,
      button("reset", "back to the first step", () => { stopPlay(ui); setStep(ui, 0); }), ui.counter),
    ui.caption, ui.scroll, ui.sum, ui.legend, ui.formula, ui.layer);
}

/**
 * Build the explorer in `el`, driven by `model`; returns the cleanup function.
 * @param {HTMLElement} el  @param {{get: Function, set: Function, save_changes: Function, on: Function, off: Function}} model
 */
export function mount(el, model) {
  injectStyle(el);
  const state = readState(model);
  const ui = { el, model, uid: `tconv-${(el.id || "x").replace(/[^\w-]/g, "-")}-${++explorerCount}`, step: 0, timer: null, shape: {}, pointer: {}, sizeInputs: {}, valueBoxes: {},
    focus: { input: [0, 0], output: [0, 0] }, draft: copyJson(state), lastGood: null, index: new Map(),
    linked: PAIR_NAMES.every((n) => state[n][0] === state[n][1]) };
  ui.title = elem("div", { class: "tc-title" });
  // DOM order is the order on a phone (and the keyboard's): title, settings, error, drawing column, editors.
  ui.error = elem("div", { class: "tc-error", role: "alert" });
  ui.root = elem("section", { class: "tconv-explorer" }, ui.title, buildSettings(ui), ui.error,
    elem("div", { class: "tc-body" }, buildMain(ui), buildEditors(ui)));
  el.replaceChildren(ui.root);
  attachPointing(ui);
  const onChange = () => {
    if (ui.writing) return;
    ui.draft = copyJson(readState(model));
    if (PAIR_NAMES.some((n) => ui.draft[n][0] !== ui.draft[n][1])) ui.linked = false;
    ui.external = true;
    clearError(ui);
    schedule(ui);
  };
  const names = Object.keys(DEFAULT_STATE);
  for (const name of names) model.on(`change:${name}`, onChange);
  ui.resize = globalThis.ResizeObserver ? new ResizeObserver(() => { if (ui.width !== widthOf(ui)) schedule(ui); }) : null;
  ui.resize?.observe(ui.root);
  render(ui);
  return () => {
    stopPlay(ui);
    ui.resize?.disconnect();
    for (const name of names) model.off(`change:${name}`, onChange);
    ui.root.remove();
  };
}

export default { render({ model, el }) { return mount(el, model); } };

/** Re-render once, soon (several model changes in a row draw once). */
function schedule(ui) {
  if (ui.pending) return;
  ui.pending = true;
  queueMicrotask(() => { ui.pending = false; render(ui); });
}

/** Width available to the drawing, in px. */
function widthOf(ui) {
  return Math.max(ui.scroll.clientWidth || ui.el.clientWidth || 640, 200);
}

/** Bring everything on screen up to date with the model; keeps the last valid picture if it is invalid. */
function render(ui) {
  const state = readState(ui.model);
  let res;
  try {
    res = computeResult(state);
  } catch (error) {
    showError(ui, error.message);
    res = ui.lastGood?.res;
    if (!res) return;
  }
  const view = EXPLORER_VIEWS.some(([v]) => v === state.view) ? state.view : "zero_insertion";
  ui.lastGood = { res, view, state };
  ui.step = Math.min(Math.max(0, Math.trunc(state.step) || 0), stepCount(view, res) - 1);
  syncControls(ui, state, view);
  drawStep(ui);
}

/** Update the controls from the draft, leaving the field being typed in alone unless the model changed elsewhere. */
function syncControls(ui, state, view) {
  ui.title.textContent = state.title || "ConvTranspose2d explorer";
  ui.root.setAttribute("aria-label", ui.title.textContent);
  syncPresets(ui, state);
  for (const { radio } of ui.viewRadios) radio.checked = radio.value === view;
  for (const which of ["x", "weight"]) {
    const g = ui.draft[which];
    if (ui.shape[which] !== `${g.length}x${g[0].length}`) fillGridBox(ui, which);
  }
  if (ui.linkedShown !== ui.linked) fillLayerBox(ui);
  const active = ui.external ? null : ui.root.getRootNode().activeElement;
  ui.external = false;
  for (const which of ["x", "weight"]) {
    const size = [ui.draft[which].length, ui.draft[which][0].length];
    ui.sizeInputs[which].forEach((input, a) => { if (input !== active && Number(input.value) !== size[a]) input.value = size[a]; });
  }
  for (const input of ui.root.querySelectorAll("input[data-grid]")) {
    const v = ui.draft[input.dataset.grid][input.dataset.row][input.dataset.col];
    if (input !== active && Number(input.value) !== v) input.value = v;
  }
  const fields = [...ui.layerBox.querySelectorAll("input[type=number]")];
  PAIR_NAMES.forEach((name, n) => {
    const own = ui.linked ? [fields[n]] : [fields[2 * n], fields[2 * n + 1]];
    own.forEach((input, a) => { if (input !== active && Number(input.value) !== ui.draft[name][a]) input.value = ui.draft[name][a]; });
  });
}

/** Fill the preset select from the model's presets, selecting the current one ("custom" for none). */
function syncPresets(ui, state) {
  const key = JSON.stringify(state.presets.map((p) => [p.name, p.title]));
  if (ui.presetKey !== key) {
    ui.presetSelect.replaceChildren(elem("option", { value: "" }, "custom"),
      ...state.presets.map((p) => elem("option", { value: p.name }, p.title || p.name)));
    ui.presetKey = key;
  }
  ui.presetSelect.value = state.presets.some((p) => p.name === state.preset) ? state.preset : "";
}

/** Draw the current step: drawing, caption, legend, formula, layer line, step counter, highlights. */
function drawStep(ui) {
  const { res, view } = ui.lastGood, n = stepCount(view, res);
  const info = describeStep(view, res, ui.step);
  const panels = panelsFor(view, res, ui.step, info.phase, info.target);
  const cell = cellSide(panels);
  ui.width = widthOf(ui);
  const layout = layoutPanels(panels, ui.width, cell);
  ui.focus.input = clampCell(ui.focus.input, res.inputSize);
  ui.focus.output = clampCell(ui.focus.output, res.outputSize);
  const wasFocused = focusedCell(ui);
  const arrows = layout.arrows.map((a) => `<text class="tc-a" x="${a.x}" y="${a.y}" aria-hidden="true">→</text>`).join("");
  ui.svg.setAttribute("width", layout.width);
  ui.svg.setAttribute("height", layout.height);
  ui.svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
  ui.svg.setAttribute("aria-label", `${EXPLORER_VIEWS.find(([v]) => v === view)[1]} view: ${panels.map((p) => p.title[0]).join(", ")}`);
  const drawnRoles = new Set();
  ui.svg.innerHTML = patternDefs(ui.uid) +
    panels.map((p) => panelSvg(p, layout.at[p.key], cell, ui.focus[p.kind] ?? [], ui.sum.id, ui.uid, drawnRoles)).join("") +
    arrows + '<g class="tc-marks"></g>';
  ui.drawn = { panels, layout, cell, view, res, target: info.target };
  ui.index = new Map([...ui.svg.querySelectorAll("[data-cell]")].map((g) => [`${g.dataset.cell}:${g.dataset.row}:${g.dataset.col}`, g]));
  if (wasFocused) ui.index.get(wasFocused)?.focus({ preventScroll: true });
  ui.caption.textContent = info.caption;
  ui.counter.textContent = `${ui.step + 1} / ${n}`;
  ui.formula.replaceChildren(elem("div", {}, "H_out = (H − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1"),
    ...formulaLines(res).map((line) => elem("div", {}, line)));
  ui.layer.textContent = layerCall(res);
  drawLegend(ui, legendFor(view, drawnRoles, panels.some((p) => p.frame)));
  updateMarks(ui);
}

/** The legend: a swatch with the colour and pattern of each role and its meaning, plus the outlines. */
function drawLegend(ui, { items, ring, frame }) {
  const swatch = (cls, look) => elem("span", { class: `tc-swatch ${cls}`, "aria-hidden": "true",
    style: look ? `background:${look.pattern ? `${PATTERNS[look.pattern].css},` : ""}${look.fill}` : null });
  ui.legend.replaceChildren(...items.map((it) => elem("li", {}, swatch("", it), it.label)),
    elem("li", {}, swatch("tc-ringkey"), `outline: ${ring}`), ...(frame ? [elem("li", {}, swatch("tc-framekey"), `dashed: ${frame}`)] : []));
}

/** [r, c] kept inside a grid of `size`. */
function clampCell([r, c], [rows, cols]) {
  return [Math.min(r, rows - 1), Math.min(c, cols - 1)];
}

/** "output:r:c" of the drawing cell that has the focus, or null. */
function focusedCell(ui) {
  const g = ui.root.getRootNode().activeElement;
  return g && ui.svg.contains(g) && g.dataset?.cell ? `${g.dataset.cell}:${g.dataset.row}:${g.dataset.col}` : null;
}

// ----------------------------------------------------------------------------- pointing (hover, tap, focus)
/** The cell `g` stands for, as a target. */
function targetOf(g) {
  return { kind: g.dataset.cell, r: Number(g.dataset.row), c: Number(g.dataset.col) };
}

/** Listen for hover, tap, focus and arrow keys on the drawing's cells. */
function attachPointing(ui) {
  const cellFrom = (e) => e.target.closest?.("[data-cell]");
  ui.svg.addEventListener("pointerover", (e) => { const g = cellFrom(e); if (g) { ui.pointer.hover = targetOf(g); updateMarks(ui); } });
  ui.svg.addEventListener("pointerleave", () => { ui.pointer.hover = null; updateMarks(ui); });
  ui.svg.addEventListener("click", (e) => {
    const g = cellFrom(e);
    if (!g) return;
    const t = targetOf(g), pinned = ui.pointer.pinned;
    ui.pointer.pinned = pinned && pinned.kind === t.kind && pinned.r === t.r && pinned.c === t.c ? null : t;
    updateMarks(ui);
  });
  ui.svg.addEventListener("focusin", (e) => {
    const g = cellFrom(e);
    if (!g) return;
    const t = targetOf(g);
    for (const other of ui.svg.querySelectorAll(`[data-cell="${t.kind}"][tabindex="0"]`)) other.setAttribute("tabindex", "-1");
    g.setAttribute("tabindex", "0");
    ui.focus[t.kind] = [t.r, t.c];
    ui.pointer.focus = t;
    updateMarks(ui);
  });
  ui.svg.addEventListener("focusout", () => { ui.pointer.focus = null; updateMarks(ui); });
  ui.svg.addEventListener("keydown", (e) => moveFocus(ui, e));
}

/** Arrow keys, Home and End move the focus between cells of the same grid; Escape drops a pinned cell. */
function moveFocus(ui, e) {
  const g = e.target.closest?.("[data-cell]");
  if (!g) return;
  if (e.key === "Escape") { ui.pointer.pinned = null; updateMarks(ui); return; }
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const t = targetOf(g), panel = ui.drawn.panels.find((p) => p.kind === t.kind);
  let next;
  if (moves[e.key]) next = [t.r + moves[e.key][0], t.c + moves[e.key][1]];
  else if (e.key === "Home") next = [t.r, 0];
  else if (e.key === "End") next = [t.r, panel.cols - 1];
  else return;
  e.preventDefault();
  const cell = ui.index.get(`${t.kind}:${clampCell(next.map((v) => Math.max(v, 0)), [panel.rows, panel.cols]).join(":")}`);
  cell?.focus();
}

/** Light up what the pointed (or the current step's) cell depends on, and write its sum. */
function updateMarks(ui) {
  const { view, res, layout, cell, panels, target: stepTarget } = ui.drawn;
  const target = ui.pointer.hover ?? ui.pointer.focus ?? ui.pointer.pinned ?? stepTarget;
  const group = ui.svg.querySelector(".tc-marks");
  if (!group) return;
  for (const g of ui.lit ?? []) g.classList.remove("tc-lit");
  const valid = target && (target.kind === "output" ? res.outputSize : res.inputSize).every((n, a) => [target.r, target.c][a] < n);
  const { marks, sum } = valid ? marksFor(view, res, target) : { marks: [],
    sum: "Point at an output cell (hover, tap or focus it) to see its sum, or at an input cell to see where it goes." };
  ui.lit = marks.map((m) => ui.index.get(`${m.panel}:${m.r}:${m.c}`)).filter(Boolean);
  for (const g of ui.lit) g.classList.add("tc-lit");
  group.innerHTML = marksSvg(marks, layout, cell, panels);
  ui.sum.textContent = sum;
}

// ----------------------------------------------------------------------------- editing (only valid settings reach the model)
/** Show PyTorch's rule, in words, for an invalid setting (the drawing keeps the last valid one). */
function showError(ui, message) {
  const why = /output_padding/.test(message)
    ? " output_padding picks one of the output sizes that a Conv2d with this stride maps back to this input size; there are only as many of them as the stride (or the dilation, if that is larger), so output_padding must be smaller than the stride or the dilation."
    : /at least 1|too large/.test(message) ? " padding crops rows and columns from every side of the output; here it would crop everything." : "";
  ui.error.textContent = `PyTorch refuses this setting: ${message}.${why} The drawing still shows the last valid setting.`;
}

/** Remove the error message. */
function clearError(ui) {
  ui.error.textContent = "";
}

/** Validate the draft; when PyTorch accepts it, write it to the model (and forget the preset). */
function commitDraft(ui, extra = {}) {
  try {
    computeResult(ui.draft);
  } catch (error) {
    showError(ui, error.message);
    return false;
  }
  clearError(ui);
  writeModel(ui, { x: ui.draft.x, weight: ui.draft.weight, ...Object.fromEntries(PAIR_NAMES.map((n) => [n, ui.draft[n]])), preset: "", ...extra });
  return true;
}

/** Write `values` to the model, save, and draw once. */
function writeModel(ui, values) {
  ui.writing = true;
  try {
    for (const [name, value] of Object.entries(values)) ui.model.set(name, copyJson(value));
    ui.model.save_changes();
  } finally {
    ui.writing = false;
  }
  render(ui);
}

/** A whole number within `limits` typed into the control named `name`, or an Error explaining the limit. */
function readInteger(text, name, [min, max]) {
  const v = Number(text);
  if (text === "" || !Number.isInteger(v)) return new Error(`${name} must be a whole number, got “${text}”`);
  if (v < min || v > max) return new Error(`${name} must be between ${min} and ${max} in this explorer, got ${v}`);
  return v;
}

/** Report an explorer limit (not PyTorch's) in the error region. */
function showLimit(ui, error) {
  ui.error.textContent = `${error.message}. The drawing still shows the last valid setting.`;
}

/** Input or kernel height/width edited: resize the grid (new cells get small default values). */
function resize(ui, which, heightInput, widthInput) {
  const prefix = which === "x" ? "input" : "kernel", limits = CONTROL_LIMITS[prefix];
  const rows = readInteger(heightInput.value, `${prefix} height`, limits), cols = readInteger(widthInput.value, `${prefix} width`, limits);
  const bad = [rows, cols].find((v) => v instanceof Error);
  if (bad) return showLimit(ui, bad);
  const make = which === "x" ? (r, c) => r * cols + c + 1 : (r, c) => (r * cols + c) % 3;
  ui.draft[which] = resizeGrid(ui.draft[which], rows, cols, make);
  commitDraft(ui);
}

/** A value of the input or kernel edited. */
function editValue(ui, which, r, c, text, name) {
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v)) return showLimit(ui, new Error(`${name} needs a number, got “${text}”`));
  ui.draft[which][r][c] = v;
  commitDraft(ui);
}

/** A layer argument edited (both axes' texts). */
function editPair(ui, name, texts) {
  const values = texts.map((t, a) => readInteger(t, ui.linked ? name : `${name} (${a ? "width" : "height"})`, CONTROL_LIMITS[name]));
  const bad = values.find((v) => v instanceof Error);
  if (bad) return showLimit(ui, bad);
  ui.draft[name] = values;
  commitDraft(ui);
}

/** Link or unlink the axes; linking copies each height value to the width. */
function setLinked(ui, linked) {
  ui.linked = linked;
  if (linked) for (const name of PAIR_NAMES) ui.draft[name] = [ui.draft[name][0], ui.draft[name][0]];
  fillLayerBox(ui);
  ui.layerBox.querySelector("input[type=checkbox]").focus();
  if (linked) commitDraft(ui);
}

/** Load a preset by name (its view too), back to the first step. */
function choosePreset(ui, name) {
  const p = readState(ui.model).presets.find((q) => q.name === name);
  if (!p) return;
  ui.draft = { ...ui.draft, x: copyJson(p.x), weight: copyJson(p.weight), ...Object.fromEntries(PAIR_NAMES.map((n) => [n, pair(p[n], n)])) };
  ui.linked = PAIR_NAMES.every((n) => ui.draft[n][0] === ui.draft[n][1]);
  commitDraft(ui, { preset: name, step: 0, ...(p.view ? { view: p.view } : {}) });
}

/** Switch the view, back to its first step. */
function setView(ui, view) {
  stopPlay(ui);
  writeModel(ui, { view, step: 0 });
}

/** Go to step `n` (clamped). */
function setStep(ui, n) {
  const { res, view } = ui.lastGood;
  const step = Math.min(Math.max(n, 0), stepCount(view, res) - 1);
  if (step !== ui.step) writeModel(ui, { step });
}

/** Play (from the start if at the last step) or pause. */
function togglePlay(ui) {
  if (ui.timer) return stopPlay(ui);
  const last = () => stepCount(ui.lastGood.view, ui.lastGood.res) - 1;
  if (ui.step >= last()) setStep(ui, 0);
  ui.timer = setInterval(() => {
    setStep(ui, ui.step + 1);
    if (ui.step >= last()) stopPlay(ui);
  }, PLAY_MS);
  ui.playButton.textContent = "pause";
}

/** Stop playing. */
function stopPlay(ui) {
  clearInterval(ui.timer);
  ui.timer = null;
  ui.playButton.textContent = "play";
}

/** Put a link to this configuration on the clipboard, and show it for copying by hand. */
async function copyLink(ui) {
  const { state, view } = ui.lastGood, page = String(globalThis.location?.href ?? "").split("#")[0];
  const url = `${page}#tconv-${ui.el.id}=${encodeState({ ...state, view, step: ui.step })}`;
  ui.linkText.value = url;
  if (!ui.el.id) { ui.linkStatus.textContent = "This explorer has no id, so a link cannot point at it."; return; }
  try {
    await navigator.clipboard.writeText(url);
    ui.linkStatus.textContent = "Link copied.";
  } catch {
    ui.linkText.select();
    ui.linkStatus.textContent = "The browser refused the clipboard: copy the link above by hand.";
  }
}
