"""The Otter-Grader bundles of tools/autograder.py, from the English or the Japanese exercise notebooks.

``build`` writes, per chapter, ``OUT/NN_slug/autograder.zip`` (Otter), ``points.json`` and
``bundle.json`` (the language and the instructor's notebook it was made from; ``make grade`` reads
the tests from that notebook). A Japanese notebook's setup cell (``set_language("ja")``, tools/i18n)
joins the setup the tests run first, so the checks report in Japanese, on Gradescope as in
``make grade``; the tests, points and hidden cases are the English notebook's (same program).
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import grading_tests
import nbformat
from i18n.build import SETUP_ID
from install_cell import config_repository
from torch_pin import torch_spec

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "ja")


def exercises_folder(language: str = "en") -> Path:
    """Where the instructor's exercise notebooks of ``language`` are (with their solutions)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return ROOT / "exercises" if language == "en" else ROOT / "locale" / language / "book" / "exercises"


def instructor_notebook(path: Path):
    """The instructor's notebook as the tests read it: a Japanese setup cell joins the next code cell (the imports)."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code[:-1]):
        if cell.get("id") == SETUP_ID:
            code[i + 1].source = cell.source + "\n\n" + code[i + 1].source
            nb.cells.remove(cell)
            break
    return nb


def bundle_language(folder: Path) -> str:
    """The language of the bundle in ``folder`` (bundles made before bundle.json existed: English)."""
    info = folder / "bundle.json"
    return json.loads(info.read_text()).get("language", "en") if info.is_file() else "en"


def _requirements(repository: str) -> str:
    return ("--extra-index-url https://download.pytorch.org/whl/cpu\n"
            f"{torch_spec()}\n"
            f"tconv-course @ git+{repository}\n")


def build_bundle(notebook: Path, out: Path, language: str = "en") -> Path:
    """Write ``out/<NN_slug>/autograder.zip`` (Otter) for one exercise notebook; return its path."""
    from otter.generate import main as otter_generate

    folder = out / notebook.stem
    shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        copy, tests = Path(tmp) / "instructor" / notebook.name, Path(tmp) / "tests"
        copy.parent.mkdir()
        nbformat.write(instructor_notebook(notebook), copy)
        points = grading_tests.write_tests(copy, tests)
        requirements = Path(tmp) / "requirements.txt"
        requirements.write_text(_requirements(config_repository()))
        config = Path(tmp) / "otter_config.json"
        config.write_text(json.dumps({"lang": "python", "show_stdout": True, "show_hidden": False,
                                      "print_summary": False, "print_score": False, "pdf": False}))
        folder.mkdir(parents=True)
        otter_generate(tests_dir=str(tests), output_path=str(folder / "autograder.zip"), config=str(config),
                       requirements=str(requirements), no_environment=True, python_version="3.11")
    (folder / "points.json").write_text(json.dumps(points, indent=1) + "\n")
    source = notebook.resolve().relative_to(ROOT).as_posix() if notebook.resolve().is_relative_to(ROOT) else str(notebook)
    (folder / "bundle.json").write_text(json.dumps({"language": language, "notebook": source}, indent=1) + "\n")
    return folder / "autograder.zip"


def build(out: Path, chapters: list[str] | None, language: str = "en") -> list[Path]:
    """Bundles for the selected chapters' exercise notebooks (all when ``chapters`` is None) in ``language``."""
    notebooks = sorted(exercises_folder(language).glob("[0-9][0-9]_*.ipynb"))
    if chapters:
        wanted = {f"{int(c):02d}" for c in chapters}
        notebooks = [nb for nb in notebooks if nb.name[:2] in wanted]
        missing = wanted - {nb.name[:2] for nb in notebooks}
        if missing:
            raise ValueError(f"chapters: no {'' if language == 'en' else language + ' '}exercise notebook "
                             f"for {sorted(missing)}")
    return [build_bundle(nb, out, language) for nb in notebooks]
