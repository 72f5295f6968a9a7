/**
 * state.mjs: the explorer's declared state, its URL (permalink) form, and a stand-in model.
 * The state is one plain object; every field is listed in STATE_FIELDS with its default. Python's
 * tconv_lib.explorer.Explorer syncs the same names as traits.
 */
import { convTranspose2d, keyedError, pair } from "./tconv.mjs";

/** The views, in the order the view control offers them. */
export const VIEWS = ["zero_insertion", "scatter", "dependencies", "overlap", "forward"];
/** The layer arguments that are [h, w] pairs. */
export const PAIR_NAMES = ["stride", "padding", "output_padding", "dilation"];
/** The fields that make the numbers (a change of any of them returns to the overview). */
export const LAYER_FIELDS = ["x", "weight", ...PAIR_NAMES];
/** What the controls offer (PyTorch allows more; these keep the drawing readable). */
export const CONTROL_LIMITS = { input: [1, 8], kernel: [1, 5], stride: [1, 4], padding: [0, 12], output_padding: [0, 3],
  dilation: [1, 3] };

/**
 * Every field of the state and its default:
 * x, weight   the input and the kernel, rows of numbers (the kernel unflipped, as PyTorch stores it);
 * stride, padding, output_padding, dilation   [h, w] pairs of integers;
 * view        one of VIEWS;  step   the step shown, from 0 (the overview);
 * presets     [{name, label, title, x, weight, ...pairs, view}];  preset   the loaded preset's name, "" for none;
 * title       the heading;  lang   the strings table (strings.mjs).
 */
export const STATE_FIELDS = Object.freeze({
  x: [[1, 2], [3, 4]], weight: [[1, 0], [2, 1]], stride: [2, 2], padding: [0, 0], output_padding: [0, 0],
  dilation: [1, 1], view: "zero_insertion", step: 0, presets: [], preset: "", title: "", lang: "en",
});

/** A deep copy of plain JSON data. */
export function copyJson(value) {
  return JSON.parse(JSON.stringify(value));
}

/** The full state held by `model`, with defaults for missing fields, pairs as [h, w] and a known view. */
export function readState(model) {
  const state = {};
  for (const [name, fallback] of Object.entries(STATE_FIELDS)) {
    const value = model.get(name);
    state[name] = value === undefined || value === null || value === "" ? copyJson(fallback) : value;
  }
  for (const name of PAIR_NAMES) state[name] = pair(state[name], name);
  if (!VIEWS.includes(state.view)) state.view = STATE_FIELDS.view;
  return state;
}

const results = new Map();   // the last few results by their layer fields (an edit validates, then draws, the same layer)

/**
 * The transposed convolution of a state (throws PyTorch's rule, naming the parameter, when it is invalid). The result
 * is shared by every caller with the same layer fields: read it, never change it.
 */
export function computeResult(state) {
  const key = JSON.stringify(LAYER_FIELDS.map((n) => state[n]));
  if (!results.has(key)) {
    results.set(key, convTranspose2d(state.x, state.weight, {
      stride: state.stride, padding: state.padding, outputPadding: state.output_padding, dilation: state.dilation,
    }));
    if (results.size > 8) results.delete(results.keys().next().value);
  }
  return results.get(key);
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
    if (at < 1) throw keyedError(`permalink part "${part}" must look like name=value`, "permalinkPart", { part });
    if (name === "x" || name === "weight") {
      state[name] = value.split(";").map((row) => row.split(",").map((t) => (t.trim() === "" ? NaN : Number(t))));
      if (state[name].flat().some((v) => !Number.isFinite(v))) {
        throw keyedError(`${name} in the permalink must hold numbers`, "permalinkNumbers", { name });
      }
    } else if (PAIR_NAMES.includes(name)) {
      const numbers = value.split(",").map(Number);
      state[name] = pair(numbers.length === 1 ? numbers[0] : numbers, name);
    } else if (name === "view") {
      if (!VIEWS.includes(value)) throw keyedError(`view must be one of ${VIEWS.join(", ")}, got "${value}"`, "permalinkView", { value });
      state.view = value;
    } else if (name === "step") {
      state.step = Number(value);
      if (!Number.isInteger(state.step) || state.step < 0) {
        throw keyedError(`step must be a non-negative integer, got "${value}"`, "permalinkStep", { value });
      }
    } else {
      throw keyedError(`unknown permalink field "${name}"`, "permalinkField", { name });
    }
  }
  return state;
}

/**
 * `state` updated from `hash` when it targets `id` ("#tconv-<id>=..."): {state} when the link is valid,
 * {state: null, error, reason} when it targets `id` but cannot be used (error: the English message, reason: the
 * Error, for strings.mjs errorText), {state: null} when it targets something else.
 */
export function stateFromHash(id, state, hash) {
  const prefix = `#tconv-${id}=`;
  if (!id || !String(hash ?? "").startsWith(prefix)) return { state: null };
  try {
    const restored = { ...state, ...decodeState(decodeURIComponent(hash.slice(prefix.length))), preset: "" };
    computeResult(readState(createModel(restored)));
    return { state: restored };
  } catch (error) {
    return { state: null, error: error.message, reason: error };
  }
}

/** A stand-in for an anywidget model: get, set (fires "change:name" when the value changes), save_changes, on, off. */
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
