// Unit tests of the explorer's pure parts under Node's test runner (`node --test tests/js/`; tests/test_explorer_js.py
// runs them in `make test`): the state's URL round trip, the steps of every view, and the captions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { convTranspose2d } from "../../tconv_lib/static/tconv.mjs";
import { STATE_FIELDS, VIEWS, createModel, decodeState, encodeState, readState, stateFromHash } from "../../tconv_lib/static/state.mjs";
import { ZI_STAGES, computedAt, describeStep, forwardPair, interiorValues, outputStatus, overlapCounts, phaseOf, stepCount } from "../../tconv_lib/static/steps.mjs";
import { marksFor } from "../../tconv_lib/static/panels.mjs";
import { STRINGS, addStrings, stringsFor } from "../../tconv_lib/static/strings.mjs";

const L = stringsFor("en");
const ch02 = convTranspose2d([[1, 2], [3, 4]], [[1, 0], [2, 1]], { stride: 2 });       // 4x4 output
const ch08 = convTranspose2d([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
  { stride: 2, padding: 1, outputPadding: 1 });

test("state: URL round trip keeps every layer field, the view and the step", () => {
  const state = { x: [[1, -2.5], [3e-7, 4]], weight: [[1, 0, 2]], stride: [2, 3], padding: [1, 1], output_padding: [0, 2],
    dilation: [1, 1], view: "overlap", step: 4 };
  assert.equal(encodeState(state), "x=1,-2.5;3e-7,4&weight=1,0,2&stride=2,3&padding=1&output_padding=0,2&dilation=1&view=overlap&step=4");
  assert.deepEqual(decodeState(encodeState(state)), state);
  for (const view of VIEWS) assert.equal(decodeState(encodeState({ ...state, view })).view, view);
  const { step, ...rest } = state;
  assert.deepEqual(decodeState(encodeState({ ...rest, step: 0 })), rest, "step 0 is left out of the link");
  assert.equal(step, 4);
});

test("state: malformed links name the field", () => {
  assert.throws(() => decodeState("x=1,a"), /x in the permalink must hold numbers/);
  assert.throws(() => decodeState("view=sideways"), /view must be one of zero_insertion/);
  assert.throws(() => decodeState("step=-1"), /step must be a non-negative integer/);
  assert.throws(() => decodeState("colour=red"), /unknown permalink field "colour"/);
  assert.throws(() => decodeState("stride"), /must look like name=value/);
});

test("state: a link for this explorer is restored, a broken one reported, another one ignored", () => {
  const base = { ...STATE_FIELDS, preset: "ch02" };
  const good = stateFromHash("ex", base, "#tconv-ex=x=1;2&weight=1&stride=3");
  assert.deepEqual([good.state.x, good.state.stride, good.state.preset], [[[1], [2]], [3, 3], ""]);
  const broken = stateFromHash("ex", base, "#tconv-ex=x=1&weight=1&stride=0");
  assert.deepEqual([broken.state, broken.error], [null, "stride must be positive, got 0"]);
  assert.deepEqual([broken.reason.key, broken.reason.fields], ["positive", { name: "stride", value: "0" }], "the Error, for errorText");
  assert.deepEqual(stateFromHash("ex", base, "#tconv-other=x=1"), { state: null });
});

test("state: readState fills defaults, makes pairs and refuses unknown views", () => {
  const state = readState(createModel({ stride: 3, view: "sideways" }));
  assert.deepEqual([state.stride, state.view, state.lang, state.x], [[3, 3], "zero_insertion", "en", STATE_FIELDS.x]);
  const model = createModel({ step: 1 }), seen = [];
  model.on("change:step", (v) => seen.push(v));
  model.set("step", 1);
  model.set("step", 2);
  assert.deepEqual(seen, [2], "set fires only on a change");
});

test("steps: counts and phases of every view", () => {
  assert.equal(stepCount("zero_insertion", ch02), ZI_STAGES.length + 16 + 1);
  assert.equal(stepCount("scatter", ch02), 4 + 2);
  assert.equal(stepCount("dependencies", ch02), 17);
  assert.equal(stepCount("overlap", ch02), 4 + 2);
  assert.equal(stepCount("forward", ch02), 4 + 1);
  assert.deepEqual(phaseOf("zero_insertion", ch02, 7), { phase: "cell", target: { kind: "output", r: 0, c: 1 } });
  assert.deepEqual(phaseOf("zero_insertion", ch02, 22), { phase: "final", target: null });
  assert.deepEqual(phaseOf("scatter", ch02, 3), { phase: "stamp", target: { kind: "input", r: 1, c: 0 } });
  assert.deepEqual(phaseOf("overlap", ch02, 2), { phase: "tap", target: { kind: "kernel", r: 0, c: 1 } });
  assert.deepEqual(phaseOf("forward", ch02, 4), { phase: "cell", target: { kind: "conv", r: 1, c: 1 } });
  for (const view of VIEWS) assert.equal(phaseOf(view, ch02, 0).phase, "overview");
});

test("steps: an output cell is blank until its step, and the overview shows the whole answer", () => {
  assert.equal(computedAt("zero_insertion", ch02, 2, 1), 6 + 9);
  assert.equal(outputStatus("zero_insertion", ch02, 0, 3, 3), "done");
  assert.equal(outputStatus("zero_insertion", ch02, 3, 0, 0), "pending");
  assert.equal(outputStatus("zero_insertion", ch02, 14, 2, 1), "pending");
  assert.equal(outputStatus("zero_insertion", ch02, 15, 2, 1), "done");
  assert.equal(outputStatus("scatter", ch02, 2, 0, 0), "partial");
  const early = marksFor("zero_insertion", ch02, 3, { kind: "output", r: 0, c: 0 }, L);
  assert.equal(early.sum, "output[0, 0] is not computed yet: step 7 computes it.");
  assert.deepEqual(early.marks, [{ panel: "output", r: 0, c: 0 }], "nothing but the cell itself lights up");
  const stamp = marksFor("scatter", ch02, 1, { kind: "output", r: 1, c: 1 }, L);      // only x[0, 0] stamped so far
  assert.equal(stamp.sum, "output[1, 1] so far = 1·1 = 1 (more stamps are to come)");
});

test("captions: every step of every view has one, numbered from 1", () => {
  for (const res of [ch02, ch08]) for (const view of VIEWS) {
    const n = stepCount(view, res);
    for (let step = 0; step < n; step++) {
      const { caption } = describeStep(view, res, step, L);
      assert.match(caption, new RegExp(`^Step ${step + 1} of ${n}: \\S`), `${view} ${step}`);
      assert.doesNotMatch(caption, /undefined|NaN|\[object/, `${view} ${step}: ${caption}`);
    }
  }
  assert.equal(describeStep("zero_insertion", ch02, 6, L).caption, "Step 7 of 23: output[0, 0] = 1·1 = 1. The flipped kernel " +
    "covers rows 0–1, columns 0–1 of the processing image; the zeros under it add nothing.");
  assert.equal(describeStep("zero_insertion", ch02, 3, L).caption,
    "Step 4 of 23: Implicit border dilation·(kernel_size − 1) − padding = 1·(2 − 1) − 0 = 1: 1 row and column of zeros (b) on each side.");
  assert.match(describeStep("overlap", ch08, 0, L).caption, /Away from the edges the counts alternate \(1, 2, 4\): a checkerboard, because kernel_size is not a multiple of the stride/);
  assert.match(describeStep("overlap", ch08, 10, L).caption, /takes 3 values \(1, 2, 4\): a checkerboard on a flat input/);
  const tent = convTranspose2d(ch08.x, [[0.25, 0.5, 0.25], [0.5, 1, 0.5], [0.25, 0.5, 0.25]], { stride: 2, padding: 1, outputPadding: 1 });
  assert.match(describeStep("overlap", tent, 10, L).caption, /flat away from the edges \(1\).*balanced/);
  const ch04 = convTranspose2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0, 0], [2, 1, 0], [0, 3, 0]], { stride: 2, padding: 1, outputPadding: 1 });
  assert.equal(describeStep("forward", ch04, 0, L).caption, "Step 1 of 10: Overview: nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1, " +
    "bias=False) is the Conv2d whose shape this ConvTranspose2d reverses. It maps 5×5 / 6×6 to 3×3; output_padding = 1 picks 6×6. " +
    "Here it runs on the transposed output 6×6 and gives 3×3.");
  assert.equal(describeStep("forward", ch04, 1, L).caption, "Step 2 of 10: Conv2d output[0, 0] = 1·1 + 4·0 + 3·3 + 5·0 = 10. " +
    "The kernel (not flipped: Conv2d is a cross-correlation) covers rows −1–1, columns −1–1 of its input; the rows and " +
    "columns outside it are Conv2d's zero padding.");
});

test("forward pair and overlap counts", () => {
  const { conv, sizes } = forwardPair(ch08);
  assert.deepEqual(conv.outputSize, ch08.inputSize);
  assert.deepEqual(sizes, [[7, 8], [7, 8]]);
  assert.deepEqual(overlapCounts(ch08)[1], [2, 4, 2, 4, 2, 4, 2, 2]);
  assert.deepEqual(interiorValues(ch08, overlapCounts(ch08)), [1, 2, 4]);
});

test("strings: a second language falls back to English key by key", () => {
  addStrings("xx", { next: "weiter", captions: { dependencies: { overview: "Überblick" } } });
  const X = stringsFor("xx");
  assert.equal(X.next, "weiter");
  assert.equal(X.previous, L.previous);
  assert.equal(describeStep("dependencies", ch02, 0, X).caption, "Step 1 of 17: Überblick");
  assert.equal(X.captions.scatter, L.captions.scatter);
  assert.equal(stringsFor("zz").lang, "en");
  delete STRINGS.xx;
});
