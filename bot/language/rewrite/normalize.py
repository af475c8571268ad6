"""Script and width folding: traditional -> simplified, full-width ASCII -> half-width, whitespace collapsed.

Neighbours: bot/language/rewrite/rewriter.py builds the fold table once (the only place zhconv runs) and folds every
question with it before tokenizing; bot/language/rewrite/vocabulary.py counts corpus n-grams through the same table.
"""
from __future__ import annotations

import re
import unicodedata

from bot.language.rewrite.pinyin import CJK_END, CJK_START
from bot.language.vocabulary import EN_DUTY_NOUNS

# Full-width forms that are Chinese punctuation and stay as they are (，！？：；（）).
_KEEP_FULLWIDTH: frozenset[int] = frozenset(map(ord, "，！？：；（）"))

# Traditional characters zhconv would map that are also ordinary simplified characters (乾坤, 矽).
_T2S_EXCLUDE: frozenset[str] = frozenset("乾吒拚矽薹醯榘甯")

_ZERO_WIDTH_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_SPACES_RE = re.compile(r"[\s\u00a0\u2000-\u200a\u3000]+")


def build_fold_table(corpus_chars: set[str]) -> dict[int, str]:
    """A str.translate table: traditional -> simplified, compatibility ideographs, full-width ASCII.

    A traditional character the corpus itself uses is left alone: the plans are the authority on what
    counts as a simplified character here.
    """
    import zhconv  # build-time only

    t2s: dict[int, str] = {}
    for cp in range(CJK_START, CJK_END + 1):
        ch = chr(cp)
        s = zhconv.convert(ch, "zh-cn")
        if s != ch and len(s) == 1 and ch not in corpus_chars and ch not in _T2S_EXCLUDE:
            t2s[cp] = s
    # Compatibility ideographs (U+F900-FAFF) fold to their unified form first.
    for cp in range(0xF900, 0xFB00):
        n = unicodedata.normalize("NFKC", chr(cp))
        if len(n) == 1 and n != chr(cp):
            t2s[cp] = t2s.get(ord(n), n)
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII, except Chinese punctuation
        if cp not in _KEEP_FULLWIDTH:
            t2s[cp] = chr(cp - 0xFEE0)
    t2s[0x3000] = " "
    return t2s


def normalize(question: str, fold_table: dict[int, str]) -> str:
    """Traditional -> simplified, full-width ASCII -> half-width, whitespace collapsed; English
    possessives, contractions and "&" read as words ("Qixia's" -> "Qixia", "don't" -> "do not",
    "Q&A" -> "Q and A")."""
    s = _ZERO_WIDTH_RE.sub("", question or "").translate(fold_table)
    s = _OWNED_DUTY_RE.sub(r"\1", s)
    s = _POSSESSIVE_RE.sub(r"\1", s).replace("&", " and ")
    s = _IRREGULAR_NOT_RE.sub(lambda m: _IRREGULAR_NOT[m.group(1).lower()], s)
    s = _NOT_RE.sub(r"\1 not", _CONTRACTION_RE.sub(r"\1", s))
    return _SPACES_RE.sub(" ", s).strip()


_POSSESSIVE_RE = re.compile(r"([A-Za-z])['’]s\b")
# A noun of duty after a possessive ("the big-data centre's job", "the bureaus' responsibility") says whose duty
# it is and names no topic ("job" is 就业 elsewhere): only the owner is kept.
_DUTY_NOUNS = "|".join(sorted(EN_DUTY_NOUNS))
_OWNED_DUTY_RE = re.compile(rf"([A-Za-z](?:['’]s|s['’]))\s+(?:{_DUTY_NOUNS})\b", re.I)
# "I'm", "they're", "we've", "it'll", "I'd" (the pronoun carries the meaning) and "don't" ("do not"): no stray
# "m" or "t" left as a word of the question.
_CONTRACTION_RE = re.compile(r"([A-Za-z])['’](?:m|re|ve|ll|d)\b", re.I)
_NOT_RE = re.compile(r"([A-Za-z])n['’]t\b", re.I)
_IRREGULAR_NOT = {"won": "will not", "can": "can not", "shan": "shall not"}
_IRREGULAR_NOT_RE = re.compile(r"\b(won|can|shan)['’]t\b", re.I)
