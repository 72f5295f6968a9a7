"""tools/page_weight.py on a tiny built book: what a page names, how each file counts, the summary."""
from __future__ import annotations

import gzip
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import page_weight  # noqa: E402

PAGE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="../_static/theme.css?digest=abc" />
<link rel="preload" as="script" href="../_static/app.js" />
<link rel="index" title="Index" href="../genindex.html" />
<link rel="stylesheet" href="https://cdn.example.org/x.css" />
<script src="../_static/app.js?v=1"></script>
<script>const inline = 1;</script>
</head><body>
<img alt="a figure" src="../_images/fig.png" style="width: 10px" />
<img alt="dot" src="data:image/png;base64,iVBORw0KGgo=" />
<a href="../_static/not-fetched.css">a link is not a download</a>
</body></html>"""


def make_book(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "_static").mkdir()
    (root / "_images").mkdir()
    (root / "_sources").mkdir()
    (root / "chapters" / "one.html").write_text(PAGE)
    (root / "intro.html").write_text("<html><body>intro</body></html>")
    (root / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=intro.html" />')
    (root / "_sources" / "skipped.html").write_text("<html></html>")
    (root / "_static" / "theme.css").write_text("body { color: black; }\n" * 200)
    (root / "_static" / "app.js").write_text("console.log('hello');\n" * 100)
    (root / "_static" / "late.woff2").write_bytes(bytes(range(256)) * 4)
    noise = np.random.default_rng(0).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    Image.fromarray(noise).save(root / "_images" / "fig.png")
    return root


def test_references_lists_what_the_browser_fetches_and_the_figures():
    resources, figures = page_weight.references(PAGE)
    assert resources == ["../_static/theme.css?digest=abc", "../_static/app.js", "https://cdn.example.org/x.css",
                         "../_static/app.js?v=1"]
    assert figures == ["../_images/fig.png", "data:image/png;base64,iVBORw0KGgo="]


def test_local_path_resolves_relative_and_same_host_urls_only(tmp_path):
    root = make_book(tmp_path)
    page = root / "chapters" / "one.html"
    css = root / "_static" / "theme.css"
    assert page_weight.local_path("../_static/theme.css?digest=abc", page, root) == css
    assert page_weight.local_path("http://127.0.0.1:8000/_static/theme.css?v=2", page, root) == css
    for elsewhere in ("data:image/png;base64,AAAA", "../_static/missing.css", "../../outside.css"):
        assert page_weight.local_path(elsewhere, page, root) is None


def test_text_counts_gzipped_and_binary_as_it_is(tmp_path):
    root = make_book(tmp_path)
    css, png = root / "_static" / "theme.css", root / "_images" / "fig.png"
    assert page_weight.sent_bytes(css) == len(gzip.compress(css.read_bytes(), compresslevel=6)) < css.stat().st_size
    assert page_weight.sent_bytes(png) == png.stat().st_size


def test_weigh_counts_each_file_once_with_figures_and_recorded_requests(tmp_path):
    root = make_book(tmp_path)
    late = root / "_static" / "late.woff2"            # asked for by a stylesheet or script, not by the HTML
    files = page_weight.weigh(root, "chapters/one", {late, root / "_static" / "app.js"})
    assert sorted(f.name for f in files) == ["_images/fig.png", "_static/app.js", "_static/late.woff2",
                                             "_static/theme.css", "chapters/one.html"]
    assert [f.sent for f in files] == sorted((f.sent for f in files), reverse=True)   # heaviest first
    assert page_weight.total(files) == sum(page_weight.sent_bytes(root / f.name) for f in files)
    assert next(f for f in files if f.name == "_static/late.woff2").sent == 1024


def test_page_names_skip_asset_folders_and_redirects(tmp_path):
    assert page_weight.page_names(make_book(tmp_path)) == ["chapters/one", "intro"]


def test_summary_is_the_median_and_the_heaviest_page():
    assert page_weight.summary({"a": 100, "b": 400, "c": 300}) == (300, "b", 400)
    assert page_weight.summary({"a": 100, "b": 400}) == (250, "b", 400)


def test_static_report_prints_every_page_and_checks_the_goals(tmp_path, capsys):
    root = make_book(tmp_path)
    assert page_weight.main(["--html", str(root), "--static", "--page", "chapters/one"]) == 0
    out = capsys.readouterr().out
    assert "goals met" in out and "chapters/one: 5 files" not in out      # late.woff2 is only seen by a browser
    assert "chapters/one: 4 files" in out and "_images/fig.png" in out and "intro " in out
