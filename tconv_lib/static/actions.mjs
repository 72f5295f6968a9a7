/**
 * actions.mjs: what each control does to the state: validate an edit (explorer limits, then PyTorch's rules), write it to
 * the model with a return to the overview, step, play, reset, copy a link. `ui` is explorer.mjs's record of one mounted
 * explorer; ui.render() redraws it.
 */
import { CONTROL_LIMITS, LAYER_FIELDS, PAIR_NAMES, computeResult, copyJson, encodeState, readState } from "./state.mjs";
import { stepCount } from "./steps.mjs";
import { SPEEDS } from "./controls.mjs";
import { errorText } from "./strings.mjs";

/** A whole number within `limits`, or an Error naming the control and the limit. */
function readInteger(L, text, name, [min, max]) {
  const v = Number(text);
  if (text === "" || !Number.isInteger(v)) return new Error(L.wholeNumber(name, text));
  if (v < min || v > max) return new Error(L.between(name, min, max, v));
  return v;
}

/** What each control does (controls.mjs calls these by name). */
export function actions(ui) {
  const { L, model } = ui;
  return {
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
      else ui.render();
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
    speed: (v) => { ui.speed = SPEEDS.includes(v) ? v : 1; if (ui.timer) { stopPlay(ui); startPlay(ui); } else ui.render(); },
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
}

/** Show `text` in the error region (role="alert"); clearError empties it. */
export function showError(ui, text) { ui.error.textContent = text; }
export function clearError(ui) { ui.error.textContent = ""; }

/** Write `values` to the model, save, and draw once. */
function write(ui, values) {
  ui.writing = true;
  try {
    for (const [name, value] of Object.entries(values)) ui.model.set(name, copyJson(value));
    ui.model.save_changes();
  } finally {
    ui.writing = false;
  }
  ui.render();
}

/** Back to step 0 with `values` written, announcing it when a later step was showing. */
export function toOverview(ui, values) {
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
    showError(ui, ui.L.refused(errorText(ui.L, error), why));
    return;
  }
  ui.refused = {};
  clearError(ui);
  stopPlay(ui);
  toOverview(ui, { ...Object.fromEntries(LAYER_FIELDS.map((n) => [n, candidate[n]])), preset: "", ...extra });
}

/** Play from the current step (from the first when at the last), `ui.speed` steps a second. */
function startPlay(ui) {
  if (ui.step >= stepCount(ui.view, ui.res) - 1) write(ui, { step: 0 });
  ui.timer = setInterval(() => {
    const last = stepCount(ui.view, ui.res) - 1;
    if (ui.step < last) write(ui, { step: ui.step + 1 });
    if (ui.step >= last) stopPlay(ui);
  }, 1000 / ui.speed);
  ui.render();
}

/** Stop playing. */
export function stopPlay(ui) {
  if (!ui.timer) return;
  clearInterval(ui.timer);
  ui.timer = null;
  if (ui.res) ui.render();
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
