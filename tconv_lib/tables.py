"""Tables of results in the notebooks: shown as HTML in Jupyter and in the book, as aligned text elsewhere.

Used across the book (the comparisons of chapters 7, 8 and 13).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from .i18n import display_width, message, pad


class Table:
    """A small table: ``header`` (column titles) and ``rows`` (sequences of cells, shown with ``str``)."""

    def __init__(self, header: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
        self.header = [str(h) for h in header]
        self.rows = [[str(c) for c in row] for row in rows]
        if any(len(row) != len(self.header) for row in self.rows):
            raise ValueError(message("tables.rows", n=len(self.header)))

    def __repr__(self) -> str:
        widths = [max(display_width(r[i]) for r in [self.header] + self.rows) for i in range(len(self.header))]
        line = lambda cells: "  ".join(pad(c, w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
        return "\n".join([line(self.header), line(["-" * w for w in widths])] + [line(r) for r in self.rows])

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{escape(h)}</th>" for h in self.header)
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in self.rows)
        return f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
