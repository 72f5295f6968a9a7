/**
 * tconv.mjs: single-channel 2-D transposed convolution and convolution, computed exactly as
 * PyTorch's F.conv_transpose2d and F.conv2d (bias none), with where every output number comes from.
 * No dependencies, no DOM: it runs in a browser, in Node and inside the course's Jupyter widget.
 * Introduced in chapters/02_stride (the explorer), tested against PyTorch in tests/test_tconv_mjs.py.
 *
 * STABLE CONTRACT (code outside the course may rely on this; additions only):
 * - Grids (`x`, `weight`) are arrays of rows of finite numbers: one channel, one batch item.
 * - Options are a number or an [h, w] pair of integers; names mirror PyTorch's arguments
 *   (`outputPadding` is output_padding). Unknown options throw.
 * - convTranspose2d(x, weight, {stride=1, padding=0, outputPadding=0, dilation=1}) returns
 *   { output, outputSize, inputSize, kernelSize, stride, padding, outputPadding, dilation,
 *     border,            // dilation·(kernel_size − 1) − padding per axis; negative: that much is cropped
 *     processing: { size, values, roles, inputIndex },   // the zero-insertion view's processing image
 *     contributions,     // [oi][oj] -> [{input: [i, j], tap: [ti, tj], x, w, processing: [pi, pj]}]
 *     x, weight }        // copies of the arguments
 *   `output` equals F.conv_transpose2d on the same numbers. A role is "input" (holds x[i][j]),
 *   "inserted" (a zero between input values), "border" (the implicit zero border) or "extra" (a
 *   zero row/column that output_padding adds). `tap` always indexes the weight as given (unflipped).
 * - conv2d(x, weight, {stride=1, padding=0, dilation=1}) returns { output, outputSize, inputSize,
 *   kernelSize, stride, padding, dilation, contributions, x, weight } (padding cells contribute nothing).
 * - convTransposeOutputSize(inputSize, kernelSize, options) -> [H_out, W_out].
 * - ROLES: the four roles in the order of tconv_lib.foundations.stages.Role (index = its int value).
 * - pair(value, name) -> [h, w]; footprint(result, i, j); windowCells(result, oi, oj);
 *   formatNumber(v); formatSum(terms); formulaLines(result); layerCall(result).
 * - Invalid arguments throw an Error whose message names the parameter (PyTorch's spelling) and
 *   the rule, exactly when PyTorch raises or would return an empty tensor. The error also carries
 *   `key` and `fields` (keyedError), so that a strings table can say it in another language.
 * Top-level names (the explorer bundle shares one scope with this file): the exports above and
 * AXES, UNITS, TORCH_NAMES, TRANSPOSE_DEFAULTS, CONV_DEFAULTS, showPair, checkGrid, readOptions,
 * transposeGeometry, sizeFormula, axisRole, cellRole, makeGrid, keyedError.
 */

/** The roles of processing-image cells; index = the int value of tconv_lib.foundations.stages.Role of the same name. */
export const ROLES = Object.freeze(["inserted", "input", "border", "extra"]);

/** Axis names used in messages: index 0 is the height (rows), index 1 the width (columns). */
const AXES = ["height", "width"], UNITS = ["rows", "columns"];
/** PyTorch's names for the options. */
const TORCH_NAMES = {
  stride: "stride", padding: "padding", outputPadding: "output_padding", dilation: "dilation",
};
const TRANSPOSE_DEFAULTS = { stride: 1, padding: 0, outputPadding: 0, dilation: 1 };
const CONV_DEFAULTS = { stride: 1, padding: 0, dilation: 1 };

/** @typedef {[number, number]} Pair  an [h, w] pair */
/** @typedef {number[][]} Grid  an array of rows of numbers */

/** An Error with its English `message` and, for the strings tables (strings.mjs errorText), `key` and `fields`. */
export function keyedError(message, key, fields) {
  return Object.assign(new Error(message), { key, fields });
}

/** A pair as PyTorch would print it: one number when both axes agree. @param {Pair} p */
function showPair([h, w]) {
  return h === w ? String(h) : `(${h}, ${w})`;
}

/**
 * An option as an [h, w] pair of integers; throws naming `name` otherwise.
 * @param {number | number[]} value  @param {string} name  @returns {Pair}
 */
export function pair(value, name) {
  const items = Array.isArray(value) ? value : [value, value];
  if (items.length !== 2 || !items.every(Number.isInteger)) {
    const shown = Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
    throw keyedError(`${name} must be an integer or a pair [h, w] of integers, got ${shown}`, "pair", { name, shown });
  }
  return [items[0], items[1]];
}

/** Check that `values` is a non-empty rectangular grid of finite numbers; return its [rows, cols]. */
function checkGrid(values, name) {
  if (!Array.isArray(values) || !Array.isArray(values[0]) || values[0].length === 0)
    throw keyedError(`${name} must be a non-empty array of non-empty rows of numbers`, "gridRows", { name });
  values.forEach((row, r) => {
    const length = Array.isArray(row) ? row.length : 0, first = values[0].length;
    if (!Array.isArray(row) || row.length !== values[0].length)
      throw keyedError(`${name} must be rectangular: row ${r + 1} has ${length} values, row 1 has ${first}`,
        "gridRectangular", { name, row: r + 1, length, first });
    row.forEach((v, c) => {
      if (typeof v !== "number" || !Number.isFinite(v))
        throw keyedError(`${name} row ${r + 1} column ${c + 1} must be a finite number, got ${String(v)}`,
          "gridValue", { name, row: r + 1, column: c + 1, value: String(v) });
    });
  });
  return [values.length, values[0].length];
}

/** Options as pairs, with PyTorch's sign rules: stride and dilation positive, the rest non-negative. */
function readOptions(options, defaults) {
  for (const key of Object.keys(options ?? {})) {
    if (key in defaults) continue;
    const camel = key.replace(/_(\w)/g, (_, c) => c.toUpperCase());
    const hint = camel in defaults ? ` (write ${camel})` : "";
    throw new Error(`unknown option ${key}${hint}; the options are ${Object.keys(defaults).join(", ")}`);
  }
  const pairs = {};
  for (const [key, fallback] of Object.entries(defaults)) {
    const name = TORCH_NAMES[key];
    const value = pair(options?.[key] ?? fallback, name);
    const positive = key === "stride" || key === "dilation";
    if (value.some((v) => (positive ? v < 1 : v < 0)))
      throw keyedError(`${name} must be ${positive ? "positive" : "non-negative"}, got ${showPair(value)}`,
        positive ? "positive" : "nonNegative", { name, value: showPair(value) });
    pairs[key] = value;
  }
  return pairs;
}

/** The size formula of one axis with the numbers substituted (without "= result"). */
function sizeFormula(a, n, k, { stride, padding, outputPadding, dilation }) {
  return `${"HW"[a]}_out = (${n[a]} − 1)·${stride[a]} − 2·${padding[a]} + ` +
    `${dilation[a]}·(${k[a]} − 1) + ${outputPadding[a]} + 1`;
}

/** Validated options and output size of a transposed convolution (PyTorch's rules, in its order). */
function transposeGeometry(inputSize, kernelSize, options) {
  const n = pair(inputSize, "input size"), k = pair(kernelSize, "kernel_size");
  if (Math.min(...n) < 1) throw keyedError(`input size must be positive, got ${showPair(n)}`, "inputSize", { value: showPair(n) });
  if (Math.min(...k) < 1) throw keyedError(`kernel_size must be positive, got ${showPair(k)}`, "positive",
    { name: "kernel_size", value: showPair(k) });
  const g = readOptions(options, TRANSPOSE_DEFAULTS);
  const { stride: s, padding: p, outputPadding: op, dilation: d } = g;
  const rectangular = [s, op, d].some(([h, w]) => h !== w);
  for (const a of [0, 1]) {
    if (op[a] >= s[a] && op[a] >= d[a])
      throw keyedError(`output_padding (${op[a]}) must be smaller than stride (${s[a]}) or dilation (${d[a]})` +
        (rectangular ? ` along the ${AXES[a]}` : ""), "outputPadding", { op: op[a], s: s[a], d: d[a], axis: rectangular ? a : null });
  }
  g.outputSize = [0, 1].map((a) => (n[a] - 1) * s[a] - 2 * p[a] + d[a] * (k[a] - 1) + op[a] + 1);
  for (const a of [0, 1]) {
    if (g.outputSize[a] < 1)
      throw keyedError(`padding (${p[a]}) is too large: ${sizeFormula(a, n, k, g)} = ` +
        `${formatNumber(g.outputSize[a])}, but PyTorch needs an output ${AXES[a]} of at least 1`, "paddingTooLarge",
        { p: p[a], formula: sizeFormula(a, n, k, g), size: formatNumber(g.outputSize[a]), axis: a });
  }
  return g;
}

/**
 * Output size [H_out, W_out] of nn.ConvTranspose2d; throws like convTranspose2d.
 * @param {number | Pair} inputSize  @param {number | Pair} kernelSize  @param {object} [options]
 * @returns {Pair}
 */
export function convTransposeOutputSize(inputSize, kernelSize, options = {}) {
  return transposeGeometry(inputSize, kernelSize, options).outputSize;
}

/** A rows × cols grid filled by make(r, c). */
function makeGrid(rows, cols, make) {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => make(r, c)));
}

/**
 * Role of processing-image position `pos` along one axis. z = pos − border is the position in the
 * zero-inserted image, which holds input values at multiples of the stride from 0 to (n − 1)·stride.
 * Past that image, the first `border` positions are the implicit border; the rest (there are
 * output_padding of them, fewer if the border is negative) are the zeros output_padding added.
 */
function axisRole(pos, n, stride, border) {
  const z = pos - border, last = (n - 1) * stride;
  if (z >= 0 && z <= last) {
    return z % stride === 0 ? { role: "input", index: z / stride } : { role: "inserted" };
  }
  return { role: z > last + border ? "extra" : "border" };
}

/** Role of a processing-image cell from the roles of its row and column. */
function cellRole(row, col) {
  const roles = [row.role, col.role];
  if (roles[0] === "input" && roles[1] === "input") return "input";
  if (roles.includes("extra")) return "extra";
  return roles.includes("border") ? "border" : "inserted";
}

/**
 * Transposed convolution of one channel, bias none, as F.conv_transpose2d, with provenance.
 * Each input value x[i][j] stamps weight·x[i][j] onto the output, its top-left tap landing on
 * (i·stride − padding) per axis, taps dilation apart; stamps outside the output are cut off.
 * @param {Grid} x  (H, W)  @param {Grid} weight  (kH, kW)
 * @param {{stride?: number | Pair, padding?: number | Pair, outputPadding?: number | Pair,
 *          dilation?: number | Pair}} [options]
 */
export function convTranspose2d(x, weight, options = {}) {
  const inputSize = checkGrid(x, "x"), kernelSize = checkGrid(weight, "weight");
  const g = transposeGeometry(inputSize, kernelSize, options);
  const { stride: s, padding: p, dilation: d, outputSize: [Ho, Wo] } = g;
  const border = [0, 1].map((a) => d[a] * (kernelSize[a] - 1) - p[a]);
  const contributions = makeGrid(Ho, Wo, () => []);
  for (let i = 0; i < inputSize[0]; i++) for (let j = 0; j < inputSize[1]; j++) {
    for (let ti = 0; ti < kernelSize[0]; ti++) for (let tj = 0; tj < kernelSize[1]; tj++) {
      const oi = i * s[0] - p[0] + ti * d[0], oj = j * s[1] - p[1] + tj * d[1];
      if (oi < 0 || oi >= Ho || oj < 0 || oj >= Wo) continue;
      contributions[oi][oj].push({ input: [i, j], tap: [ti, tj], x: x[i][j], w: weight[ti][tj],
        processing: [i * s[0] + border[0], j * s[1] + border[1]] });
    }
  }
  // The processing image: x with stride − 1 zeros inserted between values, `border` zeros around
  // (cropped by −border where that is negative) and output_padding more at the bottom and right.
  // Correlating it with the flipped, dilated kernel (stride 1) gives the same output.
  const size = [0, 1].map((a) => g.outputSize[a] + d[a] * (kernelSize[a] - 1));
  const rows = Array.from({ length: size[0] }, (_, pi) => axisRole(pi, inputSize[0], s[0], border[0]));
  const cols = Array.from({ length: size[1] }, (_, pj) => axisRole(pj, inputSize[1], s[1], border[1]));
  const inputIndex = makeGrid(size[0], size[1], (r, c) =>
    (rows[r].role === "input" && cols[c].role === "input" ? [rows[r].index, cols[c].index] : null));
  return {
    output: contributions.map((row) => row.map((terms) => terms.reduce((sum, t) => sum + t.x * t.w, 0))),
    outputSize: g.outputSize, inputSize, kernelSize, stride: s, padding: p, outputPadding: g.outputPadding,
    dilation: d, border,
    processing: {
      size,
      values: inputIndex.map((row) => row.map((ij) => (ij ? x[ij[0]][ij[1]] : 0))),
      roles: makeGrid(size[0], size[1], (r, c) => cellRole(rows[r], cols[c])),
      inputIndex,
    },
    contributions, x: x.map((row) => [...row]), weight: weight.map((row) => [...row]),
  };
}

/**
 * Convolution of one channel, bias none, as F.conv2d (a cross-correlation: the kernel is not
 * flipped), with provenance. @param {Grid} x  (H, W)  @param {Grid} weight  (kH, kW)
 * @param {{stride?: number | Pair, padding?: number | Pair, dilation?: number | Pair}} [options]
 */
export function conv2d(x, weight, options = {}) {
  const inputSize = checkGrid(x, "x"), kernelSize = checkGrid(weight, "weight");
  const { stride: s, padding: p, dilation: d } = readOptions(options, CONV_DEFAULTS);
  const outputSize = [0, 1].map((a) => {
    const reach = d[a] * (kernelSize[a] - 1) + 1, padded = inputSize[a] + 2 * p[a];
    if (reach > padded)
      throw keyedError(`kernel_size (${kernelSize[a]}) with dilation (${d[a]}) spans ${reach} ${UNITS[a]}, more ` +
        `than the padded input's ${padded} (${AXES[a]} ${inputSize[a]} + 2·padding ${p[a]}): PyTorch needs ` +
        "dilation·(kernel_size − 1) + 1 ≤ input size + 2·padding", "convSpan",
        { k: kernelSize[a], d: d[a], reach, padded, n: inputSize[a], p: p[a], axis: a });
    return Math.floor((padded - reach) / s[a]) + 1;
  });
  const contributions = makeGrid(outputSize[0], outputSize[1], (oi, oj) => {
    const terms = [];
    for (let ti = 0; ti < kernelSize[0]; ti++) for (let tj = 0; tj < kernelSize[1]; tj++) {
      const i = oi * s[0] - p[0] + ti * d[0], j = oj * s[1] - p[1] + tj * d[1];
      if (i >= 0 && i < inputSize[0] && j >= 0 && j < inputSize[1])
        terms.push({ input: [i, j], tap: [ti, tj], x: x[i][j], w: weight[ti][tj] });
    }
    return terms;
  });
  return {
    output: contributions.map((row) => row.map((terms) => terms.reduce((sum, t) => sum + t.x * t.w, 0))),
    outputSize, inputSize, kernelSize, stride: s, padding: p, dilation: d, contributions,
    x: x.map((row) => [...row]), weight: weight.map((row) => [...row]),
  };
}

/**
 * The output cells input value (i, j) writes to, and with which tap (row-major by output cell).
 * Works for both results. @returns {{output: Pair, tap: Pair}[]}
 */
export function footprint(result, i, j) {
  const cells = [];
  result.contributions.forEach((row, oi) => row.forEach((terms, oj) => {
    for (const t of terms) {
      if (t.input[0] === i && t.input[1] === j) cells.push({ output: [oi, oj], tap: t.tap });
    }
  }));
  return cells;
}

/**
 * The processing-image cells the flipped, dilated kernel covers when it computes output (oi, oj)
 * of a convTranspose2d result, row-major; `tap` is the unflipped weight index landing on each.
 * @returns {{processing: Pair, tap: Pair, w: number}[]}
 */
export function windowCells(result, oi, oj) {
  if (!result.processing) throw new Error("windowCells needs a convTranspose2d result");
  const [kh, kw] = result.kernelSize, [dh, dw] = result.dilation, cells = [];
  for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) {
    const tap = [kh - 1 - a, kw - 1 - b];
    cells.push({ processing: [oi + a * dh, oj + b * dw], tap, w: result.weight[tap[0]][tap[1]] });
  }
  return cells;
}

/** A number for display: integers as they are, others rounded to at most 3 decimals; minus is U+2212. */
export function formatNumber(v) {
  const rounded = Number.isInteger(v) ? v : Math.round(v * 1000) / 1000;
  return (rounded < 0 ? "−" : "") + String(Math.abs(rounded));
}

/**
 * A sum of products written out, "1·1 + 0·2 + 2·0 = 1"; a negative factor after the first is
 * bracketed. @param {({x: number, w: number} | [number, number])[]} terms
 */
export function formatSum(terms) {
  if (terms.length === 0) return "0 (no term reaches this cell)";
  const factor = (v, first) => {
    const text = formatNumber(v);
    return text.startsWith("−") && !first ? `(${text})` : text;
  };
  const pairs = terms.map((t) => (Array.isArray(t) ? t : [t.x, t.w]));
  const text = pairs.map(([a, b], n) => `${factor(a, n === 0)}·${factor(b, false)}`).join(" + ");
  return `${text} = ${formatNumber(pairs.reduce((sum, [a, b]) => sum + a * b, 0))}`;
}

/** The output-size formula of each axis with the numbers substituted: [height line, width line]. */
export function formulaLines(result) {
  const { inputSize: n, kernelSize: k, stride: s, padding: p, dilation: d, outputSize } = result;
  return [0, 1].map((a) => {
    const formula = result.outputPadding ? sizeFormula(a, n, k, result)
      : `${"HW"[a]}_out = ⌊(${n[a]} + 2·${p[a]} − ${d[a]}·(${k[a]} − 1) − 1) / ${s[a]}⌋ + 1`;
    return `${formula} = ${formatNumber(outputSize[a])}`;
  });
}

/**
 * The PyTorch layer that computes `result`, defaults omitted, a pair printed as one number when
 * both axes agree: "nn.ConvTranspose2d(1, 1, kernel_size=(2, 3), stride=2, padding=(1, 0), bias=False)".
 */
export function layerCall(result) {
  const transposed = Boolean(result.outputPadding);
  const parts = [`kernel_size=${showPair(result.kernelSize)}`];
  for (const [key, fallback] of Object.entries(transposed ? TRANSPOSE_DEFAULTS : CONV_DEFAULTS)) {
    if (result[key].some((v) => v !== fallback)) parts.push(`${TORCH_NAMES[key]}=${showPair(result[key])}`);
  }
  return `nn.${transposed ? "ConvTranspose2d" : "Conv2d"}(1, 1, ${parts.join(", ")}, bias=False)`;
}
