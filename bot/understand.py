"""Stage 1, *read*: a question -> a frozen `Query` (intent, regions, year, departments, dates, content terms,
how-to / amount / duration asks).

Runs after bot/rewrite/ has put the question into plan vocabulary (typos, pinyin, English, synonyms) and
before bot/retrieve.py. Question words decide the intent; they are not search terms. Every cue word comes
from bot/vocabulary.py. The reader holds only what it derived from the index at start; it never calls
back into the engine.
"""
from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot import vocabulary as vocab
from bot.answer import Intent
from bot.departments import unit_key
from bot.index import SearchIndex
from bot.text import Tokenizer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Segment:
    """One segment of a message (split at punctuation): its content terms and topic character pairs,
    and whether it asks something. A chatty message's greeting and personal story are segments too."""

    terms: tuple[str, ...]
    bigrams: tuple[str, ...]
    asks: bool


@dataclass(frozen=True)
class Query:
    """What the pipeline needs to know about one question (immutable: stages pass it along)."""

    raw: str
    text: str
    lang: str = "zh"
    intent: Intent = Intent.WHAT
    regions: tuple[str, ...] = ()
    unknown_region: str | None = None
    year: int | None = None
    departments: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()  # terms minus generic words and the named departments' words
    expansions: tuple[str, ...] = ()
    until: date | None = None  # list questions: due on or before
    month_only: bool = False  # "9月底前" named no year: apply to each plan's own year
    asks_amount: bool = False
    asks_procedure: bool = False
    asks_duration: bool = False
    followup: bool = False
    greeting: bool = False
    vague: bool = False  # only general words ("区", "任务"): ask for a topic rather than guess
    corrections: tuple[tuple[str, str], ...] = ()
    bigrams: tuple[str, ...] = ()  # character pairs of the question's topic words
    segments: tuple[Segment, ...] = ()  # only when the message has two or more segments

    @property
    def region(self) -> str | None:
        return self.regions[0] if self.regions else None

    @property
    def department(self) -> str | None:
        return self.departments[0] if self.departments else None


@dataclass
class _Identity:
    """Stand-in for bot/rewrite.Rewrite when no rewriter is available."""

    text: str
    lang: str = "zh"
    corrections: list[tuple[str, str]] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)


class QuestionReader:
    """Reads questions against one index's regions, years, departments and vocabulary."""

    def __init__(self, index: SearchIndex, tokenizer: Tokenizer) -> None:
        self.index = index
        self.tokenizer = tokenizer
        self._vocabulary = set(index.terms) | set(index.text.idf)
        self._years = {d.year for d in index.documents.values() if d.year}
        self._region_keys: dict[str, list[int]] = {}  # first two characters -> region positions
        for i, r in enumerate(index.regions):
            self._region_keys.setdefault(r[:2], []).append(i)

    def read(self, question: str, region: str | None = None) -> Query:
        rw = self._rewrite(question)
        text = rw.text
        departments = tuple(self.index.departments.find(text))
        until, month_only = find_until(text)
        asks_procedure = asks_procedure_in(question) or asks_procedure_in(text)
        regions, unknown = self._regions(text, region, rw.regions)
        year = find_year(text)
        terms, bigrams, segments = self._content_terms(text, until is not None, asks_procedure)
        topic = tuple(t for t in terms if t not in vocab.GENERIC_TERMS and not _is_dept_token(t, departments))
        return Query(
            raw=question, text=text, lang=rw.lang,
            intent=detect_intent(text, bool(departments), until is not None, len(topic), has_region=bool(regions)),
            regions=regions, unknown_region=unknown,
            year=year if year in self._years else None,
            departments=departments, terms=terms, topic=topic,
            expansions=tuple(dict.fromkeys(rw.expansions)),
            until=until, month_only=month_only,
            asks_amount=asks_amount_in(question) or asks_amount_in(text),
            asks_procedure=asks_procedure, asks_duration=asks_duration_in(text),
            followup=is_followup(text), greeting=is_greeting(question),
            vague=not any(len(t) >= 2 and t not in vocab.GENERIC_TERMS for t in terms),
            corrections=tuple(rw.corrections), bigrams=bigrams, segments=segments,
        )

    def region_name(self, name: str | None) -> str | None:
        """The index's region for a name or short form ("槐荫" -> "槐荫区"), or None."""
        if not name:
            return None
        name = name.strip()
        for r in self._regions_near(name):
            if name == r or (len(name) >= 2 and (r.startswith(name) or name.endswith(r) or name == r[:-1])):
                return r
        return None

    # -- internals -------------------------------------------------------------------------
    def _rewrite(self, question: str) -> Any:
        rewriter = self.index.rewriter
        if rewriter is not None:
            try:
                return rewriter.rewrite(question)  # type: ignore[attr-defined]
            except Exception:
                log.exception("rewriter failed on %r", question[:200])
        return _Identity(text=question)

    def _regions(self, text: str, named: str | None, rewritten: list[str]) -> tuple[tuple[str, ...], str | None]:
        """Regions the question names (or the caller passed), else an unknown place it names, else
        the one region under a parent city it names."""
        regions = [r for r in (self.region_name(named),) if r]
        for r in list(rewritten) + self._regions_in(text):
            r = self.region_name(r) or r
            if r in self.index.regions and r not in regions:
                regions.append(r)
        if regions:
            return tuple(regions), None
        unknown = unknown_place(text, self.index.regions, self._vocabulary, self.tokenizer.words(text))
        if unknown:
            return (), unknown
        for parent, under in self.index.parents.items():
            if len(under) == 1 and (parent in text or parent[:-1] in text):
                regions.append(under[0])
        return tuple(regions), None

    def _regions_in(self, text: str) -> list[str]:
        return [r for r in self._regions_near(text) if r in text or (len(r) >= 3 and r[:-1] in text)]

    def _regions_near(self, text: str) -> list[str]:
        """The regions whose first two characters occur in `text`, in index order: the only ones that can
        match, so region lookups need not scan every region."""
        keys = self._region_keys
        hits = {i for k in range(len(text)) for key in (text[k:k + 2], text[k]) for i in keys.get(key, ())}
        return [self.index.regions[i] for i in sorted(hits)]

    def _content_terms(self, text: str, has_until: bool,
                       procedure: bool) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Segment, ...]]:
        """The question's search terms and topic character pairs (places, dates, years, how-to wording
        and question phrasing removed), and the same per segment when the message has several."""
        strip = text
        for parent in self.index.parents:  # city names place the question; they are not its topic
            strip = strip.replace(parent, " ").replace(parent[:-1], " ")
        for r in self._regions_near(text):
            strip = strip.replace(r, " ")
            if len(r) >= 3:
                strip = strip.replace(r[:-1], " ")
        if has_until:
            strip = strip_dates(strip)
        strip = vocab.YEAR_PHRASE.sub(" ", strip)
        if procedure:
            strip = strip_procedure(strip)
        segments = tuple(self._segment(part) for part in vocab.SEGMENT_SPLIT.split(strip) if part.strip())
        strip = vocab.QUESTION_PHRASES.sub(" ", strip)
        bigrams = tuple(topic_bigrams(strip))
        return (tuple(dict.fromkeys(self.tokenizer.tokens(strip))), bigrams,
                segments if len(segments) >= 2 else ())

    def _segment(self, part: str) -> Segment:
        content = vocab.QUESTION_PHRASES.sub(" ", part)
        return Segment(tuple(dict.fromkeys(self.tokenizer.tokens(content))), tuple(topic_bigrams(content)),
                       bool(vocab.ASKING.search(part)))


def _is_dept_token(token: str, departments: tuple[str, ...]) -> bool:
    return any(token in d or token in unit_key(d) for d in departments)


def strip_dates(text: str) -> str:
    """The question without its "due by" phrase ("2020年底前", "9月底前"), so no piece of it is a topic."""
    return vocab.YEAR_END.sub(" ", vocab.MONTH_END.sub(" ", text))


def find_until(text: str, today: date | None = None) -> tuple[date | None, bool]:
    """A "due by" date in the question ("9月底前", "2024年6月30日前", "年底前") and whether it named no year."""
    m = vocab.MONTH_END.search(text)
    year_default = (today or date.today()).year
    if m:
        month = vocab.cn_number(m.group(2)) or 0
        if 1 <= month <= 12:
            year = int(m.group(1)) if m.group(1) else year_default
            day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]
            day = min(max(day, 1), calendar.monthrange(year, month)[1])
            return date(year, month, day), m.group(1) is None
    m = vocab.YEAR_END.search(text)
    if m and vocab.YEAR_END_LIST_CUES.search(text):
        year = int(m.group(1)) if m.group(1) else year_default
        return date(year, 12, 31), m.group(1) is None
    return None, False


def detect_intent(text: str, has_department: bool, has_until: bool, topic_terms: int,
                  has_region: bool = False) -> Intent:
    """who / when / what / list from the question's wording (not its topic)."""
    listy = bool(vocab.LIST_CUES.search(text))
    who, when = bool(vocab.WHO_CUES.search(text)), bool(vocab.WHEN_CUES.search(text))
    if has_department and (listy or topic_terms == 0) and not when:
        return Intent.LIST
    if has_region and listy and topic_terms == 0 and not who and not when:
        return Intent.LIST  # "槐荫区有哪些任务": the whole plan's task list
    if has_until and (listy or vocab.WHICH_CUES.search(text)) and topic_terms <= 1:
        return Intent.LIST
    if who:
        return Intent.WHO
    if when:
        return Intent.WHEN
    if has_department and listy:
        return Intent.LIST
    return Intent.WHAT


def unknown_place(text: str, known: list[str], known_terms: set[str], words: list[str]) -> str | None:
    """A 区/县/市 name in the question that is not one of the knowledge base's regions (e.g. 海淀区).

    Only a name the segmenter keeps as one word counts (jieba knows real place names), and never one
    the plans themselves use ("无证明城市" is a topic, not a place).
    """
    for m in vocab.PLACE.finditer(text):
        name = m.group(1) + m.group(2)
        stem = m.group(1)
        if stem.startswith(vocab.NOT_PLACE_STARTS) or any(name in k or k in name for k in known):
            continue
        if stem.endswith(vocab.NOT_PLACE_ENDS):
            continue
        if name in known_terms or stem in known_terms:
            continue
        if name not in words and stem not in words:
            continue
        return name
    return None


def is_followup(text: str) -> bool:
    return bool(vocab.FOLLOWUP.match(text.strip()))


def is_greeting(text: str) -> bool:
    return bool(vocab.GREETING.match(text.strip()))


def asks_duration_in(text: str) -> bool:
    return bool(vocab.DURATION_CUES.search(text))


def states_duration(text: str) -> bool:
    """Whether a clause (or its deadline) states a time span, date or count that could answer 多久/几次."""
    return bool(vocab.STATES_DURATION.search(text))


def asks_procedure_in(text: str) -> bool:
    return bool(vocab.PROCEDURE_CUES.search(text))


def strip_procedure(text: str) -> str:
    """The question without its how-to wording, so the topic (低保, 居住证) is what gets searched."""
    return vocab.PROCEDURE_CUES.sub(" ", text)


def asks_amount_in(text: str) -> bool:
    return bool(vocab.AMOUNT_CUES.search(text))


def find_year(text: str) -> int | None:
    m = vocab.YEAR.search(text)
    return int(m.group(1)) if m else None


def topic_bigrams(text: str) -> list[str]:
    """Character pairs inside the question's topic words (question phrasing already removed).

    Matching pairs rather than words makes "专项附加扣除" need those words together, which separates an
    off-topic question from one that merely shares two common words with a clause.
    """
    s = re.sub(r"[^\u4e00-\u9fff]+", " ", text)
    s = vocab.FUNCTION_CHARS.sub(" ", s)
    return [w[i:i + 2] for w in s.split() if len(w) >= 2 for i in range(len(w) - 1)]
