"""Reader for .txt and .md files: decode (encoding.py) and fix line endings, nothing more.

The markdown is kept as markdown: indexer/normalize.py and the table parsers read its syntax.
"""
from __future__ import annotations

from indexer.model import DocumentError
from indexer.read.encoding import decode
from indexer.read.raw import RawText, fix_newlines


def read_plain(data: bytes, fmt: str) -> RawText:
    """.txt and .md: decode and fix line endings only; the normaliser and the markdown parser do the rest."""
    text, encoding = decode(data)
    text = fix_newlines(text)
    if not text.strip():
        raise DocumentError("empty file (only whitespace)")
    return RawText(text=text, format=fmt, encoding=encoding)
