"""WordprocessingML names shared by the Word body reader (docx.py) and the list numbering (numbering.py).

Both walk the raw XML (lxml elements from python-docx) rather than python-docx's objects, so they need the
w: namespace in Clark notation ("{uri}tag") and a way to read an element's w:val.
"""
from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def w_val(element: Any, path: str) -> str | None:
    """The w:val attribute of the first `path` under `element`; None when either is missing."""
    found = element.find(path) if element is not None else None
    return None if found is None else found.get(f"{W}val")
