/**
 * controls.mjs: the explorer's form controls, each kept under its name (never found by position).
 * buildControls(uid, L, on) makes the nodes and returns {nodes, fields, sync}; `on` holds the callbacks
 * (pair, resize, value, link, preset, view, step, play, speed, reset, copy) that explorer.mjs wires to the state.
 */
import { CONTROL_LIMITS, PAIR_NAMES, VIEWS } from "./state.mjs";
import { presetText } from "./strings.mjs";

/** Steps per second the speed control offers. */
export const SPEEDS = [0.5, 1, 2, 5, 10, 30];

/** An HTML element with attributes (on* keys add listeners) and children (strings become text). */
export function elem(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** A labelled number input: {input, node}; `label` is both the visible text and the accessible name. */
function numberField(id, label, [min, max], onInput, cls = "tc-field tc-num") {
  const input = elem("input", { type: "number", id, min, max, step: 1, inputmode: "numeric", oninput: onInput });
  return { input, node: elem("span", { class: cls }, elem("label", { for: id }, label), input) };
}

/** Set an input's value unless it has the focus (a reader typing keeps their text). */
function put(input, value, force = false) {
  if ((force || input !== input.getRootNode().activeElement) && input.value !== String(value)) input.value = String(value);
}

/**
 * The controls. Returns {nodes, fields, linkText, linkStatus, sync(state, {linked, step, steps, playing, speedValue, external})}:
 * `fields` maps names to inputs ("stride" or "stride (height)", "x[0, 1]", "input height", ...).
 */
export function buildControls(uid, L, on) {
  const fields = new Map(), id = (name) => `${uid}-${name.replace(/[^a-z0-9]+/gi, "-")}`;
  const button = (label, title, onclick) => elem("button", { type: "button", title, onclick }, label);
  // layer arguments: one field per argument when the axes are linked, one per axis otherwise
  const layerBox = elem("fieldset", { class: "tc-layerbox" }, elem("legend", {}, L.layerArguments));
  const link = elem("input", { type: "checkbox", id: id("link"), onchange: () => on.link(link.checked) });
  const args = elem("div", { class: "tc-args" });
  layerBox.append(elem("div", { class: "tc-field" }, link, elem("label", { for: id("link") }, L.linkAxes)), args);
  let linkedShown = null;
  const fillArgs = (linked) => {
    for (const key of [...fields.keys()]) if (PAIR_NAMES.some((n) => key === n || key.startsWith(`${n} (`))) fields.delete(key);
    args.replaceChildren(...PAIR_NAMES.flatMap((name) => {
      const names = linked ? [name] : [L.axisName(name, 0), L.axisName(name, 1)];
      const made = names.map((label) => numberField(id(label), label, CONTROL_LIMITS[name], () =>
        on.pair(name, linked ? [made[0].input.value, made[0].input.value] : made.map((f) => f.input.value)), "tc-arg"));
      made.forEach((f, a) => fields.set(names[a], f.input));
      return made.map((f) => f.node);
    }));
    args.classList.toggle("tc-unlinked", !linked);
    linkedShown = linked;
  };
  // preset and view
  const preset = elem("select", { id: id("preset"), onchange: () => on.preset(preset.value) });
  let presetKey = "";
  const views = VIEWS.map((value) => {
    const radio = elem("input", { type: "radio", id: id(`view-${value}`), name: id("view"), value, onchange: () => on.view(value) });
    return { radio, node: elem("span", { class: "tc-field" }, radio, elem("label", { for: id(`view-${value}`) }, L.views[value])) };
  });
  const settings = elem("div", { class: "tc-settings" }, layerBox, elem("div", { class: "tc-choose" },
    elem("div", { class: "tc-field tc-preset" }, elem("label", { for: id("preset") }, L.preset), preset),
    elem("fieldset", { class: "tc-view", role: "radiogroup", "aria-labelledby": id("view-legend") },
      elem("legend", { id: id("view-legend") }, L.view), elem("div", { class: "tc-fields" }, ...views.map((v) => v.node)))));
  // the player: previous, next, play, speed, reset, step slider
  const play = button(L.play, L.playTitle, () => on.play());
  const speed = elem("select", { id: id("speed"), onchange: () => on.speed(Number(speed.value)) },
    ...SPEEDS.map((v) => elem("option", { value: v }, L.speedOption(v))));
  const slider = elem("input", { type: "range", id: id("step"), min: 0, step: 1, oninput: () => on.step(Number(slider.value)) });
  const counter = elem("span", { class: "tc-small", "aria-hidden": "true" });
  const player = elem("div", { class: "tc-player" },
    button(L.previous, L.previousTitle, () => on.step("previous")), button(L.next, L.nextTitle, () => on.step("next")), play,
    button(L.reset, L.resetTitle, () => on.reset()),
    elem("span", { class: "tc-field tc-speed" }, elem("label", { for: id("speed") }, L.speed), speed),
    elem("span", { class: "tc-field tc-slider" }, elem("label", { for: id("step") }, L.stepSlider), slider, counter));
  // the editors: input and kernel sizes and values, and the link
  const shapes = {}, valueBoxes = {}, synced = {};
  const gridBox = (which, legend) => {
    const prefix = which === "x" ? "input" : "kernel", limits = CONTROL_LIMITS[prefix];
    const edit = () => on.resize(which, height.input.value, width.input.value);
    const height = numberField(id(`${prefix} height`), L[`${prefix}Height`], limits, edit);
    const width = numberField(id(`${prefix} width`), L[`${prefix}Width`], limits, edit);
    fields.set(`${prefix} height`, height.input).set(`${prefix} width`, width.input);
    valueBoxes[which] = elem("div", { class: "tc-values", role: "group", "aria-label": L[`${prefix}Values`] });
    return elem("fieldset", {}, elem("legend", {}, legend), elem("div", { class: "tc-fields" }, height.node, width.node), valueBoxes[which]);
  };
  const fillValues = (which, grid) => {
    const name = which === "x" ? "x" : "weight", box = valueBoxes[which];
    for (const key of [...fields.keys()]) if (key.startsWith(`${name}[`)) fields.delete(key);
    box.style.gridTemplateColumns = `repeat(${grid[0].length}, minmax(0, 3.4em))`;
    box.replaceChildren(...grid.flatMap((row, r) => row.map((v, c) => {
      const label = `${name}[${r}, ${c}]`;
      const input = elem("input", { type: "number", step: "any", value: v, "aria-label": label, title: label,
        oninput: () => { synced[which] = null; on.value(which, r, c, input.value, label); } });
      fields.set(label, input);
      return input;
    })));
    shapes[which] = `${grid.length}x${grid[0].length}`;
  };
  const linkText = elem("input", { type: "text", id: id("linktext"), readonly: true, value: "" });
  const linkStatus = elem("span", { class: "tc-small", role: "status" });
  const editors = elem("div", { class: "tc-controls" }, gridBox("x", L.inputBox), gridBox("weight", L.kernelBox),
    elem("div", { class: "tc-link" }, button(L.copyLink, L.copyLinkTitle, () => on.copy()),
      elem("label", { for: id("linktext") }, L.link), linkText, linkStatus));

  /** Bring every control up to date with `state` (a field being typed in keeps its text unless `external`: set elsewhere). */
  function sync(state, { linked, step, steps, playing, speedValue, external = false }) {
    if (linkedShown !== linked) fillArgs(linked);
    link.checked = linked;
    for (const name of PAIR_NAMES) {
      if (linked) put(fields.get(name), state[name][0], external);
      else [0, 1].forEach((a) => put(fields.get(L.axisName(name, a)), state[name][a], external));
    }
    const key = JSON.stringify(state.presets.map((p) => p.name));
    if (presetKey !== key) {
      preset.replaceChildren(elem("option", { value: "" }, L.custom), ...state.presets.map((p) => {
        const [label, title] = presetText(L, p.name);
        return elem("option", { value: p.name, title }, label);
      }));
      presetKey = key;
    }
    preset.value = state.presets.some((p) => p.name === state.preset) ? state.preset : "";
    for (const { radio } of views) radio.checked = radio.value === state.view;
    for (const [which, prefix] of [["x", "input"], ["weight", "kernel"]]) {
      const grid = state[which];
      put(fields.get(`${prefix} height`), grid.length, external);
      put(fields.get(`${prefix} width`), grid[0].length, external);
      if (shapes[which] !== `${grid.length}x${grid[0].length}`) fillValues(which, grid);
      // unchanged since a sync that wrote every field, and not typed in since: the fields show these values
      const key = JSON.stringify(grid), typing = valueBoxes[which].contains(valueBoxes[which].getRootNode().activeElement);
      if (!external && synced[which] === key) continue;
      synced[which] = typing ? null : key;
      grid.forEach((row, r) => row.forEach((v, c) => {
        const input = fields.get(`${which === "x" ? "x" : "weight"}[${r}, ${c}]`);
        if ((external || input !== input.getRootNode().activeElement) && Number(input.value) !== v) input.value = String(v);
      }));
    }
    slider.max = String(steps - 1);
    put(slider, step);
    slider.setAttribute("aria-valuetext", L.counter(step + 1, steps));
    counter.textContent = L.counter(step + 1, steps);
    play.textContent = playing ? L.pause : L.play;
    speed.value = String(speedValue);
  }
  return { nodes: { settings, player, editors }, fields, linkText, linkStatus, sync };
}
