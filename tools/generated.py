"""Files that a tool writes and the repository commits: one command line, ``--check`` to compare instead."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_or_check(out: Path, make_text: Callable[[], str], description: str, argv: list[str] | None = None) -> int:
    """The ``main`` of such a tool: write ``out`` if its text changed, or with ``--check`` exit 1 when it is stale."""
    tool = f"python tools/{Path(make_text.__code__.co_filename).name}"
    parser = argparse.ArgumentParser(prog=tool, description=description)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    args = parser.parse_args(argv)
    text, name = make_text(), out.relative_to(ROOT)
    same = out.exists() and out.read_text(encoding="utf-8") == text
    if args.check:
        print(f"{name}: {'up to date' if same else f'stale: run {tool}'}")
        return 0 if same else 1
    if not same:
        out.write_text(text, encoding="utf-8")
    print(f"{name}: {'unchanged' if same else 'written'}")
    return 0
