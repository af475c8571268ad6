"""Plain objects to JSON and back, without pickle: the data form of the index's small parts.

The query rewriter (bot/language/rewrite/), the department directory, the suggestions and document records are
graphs of plain classes holding dicts, tuples, frozensets, bytes and arrays. `dumps` turns such a graph
into JSON with type tags (`{"$t": [...]}` a tuple, `{"$o": "Class", "v": {...}}` an object,
`{"$r": n}` the n-th object again, so objects shared inside the graph stay shared); `loads` rebuilds it
while the JSON parser runs (an object hook), so reading costs little more than `json.loads`.
Reading runs no code from the file: a tagged object may only be an instance of a class defined in one
of the `STORED_MODULES` of this project, found by its bare class name (created with `object.__new__`, its
attributes set from the data; no constructor, `__setstate__` or `__reduce__` is ever called), and
anything else is a `DataFormError`. The stored data names classes, never module paths, so moving a
module does not invalidate an index (the code fingerprint decides that).
Neighbours: bot/index/files.py writes and reads the index directory with this; the large parts
(entries, postings) are numpy arrays there, not data forms.
"""
from __future__ import annotations

import array
import base64
import importlib
import json
import pkgutil
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

# The only modules whose classes a data form may name (a name ending in "." takes the whole package).
# Class names are unique across them (checked when the table is made).
STORED_MODULES: tuple[str, ...] = ("bot.language.rewrite.", "bot.language.departments", "bot.language.tokenizer",
                                   "bot.index.search_index", "bot.index.files")
_PLAIN = (type(None), bool, int, float, str)


class DataFormError(ValueError):
    """The data does not describe an object this project can rebuild (damaged or foreign file)."""


def dumps(obj: Any) -> str:
    """The JSON data form of `obj`."""
    return json.dumps(_Encoder().encode(obj), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """The object graph `dumps` wrote; DataFormError on anything it did not write."""
    try:
        return json.loads(text, object_hook=_Hook())
    except DataFormError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise DataFormError(f"not a data form: {exc}") from None


def to_data(obj: Any) -> Any:
    """JSON-ready values (what `dumps` serialises)."""
    return _Encoder().encode(obj)


def from_data(data: Any) -> Any:
    """`loads` of already parsed JSON values."""
    return loads(json.dumps(data, ensure_ascii=False))


class _Encoder:
    """Objects get their reference number after their attributes are encoded (post-order), the order
    in which the parser completes them when reading."""

    def __init__(self) -> None:
        self.memo: dict[int, int] = {}
        self.keep: list[Any] = []  # keeps ids valid while encoding
        self.open: set[int] = set()

    def encode(self, obj: Any) -> Any:
        if isinstance(obj, _PLAIN):
            return obj
        if isinstance(obj, list):
            return [self.encode(v) for v in obj]
        for kind, encoder in _ENCODERS:
            if isinstance(obj, kind):
                return encoder(self, obj)
        return self.encode_object(obj)

    def encode_object(self, obj: Any) -> Any:
        seen = self.memo.get(id(obj))
        if seen is not None:
            return {"$r": seen}
        cls = type(obj)
        name = cls.__qualname__
        if stored_classes().get(name) is not cls or not hasattr(obj, "__dict__"):
            raise DataFormError(f"{cls.__module__}:{name} has no data form "
                                f"(allowed: classes of {', '.join(STORED_MODULES)})")
        if id(obj) in self.open:
            raise DataFormError(f"{name} contains itself: cycles have no data form")
        self.open.add(id(obj))
        attrs = {k: self.encode(v) for k, v in vars(obj).items()}
        self.open.discard(id(obj))
        self.memo[id(obj)] = len(self.keep)
        self.keep.append(obj)
        return {"$o": name, "v": attrs}


def _encode_dict(enc: _Encoder, obj: dict) -> Any:
    if all(isinstance(k, str) and not k.startswith("$") for k in obj):
        return {"$m": {k: enc.encode(v) for k, v in obj.items()}}
    return {"$d": [[enc.encode(k), enc.encode(v)] for k, v in obj.items()]}


def _encode_array(enc: _Encoder, obj: np.ndarray) -> Any:
    if obj.dtype.hasobject:
        raise DataFormError("object arrays have no data form")
    return {"$n": [obj.dtype.str, list(obj.shape), _b64(np.ascontiguousarray(obj).tobytes())]}


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


# (type, encoder) in the order tried; objects of this project's classes are handled after these
_ENCODERS: tuple[tuple[type | tuple[type, ...], Any], ...] = (
    (tuple, lambda enc, obj: {"$t": [enc.encode(v) for v in obj]}),
    (frozenset, lambda enc, obj: {"$f": [enc.encode(v) for v in _sorted(obj)]}),
    (set, lambda enc, obj: {"$s": [enc.encode(v) for v in _sorted(obj)]}),
    (dict, _encode_dict),
    ((bytes, bytearray), lambda enc, obj: {"$b": _b64(bytes(obj))}),
    (array.array, lambda enc, obj: {"$a": [obj.typecode, _b64(obj.tobytes())]}),
    (np.ndarray, _encode_array),
    (np.generic, lambda enc, obj: obj.item()),
)


def _sorted(items: Any) -> list:
    try:
        return sorted(items)
    except TypeError:  # mixed types: any stable order will do
        return sorted(items, key=repr)


class _Hook:
    """json object_hook: each tagged dict becomes its value as the parser completes it (bottom-up)."""

    def __init__(self) -> None:
        self.objects: list[Any] = []

    def __call__(self, d: dict) -> Any:
        if len(d) != 1:
            # a plain dict ("$m" payload, an object's attributes, the outer table) or an object
            return self._object(d) if "$o" in d else d
        items = d.get("$t")  # by far the most frequent tag: first, and without unpacking
        if items is not None:
            return tuple(items)
        (tag, value), = d.items()
        if not tag.startswith("$"):
            return d
        if tag == "$r":
            if type(value) is not int or not 0 <= value < len(self.objects):
                raise DataFormError(f"reference to unknown object {value!r}")
            return self.objects[value]
        decoder = _DECODERS.get(tag)
        if decoder is None:
            raise DataFormError(f"unknown tag {tag!r}")
        return decoder(value)

    def _object(self, d: dict) -> Any:
        name, attrs = d.get("$o"), d.get("v")
        if len(d) != 2 or not isinstance(name, str) or not isinstance(attrs, dict):
            raise DataFormError("a tagged object needs a class name and its attributes")
        cls = stored_classes().get(name)
        if cls is None:
            raise DataFormError(f"{name} is not a class this project stores")
        obj: Any = object.__new__(cls)
        obj.__dict__.update(attrs)
        self.objects.append(obj)
        return obj


def _decode_mapping(value: Any) -> dict:
    if not isinstance(value, dict):
        raise DataFormError("$m needs a JSON object")
    return value


def _decode_array(value: list) -> np.ndarray:
    dtype = np.dtype(value[0])
    if dtype.hasobject:
        raise DataFormError("object arrays have no data form")
    return np.frombuffer(base64.b64decode(value[2]), dtype=dtype).reshape(value[1]).copy()


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "$m": _decode_mapping,
    "$f": frozenset,
    "$s": set,
    "$d": lambda pairs: {k: v for k, v in pairs},
    "$b": base64.b64decode,
    "$a": lambda value: array.array(value[0], base64.b64decode(value[1])),
    "$n": _decode_array,
}


def _modules() -> list[str]:
    names: list[str] = []
    for m in STORED_MODULES:
        if not m.endswith("."):
            names.append(m)
            continue
        package = importlib.import_module(m[:-1])
        names += [f"{m}{info.name}" for info in pkgutil.iter_modules(package.__path__)]
    return names


@cache
def stored_classes() -> dict[str, type]:
    """Bare class name -> class, for every top-level class of the stored modules (imported once)."""
    table: dict[str, type] = {}
    for module_name in _modules():
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module_name:
                if table.get(value.__qualname__, value) is not value:
                    raise DataFormError(f"two stored classes are named {value.__qualname__}")
                table[value.__qualname__] = value
    return table
