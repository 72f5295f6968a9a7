// Test driver for tconv.mjs: `node run_tconv.mjs PATH/TO/tconv.mjs < calls.json > answers.json`.
//
// calls.json is a list of {fn, args, details?}: fn names an export of tconv.mjs, args its arguments.
// Each answer is {value} or {error, errorName}; with details: true (convTranspose2d / conv2d only)
// it also holds footprint() of every input cell as [oi, oj, ti, tj] rows, windowCells() of every
// output cell as [pi, pj, ti, tj, w] rows (transposed only; compact, as there are many),
// formatSum() of every output cell's contributions, formulaLines() and layerCall().
// One Node process answers a whole batch, so the Python tests stay fast.
import { pathToFileURL } from "node:url";

const T = await import(pathToFileURL(process.argv[2]).href);

let text = "";
for await (const chunk of process.stdin) text += chunk;

function answer({ fn, args, details }) {
  let value;
  try {
    value = T[fn](...args);
  } catch (e) {
    return { error: String(e.message), errorName: e.name };
  }
  if (!details) return { value };
  return {
    value,
    footprints: value.x.map((row, i) => row.map((_, j) =>
      T.footprint(value, i, j).map(({ output, tap }) => [...output, ...tap]))),
    windows: value.processing ? value.output.map((row, oi) => row.map((_, oj) =>
      T.windowCells(value, oi, oj).map(({ processing, tap, w }) => [...processing, ...tap, w]))) : null,
    sums: value.contributions.map((row) => row.map((terms) => T.formatSum(terms))),
    formulas: T.formulaLines(value),
    layer: T.layerCall(value),
  };
}

process.stdout.write(JSON.stringify(JSON.parse(text).map(answer)));
