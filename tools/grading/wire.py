"""Plain data between the sandbox and the grader: JSON, with NumPy arrays as .npy without pickles.

``encode`` turns an answer into JSON-safe data: numbers, strings, tuples, lists, dicts, arrays,
tensors, standard ``torch.nn`` modules (``torch.save`` bytes, loaded back with
``weights_only=True`` and only torch.nn's classes allowed), and, for anything callable, a handle
the grader calls back through the sandbox (a module of a class the notebook defines: a handle
for its forward, plus its layers). ``decode`` never runs code from the other side.
Introduced in chapters/instructor_guide.
"""
from __future__ import annotations

import base64
import io
import re

import numpy as np

MAX_DEPTH, MAX_ITEMS = 8, 100_000


def _npy(array: np.ndarray) -> str:
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array), allow_pickle=False)
    return base64.b64encode(buf.getvalue()).decode()


def _from_npy(text: str) -> np.ndarray:
    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def _custom_classes(module) -> list[str]:
    """Names of the module classes in ``module`` that are not torch.nn's own."""
    return sorted({type(m).__name__ for m in module.modules() if not type(m).__module__.startswith("torch.nn.")})


def encode(value, handles: list, depth: int = 0):
    """``value`` as JSON-safe data; callables are appended to ``handles`` and sent as their index."""
    import torch

    if depth > MAX_DEPTH:
        return {"$": "opaque", "type": "nested too deep"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and type(value) in (int, float):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return {"$": "npscalar", "npy": _npy(np.asarray(value))}
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf" and value.size <= MAX_ITEMS * 10:
        return {"$": "ndarray", "npy": _npy(value)}
    if isinstance(value, torch.Size):
        return {"$": "size", "items": [int(v) for v in value]}
    if isinstance(value, torch.Tensor):
        try:
            return {"$": "tensor", "npy": _npy(value.detach().cpu().numpy())}
        except (TypeError, RuntimeError):
            return {"$": "opaque", "type": f"tensor of {value.dtype}"}
    if isinstance(value, torch.nn.Module):
        custom = _custom_classes(value)
        if custom and type(value).__module__.startswith("torch.nn."):
            return {"$": "opaque", "type": f"torch.nn module holding classes defined in the notebook ({custom[0]})"}
        if custom:  # a class the student wrote: its forward runs in the sandbox, its layers come over
            handles.append(value)
            handle = len(handles) - 1
            return {"$": "custom_module", "id": handle, "name": type(value).__name__[:80],
                    "children": [[n, encode(c, handles, depth + 1)] for n, c in value.named_children()],
                    "parameters": [[n, encode(t.detach(), handles, depth + 1)]
                                   for n, t in value.named_parameters(recurse=False)]}
        buf = io.BytesIO()
        torch.save(value, buf)
        return {"$": "module", "bytes": base64.b64encode(buf.getvalue()).decode()}
    if isinstance(value, (tuple, list)) and len(value) <= MAX_ITEMS:
        return {"$": type(value).__name__ if type(value) in (tuple, list) else "list",
                "items": [encode(v, handles, depth + 1) for v in value]}
    if isinstance(value, dict) and len(value) <= MAX_ITEMS and all(isinstance(k, str) for k in value):
        return {"$": "dict", "items": [[k, encode(v, handles, depth + 1)] for k, v in value.items()]}
    if callable(value) and not isinstance(value, type):
        handles.append(value)
        return {"$": "function", "id": len(handles) - 1, "name": str(getattr(value, "__name__", "function"))[:80]}
    return {"$": "opaque", "type": type(value).__name__[:80]}


def _module(data: str):
    """A standard torch.nn module from its ``torch.save`` bytes, with only torch.nn's classes allowed."""
    import torch

    classes = [c for c in vars(torch.nn).values() if isinstance(c, type) and issubclass(c, torch.nn.Module)]
    with torch.serialization.safe_globals(classes):
        return torch.load(io.BytesIO(base64.b64decode(data)), weights_only=True)


class Opaque:
    """Stands for an answer of a kind the grader does not transfer (its type name only)."""

    def __init__(self, kind: str):
        self.kind = re.sub(r"[^\w .-]", "", str(kind))[:80]

    def __repr__(self) -> str:
        return f"<a {self.kind} from the submission>"


def decode(data, function=None, depth: int = 0, module=None):
    """The value ``encode`` described; ``function(id, name)`` makes the stand-in for a callable and
    ``module(id, name, children, parameters)`` the one for an nn.Module of a class the notebook defines."""
    import torch

    if depth > MAX_DEPTH + 1:
        raise ValueError("data nested too deep")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        raise ValueError("a bare list is not valid data")
    kind = data.get("$")
    if kind in ("tuple", "list"):
        items = [decode(v, function, depth + 1, module) for v in data["items"][:MAX_ITEMS]]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        return {str(k): decode(v, function, depth + 1, module) for k, v in data["items"][:MAX_ITEMS]}
    if kind == "ndarray":
        return _from_npy(data["npy"])
    if kind == "npscalar":
        return _from_npy(data["npy"])[()]
    if kind == "tensor":
        return torch.from_numpy(_from_npy(data["npy"]).copy())
    if kind == "size":
        return torch.Size(int(v) for v in data["items"])
    if kind == "module":
        return _module(data["bytes"])
    if kind == "function" and function is not None:
        return function(int(data["id"]), str(data.get("name", "function")))
    if kind == "custom_module" and module is not None:
        children = {str(n): decode(c, function, depth + 1, module) for n, c in data["children"][:MAX_ITEMS]}
        parameters = {str(n): decode(t, function, depth + 1, module) for n, t in data["parameters"][:MAX_ITEMS]}
        return module(int(data["id"]), str(data.get("name", "Module")), children, parameters)
    return Opaque(data.get("type", "value"))
