"""Plain objects to JSON and back, without pickle: the data form of the index's small parts.

The query rewriter (bot/rewrite/), the department directory, the suggestions and document records are
graphs of plain classes holding dicts, tuples, frozensets, bytes and arrays. `to_data` turns such a
graph into JSON-ready values with type tags; `from_data` rebuilds it. Reading runs no code from the
file: a tagged object may only be an instance of a class defined in one of the `ALLOWED_MODULES` of
this project (imported by name, created with `object.__new__`, its attributes set from the data; no
constructor, `__setstate__` or `__reduce__` is ever called), and anything else is a `DataFormError`.
Neighbours: bot/index_files.py writes and reads the index directory with this; the large parts
(entries, postings) are numpy arrays there, not data forms.
"""
from __future__ import annotations

import array
import base64
import importlib
from typing import Any

import numpy as np

# The only modules whose classes a data form may name. Our own code, imported by module name only.
ALLOWED_MODULES: tuple[str, ...] = ("bot.rewrite.", "bot.departments", "bot.text", "bot.index", "bot.index_files")


class DataFormError(ValueError):
    """The data does not describe an object this project can rebuild (damaged or foreign file)."""


def to_data(obj: Any) -> Any:
    """JSON-ready values with type tags (`{"$t": [...]}` a tuple, `{"$o": "module:Class", "v": {...}}` an
    object, `{"$r": n}` the n-th object again: objects shared inside the graph stay shared)."""
    return _Encoder().encode(obj)


def from_data(data: Any) -> Any:
    """The object graph `to_data` described; raises DataFormError on anything it did not write."""
    return _Decoder().decode(data)


class _Encoder:
    def __init__(self) -> None:
        self.memo: dict[int, int] = {}
        self.keep: list[Any] = []  # keeps ids valid while encoding

    def encode(self, obj: Any) -> Any:  # noqa: C901 - one flat dispatch over the supported types
        to_data = self.encode
        if obj is None or isinstance(obj, bool | int | float | str):
            return obj
        if isinstance(obj, list):
            return [to_data(v) for v in obj]
        if isinstance(obj, tuple):
            return {"$t": [to_data(v) for v in obj]}
        if isinstance(obj, frozenset | set):
            tag = "$f" if isinstance(obj, frozenset) else "$s"
            return {tag: [to_data(v) for v in _sorted(obj)]}
        if isinstance(obj, dict):
            if all(isinstance(k, str) for k in obj):
                return {"$m": {k: to_data(v) for k, v in obj.items()}}
            return {"$d": [[to_data(k), to_data(v)] for k, v in obj.items()]}
        if isinstance(obj, bytes | bytearray):
            return {"$b": base64.b64encode(bytes(obj)).decode("ascii")}
        if isinstance(obj, array.array):
            return {"$a": [obj.typecode, base64.b64encode(obj.tobytes()).decode("ascii")]}
        if isinstance(obj, np.ndarray):
            if obj.dtype.hasobject:
                raise DataFormError("object arrays have no data form")
            return {"$n": [obj.dtype.str, list(obj.shape), base64.b64encode(np.ascontiguousarray(obj).tobytes()).decode()]}
        if isinstance(obj, np.generic):
            return obj.item()
        return self.encode_object(obj)


    def encode_object(self, obj: Any) -> Any:
        seen = self.memo.get(id(obj))
        if seen is not None:
            return {"$r": seen}
        cls = type(obj)
        name = f"{cls.__module__}:{cls.__qualname__}"
        if not _allowed(cls.__module__) or not hasattr(obj, "__dict__"):
            raise DataFormError(f"{name} has no data form (allowed: classes of {', '.join(ALLOWED_MODULES)})")
        self.memo[id(obj)] = len(self.keep)
        self.keep.append(obj)
        return {"$o": name, "v": {k: self.encode(v) for k, v in vars(obj).items()}}


def _sorted(items: Any) -> list:
    try:
        return sorted(items)
    except TypeError:  # mixed types: any stable order will do
        return sorted(items, key=repr)


class _Decoder:
    def __init__(self) -> None:
        self.objects: list[Any] = []

    def decode(self, data: Any) -> Any:  # noqa: C901 - the mirror of _Encoder.encode
        from_data = self.decode
        if data is None or isinstance(data, bool | int | float | str):
            return data
        if isinstance(data, list):
            return [from_data(v) for v in data]
        if not isinstance(data, dict) or not data:
            raise DataFormError(f"unexpected value of type {type(data).__name__}")
        if "$r" in data:
            ref = data["$r"]
            if not isinstance(ref, int) or not 0 <= ref < len(self.objects):
                raise DataFormError(f"reference to unknown object {ref!r}")
            return self.objects[ref]
        if "$o" in data:
            return self.decode_object(data)
        if len(data) != 1:
            raise DataFormError(f"unexpected tags {sorted(data)[:3]}")
        tag, value = next(iter(data.items()))
        if tag == "$t":
            return tuple(from_data(v) for v in value)
        if tag == "$f":
            return frozenset(from_data(v) for v in value)
        if tag == "$s":
            return {from_data(v) for v in value}
        if tag == "$m":
            return {k: from_data(v) for k, v in value.items()}
        if tag == "$d":
            return {from_data(k): from_data(v) for k, v in value}
        if tag == "$b":
            return base64.b64decode(value)
        if tag == "$a":
            return array.array(value[0], base64.b64decode(value[1]))
        if tag == "$n":
            dtype = np.dtype(value[0])
            if dtype.hasobject:
                raise DataFormError("object arrays have no data form")
            return np.frombuffer(base64.b64decode(value[2]), dtype=dtype).reshape(value[1]).copy()
        raise DataFormError(f"unknown tag {tag!r}")


    def decode_object(self, data: dict) -> Any:
        name, attrs = data.get("$o"), data.get("v")
        if not isinstance(name, str) or ":" not in name or not isinstance(attrs, dict):
            raise DataFormError("a tagged object needs a class name and its attributes")
        module_name, qualname = name.split(":", 1)
        if not _allowed(module_name) or "." in qualname:
            raise DataFormError(f"{name} is not a class this project stores")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise DataFormError(f"{name} is not a class this project stores") from exc
        cls = getattr(module, qualname, None)
        if not isinstance(cls, type) or cls.__module__ != module_name:
            raise DataFormError(f"{name} is not a class this project stores")
        obj = object.__new__(cls)
        self.objects.append(obj)
        obj.__dict__.update({str(k): self.decode(v) for k, v in attrs.items()})
        return obj


def _allowed(module_name: str) -> bool:
    return any(module_name == m or (m.endswith(".") and module_name.startswith(m)) for m in ALLOWED_MODULES)
