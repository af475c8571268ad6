"""The header of a flattened task table: where it stands in the text, its words, and the column layout.

A header is 序号/编号 followed by column words (tables.py's vocabulary in indexer/patterns.py), separated by
spaces or joined with nothing ("序号工作任务责任单位完成时限"). Used by indexer/flat_tables/lines.py to find
tables and by rows.py to lay the recovered cells out in the header's columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.patterns import HEADER_WORDS
from indexer.tables import cell_role, header_roles

_WORDS = sorted({w for words in HEADER_WORDS.values() for w in words}, key=len, reverse=True)
_WORD = "|".join(r"[ ]?".join(map(re.escape, w)) for w in _WORDS)
_GLUED_HEADER = re.compile(rf"(?:序[ ]?号|编[ ]?号)(?:{_WORD})+")
_HEADER_WORD = re.compile(_WORD)
_SPACED_WORD = re.compile(r"[ \n]+(\S{1,10})(?=\s|$)")
HEADER_HINT = re.compile(r"序[ ]?号|编[ ]?号")


def plain_text(line: str) -> str:
    line = line.replace("\u00a0", " ").replace("\u3000", " ").replace("\u200b", "").replace("\ufeff", "")
    line = re.sub(r"</?[a-zA-Z][^>]*>", " ", line)
    return re.sub(r"[ \r\f\v]+", " ", line.replace("**", "")).strip()


@dataclass
class Header:
    start: int
    end: int
    words: list[str]
    spaced: bool  # its words (and so the table's cells) are separated by spaces


def header_at(text: str, start: int) -> Header | None:
    """The task-table header that opens at `start` (on 序号/编号): words separated by spaces, each naming a
    column (by containment, as for TAB headers: "主要任务"), or known words joined with nothing."""
    first = re.match(r"序[ ]?号|编[ ]?号", text[start:])
    if first is None:
        return None
    words, pos = [re.sub(r"\s+", "", first.group(0))], start + first.end()
    while True:
        m = _SPACED_WORD.match(text, pos)
        if m is None or not cell_role(m.group(1)):
            break
        words.append(m.group(1))
        pos = m.end()
    if len(words) >= 3 and header_roles(words):
        return Header(start, pos, words, True)
    m = _GLUED_HEADER.match(text, start)
    if m:
        words = [re.sub(r"\s+", "", w) for w in _HEADER_WORD.findall(m.group(0))]
        if len(words) >= 3 and header_roles(words):
            return Header(start, m.end(), words, False)
    return None


def find_headers(text: str) -> list[Header]:
    found: list[Header] = []
    for m in HEADER_HINT.finditer(text):
        if found and m.start() < found[-1].end:
            continue
        header = header_at(text, m.start())
        if header:
            found.append(header)
    return found


@dataclass
class Layout:
    """The header's columns: number, body (task levels + requirement) and the trailing units/deadline ones."""

    number_word: str
    body_words: list[str]
    tail: list[tuple[str, str]]  # (role, header word) of units / deadline columns, in order
    spaced: bool  # cells are separated by spaces (else joined with nothing)
    headings: list[tuple[re.Pattern[str], int]] = field(default_factory=list)  # see heading_patterns
    unit_columns: int = field(init=False)

    def __post_init__(self) -> None:
        self.unit_columns = sum(1 for role, _ in self.tail if role == "units")

    @property
    def peel_order(self) -> list[str]:
        """Roles to peel from a row's end: "deadline" / "units" (several unit columns peel as one)."""
        order: list[str] = []
        for role, _ in reversed(self.tail):
            if not order or order[-1] != role:
                order.append(role)
        return order


def layout_of(words: list[str], spaced: bool) -> Layout | None:
    roles = header_roles(words)
    if roles is None or roles[0] != "number":
        return None
    body = [w for w, r in zip(words, roles, strict=True) if r in {"task", "text"}]
    tail = [(r, w) for w, r in zip(words, roles, strict=True) if r in {"units", "deadline"}]
    if not body or not tail:
        return None
    return Layout(number_word=words[0], body_words=body, tail=tail, spaced=spaced)
