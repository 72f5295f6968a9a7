"""The student edition's book around its pages: output folder, table of contents, configuration, assets.

Used by tools/edition.py (see there for what the edition is); the pages themselves are
edited there and in tools/edition_text.py.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from edition_text import WORDING, check_student_repo

MARKER = ".student-edition"
INSTRUCTOR_ONLY = {"chapters/instructor_guide"}
_NUMBER = re.compile(r"^(?:chapters|exercises)/(\d\d)_")
LIBRARY = ("tconv_lib", "pyproject.toml", "binder")  # copied, so that the student repository installs
ASSETS = (".bib", ".png", ".svg", ".jpg", ".ico", ".css", ".js")


def edition_config(config: dict, student_repo: str | None, with_solutions: bool, language: str = "en") -> dict:
    """``_config.yml`` of the edition: its title, no execution, and links only to ``student_repo``."""
    config, words = dict(config), WORDING[language]
    kind = words["selection" if with_solutions else "student"]
    config["title"] = words["title"].format(title=config.get("title", "Book"), kind=kind)
    config["execute"] = {**config.get("execute", {}), "execute_notebooks": "off"}  # stubs would raise
    html = dict(config.get("html", {}))
    html.pop("baseurl", None)  # the full book's address: the edition links only inside itself
    if student_repo and check_student_repo(student_repo) is None:
        config["repository"] = {**config.get("repository", {}), "url": student_repo, "path_to_book": ""}
    else:  # no repository the theme can point at: no Colab, Binder, repository, issues or edit buttons
        config.pop("repository", None)
        config.pop("launch_buttons", None)
        html.update(use_repository_button=False, use_issues_button=False, use_edit_page_button=False)
    config["html"] = html
    return config


def chapter_number(file: str) -> str | None:
    """``'02'`` for ``chapters/02_stride`` or ``exercises/02_stride``; None for other pages."""
    m = _NUMBER.match(file)
    return m.group(1) if m else None


def restrict_toc(toc: dict, chapters: set[str] | None) -> dict:
    """A copy of a jb-book toc with only the selected chapters' pages, no instructor pages."""
    def keep(entry: dict) -> dict | None:
        file = entry.get("file")
        if file is not None:
            file = str(Path(file).with_suffix("")) if Path(file).suffix in (".md", ".ipynb") else file
            number = chapter_number(file)
            if file in INSTRUCTOR_ONLY or (chapters is not None and number is not None and number not in chapters):
                return None
        entry = dict(entry)
        for key in ("parts", "chapters", "sections"):
            if key in entry:
                entry[key] = [e for e in (keep(x) for x in entry[key]) if e is not None]
                if not entry[key]:
                    if file is None:
                        return None
                    del entry[key]
        return entry
    return keep(toc) or {"format": toc.get("format"), "root": toc.get("root")}


def toc_files(toc: dict) -> list[str]:
    """Every file a jb-book toc names, in book order (root first)."""
    files = [toc["root"]] if "root" in toc else []
    for key in ("parts", "chapters", "sections"):
        for entry in toc.get(key, []):
            files += ([entry["file"]] if "file" in entry else []) + toc_files({k: v for k, v in entry.items()
                                                                              if k != "file"})
    return files


def find_page(source: Path, name: str) -> Path:
    """The .ipynb or .md file of a toc entry."""
    for suffix in ("", ".ipynb", ".md"):
        if (source / (name + suffix)).is_file():
            return source / (name + suffix)
    raise FileNotFoundError(f"_toc.yml names {name!r}, but no such .ipynb or .md file exists in {source}")


def prepare_out(out: Path, source: Path) -> None:
    """Empty ``out`` (only if an earlier edition wrote it) and mark it as an edition's folder."""
    if out.resolve() == source.resolve():
        raise ValueError("out must differ from the book's source folder")
    if out.exists():
        if (out / MARKER).exists():
            shutil.rmtree(out)
        elif any(out.iterdir()):
            raise ValueError(f"out ({out}) exists and is not a student edition; refusing to overwrite it")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Written by tools/edition.py; deleted and rewritten on each run.\n")


def copy_assets(source: Path, out: Path, library: Path) -> None:
    """The library (from ``library``), the book's extensions and assets, and files next to the pages."""
    for item in LIBRARY:
        if (library / item).is_dir():
            shutil.copytree(library / item, out / item, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif (library / item).is_file():
            shutil.copy2(library / item, out / item)
    skip = {"_build", out.name, "_toc.yml", "_config.yml"}
    for item in source.iterdir():  # extensions, offline assets, bibliography, logo
        if item.name in skip or item.name.startswith("__") or (item / MARKER).exists():
            continue
        if item.is_dir() and item.name.startswith("_"):
            shutil.copytree(item, out / item.name)
        elif item.is_file() and item.suffix in ASSETS:
            shutil.copy2(item, out / item.name)
    for root in dict.fromkeys((source, library)):  # images and data next to the pages
        for folder in ("chapters", "exercises"):
            for f in (root / folder).rglob("*") if (root / folder).is_dir() else []:
                rel = f.relative_to(root)
                if (f.is_file() and f.suffix not in (".ipynb", ".md") and ".ipynb_checkpoints" not in rel.parts
                        and not (out / rel).exists()):
                    (out / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(f, out / rel)
