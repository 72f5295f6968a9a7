/**
 * draw.mjs: the explorer's SVG. Lays panels out (fitting a height when it can), draws each panel as an <svg> of its own:
 * a few paths (one per fill) under a transparent surface and one focusable cursor, with row and column numbers; and,
 * in an <svg> over them all, the arrows and the rings and ×weight notes of what is lit; text.mjs sets the numbers.
 * Strings only (innerHTML), no DOM reads: fast and testable.
 */
import { formatNumber } from "./tconv.mjs";
import { cellName } from "./panels.mjs";
import { fontFor, indexTexts, monoAdvance, rowText } from "./text.mjs";

/** The course's colour-blind-safe palette (tints of Okabe & Ito's colours): tconv_lib.foundations.grids.PALETTE. */
export const PALETTE = Object.freeze({
  "inserted zero": "#F3CD7F", input: "#9FD2F0", "implicit border": "#D9D9D9", output_padding: "#E2A6C8",
  kernel: "#8CD3BA", output: "#F6EE9C", pending: "#F4F4F4", highlight: "#D55E00", crop: "#0072B2",
  edge: "#666666",
});
/** One colour per kernel weight in the overlap view (Okabe & Ito), repeating after eight. */
export const TAP_COLORS = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#7A6C00"];

/** How each role is filled; `pattern` repeats the colour's meaning for readers who cannot tell the colours apart. */
export const ROLE_LOOK = {
  input: { fill: PALETTE.input }, inserted: { fill: PALETTE["inserted zero"], pattern: "diagonal" },
  border: { fill: PALETTE["implicit border"], pattern: "dots" }, extra: { fill: PALETTE.output_padding, pattern: "cross" },
  kernel: { fill: PALETTE.kernel }, output: { fill: PALETTE.output }, cropped: { fill: PALETTE.pending, pattern: "lines" },
  pending: { fill: PALETTE.pending, blank: true }, count: { fill: "#E08A2C" }, tap: { fill: PALETTE.kernel },
};
/** The patterns as SVG (6 px tiles) and as CSS backgrounds for the legend swatches. */
export const PATTERNS = {
  diagonal: { svg: '<path d="M-1 7L7 -1M-1 1L1 -1M5 7L7 5"/>', css: "repeating-linear-gradient(45deg,#0006 0 1.2px,#0000 1.2px 4.2px)" },
  dots: { svg: '<circle cx="3" cy="3" r="1.1"/>', css: "radial-gradient(#0008 1.1px,#0000 1.4px) 0 0/6px 6px" },
  cross: { svg: '<path d="M-1 7L7 -1M-1 1L1 -1M5 7L7 5M-1 -1L7 7M5 -1L7 1M-1 5L1 7"/>',
    css: "repeating-linear-gradient(45deg,#0006 0 1.2px,#0000 1.2px 4.2px),repeating-linear-gradient(-45deg,#0006 0 1.2px,#0000 1.2px 4.2px)" },
  lines: { svg: '<path d="M0 3H6"/>', css: "repeating-linear-gradient(0deg,#0006 0 1.2px,#0000 1.2px 6px)" },
};

/** Escape text for SVG/HTML markup. */
export function esc(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `hex` mixed with white: t = 0 white, 1 the colour. */
function tint(hex, t) {
  const n = parseInt(hex.slice(1), 16), mix = (v) => Math.round(255 - (255 - v) * t).toString(16).padStart(2, "0");
  return `#${mix(n >> 16)}${mix((n >> 8) & 255)}${mix(n & 255)}`;
}

/** The fill of a cell look: a role's name, a colour, or a pattern of the panel's (ids prefixed with `id`). */
function fillOf(look, id) {
  if (!look) return "pending";
  if (look.role === "count") return tint(ROLE_LOOK.count.fill, 0.12 + 0.88 * look.level);
  if (look.role === "tap") return tint(TAP_COLORS[look.tap % TAP_COLORS.length], 0.45);
  return ROLE_LOOK[look.role].pattern ? `url(#${id}-${look.role})` : look.role;
}

const TITLE_H = 30, INDEX = 15, GAP = 30, ROW_GAP = 12, CELLS = [34, 30, 26, 22, 18];

/**
 * Panel positions, wrapping at `width`: {at: {key: box}, arrows, width, height}. A box: the panel's x, y, w, h and its
 * grid's gx, gy in the drawing, and left, top: the whole pixels where the panel's own <svg> starts (localBox).
 */
function flow(panels, width, cell) {
  const at = {}, arrows = [];
  let x = 0, y = 0, rowH = 0, maxW = 0;
  for (const p of panels) {
    const gw = p.cols * cell, w = Math.max(INDEX + gw, p.title[0].length * 7.6 + 6, p.title[1].length * 6.4 + 6);
    const h = TITLE_H + INDEX + p.rows * cell;
    if (x > 0 && x + GAP + w > width) { x = 0; y += rowH + ROW_GAP; rowH = 0; }
    else if (x > 0) { arrows.push({ x: x + GAP / 2, y: y + TITLE_H + INDEX + Math.min(p.rows * cell, 3 * cell) / 2 }); x += GAP; }
    at[p.key] = { x, y, w, h, gx: x + INDEX + (w - INDEX - gw) / 2, gy: y + TITLE_H + INDEX, left: Math.floor(x), top: y };
    x += w; rowH = Math.max(rowH, h); maxW = Math.max(maxW, x);
  }
  return { at, arrows, width: Math.ceil(maxW) + 4, height: y + rowH + 4, cell };
}

/** The layout with the largest cell side whose drawing fits `width` × `height` (else the smallest side). */
export function layoutPanels(panels, width, height) {
  for (const cell of CELLS) {
    const layout = flow(panels, width, cell);
    if (layout.width <= width + 4 && layout.height <= height) return layout;
  }
  return flow(panels, width, CELLS[CELLS.length - 1]);
}

/**
 * A panel's box in its own <svg>, whose corner is the whole pixel (box.left, box.top) of the drawing: the panel keeps
 * the drawing's fractions of a pixel, so that it looks the same, and its markup does not depend on where it sits
 * (rounded to a millionth of a pixel, so that 215.6 − 215 reads 0.6).
 */
export function localBox(b) {
  const near = (v) => Math.round(v * 1e6) / 1e6;
  return { x: near(b.x - b.left), y: near(b.y - b.top), w: b.w, h: b.h, gx: near(b.gx - b.left), gy: near(b.gy - b.top) };
}

/**
 * The <defs> of the role patterns in `roles`, ids prefixed with `id` (several explorers and panels share a page), their
 * 6 px tiles starting `x`, `y` from the panel's corner: where the drawing's grid of tiles meets it, as when one <svg> held
 * every panel.
 */
export function patternDefs(id, roles, x = 0, y = 0) {
  const tiles = roles.filter((role) => ROLE_LOOK[role]?.pattern).map((role) =>
    `<pattern id="${id}-${role}" x="${x}" y="${y}" width="6" height="6" patternUnits="userSpaceOnUse"><rect class="tc-f-${role}" ` +
    `width="6" height="6" fill="${ROLE_LOOK[role].fill}"/><g stroke="#000" stroke-opacity=".32" stroke-width="1.1" fill="#000" ` +
    `fill-opacity=".45">${PATTERNS[ROLE_LOOK[role].pattern].svg}</g></pattern>`);
  return `<defs>${tiles.join("")}</defs>`;
}

/** The accessible name and attributes of cell (r, c) of a pointable panel. */
export function cellAttributes(p, r, c, L) {
  const look = p.at(r, c), text = look ? formatNumber(look.v) : "", name = cellName(p.kind, r, c, L);
  return { "data-row": r, "data-col": c, "data-value": text, "aria-label": text ? L.cellLabel(name, text) : L.cellPending(name) };
}

/** The focusable cursor of a pointable panel at `at` = [r, c]: the one element of the panel that takes Tab and arrow keys. */
function cursorAttributes(p, box, cell, at, sumId, L) {
  const [r, c] = at;
  return { class: "tc-cell", x: box.gx + c * cell, y: box.gy + r * cell, width: cell, height: cell, "data-cell": p.kind,
    ...cellAttributes(p, r, c, L), tabindex: 0, role: "img", "aria-describedby": sumId };
}

/** Attributes as markup: name="value" ... */
const attributeText = (attrs) => Object.entries(attrs).map(([k, v]) => `${k}="${esc(v)}"`).join(" ");

/**
 * What a panel shows, in its own <svg>'s coordinates (`at`, localBox): {body (title, row and column numbers, one path per
 * fill, grid lines, the values: a <text> per row; in a big panel marked `zeros`, only the input values; all hidden from
 * assistive technology), roles (drawn)}. Patterns are the panel's own, ids prefixed with `id`.
 */
function panelBody(p, at, cell, id) {
  const fills = {}, roles = new Set(), grid = [], byRole = {};
  const quiet = p.zeros && p.rows * p.cols > 144;   // a big panel of zeros: the pattern says "zero", the digits would crowd it
  for (let r = 0; r < p.rows; r++) {
    const texts = [];
    let run = null;                                  // cells of one fill side by side: one rectangle in its path
    const y = at.gy + r * cell, close = () => run && fills[run.fill].d.push(`M${run.x} ${y}h${run.w}v${cell}h${-run.w}z`);
    for (let c = 0; c < p.cols; c++) {
      const look = p.at(r, c), role = look ? look.role : "pending";
      const fill = role === "count" || role === "tap" ? fillOf(look, id) : (byRole[role] ??= fillOf(look, id));
      roles.add(role);
      if (run?.fill === fill) run.w += cell;
      else { close(); run = { fill, x: at.gx + c * cell, w: cell }; fills[fill] ??= { d: [], role: fill.startsWith("#") ? "shade" : role }; }
      texts.push(look && !(quiet && look.role !== "input") ? formatNumber(look.v) : "");
    }
    close();
    grid.push(texts);
  }
  const lengths = grid.flat().filter(Boolean).map((t) => t.length), size = fontFor(Math.max(3, ...lengths), cell);
  const odd = 2 * lengths.filter((n) => n % 2).length >= lengths.length;
  const adv = monoAdvance(size), rows = grid.map((texts, r) => rowText(texts, at.gx, at.gy + r * cell + cell / 2 + 1, cell, size, odd, adv));
  const paths = Object.entries(fills).map(([fill, { d, role }]) => (ROLE_LOOK[fill] ? `<path class="tc-f-${fill}" ` : "<path ") +
    `data-role="${role}" fill="${ROLE_LOOK[fill]?.fill ?? fill}" d="${d.join("")}"/>`);
  const w = p.cols * cell, hgt = p.rows * cell, lines = [];
  for (let r = 0; r <= p.rows; r++) lines.push(`M${at.gx} ${at.gy + r * cell}h${w}`);
  for (let c = 0; c <= p.cols; c++) lines.push(`M${at.gx + c * cell} ${at.gy}v${hgt}`);
  const frame = p.frame ? `<rect class="tc-frame" x="${at.gx + p.frame.c * cell}" y="${at.gy + p.frame.r * cell}" ` +
    `width="${p.frame.w * cell}" height="${p.frame.h * cell}"/>` : "";
  const titles = p.title.map((t, n) => `<text class="tc-t${n ? " tc-t2" : ""}" x="${at.x + at.w / 2}" y="${at.y + 10 + n * 14}">${esc(t)}</text>`);
  return { roles: [...roles], body: `<g aria-hidden="true">${titles.join("")}${paths.join("")}<path class="tc-grid" d="${lines.join("")}"/>` +
    `<g class="tc-ix">${indexTexts(p.rows, p.cols, at, cell).join("")}</g><g class="tc-v">${rows.join("")}</g>${frame}</g>` };
}

const tile = (v) => ((v % 6) + 6) % 6;

/**
 * One panel, an <svg> of its own (so that changing one lays out and paints only that one), in pieces, so that a redraw
 * can change only the pieces that differ: {key, attrs (of its <svg>: where it sits in the drawing, and the panel's
 * summary, read by assistive technology), body and roles (panelBody), defs (its patterns, tiled as across the whole
 * drawing), surface and cursor (a pointable panel's: the transparent surface the pointer hits and its focusable cursor,
 * as attributes; else null), memo}. A panel with an `id` (naming what it shows) whose memo matches `old`'s takes its
 * body from `old` rather than drawing it again; the body does not depend on where the panel sits (localBox).
 * panelMarkup(piece) is its markup.
 */
export function panelSvg(p, box, cell, focus, sumId, uid, L, old = null) {
  const at = localBox(box), id = `${uid}-${p.key}`, memo = p.id ? [p.id, cell, at.x, at.gx, at.w].join("|") : null;
  const { body, roles } = memo && old?.memo === memo ? old : panelBody(p, at, cell, id);
  const width = Math.ceil(box.x + box.w) - box.left, height = Math.ceil(box.y + box.h) - box.top;
  return { key: p.key, memo, body, roles, defs: patternDefs(id, roles, tile(-box.left), tile(-box.top)),
    attrs: { class: "tc-panel", "data-panel": p.key, role: p.kind ? "group" : "img", "aria-label": L.panelSummary(p.title[0], p.title[1]),
      "data-rows": p.rows, "data-cols": p.cols, style: `left:${box.left}px;top:${box.top}px;width:${width}px;height:${height}px` },
    surface: p.kind ? { class: "tc-surface", "data-surface": p.kind, x: at.gx, y: at.gy, width: p.cols * cell, height: p.rows * cell } : null,
    cursor: p.kind ? cursorAttributes(p, at, cell, focus, sumId, L) : null };
}

/** The markup of a panel's pieces (panelSvg). */
export const panelMarkup = (q) => `<svg ${attributeText(q.attrs)}>${q.body}${q.defs}` +
  (q.surface ? `<rect ${attributeText(q.surface)}/><rect ${attributeText(q.cursor)}/>` : "") + "</svg>";

/**
 * The drawing's markup in parts, so that a redraw can replace only what changed: {panels (each panelSvg's pieces; a
 * body the same as in `before`, the parts drawn last, is taken from there), over (the attributes of the <svg> over the
 * whole drawing, for the arrows between panels and the marks), arrows}. drawingMarkup(parts) is the whole, with an empty
 * group for the marks. Adds the roles drawn to `drawn`.
 */
export function drawingParts(panels, layout, focus, sumId, uid, drawn, L, before = null) {
  const pieces = panels.map((p) => panelSvg(p, layout.at[p.key], layout.cell, focus[p.kind] ?? [0, 0], sumId, uid, L,
    before?.panels.find((q) => q.key === p.key)));
  for (const q of pieces) q.roles.forEach((role) => drawn.add(role));
  return { panels: pieces, over: { class: "tc-over", "aria-hidden": "true", style: `width:${layout.width}px;height:${layout.height}px` },
    arrows: `<g class="tc-arrows">${layout.arrows.map((a) => `<text class="tc-a" x="${a.x}" y="${a.y}">→</text>`).join("")}</g>` };
}
export const drawingMarkup = (parts) => parts.panels.map(panelMarkup).join("") +
  `<svg ${attributeText(parts.over)}>${parts.arrows}<g class="tc-marks"></g></svg>`;

/**
 * The rings (and ×weight notes) of the lit cells, one element's markup each, in drawing order (a redraw keeps the
 * elements that stay the same); a mark with `tap` is drawn in that weight's colour.
 */
export function marksSvg(marks, layout, panels) {
  const cell = layout.cell, sizes = Object.fromEntries(panels.map((p) => [p.key, [p.rows, p.cols]]));
  return marks.filter((m) => sizes[m.panel] && m.r >= 0 && m.c >= 0 && m.r < sizes[m.panel][0] && m.c < sizes[m.panel][1])
    .flatMap((m) => {
      const box = layout.at[m.panel], x = box.gx + m.c * cell, y = box.gy + m.r * cell;
      const color = m.tap === undefined ? "" : ` style="stroke:${TAP_COLORS[m.tap % TAP_COLORS.length]}"`;
      const ring = `<rect class="tc-ring" data-mark="${m.panel}" data-row="${m.r}" data-col="${m.c}" x="${x + 2}" y="${y + 2}" ` +
        `width="${cell - 4}" height="${cell - 4}"${color}/>`;
      return m.note ? [ring, `<text class="tc-n" x="${x + cell - 2}" y="${y + 2}">${esc(m.note)}</text>`] : [ring];
    });
}

/** The legend's items for `view`: [{label, fill?, pattern?, key?}] of the roles drawn, the outline and the dashed frame. */
export function legendFor(view, drawn, hasFrame, L) {
  const order = ["input", "inserted", "border", "extra", "kernel", "tap", "output", "count", "cropped", "pending"];
  const items = order.filter((role) => drawn.has(role)).map((role) => ({ label: role === "tap" ? L.roles.kernel : L.roles[role],
    fill: role === "count" ? tint(ROLE_LOOK.count.fill, 0.6) : ROLE_LOOK[role].fill, pattern: ROLE_LOOK[role].pattern, blank: role === "pending" }));
  items.push({ label: L.outline(L.ring[view]), key: "ring" });
  if (hasFrame) items.push({ label: L.dashed(view === "scatter" ? L.frameScatter : L.frameCrop), key: "frame" });
  return items;
}
