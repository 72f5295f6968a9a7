"""Whether two code cells are the same program once comments and string literals are set aside (ast)."""
from __future__ import annotations

import ast

from .units import _code_for_ast


class _BlankStrings(ast.NodeTransformer):
    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        node.values = [v for v in node.values if not isinstance(v, ast.Constant)]   # the text around the fields
        return self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return ast.copy_location(ast.Constant(value=""), node) if isinstance(node.value, str) else node


def program(source: str) -> str:
    """The cell as a program: its IPython magic lines, then its syntax tree with every string constant emptied.

    A magic line's trailing comment (after two spaces, as ruff writes it) is set aside; other comments never
    reach the tree; an f-string keeps its fields (the expressions in braces, in their order) and loses its text.
    """
    magics = [line.split("  #")[0].strip() for line in source.split("\n") if line.lstrip().startswith(("%", "!"))]
    tree = _BlankStrings().visit(ast.parse(_code_for_ast(source)))
    return "\n".join(magics) + "\n" + ast.dump(tree, include_attributes=False)


def same_program(english: str, translated: str) -> bool:
    """True when the two sources differ only in comments and string literals."""
    return program(english) == program(translated)
