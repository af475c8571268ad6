"""Stage 1, *read*: a question -> a frozen `Query` (intent, regions, year, departments, dates, content terms,
how-to / amount / duration asks).

Runs after bot/language/rewrite/ has put the question into plan vocabulary (typos, pinyin, English, synonyms) and
before bot/engine/retrieve.py. Question words decide the intent; they are not search terms. Every cue word comes
from bot/language/vocabulary.py. The reader holds only what it derived from the index at start; it never calls
back into the engine.
"""
from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.engine.answer import Intent
from bot.engine.places import PlaceReader
from bot.index.search_index import SearchIndex
from bot.language import vocabulary as vocab
from bot.language.departments import unit_key
from bot.language.rewrite.synonyms import alternatives_of
from bot.language.tokenizer import Tokenizer
from indexer.divisions import table as divisions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Segment:
    """One segment of a message (split at punctuation): its content terms and topic character pairs,
    and whether it asks something. A chatty message's greeting and personal story are segments too."""

    terms: tuple[str, ...]
    bigrams: tuple[str, ...]
    asks: bool
    sentence: int = 0  # which sentence of the message
    before_question: bool = False  # in a sentence before the one that asks (and that it does not point back to)


@dataclass(frozen=True)
class Query:
    """What the pipeline needs to know about one question (immutable: stages pass it along)."""

    raw: str
    text: str
    lang: str = "zh"
    intent: Intent = Intent.WHAT
    intent_stated: bool = False  # the wording asked who / when / what / a list (not the default)
    regions: tuple[str, ...] = ()
    unknown_region: str | None = None
    year: int | None = None  # a plan year held for the question's regions (named, or 今年/去年 resolved)
    year_not_held: int | None = None  # a year the question names that no plan of its regions has
    year_relative: bool = False  # the year came from 今年/去年: the reply says which plan it read
    departments: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()  # terms minus generic words and the named departments' words
    topic_text: str = ""  # the question without its places and years: re-read when a follow-up switches region
    expansions: tuple[str, ...] = ()
    # terms that synonym rules read as plan terms (孩子上幼儿园 -> 学前教育): a clause holding one of the
    # plan terms covers the term (bot/engine/retrieve.py)
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = ()
    until: date | None = None  # list questions: due on or before
    month_only: bool = False  # "9月底前" named no year: apply to each plan's own year
    asks_amount: bool = False
    asks_procedure: bool = False
    asks_contact: bool = False  # a phone number, an address, opening hours
    asks_duration: bool = False
    asks_frequency: bool = False  # "多久更新一次", "几次": a frequency answers too
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
    """Stand-in for bot/language/rewrite.Rewrite when no rewriter is available (or it failed on a question):
    every field the readers use, empty."""

    text: str
    lang: str = "zh"
    corrections: list[tuple[str, str]] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    senses: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


class QuestionReader:
    """Reads questions against one index's regions, years, departments and vocabulary."""

    def __init__(self, index: SearchIndex, tokenizer: Tokenizer) -> None:
        self.index = index
        self.tokenizer = tokenizer
        self._vocabulary = set(index.terms) | set(index.text.idf)
        self._region_years: dict[str, list[int]] = {}
        for d in index.documents.values():
            if d.region and d.year:
                self._region_years.setdefault(d.region, []).append(d.year)
        self._years = sorted({d.year for d in index.documents.values() if d.year})
        self.places = PlaceReader(index, tokenizer, self._vocabulary)
        # parent cities by the first two characters of their short form (the first one of a shorter one):
        # at national scale there are hundreds, and a question names one or none (`_parents_in`)
        self._parents = list(index.parents)
        self._parent_keys: dict[str, list[int]] = {}
        for i, parent in enumerate(self._parents):
            self._parent_keys.setdefault(parent[:-1][:2], []).append(i)

    def read(self, question: str, region: str | None = None) -> Query:
        rw = self._rewrite(question)
        text = self._units_named(rw.text) if rw.lang == "en" else rw.text
        departments = tuple(self.index.departments.find(text))
        until, month_only = find_until(text)
        asks_procedure = asks_procedure_in(question) or asks_procedure_in(text)
        regions, unknown = self.places.read(question, text, region, rw.regions, rw.places)
        year, not_held, relative = self._year(text, regions)
        topic_text = self._without_places(text, unknown)
        senses = tuple(getattr(rw, "senses", ()) or ())
        terms, bigrams, segments = self._content_terms(topic_text, until is not None, asks_procedure,
                                                       tuple(w for w, _ in senses))
        topic = tuple(t for t in terms if not vocab.is_generic(t) and not self._names_department(t, departments))
        asked = question_sentence(text)
        return Query(
            raw=question, text=text, lang=rw.lang,
            intent=detect_intent(asked, bool(departments), until is not None, len(topic), has_region=bool(regions),
                                 checks=bool(vocab.YES_NO_FORM.search(question))),
            intent_stated=states_intent(asked), topic_text=topic_text.strip(),
            regions=regions, unknown_region=unknown, year=year, year_not_held=not_held, year_relative=relative,
            departments=departments, terms=terms, topic=topic,
            expansions=tuple(dict.fromkeys(rw.expansions)), alternatives=alternatives_of(terms, senses),
            until=until, month_only=month_only,
            asks_amount=asks_amount_in(question) or asks_amount_in(text),
            asks_procedure=asks_procedure, asks_duration=asks_duration_in(text),
            asks_contact=bool(vocab.CONTACT_CUES.search(question) or vocab.CONTACT_CUES.search(text)),
            asks_frequency=bool(vocab.ASKS_FREQUENCY.search(text)),
            followup=is_followup(text), greeting=is_greeting(question),
            vague=not any(len(t) >= 2 and not vocab.is_generic(t) for t in terms),
            corrections=tuple(rw.corrections), bigrams=bigrams, segments=segments,
        )

    def _units_named(self, text: str) -> str:
        """An English question's units named by what they do ("退役军人 bureau", as read from "the veterans'
        affairs bureau") written as the department the plans name, when exactly one fits."""
        def unit(m: re.Match[str]) -> str:
            kind = m.group(2).lower()
            name = self.index.departments.of_kind(m.group(1), vocab.EN_UNIT_ENDINGS.get(kind, ()))
            return name or m.group(0)

        return vocab.EN_UNIT_NAMED.sub(unit, text)

    def region_name(self, name: str | None) -> str | None:
        """The index's region for a name or short form ("槐荫" -> "槐荫区"), or None."""
        return self.places.name(name)

    # -- internals -------------------------------------------------------------------------
    def _rewrite(self, question: str) -> Any:
        rewriter = self.index.rewriter
        if rewriter is not None:
            try:
                return rewriter.rewrite(question)
            except Exception:
                log.exception("rewriter failed on %r", question[:200])
        return _Identity(text=question)

    def years_of(self, regions: tuple[str, ...]) -> list[int]:
        """Plan years held for these regions (all regions when none), ascending."""
        if not regions:
            return list(self._years)
        return sorted({y for r in regions for y in self._region_years.get(r, [])})

    def _year(self, text: str, regions: tuple[str, ...]) -> tuple[int | None, int | None, bool]:
        """(year held, year named but not held, from 今年/去年): relative years are read against the
        plans held — 今年 is the newest plan of the question's regions, 去年 the one before it if held."""
        held = self.years_of(regions)
        named = find_year(text)
        if named is not None:
            return (named, None, False) if named in held else (None, named, False)
        if held and vocab.THIS_YEAR.search(text):
            return held[-1], None, True
        if held and vocab.LAST_YEAR.search(text):
            return (held[-2] if len(held) >= 2 else held[-1]), None, True
        return None, None, False

    def _content_terms(self, text: str, has_until: bool, procedure: bool, sources: tuple[str, ...] = ()
                       ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Segment, ...]]:
        """The question's search terms and topic character pairs (places, dates, years, how-to wording
        and question phrasing removed), and the same per segment when the message has several. Words a
        synonym rule reads as plan terms (`sources`) give no character pairs: their plan terms, not
        their characters, are what a clause holds (word coverage counts them through `alternatives`)."""
        strip = text
        if has_until:
            strip = strip_dates(strip)
        strip = vocab.YEAR_PHRASE.sub(" ", strip)
        if procedure:
            strip = strip_procedure(strip)
        read: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # this question's parts, read once
        whole = vocab.QUESTION_PHRASES.sub(" ", strip)
        self._cut_once(strip, whole, read, sources)
        segments = self._segments(strip, read, sources)
        terms, bigrams = self._terms_of(whole, read, sources)
        return terms, bigrams, segments if len(segments) >= 2 else ()

    def _cut_once(self, strip: str, whole: str, read: dict[str, tuple[tuple[str, ...], tuple[str, ...]]],
                  sources: tuple[str, ...]) -> None:
        """Segment the whole message once and give each segment its own tokens (into `read`, where
        `_terms_of` finds them). jieba cuts every run of word characters on its own and segments end at
        punctuation, so a segment's words are exactly those of the whole that start inside it. Left
        to `_terms_of` (segment by segment) when a boundary falls inside such a run ("v1.2版": a segment
        ends at the ".") or the question phrasing cut out differs per segment."""
        pieces = [vocab.QUESTION_PHRASES.sub(" ", p) for sentence in vocab.SENTENCE_SPLIT.split(strip)
                  for p in vocab.SEGMENT_SPLIT.split(sentence) if p]
        if "".join(pieces) != whole or any(_JIEBA_BLOCK.match(a[-1]) and _JIEBA_BLOCK.match(b[0])
                                           for a, b in zip(pieces, pieces[1:], strict=False)):
            return
        at = self.tokenizer.tokens_at(whole)
        read[whole] = (tuple(dict.fromkeys(w for w, _ in at)), tuple(topic_bigrams(_without_words(whole, sources))))
        k, end = 0, 0
        for piece in pieces:
            end += len(piece)
            own: list[str] = []
            while k < len(at) and at[k][1] < end:
                own.append(at[k][0])
                k += 1
            if piece not in read:
                read[piece] = (tuple(dict.fromkeys(own)), tuple(topic_bigrams(_without_words(piece, sources))))

    def _terms_of(self, content: str, read: dict[str, tuple[tuple[str, ...], tuple[str, ...]]],
                  sources: tuple[str, ...] = ()) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A text's distinct tokens and topic character pairs. `read` holds those already made for
        parts of the same question: a message of one segment is that segment, tokenized once."""
        got = read.get(content)
        if got is None:
            got = read[content] = (tuple(dict.fromkeys(self.tokenizer.tokens(content))),
                                   tuple(topic_bigrams(_without_words(content, sources))))
        return got

    def _names_department(self, token: str, departments: tuple[str, ...]) -> bool:
        """A word of a department the question names, in its canonical or any alias form (发改局)."""
        if not departments:
            return False
        return (any(token in d or token in unit_key(d) for d in departments)
                or self.index.departments.resolve(token) in departments)

    def _without_places(self, text: str, unknown: str | None = None) -> str:
        """The question without region, parent-city and not-held place names: they place it, they are not
        its topic ("Lixia district呢？" asks the conversation's topic in 历下区, it is not about 历下区)."""
        strip = text
        if unknown:  # the place not held, as named ("烟台蓬莱" for 烟台市蓬莱区) and as read
            for m in sorted(divisions().find(text, short=True), key=lambda m: m.start, reverse=True):
                strip = strip[:m.start] + " " + strip[m.end:]
            strip = strip.replace(unknown, " ")
        for parent in self._parents_in(text):
            strip = strip.replace(parent, " ").replace(parent[:-1], " ")
        for r in self.places.near(text):
            strip = strip.replace(r, " ")
            if len(r) >= 3:
                strip = strip.replace(r[:-1], " ")
        return strip

    def _parents_in(self, text: str) -> list[str]:
        """The parent cities whose name or short form may occur in `text`, in index order: no other can."""
        keys = self._parent_keys
        hits = {i for k in range(len(text)) for key in (text[k:k + 2], text[k]) for i in keys.get(key, ())}
        return [self._parents[i] for i in sorted(hits | set(keys.get("", ())))]

    def _segments(self, text: str, read: dict[str, tuple[tuple[str, ...], tuple[str, ...]]],
                  sources: tuple[str, ...] = ()) -> tuple[Segment, ...]:
        """The message's segments; those in sentences before the asking one are marked, unless the
        asking sentence points back ("这方面…") or has hardly a topic of its own."""
        sentences = [s for s in vocab.SENTENCE_SPLIT.split(text) if s.strip()]
        asking = len(sentences) - 1
        for i in range(len(sentences) - 1, -1, -1):
            if vocab.ASKING.search(sentences[i]) or vocab.WHAT_CUES.search(sentences[i]):
                asking = i
                break
        out: list[Segment] = []
        for i, sentence in enumerate(sentences):
            parts = [p for p in vocab.SEGMENT_SPLIT.split(sentence) if p.strip()]
            out += [self._segment(p, read, last=(i == len(sentences) - 1 and j == len(parts) - 1), sentence=i,
                                  sources=sources)
                    for j, p in enumerate(parts)]
        start = asking
        if asking > 0 and (vocab.SENTENCE_POINTS_BACK.search(sentences[asking]) or self._thin(out, asking)):
            start = asking - 1
        return tuple(Segment(s.terms, s.bigrams, s.asks, before_question=s.sentence < start) for s in out)

    def _thin(self, segments: list[Segment], sentence: int) -> bool:
        topic = {t for s in segments if s.sentence == sentence for t in s.terms
                 if len(t) >= 2 and not vocab.is_generic(t) and t not in vocab.FOLLOWUP_FILLERS}
        return len(topic) < 2

    def _segment(self, part: str, read: dict[str, tuple[tuple[str, ...], tuple[str, ...]]], last: bool,
                 sentence: int = 0, sources: tuple[str, ...] = ()) -> Segment:
        terms, bigrams = self._terms_of(vocab.QUESTION_PHRASES.sub(" ", part), read, sources)
        return Segment(terms, bigrams, last or bool(vocab.ASKING.search(part)), sentence=sentence)




# What jieba cuts as one block (its re_han_default): text is cut one such run at a time, independently.
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")


def _without_words(text: str, words: tuple[str, ...]) -> str:
    for word in words:
        text = text.replace(word, " ")
    return text


def strip_dates(text: str) -> str:
    """The question without its "due by" phrase ("2020年底前", "9月底前"), so no piece of it is a topic."""
    for pattern in (vocab.MONTH_END, vocab.MONTH_END_LEADING, vocab.QUARTER, vocab.HALF_YEAR, vocab.YEAR_END):
        text = pattern.sub(" ", text)
    return text


def find_until(text: str, today: date | None = None) -> tuple[date | None, bool]:
    """A "due by" date in the question ("9月底前", "2024年6月30日前", "年底前") and whether it named no year."""
    m = vocab.MONTH_END.search(text) or vocab.MONTH_END_LEADING.search(text)
    year_default = (today or date.today()).year
    if m:
        month = vocab.cn_number(m.group(2)) or 0
        if 1 <= month <= 12:
            year = int(m.group(1)) if m.group(1) else year_default
            day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]
            day = min(max(day, 1), calendar.monthrange(year, month)[1])
            return date(year, month, day), m.group(1) is None
    m = vocab.HALF_YEAR.search(text)
    if m and vocab.YEAR_END_LIST_CUES.search(text):
        year = int(m.group(1)) if m.group(1) else year_default
        return date(year, 6, 30), m.group(1) is None
    m = vocab.QUARTER.search(text)
    if m:
        year = int(m.group(1)) if m.group(1) else year_default
        month = 3 * (vocab.cn_number(m.group(2)) or int(m.group(2)))
        return date(year, month, calendar.monthrange(year, month)[1]), m.group(1) is None
    m = vocab.YEAR_END.search(text)
    if m and vocab.YEAR_END_LIST_CUES.search(text):
        year = int(m.group(1)) if m.group(1) else year_default
        return date(year, 12, 31), m.group(1) is None
    return None, False


def detect_intent(text: str, has_department: bool, has_until: bool, topic_terms: int,
                  has_region: bool = False, checks: bool = False) -> Intent:
    """who / when / what / list from the question's wording (not its topic). `checks`: the message is a yes/no
    check ("So the health bureau is one of them?"): a department it names is presumed, not asked a list of."""
    listy = bool(vocab.LIST_CUES.search(text))
    who, when = bool(vocab.WHO_CUES.search(text)), bool(vocab.WHEN_CUES.search(text))
    if has_department and checks and not (listy or when):
        return Intent.WHO
    if has_department and (listy or topic_terms == 0) and not when:
        return Intent.LIST
    if has_region and listy and topic_terms == 0 and not who and not when:
        return Intent.LIST  # "槐荫区有哪些任务": the whole plan's task list
    if has_until and (topic_terms == 0 or ((listy or vocab.WHICH_CUES.search(text)) and topic_terms <= 1)):
        return Intent.LIST  # "9月底前要完成什么", staff shorthand "历城 6月底前 到期"
    if who:
        return Intent.WHO
    if when:
        return Intent.WHEN
    if has_department and listy:
        return Intent.LIST
    return Intent.WHAT


def question_sentence(text: str) -> str:
    """The sentence of a message that carries its question: the last one that asks (a chatty message
    tells a story first, and its story may contain words like "哪个部门" that are not the question)."""
    sentences = [s for s in vocab.SENTENCE_SPLIT.split(text) if s.strip()]
    if len(sentences) < 2:
        return text
    for sentence in reversed(sentences):
        if vocab.ASKING.search(sentence) or vocab.WHAT_CUES.search(sentence):
            return sentence
    return text


def states_intent(text: str) -> bool:
    """Whether the wording itself asks who, when, what or for a list (a bare "那医保呢？" does not)."""
    return any(p.search(text) for p in (vocab.WHO_CUES, vocab.WHEN_CUES, vocab.LIST_CUES, vocab.WHAT_CUES))


def own_topic(query: Query) -> tuple[str, ...]:
    """The turn's own topic words: its topic words of two or more characters, minus the words
    follow-ups point back with ("这项", "除了", "一起")."""
    return tuple(t for t in query.topic if len(t) >= 2 and t not in vocab.FOLLOWUP_FILLERS)


def is_followup(text: str) -> bool:
    return bool(vocab.FOLLOWUP.match(text.strip()))


def is_greeting(text: str) -> bool:
    return bool(vocab.GREETING.match(text.strip()))


def asks_duration_in(text: str) -> bool:
    return bool(vocab.DURATION_CUES.search(text))


def stated_period(text: str, frequency: bool) -> str | None:
    """The period a clause sentence states ("10个工作日内"), or for a how-often question also its
    frequency ("每季度", "每年至少1次"); None when it states neither (a completion date is no period)."""
    m = vocab.STATES_PERIOD.search(text)
    if m is None and frequency:
        m = vocab.STATES_FREQUENCY.search(text)
    return m.group(0) if m else None


def asks_procedure_in(text: str) -> bool:
    return bool(vocab.PROCEDURE_CUES.search(text))


def strip_procedure(text: str) -> str:
    """The question without its how-to wording, so the topic (低保, 居住证) is what gets searched."""
    return vocab.PROCEDURE_CUES.sub(" ", text)


def asks_amount_in(text: str) -> bool:
    return bool(vocab.AMOUNT_CUES.search(text))


def find_year(text: str) -> int | None:
    m = vocab.YEAR.search(text)
    if m:
        return int(m.group(1))
    cn = vocab.CN_YEAR.search(text)  # voice-typed "二零二三年"
    return int("".join(vocab.CN_YEAR_DIGITS[c] for c in cn.group(1))) if cn else None


def topic_bigrams(text: str) -> list[str]:
    """Character pairs inside the question's topic words (question phrasing already removed).

    Matching pairs rather than words makes "专项附加扣除" need those words together, which separates an
    off-topic question from one that merely shares two common words with a clause.
    """
    s = re.sub(r"[^\u4e00-\u9fff]+", " ", text)
    s = vocab.FUNCTION_CHARS.sub(" ", s)
    return [w[i:i + 2] for w in s.split() if len(w) >= 2 for i in range(len(w) - 1)]
