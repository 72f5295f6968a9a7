"""python tools/i18n COMMAND [SOURCE ...]: extract, build, check, diff, prh, book, book-only, publish, lint-export, stage.

SOURCE is an English source relative to the root (chapters/01_x.ipynb, intro.md); without one, every
source that has a Japanese edition (a PO file). To start translating a new source: extract it, fill in
its PO file, build. Only ``stage`` runs without the project's packages (make wheel-env uses plain python3).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # tools/: the i18n package, install_cell

from i18n import BOOK_DIR, ROOT, translated_sources  # noqa: E402


def extract(sources: list[str]) -> int:
    """Write each source's PO file, and common.po (install cell, book title, toc captions)."""
    import nbformat
    import yaml

    from i18n.catalog import COMMON, load, merge
    from i18n.units import Unit, notebook_units, page_units

    shared: list[Unit] = []
    for source in sources:
        path = ROOT / source
        units = (notebook_units(nbformat.read(path, as_version=4)) if source.endswith(".ipynb")
                 else page_units(path.read_text(encoding="utf-8")))
        shared += [u for u in units if u.context.startswith("install#")]
        from i18n import po_path
        po = po_path(source)
        po.parent.mkdir(parents=True, exist_ok=True)
        merge(load(po), [u for u in units if not u.context.startswith("install#")]).save(str(po))
        print(f"==> {po.relative_to(ROOT)}")
    if not shared:   # only pages given: the install cell's units come from any notebook (all share one)
        first = next(s for s in translated_sources() if s.endswith(".ipynb"))
        shared += [u for u in notebook_units(nbformat.read(ROOT / first, as_version=4))
                   if u.context.startswith("install#")]
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    shared += [Unit("config#title", config["title"])]
    shared += [Unit("toc#caption", p["caption"]) for p in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]]
    COMMON.parent.mkdir(parents=True, exist_ok=True)
    merge(load(COMMON), list(dict.fromkeys(shared))).save(str(COMMON))
    return 0


def build(sources: list[str]) -> int:
    """Write the Japanese editions under locale/ja/book/."""
    from i18n.build import build as build_one
    from i18n.glossary import PRH, prh_text

    PRH.write_text(prh_text(), encoding="utf-8")
    for source in sources:
        print(f"==> {build_one(source).relative_to(ROOT)}")
    return 0


def check(sources: list[str]) -> int:
    """Exit 1 and list the problems if any translation is missing or stale, or a Japanese file is out of date."""
    from i18n.checks import problems

    found = problems(sources or None)
    for line in found:
        print(line)
    print(f"==> Japanese edition: {len(found)} problem(s) in {len(sources or translated_sources())} source(s)")
    return 1 if found else 0


def diff(sources: list[str]) -> int:
    """Show, for every stale or missing unit, the English change since its translation."""
    import nbformat

    from i18n.catalog import catalogs_for, english_change, previous, status
    from i18n.units import notebook_units, page_units

    for source in sources:
        path = ROOT / source
        units = (notebook_units(nbformat.read(path, as_version=4)) if source.endswith(".ipynb")
                 else page_units(path.read_text(encoding="utf-8")))
        catalogs = catalogs_for(source)
        for unit, state in status(catalogs, units).items():
            if state != "ok":
                print(f"### {source} [{state}]\n" + english_change(previous(catalogs, unit), unit))
    return 0


def stage(run_dir: str) -> int:
    """Copy each Japanese notebook alone into RUN_DIR/<chapters|exercises>/<stem>/ for nbval (stdlib only)."""
    import shutil

    copies = 0
    for nb in sorted(BOOK_DIR.glob("*/*.ipynb")):
        folder = Path(run_dir) / nb.parent.name / nb.stem
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        shutil.copy2(nb, folder / nb.name)
        copies += 1
    print(f"==> {copies} Japanese notebook(s) copied alone into {run_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/i18n", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["extract", "build", "check", "diff", "prh", "book", "book-only", "publish",
                                            "lint-export", "stage"])
    parser.add_argument("args", nargs="*", help="sources (or: the folder for stage; the folder, then sources, for lint-export; "
                                                "Sphinx options for book)")
    ns, extra = parser.parse_known_args(argv)
    sources = ns.args or translated_sources()
    if ns.command == "extract":
        return extract(sources)
    if ns.command == "build":
        return build(sources)
    if ns.command == "check":
        return check(ns.args)
    if ns.command == "diff":
        return diff(sources)
    if ns.command == "prh":
        return build([])
    if ns.command in ("book", "book-only"):   # book-only: build, leave publishing to `publish`
        from i18n.book import build as build_book
        return build_book(ns.args + extra or None, publish_now=ns.command == "book")
    if ns.command == "publish":
        from i18n.book import publish
        return publish()
    if ns.command == "lint-export":
        from i18n.lint import export
        return export(Path(ns.args[0]) if ns.args else ROOT / "_build" / "textlint", ns.args[1:])
    return stage(ns.args[0])


if __name__ == "__main__":
    sys.exit(main())
