"""Clause tree of a plan's body from its numbering (一、 / （一） / 1. / （1） / ①).

Input: normalised paragraphs from indexer/normalize.py; output: `Clause` nodes that indexer/entries.py
flattens into entries. Levels are not fixed per marker style: the first style met is the top level and
each new style nests under the current clause, which is how real plans mix 一、/（一）/1. freely.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.actors import unit_line
from indexer.annotations import only_note
from indexer.patterns import MARKERS, cn_to_int


def match_marker(line: str) -> tuple[str, str, int, str] | None:
    """(style, label, value, rest) when the line opens with a clause number, else None."""
    for style, pattern in MARKERS:
        m = pattern.match(line)
        if m:
            n = m.group("n")
            rest = line[m.end():]
            if not rest.strip():
                return None
            return style, n, cn_to_int(n), rest
    return None


def label_of(style: str, n: str) -> str:
    """A readable, stable label for ids and citations: 一 / (一) / 1 / (1) / ①."""
    if style in {"pcn", "pnum"}:
        return f"({n})"
    return n


@dataclass
class Clause:
    """A numbered item of the body. `text` is what follows the number; `paragraphs` are unnumbered
    paragraphs that belong to it (a heading's body, e.g. "一、总体要求" + its paragraph)."""

    style: str
    label: str
    value: int
    text: str
    children: list[Clause] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)  # unnumbered paragraphs after this clause's own text

    @property
    def title(self) -> str:
        """The short title: text before the first 。 (the whole text for a bare heading)."""
        return re.split(r"[。；]", self.text, maxsplit=1)[0].strip()

    @property
    def is_bare_heading(self) -> bool:
        body = self.text.strip().rstrip("。")
        return "。" not in body and len(body) <= 45 and not self.paragraphs

    @property
    def full_text(self) -> str:
        return "".join([self.text, *self.paragraphs])


@dataclass
class Outline:
    preamble: list[str] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)


def _plausible_next(stack: list[Clause], style: str, value: int, last_seen: dict[str, int]) -> bool:
    """A marker continues the numbering when it is the next value of its style, or a first item (1 / 一).

    Some plans number （一）…（十三） straight through all 一、二、 sections, so a style met again under
    a new parent may also continue from the last value it had anywhere. This keeps "2020年…" or a stray
    "5、" inside running text from being read as a new clause.
    """
    for node in reversed(stack):
        if node.style == style:
            return value == node.value + 1 or value == 1
    return value in (1, 2) or value == last_seen.get(style, -9) + 1


# Lines that go on enumerating inside a clause ("一是…；二是…", "第一，…", "首先…"), not paragraphs of their own.
_ENUMERATION = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}[条项]|(?:第|其)[一二三四五六七八九十]{1,3}[，,、：:]"
    r"|首先|其次|再次|最后[，,])")


def _continues(node: Clause, line: str) -> bool:
    """An unnumbered line that belongs to the clause above: an enumeration item, or what its colon announces."""
    if node.loose:
        return False
    last = (node.paragraphs[-1] if node.paragraphs else node.text).rstrip()
    return bool(_ENUMERATION.match(line)) or last.endswith(("：", ":"))


def _attach(top: Clause, line: str) -> None:
    """An unnumbered line under clause `top`: its unit line, a paragraph of its own text, or a loose one."""
    if unit_line(line) or only_note(line):  # "县教育局牵头落实", "（牵头单位：县财政局）": the item's above
        if top.loose:
            top.loose[-1] += line
        else:
            top.paragraphs.append(line)
    elif top.is_bare_heading and not top.children or _continues(top, line):
        top.paragraphs.append(line)
    else:
        top.loose.append(line)


def parse_outline(lines: list[str]) -> Outline:
    """Body paragraphs -> clause tree; paragraphs before the first number are the preamble."""
    outline = Outline()
    stack: list[Clause] = []
    last_seen: dict[str, int] = {}
    for line in lines:
        marker = match_marker(line)
        if marker and not _plausible_next(stack, marker[0], marker[2], last_seen):
            marker = None
        if marker and marker[0] == "art" and stack and all(n.style != "art" for n in stack):
            marker = None  # "第一条…" listed inside a clause of a plan numbered 一、/（一）: part of that clause
        if marker is None:
            if stack:
                _attach(stack[-1], line)
            elif outline.preamble and (unit_line(line) or only_note(line)):  # the units of the paragraph above
                outline.preamble[-1] += line
            else:
                outline.preamble.append(line)
            continue
        style, n, value, rest = marker
        last_seen[style] = value
        node = Clause(style=style, label=label_of(style, n), value=value, text=rest.strip())
        while stack and any(s.style == style for s in stack):
            if stack.pop().style == style:
                break
        if stack:
            stack[-1].children.append(node)
        else:
            outline.clauses.append(node)
        stack.append(node)
    return outline
