/**
 * draw.mjs: the explorer's SVG. Lays panels out (fitting a height when it can), draws each panel as a few
 * paths (one per fill) under transparent focusable cells, with row and column numbers, and draws the rings
 * and ×weight notes of what is lit; text.mjs sets the numbers. Strings only (innerHTML), no DOM reads: fast and testable.
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

/** The fill of a cell look. */
function fillOf(look, uid) {
  if (!look) return "pending";
  if (look.role === "count") return tint(ROLE_LOOK.count.fill, 0.12 + 0.88 * look.level);
  if (look.role === "tap") return tint(TAP_COLORS[look.tap % TAP_COLORS.length], 0.45);
  return ROLE_LOOK[look.role].pattern ? `url(#${uid}-${look.role})` : look.role;
}

const TITLE_H = 30, INDEX = 15, GAP = 30, ROW_GAP = 12, CELLS = [34, 30, 26, 22, 18];

/** Panel positions, wrapping at `width`: {at: {key: box}, arrows, width, height}. */
function flow(panels, width, cell) {
  const at = {}, arrows = [];
  let x = 0, y = 0, rowH = 0, maxW = 0;
  for (const p of panels) {
    const gw = p.cols * cell, w = Math.max(INDEX + gw, p.title[0].length * 7.6 + 6, p.title[1].length * 6.4 + 6);
    const hgt = TITLE_H + INDEX + p.rows * cell;
    if (x > 0 && x + GAP + w > width) { x = 0; y += rowH + ROW_GAP; rowH = 0; }
    else if (x > 0) { arrows.push({ x: x + GAP / 2, y: y + TITLE_H + INDEX + Math.min(p.rows * cell, 3 * cell) / 2 }); x += GAP; }
    at[p.key] = { x, y, w, gx: x + INDEX + (w - INDEX - gw) / 2, gy: y + TITLE_H + INDEX };
    x += w; rowH = Math.max(rowH, hgt); maxW = Math.max(maxW, x);
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

/** The <defs> of the role patterns, ids prefixed with `uid` (several explorers share a page). */
export function patternDefs(uid) {
  const tiles = Object.entries(ROLE_LOOK).filter(([, look]) => look.pattern).map(([role, look]) =>
    `<pattern id="${uid}-${role}" width="6" height="6" patternUnits="userSpaceOnUse"><rect class="tc-f-${role}" width="6" height="6" fill="${look.fill}"/>` +
    `<g stroke="#000" stroke-opacity=".32" stroke-width="1.1" fill="#000" fill-opacity=".45">${PATTERNS[look.pattern].svg}</g></pattern>`);
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
 * One panel in pieces, so that a redraw can change only the pieces that differ: {key, attrs (of its group: the panel's
 * summary, read by assistive technology), body (title, row and column numbers, one path per fill, grid lines, the
 * values: a <text> per row; in a big panel marked `zeros`, only the input values; all hidden from assistive
 * technology), surface and cursor (a pointable panel's: the transparent surface the pointer hits and its focusable
 * cursor, as attributes; else null)}. panelMarkup(piece) is its markup. Adds the roles drawn to `drawn`.
 */
export function panelSvg(p, box, cell, focus, sumId, uid, drawn, L) {
  const fills = {}, grid = [];
  const quiet = p.zeros && p.rows * p.cols > 144;   // a big panel of zeros: the pattern says "zero", the digits would crowd it
  for (let r = 0; r < p.rows; r++) {
    const texts = [];
    let run = null;                                  // cells of one fill side by side: one rectangle in its path
    const y = box.gy + r * cell, close = () => run && (fills[run.fill] ??= []).push(`M${run.x} ${y}h${run.w}v${cell}h${-run.w}z`);
    for (let c = 0; c < p.cols; c++) {
      const look = p.at(r, c), fill = fillOf(look, uid);
      drawn.add(look ? look.role : "pending");
      if (run?.fill === fill) run.w += cell;
      else { close(); run = { fill, x: box.gx + c * cell, w: cell }; }
      texts.push(look && !(quiet && look.role !== "input") ? formatNumber(look.v) : "");
    }
    close();
    grid.push(texts);
  }
  const lengths = grid.flat().filter(Boolean).map((t) => t.length), size = fontFor(Math.max(3, ...lengths), cell);
  const odd = 2 * lengths.filter((n) => n % 2).length >= lengths.length;
  const adv = monoAdvance(size), rows = grid.map((texts, r) => rowText(texts, box.gx, box.gy + r * cell + cell / 2 + 1, cell, size, odd, adv));
  const paths = Object.entries(fills).map(([fill, d]) => {
    const cls = ROLE_LOOK[fill] ? ` class="tc-f-${fill}"` : "";
    return `<path${cls} data-role="${ROLE_LOOK[fill] ? fill : fill.startsWith("url") ? fill.slice(6 + uid.length, -1) : "shade"}" ` +
      `fill="${ROLE_LOOK[fill]?.fill ?? fill}" d="${d.join("")}"/>`;
  });
  const w = p.cols * cell, hgt = p.rows * cell, lines = [], numbers = [];
  for (let r = 0; r <= p.rows; r++) lines.push(`M${box.gx} ${box.gy + r * cell}h${w}`);
  for (let c = 0; c <= p.cols; c++) lines.push(`M${box.gx + c * cell} ${box.gy}v${hgt}`);
  numbers.push(...indexTexts(p.rows, p.cols, box, cell));
  const frame = p.frame ? `<rect class="tc-frame" x="${box.gx + p.frame.c * cell}" y="${box.gy + p.frame.r * cell}" ` +
    `width="${p.frame.w * cell}" height="${p.frame.h * cell}"/>` : "";
  const titles = p.title.map((t, n) => `<text class="tc-t${n ? " tc-t2" : ""}" x="${box.x + box.w / 2}" y="${box.y + 10 + n * 14}">${esc(t)}</text>`);
  return { key: p.key, attrs: { class: "tc-panel", "data-panel": p.key, role: p.kind ? "group" : "img",
    "aria-label": L.panelSummary(p.title[0], p.title[1]), "data-rows": p.rows, "data-cols": p.cols },
  body: `<g aria-hidden="true">${titles.join("")}${paths.join("")}<path class="tc-grid" d="${lines.join("")}"/>` +
    `<g class="tc-ix">${numbers.join("")}</g><g class="tc-v">${rows.join("")}</g>${frame}</g>`,
  surface: p.kind ? { class: "tc-surface", "data-surface": p.kind, x: box.gx, y: box.gy, width: w, height: hgt } : null,
  cursor: p.kind ? cursorAttributes(p, box, cell, focus, sumId, L) : null };
}

/** The markup of a panel's pieces (panelSvg). */
export const panelMarkup = (q) => `<g ${attributeText(q.attrs)}>${q.body}` +
  (q.surface ? `<rect ${attributeText(q.surface)}/><rect ${attributeText(q.cursor)}/>` : "") + "</g>";

/**
 * The drawing's markup in parts, so that a redraw can replace only what changed: {defs (the patterns), panels (each
 * panelSvg's pieces), arrows}; drawingMarkup(parts) is the whole, with an empty group for the marks after the arrows.
 */
export function drawingParts(panels, layout, focus, sumId, uid, drawn, L) {
  return { defs: patternDefs(uid),
    panels: panels.map((p) => panelSvg(p, layout.at[p.key], layout.cell, focus[p.kind] ?? [0, 0], sumId, uid, drawn, L)),
    arrows: `<g class="tc-arrows" aria-hidden="true">${layout.arrows.map((a) => `<text class="tc-a" x="${a.x}" y="${a.y}">→</text>`).join("")}</g>` };
}
export const drawingMarkup = (parts) => parts.defs + parts.panels.map(panelMarkup).join("") + parts.arrows +
  '<g class="tc-marks" aria-hidden="true"></g>';

/** The rings (and ×weight notes) of the lit cells; a mark with `tap` is drawn in that weight's colour. */
export function marksSvg(marks, layout, panels) {
  const cell = layout.cell, sizes = Object.fromEntries(panels.map((p) => [p.key, [p.rows, p.cols]]));
  return marks.filter((m) => sizes[m.panel] && m.r >= 0 && m.c >= 0 && m.r < sizes[m.panel][0] && m.c < sizes[m.panel][1])
    .map((m) => {
      const box = layout.at[m.panel], x = box.gx + m.c * cell, y = box.gy + m.r * cell;
      const color = m.tap === undefined ? "" : ` style="stroke:${TAP_COLORS[m.tap % TAP_COLORS.length]}"`;
      const note = m.note ? `<text class="tc-n" x="${x + cell - 2}" y="${y + 2}">${esc(m.note)}</text>` : "";
      return `<rect class="tc-ring" data-mark="${m.panel}" data-row="${m.r}" data-col="${m.c}" x="${x + 2}" y="${y + 2}" ` +
        `width="${cell - 4}" height="${cell - 4}"${color}/>${note}`;
    }).join("");
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
