#!/usr/bin/env python3
"""Copy the JavaScript the HTML book needs at read time into _offline/vendor/ (run once, commit the result).

The book must work offline, so nothing it needs may come from a CDN. That is MathJax 3
(its startup, core, TeX input and HTML output components, its fonts and the TeX extensions it
autoloads), which renders maths. The
explorer needs nothing from here: the book loads ``_static/tconv-explorer.js``, which
``tconv_lib.explorer`` writes at build time, so no page loads require.js or the ipywidgets
renderer any more.

Usage: ``python tools/vendor_assets.py`` (needs ``npm`` and access to the npm registry).
The versions are pinned below. ``_config.yml`` copies ``_offline/`` to the root of the built
HTML (``html_extra_path``, so the files land in ``_build/html/vendor/``) and points Jupyter
Book at them (``mathjax_path``, ``mathjax3_config``); ``_offline/vendor/MANIFEST.json`` records what was copied.

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
    # MathJax as separate components, not the combined tex-chtml.js: the same TeX input, HTML
    # output and assistive MathML, without the 108 KB (gzipped) context menu that a page does not
    # need to show its maths. _config.yml loads startup.js and lists the others (``loader.load``).
    "mathjax@3.2.2": ("mathjax", [
        ("es5/startup.js", "startup.js"),
        ("es5/core.js", "core.js"),
        ("es5/input/tex.js", "input/tex.js"),
        ("es5/output/chtml.js", "output/chtml.js"),
        ("es5/output/chtml/fonts/tex.js", "output/chtml/fonts/tex.js"),
        ("es5/a11y/assistive-mml.js", "a11y/assistive-mml.js"),
        ("es5/output/chtml/fonts/woff-v2/*.woff", "output/chtml/fonts/woff-v2/"),
        ("es5/input/tex/extensions/*.js", "input/tex/extensions/"),
        ("LICENSE", "LICENSE"),
    ]),
}


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
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    size = sum(p.stat().st_size for p in VENDOR.rglob("*") if p.is_file())
    print(f"vendor_assets: {len(manifest)} files, {size / 1e6:.1f} MB in {VENDOR.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
