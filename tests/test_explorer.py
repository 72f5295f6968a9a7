"""The explorer's Python side: traits, validation, to_torch, presets, the bundle, the static copy.

The JavaScript computation itself is tested against PyTorch in tests/test_tconv_mjs.py and the UI
in tests/test_explorer_ui.py; here the bundle is imported under Node to catch name clashes between
tconv.mjs and explorer.mjs, and its numbers are spot-checked on every preset.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
import traitlets

from tconv_lib import explorer as E
from tconv_lib.foundations.stages import Role

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node (Debian's nodejs) is not installed")
ROOT = Path(__file__).resolve().parent.parent


def _torch_output(config: dict) -> torch.Tensor:
    x = torch.tensor(config["x"], dtype=torch.float64)[None, None]
    w = torch.tensor(config["weight"], dtype=torch.float64)[None, None]
    return F.conv_transpose2d(x, w, stride=tuple(config["stride"]), padding=tuple(config["padding"]),
                              output_padding=tuple(config["output_padding"]), dilation=tuple(config["dilation"]))


# ----------------------------------------------------------------------------- traits
def test_defaults_and_int_becomes_pair():
    w = E.Explorer()
    assert (w.stride, w.padding, w.output_padding, w.dilation) == ([1, 1], [0, 0], [0, 0], [1, 1])
    w.stride = 3
    assert w.stride == [3, 3]
    w.padding = (1, 0)
    assert w.padding == [1, 0]
    assert w.output_size() == (3, 5)   # 2x2 input, 2x2 kernel: (2-1)*3 - 2*(1, 0) + 1 + 1


def test_values_keep_ints_and_floats():
    w = E.Explorer(x=[[1.0, 2.5], [3, -4]])
    assert w.x == [[1, 2.5], [3, -4]]
    assert isinstance(w.x[0][0], int) and isinstance(w.x[0][1], float)


def test_view_step_and_title():
    w = E.explorer("ch01")
    assert w.view == "scatter" and w.step == 0 and w.title == "", "the title comes from the strings table (strings.mjs)"
    w.view = "dependencies"
    assert w.preset == "ch01", "changing the view keeps the preset"
    with pytest.raises(traitlets.TraitError):
        w.view = "sideways"
    with pytest.raises(traitlets.TraitError):
        w.step = -1


@pytest.mark.parametrize("name, value, words", [
    ("stride", 0, "stride must be positive"),
    ("dilation", (1, 0), "dilation must be positive"),
    ("padding", -1, "padding must be non-negative"),
    ("output_padding", 2, "output_padding (2) must be smaller than stride (2) or dilation (1)"),
    ("padding", 5, "padding (5) is too large"),
    ("stride", (1, 2, 3), "stride must be an int or"),
    ("stride", 1.5, "stride must be an int or"),
    ("stride", True, "stride must be an int or"),
    ("x", [[1, 2], [3]], "x must be rectangular"),
    ("x", [], "x must be a non-empty list"),
    ("weight", [[1, float("nan")]], "weight must hold finite numbers"),
    ("weight", [[1] * 6], "weight may have at most 5 rows and columns"),
    ("x", [[1]] * 9, "x may have at most 8 rows and columns"),
])
def test_invalid_settings_name_the_parameter(name, value, words):
    w = E.explorer("ch02")              # 2x2 input, 2x2 kernel, stride 2, padding 0
    before = w.config()
    with pytest.raises(traitlets.TraitError) as info:
        setattr(w, name, value)
    assert words in str(info.value)
    assert w.config() == before, "a refused value must leave the explorer as it was"


def test_constructor_validates_the_whole_configuration():
    with pytest.raises(traitlets.TraitError, match="output_padding"):
        E.Explorer(stride=1, output_padding=1)
    # several traits changed together are checked together (as a front-end sync does)
    w = E.explorer("ch04")              # stride 2, output_padding 1
    with w.hold_trait_notifications():
        w.output_padding = 0
        w.stride = 1
    assert (w.stride, w.output_padding) == ([1, 1], [0, 0])


def test_preset_follows_the_configuration():
    w = E.explorer("ch02")
    w.padding = 1
    assert w.preset == "", "a configuration that left the preset is custom"
    w.preset = "ch10"
    assert w.config() == {k: E.PRESETS["ch10"][k] for k in E.CONFIG}
    assert E.explorer("ch02", stride=3).preset == ""
    with pytest.raises(ValueError, match="preset must be one of"):
        E.explorer("ch99")


# ----------------------------------------------------------------------------- presets and PyTorch
@pytest.mark.parametrize("name", sorted(E.PRESETS))
def test_to_torch_equals_conv_transpose2d(name):
    preset = E.PRESETS[name]
    w = E.explorer(name)
    layer = w.to_torch()
    assert isinstance(layer, torch.nn.ConvTranspose2d) and layer.bias is None
    assert layer.weight.dtype == torch.float64 and layer.weight.shape[:2] == (1, 1)
    x = torch.tensor(preset["x"], dtype=torch.float64)[None, None]
    with torch.no_grad():
        got = layer(x)
    want = _torch_output(preset)
    assert torch.equal(got, want)
    assert tuple(got.shape[-2:]) == w.output_size()
    assert w.to_torch(torch.float32).weight.dtype == torch.float32


def test_presets_are_valid_and_make_their_points():
    assert {"ch01", "ch02", "ch03", "ch04", "ch05", "ch08", "ch10"} <= set(E.PRESETS)
    for name, p in E.PRESETS.items():
        assert p["name"] == name and p["view"] in E.VIEWS
        E.check(p)
    overlap = E.PRESETS["ch08"]                # uneven overlap: kernel 3 is not a multiple of stride 2
    assert overlap["view"] == "overlap" and len(overlap["weight"]) % overlap["stride"][0] != 0
    flip = [E.PRESETS[n] for n in ("ch01", "ch02", "ch03", "ch05")]
    for p in flip:                         # the flip shows only with a kernel that a 180° turn changes
        assert p["weight"] != [row[::-1] for row in p["weight"][::-1]]
    for n in ("ch01", "ch02", "ch03", "ch05"):
        assert E.PRESETS[n]["padding"] == [0, 0], f"{n}: padding 0 shows the whole border"
    assert E.PRESETS["ch01"]["view"] == "scatter"
    assert E.PRESETS["ch04"]["output_padding"] != [0, 0]
    assert E.PRESETS["ch05"]["dilation"] != [1, 1]
    dcgan = E.PRESETS["ch10"]
    assert (len(dcgan["weight"]), dcgan["stride"], dcgan["padding"]) == (4, [2, 2], [1, 1])
    worked = {n: p for n, p in E.PRESETS.items() if not n.startswith("ch")}
    assert sorted(worked) == ["stride 2, padding 0", "stride 2, padding 1", "stride 2, padding 1, output_padding 1",
                              "stride 3, padding 1"], "the worked examples are named by what they are"


# ----------------------------------------------------------------------------- repr and static copy
def test_repr_is_short_and_deterministic():
    text = repr(E.explorer("ch02"))
    assert text == ("Explorer(preset='ch02', input 2x2, kernel 2x2, stride=(2, 2), padding=(0, 0), "
                    "output_padding=(0, 0), dilation=(1, 1), view='zero_insertion', output 4x4)")
    assert "0x" not in text


def _loader_state(html: str, element: str) -> dict:
    return json.loads(html.rsplit(f'("{element}",', 1)[1].split(");</script>", 1)[0])


def test_mimebundle_has_widget_and_a_small_static_copy():
    data, _ = E.explorer("ch05")._repr_mimebundle_()
    assert {"text/plain", "application/vnd.jupyter.widget-view+json", "text/html"} <= set(data)
    html = data["text/html"]
    assert html.count("<script>") == 1 and E.BOOK_SCRIPT in html and "mountStatic(el, state)" in html
    assert "convTranspose2d" not in html and len(html) < 6000, "the notebook carries the bundle once, in the widget state"
    element = html.split('<div id="', 1)[1].split('"', 1)[0]
    assert element.startswith("explorer-ch05-")
    state = _loader_state(html, element)
    assert state["dilation"] == [2, 2] and state["preset"] == "ch05" and len(state["presets"]) == len(E.PRESETS)
    assert state["lang"] == "en" and E.explorer("ch05", lang="ja").lang == "ja"
    assert "</script" not in html.split("<script>", 1)[1][:-len("</script>\n")].lower()


def test_static_copy_is_identical_on_reexecution():
    code = ("from tconv_lib.explorer import explorer\n"
            "a = explorer('ch02')._repr_mimebundle_()[0]['text/html']\n"
            "b = explorer('ch02')._repr_mimebundle_()[0]['text/html']\n"
            "import hashlib, re\n"
            "print(re.findall(r'<div id=\"([^\"]+)\" class=\"tconv-explorer-host\"', a + b))\n"
            "print(hashlib.sha256((a + b).encode()).hexdigest())\n")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert "['explorer-ch02-1', 'explorer-ch02-2']" in runs[0], "two displays on one page need two ids"


def _parts(folder: Path, **texts: str) -> Path:
    for name in E.PARTS:
        default = f"export const {name}Part = 1;\n" + (E.CSS_LINE + "\n" if name == "explorer" else "")
        (folder / f"{name}.mjs").write_text(texts.get(name, default))
    (folder / "explorer.css").write_text(".a{color:red}\n")
    return folder


def test_module_source_joins_the_parts_and_inlines_the_css(tmp_path):
    folder = _parts(tmp_path, steps='import { tconvPart } from "./tconv.mjs";\nexport const steps = tconvPart;\n')
    source = E.module_source(folder)
    assert "import" not in source and source.index("tconvPart = 1") < source.index("export const steps = tconvPart")
    assert 'const EXPLORER_CSS = ".a{color:red}\\n";' in source and E.CSS_LINE not in source
    _parts(tmp_path, tconv='import { steps } from "./steps.mjs";\n')          # a later part: refused
    with pytest.raises(ValueError, match="may import only earlier parts"):
        E.module_source(tmp_path)
    _parts(tmp_path, explorer="export const b = 2;\n")                        # no place for the CSS
    with pytest.raises(ValueError, match="EXPLORER_CSS"):
        E.module_source(tmp_path)


def test_setup_writes_the_book_script(tmp_path):
    hooks = {}
    app = types.SimpleNamespace(connect=lambda event, fn: hooks.setdefault(event, fn), outdir=str(tmp_path),
                                builder=types.SimpleNamespace(format="html"))
    assert E.setup(app)["parallel_read_safe"]
    hooks["build-finished"](app, None)
    assert (tmp_path / E.BOOK_SCRIPT).read_text(encoding="utf-8") == E.classic_source()


# ----------------------------------------------------------------------------- the bundle under Node
@needs_node
def test_bundle_imports_under_node_and_computes_like_pytorch(tmp_path):
    bundle = tmp_path / "bundle.mjs"
    bundle.write_text(E.module_source(), encoding="utf-8")
    classic = tmp_path / "classic.js"
    classic.write_text(E.classic_source(), encoding="utf-8")
    script = (
        "const m = await import(process.argv[1]);\n"
        "const presets = JSON.parse(process.argv[2]);\n"
        "const outputs = {};\n"
        "for (const p of presets) {\n"
        "  outputs[p.name] = m.convTranspose2d(p.x, p.weight, {stride: p.stride, padding: p.padding,\n"
        "    outputPadding: p.output_padding, dilation: p.dilation}).output;\n"
        "}\n"
        "const { readFileSync } = await import('node:fs');\n"
        "new Function(readFileSync(process.argv[3], 'utf8'))();\n"
        "const classic = Object.keys(globalThis.tconvExplorer);\n"
        "const named = Object.keys(m.STRINGS.en.presets);\n"
        "console.log(JSON.stringify({exports: Object.keys(m).sort(), classic, outputs, named, roles: m.ROLES}));\n")
    run = subprocess.run([NODE, "--input-type=module", "-e", script, bundle.as_uri(),
                          json.dumps(list(E.PRESETS.values())), str(classic)], capture_output=True, text=True, timeout=60,
                         check=False)
    assert run.returncode == 0, f"the bundle does not import under node (name clash?):\n{run.stderr}"
    result = json.loads(run.stdout)
    for name in ("convTranspose2d", "conv2d", "mount", "createModel", "mountStatic", "encodeState",
                 "decodeState", "default"):
        assert name in result["exports"], f"the bundle does not export {name}"
    assert set(result["classic"]) == set(result["exports"]) - {"default"}, "the classic script defines every export"
    assert result["roles"] == [role.name.lower() for role in Role], "one vocabulary of roles: stages.Role and tconv.mjs"
    chapters = {name for name in E.PRESETS if name.startswith("ch")}
    assert set(result["named"]) == chapters, "strings.mjs names every chapter preset (worked examples go by their settings)"
    for name, preset in E.PRESETS.items():
        assert torch.equal(torch.tensor(result["outputs"][name], dtype=torch.float64), _torch_output(preset)[0, 0]), name


# ----------------------------------------------------------------------------- chapters embed the current bundle
def test_chapters_embed_the_current_loader():
    """The book mounts each explorer with the loader stored in its notebook's text/html (the bundle itself comes from
    _static): after a change to the loader or the state format, the chapters that display an explorer must be re-executed."""
    stale, found = [], 0
    loader = (ROOT / "tconv_lib" / "static" / "loader.js").read_text(encoding="utf-8").strip()
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                html = "".join(output.get("data", {}).get("text/html", ""))
                if 'class="tconv-explorer-host"' in html:
                    found += 1
                    element = html.split('<div id="', 1)[1].split('"', 1)[0]
                    if loader not in html or set(_loader_state(html, element)) != {*E.CONFIG, "step", "presets",
                                                                                     "preset", "title", "lang"}:
                        stale.append(path.name)
    assert found >= 6, "chapters 1-5 and 10 each display an explorer"
    assert not stale, ("these notebooks hold an older explorer copy; re-run them with "
                       f"tools/execute_notebooks.py: {sorted(set(stale))}")
