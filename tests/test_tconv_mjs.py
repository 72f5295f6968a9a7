"""tconv_lib/static/tconv.mjs (the explorer's computation) against PyTorch, run under Node.

Micrograd style: the same numbers through the JavaScript module and through torch (float64).
Each batch of cases goes to ONE Node process (tests/js/run_tconv.mjs), so the suite stays fast.
"""
from __future__ import annotations

import contextlib
import gc
import itertools
import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tconv_lib.explorer import PRESETS
from tconv_lib.foundations.examples import WORKED

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(
    NODE is None, reason="Node.js is not installed (`node` not on PATH); CI installs Debian's nodejs")
MODULE = resources.files("tconv_lib") / "static" / "tconv.mjs"
DRIVER = Path(__file__).parent / "js" / "run_tconv.mjs"
ROLES = {"input", "inserted", "border", "extra"}
OPTIONS = ("stride", "padding", "output_padding", "dilation")


@contextlib.contextmanager
def collector_paused():
    """The answers with details are some 30 MB of JSON, millions of small lists: without the cyclic garbage
    collector walking them again and again as they pile up, they parse about three times faster. They are
    frozen after (kept out of the collector's generations until the module ends: no cycles among them, so
    reference counting still frees them), else the collections that follow would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@pytest.fixture(scope="module", autouse=True)
def unfreeze_at_the_end():
    yield
    gc.unfreeze()


def run_js(calls: list[dict]) -> list[dict]:
    """Answer every call {fn, args, details?} with one Node process."""
    done = subprocess.run([NODE, str(DRIVER), str(MODULE)], input=json.dumps(calls), capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    with collector_paused():
        return json.loads(done.stdout)


def camel(options: dict) -> dict:
    """PyTorch's option names -> tconv.mjs's (output_padding -> outputPadding)."""
    return {("outputPadding" if k == "output_padding" else k): v for k, v in options.items()}


def pairs(options: dict) -> dict:
    return {k: (v, v) if isinstance(v, int) else tuple(v) for k, v in options.items()}


def torch_transposed(x, weight, **options) -> np.ndarray:
    return F.conv_transpose2d(torch.tensor(x, dtype=torch.float64)[None, None],
                              torch.tensor(weight, dtype=torch.float64)[None, None], **options)[0, 0].numpy()


def torch_conv(x, weight, **options) -> np.ndarray:
    return F.conv2d(torch.tensor(x, dtype=torch.float64)[None, None],
                    torch.tensor(weight, dtype=torch.float64)[None, None], **options)[0, 0].numpy()


def transposed_size(n, k, s, p, op, d) -> int:
    return (n - 1) * s - 2 * p + d * (k - 1) + op + 1


def assert_same_numbers(got, expected, integers: bool, what: str) -> None:
    got = np.asarray(got, dtype=float)
    assert got.shape == expected.shape, f"{what}: shape {got.shape} != torch {expected.shape}"
    if integers:
        np.testing.assert_array_equal(got, expected, err_msg=what)
    else:
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12, err_msg=what)


def draw_values(rng, shape, integers: bool) -> list:
    values = rng.integers(-3, 4, size=shape) if integers else rng.standard_normal(shape)
    return values.tolist()


def draw_option(rng, values: tuple) -> int | list:
    """An int (same on both axes) half the time when the axes agree, else the [h, w] pair."""
    return values[0] if values[0] == values[1] and rng.random() < 0.5 else list(values)


def random_transposed_cases(count: int = 540, seed: int = 12) -> list[dict]:
    """Valid ConvTranspose2d settings, every knob independent per axis (rectangular everything)."""
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < count:
        axes = []
        for _ in range(2):
            n, k, s, p, d = (int(rng.integers(lo, hi + 1)) for lo, hi in ((1, 8), (1, 5), (1, 4), (0, 5), (1, 3)))
            axes.append((n, k, s, p, int(rng.integers(0, max(s, d))), d))
        if rng.random() < 0.3:                       # some square settings too
            axes[1] = axes[0]
        if min(transposed_size(*axis) for axis in axes) < 1:
            continue
        (n, k, *_), (m, kw, *_) = axes
        integers = len(cases) % 2 == 0
        options = {name: draw_option(rng, (axes[0][2 + i], axes[1][2 + i])) for i, name in enumerate(OPTIONS)}
        cases.append(dict(x=draw_values(rng, (n, m), integers), weight=draw_values(rng, (k, kw), integers),
                          options=options, integers=integers))
    # every valid output_padding for every stride 1-4 and dilation 1-3 (padding 1, so op rows get stamps)
    for s, d in itertools.product(range(1, 5), range(1, 4)):
        for op in range(max(s, d)):
            integers = bool(op % 2)
            cases.append(dict(x=draw_values(rng, (3, 2), integers), weight=draw_values(rng, (2, 3), integers),
                              options=dict(stride=s, padding=1, output_padding=[op, 0], dilation=d),
                              integers=integers))
    return cases


@pytest.fixture(scope="module")
def transposed():
    """(case, tconv.mjs answer with details, torch output) for every random case."""
    cases = random_transposed_cases()
    answers = run_js([dict(fn="convTranspose2d", args=[c["x"], c["weight"], camel(c["options"])], details=True)
                      for c in cases])
    return [(c, a, torch_transposed(c["x"], c["weight"], **c["options"])) for c, a in zip(cases, answers)]


def test_random_cases_cover_the_knobs(transposed):
    cases = [c for c, _, _ in transposed]
    opts = [pairs(c["options"]) for c in cases]
    assert len(cases) >= 500
    assert sum(o["stride"][0] != o["stride"][1] or o["padding"][0] != o["padding"][1] for o in opts) >= 200
    cropped = [a for _, a, _ in transposed if min(a["value"]["border"]) < 0]
    assert len(cropped) >= 100, "padding beyond the implicit border d(k-1)-p must be exercised"
    seen = {(o["stride"][a], o["dilation"][a], o["output_padding"][a]) for o in opts for a in (0, 1)}
    assert seen == {(s, d, op) for s in range(1, 5) for d in range(1, 4) for op in range(max(s, d))}
    assert {len(c["x"]) for c in cases} == set(range(1, 9)) and {len(c["weight"][0]) for c in cases} == set(range(1, 6))


def test_output_equals_torch(transposed):
    for case, answer, expected in transposed:
        assert "error" not in answer, (case, answer.get("error"))
        result, o = answer["value"], pairs(case["options"])
        assert_same_numbers(result["output"], expected, case["integers"], str(case))
        assert result["outputSize"] == list(expected.shape)
        assert result["inputSize"] == [len(case["x"]), len(case["x"][0])]
        assert result["kernelSize"] == [len(case["weight"]), len(case["weight"][0])]
        assert [result[k] for k in ("stride", "padding", "outputPadding", "dilation")] == [list(o[k]) for k in OPTIONS]
        assert result["border"] == [d * (k - 1) - p for d, k, p in
                                    zip(o["dilation"], result["kernelSize"], o["padding"])]


def test_contributions_are_the_stamps_and_sum_to_the_output(transposed):
    """Output (oi, oj) gets x[i][j]·weight[ti][tj] exactly when oi = i·s − p + ti·d (same per column)."""
    for case, answer, expected in transposed:
        result, (s, p, _, d) = answer["value"], (pairs(case["options"])[k] for k in OPTIONS)
        x, weight, values, index = case["x"], case["weight"], result["processing"]["values"], result["processing"]["inputIndex"]
        wanted = [[[] for _ in row] for row in expected]
        for i, j, ti, tj in itertools.product(*(range(n) for n in (*result["inputSize"], *result["kernelSize"]))):
            oi, oj = i * s[0] - p[0] + ti * d[0], j * s[1] - p[1] + tj * d[1]
            if 0 <= oi < expected.shape[0] and 0 <= oj < expected.shape[1]:
                wanted[oi][oj].append(dict(input=[i, j], tap=[ti, tj], x=x[i][j], w=weight[ti][tj]))
        for oi, oj in np.ndindex(expected.shape):
            terms = result["contributions"][oi][oj]
            assert [{k: t[k] for k in ("input", "tap", "x", "w")} for t in terms] == wanted[oi][oj], case
            assert sum(t["x"] * t["w"] for t in terms) == result["output"][oi][oj]
            for t in terms:
                pi, pj = t["processing"]
                assert values[pi][pj] == t["x"] and index[pi][pj] == t["input"], case


def test_processing_image_is_zero_insertion_then_border_or_crop(transposed):
    for case, answer, expected in transposed:
        result, o = answer["value"], pairs(case["options"])
        proc, (s, op, b) = result["processing"], (o["stride"], o["output_padding"], result["border"])
        n, size = result["inputSize"], [h + d * (k - 1) for h, d, k in
                                         zip(expected.shape, o["dilation"], result["kernelSize"])]
        assert proc["size"] == size and np.shape(proc["values"]) == tuple(size)
        image = np.zeros(size)      # built independently: x[i][j] sits at (i·s + border) per axis, if kept
        kept = [[i for i in range(n[a]) if 0 <= i * s[a] + b[a] < size[a]] for a in (0, 1)]
        for i, j in itertools.product(*kept):
            image[i * s[0] + b[0], j * s[1] + b[1]] = case["x"][i][j]
        np.testing.assert_array_equal(proc["values"], image, err_msg=str(case))
        # the stride-1 correlation of the processing image with the flipped, dilated kernel is the output
        flipped = np.flip(np.array(case["weight"], dtype=float)).copy()
        assert_same_numbers(torch_conv(proc["values"], flipped, dilation=o["dilation"]), expected,
                            case["integers"], f"correlation of the processing image, {case}")
        roles = np.array(proc["roles"])
        assert set(roles.ravel()) <= ROLES
        assert (roles == "input").sum() == len(kept[0]) * len(kept[1])
        for pi, pj in np.ndindex(*size):
            z = (pi - b[0], pj - b[1])
            inside = [0 <= z[a] <= (n[a] - 1) * s[a] for a in (0, 1)]
            on_value = all(inside[a] and z[a] % s[a] == 0 for a in (0, 1))
            added = [not inside[a] and (pi, pj)[a] >= size[a] - op[a] for a in (0, 1)]
            role = ("input" if on_value else "inserted" if all(inside) else "extra" if any(added) else "border")
            assert roles[pi, pj] == role, (case, pi, pj)
            ij = proc["inputIndex"][pi][pj]
            assert (ij is not None) == on_value
            if on_value:
                assert ij == [z[0] // s[0], z[1] // s[1]]


def test_footprints_and_windows_agree_with_contributions(transposed):
    """footprint(i, j) is input (i, j)'s stamp; windowCells(oi, oj) is the flipped, dilated kernel
    over the processing image, and its "input" cells are exactly the contributions of (oi, oj)."""
    for case, answer, expected in transposed:
        result, o = answer["value"], pairs(case["options"])
        (s, p, d), (kh, kw) = (o[k] for k in ("stride", "padding", "dilation")), result["kernelSize"]
        for i, j in np.ndindex(*result["inputSize"]):
            wanted = sorted([i * s[0] - p[0] + ti * d[0], j * s[1] - p[1] + tj * d[1], ti, tj]
                            for ti, tj in np.ndindex(kh, kw))
            wanted = [w for w in wanted if 0 <= w[0] < expected.shape[0] and 0 <= w[1] < expected.shape[1]]
            assert answer["footprints"][i][j] == wanted, case
        window = np.array(answer["windows"], dtype=float)    # (H_out, W_out, kH·kW, [pi, pj, ti, tj, w])
        assert window.shape == (*expected.shape, kh * kw, 5)
        oi, oj = (axis[..., None] for axis in np.indices(expected.shape))
        a, b = np.divmod(np.arange(kh * kw), kw)              # row-major over the flipped kernel
        pi, pj = oi + a * d[0], oj + b * d[1]
        np.testing.assert_array_equal(window[..., 0], pi + 0 * b)
        np.testing.assert_array_equal(window[..., 1], pj + 0 * a)
        np.testing.assert_array_equal(window[..., 2:4], np.broadcast_to(np.stack([kh - 1 - a, kw - 1 - b], -1),
                                                                         window[..., 2:4].shape))
        weight = np.array(case["weight"], dtype=float)
        np.testing.assert_array_equal(window[..., 4], np.broadcast_to(weight[::-1, ::-1].ravel(), pi.shape))
        values, roles = np.array(result["processing"]["values"], dtype=float), np.array(result["processing"]["roles"])
        assert_same_numbers((values[pi, pj] * window[..., 4]).sum(-1), expected, case["integers"], str(case))
        counts = np.array([[len(terms) for terms in row] for row in result["contributions"]]).reshape(expected.shape)
        np.testing.assert_array_equal((roles[pi, pj] == "input").sum(-1), counts)
        for r, row in enumerate(result["contributions"]):
            for c, terms in enumerate(row):
                for t in terms:   # each contribution sits where the window puts its tap
                    assert t["processing"] == [r + (kh - 1 - t["tap"][0]) * d[0], c + (kw - 1 - t["tap"][1]) * d[1]]


def test_sums_formulas_and_layer_lines(transposed):
    for case, answer, expected in transposed:
        result = answer["value"]
        for oi, oj in np.ndindex(expected.shape):
            text, terms = answer["sums"][oi][oj], result["contributions"][oi][oj]
            if not terms:
                assert text == "0 (no term reaches this cell)"
            else:
                assert text.count("·") == len(terms) and text.count(" + ") == len(terms) - 1
            if case["integers"]:
                assert text.split(" = ")[-1].split(" (")[0].replace("−", "-") == str(int(expected[oi, oj]))
        for a, line in enumerate(answer["formulas"]):
            left, right = line.split(" = ", 1)
            assert left == "HW"[a] + "_out"
            assert eval(right.rsplit(" = ", 1)[0].replace("−", "-").replace("·", "*")) == expected.shape[a]
            assert right.endswith(f"= {expected.shape[a]}")
        layer = eval(answer["layer"], {"nn": torch.nn})
        o = pairs(case["options"])
        assert layer.kernel_size == tuple(result["kernelSize"]) and layer.bias is None
        assert all(getattr(layer, k) == o[k] for k in OPTIONS), (answer["layer"], case)


def test_output_padding_rows_still_receive_stamps():
    """padding 1, output_padding 2, stride 3: row and column 3 are output_padding's, yet hold stamps."""
    x, weight, options = [[1, 2], [3, 4]], [[1, 1], [1, 1]], dict(stride=3, padding=1, output_padding=2)
    [answer] = run_js([dict(fn="convTranspose2d", args=[x, weight, camel(options)])])
    expected = torch_transposed(x, weight, **options)
    np.testing.assert_array_equal(answer["value"]["output"], expected)
    assert expected[3].any() and expected[:, 3].any()


WORKED_OUTPUTS = {setting: output for setting, output in WORKED.values()}  # (stride, padding, output_padding)


def test_the_four_worked_examples():
    """The worked-example presets of tconv_lib.explorer give the course's table, as torch does."""
    worked = [p for name, p in PRESETS.items() if not name.startswith("ch")]
    assert len(worked) == 4
    answers = run_js([dict(fn="convTranspose2d", args=[p["x"], p["weight"], camel({k: p[k] for k in OPTIONS})])
                      for p in worked])
    for preset, answer in zip(worked, answers):
        key = (preset["stride"][0], preset["padding"][0], preset["output_padding"][0])
        np.testing.assert_array_equal(answer["value"]["output"], WORKED_OUTPUTS[key])
        np.testing.assert_array_equal(answer["value"]["output"],
                                      torch_transposed(preset["x"], preset["weight"], **{k: preset[k] for k in OPTIONS}))


def torch_refuses(call) -> bool:
    """True when torch raises, or would return an empty tensor."""
    try:
        return np.size(call()) == 0
    except RuntimeError:
        return True


def transposed_blame(n, k, s, p, op, d) -> set[str]:
    """The parameters an error message may name first: those that break one of PyTorch's rules."""
    names = {name for name, v, low in (("kernel_size", k, 1), ("stride", s, 1), ("dilation", d, 1),
                                       ("padding", p, 0), ("output_padding", op, 0)) if min(v) < low}
    names |= {"weight"} if min(k) < 1 else set()
    if not names and any(o >= si and o >= di for o, si, di in zip(op, s, d)):
        names.add("output_padding")
    if not names and min(transposed_size(*axis) for axis in zip(n, k, s, p, op, d)) < 1:
        names.add("padding")
    return names


def ones(h: int, w: int) -> list[list[float]]:
    """np.ones((h, w)).tolist(), without NumPy's overhead (called some 20,000 times below)."""
    return [[1.0] * w for _ in range(h)]


def test_refuses_exactly_when_torch_does():
    """A grid of square settings plus random rectangular ones, many of them invalid."""
    grid = [((n, n), (k, k), (s, s), (p, p), (op, op), (d, d)) for n, k, s, p, op, d in itertools.product(
        (1, 2, 3), (-1, 0, 1, 2, 3), (-1, 0, 1, 2, 3), (-1, 0, 1, 2, 3, 4), (-1, 0, 1, 2, 3), (-1, 0, 1, 2))]
    rng = np.random.default_rng(7)
    grid += [tuple(tuple(int(v) for v in rng.integers(lo, hi + 1, size=2))
                   for lo, hi in ((1, 4), (0, 4), (-1, 4), (-1, 6), (-1, 4), (-1, 3))) for _ in range(1500)]
    calls, refused = [], []
    for n, k, s, p, op, d in grid:
        options = dict(stride=list(s), padding=list(p), outputPadding=list(op), dilation=list(d))
        calls.append(dict(fn="convTransposeOutputSize", args=[list(n), list(k), options]))
        calls.append(dict(fn="convTranspose2d", args=[ones(*n), ones(*k) if min(k) >= 0 else [[1]], options]))
        refused.append(min(k) < 0 or torch_refuses(lambda: F.conv_transpose2d(
            torch.ones((1, 1) + n, dtype=torch.float64), torch.ones((1, 1) + k, dtype=torch.float64),
            stride=s, padding=p, output_padding=op, dilation=d)))
    answers = run_js(calls)
    assert sum(refused) > 1000 and len(refused) - sum(refused) > 300, "the grid must hold valid and invalid settings"
    for config, torch_no, size, full in zip(grid, refused, answers[0::2], answers[1::2]):
        results = [size] if min(config[1]) < 0 else [size, full]
        for answer in results:
            assert ("error" in answer) == torch_no, (config, answer)
            if torch_no:
                assert answer["errorName"] == "Error" and answer["error"].split()[0] in transposed_blame(*config), \
                    (config, answer["error"])
        if not torch_no:
            assert size["value"] == [transposed_size(*axis) for axis in zip(*config)]


def test_conv2d_equals_torch_and_refuses_when_torch_does():
    rng = np.random.default_rng(2)
    cases = []
    while len(cases) < 240:
        n, k = rng.integers(1, 9, size=2).tolist(), rng.integers(1, 6, size=2).tolist()
        options = {name: draw_option(rng, tuple(rng.integers(lo, hi + 1, size=2).tolist()))
                   for name, lo, hi in (("stride", 1, 4), ("padding", 0, 3), ("dilation", 1, 3))}
        o = pairs(options)
        if all(d * (kk - 1) + 1 <= nn + 2 * p for nn, kk, p, d in zip(n, k, o["padding"], o["dilation"])):
            integers = len(cases) % 2 == 0
            cases.append(dict(x=draw_values(rng, n, integers), weight=draw_values(rng, k, integers),
                              options=options, integers=integers))
    invalid = list(itertools.product((1, 2, 3), (0, 1, 2, 3), (-1, 0, 1, 2), (-1, 0, 1, 2), (-1, 0, 1, 2)))
    answers = run_js([dict(fn="conv2d", args=[c["x"], c["weight"], c["options"]], details=True) for c in cases] +
                     [dict(fn="conv2d", args=[np.ones((n, n)).tolist(), np.ones((k, k)).tolist(),
                                              dict(stride=s, padding=p, dilation=d)]) for n, k, s, p, d in invalid])
    for case, answer in zip(cases, answers):
        result, o = answer["value"], pairs(case["options"])
        expected = torch_conv(case["x"], case["weight"], **case["options"])
        assert_same_numbers(result["output"], expected, case["integers"], str(case))
        for oi, oj in np.ndindex(expected.shape):
            wanted = [([oi * o["stride"][0] - o["padding"][0] + ti * o["dilation"][0],
                        oj * o["stride"][1] - o["padding"][1] + tj * o["dilation"][1]], [ti, tj])
                      for ti, tj in np.ndindex(*result["kernelSize"])]
            wanted = [(ij, t) for ij, t in wanted if 0 <= ij[0] < len(case["x"]) and 0 <= ij[1] < len(case["x"][0])]
            assert [(t["input"], t["tap"]) for t in result["contributions"][oi][oj]] == wanted
        for a, line in enumerate(answer["formulas"]):
            formula = line.split(" = ")[1].replace("−", "-").replace("·", "*").replace("⌊", "(").replace("⌋", ")")
            assert eval(formula.replace(" / ", " // ")) == expected.shape[a], line
        layer = eval(answer["layer"], {"nn": torch.nn})
        assert layer.kernel_size == tuple(result["kernelSize"]) and layer.bias is None
        assert all(getattr(layer, k) == o[k] for k in ("stride", "padding", "dilation")), answer["layer"]
    for (n, k, s, p, d), answer in zip(invalid, answers[len(cases):]):
        torch_no = torch_refuses(lambda: torch_conv(np.ones((n, n)), np.ones((k, k)), stride=s, padding=p, dilation=d))
        assert ("error" in answer) == torch_no, ((n, k, s, p, d), answer)
        if torch_no:
            blame = {name for name, v, low in (("stride", s, 1), ("dilation", d, 1), ("padding", p, 0)) if v < low}
            blame |= {"weight", "kernel_size"} if k < 1 else set()
            assert answer["error"].split()[0] in (blame or {"kernel_size"}), ((n, k, s, p, d), answer["error"])


def test_helpers_format_as_documented():
    calls = [dict(fn="formatNumber", args=[v]) for v in (3, -2, 0.5, -1 / 3, 2.0004, -0.0001, 1e-9)]
    calls += [dict(fn="formatSum", args=[terms]) for terms in
              ([], [[1, 1], [0, 2], [2, 0]], [{"x": -1, "w": -2}, {"x": -3, "w": 0.5}])]
    calls += [dict(fn="pair", args=[v, "stride"]) for v in (2, [1, 3], [1], 1.5, "2")]
    calls += [dict(fn="layerCall", args=[{"kernelSize": [2, 3], "stride": [2, 2], "padding": [1, 0],
                                          "outputPadding": [0, 0], "dilation": [1, 1]}])]
    calls += [dict(fn="convTranspose2d", args=[[[1]], [[1]], {"output_padding": 1}]),
              dict(fn="convTranspose2d", args=[[[1, 2], [3]], [[1]], {}]),
              dict(fn="convTranspose2d", args=[[[1]], [[None]], {}]),
              dict(fn="convTranspose2d", args=[[[1]], [[1]], {"stride": [2, 1], "outputPadding": [0, 1]}])]
    got = [a.get("value", a.get("error")) for a in run_js(calls)]
    assert got[:7] == ["3", "−2", "0.5", "−0.333", "2", "0", "0"]
    assert got[7:10] == ["0 (no term reaches this cell)", "1·1 + 0·2 + 2·0 = 1", "−1·(−2) + (−3)·0.5 = 0.5"]
    assert got[10:12] == [[2, 2], [1, 3]] and all(g.startswith("stride must be an integer") for g in got[12:15])
    assert got[15] == "nn.ConvTranspose2d(1, 1, kernel_size=(2, 3), stride=2, padding=(1, 0), bias=False)"
    assert got[16].startswith("unknown option output_padding (write outputPadding)")
    assert got[17].startswith("x must be rectangular") and got[18].startswith("weight row 1 column 1")
    assert got[19] == "output_padding (1) must be smaller than stride (1) or dilation (1) along the width"
