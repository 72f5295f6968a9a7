"""The Japanese notebooks under `make test` replay the English notebooks' training instead of repeating it.

Each Japanese notebook is the English program with other comments and strings
(tests/test_ja_edition.py proves it cell by cell), so its training calls get exactly the
English run's inputs and would compute exactly its results. Training is most of the notebooks'
time, and running it twice would put `make test` over its budget. With ``TCONV_REPLAY_DIR`` set,
this IPython extension (loaded by the test kernel, tools/test_wheel.py) wraps the library's
training functions:

* in an English notebook (``get_language() == "en"``) every call computes for real and records
  what it changed: the state of every module and optimizer among the arguments, the global generators
  of PyTorch, NumPy and Python that the call drew from, and the return value;
* in a Japanese notebook a call whose inputs have the same fingerprint as a recorded call
  (function, every argument by value, thread count; and the state of each global generator the
  recorded call drew from) loads that record instead of computing; without
  one it computes (it waits while an English kernel is computing the same call).

So nbval still compares every output of every Japanese notebook, and the English notebooks
still train for real. Nothing here ships in tconv_lib, and without TCONV_REPLAY_DIR it does nothing.
"""
from __future__ import annotations

import fcntl
import hashlib
import io
import os
import pickle
import random
import threading
import types
from pathlib import Path

TARGETS = [("tconv_lib.upsampling.upsamplers", "train_upscaler"), ("tconv_lib.real_models.stacks", "stack_scores"),
           ("tconv_lib.gan.training", "train_dcgan"), ("tconv_lib.real_models.denoising", "train_denoiser")]
_inside = threading.local()


class Unhashable(Exception):
    """An argument this module cannot fingerprint by value (a lambda, an unknown object): no replay."""


class _Walk:
    """Fingerprints a call's inputs by value and numbers every mutable object reachable from them."""

    def __init__(self) -> None:
        self.hash, self.objects, self.seen = hashlib.sha256(), [], {}

    def add(self, obj) -> None:  # noqa: C901 (one case per kind of value)
        import numpy as np
        import torch

        h = self.hash
        if obj is None or isinstance(obj, (bool, int, float, complex, str, bytes, torch.dtype, torch.device)):
            h.update(f"{type(obj).__name__}:{obj!r};".encode())
            return
        if id(obj) in self.seen:
            h.update(f"ref:{self.seen[id(obj)]};".encode())
            return
        self.seen[id(obj)] = len(self.objects)
        self.objects.append(obj)
        h.update(f"{type(obj).__module__}.{type(obj).__qualname__}:".encode())
        if isinstance(obj, torch.Tensor):
            h.update(f"{obj.dtype}{tuple(obj.shape)}{obj.requires_grad}".encode())
            h.update(obj.detach().cpu().contiguous().view(-1).view(torch.uint8).numpy().tobytes())
        elif isinstance(obj, np.ndarray):
            h.update(f"{obj.dtype}{obj.shape}".encode() + np.ascontiguousarray(obj).tobytes())
        elif isinstance(obj, torch.Generator):
            self.add(obj.get_state())
        elif isinstance(obj, torch.optim.Optimizer):
            self.add(obj.defaults)
            self.add(obj.param_groups)
            self.add(list(obj.state.items()))
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                self.add(item)
        elif isinstance(obj, (set, frozenset)):
            for item in sorted(obj, key=repr):
                self.add(item)
        elif isinstance(obj, dict):
            for key, value in obj.items():
                self.add(key)
                self.add(value)
        elif isinstance(obj, type):
            h.update(f"{obj.__module__}.{obj.__qualname__}".encode())
        elif isinstance(obj, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
            if "<" in obj.__qualname__:            # a lambda or a local function: its body is not in its name
                raise Unhashable(obj.__qualname__)
            h.update(f"{obj.__module__}.{obj.__qualname__}".encode())
            self.add(getattr(obj, "__self__", None) if isinstance(obj, types.MethodType) else None)
        elif hasattr(obj, "__dict__"):           # modules, datasets, plain objects: their attributes
            self.add(vars(obj))
        else:
            raise Unhashable(type(obj).__qualname__)
        h.update(b";")


def _side_states() -> dict:
    """PyTorch's, NumPy's and Python's global generators: seeded from the OS in every process, so they join a
    call's fingerprint only if the call draws from them (recorded by the English kernel, checked by the
    Japanese); a call that seeds its own generator (fork_rng, torch.Generator) does not depend on them."""
    import numpy as np
    import torch

    return {"torch": torch.get_rng_state().numpy().tobytes(), "numpy": pickle.dumps(np.random.get_state()),
            "random": pickle.dumps(random.getstate())}


def _set_side_state(name: str, state: bytes) -> None:
    import numpy as np
    import torch

    if name == "torch":
        torch.set_rng_state(torch.frombuffer(bytearray(state), dtype=torch.uint8))
    else:
        (np.random.set_state if name == "numpy" else random.setstate)(pickle.loads(state))


class _Pickler(pickle.Pickler):
    def __init__(self, file, live: dict) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.live = live

    def persistent_id(self, obj):
        return self.live.get(id(obj)) if not isinstance(obj, (str, int, float, bool, tuple, type(None))) else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, objects: list) -> None:
        super().__init__(file)
        self.objects_ = objects

    def persistent_load(self, pid):
        return self.objects_[pid]


def record(objects: list, result, before: dict) -> bytes:
    """What the call changed in its arguments and in the global generators, and its result."""
    import torch

    states = {i: ("module", {k: v.detach().clone() for k, v in o.state_dict().items()}, [m.training for m in o.modules()])
              for i, o in enumerate(objects) if isinstance(o, torch.nn.Module)}
    states |= {i: ("optimizer", o.state_dict()) for i, o in enumerate(objects) if isinstance(o, torch.optim.Optimizer)}
    after = _side_states()
    drawn = {name: (before[name], after[name]) for name in after if after[name] != before[name]}
    buffer = io.BytesIO()
    _Pickler(buffer, {id(o): i for i, o in enumerate(objects)}).dump((states, drawn, result))
    return buffer.getvalue()


def replay(objects: list, data: bytes):
    """Put the recorded changes into this call's arguments and return ``(True, recorded result)``;
    ``(False, None)`` when the call drew from a global generator that is in another state here."""
    states, drawn, result = _Unpickler(io.BytesIO(data), objects).load()
    now = _side_states()
    if any(now[name] != before for name, (before, _) in drawn.items()):
        return False, None
    for i, state in states.items():
        objects[i].load_state_dict(state[1])
        if state[0] == "module":
            for module, training in zip(objects[i].modules(), state[2]):
                module.training = training
    for name, (_, after) in drawn.items():
        _set_side_state(name, after)
    return True, result


def replayable(function, folder: Path):
    """``function`` recorded by English kernels and replayed by Japanese ones (see the module docstring)."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        import torch

        from tconv_lib.i18n import get_language

        if getattr(_inside, "active", False):
            return function(*args, **kwargs)
        walk = _Walk()
        try:
            walk.add((function.__module__, function.__qualname__, args, kwargs, torch.get_num_threads()))
        except Unhashable:
            return function(*args, **kwargs)
        key = folder / walk.hash.hexdigest()
        folder.mkdir(parents=True, exist_ok=True)
        with open(key.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)      # an English kernel holds it while it computes this call
            if get_language() != "en" and key.exists():
                replayed, result = replay(walk.objects, key.read_bytes())
                if replayed:
                    return result
            before = _side_states()
            _inside.active = True
            try:
                result = function(*args, **kwargs)
            finally:
                _inside.active = False
            if get_language() == "en":
                partial = key.with_suffix(f".{os.getpid()}")
                partial.write_bytes(record(walk.objects, result, before))
                partial.replace(key)
            return result

    return wrapper


def load_ipython_extension(ipython) -> None:
    """Wrap TARGETS wherever tconv_lib binds them, before the notebook imports anything."""
    import importlib
    import sys

    if not os.environ.get("TCONV_REPLAY_DIR"):
        return
    folder = Path(os.environ["TCONV_REPLAY_DIR"])
    for module_name, name in TARGETS:
        original = getattr(importlib.import_module(module_name), name)
        wrapped = replayable(original, folder)
        for module in [m for n, m in list(sys.modules.items()) if n.startswith("tconv_lib") and m is not None]:
            if getattr(module, name, None) is original:
                setattr(module, name, wrapped)
