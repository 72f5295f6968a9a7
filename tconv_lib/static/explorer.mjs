/**
 * explorer.mjs: the ConvTranspose2d explorer's wiring: mounts the controls and the drawing on an element and keeps
 * them in step with a model (anywidget's, or createModel's stand-in in the book). Tested in tests/test_explorer_ui.py.
 * The other parts, each in the file named for it: state.mjs (the declared state and its URL form), steps.mjs (steps
 * and captions), panels.mjs (what each step draws and lights), draw.mjs (SVG), controls.mjs (form controls by name),
 * strings.mjs (every string, per language), explorer.css (the style sheet), tconv.mjs (the arithmetic).
 * Exports: mount(el, model, {lang}) -> cleanup; default {render}: anywidget's entry point; mountStatic(el, state):
 * the book's (the permalink "#tconv-<el.id>=..." restored, or reported when broken).
 */
import { formulaLines, layerCall } from "./tconv.mjs";
import { LAYER_FIELDS, PAIR_NAMES, CONTROL_LIMITS, STATE_FIELDS, copyJson, computeResult, createModel, encodeState, readState, stateFromHash } from "./state.mjs";
import { describeStep, stepCount } from "./steps.mjs";
import { marksFor, panelsFor } from "./panels.mjs";
import { PATTERNS, cellAttributes, drawingSvg, layoutPanels, legendFor, marksSvg } from "./draw.mjs";
import { SPEEDS, buildControls, elem } from "./controls.mjs";
import { presetText, stringsFor } from "./strings.mjs";

/** The style sheet's text: the bundle (tconv_lib.explorer.module_source) puts explorer.css here. */
const EXPLORER_CSS = null; // @css
const STYLE_ID = "tconv-explorer-style";
let explorerCount = 0;

/** Add the style sheet once to the document (or the shadow root) that holds `el`, even before `el` is inserted. */
function injectStyle(el) {
  if (!EXPLORER_CSS) return;
  const root = el.getRootNode?.(), holder = globalThis.ShadowRoot && root instanceof ShadowRoot ? root : document.head;
  if (holder.querySelector(`#${STYLE_ID}`)) return;
  holder.append(elem("style", { id: STYLE_ID }, EXPLORER_CSS));
}

/** A whole number within `limits`, or an Error naming the control and the limit. */
function readInteger(L, text, name, [min, max]) {
  const v = Number(text);
  if (text === "" || !Number.isInteger(v)) return new Error(L.wholeNumber(name, text));
  if (v < min || v > max) return new Error(L.between(name, min, max, v));
  return v;
}

/**
 * Build the explorer in `el`, driven by `model` (get, set, save_changes, on, off); returns the cleanup function.
 * options.lang picks the strings table (else the model's `lang`, else English).
 */
export function mount(el, model, options = {}) {
  injectStyle(el);
  const L = stringsFor(options.lang ?? model.get("lang") ?? "en");
  const first = readState(model);
  const ui = { el, model, L, uid: `tconv-${(el.id || "x").replace(/[^\w-]/g, "-")}-${++explorerCount}`, pointer: {},
    focus: { input: [0, 0], output: [0, 0], kernel: [0, 0], count: [0, 0], conv: [0, 0] }, refused: {}, timer: null, speed: 1,
    linked: PAIR_NAMES.every((n) => first[n][0] === first[n][1]), initial: copyJson(first) };
  const on = {
    pair: (name, texts) => {
      const values = texts.map((t, a) => readInteger(L, t, ui.linked ? name : L.axisName(name, a), CONTROL_LIMITS[name]));
      const bad = values.find((v) => v instanceof Error);
      return bad ? showError(ui, L.limit(bad.message)) : commit(ui, { [name]: values });
    },
    resize: (which, h, w) => {
      const prefix = which === "x" ? "input" : "kernel", limits = CONTROL_LIMITS[prefix];
      const rows = readInteger(L, h, L[`${prefix}Height`], limits), cols = readInteger(L, w, L[`${prefix}Width`], limits);
      const bad = [rows, cols].find((v) => v instanceof Error);
      if (bad) return showError(ui, L.limit(bad.message));
      const grid = ui.refused[which] ?? readState(model)[which], make = which === "x" ? (r, c) => r * cols + c + 1 : (r, c) => (r * cols + c) % 3;
      commit(ui, { [which]: Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => grid[r]?.[c] ?? make(r, c))) });
    },
    value: (which, r, c, text, name) => {
      const v = Number(text);
      if (text.trim() === "" || !Number.isFinite(v)) return showError(ui, L.limit(L.needsNumber(name, text)));
      const grid = copyJson(ui.refused[which] ?? readState(model)[which]);
      grid[r][c] = v;
      commit(ui, { [which]: grid });
    },
    link: (linked) => {
      ui.linked = linked;
      const state = readState(model);
      if (linked) commit(ui, Object.fromEntries(PAIR_NAMES.map((n) => [n, [state[n][0], state[n][0]]])));
      else render(ui);
    },
    preset: (name) => {
      const p = readState(model).presets.find((q) => q.name === name);
      if (!p) return;
      ui.linked = PAIR_NAMES.every((n) => p[n][0] === p[n][1]);
      commit(ui, Object.fromEntries(LAYER_FIELDS.map((n) => [n, p[n]])), { preset: name, ...(p.view ? { view: p.view } : {}) });
    },
    view: (view) => { stopPlay(ui); toOverview(ui, { view }); },
    step: (to) => {
      const n = stepCount(ui.view, ui.res), now = ui.step;
      const step = Math.min(Math.max(to === "next" ? now + 1 : to === "previous" ? now - 1 : to, 0), n - 1);
      if (step !== now) write(ui, { step });
    },
    play: () => (ui.timer ? stopPlay(ui) : startPlay(ui)),
    speed: (v) => { ui.speed = SPEEDS.includes(v) ? v : 1; if (ui.timer) { stopPlay(ui); startPlay(ui); } else render(ui); },
    reset: () => {
      stopPlay(ui);
      ui.refused = {};
      ui.linked = PAIR_NAMES.every((n) => ui.initial[n][0] === ui.initial[n][1]);
      clearError(ui);
      write(ui, { ...Object.fromEntries(LAYER_FIELDS.map((n) => [n, ui.initial[n]])), view: ui.initial.view, preset: ui.initial.preset, step: 0 });
      ui.status.textContent = L.resetDone;
    },
    copy: () => copyLink(ui),
  };
  ui.controls = buildControls(ui.uid, L, on);
  ui.title = elem("div", { class: "tc-title" });
  ui.error = elem("div", { class: "tc-error", role: "alert" });
  ui.status = elem("p", { class: "tc-status", role: "status" });
  ui.caption = elem("p", { class: "tc-caption", "aria-live": "polite" });
  ui.svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  ui.svg.setAttribute("class", "tc-drawing");
  ui.svg.setAttribute("role", "group");
  ui.scroll = elem("div", { class: "tc-scroll", role: "region", tabindex: "0", "aria-label": L.drawingRegion }, ui.svg);
  ui.sum = elem("p", { class: "tc-sum", id: `${ui.uid}-sum` });
  ui.legend = elem("ul", { class: "tc-legend", "aria-label": L.legend });
  ui.formula = elem("div", { class: "tc-formula" });
  ui.layer = elem("code", { class: "tc-layer" });
  // DOM order is the visual order at every width (and the keyboard's): settings, player, caption, drawing, editors.
  ui.root = elem("section", { class: "tconv-explorer", lang: L.lang }, ui.title, ui.controls.nodes.settings, ui.error,
    ui.controls.nodes.player, ui.status, ui.caption, ui.scroll, ui.sum, ui.legend, ui.formula, ui.layer, ui.controls.nodes.editors);
  el.replaceChildren(ui.root);
  attachPointing(ui);
  const onChange = () => {
    if (ui.writing) return;
    const state = readState(model);
    if (PAIR_NAMES.some((n) => state[n][0] !== state[n][1])) ui.linked = false;
    const layer = JSON.stringify(LAYER_FIELDS.map((n) => state[n]));
    ui.refused = {};
    ui.external = true;
    clearError(ui);
    if (ui.layerKey && layer !== ui.layerKey && state.step !== 0) return toOverview(ui, {});   // changed from Python
    schedule(ui);
  };
  const names = Object.keys(STATE_FIELDS);
  for (const name of names) model.on(`change:${name}`, onChange);
  // The drawing's width comes from the observer (reading clientWidth in render would force a layout on every change).
  ui.resize = globalThis.ResizeObserver ? new ResizeObserver(([entry]) => {
    const width = Math.round(entry.contentRect.width);
    if (width !== ui.width) { ui.width = width; schedule(ui); }
  }) : null;
  ui.resize?.observe(ui.scroll);
  render(ui);
  return () => {
    stopPlay(ui);
    ui.resize?.disconnect();
    for (const name of names) model.off(`change:${name}`, onChange);
    ui.root.remove();
  };
}

export default { render({ model, el }) { return mount(el, model); } };

/** For the static book: a stand-in model, the permalink restored if it targets el.id (or reported when broken), then mount. */
export function mountStatic(el, state, options = {}) {
  const found = stateFromHash(el.id, state, globalThis.location?.hash);
  const cleanup = mount(el, createModel(found.state ?? state), options);
  if (found.error) el.querySelector(".tc-error").textContent = stringsFor(options.lang ?? state.lang).linkBroken(found.error);
  if (found.state) el.scrollIntoView?.();
  return cleanup;
}

/** Re-render once, soon (several model changes in a row draw once). */
function schedule(ui) {
  if (ui.pending) return;
  ui.pending = true;
  queueMicrotask(() => { ui.pending = false; render(ui); });
}

function showError(ui, text) { ui.error.textContent = text; }
function clearError(ui) { ui.error.textContent = ""; }

/** Write `values` to the model, save, and draw once. */
function write(ui, values) {
  ui.writing = true;
  try {
    for (const [name, value] of Object.entries(values)) ui.model.set(name, copyJson(value));
    ui.model.save_changes();
  } finally {
    ui.writing = false;
  }
  render(ui);
}

/** Back to step 0 with `values` written, announcing it when a later step was showing. */
function toOverview(ui, values) {
  const was = ui.step;
  write(ui, { ...values, step: 0 });
  if (was > 0) ui.status.textContent = ui.L.backToOverview;
}

/** A layer edit: with the edits PyTorch refused so far, write it when PyTorch accepts it, else explain and keep it pending. */
function commit(ui, changes, extra = {}) {
  const candidate = { ...readState(ui.model), ...ui.refused, ...changes };
  try {
    computeResult(candidate);
  } catch (error) {
    ui.refused = { ...ui.refused, ...changes };
    const why = /output_padding/.test(error.message) ? ui.L.whyOutputPadding : /at least 1|too large/.test(error.message) ? ui.L.whyPadding : "";
    showError(ui, ui.L.refused(error.message, why));
    return;
  }
  ui.refused = {};
  clearError(ui);
  stopPlay(ui);
  toOverview(ui, { ...Object.fromEntries(LAYER_FIELDS.map((n) => [n, candidate[n]])), preset: "", ...extra });
}

function startPlay(ui) {
  if (ui.step >= stepCount(ui.view, ui.res) - 1) write(ui, { step: 0 });
  ui.timer = setInterval(() => {
    const last = stepCount(ui.view, ui.res) - 1;
    if (ui.step < last) write(ui, { step: ui.step + 1 });
    if (ui.step >= last) stopPlay(ui);
  }, 1000 / ui.speed);
  render(ui);
}

function stopPlay(ui) {
  if (!ui.timer) return;
  clearInterval(ui.timer);
  ui.timer = null;
  if (ui.res) render(ui);
}

/** Bring everything on screen up to date with the model; keeps the last valid picture if the model's is invalid. */
function render(ui) {
  const state = readState(ui.model), L = ui.L, layerKey = JSON.stringify(LAYER_FIELDS.map((n) => state[n]));
  if (layerKey !== ui.layerKey) {
    try {
      ui.res = computeResult(state);
      ui.layerKey = layerKey;
    } catch (error) {
      showError(ui, L.refused(error.message, ""));
      if (!ui.res) return;
    }
  }
  if (ui.root.isConnected) injectStyle(ui.root);
  const res = ui.res, view = state.view, n = stepCount(view, res);
  ui.view = view;
  ui.step = Math.min(Math.max(0, Math.trunc(state.step) || 0), n - 1);
  const named = state.preset || ui.initial.preset;
  ui.title.textContent = state.title || (named ? presetText(L, named)[1] : L.title);
  ui.root.setAttribute("aria-label", ui.title.textContent);
  ui.controls.sync({ ...state, ...ui.refused }, { linked: ui.linked, step: ui.step, steps: n, playing: Boolean(ui.timer), speedValue: ui.speed,
    external: ui.external });
  ui.external = false;
  const info = describeStep(view, res, ui.step, L), panels = panelsFor(view, res, ui.step, L);
  ui.width ??= ui.scroll.clientWidth;
  const layout = layoutPanels(panels, Math.max(ui.width || 640, 200), Math.max(260, (globalThis.innerHeight || 800) - 250));
  for (const kind of Object.keys(ui.focus)) {
    const p = panels.find((q) => q.kind === kind);
    if (p) ui.focus[kind] = [Math.min(ui.focus[kind][0], p.rows - 1), Math.min(ui.focus[kind][1], p.cols - 1)];
  }
  const active = ui.root.getRootNode().activeElement, had = ui.svg.contains(active) ? active.dataset.cell : null;
  const drawn = new Set();
  ui.svg.setAttribute("width", layout.width);
  ui.svg.setAttribute("height", layout.height);
  ui.svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
  ui.svg.setAttribute("aria-label", L.drawingLabel(L.views[view], panels.map((p) => p.title[0]).join(", ")));
  ui.svg.innerHTML = drawingSvg(panels, layout, ui.focus, ui.sum.id, ui.uid, drawn, L);
  ui.drawn = { panels, layout, view, res, step: ui.step, target: info.target };
  if (had) ui.svg.querySelector(`[data-cell="${had}"]`)?.focus({ preventScroll: true });
  ui.caption.textContent = info.caption;
  ui.formula.replaceChildren(elem("div", {}, L.formulaGeneral), ...formulaLines(res).map((line) => elem("div", {}, line)));
  ui.layer.textContent = layerCall(res);
  ui.legend.replaceChildren(...legendFor(view, drawn, panels.some((p) => p.frame), L).map((it) => elem("li", {},
    elem("span", { class: `tc-swatch${it.key ? ` tc-${it.key}key` : ""}${it.blank ? " tc-blank" : ""}`, "aria-hidden": "true",
      style: it.fill && !it.blank ? `background:${it.pattern ? `${PATTERNS[it.pattern].css},` : ""}${it.fill}` : null }), it.label)));
  updateMarks(ui);
}

/** Light up what the pointed (or the current step's) cell depends on, and write its sum. */
function updateMarks(ui) {
  const { view, res, layout, panels, step, target: stepTarget } = ui.drawn;
  const target = ui.pointer.latest ?? ui.pointer.pinned ?? stepTarget;   // the latest hover or focus wins
  const group = ui.svg.querySelector(".tc-marks");
  const panel = target && panels.find((p) => p.kind === target.kind);
  const valid = panel && target.r < panel.rows && target.c < panel.cols;
  const { marks, sum } = valid ? marksFor(view, res, step, target, ui.L) : { marks: [], sum: view === "overlap" ? ui.L.pointHintOverlap : ui.L.pointHint };
  group.innerHTML = marksSvg(marks, layout, panels);
  ui.sum.textContent = sum;
}

/** The cell of a pointable panel under the pointer event `e` ({kind, r, c}), or null. */
function cellAt(ui, e) {
  const hit = e.target.closest?.("[data-surface], [data-cell]");
  if (!hit) return null;
  if (hit.dataset.cell) return { kind: hit.dataset.cell, r: Number(hit.dataset.row), c: Number(hit.dataset.col) };
  const kind = hit.dataset.surface, p = ui.drawn.panels.find((q) => q.kind === kind), box = ui.drawn.layout.at[p.key];
  const point = new DOMPoint(e.clientX, e.clientY).matrixTransform(ui.svg.getScreenCTM().inverse()), cell = ui.drawn.layout.cell;
  const r = Math.floor((point.y - box.gy) / cell), c = Math.floor((point.x - box.gx) / cell);
  return r >= 0 && c >= 0 && r < p.rows && c < p.cols ? { kind, r, c } : null;
}

/** Put the cursor of `t.kind`'s panel on cell (t.r, t.c) (it keeps the focus if it has it). */
function moveCursor(ui, t) {
  const cursor = ui.svg.querySelector(`[data-cell="${t.kind}"]`), p = ui.drawn.panels.find((q) => q.kind === t.kind);
  if (!cursor || !p) return null;
  const box = ui.drawn.layout.at[p.key], cell = ui.drawn.layout.cell;
  cursor.setAttribute("x", box.gx + t.c * cell);
  cursor.setAttribute("y", box.gy + t.r * cell);
  for (const [k, v] of Object.entries(cellAttributes(p, t.r, t.c, ui.L))) cursor.setAttribute(k, v);
  ui.focus[t.kind] = [t.r, t.c];
  return cursor;
}

/** Hover, tap, focus and arrow keys on the drawing's cells (each pointable panel: a surface and one focusable cursor). */
function attachPointing(ui) {
  const same = (a, b) => a && b && a.kind === b.kind && a.r === b.r && a.c === b.c;
  ui.svg.addEventListener("pointermove", (e) => {
    const t = cellAt(ui, e);
    if (t && !same(t, ui.pointer.hover)) { ui.pointer.hover = ui.pointer.latest = t; updateMarks(ui); }
  });
  ui.svg.addEventListener("pointerleave", () => { ui.pointer.hover = null; ui.pointer.latest = ui.pointer.focus; updateMarks(ui); });
  ui.svg.addEventListener("click", (e) => {
    const t = cellAt(ui, e);
    if (!t) return;
    ui.pointer.pinned = same(t, ui.pointer.pinned) ? null : t;
    moveCursor(ui, t)?.focus({ preventScroll: true });
    ui.pointer.focus = ui.pointer.latest = t;
    updateMarks(ui);
  });
  ui.svg.addEventListener("focusin", (e) => {
    const g = e.target.closest?.("[data-cell]");
    if (!g) return;
    ui.pointer.focus = ui.pointer.latest = { kind: g.dataset.cell, r: Number(g.dataset.row), c: Number(g.dataset.col) };
    updateMarks(ui);
  });
  ui.svg.addEventListener("focusout", () => { ui.pointer.focus = null; ui.pointer.latest = ui.pointer.hover; updateMarks(ui); });
  ui.svg.addEventListener("keydown", (e) => {
    const g = e.target.closest?.("[data-cell]");
    if (!g) return;
    if (e.key === "Escape") { ui.pointer.pinned = null; updateMarks(ui); return; }
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const kind = g.dataset.cell, r = Number(g.dataset.row), c = Number(g.dataset.col), p = ui.drawn.panels.find((q) => q.kind === kind);
    const next = moves[e.key] ? [r + moves[e.key][0], c + moves[e.key][1]] : e.key === "Home" ? [r, 0] : e.key === "End" ? [r, p.cols - 1] : null;
    if (!next) return;
    e.preventDefault();
    const t = { kind, r: Math.min(Math.max(next[0], 0), p.rows - 1), c: Math.min(Math.max(next[1], 0), p.cols - 1) };
    moveCursor(ui, t);
    ui.pointer.focus = ui.pointer.latest = t;
    updateMarks(ui);
  });
}

/** Put a link to this configuration on the clipboard, and show it for copying by hand. */
async function copyLink(ui) {
  const { linkText, linkStatus } = ui.controls, page = String(globalThis.location?.href ?? "").split("#")[0];
  const url = `${page}#tconv-${ui.el.id}=${encodeState({ ...readState(ui.model), step: ui.step })}`;
  linkText.value = url;
  if (!ui.el.id) { linkStatus.textContent = ui.L.linkNoId; return; }
  try {
    await navigator.clipboard.writeText(url);
    linkStatus.textContent = ui.L.linkCopied;
  } catch {
    linkText.select();
    linkStatus.textContent = ui.L.linkByHand;
  }
}
