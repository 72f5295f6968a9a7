#!/usr/bin/env python3
"""Copy the JavaScript the HTML book needs at read time into _offline/vendor/ (run once, commit the result).

The book must work offline, so nothing it needs may come from a CDN:

* require.js and @jupyter-widgets/html-manager's ``embed-amd.js`` (plus the Font Awesome
  fonts it loads from its own folder) render the saved widget state - the stepper;
* MathJax 3 (``tex-chtml.js``, its fonts and the TeX extensions it autoloads) renders maths.

Usage: ``python tools/vendor_assets.py`` (needs ``npm`` and access to the npm registry).
The versions are pinned below; html-manager 1.0.x is the renderer for ipywidgets 8.
``_config.yml`` copies ``_offline/`` to the root of the built HTML (``html_extra_path``, so the
files land in ``_build/html/vendor/``) and points Jupyter Book at them (``mathjax_path`` and
``nb_ipywidgets_js``); ``_offline/vendor/MANIFEST.json`` records what was copied.

Not ``_static/``: Jupyter Book 1 adds every ``.js`` file under ``html_static_path`` to every
page as a ``<script>``, which would load all of MathJax's extensions on every page.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VENDOR = REPO_ROOT / "_offline" / "vendor"

# package spec -> (destination folder, [(path inside the package, path under destination)])
PACKAGES = {
    "requirejs@2.3.8": ("requirejs", [("require.js", "require.js")]),
    "@jupyter-widgets/html-manager@1.0.15": ("html-manager", [
        ("dist/embed-amd.js", "embed-amd.js"),
        ("dist/embed.js.LICENSE.txt", "LICENSE.txt"),
        # Font Awesome 5 (Play button icons), loaded relative to embed-amd.js; browsers use woff2/woff.
        ("dist/*.woff2", ""),
        ("dist/*.woff", ""),
    ]),
    "mathjax@3.2.2": ("mathjax", [
        ("es5/tex-chtml.js", "tex-chtml.js"),
        ("es5/output/chtml/fonts/woff-v2/*.woff", "output/chtml/fonts/woff-v2/"),
        ("es5/input/tex/extensions/*.js", "input/tex/extensions/"),
        ("LICENSE", "LICENSE"),
    ]),
}

ASSETS_SETUP_JS = """// Written by tools/vendor_assets.py. Loaded after require.js, before embed-amd.js,
// on pages with widgets.
// embed-amd.js puts the URLs of its fonts (Font Awesome, for the Play button) next to
// the URL requirejs gives its modules, which is the *page's* folder unless mapped here
// to the folder that holds embed-amd.js and the fonts.
//
// The theme's Font Awesome script swaps <i class="fa ..."> for <svg> elements, also in
// widgets rendered later, which breaks the Play button (its view looks for the <i> on
// every change). It runs deferred, after this script; here it is told to convert only
// the icons in the page as written, not the ones that appear later.
window.FontAwesomeConfig = Object.assign(window.FontAwesomeConfig || {}, {observeMutations: false});
(function () {
  var folder = new URL("html-manager", document.currentScript.src).href;
  window.__jupyter_widgets_assets_path__ = folder + "/";
  require.config({paths: {"@jupyter-widgets": folder, "@jupyter-widgets/html-manager/dist": folder}});
})();
"""


def npm_pack(spec: str, workdir: Path) -> Path:
    """Download one package tarball with ``npm pack`` and unpack it; return its package/ folder."""
    out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True,
                         text=True).stdout.strip().splitlines()[-1]
    target = workdir / out.removesuffix(".tgz")
    with tarfile.open(workdir / out) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def main() -> int:
    if shutil.which("npm") is None:
        print("vendor_assets: npm is needed (apt-get install npm)", file=sys.stderr)
        return 1
    manifest = {}
    with tempfile.TemporaryDirectory() as tmp:
        for spec, (folder, files) in PACKAGES.items():
            package = npm_pack(spec, Path(tmp))
            dest_root = VENDOR / folder
            if dest_root.exists():
                shutil.rmtree(dest_root)
            for pattern, dest in files:
                matches = sorted(package.glob(pattern))
                if not matches:
                    raise FileNotFoundError(f"{spec}: nothing matches {pattern}")
                for src in matches:
                    target = dest_root / dest / src.name if dest.endswith("/") or not dest else dest_root / dest
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, target)
                    rel = target.relative_to(VENDOR).as_posix()
                    manifest[rel] = {"package": spec, "sha256": hashlib.sha256(target.read_bytes()).hexdigest()}
    (VENDOR / "html-manager-setup.js").write_text(ASSETS_SETUP_JS)   # see _config.yml
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    size = sum(p.stat().st_size for p in VENDOR.rglob("*") if p.is_file())
    print(f"vendor_assets: {len(manifest)} files, {size / 1e6:.1f} MB in {VENDOR.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
