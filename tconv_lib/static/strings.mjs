/**
 * strings.mjs: every string the explorer shows or speaks, one table per language.
 * An entry is text, or a function of the numbers it needs (and of the table, `L`, for shared phrases).
 * The Japanese table is strings_ja.mjs (STRINGS.ja); addStrings adds another; a key a table lacks falls
 * back to English. Numbers arrive already formatted (formatNumber: minus is U+2212). tconv.mjs and
 * state.mjs throw English errors that carry a key: errorText says them in the table's language (`errors`).
 */
import { formatSum } from "./tconv.mjs";
import { JA } from "./strings_ja.mjs";

/** The English table. */
const EN = {
  // phrases other entries use
  perAxis: ([a, b]) => (a === b ? String(a) : `${a} (rows), ${b} (columns)`),
  count: (n, one, many) => `${n} ${n === 1 ? one : many}`,
  cellName: (kind, r, c) => `${kind === "x" || kind === "input" ? "x" : kind}[${r}, ${c}]`,
  convOutputName: "Conv2d output",   // a cell of the forward view's Conv2d output is "Conv2d output[r, c]"
  noTerm: "0 (no term reaches this cell)",
  listSep: "; ",
  // the frame
  title: "ConvTranspose2d explorer",
  /** Each preset's [menu label, title] (tconv_lib.explorer.PRESETS); a worked example is named by its settings. */
  presets: {
    ch01: ["Chapter 1: stamps", "Chapter 1: each input value stamps the kernel; overlaps add up"],
    ch02: ["Chapter 2: stride", "Chapter 2: stride 2, padding 0: zeros inserted, a border, the flipped kernel"],
    ch03: ["Chapter 3: padding", "Chapter 3: padding eats the border, then crops (3×3 input, stride 2)"],
    ch04: ["Chapter 4: output_padding", "Chapter 4: Conv2d(kernel_size=3, stride=2, padding=1) maps 5 and 6 to 3; " +
      "output_padding=1 picks 6"],
    ch05: ["Chapter 5: dilation", "Chapter 5: dilation 2 spreads the kernel's taps"],
    ch08: ["Chapter 8: overlap", "Chapter 8: kernel_size 3, stride 2: uneven overlap, a checkerboard on a flat input"],
    ch10: ["Chapter 10: DCGAN layer", "Chapter 10: the DCGAN layer, kernel_size 4, stride 2, padding 1"],
  },
  workedTitle: (name) => `Worked example: ${name} (identity kernel)`,
  layerArguments: "layer arguments",
  linkAxes: "link height and width",
  axisName: (name, axis) => `${name} (${axis === 0 ? "height" : "width"})`,
  preset: "preset",
  custom: "custom",
  view: "view",
  views: { zero_insertion: "zero insertion", scatter: "scatter", dependencies: "dependencies", overlap: "overlap",
    forward: "forward pair" },
  inputBox: "input x", kernelBox: "kernel (weight)",
  inputHeight: "input height", inputWidth: "input width", kernelHeight: "kernel height", kernelWidth: "kernel width",
  inputValues: "input values", kernelValues: "kernel values",
  editValues: "edit the input and kernel values",
  // the player
  previous: "previous step", next: "next step", play: "play", pause: "pause", reset: "reset",
  previousTitle: "go one step back", nextTitle: "go one step on", playTitle: "play the steps one after another",
  resetTitle: "back to the settings this explorer opened with, at the overview",
  stepSlider: "step", speed: "speed",
  speedOption: (v) => `${v} step${v === 1 ? "" : "s"}/s`,
  counter: (k, n) => `${k} / ${n}`,
  step: (k, n, text) => `Step ${k} of ${n}: ${text}`,
  // live region
  backToOverview: "Settings changed: back to the overview (step 1).",
  resetDone: "Back to the settings this explorer opened with, at the overview.",
  // link
  copyLink: "copy link", copyLinkTitle: "copy a link to this configuration", link: "link",
  linkCopied: "Link copied.", linkNoId: "This explorer has no id, so a link cannot point at it.",
  linkByHand: "The browser refused the clipboard: copy the link above by hand.",
  linkBroken: (why) => `The link's settings could not be used (${why}); this is the page's own example.`,
  // errors
  refused: (message, why) => `PyTorch refuses this setting: ${message}.${why} The drawing still shows the last valid setting.`,
  whyOutputPadding: " output_padding picks one of the output sizes that a Conv2d with this stride maps back to this " +
    "input size; there are only as many of them as the stride (or the dilation, if that is larger), so output_padding " +
    "must be smaller than the stride or the dilation.",
  whyPadding: " padding crops rows and columns from every side of the output; here it would crop everything.",
  limit: (message) => `${message}. The drawing still shows the last valid setting.`,
  wholeNumber: (name, text) => `${name} must be a whole number, got “${text}”`,
  between: (name, min, max, v) => `${name} must be between ${min} and ${max} in this explorer, got ${v}`,
  needsNumber: (name, text) => `${name} needs a number, got “${text}”`,
  // panels
  panelInput: "INPUT x", panelKernelFlipped: "KERNEL (flipped)", panelKernel: "KERNEL (as given)",
  panelOutput: "OUTPUT", soFar: " (so far)", dilationNote: (d) => `, dilation ${d}`,
  panelInserted: "zeros inserted", insertedNote: (s, between) => `stride ${s}: ${between} between`,
  panelProcessing: "processing image", processingNote: (size, b) => `${size}, border ${b}`,
  panelCanvas: "canvas (padding 0)", canvasNote: "overlaps add up",
  panelCounts: "overlap count", countsNote: "taps per output cell",
  panelConvIn: "Conv2d input", convInNote: (size) => `${size}: the transposed output`,
  panelConvOut: "Conv2d output", convOutNote: (size) => `${size}: the transposed input's size`,
  panelSummary: (title, size) => `${title}, ${size}`,
  notComputed: "not computed yet",
  cellLabel: (name, text) => `${name} = ${text}`,
  cellPending: (name) => `${name}: not computed yet`,
  drawingLabel: (view, titles) => `${view} view: ${titles}`,
  drawingRegion: "drawing (scrolls sideways when wide)",
  // legend
  legend: "legend",
  roles: { input: "input value", inserted: "inserted zero (diagonal hatching)", border: "implicit border, zero (dots)",
    extra: "output_padding row/column (cross-hatching)", kernel: "kernel weight", output: "output",
    cropped: "cropped by padding (horizontal lines)", pending: "not computed yet (blank)", count: "overlap count (darker: more taps)" },
  ring: { zero_insertion: "current cell, kernel window (×weight) and what it uses", scatter: "current stamp, pointed cell",
    dependencies: "pointed cell and what made it", overlap: "the cells the pointed weight reaches, in its colour",
    forward: "pointed Conv2d output cell and its window" },
  outline: (what) => `outline: ${what}`,
  dashed: (what) => `dashed: ${what}`,
  frameScatter: "kept after cropping padding", frameCrop: "kept after the crop",
  // pointing
  pointHint: "Point at an output cell (hover, tap or focus it) to see its sum, or at an input cell to see where it goes.",
  pointHintOverlap: "Point at a kernel weight (hover, tap or focus it) to see every output cell it reaches.",
  sum: (name, sum) => `${name} = ${sum}`,
  sumSoFar: (name, sum) => `${name} so far = ${sum} (more stamps are to come)`,
  notYet: (name, k) => `${name} is not computed yet: step ${k} computes it.`,
  writesTo: (name, v, n, list) => `${name} = ${v} writes to ${n}: ${list}.`,
  gets: (out, v, w) => `${out} gets ${v}·${w}`,
  reachesNone: (name, v) => `${name} = ${v} reaches no output cell: padding crops its whole stamp.`,
  outputCells: (n) => `${n} output cell${n === 1 ? "" : "s"}`,
  weightReaches: (name, w, n, cells) => `${name} = ${w} reaches ${n}: ${cells}.`,
  countIs: (name, n) => `${name}: ${n} kernel tap${n === 1 ? "" : "s"} reach this cell.`,
  // the forward pair
  forwardSizes: (call, sizes, out) => `${call} maps ${sizes} to ${out}`,
  forwardPick: (op, size) => `output_padding = ${op} picks ${size}.`,
  or: " or ",
  formulaGeneral: "H_out = (H − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1",
};

/** Step captions (d: the facts steps.mjs computes, L: this table). */
EN.captions = {
  zero_insertion: {
    overview: (d) => `Overview: input ${d.input} → zeros inserted ${d.inserted} → processing image ${d.processing} → ` +
      `flipped kernel slides over it → output ${d.output}. Press “next step” to build it one stage at a time.`,
    input: (d, L) => `Input x is ${d.input} and the kernel ${d.kernel}; stride ${L.perAxis(d.stride)}, padding ` +
      `${L.perAxis(d.padding)}, output_padding ${L.perAxis(d.outputPadding)}, dilation ${L.perAxis(d.dilation)}.`,
    inserted: (d, L) => `Insert stride − 1 = ${L.perAxis(d.between)} zero(s) (z) between neighbouring input values: ` +
      `the image grows to ${d.inserted}.`,
    border: (d, L) => {
      const phrase = (a, one, many) => {
        const b = d.border[a], n = Math.abs(b), amount = `${n} ${n === 1 ? one : many}`;
        const sum = `${d.dilation[a]}·(${d.kernelSize[a]} − 1) − ${d.padding[a]} = ${d.borderText[a]}`;
        return b >= 0 ? `${sum}: ${amount} of zeros (b) on each side`
          : `${sum} < 0: padding exceeds the border, so ${amount} ${n === 1 ? "is" : "are"} cropped from each side (dashed frame)`;
      };
      return d.square ? `Implicit border dilation·(kernel_size − 1) − padding = ${phrase(0, "row and column", "rows and columns")}.`
        : `Implicit border dilation·(kernel_size − 1) − padding; rows: ${phrase(0, "row", "rows")}; columns: ${phrase(1, "column", "columns")}.`;
    },
    extra: (d, L) => (d.outputPadding[0] || d.outputPadding[1]
      ? `output_padding = ${L.perAxis(d.outputPadding)}: ${L.count(d.outputPadding[0], "extra row", "extra rows")} at the bottom ` +
        `and ${L.count(d.outputPadding[1], "extra column", "extra columns")} at the right (p); they take part in the sums like every other cell.`
      : "output_padding = 0: nothing is added at the bottom or the right."),
    kernel: (d, L) => "Flip the kernel (rotate it by 180°): weight[0, 0] lands at the bottom right. " +
      (d.dilated ? `With dilation ${L.perAxis(d.dilation)} its taps sit that many cells apart. ` : "") +
      `It slides over the ${d.processing} processing image one cell at a time; each position gives one output cell.`,
    cell: (d) => `${d.name} = ${d.sum}. The flipped kernel covers rows ${d.rows}, columns ${d.cols} of the processing image; ` +
      "the zeros under it add nothing.",
    final: (d) => `Done: the ${d.output} output, the numbers ${d.call} returns for this x and weight.`,
  },
  scatter: {
    overview: (d, L) => "Overview: every input value stamps a copy of the kernel, scaled by that value, onto a canvas; " +
      `stamps start ${L.perAxis(d.stride)} cells apart (the stride) and overlapping stamps add up. Then padding ` +
      `${L.perAxis(d.padding)} is cropped from every side (dashed frame)${d.kept ? `; output_padding keeps ${L.perAxis(d.outputPadding)} more at the bottom and right (p)` : ""}. ` +
      "Press “next step” to stamp one value at a time.",
    stamp: (d) => `${d.name} = ${d.v} stamps ${d.v} × kernel with its top-left corner at canvas row ${d.r}·${d.stride[0]} = ` +
      `${d.top}, column ${d.c}·${d.stride[1]} = ${d.left}; where stamps overlap, the values add up.`,
    final: (d, L) => `Crop padding = ${L.perAxis(d.padding)} from every side${d.kept ? `; output_padding keeps ${L.perAxis(d.outputPadding)} more at the bottom and right (p)` : ""}: ` +
      `the output is ${d.output}, what ${d.call} returns.`,
  },
  dependencies: {
    overview: "Point at an output cell (hover, tap, or Tab to it and use the arrow keys) to see the input values and kernel " +
      "taps that made it; point at an input cell to see every output cell it writes to. “next step” walks through the output cells.",
    cell: (d) => `${d.name} = ${d.sum}`,
  },
  overlap: {
    overview: (d, L) => `Overview: the heatmap counts the kernel taps that reach each output cell (kernel ${d.kernel}, ` +
      `stride ${L.perAxis(d.stride)}). ` + (d.interior === "" ? "This output is too small to have cells away from the edges. "
        : d.even ? `Away from the edges every cell gets ${d.interior} taps: no checkerboard from overlap. `
          : `Away from the edges the counts alternate (${d.interior}): a checkerboard` +
            `${d.dilated ? "" : ", because kernel_size is not a multiple of the stride"}. `) +
      "Point at a kernel weight to see the cells it reaches; “next step” walks through the weights.",
    tap: (d) => `${d.name} = ${d.w} reaches ${d.n} output cells (ringed in its colour). Weights reach cells ${d.stride} apart; ` +
      "where stamps of different weights meet, the counts add up.",
    final: (d) => (!d.constant ? `The output on this input is shown; set every input value to the same number to see whether ` +
        "this kernel keeps a flat input flat."
      : d.flat ? `On this constant input the output is flat away from the edges (${d.values}): the weights reaching each cell ` +
        "sum to the same value, so this kernel is balanced and no checkerboard shows."
        : `On this constant input the output away from the edges takes ${d.nValues} values (${d.values}): a checkerboard on a ` +
          `flat input${d.even ? ", although the counts are even: the weights reaching each cell do not sum to the same value" : ""}.`),
  },
  forward: {
    overview: (d) => `Overview: ${d.conv} is the Conv2d whose shape this ConvTranspose2d reverses. It maps ${d.sizes} ` +
      `to ${d.input}; output_padding = ${d.op} picks ${d.picked}. Here it runs on the transposed output ${d.output} and gives ${d.input}.`,
    cell: (d) => `Conv2d ${d.name} = ${d.sum}. The kernel (not flipped: Conv2d is a cross-correlation) covers rows ${d.rows}, ` +
      `columns ${d.cols} of its input${d.padded ? "; the rows and columns outside it are Conv2d's zero padding" : ""}.`,
  },
};

export const STRINGS = { en: EN, ja: JA };

/** A preset's [menu label, title] in table `L`. */
export function presetText(L, name) {
  return L.presets[name] ?? [name, L.workedTitle(name)];
}

/** An Error of tconv.mjs or state.mjs (or its message) in table `L`'s language: L.errors[key](fields), else the English. */
export function errorText(L, error) {
  return (error?.key && L.errors?.[error.key]?.(error.fields)) || (typeof error === "string" ? error : error.message);
}

/** A sum of products written out (formatSum), or L.noTerm when no term reaches the cell. */
export function sumText(L, terms) {
  return terms.length ? formatSum(terms) : L.noTerm;
}

/** Add (or replace) the table of `lang`; keys it lacks fall back to English. */
export function addStrings(lang, table) {
  STRINGS[lang] = table;
}

/** The table of `lang` with English filling the gaps (nested tables merged one level deep). */
export function stringsFor(lang = "en") {
  const own = STRINGS[lang] ?? {}, merged = { ...EN };
  for (const [key, value] of Object.entries(own)) {
    merged[key] = value && typeof value === "object" && !Array.isArray(value) && typeof EN[key] === "object"
      ? { ...EN[key], ...value } : value;
  }
  merged.lang = STRINGS[lang] ? lang : "en";
  return merged;
}
