/**
 * explorer.mjs: the ConvTranspose2d explorer's wiring: mounts the controls and the drawing on an element and keeps
 * them in step with a model (anywidget's, or createModel's stand-in in the book). Tested in tests/test_explorer_ui.py.
 * The other parts, each in the file named for it: state.mjs (the declared state and its URL form), steps.mjs (steps
 * and captions), panels.mjs (what each step draws and lights), draw.mjs (SVG), text.mjs (its numbers as SVG text),
 * controls.mjs (form controls by name), actions.mjs (what each control does), pointer.mjs (hover, tap, focus and arrow
 * keys on the drawing), strings.mjs (every string, per language; strings_ja.mjs the Japanese table), explorer.css (the
 * style sheet), tconv.mjs (the arithmetic).
 * Exports: mount(el, model, {lang}) -> cleanup; default {render}: anywidget's entry point; mountStatic(el, state):
 * the book's (the permalink "#tconv-<el.id>=..." restored, or reported when broken; the page's language, <html lang>,
 * when the explorer has a table for it, else the state's).
 */
import { formulaLines, layerCall } from "./tconv.mjs";
import { LAYER_FIELDS, PAIR_NAMES, STATE_FIELDS, copyJson, computeResult, createModel, readState, stateFromHash } from "./state.mjs";
import { describeStep, stepCount } from "./steps.mjs";
import { panelsFor } from "./panels.mjs";
import { PATTERNS, drawingMarkup, drawingParts, layoutPanels, legendFor } from "./draw.mjs";
import { buildControls, elem } from "./controls.mjs";
import { attachPointing, updateMarks } from "./pointer.mjs";
import { actions, clearError, showError, toOverview, stopPlay } from "./actions.mjs";
import { STRINGS, errorText, presetText, stringsFor } from "./strings.mjs";

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
  ui.render = () => render(ui);
  ui.controls = buildControls(ui.uid, L, actions(ui));
  ui.title = elem("div", { class: "tc-title" });
  ui.error = elem("div", { class: "tc-error", role: "alert" });
  ui.status = elem("p", { class: "tc-status", role: "status" });
  ui.caption = elem("p", { class: "tc-caption", "aria-live": "polite" });
  ui.drawing = elem("div", { class: "tc-drawing", role: "group" });   // an <svg> per panel (draw.mjs), one over them all
  ui.scroll = elem("div", { class: "tc-scroll", role: "region", tabindex: "0", "aria-label": L.drawingRegion }, ui.drawing);
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

/** The language of the page around `el` (its nearest lang attribute, e.g. <html lang="ja">) if a strings table has it. */
function pageLanguage(el) {
  const lang = (el.closest?.("[lang]")?.getAttribute("lang") ?? "").toLowerCase().split("-")[0];
  return Object.hasOwn(STRINGS, lang) ? lang : undefined;
}

/** For the static book: a stand-in model, the permalink restored if it targets el.id (or reported when broken), then mount. */
export function mountStatic(el, state, options = {}) {
  const found = stateFromHash(el.id, state, globalThis.location?.hash), lang = options.lang ?? pageLanguage(el) ?? state.lang;
  const cleanup = mount(el, createModel(found.state ?? state), { ...options, lang });
  if (found.error) {
    const L = stringsFor(lang);
    el.querySelector(".tc-error").textContent = L.linkBroken(errorText(L, found.reason ?? found.error));
  }
  if (found.state) el.scrollIntoView?.();
  return cleanup;
}

/** Re-render once, soon (several model changes in a row draw once). */
function schedule(ui) {
  if (ui.pending) return;
  ui.pending = true;
  queueMicrotask(() => { ui.pending = false; render(ui); });
}

/** Bring everything on screen up to date with the model; keeps the last valid picture if the model's is invalid. */
function render(ui) {
  const state = readState(ui.model), L = ui.L, layerKey = JSON.stringify(LAYER_FIELDS.map((n) => state[n]));
  if (layerKey !== ui.layerKey) {
    try {
      ui.res = computeResult(state);
      ui.layerKey = layerKey;
    } catch (error) {
      showError(ui, L.refused(errorText(L, error), ""));
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
  const active = ui.root.getRootNode().activeElement, had = ui.drawing.contains(active) ? active.dataset.cell : null;
  for (const p of panels) p.id = `${ui.layerKey}|${view}|${ui.step}|${p.key}`;   // what it shows: a redraw keeps it if unchanged
  const drawn = new Set(), parts = drawingParts(panels, layout, ui.focus, ui.sum.id, ui.uid, drawn, L, ui.parts);
  setAttributes(ui.drawing, { style: `width:${layout.width}px;height:${layout.height}px`,
    "aria-label": L.drawingLabel(L.views[view], panels.map((p) => p.title[0]).join(", ")) });
  paint(ui, parts);
  ui.drawn = { panels, layout, view, res, step: ui.step, target: info.target };
  const cursor = had && ui.drawing.querySelector(`[data-cell="${had}"]`);
  if (cursor && cursor !== active) cursor.focus({ preventScroll: true });   // only if redrawn: focusing forces a layout
  ui.caption.textContent = info.caption;
  const formula = [L.formulaGeneral, ...formulaLines(res)], legend = legendFor(view, drawn, panels.some((p) => p.frame), L);
  if (changed(ui, "formula", formula)) ui.formula.replaceChildren(...formula.map((line) => elem("div", {}, line)));
  ui.layer.textContent = layerCall(res);
  if (changed(ui, "legend", legend)) ui.legend.replaceChildren(...legend.map((it) => elem("li", {},
    elem("span", { class: `tc-swatch${it.key ? ` tc-${it.key}key` : ""}${it.blank ? " tc-blank" : ""}`, "aria-hidden": "true",
      style: it.fill && !it.blank ? `background:${it.pattern ? `${PATTERNS[it.pattern].css},` : ""}${it.fill}` : null }), it.label)));
  updateMarks(ui);
}

/** Whether `value` (plain data) differs from what `ui` last showed under `name`; remembers it. */
function changed(ui, name, value) {
  const key = JSON.stringify(value);
  if (ui.shown?.[name] === key) return false;
  (ui.shown ??= {})[name] = key;
  return true;
}

/** Set the attributes whose values differ; the others are left as they are. */
function setAttributes(node, attrs) {
  for (const [k, v] of Object.entries(attrs)) if (node.getAttribute(k) !== String(v)) node.setAttribute(k, v);
}

/**
 * Bring the drawing to `parts` (draw.mjs drawingParts) changing only what differs: a panel's <svg> attributes, its
 * hidden body and its patterns (each replaced when its markup changed), its pointer surface and cursor (attributes);
 * the <svg> over them all and its arrows. Each panel being an <svg> of its own, one that is unchanged, or only moved, is
 * neither laid out nor painted again, and the cursor stays the same element, so a focused cell keeps the focus
 * (focusing it again would force a layout). A different set of panels (another view) is drawn whole.
 */
function paint(ui, parts) {
  const before = ui.parts, keys = (q) => q.panels.map((p) => `${p.key}${p.cursor ? "+" : ""}`).join();
  ui.parts = parts;
  if (!before || keys(before) !== keys(parts)) { ui.drawing.innerHTML = drawingMarkup(parts); ui.marks = []; return; }
  const stale = [], over = ui.drawing.lastElementChild;
  parts.panels.forEach((p, i) => {
    const svg = ui.drawing.querySelector(`:scope > [data-panel="${p.key}"]`);
    setAttributes(svg, p.attrs);
    if (p.body !== before.panels[i].body) stale.push([svg.firstElementChild, p.body]);
    if (p.defs !== before.panels[i].defs) stale.push([svg.querySelector(":scope > defs"), p.defs]);
    if (p.cursor) {
      setAttributes(svg.querySelector(":scope > [data-surface]"), p.surface);
      setAttributes(svg.querySelector(":scope > [data-cell]"), p.cursor);
    }
  });
  setAttributes(over, parts.over);
  if (parts.arrows !== before.arrows) stale.push([over.firstElementChild, parts.arrows]);
  if (!stale.length) return;
  const fresh = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  fresh.innerHTML = stale.map(([, markup]) => markup).join("");
  const made = [...fresh.children];
  stale.forEach(([node], i) => node.replaceWith(made[i]));
}
