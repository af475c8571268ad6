"""Conversation moves: what a turn does in the light of the conversation so far, read from the turn's form.

Why a model and not phrase lists: people word follow-ups in endless ways ("还有吗？", "这方面还有别的要求吗？",
"Anything else on that?"), but every one of them is made of a few general features — what the turn names
(a region, a plan year, a department, a deadline, topic words the plans use), what it lacks (a topic of its
own) and its question form (a yes/no particle or tag, a "more" word, a stated who/when). `read_turn` turns a
`Query` into those `TurnFeatures`; `plan_turn` maps them onto one `Move`:

    RESET          starts over ("换个问题", "start over"): the context is dropped
    PAGE / NO_MORE  the next page of a list ("下一页"), or there is none
    NEW            a question of its own (its own region, or no conversation to continue)
    SWITCH_REGION  the conversation's topic, in a region the turn names ("那济南历城区呢？")
    SWITCH_YEAR    the conversation's topic, in a plan year the turn names ("那2019年的呢？")
    CONFIRM        a yes/no check of a presumed unit or deadline ("区商务局也在里面，对吧？")
    MORE           the next clause on the topic, never one already shown ("还有别的要求吗？")
    REST           (decided after the search) no other clause on the topic: the rest of the clause shown
    COMPARE        the two plans the conversation went through, compared ("两个区哪个要求更早？")
    SOURCE         where the clause shown comes from ("这是哪个文件里的？"): that clause, its citation first
    NEXT           the item after the one shown, in the plan's order ("下一条", "Show me the next item.")
    SAME_CLAUSE    another aspect of the current clause ("那完成时限呢？", "还有哪些单位参与？")
    TOPIC          a new topic in the conversation's region ("那医保呢？")

Features added for new moves (issue 20): a who/when turn pointing back ("那这个事儿得啥时候弄利索？") keeps
only plan words as its topic; a presumed deadline said without "前" ("听说是9月底") or question-marked without a
particle ("那条也是11月底？") is a confirmation; "X这块还有啥？" is "more" within the X it names.

The coordinator (bot/engine/coordinator.py) runs every move through the same reading as a first question,
so a region or year not held is declined in any turn. Cue words come from bot/language/vocabulary.py.
Neighbours: bot/engine/conversation.py (what a turn hands on, confirmations), bot/engine/understand.py (Query).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.engine.answer import Context, Intent
from bot.engine.understand import Query, find_year
from bot.language import vocabulary as vocab

HAN_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")


class Move(StrEnum):
    NEW = "new"
    SAME_CLAUSE = "same_clause"
    MORE = "more"
    REST = "rest"
    COMPARE = "compare"
    SOURCE = "source"
    NEXT = "next"
    CONFIRM = "confirm"
    SWITCH_REGION = "switch_region"
    SWITCH_YEAR = "switch_year"
    TOPIC = "topic"
    PAGE = "page"
    NO_MORE = "no_more"
    RESET = "reset"


# Deadline phrases a turn may presume ("年底前", "9月底前", "9月底", "上半年", "全年"), longest readings first.
_DEADLINE_PHRASES = (vocab.MONTH_END, vocab.MONTH_END_SAID, vocab.QUARTER, vocab.HALF_YEAR, vocab.YEAR_END, vocab.NO_COMPLETION_DATE,
                     vocab.FREQUENCY_SAID)


class TopicTest(Protocol):
    """Whether a word a follow-up leaves over names a topic; `plan_only`: only a word the plans use; `specific`:
    and one rare in general Chinese (a turn pointing back: "这事儿落到哪些单位头上？" names no topic with 落到)."""

    def __call__(self, word: str, plan_only: bool = False, specific: bool = False, /) -> bool: ...


@dataclass(frozen=True)
class TurnFeatures:
    """The general features of a turn that decide its move."""

    region: str | None = None  # a held region the turn names other than the conversation's
    year: int | None = None  # a plan year the turn names (held or not) other than the conversation's
    unknown_place: bool = False  # names a district the knowledge base does not hold
    departments: tuple[str, ...] = ()
    deadline: str | None = None  # a deadline the turn presumes ("年底前", "2022年9月底前")
    topic: tuple[str, ...] = ()  # topic words of its own (not places, deadlines, departments or fillers)
    yes_no: bool = False
    more: bool = False
    only: bool = False  # presumes one unit alone ("一家管")
    reset: bool = False
    page: bool = False
    asks: Intent | None = None  # the intent its wording states (who / when / what), if any
    continues: bool = False  # opens or ends like a continuation ("那…", "…呢？", "And …")
    in_clause: bool = False  # every topic word of its own is in the clause shown ("那开新闻发布会呢？")
    next_item: bool = False  # asks for the item after the one shown ("下一条", "the next one")
    plan_topic: tuple[str, ...] = ()  # the topic words the plans themselves use
    in_section: bool = False  # points at the part of the plan shown ("What else does that part say?", "同节")
    compares: bool = False  # compares two things ("两个区哪个更早？", "Which of the two …?")
    in_roles: bool = False  # its topic words name a part of the shown row's responsibility cell ("自然灾害类")
    source: bool = False  # asks where the clause shown comes from ("出处呢？", "Which document is that from?")
    first: bool = False  # points at the first clause the conversation showed ("刚才第一条那个…")

    @property
    def presumes(self) -> bool:
        return bool(self.departments or self.deadline)


@dataclass(frozen=True)
class Presumption:
    """What a yes/no turn takes for granted: units (alone, when `only`) or a deadline."""

    departments: tuple[str, ...] = ()
    deadline: str | None = None
    only: bool = False


@dataclass(frozen=True)
class TurnPlan:
    """How to answer a turn: re-read `text` in `region` (when set) and answer with `intent` (when set)."""

    move: Move
    text: str | None = None
    region: str | None = None
    intent: Intent | None = None
    entry_id: str | None = None
    soft: bool = False  # TOPIC without a continuation word: fall back to every region if this one is silent
    offset: int = 0  # PAGE: where the page starts
    in_section: bool = False  # NEXT: the items of the shown one's section, after it and then before it
    presumption: Presumption | None = None  # CONFIRM
    first: bool = False  # SAME_CLAUSE / CONFIRM on the first clause shown (in `region`, when set), not the last


def presumed_deadline(text: str) -> str | None:
    """The deadline phrase a turn names ("年底前", "2022年9月底前", "全年"), or None."""
    for pattern in _DEADLINE_PHRASES:
        m = pattern.search(text)
        if m:
            return m.group(0).strip()
    return None


def read_turn(query: Query, context: Context, names_topic: TopicTest | None = None,
              clause: str = "", roles: str = "") -> TurnFeatures:
    """The features of `query` read against `context`. `names_topic(word)` says whether a word the turn
    leaves over names a topic (a word the plans use, or a rare word; not chatter, a place or a filler);
    `clause` is the text of the clause shown last, `roles` its responsibility cell as written (with the
    parts it names: "区总体预案:区应急局；自然灾害类专项预案:…")."""
    raw, text = query.raw, query.text
    deadline = presumed_deadline(text)
    if deadline and _quotes_clause(text, deadline, clause):
        deadline = None  # "考核长期落后的，是不是…": 长期 of the clause's own 长期落后, no presumed deadline
    bare = text
    for pattern in _DEADLINE_PHRASES:
        bare = pattern.sub(" ", bare)
    named_year = find_year(bare)  # a year inside a presumed deadline is no plan year
    year = None
    if named_year is not None and named_year != context.year:
        year = query.year or query.year_not_held
    elif named_year is None and context.year and vocab.LAST_YEAR.search(raw):
        year = context.year - 1  # "那去年的呢？": the year before the conversation's plan, held or not
    region = query.region if query.region and query.region != context.region else None
    fillers = vocab.FOLLOWUP_FILLERS
    # a presumed deadline and a how-often phrase ("一年得请几回") ask about an aspect, they name no topic
    dropped = "".join(m.group(0) for p in (*_DEADLINE_PHRASES, vocab.ASKS_FREQUENCY, vocab.NEXT_ITEM, vocab.SOURCE_FORM)
                      for m in p.finditer(text))
    page = bool(vocab.NEXT_PAGE.search(raw))
    yes_no, more = bool(vocab.YES_NO_FORM.search(raw)), bool(vocab.MORE_FORM.search(raw)) or page
    continues = bool(vocab.CONTINUATION.search(raw) or query.followup)
    # A turn may carry wording the plans never use ("弄完就行", "一家管"): read as wording, not a topic of its
    # own — unless the turn asks what no clause states (how to apply, an amount, a phone number): such a
    # request is a question of its own ("身份证丢了怎么补办？").
    shaped = not (query.asks_procedure or query.asks_amount or query.asks_contact)
    asks = None
    if query.intent_stated and query.intent in (Intent.WHO, Intent.WHEN, Intent.WHAT):
        asks = query.intent
    # A who/when turn pointing back ("那这个事儿得啥时候弄利索？") asks about what was shown: a word of its own
    # names a topic only when the plans use it and it is rare in general Chinese (not 落到, 弄).
    back = (asks in (Intent.WHO, Intent.WHEN) and bool(vocab.POINTS_BACK.search(raw)) and not query.regions
            and not vocab.RESET_FORM.search(raw))  # a fresh question's "it" points inside itself
    topic = tuple(
        t for t in query.topic
        if len(t) >= 2 and t not in fillers and t.lower() not in vocab.EN_STOPWORDS
        and not any(t in f for f in fillers if len(f) > len(t))
        and t not in dropped and (names_topic is None or not shaped or names_topic(t, back, back))
        and not re.search(vocab.REFERS_BACK + re.escape(t), raw))
    # A presumption stated and question-marked, with no wh-word, is a yes/no check too.
    yes_no = yes_no or bool((deadline or query.departments) and not vocab.WH_FORM.search(raw)
                            and vocab.BARE_QUESTION.search(raw))
    source = bool(vocab.SOURCE_FORM.search(raw))
    if source and query.lang == "en" and not _english_words_left(vocab.SOURCE_FORM.sub(" ", raw)):
        topic = ()  # "Which document is that from?": "document" (文件) was the question's form, not a topic
    departments = query.departments
    if yes_no and not departments and query.intent != Intent.LIST:  # a unit the plans do not name
        departments = _unit_shaped(query.topic, raw)
    # a word of a presumed unit's name ("housing" of "the housing bureau" -> 住房) is that unit, no topic
    topic = tuple(t for t in topic if t not in departments and not any(t in d for d in departments))
    return TurnFeatures(
        region=region, year=year, unknown_place=bool(query.unknown_region), departments=departments,
        deadline=deadline, topic=topic, yes_no=yes_no, more=more, only=bool(vocab.ONLY_FORM.search(raw)),
        reset=bool(vocab.RESET_FORM.search(raw)), page=page, asks=asks,
        continues=continues, in_clause=bool(topic and clause and all(t in clause for t in topic)),
        next_item=bool(vocab.NEXT_ITEM.search(raw)),
        plan_topic=tuple(t for t in topic if names_topic is None or names_topic(t, True)),
        in_section=bool(vocab.SECTION_REF.search(raw)), compares=bool(vocab.COMPARE_FORM.search(raw)),
        source=source, in_roles=bool(topic and roles and all(t in roles for t in topic)),
        first=bool(vocab.FIRST_SHOWN.search(raw)))


def _quotes_clause(text: str, said: str, clause: str) -> bool:
    """Whether a how-long word the turn says ("长期", "持续", "及时") is an adverb of the clause's own wording
    ("长期落后" when the clause says 考核长期落后的): the word with the two characters after it is in the clause."""
    if not clause or not vocab.NO_COMPLETION_DATE.fullmatch(said):
        return False
    at = text.find(said)
    after = text[at + len(said): at + len(said) + 2]
    return len(after) == 2 and bool(HAN_PAIR.fullmatch(after)) and said + after in clause


def _english_words_left(text: str) -> bool:
    """Whether English text holds a word other than stop words, wh-words and pointers back ("that", "it")."""
    return any(w.lower() not in vocab.EN_STOPWORDS and w.lower() not in vocab.EN_WH_WORDS
               for w in re.findall(r"[A-Za-z]+", text))


def _unit_shaped(topic: tuple[str, ...], raw: str) -> tuple[str, ...]:
    """Topic words shaped like a unit's name ("宣传部"), those written together as one ("区委宣传部")."""
    words = [t for t in topic if vocab.UNIT_SHAPE.search(t)]
    joined = "".join(words)
    return (joined,) if len(words) > 1 and joined in raw else tuple(words)


def plan_turn(query: Query, context: Context | None,
              names_topic: TopicTest | None = None, clause: str = "", roles: str = "") -> TurnPlan:
    """Which move this turn makes (see the module docstring); `clause`: the text of the clause shown last."""
    if context is None or query.greeting:
        return TurnPlan(Move.NEW)
    f = read_turn(query, context, names_topic, clause, roles)
    return (_opening(query, context, f) or _pointing(query, context, f) or _switching(query, context, f)
            or _about_the_clause(query, context, f) or _elsewhere(query, context, f))


def _opening(query: Query, context: Context, f: TurnFeatures) -> TurnPlan | None:
    """Moves that leave the conversation's clause: reset, nothing to continue, a list's page."""
    if f.reset:  # "换个问题，养老补贴谁负责？" starts over with a question; "重新问" only starts over
        rest = vocab.RESET_FORM.sub(" ", query.raw if query.lang == "zh" else query.text)  # English: as read
        if not any(t in rest for t in f.topic):
            return TurnPlan(Move.RESET)
        return TurnPlan(Move.NEW, text=vocab.RESET_FORM.sub(" ", query.raw))  # read without the reset words
    if not (context.entry_ids or context.topic or context.region) or f.unknown_place:
        return TurnPlan(Move.NEW)
    if context.intent == Intent.LIST and f.page:
        if not context.next_page:
            return TurnPlan(Move.NO_MORE)
        return TurnPlan(Move.PAGE, text=context.question, region=context.region, offset=context.next_page)
    return None


def _pointing(query: Query, context: Context, f: TurnFeatures) -> TurnPlan | None:
    """Moves that point at what was shown: the first clause shown, two plans compared, the next item, more of
    the part shown."""
    if f.first and context.shown and not (f.year or f.more):
        # "刚才第一条那个信息公开专栏的，谁负责？": the words describe that clause, they name no new topic; a region
        # named picks the first clause shown from it ("你刚才说的第一个，历城那个，有发改局吗")
        region = query.region if query.regions else None
        if f.yes_no and f.presumes:
            presumption = Presumption(f.departments, None if f.departments else f.deadline, f.only)
            return TurnPlan(Move.CONFIRM, region=region, intent=Intent.WHO if f.departments else Intent.WHEN,
                            presumption=presumption, first=True)
        return TurnPlan(Move.SAME_CLAUSE, region=region, intent=f.asks or Intent.WHAT, first=True)
    if f.compares and context.entry_ids and not (f.region or f.year or f.departments) and len(context.shown) > 1:
        # "两个区哪个要求更早？": the clause shown against the one shown before it from another plan (found by
        # bot/engine/turns.py; a conversation that went through one plan only is answered as a question)
        when = Intent.WHEN if vocab.COMPARE_WHEN.search(query.raw) and not f.topic else None
        says = Intent.WHAT if f.topic else _kept_intent(f, context)  # "which of the two says X": what it says
        said = vocab.COMPARE_FORM.sub(" ", query.raw if query.lang == "zh" else query.text).strip()
        return TurnPlan(Move.COMPARE, text=said if f.topic else None, region=context.region,
                        intent=when or f.asks or says, entry_id=context.entry_ids[0])
    if f.next_item and context.intent != Intent.LIST and context.entry_ids and not (
            f.topic or f.region or f.year or f.departments):
        return TurnPlan(Move.NEXT, entry_id=context.entry_ids[0], intent=f.asks)
    if f.more and f.in_section and context.intent != Intent.LIST and context.entry_ids and not (
            f.region or f.year or f.departments):
        # "What else is in that section?": another item of the plan's part shown, whatever its words
        return TurnPlan(Move.NEXT, text=_topic(context) or None, region=context.region, entry_id=context.entry_ids[0],
                        intent=f.asks, in_section=True)
    return None


def _switching(query: Query, context: Context, f: TurnFeatures) -> TurnPlan | None:
    """The conversation's topic in a region or year the turn names; a region of its own is a new question."""
    # Its own words, if any, only name a part of the conversation's topic ("枣庄薛城那边，养老这一块呢？")
    within = all(t in context.topic for t in f.topic)
    if (f.region or f.year) and within and not f.presumes and context.topic:
        move = Move.SWITCH_REGION if f.region else Move.SWITCH_YEAR
        year = f.year or (context.year if not f.region else None)
        text = f"{year}年{_topic(context)}" if year else _topic(context)
        # the topic is re-read without the turn's words, so the intent the turn states goes with it
        return TurnPlan(move, text=text, region=f.region or context.region, intent=f.asks or _kept_intent(f, context))
    if f.region or (query.regions and query.region != context.region):
        return TurnPlan(Move.NEW)
    return None


def _about_the_clause(query: Query, context: Context, f: TurnFeatures) -> TurnPlan | None:
    """A confirmation, "more", or another aspect of the current clause."""
    if not context.entry_ids:
        return None
    if f.yes_no and f.presumes:
        presumption = Presumption(f.departments, None if f.departments else f.deadline, f.only)
        # its own topic words (never the presumed unit's) may name another clause to check
        return TurnPlan(Move.CONFIRM, text=" ".join(f.topic) if f.topic else None, region=context.region,
                        intent=Intent.WHO if f.departments else Intent.WHEN, entry_id=context.entry_ids[0],
                        presumption=presumption)
    if f.source and not (f.topic or f.departments or f.more):  # "出处呢？": the clause shown, its source first
        return TurnPlan(Move.SOURCE, intent=Intent.WHAT, entry_id=context.entry_ids[0])
    part = f.asks == Intent.WHAT or any(t in context.topic for t in f.topic)  # names a part of the topic
    if f.more and f.topic and part and not f.departments and query.until is None:
        # "What else about these requests?": more on the part of the topic it names; a part named in words
        # no plan uses ("房子这块还有啥说法？" after the 房地产 clause) goes on with the conversation's topic
        text = " ".join(f.plan_topic) if f.plan_topic else _topic(context)
        return TurnPlan(Move.MORE, text=text, region=context.region)
    if f.in_roles and (f.asks or f.continues) and not (f.more or f.departments or f.deadline):
        # "And the plans for natural disasters?" after the row that gives 自然灾害类专项预案 its own units
        return TurnPlan(Move.SAME_CLAUSE, intent=f.asks or Intent.WHO, entry_id=context.entry_ids[0])
    if f.in_clause and f.asks in (Intent.WHO, Intent.WHEN) and not (f.more or f.departments or f.deadline):
        # "那开新闻发布会呢得多长时间以内？" after the 突发事件 clause that sets it: another aspect of that clause
        return TurnPlan(Move.SAME_CLAUSE, intent=f.asks, entry_id=context.entry_ids[0])
    if f.topic or (f.departments and not f.more) or query.until is not None:
        return None
    units = f.more and bool(vocab.UNIT_KIND.search(query.raw))  # "还有其他部门参与吗？": who else
    if f.more and not units and not f.departments and f.asks not in (Intent.WHO, Intent.WHEN) and context.topic:
        return TurnPlan(Move.MORE, text=_topic(context), region=context.region, intent=_kept_intent(f, context))
    if f.asks or f.continues or f.yes_no or f.more:
        also = Intent.WHO if f.more and (f.departments or units) else None
        return TurnPlan(Move.SAME_CLAUSE, intent=also or _kept_intent(f, context), entry_id=context.entry_ids[0])
    return None


def _elsewhere(query: Query, context: Context, f: TurnFeatures) -> TurnPlan:
    """A topic of its own: in the conversation's region (a year it names read there), else a new question."""
    intent = None if f.asks else _kept_intent(f, context)
    if (not context.entry_ids and context.topic and context.region and not (f.topic or f.year or query.regions)
            and query.intent != Intent.LIST and (f.asks or f.continues or f.yes_no)):
        # nothing shown (the last turn was declined): a turn with no topic of its own ("OK, then the plan you do
        # have — what does it say about that?", "那谁管？") asks the conversation's topic again, in its region
        return TurnPlan(Move.TOPIC, text=_topic(context), region=context.region, intent=f.asks or intent)
    if f.year and not query.regions and context.region:
        return TurnPlan(Move.TOPIC, text=query.text, region=context.region, intent=intent)
    if f.topic and not query.regions and context.region and query.intent != Intent.LIST:
        return TurnPlan(Move.TOPIC, text=query.text, region=context.region, intent=intent,
                        soft=not f.continues and bool(f.asks))
    return TurnPlan(Move.NEW)


def _topic(context: Context) -> str:
    """The conversation's topic without its year (that was the old plan's, not the topic)."""
    return vocab.YEAR_PHRASE.sub("", context.topic).strip()


def _kept_intent(f: TurnFeatures, context: Context) -> Intent | None:
    """The turn's own intent when its wording states one (None: the reader's), else the previous turn's."""
    if f.asks is not None:
        return None
    try:
        previous = Intent(context.intent)
    except ValueError:
        return None
    return previous if previous in (Intent.WHO, Intent.WHEN, Intent.WHAT) else None
