"""English due-by dates written the way the plans write them: "by 15 November 2022" -> 2022年11月15日前.

Why: the plans, the due-date lists and the moves read Chinese date phrases (bot/language/vocabulary.py
MONTH_END, YEAR_END, HALF_YEAR, QUARTER); an English question names the same dates in any of English's
orders ("by the end of September 2023", "before 30 June", "November 15, 2022", "before the end of 2020",
"in the first half of 2022", "by the third quarter"). Reading them here, before the words are translated,
gives every later stage the one form it knows. Only dates with a due-by word (by, before, until, due, no
later than, end of) are read: "the 2022 plan" names a year, not a deadline.
Neighbours: bot/language/rewrite/rewriter.py calls `chinese_dates` on the folded question.
"""
from __future__ import annotations

import re

_MONTHS = ("january february march april may june july august september october november december").split()
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_BY = r"(?:by|before|until|till|due|no later than|not later than|deadline(?: of| is)?)"
_YEAR = r"(20\d{2})"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"

_END_OF_MONTH = re.compile(rf"\b{_BY}?\s*(?:the\s+)?end\s+of\s+{_MONTH}\b(?:,?\s*{_YEAR})?", re.I)
_DAY_MONTH = re.compile(rf"\b{_BY}\s+(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}\b(?:,?\s*{_YEAR})?", re.I)
_MONTH_DAY = re.compile(rf"\b{_BY}\s+{_MONTH}\s+{_DAY}\b(?:,?\s*{_YEAR})?", re.I)
_MONTH_ONLY = re.compile(rf"\b{_BY}\s+{_MONTH}\b(?:\s+{_YEAR})?", re.I)
_END_OF_YEAR = re.compile(rf"\b{_BY}?\s*(?:the\s+)?end\s+of\s+(?:(?:the\s+|this\s+)?year(?:\s+{_YEAR})?|{_YEAR})\b",
                          re.I)
_HALF = re.compile(rf"\b(?:in\s+|by\s+the\s+end\s+of\s+)?the\s+first\s+half(?:\s+of(?:\s+the\s+year)?)?(?:\s+{_YEAR})?",
                   re.I)
_QUARTER = re.compile(rf"\b{_BY}?\s*(?:the\s+end\s+of\s+)?the\s+(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
                      rf"(?:\s+of\s+{_YEAR})?", re.I)
_QUARTER_CN = {"first": "一", "1st": "一", "second": "二", "2nd": "二", "third": "三", "3rd": "三", "fourth": "四",
               "4th": "四"}


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name.lower()[:3]))


def _year(y: str | None) -> str:
    return f"{y}年" if y else ""


def chinese_dates(text: str) -> str:
    """`text` with its English due-by dates written as the plans write them (surrounded by spaces)."""
    if not re.search(r"[A-Za-z]", text):
        return text
    text = _END_OF_MONTH.sub(lambda m: f" {_year(m.group(2))}{_month(m.group(1))}月底前 ", text)
    text = _DAY_MONTH.sub(lambda m: f" {_year(m.group(3))}{_month(m.group(2))}月{int(m.group(1))}日前 ", text)
    text = _MONTH_DAY.sub(lambda m: f" {_year(m.group(3))}{_month(m.group(1))}月{int(m.group(2))}日前 ", text)
    text = _MONTH_ONLY.sub(lambda m: f" {_year(m.group(2))}{_month(m.group(1))}月底前 ", text)
    text = _HALF.sub(lambda m: f" {_year(m.group(1))}上半年 ", text)
    text = _QUARTER.sub(lambda m: f" {_year(m.group(2))}第{_QUARTER_CN[m.group(1).lower()]}季度前 ", text)
    text = _END_OF_YEAR.sub(lambda m: f" {_year(m.group(1) or m.group(2))}年底前 ", text)
    return re.sub(r"\s{2,}", " ", text).strip()
