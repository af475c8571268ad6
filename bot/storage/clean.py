"""Text at the storage boundary: lone UTF-16 surrogates found and replaced before anything is written.

A JSON body may carry "\\ud800" (valid JSON, invalid text); such a str cannot be encoded as UTF-8, so
SQLite and PostgreSQL both refuse it. The web API rejects it with 400 (bot/channels/web/api.py uses
`find_surrogate`); everything logged goes through `clean` so one odd value can never stop the log.
"""
from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # PostgreSQL text cannot hold NUL either
REPLACEMENT = "\ufffd"


def clean(value: Any) -> Any:
    """`value` with every lone surrogate (and NUL) replaced by U+FFFD when it is a str; anything else as it is."""
    if isinstance(value, str) and _UNSTORABLE.search(value):
        return _UNSTORABLE.sub(REPLACEMENT, value)
    return value


def clean_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(clean(v) for v in row)


def find_surrogate(data: Any) -> str | None:
    """The dotted path of the first str (value or key) holding a lone surrogate in decoded JSON, else None.

    Iterative, so JSON nested as deep as the decoder allows cannot exhaust the stack here."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return clean(path) or "body"
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                here = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and _SURROGATE.search(key):
                    return clean(here)
                stack.append((item, here))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in reversed(list(enumerate(value))))
    return None
