"""What a reader reads in an English source, cut into translation units, and the same source put back translated.

A unit is (context, English). In a notebook the context is the cell id, with a suffix for what the
unit is: ``c001`` a Markdown cell, ``c002#comment`` a code comment (consecutive full-line comments at
one indentation are one unit), ``c009#string`` a string literal the reader sees (an argument of
``print``, of a raised exception, of matplotlib's ``set_title``/``set_xlabel``/``text``/..., a ``title=``/
``label=``/``titles=``/... argument, or an argument listed in SHOWN_ARGUMENT (claims, table headers and
rows, tick labels, a generator report's name), lists and tuples of literals included; the unit is
the literal as written, quotes included, so an f-string keeps its fields), ``c007#caption`` and
``c007#alt`` a figure's caption and alternative text (MyST-NB metadata); the install cell's units
have the context ``install#comment`` and ``install#string`` (common.po). In a Markdown page every
top-level block (paragraph, list, heading, fenced directive) is a unit with the context ``page``.

A literal that reaches those places through a name is a ``#string`` unit too (notebook_flow). The code
cells are read once, in order, as one program: a literal flows into the names it is assigned to, into
containers (list, tuple and dict displays, comprehensions, ``.append``, ``+=``, ``d[k] = ...``) and out of
them through loops and unpacking (``for ax, (title, img) in zip(axes, (("noisy", x), ...))``, ``.items()``,
``list(d)``, enumerate, zip, sorted), f-string fields, ``+``, ``str()`` and what the notebook's own functions
return. Such a literal is left as written (Flow.kept) where it also reaches code: an argument of any other
call (the library's or the notebook's own), a comparison or ``in``, a lambda, an index into a container the
notebook did not build (``WORKED[name]``, a manifest's ``run[key]``), or a container that leaves the
notebook's sight (passed to a call or an unknown method). Translating it would change what the program
does, and program.py sets string literals aside, so only running the notebook would tell. The keys of a
container the notebook builds and every literal that indexes it or is stored as its key form one group,
translated together or not at all: all of them are units with the context of the first one's cell, so one
PO entry serves a key wherever it is looked up (``shares["bilinear"]`` after ``shares[title] = ...`` for
titles taken from the same literals). These units are added to the others and never change them: a literal
that is a unit already, or lies inside one, is not a second unit (a group with a literal inside another
unit stays as written).
"""
from __future__ import annotations

import ast
import io
import itertools
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

import markdown_it
from install_cell import is_install_cell  # tools/ is on sys.path (tools/i18n/__main__.py, tests)

# Comments that are instructions to tools, not prose: grading markers, nbval markers, linters.
TOOL_COMMENT = re.compile(r"#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS|TESTS|QUESTION)|#\s*(NBVAL_|noqa|type:)")
SHOWN_KEYWORDS = {"title", "label", "xlabel", "ylabel", "suptitle", "titles", "labels"}
SHOWN_METHODS = {"set_title", "set_xlabel", "set_ylabel", "suptitle", "text", "annotate", "figtext", "set_label"}
# Calls whose positional arguments at these indices reach the reader: claims' sentences (tconv_lib.claims), a
# verdict's claim (chapter 9), a table's header row and rows (tconv_lib.tables.Table), tick labels, the name a
# generator's report prints (tconv_lib.gan.evaluation.assess_generator).
SHOWN_ARGUMENT = {"above": (0,), "below": (0,), "verdict": (1,), "Table": (0, 1), "set_xticks": (1,),
                  "set_yticks": (1,), "set_xticklabels": (0,), "set_yticklabels": (0,), "assess_generator": (1,)}
WORD = re.compile(r"[A-Za-z]{2,}")
FIELD = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Unit:
    """One translation unit: where it is (context) and its English text."""

    context: str
    english: str


Lookup = Callable[[Unit], str]


def _code_for_ast(source: str) -> str:
    """The cell with IPython magics and shell lines blanked (same lines and columns), so that ast can parse it."""
    return "\n".join(" " * len(line) if line.lstrip().startswith(("%", "!")) else line
                     for line in source.split("\n"))


def _offsets(source: str) -> list[int]:
    starts, total = [], 0
    for line in source.split("\n"):
        starts.append(total)
        total += len(line) + 1
    return starts


def _comment_blocks(source: str) -> list[tuple[int, int, list[str]]]:
    """Each comment unit as (start offset, end offset, its lines without '# '); tool comments are left out."""
    starts, lines = _offsets(source), source.split("\n")
    blocks: list[tuple[int, int, list[str], int, int]] = []   # start, end, texts, column, last row
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.COMMENT or TOOL_COMMENT.match(tok.string):
            continue
        (row, col), text = tok.start, re.sub(r"^#\s?", "", tok.string)
        full_line = not lines[row - 1][:col].strip()
        start, end = starts[row - 1] + col, starts[row - 1] + col + len(tok.string)
        last = blocks[-1] if blocks else None
        if full_line and last and last[3] == col and last[4] == row - 1 and last[2] is not None:
            blocks[-1] = (last[0], end, last[2] + [text], col, row)
        else:
            blocks.append((start, end, [text], col if full_line else -1, row))
    return [(s, e, texts) for s, e, texts, _, _ in blocks]


def _shown_literals(node: ast.AST) -> list[ast.expr]:
    """String literals inside an argument that reach the reader as they are (through + and implicit joins)."""
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        return [node] if not isinstance(node, ast.Constant) or isinstance(node.value, str) else []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _shown_literals(node.left) + _shown_literals(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):                       # ["real", "generated"], *(f"{d}" for ...)
        return [lit for element in node.elts for lit in _shown_literals(element)]
    if isinstance(node, ast.IfExp):                                   # ("CONFIRMED" if holds else "REFUTED")
        return _shown_literals(node.body) + _shown_literals(node.orelse)
    if isinstance(node, ast.Starred):
        return _shown_literals(node.value)
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)):
        return _shown_literals(node.elt)
    return []


def _string_spans(source: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every string literal the reader sees, in source order."""
    tree = ast.parse(_code_for_ast(source))
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if (isinstance(node.func, ast.Name) and node.func.id == "print"
                    or isinstance(node.func, ast.Attribute) and node.func.attr in SHOWN_METHODS):
                for arg in node.args:
                    found += _shown_literals(arg)
            else:
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                for index in SHOWN_ARGUMENT.get(name, ()):
                    if len(node.args) > index:
                        found += _shown_literals(node.args[index])
            found += [lit for kw in node.keywords if kw.arg in SHOWN_KEYWORDS for lit in _shown_literals(kw.value)]
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for arg in node.exc.args:
                found += _shown_literals(arg)
    starts, lines = _offsets(source), source.split("\n")

    def offset(row: int, byte_col: int) -> int:
        return starts[row - 1] + len(lines[row - 1].encode()[:byte_col].decode())

    spans = {(offset(n.lineno, n.col_offset), offset(n.end_lineno, n.end_col_offset)) for n in found}
    return sorted(s for s in spans if WORD.search(FIELD.sub("", source[s[0]:s[1]])))


# ---------------------------------------------------------------------------------------------------------
# Strings that reach the reader through a name: the notebook read once as a program, cells in order.

class _Box:
    """A container the notebook builds: a display, a comprehension, or what list(), zip(), .items()... return."""

    made = itertools.count(1)

    def __init__(self) -> None:
        self.keys, self.values, self.elems = _Val(), _Val(), _Val()
        self.anchor = -next(_Box.made)   # its keys' group (_Flow.union); literals are grouped by id(), never < 0


class _Val:
    """What an expression may be, as far as the notebook's string literals go."""

    def __init__(self, lits=(), derived=(), boxes=(), items=None, func=None) -> None:
        self.lits = set(lits)          # literal nodes (str constants, f-strings) it may be, as written
        self.derived = set(derived)    # literal nodes whose text is part of it (f-string fields, +, join, str())
        self.boxes = set(boxes)        # containers it may be
        self.items = items             # its elements by position (a tuple or list display, zip's tuples)
        self.func = func               # a function the notebook defines: the value it returns

    def empty(self) -> bool:
        return not (self.lits or self.derived or self.boxes or self.items is not None or self.func is not None)

    def absorb(self, other: _Val) -> None:
        """Become what either may be (a container's elements as more are added)."""
        if other.empty():
            return
        if self.empty():
            self.items = other.items
        elif self.items is not None and other.items is not None and len(self.items) == len(other.items):
            self.items = tuple(_merge(a, b) for a, b in zip(self.items, other.items))
        else:
            self.items = None
        self.lits |= other.lits
        self.derived |= other.derived
        self.boxes |= other.boxes
        self.func = self.func or other.func


def _merge(*vals: _Val) -> _Val:
    vals = tuple(v for v in vals if not v.empty())
    out = _Val()
    for v in vals:
        out.lits |= v.lits
        out.derived |= v.derived
        out.boxes |= v.boxes
        out.func = out.func or v.func
    lengths = {len(v.items) if v.items is not None else -1 for v in vals}
    if vals and len(lengths) == 1 and -1 not in lengths:
        out.items = tuple(_merge(*column) for column in zip(*(v.items for v in vals)))
    return out


def _iterated(v: _Val) -> _Val:
    """What iterating ``v`` yields: a list's elements, a dict's keys (a string's characters: part of it)."""
    out = _merge(*(b.elems for b in v.boxes), *(b.keys for b in v.boxes))
    out.derived |= v.lits | v.derived
    return out


def _boxed(elems: _Val, items: tuple[_Val, ...] | None = None) -> _Val:
    """A new container of ``elems`` (``items``: the same by position, where known)."""
    box = _Box()
    box.elems.absorb(elems)
    return _Val(boxes={box}, items=items)


_PASS_THROUGH = {"list", "tuple", "set", "frozenset", "sorted", "reversed", "iter"}   # a container of its elements
_HARMLESS = {"len", "range", "isinstance", "round", "abs", "int", "float", "bool", "sum", "any", "all", "id",
             "type", "callable", "divmod", "pow", "bin", "hex", "oct"}
_CONTAINER_METHODS = {"items", "keys", "values", "copy", "append", "add", "extend", "insert", "update", "setdefault",
                      "get", "pop", "sort", "reverse", "clear", "remove", "index", "count"}
_TEXT = {"str", "repr", "format", "ascii"}
_STR_METHODS = {"join", "format", "replace", "upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip",
                "ljust", "rjust", "center", "zfill", "split", "rsplit", "splitlines", "partition", "casefold",
                "removeprefix", "removesuffix", "expandtabs"}


class _Flow:
    """Abstract interpretation of a notebook's code: which literals are shown, which are looked up or used as code.

    shown: literal nodes that reach a shown position (SHOWN_* above), through names, containers and loops;
    pinned: literal nodes that reach anything else (an argument of a call the notebook does not define, a
    comparison, an index into a container the notebook did not build); groups (union-find): literals that
    are keys of one container the notebook built, or indices into it, so one translation must serve them all.
    """

    def __init__(self) -> None:
        self.shown: set[int] = set()
        self.pinned: set[int] = set()
        self.parent: dict[int, int] = {}
        self.nodes: dict[int, ast.AST] = {}
        self.env: list[dict[str, _Val]] = [{}]
        self.returns: list[list[_Val]] = []

    # --- groups
    def find(self, key: int) -> int:
        root = key
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while key != root:
            following = self.parent[key]
            self.parent[key] = root
            key = following
        return root

    def union(self, box: _Box, v: _Val, lookup: bool = True) -> None:
        """``v`` is a key of ``box`` (in its display) or, with ``lookup``, an index into it or a key stored in it."""
        for lit in v.lits:
            self.nodes[id(lit)] = lit
            self.parent[self.find(id(lit))] = self.find(box.anchor)
            if lookup and isinstance(lit, ast.JoinedStr):   # equal to another key only when run: kept as it is
                self.pinned.add(id(lit))
        for lit in v.derived:                              # a key made with +, str(), an f-string's field
            self.nodes[id(lit)] = lit
            self.pinned.add(id(lit))
        for item in v.items or ():
            self.union(box, item, lookup)

    # --- shown and pinned
    def _walk(self, v: _Val, into: set[int], seen: set[int] | None = None) -> None:
        seen = set() if seen is None else seen
        if id(v) in seen:
            return
        seen.add(id(v))
        for lit in v.lits | v.derived:
            self.nodes[id(lit)] = lit
            into.add(id(lit))
        for item in v.items or ():
            self._walk(item, into, seen)
        for box in v.boxes:
            if id(box) not in seen:
                seen.add(id(box))
                into.add(box.anchor)    # pinned: the box left the notebook's sight (its keys may be read there)
                for inner in (box.keys, box.values, box.elems):
                    self._walk(inner, into, seen)

    def show(self, v: _Val) -> None:
        self._walk(v, self.shown)

    def pin(self, v: _Val) -> None:
        self._walk(v, self.pinned)

    # --- names
    def lookup(self, name: str) -> _Val:
        for scope in reversed(self.env):
            if name in scope:
                return scope[name]
        return _Val()

    def bind(self, target: ast.AST, v: _Val) -> None:
        if isinstance(target, ast.Name):
            self.env[-1][target.id] = v
        elif isinstance(target, (ast.Tuple, ast.List)):
            starred = any(isinstance(t, ast.Starred) for t in target.elts)
            if v.items is not None and len(v.items) == len(target.elts) and not starred:
                for t, item in zip(target.elts, v.items):
                    self.bind(t, item)
            else:
                element = _iterated(v)
                for t in target.elts:
                    self.bind(t.value if isinstance(t, ast.Starred) else t,
                              _boxed(element) if isinstance(t, ast.Starred) else element)
        elif isinstance(target, ast.Subscript):
            self.store(self.value(target.value), self.value(target.slice), v)
        elif isinstance(target, ast.Attribute):
            self.value(target.value)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, v)

    def store(self, container: _Val, index: _Val, v: _Val) -> None:
        if container.boxes:
            for box in container.boxes:
                self.union(box, index)
                box.keys.absorb(index)
                box.values.absorb(v)
                box.elems.absorb(v if not index.lits else _Val())
        else:
            self.pin(index)

    # --- expressions
    def value(self, node: ast.AST | None) -> _Val:
        if node is None:
            return _Val()
        if isinstance(node, ast.Constant):
            return _Val(lits={node}) if isinstance(node.value, str) else _Val()
        if isinstance(node, ast.JoinedStr):
            fields = [self.value(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]
            for v in node.values:
                if isinstance(v, ast.FormattedValue) and v.format_spec is not None:
                    self.value(v.format_spec)
            return _Val(lits={node}, derived={n for f in fields for n in self._all(f)})
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            elems = [self.value(e) for e in node.elts]
            plain = [v for e, v in zip(node.elts, elems) if not isinstance(e, ast.Starred)]
            flat = [v if not isinstance(e, ast.Starred) else _iterated(v) for e, v in zip(node.elts, elems)]
            known = len(plain) == len(elems) and not isinstance(node, ast.Set)
            return _boxed(_merge(*flat) if flat else _Val(), items=tuple(elems) if known else None)
        if isinstance(node, ast.Starred):
            return self.value(node.value)
        if isinstance(node, ast.Dict):
            box = _Box()
            for k, v in zip(node.keys, node.values):
                value = self.value(v)
                if k is None:                                         # {**other}
                    for other in value.boxes:
                        box.keys.absorb(other.keys)
                        box.values.absorb(other.values)
                        self.parent[self.find(other.anchor)] = self.find(box.anchor)
                    continue
                key = self.value(k)
                self.union(box, key, lookup=False)
                box.keys.absorb(key)
                box.values.absorb(value)
            return _Val(boxes={box})
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            self.env.append({})
            try:
                for gen in node.generators:
                    self.bind(gen.target, _iterated(self.value(gen.iter)))
                    for cond in gen.ifs:
                        self.value(cond)
                if isinstance(node, ast.DictComp):
                    box = _Box()
                    key = self.value(node.key)
                    self.union(box, key, lookup=False)
                    box.keys.absorb(key)
                    box.values.absorb(self.value(node.value))
                    return _Val(boxes={box})
                return _boxed(self.value(node.elt))
            finally:
                self.env.pop()
        if isinstance(node, ast.Subscript):
            container, index = self.value(node.value), self.value(node.slice)
            if not container.boxes:
                self.pin(index)
                return _Val(derived=container.lits | container.derived)
            for box in container.boxes:
                self.union(box, index)
            if isinstance(node.slice, ast.Slice):
                return container
            return _merge(*(b.values for b in container.boxes), *(b.elems for b in container.boxes))
        if isinstance(node, ast.Slice):
            for part in (node.lower, node.upper, node.step):
                self.value(part)
            return _Val()
        if isinstance(node, ast.IfExp):
            self.value(node.test)
            return _merge(self.value(node.body), self.value(node.orelse))
        if isinstance(node, ast.BoolOp):
            return _merge(*(self.value(v) for v in node.values))
        if isinstance(node, ast.BinOp):
            left, right = self.value(node.left), self.value(node.right)
            if isinstance(node.op, (ast.Add, ast.Mod, ast.Mult)):
                return _Val(derived=set(self._all(left)) | set(self._all(right)),
                            boxes=left.boxes | right.boxes)
            return _Val()
        if isinstance(node, ast.UnaryOp):
            self.value(node.operand)
            return _Val()
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                self.pin(self.value(operand))
            return _Val()
        if isinstance(node, ast.NamedExpr):
            v = self.value(node.value)
            self.bind(node.target, v)
            return v
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Attribute):
            self.pin(_Val(boxes=self.value(node.value).boxes))
            return _Val()
        if isinstance(node, ast.Lambda):                 # run later, unseen: what it reads is used as code
            for name in ast.walk(node.body):
                if isinstance(name, ast.Name):
                    self.pin(self.lookup(name.id))
            return _Val()
        for child in ast.iter_child_nodes(node):   # await, yield, ...: evaluated, used as code
            if isinstance(child, ast.expr):
                self.pin(self.value(child))
        return _Val()

    def _all(self, v: _Val) -> list[ast.AST]:
        found: set[int] = set()
        self._walk(v, found)
        return [self.nodes[i] for i in found if i in self.nodes]

    def call(self, node: ast.Call) -> _Val:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        receiver = self.value(func.value) if isinstance(func, ast.Attribute) else None
        args = [self.value(a) for a in node.args]
        keywords = [(kw.arg, self.value(kw.value)) for kw in node.keywords]   # arg None: **mapping
        for kw, v in keywords:
            if kw in SHOWN_KEYWORDS:
                self.show(v)
        plain = [v for kw, v in keywords if kw not in SHOWN_KEYWORDS]
        if isinstance(func, ast.Name) and name == "print" or isinstance(func, ast.Attribute) and name in SHOWN_METHODS:
            for v in args:
                self.show(v)
            for v in plain:
                self.pin(v)
            return _Val()
        if name in SHOWN_ARGUMENT:
            for i, v in enumerate(args):
                (self.show if i in SHOWN_ARGUMENT[name] else self.pin)(v)
            for v in plain:
                self.pin(v)
            return _Val()
        if receiver is not None and receiver.boxes and name not in _CONTAINER_METHODS:
            self.pin(_Val(boxes=receiver.boxes))
        if receiver is not None and receiver.boxes and name in _CONTAINER_METHODS:   # a container's own methods
            if name in ("items", "keys", "values", "copy"):
                boxes = receiver.boxes
                keys = _merge(*(b.keys for b in boxes))
                values = _merge(*(b.values for b in boxes))
                if name == "items":
                    return _boxed(_Val(items=(keys, values)))
                if name == "copy":
                    return receiver
                return _boxed(keys if name == "keys" else values)
            if name in ("append", "add", "extend", "insert", "update", "setdefault", "get", "pop"):
                for box in receiver.boxes:
                    if name in ("append", "add"):
                        box.elems.absorb(args[0] if args else _Val())
                    elif name == "extend" and args:
                        box.elems.absorb(_iterated(args[0]))
                    elif name == "insert" and len(args) > 1:
                        box.elems.absorb(args[1])
                    elif name == "update" and args:
                        for other in args[0].boxes:
                            box.keys.absorb(other.keys)
                            box.values.absorb(other.values)
                            self.parent[self.find(other.anchor)] = self.find(box.anchor)
                    elif name in ("setdefault", "get", "pop") and args:
                        self.union(box, args[0])
                return _merge(*(b.values for b in receiver.boxes), *(a for a in args[1:]))
        if receiver is not None and (receiver.lits or receiver.derived) and name in _STR_METHODS:
            parts = [receiver] + [_iterated(a) if name == "join" else a for a in args] + list(plain)
            return _Val(derived={n for p in parts for n in self._all(p)})
        if isinstance(func, ast.Name) and self.lookup(name).func is None:
            if name in _PASS_THROUGH and args:
                return _boxed(_iterated(args[0]))
            if name == "enumerate" and args:
                return _boxed(_Val(items=(_Val(), _iterated(args[0]))))
            if name == "zip":
                return _boxed(_Val(items=tuple(_iterated(a) for a in args)))
            if name == "dict":
                pairs = _iterated(args[0]) if args else _Val()
                box = _Box()
                if pairs.items is not None and len(pairs.items) == 2:
                    self.union(box, pairs.items[0], lookup=False)
                    box.keys.absorb(pairs.items[0])
                    box.values.absorb(pairs.items[1])
                for other in (args[0].boxes if args else ()):
                    box.keys.absorb(other.keys)
                    box.values.absorb(other.values)
                    self.parent[self.find(other.anchor)] = self.find(box.anchor)
                for v in plain:
                    box.values.absorb(v)
                return _Val(boxes={box})
            if name in ("min", "max", "next"):
                return _merge(*(_iterated(a) if len(args) == 1 else a for a in args))
            if name in _TEXT:
                return _Val(derived={n for a in args for n in self._all(a)})
            if name in _HARMLESS:
                return _Val()
        for v in [*args, *plain]:                           # anything else: the string is code there
            self.pin(v)
        defined = self.lookup(name).func if isinstance(func, ast.Name) else None
        return defined if defined is not None else _Val()

    # --- statements
    def run(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Assign):
                v = self.value(stmt.value)
                for target in stmt.targets:
                    self.bind(target, v)
            elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
                v = self.value(stmt.value)
                if isinstance(stmt, ast.AugAssign):
                    old = self.value(stmt.target)
                    for box in old.boxes:
                        box.elems.absorb(_iterated(v))
                    if not old.boxes:
                        self.bind(stmt.target, _Val(derived=set(self._all(old)) | set(self._all(v))))
                elif stmt.value is not None:
                    self.bind(stmt.target, v)
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):
                self.bind(stmt.target, _iterated(self.value(stmt.iter)))
                self.run(stmt.body)
                self.run(stmt.orelse)
            elif isinstance(stmt, ast.While):
                self.value(stmt.test)
                self.run(stmt.body)
                self.run(stmt.orelse)
            elif isinstance(stmt, ast.If):
                self.value(stmt.test)
                self.run(stmt.body)
                self.run(stmt.orelse)
            elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                for item in stmt.items:
                    self.pin(self.value(item.context_expr))
                    if item.optional_vars is not None:
                        self.bind(item.optional_vars, _Val())
                self.run(stmt.body)
            elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
                self.run(stmt.body)
                for handler in stmt.handlers:
                    self.value(handler.type)
                    if handler.name:
                        self.env[-1][handler.name] = _Val()
                    self.run(handler.body)
                self.run(stmt.orelse)
                self.run(stmt.finalbody)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for default in stmt.args.defaults + [d for d in stmt.args.kw_defaults if d is not None]:
                    self.pin(self.value(default))
                self.env.append({})
                self.returns.append([])
                self.run(stmt.body)
                returned = _merge(*self.returns.pop())
                self.env.pop()
                self.env[-1][stmt.name] = _Val(func=returned)
            elif isinstance(stmt, ast.Return):
                if self.returns:
                    self.returns[-1].append(self.value(stmt.value))
            elif isinstance(stmt, ast.Raise):
                if isinstance(stmt.exc, ast.Call):
                    for v in [self.value(a) for a in stmt.exc.args]:
                        self.show(v)
                else:
                    self.value(stmt.exc)
            elif isinstance(stmt, ast.Expr):
                if not isinstance(stmt.value, ast.Constant):      # a docstring is not a value
                    self.value(stmt.value)
            elif isinstance(stmt, ast.Assert):
                self.value(stmt.test)
                self.value(stmt.msg)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    self.env[-1][(alias.asname or alias.name).split(".")[0]] = _Val()
            elif isinstance(stmt, ast.ClassDef):
                self.env[-1][stmt.name] = _Val()
            elif isinstance(stmt, ast.Delete):
                for target in stmt.targets:
                    if isinstance(target, ast.Subscript):
                        self.value(target)
            elif isinstance(stmt, ast.Match):
                self.pin(self.value(stmt.subject))
                for case in stmt.cases:
                    self.run(case.body)


@dataclass
class Flow:
    """The literals a notebook shows through names: per cell context, (start, end, context of the unit)."""

    spans: dict[str, list[tuple[int, int, str]]]
    kept: dict[str, list[tuple[int, int]]]     # shown, but code too (looked up, compared, passed on): left as written


def _literal_span(source: str, node: ast.AST) -> tuple[int, int] | None:
    """The node's offsets in the cell, if they cover exactly that literal (positions inside f-strings may not)."""
    starts, lines = _offsets(source), source.split("\n")

    def offset(row: int, byte_col: int) -> int:
        return starts[row - 1] + len(lines[row - 1].encode()[:byte_col].decode())

    start, end = offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)
    try:
        again = ast.parse("(" + source[start:end] + ")", mode="eval").body
    except SyntaxError:
        return None
    if type(again) is not type(node) or isinstance(node, ast.Constant) and again.value != node.value:
        return None
    return start, end


def notebook_flow(cells: list[tuple[str, str]]) -> Flow:
    """The literals shown through names in a notebook's code cells, given in order as (context, source).

    The rule is the module's docstring. Where a group holds a literal inside another unit (a key in an
    f-string's field), the group is kept as written: that literal cannot be translated on its own.
    """
    flow, found, direct = _Flow(), {}, []
    for index, (_, source) in enumerate(cells):
        tree = ast.parse(_code_for_ast(source))
        found.update({id(n): (index, n) for n in ast.walk(tree) if isinstance(n, (ast.Constant, ast.JoinedStr))})
        direct.append(_string_spans(source))
        flow.run(tree.body)
    place: dict[int, tuple[int, int, int]] = {}           # literal -> (cell index, start, end); text with words only
    for key, (index, node) in found.items():
        span = _literal_span(cells[index][1], node) if key in flow.nodes else None
        if span and WORD.search(FIELD.sub("", cells[index][1][span[0]:span[1]])):
            place[key] = (index, *span)
    groups: dict[int, list[int]] = {}
    for key in place:
        groups.setdefault(flow.find(key), []).append(key)

    def members(key: int) -> list[int]:
        return groups[flow.find(key)]

    def within(key: int, spans: list[tuple[int, int, int]], strictly: bool = True) -> bool:
        i, start, end = place[key]
        return any(j == i and s <= start and end <= e and not (strictly and (s, e) == (start, end)) for j, s, e in spans)

    direct_places = [(i, s, e) for i, spans in enumerate(direct) for s, e in spans]
    blocked = {flow.find(key) for key in flow.pinned}
    while True:
        chosen = {m for k in flow.shown if k in place and flow.find(k) not in blocked for m in members(k)}
        taken = direct_places + [place[k] for k in chosen]
        inside = {k for k in chosen if within(k, taken)}
        newly = {flow.find(k) for k in inside if len(members(k)) > 1} - blocked
        if not newly:
            break
        blocked |= newly
    spans: dict[str, list[tuple[int, int, str]]] = {context: [] for context, _ in cells}
    for key in sorted(chosen - inside, key=lambda k: place[k]):
        index, start, end = place[key]
        if (start, end) not in direct[index]:
            first = min(place[m] for m in members(key))
            spans[cells[index][0]].append((start, end, f"{cells[first[0]][0]}#string"))
    kept: dict[str, list[tuple[int, int]]] = {context: [] for context, _ in cells}
    for key in sorted((k for k in flow.shown - chosen if k in place and not within(k, taken, strictly=False)),
                      key=lambda k: place[k]):
        kept[cells[place[key][0]][0]].append(place[key][1:])
    return Flow(spans, kept)


def code_units(cell_id: str, source: str, flow: Flow | None = None) -> list[tuple[Unit, int, int, str]]:
    """(unit, start, end, kind) for every comment and shown string of a code cell, in source order.

    ``flow`` is the notebook's (notebook_flow); without it the cell is read alone.
    """
    flow = flow if flow is not None else notebook_flow([(cell_id, source)])
    out = [(Unit(f"{cell_id}#comment", "\n".join(texts)), s, e, "comment") for s, e, texts in _comment_blocks(source)]
    out += [(Unit(f"{cell_id}#string", source[s:e]), s, e, "string") for s, e in _string_spans(source)]
    out += [(Unit(context, source[s:e]), s, e, "string") for s, e, context in flow.spans.get(cell_id, [])]
    return sorted(out, key=lambda item: item[1])


def code_flow(nb) -> Flow:
    """The flow of a notebook's code cells (notebook_flow), keyed by their contexts (cell_context)."""
    return notebook_flow([(cell_context(c), c.source) for c in nb.cells if c.cell_type == "code"])


def _figure_meta(cell) -> dict[str, tuple[dict, str]]:
    meta = cell.metadata.get("mystnb", {})
    places = {"caption": (meta.get("figure", {}), "caption"), "alt": (meta.get("image", {}), "alt")}
    return {kind: (holder, key) for kind, (holder, key) in places.items() if isinstance(holder.get(key), str)}


def cell_context(cell) -> str:
    """The context of a code cell's units: its id, or ``install`` for the install cell all notebooks share."""
    return "install" if is_install_cell(cell) else cell.id


def notebook_units(nb) -> list[Unit]:
    """Every translation unit of a notebook, in reading order, each once."""
    units: list[Unit] = []
    flow = code_flow(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            units.append(Unit(cell.id, cell.source))
        elif cell.cell_type == "code":
            units += [u for u, _, _, _ in code_units(cell_context(cell), cell.source, flow)]
            units += [Unit(f"{cell.id}#{kind}", holder[key]) for kind, (holder, key) in _figure_meta(cell).items()]
    return list(dict.fromkeys(units))


def translate_code(cell_id: str, source: str, lookup: Lookup, flow: Flow | None = None) -> str:
    """A code cell with its comments and shown strings replaced by their translations."""
    lines = source.split("\n")
    starts = _offsets(source)
    for unit, start, end, kind in reversed(code_units(cell_id, source, flow)):
        new = lookup(unit)
        if kind == "comment":
            row = max(i for i, s in enumerate(starts) if s <= start)
            indent = " " * (start - starts[row]) if not lines[row][:start - starts[row]].strip() else None
            joiner = "\n" + indent if indent is not None else " "
            new = joiner.join("# " + text if text else "#" for text in new.split("\n"))
        source = source[:start] + new + source[end:]
    return source


def translate_notebook(nb, lookup: Lookup):
    """A copy of ``nb`` with every unit replaced by ``lookup(unit)`` (code, outputs and ids untouched)."""
    import copy

    out = copy.deepcopy(nb)
    flow = code_flow(nb)
    for cell in out.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            cell.source = lookup(Unit(cell.id, cell.source))
        elif cell.cell_type == "code":
            for kind, (holder, key) in _figure_meta(cell).items():
                holder[key] = lookup(Unit(f"{cell.id}#{kind}", holder[key]))
            cell.source = translate_code(cell_context(cell), cell.source, lookup, flow)
    return out


def _page_blocks(text: str) -> list[tuple[int, int]]:
    """(first line, end line) of every top-level Markdown block."""
    parser = markdown_it.MarkdownIt("commonmark")
    return [tuple(tok.map) for tok in parser.parse(text) if tok.level == 0 and tok.map and tok.nesting >= 0]


def page_units(text: str) -> list[Unit]:
    """Every top-level block of a Markdown page as a unit (context ``page``), each once."""
    lines = text.split("\n")
    return list(dict.fromkeys(Unit("page", "\n".join(lines[a:b]).rstrip("\n")) for a, b in _page_blocks(text)))


def translate_page(text: str, lookup: Lookup) -> str:
    """The Markdown page with every top-level block replaced by its translation."""
    lines = text.split("\n")
    for a, b in reversed(_page_blocks(text)):
        english = "\n".join(lines[a:b]).rstrip("\n")
        lines[a:a + len(english.split("\n"))] = lookup(Unit("page", english)).split("\n")
    return "\n".join(lines)
