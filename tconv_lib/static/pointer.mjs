/**
 * pointer.mjs: pointing at the drawing's cells (hover, tap, focus, arrow keys) and what lights up. Each pointable panel
 * is a transparent surface the pointer hits and one focusable cursor (draw.mjs); the latest hover or focus wins.
 * `ui` is explorer.mjs's record of one mounted explorer (drawing, sum, drawn, pointer, focus, L; marks: the markup of
 * the marks drawn).
 */
import { marksFor } from "./panels.mjs";
import { cellAttributes, localBox, marksSvg } from "./draw.mjs";

/** Light up what the pointed (or the current step's) cell depends on, and write its sum. */
export function updateMarks(ui) {
  const { view, res, layout, panels, step, target: stepTarget } = ui.drawn;
  const target = ui.pointer.latest ?? ui.pointer.pinned ?? stepTarget;   // the latest hover or focus wins
  const group = ui.drawing.querySelector(".tc-marks");
  const panel = target && panels.find((p) => p.kind === target.kind);
  const valid = panel && target.r < panel.rows && target.c < panel.cols;
  const { marks, sum } = valid ? marksFor(view, res, step, target, ui.L) : { marks: [], sum: view === "overlap" ? ui.L.pointHintOverlap : ui.L.pointHint };
  swapMiddle(group, ui.marks ?? [], ui.marks = marksSvg(marks, layout, panels));
  ui.sum.textContent = sum;
}

/**
 * Bring the children of `group`, one element per markup of `before`, to one per markup of `after`: the elements the two
 * lists begin and end with in common stay (neither laid out nor painted again), those between are replaced.
 */
function swapMiddle(group, before, after) {
  let head = 0, tail = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const gone = [...group.children].slice(head, before.length - tail), next = group.children[before.length - tail] ?? null;
  gone.forEach((node) => node.remove());
  if (head + tail === after.length) return;
  const parsed = document.createElementNS("http://www.w3.org/2000/svg", "g"), fresh = document.createDocumentFragment();
  parsed.innerHTML = after.slice(head, after.length - tail).join("");
  fresh.append(...parsed.childNodes);
  group.insertBefore(fresh, next);
}

/** The cell of a pointable panel under the pointer event `e` ({kind, r, c}), or null. */
function cellAt(ui, e) {
  const hit = e.target.closest?.("[data-surface], [data-cell]");
  if (!hit) return null;
  if (hit.dataset.cell) return { kind: hit.dataset.cell, r: Number(hit.dataset.row), c: Number(hit.dataset.col) };
  const kind = hit.dataset.surface, p = ui.drawn.panels.find((q) => q.kind === kind), at = hit.getBoundingClientRect();
  const r = Math.floor((e.clientY - at.top) / at.height * p.rows), c = Math.floor((e.clientX - at.left) / at.width * p.cols);
  return r >= 0 && c >= 0 && r < p.rows && c < p.cols ? { kind, r, c } : null;
}

/** Put the cursor of `t.kind`'s panel on cell (t.r, t.c) (it keeps the focus if it has it). */
function moveCursor(ui, t) {
  const cursor = ui.drawing.querySelector(`[data-cell="${t.kind}"]`), p = ui.drawn.panels.find((q) => q.kind === t.kind);
  if (!cursor || !p) return null;
  const box = localBox(ui.drawn.layout.at[p.key]), cell = ui.drawn.layout.cell;   // in the panel's own <svg>
  cursor.setAttribute("x", box.gx + t.c * cell);
  cursor.setAttribute("y", box.gy + t.r * cell);
  for (const [k, v] of Object.entries(cellAttributes(p, t.r, t.c, ui.L))) cursor.setAttribute(k, v);
  ui.focus[t.kind] = [t.r, t.c];
  return cursor;
}

/** Hover, tap, focus and arrow keys on the drawing's cells (each pointable panel: a surface and one focusable cursor). */
export function attachPointing(ui) {
  const same = (a, b) => a && b && a.kind === b.kind && a.r === b.r && a.c === b.c;
  ui.drawing.addEventListener("pointermove", (e) => {
    const t = cellAt(ui, e);
    if (t && !same(t, ui.pointer.hover)) { ui.pointer.hover = ui.pointer.latest = t; updateMarks(ui); }
  });
  ui.drawing.addEventListener("pointerleave", () => { ui.pointer.hover = null; ui.pointer.latest = ui.pointer.focus; updateMarks(ui); });
  ui.drawing.addEventListener("click", (e) => {
    const t = cellAt(ui, e);
    if (!t) return;
    ui.pointer.pinned = same(t, ui.pointer.pinned) ? null : t;
    moveCursor(ui, t)?.focus({ preventScroll: true });
    ui.pointer.focus = ui.pointer.latest = t;
    updateMarks(ui);
  });
  ui.drawing.addEventListener("focusin", (e) => {
    const g = e.target.closest?.("[data-cell]");
    if (!g) return;
    ui.pointer.focus = ui.pointer.latest = { kind: g.dataset.cell, r: Number(g.dataset.row), c: Number(g.dataset.col) };
    updateMarks(ui);
  });
  ui.drawing.addEventListener("focusout", () => { ui.pointer.focus = null; ui.pointer.latest = ui.pointer.hover; updateMarks(ui); });
  ui.drawing.addEventListener("keydown", (e) => {
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
