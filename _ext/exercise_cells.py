"""Sphinx extension: give the plain-Markdown exercise notebooks their MyST form while the book is read.

Each ``## Exercise N.M: Title`` statement cell becomes a sphinx-exercise ``{exercise}``
(label ``exn-NN-M``), and the answer cell after it (the cell with the solution markers)
is wrapped in ``{solution-start}`` / ``{solution-end}`` as a collapsed box, its marker lines
removed. In a chapter (``chapters/``) the exercises are numbered by Sphinx (Exercise 8.2),
labelled ``ex-NN-M``, and every marked cell right after a statement goes into its box. Only the
text Sphinx parses changes: the notebook on disk, the ``_sources`` copy
behind the download button and what Colab opens stay plain Markdown.
The convention itself is in exercise_format.py. Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import json
from pathlib import Path

from exercise_format import CHAPTER_PREFIX, EXERCISE_PREFIX, has_solution, statement, strip_markers


def _markdown(source: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


def to_myst(nb: dict, chapter: bool = False) -> tuple[dict, int]:
    """The notebook (a JSON dict) with exercise statements and answers in MyST; returns (nb, exercises).

    ``chapter=True``: a chapter's own exercises (labels ``ex-NN-M``, numbered by Sphinx).
    """
    cells, pending, count, answer = [], None, 0, []
    prefix = CHAPTER_PREFIX if chapter else EXERCISE_PREFIX

    def close() -> bool:  # put the collected answer cells into one collapsed solution box
        if not answer:
            return False
        cells.append(_markdown(f"```{{solution-start}} {pending}\n:class: dropdown\n```", f"{pending}-start"))
        cells.extend(answer)
        cells.append(_markdown("```{solution-end}\n```", f"{pending}-end"))
        answer.clear()
        return True

    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", ""))
        found = statement(source, prefix) if cell.get("cell_type") == "markdown" else None
        if pending and has_solution(source) and not found and (chapter or not answer):
            answer.append({**cell, "source": strip_markers(source)})
            continue
        if close():
            pending = None
        if found:
            label, number, number_in_chapter, title, body = found
            if chapter:
                text = f"````{{exercise}}{' ' + title if title else ''}\n:label: {label}\n\n{body}\n````"
            else:
                text = f"````{{exercise}} {number}.{number_in_chapter} {title}\n:label: {label}\n:nonumber:\n\n{body}\n````"
            cells.append({**cell, "source": text})
            pending, count = label, count + 1
            continue
        cells.append(cell)
    close()
    return {**nb, "cells": cells}, count


def _on_source_read(app, docname: str, source: list[str]) -> None:
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    try:
        nb = json.loads(source[0])
    except ValueError:
        return
    nb, count = to_myst(nb, chapter=docname.startswith("chapters/"))
    if count:
        source[0] = json.dumps(nb, ensure_ascii=False)


def setup(app):
    app.connect("source-read", _on_source_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":  # show the MyST form of one notebook: python _ext/exercise_cells.py NB
    import sys
    print(json.dumps(to_myst(json.loads(Path(sys.argv[1]).read_text()))[0], indent=1, ensure_ascii=False))
