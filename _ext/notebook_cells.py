"""What the book's source-read extensions share: rewriting a notebook's markdown cells as Sphinx reads it.

Only the text Sphinx parses changes; the notebook on disk stays as it is.
"""
from __future__ import annotations

import json
from collections.abc import Callable


def rewrite_markdown_cells(app, docname: str, source: list[str], convert: Callable[[str], tuple[str, int]]) -> int:
    """Apply ``convert(text) -> (new text, changes)`` to every markdown cell of the notebook in ``source[0]``.

    ``source`` is Sphinx's one-item list; it is rewritten in place when anything changed. Pages that
    are not notebooks are left alone. Returns the number of changes.
    """
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return 0
    try:
        nb = json.loads(source[0])
    except ValueError:
        return 0
    total = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            cell["source"], count = convert("".join(cell.get("source", "")))
            total += count
    if total:
        source[0] = json.dumps(nb, ensure_ascii=False)
    return total
