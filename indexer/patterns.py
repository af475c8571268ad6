"""Patterns every indexer stage shares: character classes, clause numbering, page numbers, table header
words and Chinese numerals, each defined once.

Imported by indexer/normalize.py (line cleaning), indexer/flat_tables/ (recovering flattened tables),
indexer/tables.py (TAB tables), indexer/outline.py (the clause tree) and indexer/fields.py (dates). This
module imports nothing from the indexer, so the stages that use it never import each other for a pattern.
"""
from __future__ import annotations

import re

# Chinese characters (CJK unified ideographs, extension A, compatibility) and Chinese punctuation.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "，。、；：？！“”‘’（）《》〔〕【】—…·「」『』"

# ---------------------------------------------------------------------------- Chinese numerals

# Digits of Chinese numerals, including the two ways of writing zero in dates ("二〇二二").
CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(s: str) -> int:
    """The value of a numeral: Arabic ("12"), circled ("①"), counting ("十二" -> 12, "二十一" -> 21, up to
    999) or written digit by digit as years are ("二〇二二" -> 2022). The one parser of Chinese numerals."""
    if s.isdecimal():  # not isdigit(): "①" is a digit to Python but int() rejects it
        return int(s)
    if len(s) == 1 and "①" <= s <= "⑳":
        return ord(s) - ord("①") + 1
    if len(s) > 1 and "十" not in s and "百" not in s:
        return int("".join(str(CN_DIGITS.get(ch, 0)) for ch in s))
    total, current = 0, 0
    for ch in s:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS.get(ch, 0)
    return total + current


# ---------------------------------------------------------------------------- clause numbering

# The numbering styles of a plan's clauses, in the order they are tried: 一、 （一） （1） 1. ① 第一条.
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("cn", re.compile(r"^\s*(?P<n>[一二三四五六七八九十百]+)\s*[、.．]\s*")),
    # a closer lost on a mirror page ("(一加强…") still opens a clause, unless the numeral is a word's ("(一是…")
    ("pcn", re.compile(r"^\s*[（(]\s*(?P<n>[一二三四五六七八九十百]+)\s*(?:[）)]|(?=[\u4e00-\u9fff])(?![是些般直定体届]))\s*")),
    ("pnum", re.compile(r"^\s*[（(]\s*(?P<n>\d{1,3})\s*[）)]\s*")),
    ("num", re.compile(r"^\s*(?P<n>\d{1,3})\s*[.．、](?!\d)\s*")),
    ("circ", re.compile(r"^\s*(?P<n>[①-⑳])\s*")),
    ("art", re.compile(r"^\s*第(?P<n>[一二三四五六七八九十百]+)条\s*")),
]
# Numbering that opens a clause or heading line: 一、 （一） 1. （1） ① 第一条 …
NUMBER_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百]+\s*(?:[）)]|(?=[\u4e00-\u9fff])(?![是些般直定体届]))|\d{1,3}\s*[.．、](?!\d)"
    r"|[（(]\s*\d{1,3}\s*[）)]|[①-⑳]|第[一二三四五六七八九十百]+[条章节部分])"
)
# Conventional nesting of numbering styles (一、 above （一） above 1. …); a deeper rank nests under a lower one.
STYLE_RANK = {"cn": 0, "pcn": 1, "num": 2, "pnum": 3, "circ": 4, "art": 0}

# ---------------------------------------------------------------------------- page furniture

# A line holding only a page number: "- 3 -", "第3页 共12页", "3/12", "—3", "3—".
PAGE_NUMBER = re.compile(
    r"^\s*(?:[—\-－–_·•]+\s*\d{1,4}\s*[—\-－–_·•]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[-－—]\s*\d{1,4}|\d{1,4}\s*[-－—])\s*$"
)

# ---------------------------------------------------------------------------- task-table header words

# The words a task table's header cells use, by the role of their column.
HEADER_WORDS = {
    "number": ("序号", "编号"),
    "task": ("工作任务", "重点任务", "任务", "工作项目", "项目", "类别", "重点工作", "工作事项", "一级指标", "二级指标",
             "三级指标"),
    "text": ("具体要求", "工作要求", "主要内容", "工作内容", "具体任务", "任务内容", "具体措施", "公开内容", "要求",
             "工作措施", "具体内容", "举措", "有关要求", "存在问题及建议", "问题及建议"),
    "units": ("责任单位", "牵头单位", "配合单位", "责任部门", "牵头部门", "责任主体", "负责单位", "主责单位",
              "配合部门", "协办单位", "参与单位", "协同单位", "责任科室", "责任处室", "责任股室", "牵头科室", "配合科室",
              "负责科室", "负责处室", "负责部门"),
    "deadline": ("完成时限", "完成时间", "时间节点", "时限要求", "时限", "进度安排", "时间安排", "完成期限"),
    "note": ("备注", "落实情况", "完成情况"),
}

# ---------------------------------------------------------------------------- spaces inside Chinese text

_CJK_GAP = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])[ \t\u3000]+(?=[{CJK}{CJK_PUNCT}])")


def squash_cjk_spaces(text: str) -> str:
    """Remove spaces that split Chinese words ("进一步 拓展公 开广 度" -> "进一步拓展公开广度")."""
    return _CJK_GAP.sub("", text)
