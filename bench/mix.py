"""The question mix every latency figure is taken over: distinct questions generated over the corpus.

Why generated: a fixed list of a few dozen questions, repeated, measures warm caches and the questions
someone tuned for. Here every question is made from an entry of the corpus being measured (its region,
city, year, a topic phrase of its text, a unit it names, its deadline) put into one of the frames in
bench/phrasing.py, in every style real traffic takes: short who / when / what, long chatty messages,
voice-typed runs, staff shorthand, English, pinyin, typos by sound, department / due-date / region
lists with and without a region, follow-ups asked in the context of a first question, off-topic,
unknown regions and greetings. No question occurs twice, within a repeat or across repeats, and the
same seed gives the same questions.
Neighbours: bench/measure.py times them; bench/report.py prints the verdicts against TARGETS below.
"""
from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bench import phrasing as P

SEED = 20261202
CLI_QUESTION = "养老补贴信息公开由哪个部门负责？"
CLI_RUNS = 5
BATCH_RUNS = 3
REPEATS = 3  # every timing is repeated this often; figures are the median and the spread (min-max)
MIX_SIZE = 2_000  # distinct questions per repeat
SUBPROCESS_TIMEOUT = 1_800  # seconds; every child is bounded

# Share of each kind in a repeat (normalised); a kind whose corpus offers fewer distinct questions is
# topped up with the kinds listed in _FILL.
SHARES: dict[str, float] = {
    "who": 11, "when": 10, "what": 7, "chatty": 14, "voice": 8, "english": 8, "pinyin": 6, "typo": 5,
    "shorthand": 4, "list-department": 5, "list-department-all-regions": 4, "list-due": 4,
    "list-due-all-regions": 3, "list-region": 2, "followup": 8, "off-topic": 2, "unknown-region": 2, "greeting": 1,
}
_FILL = ("chatty", "who", "when", "voice", "what")

# (key, label, limit, unit, corpus the target applies to)
TARGETS: tuple[tuple[str, str, float, str, str], ...] = (
    ("cli_startup_s", "CLI start-up (ask --json, median)", 1.0, "s", "shipped"),
    ("batch_ms_per_question", "ask --json - batch, per question", 1.5, "ms", "shipped"),
    ("cli_vs_naive", "CLI / naive per question, real-traffic wording", 0.6, "x", "shipped"),
    ("rss_mb", "peak RSS, load + answer", 150.0, "MB", "shipped"),
    ("p50_ms", "p50, every kind (median of repeats)", 3.0, "ms", "scaled"),
    ("worst_kind_p50_ms", "p50 of the worst kind", 3.0, "ms", "scaled"),
    ("worst_kind_p99_ms", "p99 of the worst kind", 20.0, "ms", "scaled"),
    ("build_s", "index build incl. tokenising", 300.0, "s", "scaled"),
    ("load_s", "index load (open the index directory)", 0.5, "s", "scaled"),
    ("rss_mb", "peak RSS per worker, load + answer", 600.0, "MB", "scaled"),
    ("bm25s_vs_ours_inv", "ours / bm25s get_scores time, whole corpus", 1.0, "x", "scaled"),
)

_CUT = re.compile(r"[，。；：、“”‘’（）()《》〈〉【】！？!?\s,;:]")
_LEAD = re.compile(r"^(?:进一步|持续|全面|深入|加大|强化|及时|积极|继续|认真|扎实|着力|大力|重点|切实|不断|要|并|和|及)+")
_UNIT = re.compile(r"(?:局|办|委|中心|分局)$")


@dataclass(frozen=True)
class Item:
    """One timed question; a follow-up is asked in the context `before` left (that first turn is not timed)."""

    kind: str
    question: str
    before: str | None = None


@dataclass(frozen=True)
class Fact:
    """What one entry offers a question: where and when it applies, a topic phrase, a unit, its text."""

    region: str | None
    city: str
    year: int | None
    topic: str
    unit: str | None
    month: int | None
    text: str


def facts_of(entries: Sequence[Any], n: int, seed: int = SEED) -> list[Fact]:
    """Facts of up to n entries drawn evenly at random from the corpus (by position: any sequence of Entry)."""
    rng = random.Random(seed)
    picks = sorted(rng.sample(range(len(entries)), min(n, len(entries))))
    out = []
    for i in picks:
        e = entries[i]
        topic = _topic(e.text, e.region or "", rng)
        if not topic:
            continue
        units = [u for u in e.responsible if _UNIT.search(u) and "各" not in u and "有关" not in u]
        title = e.title or ""
        city = title[title.index("年") + 1:title.index(e.region)] if e.region and e.region in title and "年" in title \
            else ""
        month = int(e.due[5:7]) if e.due and len(e.due) >= 7 and e.due[5:7].isdigit() else None
        out.append(Fact(e.region, city if len(city) <= 6 else "", e.year, topic, rng.choice(units) if units else None,
                        month, e.text))
    return out


def _topic(text: str, region: str, rng: random.Random) -> str:
    chunks = [_LEAD.sub("", c) for c in _CUT.split(text.removeprefix(region))]
    good = [c for c in chunks if 4 <= len(c) <= 14 and not re.search(r"\d", c)]
    return rng.choice(good) if good else ""


def generate_mix(entries: Sequence[Any], n: int = MIX_SIZE, seed: int = SEED, facts: int = 4_000) -> list[Item]:
    """At least n distinct questions (fewer only when the corpus is too small), every kind in its share."""
    found = facts_of(entries, facts, seed)
    if not found:
        return []
    gen = _Generator(found, random.Random(seed + 1))
    total = sum(SHARES.values())
    for kind, share in SHARES.items():
        gen.make(kind, round(n * share / total))
    for kind in _FILL * 50:
        if len(gen.items) >= n:
            break
        gen.make(kind, n - len(gen.items))
    items = gen.items
    random.Random(seed + 2).shuffle(items)  # any slice of the list holds every kind in its share
    return items


def split_repeats(items: Sequence[Item], repeats: int) -> list[list[Item]]:
    """Deal the items into `repeats` disjoint runs, every kind spread evenly over them."""
    runs: list[list[Item]] = [[] for _ in range(repeats)]
    by_kind: dict[str, list[Item]] = {}
    for it in items:
        by_kind.setdefault(it.kind, []).append(it)
    k = 0
    for kind in sorted(by_kind):
        for it in by_kind[kind]:
            runs[k % repeats].append(it)
            k += 1
    return runs


class _Generator:
    """Fills frames with facts until each kind has its count of questions never made before."""

    def __init__(self, facts: list[Fact], rng: random.Random) -> None:
        self.facts, self.rng = facts, rng
        self.items: list[Item] = []
        self.seen: set[str] = set()
        self.regions = sorted({f.region for f in facts if f.region})
        self.units = sorted({f.unit for f in facts if f.unit})
        self.years = sorted({f.year for f in facts if f.year}) or [2024]
        self.makers: dict[str, Callable[[Fact], Item | None]] = {
            "who": lambda f: self._short("who", f), "when": lambda f: self._short("when", f),
            "what": lambda f: self._short("what", f), "chatty": self._chatty, "voice": self._voice,
            "english": self._english, "pinyin": self._pinyin, "typo": self._typo, "shorthand": self._shorthand,
            "list-department": lambda f: self._department(f, True),
            "list-department-all-regions": lambda f: self._department(f, False),
            "list-due": lambda f: self._due(f, True), "list-due-all-regions": lambda f: self._due(f, False),
            "list-region": self._region_plan, "followup": self._followup, "off-topic": self._off_topic,
            "unknown-region": self._unknown_region, "greeting": self._greeting,
        }

    def make(self, kind: str, count: int) -> None:
        made, tries = 0, 0
        while made < count and tries < count * 40 + 200:
            tries += 1
            item = self.makers[kind](self.rng.choice(self.facts))
            if item is not None and item.question not in self.seen:
                self.seen.add(item.question)
                self.items.append(item)
                made += 1

    # -- pieces ------------------------------------------------------------------------------------
    def _region(self, f: Fact, none_share: float = 0.2) -> str:
        r = self.rng.random()
        if not f.region or r < none_share:
            return ""
        if r < 0.55:
            return f.region
        if r < 0.7 and len(f.region) >= 3:
            return f.region[:-1]
        if r < 0.85 and f.city:
            return f.city + f.region
        return f"{f.year}年{f.region}" if f.year else f.region

    def _pick(self, frames: Sequence[str]) -> str:
        return self.rng.choice(frames)

    def _short(self, kind: str, f: Fact) -> Item:
        frames = {"who": P.WHO, "when": P.WHEN, "what": P.WHAT}[kind]
        return Item(kind, self._pick(frames).format(r=self._region(f), t=f.topic))

    def _chatty(self, f: Fact) -> Item:
        r = f.region or "我们区"
        ask = self.rng.choice(("who", "when", "what"))
        text = (self._pick(P.OPENERS) + self._pick(P.SELVES).format(r=r) + self._pick(P.HEARD)
                + self._pick(P.DOING).format(t=f.topic) + "，" + self._pick(P.CHATTY_ASKS[ask]))
        return Item("chatty", text)

    def _voice(self, f: Fact) -> Item:
        ask = self.rng.choice(("who", "when", "what"))
        parts = [self._pick(P.FILLERS), self._region(f, 0.3), self._pick(("", "的", "那个")), f.topic,
                 self._pick(P.VOICE_ASKS[ask])]
        joiner = self._pick(("", " "))
        return Item("voice", joiner.join(p for p in parts if p))

    def _shorthand(self, f: Fact) -> Item:
        r = f.region[:-1] if f.region and len(f.region) >= 3 else (f.region or "")
        return Item("shorthand", self._pick(P.SHORTHAND).format(r=r, t=f.topic).strip())

    def _english(self, f: Fact) -> Item | None:
        terms = [en for en, zh in _glossary() if zh in f.text and (len(zh) >= 3 or " " in en)]
        if not terms:
            return None
        ask = self.rng.choice(("who", "when", "what"))
        place = _romanised_region(f.region) if f.region and self.rng.random() < 0.8 else "the district"
        return Item("english", self._pick(P.ENGLISH[ask]).format(e=self.rng.choice(terms), r=place))

    def _pinyin(self, f: Fact) -> Item | None:
        start = self.rng.choice((0, 2)) if len(f.topic) >= 6 else 0
        span = f.topic[start:start + self.rng.choice((2, 4))]
        syllables = _pinyin_of(span)
        if not syllables:
            return None
        words = " ".join("".join(syllables[i:i + 2]) for i in range(0, len(syllables), 2))
        topic = f.topic.replace(span, f" {words} ", 1).strip()
        r = self._region(f, 0.4)
        if r and self.rng.random() < 0.3 and f.region:
            r = _romanised_region(f.region, english=False) + " "
        return Item("pinyin", self._pick(P.PINYIN).format(r=r, p=topic))

    def _typo(self, f: Fact) -> Item | None:
        spots = [i for i, ch in enumerate(f.topic) if _homophones(ch)]
        if not spots:
            return None
        i = self.rng.choice(spots)
        topic = f.topic[:i] + self.rng.choice(_homophones(f.topic[i])) + f.topic[i + 1:]
        frames = self.rng.choice((P.WHO, P.WHEN, P.WHAT))
        return Item("typo", self._pick(frames).format(r=self._region(f, 0.1), t=topic))

    def _department(self, f: Fact, with_region: bool) -> Item | None:
        if not f.unit:
            return None
        bare = f.unit[1:] if f.unit[0] in "区县市" else f.unit
        if with_region:
            if not f.region:
                return None
            r = "" if f.region[:2] in bare else self._region(f, 0.0)
            return Item("list-department", self._pick(P.DEPARTMENT).format(r=r, u=bare))
        unit = f.unit if self.rng.random() < 0.6 else bare
        year = f"{f.year}年" if f.year and self.rng.random() < 0.3 else ""
        return Item("list-department-all-regions", self._pick(P.DEPARTMENT).format(r=year, u=unit))

    def _due(self, f: Fact, with_region: bool) -> Item | None:
        month = f.month or self.rng.randint(1, 12)
        r = self._region(f, 0.0) if with_region else ""
        if with_region and not f.region:
            return None
        if r.startswith(f"{f.year}年"):
            r = r[len(f"{f.year}年"):]
        text = self._pick(P.DUE).format(r=r, y=f.year or self.rng.choice(self.years), m=month, q=(month - 1) // 3 + 1)
        return Item("list-due" if with_region else "list-due-all-regions", text.strip())

    def _region_plan(self, f: Fact) -> Item | None:
        if not f.region:
            return None
        r = self._region(f, 0.0)
        if r.startswith(f"{f.year}年"):
            r = f.region
        return Item("list-region", self._pick(P.REGION_PLAN).format(r=r, y=f.year or 2024))

    def _followup(self, f: Fact) -> Item | None:
        if not f.region:
            return None
        first = self._pick(self.rng.choice((P.WHO, P.WHEN))).format(r=f.region, t=f.topic)
        other = self.rng.choice(self.facts)
        r2 = self.rng.choice(self.regions) if self.regions else ""
        body = self._pick(P.FOLLOW_BODY).format(r2=r2, t2=other.topic)
        suffix = self._pick(P.FOLLOW_SUFFIX)
        text = self._pick(P.FOLLOW_PREFIX) + (body.rstrip("？") + suffix + "？" if suffix else body) \
            + self._pick(P.FOLLOW_CLOSE)
        return Item("followup", text, before=first)

    def _off_topic(self, f: Fact) -> Item:
        if self.rng.random() < 0.15:
            return Item("off-topic", self._pick(P.WEATHER) if self.rng.random() < 0.5
                        else self._region(f, 0.0) + self._pick(P.WEATHER))
        return Item("off-topic", self._region(f, 0.5) + self._pick(P.OFF_TOPIC_SUBJECTS) + self._pick(P.OFF_TOPIC_ASKS))

    def _unknown_region(self, f: Fact) -> Item:
        frames = self.rng.choice((P.WHO, P.WHEN, P.WHAT))
        return Item("unknown-region", self._pick(frames).format(r=self._pick(P.UNKNOWN_REGIONS), t=f.topic))

    def _greeting(self, f: Fact) -> Item:
        return Item("greeting", self._pick(P.GREETING_STARTS) + self._pick(P.GREETINGS) + self._pick(P.GREETING_ENDS))


@lru_cache(maxsize=1)
def _glossary() -> tuple[tuple[str, str], ...]:
    """(English phrase, the plan word it stands for) from the shipped glossary: English that the plans' words have."""
    from indexer.settings import PROJECT_ROOT

    data = tomllib.loads((Path(PROJECT_ROOT) / "knowledge" / "data" / "glossary.toml").read_text(encoding="utf-8"))
    return tuple((en, zh[0]) for en, zh in sorted(data.get("terms", {}).items()) if zh and len(zh[0]) >= 2)


@lru_cache(maxsize=4096)
def _pinyin_of(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    out = tuple(lazy_pinyin(text))
    return out if all(s.isascii() and s.isalpha() for s in out) else ()


def _romanised_region(region: str, english: bool = True) -> str:
    stem, level = (region[:-1], region[-1]) if region[-1] in "区县市" else (region, "")
    name = "".join(_pinyin_of(stem)).capitalize() or stem
    if english:
        return f"{name} {P.LEVELS_EN.get(level, 'district')}".strip()
    return f"{name} {''.join(_pinyin_of(level))}".strip()


@lru_cache(maxsize=1)
def _sound_table() -> dict[str, tuple[str, ...]]:
    """Toneless reading -> the common characters (below) read so."""
    table: dict[str, list[str]] = {}
    for ch in sorted(_COMMON):
        reading = _pinyin_of(ch)
        if reading:
            table.setdefault(reading[0], []).append(ch)
    return {k: tuple(v) for k, v in table.items()}


@lru_cache(maxsize=8192)
def _homophones(ch: str) -> tuple[str, ...]:
    """Other common characters with ch's toneless reading: a slip of a pinyin keyboard."""
    reading = _pinyin_of(ch) if "\u4e00" <= ch <= "\u9fff" else ()
    return tuple(c for c in _sound_table().get(reading[0], ()) if c != ch)[:6] if reading else ()


# Characters common enough to be a sound-alike slip of the keyboard (the plans' own character set)
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
    "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
    "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特"
    "件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理"
    "府研质信息布责单位负完限务作办保障养老补贴教育卫健康住建局服监督民生安全环境医疗就业创社会救助城市更乡村"
)
