"""Word's automatic list numbers (numbering.xml) -> the text Word shows in front of a paragraph: "一、", "（二）", "3. ".

docx.py asks DocxNumbering.label(paragraph) for every body and cell paragraph, in document order, because
plan clauses are often numbered by Word lists rather than typed numbers; indexer/outline.py then reads them.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from indexer.read.wordml import W, w_val

_CN_NUMERALS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_CJK_CLOSERS = tuple("、，。；：）】〕」』．")


def _chinese_count(n: int, digits: str = _CN_NUMERALS, ten: str = "十", hundred: str = "百") -> str:
    """Counting numerals as Word's chineseCounting shows them: 1 一, 10 十, 11 十一, 20 二十, 105 一百零五."""
    if n <= 0 or n >= 1000:
        return str(n)
    h, rest = divmod(n, 100)
    t, o = divmod(rest, 10)
    out = f"{digits[h]}{hundred}" if h else ""
    if t:
        out += ("" if t == 1 and not h else digits[t]) + ten
    elif h and o:
        out += "零"
    if o:
        out += digits[o]
    return out


def _letters(n: int) -> str:
    """Word's letter numbering: A..Z, then AA..ZZ, AAA.. (repeated letters, not base 26)."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    """Upper-case Roman numerals; Word's lowerRoman is this lower-cased."""
    out = ""
    for value, symbol in _ROMAN:
        while 0 < n and n >= value:
            out, n = out + symbol, n - value
    return out


def _cycle(n: int, cycle: str) -> str:
    return cycle[(n - 1) % len(cycle)] if n > 0 else str(n)


_COUNTING = ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
             "taiwaneseCountingThousand", "koreanCounting")
_DIGITAL = ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital")
# w:numFmt -> how Word shows a value in it (the formats Chinese government documents use, and the common rest).
_FORMATS: dict[str, Callable[[int], str]] = {
    **{fmt: _chinese_count for fmt in _COUNTING},
    "chineseLegalSimplified": lambda n: _chinese_count(n, _CN_LEGAL, "拾", "佰"),
    **{fmt: (lambda n: "".join(_CN_NUMERALS[int(d)] for d in str(n))) for fmt in _DIGITAL},
    "ideographTraditional": lambda n: _cycle(n, _TIANGAN),
    "ideographZodiac": lambda n: _cycle(n, _DIZHI),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: f"({n})",
    "decimalEnclosedFullstop": lambda n: f"{n}.",
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "decimalFullWidth2": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "none": lambda n: "",
}


def _format_number(n: int, fmt: str) -> str:
    """One level's value in a w:numFmt; unknown formats show the decimal value."""
    return _FORMATS.get(fmt, str)(n)


class DocxNumbering:
    """Word's automatic list numbers (w:numPr on a paragraph or its style) rendered as text.

    numbering.xml defines abstract lists (w:abstractNum: per level a start value, w:numFmt, w:lvlText such as
    "%1、" or "（%1）", w:lvlRestart) and list instances (w:num -> abstractNum, with w:lvlOverride). Counters are
    kept per list: instances of one abstract list continue each other's numbering, as in Word, unless an
    instance overrides a start value, which starts it afresh. Using a level restarts the levels below it.
    Bullets are not rendered: they are not clause numbers.
    """

    def __init__(self, numbering: Any, styles: Any) -> None:
        self.abstract: dict[str, dict[int, Any]] = {}
        self.abstract_links: dict[str, str] = {}  # abstractNumId -> style its definition lives in (numStyleLink)
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, Any]]] = {}
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.style_based: dict[str, str] = {}
        self.level_styles: dict[tuple[str, str], int] = {}  # (abstractNumId, styleId) -> ilvl
        self.default_style: str | None = None
        self.counters: dict[str, dict[int, int]] = {}
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    @classmethod
    def of(cls, document: Any) -> DocxNumbering | None:
        """The numbering of a python-docx Document, or None when it has no numbering part."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        part = document.part
        try:
            numbering = part.part_related_by(RT.NUMBERING).element
        except KeyError:
            return None
        try:
            styles = part.part_related_by(RT.STYLES).element
        except KeyError:
            styles = None
        try:
            return cls(numbering, styles)
        except (ValueError, TypeError, AttributeError):  # a malformed numbering part costs the numbers, not the text
            return None

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.iterchildren(f"{W}abstractNum"):
            aid = abstract.get(f"{W}abstractNumId") or ""
            levels: dict[int, Any] = {}
            for lvl in abstract.iterchildren(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl") or 0)
                levels[ilvl] = lvl
                style = w_val(lvl, f"{W}pStyle")
                if style:
                    self.level_styles[(aid, style)] = ilvl
            self.abstract[aid] = levels
            link = w_val(abstract, f"{W}numStyleLink")
            if link:
                self.abstract_links[aid] = link
        for num in root.iterchildren(f"{W}num"):
            nid = num.get(f"{W}numId") or ""
            aid = w_val(num, f"{W}abstractNumId") or ""
            starts: dict[int, int] = {}
            levels = {}
            for override in num.iterchildren(f"{W}lvlOverride"):
                ilvl = int(override.get(f"{W}ilvl") or 0)
                start = w_val(override, f"{W}startOverride")
                if start is not None and start.strip().lstrip("-").isdigit():
                    starts[ilvl] = int(start)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = lvl
            self.nums[nid] = (aid, starts, levels)

    def _read_styles(self, root: Any) -> None:
        for style in root.iterchildren(f"{W}style"):
            if style.get(f"{W}type") != "paragraph":
                continue
            sid = style.get(f"{W}styleId") or ""
            if style.get(f"{W}default") in ("1", "true", "on"):
                self.default_style = sid
            based = w_val(style, f"{W}basedOn")
            if based:
                self.style_based[sid] = based
            numpr = style.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                ilvl = w_val(numpr, f"{W}ilvl")
                self.style_numpr[sid] = (w_val(numpr, f"{W}numId"), int(ilvl) if ilvl and ilvl.isdigit() else None)

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, style that carries it) inherited through w:basedOn."""
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_numpr:
                num_id, ilvl = self.style_numpr[style]
                return num_id, ilvl, style
            style = self.style_based.get(style)
        return None, None, None

    def _levels(self, aid: str, seen: frozenset[str] = frozenset()) -> dict[int, Any]:
        levels = self.abstract.get(aid, {})
        link = self.abstract_links.get(aid)
        if not levels and link and aid not in seen:  # the definition lives in the list style's own list
            num_id, _, _ = self._style_numbering(link)
            if num_id in self.nums:
                return self._levels(self.nums[num_id][0], seen | {aid})
        return levels

    def label(self, paragraph: Any) -> str:
        """The paragraph's list number as Word shows it ("一、", "（二）", "3. "), or "" when it has none."""
        try:
            return self._label(paragraph)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):  # malformed numbering: no number
            return ""

    def _list_of(self, paragraph: Any) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, the style carrying the numbering) of a paragraph, from its own w:numPr or its style."""
        ppr = paragraph.find(f"{W}pPr")
        numpr = ppr.find(f"{W}numPr") if ppr is not None else None
        num_id = w_val(numpr, f"{W}numId")
        ilvl_text = w_val(numpr, f"{W}ilvl")
        ilvl = int(ilvl_text) if ilvl_text and ilvl_text.isdigit() else None
        style = w_val(ppr, f"{W}pStyle") or self.default_style
        style_num, style_ilvl, carrier = self._style_numbering(style)
        if num_id is None:
            num_id = style_num
            if ilvl is None:
                ilvl = style_ilvl
        return num_id, ilvl, carrier

    @staticmethod
    def _count(counters: dict[int, int], ilvl: int, levels: dict[int, Any], start_of: Callable[[int], int]) -> None:
        """Advance level `ilvl`; deeper levels restart unless their w:lvlRestart says otherwise."""
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start_of(ilvl)
        for deeper in [k for k in counters if k > ilvl]:
            restart = w_val(levels.get(deeper), f"{W}lvlRestart")
            if restart is None or (restart.isdigit() and int(restart) != 0 and ilvl < int(restart)):
                del counters[deeper]

    def _label(self, paragraph: Any) -> str:
        num_id, ilvl, carrier = self._list_of(paragraph)
        if not num_id or num_id not in self.nums:
            return ""  # numId 0 switches numbering off
        aid, starts, overrides = self.nums[num_id]
        levels = {**self._levels(aid), **overrides}
        if ilvl is None:
            ilvl = self.level_styles.get((aid, carrier or ""), 0)
        lvl = levels.get(ilvl)
        if lvl is None or w_val(lvl, f"{W}numFmt") == "bullet":
            return ""
        counters = self.counters.setdefault(num_id if starts else aid, {})

        def start_of(level: int) -> int:
            if level in starts:
                return starts[level]
            text = w_val(levels.get(level), f"{W}start")
            return int(text) if text and text.lstrip("-").isdigit() else 1

        self._count(counters, ilvl, levels, start_of)
        legal = lvl.find(f"{W}isLgl") is not None and w_val(lvl, f"{W}isLgl") not in ("0", "false", "off")

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            value = counters.get(level, start_of(level))
            fmt = w_val(levels.get(level), f"{W}numFmt") or "decimal"
            return str(value) if legal else _format_number(value, fmt)

        text = re.sub(r"%([1-9])", render, w_val(lvl, f"{W}lvlText") or "")
        if not text:
            return ""
        suffix = w_val(lvl, f"{W}suff") or "tab"
        return text if suffix == "nothing" or text.endswith(_CJK_CLOSERS) else text + " "
