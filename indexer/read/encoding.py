"""Bytes of unknown encoding -> str: byte-order marks, UTF-8, GB18030/GBK, BOM-less UTF-16, binary refusal.

Used by plain.py (.txt/.md) and html.py (which also passes the page's declared charset, via codec_for_label).
"""
from __future__ import annotations

import codecs
import re

from indexer.model import DocumentError

_BINARY = "not a text file (binary content)"  # the one message for binary content, whichever check finds it

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 starts with the UTF-16 LE mark
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0/C1 controls that never occur in real text (TAB, LF, VT, FF, CR and the DOS end-of-file mark do).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
# Characters of ordinary Chinese or English text; a wrong UTF-16 byte order or a binary file scores low.
_COMMON = re.compile(r"[\t\n\r\x20-\x7e\xa0-\xff\u2000-\u206f\u2460-\u24ff\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_GB_LABELS = {
    "gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "ms936", "windows-936", "csgb2312",
    "chinese", "iso-ir-58", "euc-cn", "gb18030",
}


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes of unknown encoding; returns (text, codec name).

    Order matters: a byte-order mark is certain; NUL bytes mean UTF-16 or binary (UTF-8 and GB18030 would
    accept them silently); valid UTF-8 is almost never an accident, so it beats a (often wrong) declared
    charset; GB18030 covers GB2312 and GBK.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            decoded = _decode_tolerantly(data[len(bom):], [encoding.removesuffix("-sig")])
            if decoded is None:
                raise DocumentError(f"damaged text file (invalid {encoding} after the byte-order mark)")
            return _not_binary(decoded[0]), encoding
    if b"\x00" in data:
        guessed = _guess_utf16(data)
        if guessed is None:
            raise DocumentError(_BINARY)
        return _not_binary(guessed[0]), guessed[1]
    decoded = _decode_tolerantly(data, list(dict.fromkeys(c for c in ("utf-8", declared, "gb18030") if c)))
    if decoded is not None:
        return _not_binary(decoded[0]), decoded[1]
    if len(_CONTROL.findall(data.decode("latin-1"))) > len(data) * 0.01:
        raise DocumentError(_BINARY)
    raise DocumentError("unknown text encoding (not UTF-8, UTF-16 or GB18030/GBK)")


def _decode_tolerantly(data: bytes, codecs_to_try: list[str]) -> tuple[str, str] | None:
    """The first codec that decodes strictly; failing that, two kinds of damage are tolerated rather than
    rejected: a file cut inside its last character (the partial character is dropped), and a long text with
    a few stray bytes (at most one per 1000 bytes, each shown as U+FFFD)."""
    for cut in range(min(4, len(data))):  # 0: the whole file; 1-3: without a character cut off at the end
        for encoding in codecs_to_try:
            try:
                return data[:len(data) - cut].decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    errors, encoding = min((_count_errors(data, c), c) for c in codecs_to_try)
    if errors <= len(data) // 1000:
        return data.decode(encoding, errors="replace"), encoding
    return None


def _guess_utf16(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16: ASCII characters put NUL bytes on one side of each pair; choose the byte order whose
    decoding looks like ordinary text."""
    best: tuple[float, str, str] | None = None
    data = data[:len(data) - len(data) % 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not text:
            continue
        share = 1 - len(_COMMON.sub("", text)) / len(text)
        if share >= 0.9 and (best is None or share > best[0]):
            best = (share, text, encoding)
    return None if best is None else (best[1], best[2])


def _count_errors(data: bytes, encoding: str) -> int:
    """Invalid sequences met when decoding (each becomes one U+FFFD under errors="replace")."""
    return data.decode(encoding, errors="replace").count("\ufffd")


def _not_binary(text: str) -> str:
    """Refuse decoded text that is mostly control characters: it was a binary file with a text suffix."""
    if len(_CONTROL.findall(text)) > len(text) * 0.01:
        raise DocumentError(_BINARY)
    return text


def codec_for_label(label: str) -> str | None:
    """A declared HTML charset as a Python codec: GB labels widen to GB18030 (what browsers do), Latin-1 to
    cp1252, and UTF-16 declarations are ignored (the bytes were already read as ASCII to find them)."""
    label = label.strip().lower()
    if label in _GB_LABELS:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None
    if name == "utf-8-sig":
        return "utf-8"
    if name in ("latin-1", "iso8859-1"):
        return "cp1252"
    return name
